"""The web app in headless Chromium: upload, map, run, read, edit, export, and two users at once.

Starts ``python -m cxtext.cli app --no-sample`` on a free port and drives it
with Playwright's sync API in Debian's Chromium (/usr/bin/chromium; never a
downloaded browser). Screenshots of every tab go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from feedback_data import feedback_frame

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
RUN_TIMEOUT_MS = 150_000
NEW_LABEL = "Billing mess-ups"

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium "
                "(apt-get install -y chromium chromium-driver, or `make browser`)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
expect = sync_api.expect


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app as users start it, in its own process, with a private embedding cache."""
    port = _free_port()
    logs = tmp_path_factory.mktemp("server") / "app.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "CXTEXT_CACHE_DIR": str(tmp_path_factory.mktemp("cache")), "CXTEXT_CONCURRENCY": "2",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(logs, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "cxtext.cli", "app", "--port", str(port), "--no-sample"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the app did not start:\n{logs.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    text = logs.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    files = (folder / "fixture_a.csv", folder / "fixture_b.csv", folder / "fixture_c.csv")
    feedback_frame(themes=("billing", "crash", "wait", "delivery"), praise=14).to_csv(files[0], index=False)
    # b and c: texts new to the cache, so the concurrent runs really embed at the same time
    feedback_frame(themes=("billing", "wait"), praise=8, extra=False, suffix="!!").to_csv(
        files[1], index=False)
    feedback_frame(themes=("billing", "crash", "wait", "delivery"), praise=14, suffix="!").to_csv(
        files[2], index=False)
    return files


@pytest.fixture(scope="module")
def shots():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    return SHOTS


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    expect(page.locator("#upload-file")).to_be_visible(timeout=30_000)
    return context, page


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _upload(page, path: Path) -> None:
    page.locator("#upload-file input[type=file]").set_input_files(str(path))
    expect(page.locator("#role-text input")).to_have_value("comment", timeout=30_000)


def _choose(page, elem_id: str, option: str | None = None) -> str:
    """Open a dropdown and click an option (the first when ``option`` is None); returns its text."""
    page.locator(f"#{elem_id} input").click()
    options = page.get_by_role("option")
    choice = options.first if option is None else options.filter(has_text=option).first
    text = choice.inner_text().strip()
    choice.click()
    return text


def _wait_for_run(page, name: str) -> None:
    """Wait until the run reports success or failure; fail with the page's message on failure."""
    done = page.locator("#run-message .cx-msg-ok, #run-message .cx-msg-error")
    expect(done).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    assert page.locator("#run-message .cx-msg-ok").count() == 1, page.locator("#run-message").inner_text()
    expect(page.locator("#headline")).to_contain_text(name)


def test_upload_map_run_read_edit_export(browser, server, csv_files, shots, tmp_path):
    started = time.monotonic()
    context, page = _open(browser, server)
    first = csv_files[0]

    # an unreadable file: a message in the page, no traceback
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page.locator("#upload-file input[type=file]").set_input_files(str(empty))
    expect(page.locator(".cx-msg-error")).to_contain_text("empty", timeout=30_000)
    expect(page.locator("body")).not_to_contain_text("Traceback")

    # upload, check the detected mapping, adjust it, run
    _upload(page, first)
    expect(page.locator("#preview")).to_contain_text("response_id")
    for role, column in (("nps", "nps"), ("ces", "ces"), ("date", "submitted_at"), ("source", "channel"),
                         ("id", "response_id"), ("csat", "(none)"), ("segment", "(none)")):
        expect(page.locator(f"#role-{role} input")).to_have_value(column)
    # the fixture's CES is 1-7 with 7 = very easy: state it explicitly, as a user would
    page.locator("#ces-scale").get_by_text("1-7", exact=True).click()
    page.locator("#ces-easy").get_by_text("the highest number means very easy").click()
    expect(page.locator("#ces-scale input[value='1-7']")).to_be_checked()
    page.screenshot(path=shots / "01_upload.png", full_page=True)
    page.locator("#run").click()
    _wait_for_run(page, "fixture_a.csv")
    expect(page.locator("#headline")).to_contain_text("74 rows")
    expect(page.locator("#headline")).to_contain_text("72 analysed")

    # drivers: table and charts
    expect(page.get_by_role("tab", name="Drivers", exact=True)).to_have_attribute("aria-selected", "true")
    theme_count = int(page.locator("[data-testid=theme-count]").inner_text())
    assert theme_count >= 3
    expect(page.locator("#drivers-table")).to_contain_text("nps_impact")
    for plot in ("impact-plot", "scatter-plot", "ces-plot"):  # plotly.js loads on first use
        expect(page.locator(f"#{plot} .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#impact-plot g.trace.bars path")).not_to_have_count(0)
    page.screenshot(path=shots / "03_drivers.png", full_page=True)

    _tab(page, "Overview")
    expect(page.locator("[data-testid=card-nps]")).to_contain_text("95% CI")
    expect(page.locator("#rejected")).to_contain_text("NPS '11' is outside 0-10")
    page.screenshot(path=shots / "02_overview.png", full_page=True)

    # themes: the top theme's quotes, right-to-left aware, and its comments
    _tab(page, "Themes")
    quotes = page.locator("[data-testid=quotes] li.cx-quote")
    expect(quotes.first).to_be_visible()
    assert quotes.first.get_attribute("dir") == "auto"
    expect(page.locator("[data-testid=theme-comments]")).to_be_visible()
    expect(page.locator("#page-label")).to_contain_text("page 1 of")
    expect(page.locator("#theme-histogram .js-plotly-plot")).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "04_themes.png", full_page=True)

    _tab(page, "Map")
    expect(page.locator("#map-plot .js-plotly-plot")).to_be_visible(timeout=90_000)
    page.screenshot(path=shots / "05_map.png", full_page=True)

    _tab(page, "Trends & sources")
    expect(page.locator("#trend-volume .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#source-table")).to_contain_text("social n")
    page.screenshot(path=shots / "06_trends.png", full_page=True)

    # edit: rename the top theme; every view follows
    _tab(page, "Edit themes")
    old_label = _choose(page, "rename-theme").rsplit(" (", 1)[0]  # options read "label (size)"
    page.locator("#rename-label textarea, #rename-label input").first.fill(NEW_LABEL)
    page.locator("#rename-button").click()
    expect(page.locator(".cx-msg-ok").filter(has_text="Renamed")).to_be_visible(timeout=30_000)
    expect(page.locator("#themes-table")).to_contain_text(NEW_LABEL)
    page.screenshot(path=shots / "07_edit.png", full_page=True)
    _tab(page, "Drivers")  # grids in hidden tabs are not fully rendered: look at them shown
    expect(page.locator("#drivers-table")).to_contain_text(NEW_LABEL)
    expect(page.locator("#drivers-table")).not_to_contain_text(old_label)
    _tab(page, "Themes")
    expect(page.locator("[data-testid=theme-label]")).to_have_text(NEW_LABEL)

    # export: the workbook holds every table and the new label
    _tab(page, "Export")
    expect(page.locator("#dl-workbook")).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "08_export.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#dl-workbook").click()
    workbook_path = tmp_path / "analysis.xlsx"
    download.value.save_as(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    assert {"drivers", "themes", "assignments", "summary"} <= set(workbook.sheetnames)
    assert NEW_LABEL in [row[1] for row in workbook["drivers"].iter_rows(min_row=2, values_only=True)]
    with page.expect_download() as download:
        page.locator("#dl-drivers-xlsx").click()
    drivers_path = tmp_path / "drivers.xlsx"
    download.value.save_as(drivers_path)
    drivers = openpyxl.load_workbook(drivers_path, read_only=True)
    assert drivers.sheetnames[0] == "drivers"
    assert NEW_LABEL in [row[1] for row in drivers["drivers"].iter_rows(min_row=2, values_only=True)]
    expect(page.locator("#dl-model")).to_be_visible()
    context.close()
    assert time.monotonic() - started < 180


def test_two_users_analyse_at_once(browser, server, csv_files, shots):
    _, second, third = csv_files
    (context_a, page_a), (context_b, page_b) = _open(browser, server), _open(browser, server)
    _upload(page_a, third)
    _upload(page_b, second)
    page_a.locator("#run").click()
    page_b.locator("#run").click()
    _wait_for_run(page_a, "fixture_c.csv")
    _wait_for_run(page_b, "fixture_b.csv")
    expect(page_a.locator("#headline")).to_contain_text("74 rows")
    expect(page_b.locator("#headline")).to_contain_text("36 rows")
    for page in (page_a, page_b):
        # new texts: only the HTML edge-case row (same in every fixture) may come from the cache
        expect(page.locator("#run-message")).to_contain_text(re.compile(r"\([01] embeddings from the cache\)"))
        themes = int(page.locator("[data-testid=theme-count]").inner_text())
        _tab(page, "Edit themes")
        expect(page.locator("#themes-table").get_by_role("row")).to_have_count(themes + 1)  # + header
        _tab(page, "Overview")
    expect(page_a.locator("[data-testid=rows-analyzed]")).to_have_text("72")  # empty comment, NPS 11
    expect(page_b.locator("[data-testid=rows-analyzed]")).to_have_text("36")
    page_a.screenshot(path=shots / "09_concurrent_a.png", full_page=True)
    page_b.screenshot(path=shots / "10_concurrent_b.png", full_page=True)
    context_a.close()
    context_b.close()
