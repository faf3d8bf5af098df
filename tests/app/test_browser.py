"""The web app in headless Chromium, used the way a person uses it.

Starts the app as ``make app`` does (``python -m cxtext.cli app --host --port``,
bundled sample included) and drives it with Playwright's sync API in Debian's
Chromium (/usr/bin/chromium; never a downloaded browser). A second server with
a login and a tiny upload limit checks the serving settings.

Screenshots of every tab go to test-artifacts/screenshots/ (git-ignored; the
README's app section names the folder).
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from app.adapters import STAGES
from app_server import ROOT, Server
from feedback_data import feedback_frame

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"
SAMPLE_TIMEOUT_MS = 400_000  # the bundled sample, cold cache, on a slow shared machine
RUN_TIMEOUT_MS = 240_000
UI_TIMEOUT_MS = 60_000
NEW_LABEL = "Billing mess-ups"
MERGED_LABEL = "Support and delivery"
MODEL_NAME = "e2e-themes"
ARABIC = re.compile(r"[\u0600-\u06FF]")
STAGE_WORDS = ("Loading", "Checking", "Cleaning", "Embedding", "Finding", "Reducing", "Clustering", "Labelling",
               "Ranking")

if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium "
                "(apt-get install -y chromium chromium-driver, or `make browser`)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
expect = sync_api.expect

# Every progress text the page shows, with the time it appeared (Gradio's
# progress bar can come and go between two polls; a MutationObserver cannot miss it).
RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver(() => {
  for (const el of document.querySelectorAll('.progress-level-inner, .progress-text, .meta-text, .meta-text-center')) {
    const text = (el.textContent || '').trim();
    const last = window.__progress[window.__progress.length - 1];
    if (text && (!last || last.text !== text)) window.__progress.push({t: Date.now(), text});
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app as `make app` starts it: bundled sample included, bound to 127.0.0.1."""
    server = Server(tmp_path_factory.mktemp("server"))
    server.wait_until_up()
    yield server
    text = server.stop()
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def server(app_server) -> str:
    return app_server.url


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
    """test-artifacts/screenshots/, emptied of this module's earlier screenshots (other tests write there too)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("[0-9][0-9]_*.png"):
        old.unlink()
    return SHOTS


# --------------------------------------------------------------------------- helpers


def _open(browser, url, ready: str = "#headline"):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_init_script(RECORD_PROGRESS)
    page = context.new_page()
    page.goto(url)
    expect(page.locator(ready)).to_be_visible(timeout=UI_TIMEOUT_MS)
    return context, page


def _sample_ready(page) -> None:
    expect(page.locator("#headline")).to_contain_text("sample_feedback.csv", timeout=SAMPLE_TIMEOUT_MS)


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _upload(page, path: Path, text_column: str = "comment") -> None:
    page.locator("#upload-file input[type=file]").set_input_files(str(path))
    expect(page.locator("#upload-file ~ * .cx-msg, .cx-msg").filter(has_text=path.name).first).to_be_visible(
        timeout=UI_TIMEOUT_MS)
    expect(page.locator("#role-text input")).to_have_value(text_column, timeout=UI_TIMEOUT_MS)


def _choose(page, elem_id: str, option: str | None = None) -> str:
    """Open a dropdown and click an option (the first when ``option`` is None); returns its text."""
    page.locator(f"#{elem_id} input").click()
    options = page.get_by_role("option")
    choice = options.first if option is None else options.filter(has_text=option).first
    text = choice.inner_text().strip().lstrip("✓").strip()
    choice.click()
    return text


def _options(page, elem_id: str) -> list[str]:
    page.locator(f"#{elem_id} input").click()
    expect(page.get_by_role("option").first).to_be_visible(timeout=UI_TIMEOUT_MS)
    texts = [t.lstrip("✓").strip() for t in page.get_by_role("option").all_inner_texts()]
    _close_dropdown(page)
    return texts


def _close_dropdown(page) -> None:
    page.locator("h2").first.click()  # a click outside closes the list without changing the value
    expect(page.get_by_role("option")).to_have_count(0, timeout=UI_TIMEOUT_MS)


def _choose_many(page, elem_id: str, options: list[str]) -> None:
    """Tick several options of a multiselect dropdown (its list stays open between clicks)."""
    page.locator(f"#{elem_id} input").click()
    for option in options:
        page.get_by_role("option").filter(has_text=option).first.click()
    _close_dropdown(page)


def _run(page, name: str) -> str:
    """Press Run, wait for success (fail with the page's message otherwise); returns the run message."""
    page.locator("#run").click()
    done = page.locator("#run-message .cx-msg-ok, #run-message .cx-msg-error")
    expect(done).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    message = page.locator("#run-message").inner_text()
    assert page.locator("#run-message .cx-msg-ok").count() == 1, message
    expect(page.locator("#headline")).to_contain_text(name)
    return message


def _run_error(page) -> str:
    """The error the Run button gives now; a previous run's error may still be
    on the page until the new one replaces it (seen under load), so wait for that."""
    error = page.locator("#run-message .cx-msg-error")
    previous = error.inner_text() if error.count() else None
    page.locator("#run").click()
    expect(error).to_have_count(1, timeout=UI_TIMEOUT_MS)
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while previous is not None and error.inner_text() == previous and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return error.inner_text()


def _stages(page, since: float = 0) -> list[dict]:
    """Progress texts naming an analysis stage, shown after ``since`` (ms since the epoch)."""
    return [p for p in page.evaluate("window.__progress") if p["t"] >= since
            and any(word in p["text"] for word in STAGE_WORDS)]


def _now_ms(page) -> float:
    return page.evaluate("Date.now()")


def _grid_rows(page, elem_id: str) -> list[list[str]]:
    """The visible rows of a Gradio grid (header first)."""
    rows = page.locator(f"#{elem_id} [role=row]")
    return [row.locator("[role=gridcell], [role=columnheader]").all_inner_texts() for row in rows.all()]


# the driver grid's plain view names these library columns so (issue 24); the rest are behind the toggle
PLAIN_NAMES = {"label": "Theme", "rank": "#", "n_comments": "Comments"}


def _technical(page) -> None:
    """Show the driver grid's technical columns (every library column under its own name)."""
    box = page.locator("#drivers-technical input")
    if not box.is_checked():
        box.check()
    expect(page.locator("#drivers-table")).to_contain_text("theme_id", timeout=UI_TIMEOUT_MS)


def _column(page, elem_id: str, name: str) -> list[str]:
    header, *rows = _grid_rows(page, elem_id)
    header = [h.strip() for h in header]
    index = header.index(name if name in header or name not in PLAIN_NAMES else PLAIN_NAMES[name])
    return [row[index].strip() for row in rows if len(row) > index]


def _sort(page, elem_id: str, column: str, how: str = "descending") -> None:
    shown = [h.strip() for h in _grid_rows(page, elem_id)[0]]
    column = column if column in shown or column not in PLAIN_NAMES else PLAIN_NAMES[column]
    header = page.locator(f"#{elem_id} [role=columnheader]").filter(has_text=column).first
    header.hover()
    header.get_by_role("button", name="Open cell menu").click()
    page.get_by_text(f"Sort {how}", exact=True).click()


def _hover_first_map_point(page) -> str:
    """Move the mouse onto the first dot of the map and return the hover label's text."""
    expect(page.locator("#map-plot .js-plotly-plot")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.wait_for_function("() => { const gd = document.querySelector('#map-plot .js-plotly-plot');"
                           " return gd && gd._fullData && gd._fullData.length && gd._fullLayout.xaxis; }",
                           timeout=UI_TIMEOUT_MS)
    point = page.evaluate("""() => {
      const gd = document.querySelector('#map-plot .js-plotly-plot');
      const trace = gd._fullData[0], layout = gd._fullLayout;
      const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
      return {x: box.left + layout.xaxis.c2p(trace._x ? trace._x[0] : trace.x[0]),
              y: box.top + layout.yaxis.c2p(trace._y ? trace._y[0] : trace.y[0])};
    }""")
    hover = page.locator(".hoverlayer .hovertext")
    for attempt in range(5):  # the hover can need a second approach while plotly settles
        page.mouse.move(point["x"] - 40, point["y"] - 40)
        page.mouse.move(point["x"], point["y"], steps=4)
        try:
            expect(hover.first).to_be_visible(timeout=5_000)
            return hover.first.text_content()
        except AssertionError:
            if attempt == 4:
                raise
    return ""


def _download(page, elem_id: str, folder: Path) -> Path:
    with page.expect_download(timeout=UI_TIMEOUT_MS) as download:
        page.locator(f"#{elem_id}").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _no_traceback(page) -> None:
    expect(page.locator("body")).not_to_contain_text("Traceback")


# --------------------------------------------------------------------------- tests


def test_login_and_upload_limit(browser, app_server, tmp_path_factory, small_frame, tmp_path, shots):
    """CXTEXT_AUTH puts a login in front of the app; CXTEXT_MAX_UPLOAD_MB refuses bigger files in the page.

    Runs first: the main server (``app_server``) analyses the sample in the background meanwhile.
    """
    server = Server(tmp_path_factory.mktemp("auth-server"), "--no-sample", CXTEXT_AUTH="ana:s3cret",
                    CXTEXT_MAX_UPLOAD_MB="0.02")
    try:
        url = server.wait_until_up()
        context, page = _open(browser, url, ready="input[type=password]")
        page.screenshot(path=shots / "13_login.png", full_page=True)
        page.get_by_label("username").fill("ana")
        page.get_by_label("password").fill("wrong")
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_text("Incorrect Credentials")).to_be_visible(timeout=UI_TIMEOUT_MS)
        expect(page.locator("#upload-file")).to_have_count(0)
        page.get_by_label("username").fill("ana")
        page.get_by_label("password").fill("s3cret")
        page.get_by_role("button", name="Login").click()
        expect(page.locator("#upload-file")).to_be_visible(timeout=UI_TIMEOUT_MS)
        expect(page.locator("#upload-file")).to_contain_text("up to 0.02 MB")
        big = tmp_path / "big.csv"
        pd.concat([small_frame] * 10).to_csv(big, index=False)
        assert big.stat().st_size > 0.02 * 1024 * 1024
        page.locator("#upload-file input[type=file]").set_input_files(str(big))
        expect(page.get_by_text(re.compile(r"exceed the maximum allowed size"))).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        page.screenshot(path=shots / "14_upload_limit.png", full_page=True)
        context.close()
    finally:
        text = server.stop()
    assert "Traceback" not in text, text[-3000:]


def test_starts_with_the_sample_analysed(browser, server, shots):
    """`make app`: the page shows the bundled sample's drivers and themes with no other step."""
    context, page = _open(browser, server, ready="#headline")
    _sample_ready(page)
    seen = " | ".join(p["text"] for p in _stages(page))
    # If the page opened while the sample was still being analysed, the stages were shown by name
    # (which ones depends on timing: with a warm cache embedding is over in a blink).
    names = [text for text, _ in STAGES.values()]
    assert all(any(p["text"].startswith(name) for name in names) for p in _stages(page)), seen
    expect(page.get_by_role("tab", name="Drivers", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#headline")).to_contain_text("600 rows")
    labels = _column(page, "drivers-table", "label")
    assert len(labels) >= 5 and all(labels), labels
    expect(page.locator("#impact-plot g.trace.bars path").first).to_be_visible(timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "00_sample_drivers.png", full_page=True)

    # the biggest theme of the sample has more than one page of comments
    _tab(page, "Themes")
    options = _options(page, "theme-picker")
    sizes = {o: int(re.search(r"\((\d+)\)$", o).group(1)) for o in options}
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] > 25, sizes
    _choose(page, "theme-picker", biggest)
    expect(page.locator("[data-testid=theme-label]")).to_have_text(biggest.rsplit(" (", 1)[0], timeout=UI_TIMEOUT_MS)
    expect(page.locator("#page-label")).to_contain_text("page 1 of")
    page.locator("#page-next").click()
    expect(page.locator("#page-label")).to_contain_text("page 2 of", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#page-label")).to_contain_text("Comments 26-")
    page.locator("#page-prev").click()
    expect(page.locator("#page-label")).to_contain_text("page 1 of", timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "00_sample_themes.png", full_page=True)
    _no_traceback(page)
    context.close()


def test_upload_map_run_read_edit_export(browser, server, csv_files, shots, tmp_path, app_server):
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    first = csv_files[0]

    # upload, check the detected mapping, adjust it, run
    _upload(page, first)
    expect(page.locator("#upload-file")).to_contain_text("MB")  # the size limit is stated
    expect(page.locator("#preview")).to_contain_text("response_id")
    for role, column in (("nps", "nps"), ("ces", "ces"), ("date", "submitted_at"), ("source", "channel"),
                         ("id", "response_id"), ("csat", "(none)"), ("segment", "(none)")):
        expect(page.locator(f"#role-{role} input")).to_have_value(column)
    # the fixture's CES is 1-7 with 7 = very easy: state it explicitly, as a user would
    page.locator("#ces-scale").get_by_text("1-7", exact=True).click()
    page.locator("#ces-easy").get_by_text("the highest number means very easy").click()
    expect(page.locator("#ces-scale input[value='1-7']")).to_be_checked()
    page.screenshot(path=shots / "01_upload.png", full_page=True)
    before = _now_ms(page)
    message = _run(page, "fixture_a.csv")
    assert "2 rows were left out (1 rejected, 1 with a score but no comment)" in message, message
    expect(page.locator("#headline")).to_contain_text("74 rows")
    expect(page.locator("#headline")).to_contain_text("72 analysed")
    # the progress bar named the stages while it ran
    seen = " | ".join(p["text"] for p in _stages(page, before))
    assert re.search(r"Embedding comments \d+/\d+", seen), seen
    assert re.search(r"Finding themes|Reducing dimensions|Clustering comments|Labelling themes", seen), seen

    # drivers: table (sortable), impact chart with CIs, volume-vs-NPS scatter, CES view
    expect(page.get_by_role("tab", name="Drivers", exact=True)).to_have_attribute("aria-selected", "true")
    theme_count = int(page.locator("[data-testid=theme-count]").inner_text())
    assert theme_count >= 3
    expect(page.locator("#drivers-table")).to_contain_text("Drag (NPS points)")
    expect(page.locator("#fix-first-box [data-testid=fix-first]")).to_be_visible()
    assert [int(r) for r in _column(page, "drivers-table", "rank")] == list(range(1, theme_count + 1))
    for plot in ("impact-plot", "scatter-plot", "ces-plot"):  # plotly.js loads on first use
        expect(page.locator(f"#{plot} .js-plotly-plot")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#impact-plot g.trace.bars path")).not_to_have_count(0)
    expect(page.locator("#impact-plot g.errorbar").first).to_be_attached()  # the 95% CIs
    expect(page.locator("#scatter-plot g.trace.scatter .point")).not_to_have_count(0)
    expect(page.locator("#ces-plot g.trace.bars path")).not_to_have_count(0)
    page.screenshot(path=shots / "03_drivers.png", full_page=True)
    _sort(page, "drivers-table", "n_comments")
    counts = [int(v) for v in _column(page, "drivers-table", "n_comments")]
    assert counts == sorted(counts, reverse=True) and len(counts) == theme_count, counts
    _sort(page, "drivers-table", "rank", "ascending")

    _tab(page, "Overview")
    for card in ("nps", "ces", "csat", "rows", "themes"):
        expect(page.locator(f"[data-testid=card-{card}]")).to_be_visible()
    expect(page.locator("[data-testid=card-nps]")).to_contain_text("95% CI")
    expect(page.locator("[data-testid=card-themes]")).to_contain_text("unthemed")
    expect(page.locator("#rejected")).to_contain_text("NPS '11' is outside 0-10")
    expect(page.locator("#rejected")).to_contain_text("empty comment")
    page.screenshot(path=shots / "02_overview.png", full_page=True)

    # themes: each theme's quotes and comments; Arabic reads right to left
    _tab(page, "Themes")
    expect(page.locator("[data-testid=quotes] .cx-quote").first).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#theme-histogram .js-plotly-plot")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#page-label")).to_contain_text("page 1 of")
    page.screenshot(path=shots / "04_themes.png", full_page=True)
    arabic_seen = False
    for option in _options(page, "theme-picker"):
        _choose(page, "theme-picker", option)
        expect(page.locator("[data-testid=theme-label]")).to_have_text(option.rsplit(" (", 1)[0],
                                                                        timeout=UI_TIMEOUT_MS)
        cells = page.locator("[data-testid=theme-comments] td.cx-text, [data-testid=quotes] .cx-quote")
        for cell in cells.all():
            text = cell.inner_text()
            letters = [c for c in text if c.isalpha()]
            if letters and 2 * len(ARABIC.findall(text)) > len(letters):
                arabic_seen = True
                assert cell.evaluate("e => getComputedStyle(e).direction") == "rtl", text
        if arabic_seen:
            page.screenshot(path=shots / "04_themes_arabic.png", full_page=True)
            break
    assert arabic_seen, "no theme showed an Arabic comment"

    _tab(page, "Map")
    hover = _hover_first_map_point(page)
    assert "row" in hover and len(hover) > 20, hover
    page.screenshot(path=shots / "05_map.png", full_page=True)

    _tab(page, "Trends & sources")
    expect(page.locator("#trend-volume .js-plotly-plot")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#trend-volume g.trace.scatter").first).to_be_attached()
    expect(page.locator("#source-table")).to_contain_text("social n")
    expect(page.locator("#source-table")).to_contain_text("survey n")
    page.locator("#compare").get_by_text("each source / channel").click()
    expect(page.locator("#source-table")).to_contain_text("twitter n", timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "06_trends.png", full_page=True)

    # edit: rename the top theme, merge two others, delete one; every view follows at once
    _tab(page, "Edit themes")
    old_label = _choose(page, "rename-theme").rsplit(" (", 1)[0]  # options read "label (size)"
    page.locator("#rename-label textarea, #rename-label input").first.fill(NEW_LABEL)
    edit_started = time.monotonic()
    page.locator("#rename-button").click()
    expect(page.locator(".cx-msg-ok").filter(has_text="Renamed")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#themes-table")).to_contain_text(NEW_LABEL)
    assert time.monotonic() - edit_started < 30  # no re-embedding
    others = [o for o in _options(page, "merge-themes") if not o.startswith(NEW_LABEL)]
    assert len(others) >= 3, others
    _choose_many(page, "merge-themes", others[:2])
    page.locator("#merge-label textarea, #merge-label input").first.fill(MERGED_LABEL)
    page.locator("#merge-button").click()
    expect(page.locator(".cx-msg-ok").filter(has_text="Merged 2 themes")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("[data-testid=theme-count]")).to_have_text(str(theme_count - 1))
    deleted = [o for o in _options(page, "delete-theme") if not o.startswith((NEW_LABEL, MERGED_LABEL))][0]
    deleted_label = deleted.rsplit(" (", 1)[0]
    _choose(page, "delete-theme", deleted)
    page.locator("#delete-button").click()
    expect(page.locator(".cx-msg-ok").filter(has_text="deleted")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("[data-testid=theme-count]")).to_have_text(str(theme_count - 2))
    page.screenshot(path=shots / "07_edit.png", full_page=True)
    _tab(page, "Drivers")  # grids in hidden tabs are not fully rendered: look at them shown
    labels = _column(page, "drivers-table", "label")
    assert NEW_LABEL in labels and MERGED_LABEL in labels, labels
    assert old_label not in labels and deleted_label not in labels, labels
    _tab(page, "Themes")
    expect(page.locator("[data-testid=theme-label]")).to_have_text(NEW_LABEL)

    # save the edited themes as a theme model
    _tab(page, "Edit themes")
    page.locator("#save-name textarea, #save-name input").first.fill(MODEL_NAME)
    page.locator("#save-button").click()
    expect(page.locator(".cx-msg-ok").filter(has_text=f"Saved to models/{MODEL_NAME}")).to_be_visible(
        timeout=UI_TIMEOUT_MS)
    assert (app_server.models / MODEL_NAME / "model.json").is_file()

    # export: all four files, with the edits in them
    _tab(page, "Export")
    expect(page.locator("#dl-model")).to_be_visible(timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "08_export.png", full_page=True)
    drivers_csv = pd.read_csv(_download(page, "dl-drivers-csv", tmp_path), encoding="utf-8-sig")
    assert NEW_LABEL in drivers_csv["label"].tolist() and deleted_label not in drivers_csv["label"].tolist()
    assert {"nps_impact", "nps_impact_ci_low", "nps_impact_ci_high"} <= set(drivers_csv.columns)
    drivers = openpyxl.load_workbook(_download(page, "dl-drivers-xlsx", tmp_path), read_only=True)
    assert drivers.sheetnames[0] == "drivers"
    rows = list(drivers["drivers"].iter_rows(values_only=True))
    assert "nps_impact" in rows[0]
    xlsx_labels = [row[rows[0].index("label")] for row in rows[1:]]
    assert NEW_LABEL in xlsx_labels and MERGED_LABEL in xlsx_labels and deleted_label not in xlsx_labels
    assert len(xlsx_labels) == theme_count - 2
    workbook = openpyxl.load_workbook(_download(page, "dl-workbook", tmp_path), read_only=True)
    assert {"drivers", "themes", "assignments", "summary"} <= set(workbook.sheetnames)
    assert NEW_LABEL in [row[1] for row in workbook["drivers"].iter_rows(min_row=2, values_only=True)]
    with zipfile.ZipFile(_download(page, "dl-model", tmp_path)) as archive:
        assert "theme_model/model.json" in archive.namelist()

    # the saved theme model is offered for the next upload; the re-run comes from the embedding cache
    _tab(page, "Upload")
    _upload(page, first)
    _choose(page, "theme-model", MODEL_NAME)
    message = _run(page, "fixture_a.csv")
    assert re.search(r"\(7\d embeddings from the cache\)", message), message
    _tab(page, "Drivers")
    labels = _column(page, "drivers-table", "label")
    assert NEW_LABEL in labels and MERGED_LABEL in labels and deleted_label not in labels, labels
    _no_traceback(page)
    context.close()


def test_every_format_and_clear_messages_for_bad_input(browser, server, small_frame, tmp_path, shots):
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    writers = {"tsv": lambda p: small_frame.to_csv(p, index=False, sep="\t"),
               "xlsx": lambda p: small_frame.to_excel(p, index=False),
               "json": lambda p: small_frame.to_json(p, orient="records", force_ascii=False),
               "jsonl": lambda p: small_frame.to_json(p, orient="records", lines=True, force_ascii=False),
               "parquet": lambda p: small_frame.to_parquet(p, index=False),
               "csv": lambda p: small_frame.to_csv(p, index=False)}
    for suffix, write in writers.items():
        path = tmp_path / f"dump_{suffix}.{suffix}"
        write(path)
        _upload(page, path)
        summary = page.locator(".cx-msg-ok").filter(has_text=path.name)
        expect(summary).to_contain_text(f"56 rows, 6 columns, {suffix.upper()}")
        expect(page.locator("#preview")).to_contain_text("submitted_at")
        expect(page.locator("#role-nps input")).to_have_value("nps")

    # a sound upload, then a mapping that uses one column twice
    _choose(page, "role-ces", "nps")
    assert "mapped twice" in _run_error(page)
    _choose(page, "role-ces", "ces")
    # NPS mapped to the ids: every row would be rejected; the page says why before any embedding
    _choose(page, "role-id", "(none)")
    _choose(page, "role-nps", "response_id")
    error = _run_error(page)
    # (one id is "na", no answer rather than a bad score: none of the other 55 is a score)
    assert "column 'response_id' (nps) holds no score: none of its 55 answers is a number" in error, error
    assert "--nps none" in error, error
    page.screenshot(path=shots / "11_bad_mapping.png", full_page=True)

    # a file without a comment column but with scores: the page says its scores are analysed without themes;
    # with the score set to (none) too, a clear refusal to run
    no_text = tmp_path / "scores_only.csv"
    small_frame[["response_id", "nps"]].to_csv(no_text, index=False)
    _upload(page, no_text, text_column="(none)")
    expect(page.locator(".cx-msg-info").filter(has_text="Run analysis shows the scores")).to_have_count(1)
    _choose(page, "role-nps", "(none)")
    assert "Choose the column that holds the comments" in _run_error(page)

    # unreadable files: a message in the page, never a traceback
    for name, content, expected in (("empty.csv", b"", "empty"), ("broken.xlsx", b"not a workbook", "XLSX"),
                                    ("binary.csv", bytes(range(256)) * 8, "not a text file")):
        path = tmp_path / name
        path.write_bytes(content)
        page.locator("#upload-file input[type=file]").set_input_files(str(path))
        expect(page.locator(".cx-msg-error").filter(has_text=name)).to_contain_text(expected,
                                                                                   timeout=UI_TIMEOUT_MS)
    expect(page.locator("#preview")).to_contain_text("no file yet")
    assert "Upload a file first" in _run_error(page)
    page.screenshot(path=shots / "12_unreadable.png", full_page=True)
    # a type the library does not read is refused by the file picker with a readable notice
    other = tmp_path / "notes.docx"
    other.write_bytes(b"PK\x03\x04 not really a document")
    page.locator("#upload-file input[type=file]").set_input_files(str(other))
    expect(page.get_by_text(re.compile(r"Invalid file type: notes\.docx"))).to_be_visible(timeout=UI_TIMEOUT_MS)
    _no_traceback(page)
    context.close()


def test_two_users_analyse_at_once(browser, server, csv_files, shots):
    _, second, third = csv_files
    (context_a, page_a), (context_b, page_b) = _open(browser, server), _open(browser, server)
    for page in (page_a, page_b):
        _sample_ready(page)
        _tab(page, "Upload")
    _upload(page_a, third)
    _upload(page_b, second)
    since = _now_ms(page_a)
    page_a.locator("#run").click()
    page_b.locator("#run").click()
    for page, name in ((page_a, "fixture_c.csv"), (page_b, "fixture_b.csv")):
        done = page.locator("#run-message .cx-msg-ok, #run-message .cx-msg-error")
        expect(done).to_have_count(1, timeout=RUN_TIMEOUT_MS)
        assert page.locator("#run-message .cx-msg-ok").count() == 1, page.locator("#run-message").inner_text()
        expect(page.locator("#headline")).to_contain_text(name)
    # both ran at the same time: each was embedding or clustering while the other was
    spans = []
    for page in (page_a, page_b):
        times = [p["t"] for p in _stages(page, since)]
        assert times, page.evaluate("window.__progress")
        spans.append((min(times), max(times)))
    (start_a, end_a), (start_b, end_b) = spans
    assert start_a < end_b and start_b < end_a, spans

    expect(page_a.locator("#headline")).to_contain_text("74 rows")
    expect(page_b.locator("#headline")).to_contain_text("36 rows")
    for page, mark, other in ((page_a, "!", "!!"), (page_b, "!!", None)):
        # new texts: only the HTML edge-case row (same in every fixture) may come from the cache
        expect(page.locator("#run-message")).to_contain_text(re.compile(r"\([01] embeddings from the cache\)"))
        themes = int(page.locator("[data-testid=theme-count]").inner_text())
        _tab(page, "Edit themes")
        expect(page.locator("#themes-table").get_by_role("row")).to_have_count(themes + 1)  # + header
        # each page shows its own comments: fixture c ends every text with "!", fixture b with "!!"
        _tab(page, "Themes")
        texts = page.locator("[data-testid=theme-comments] td.cx-text").all_inner_texts()
        texts = [t for t in texts if "<script>" not in t]
        assert texts and all(t.endswith(mark) for t in texts), texts
        if other:
            assert not any(t.endswith(other) for t in texts), texts
        _tab(page, "Overview")
    expect(page_a.locator("[data-testid=rows-analyzed]")).to_have_text("72")  # empty comment, NPS 11
    expect(page_b.locator("[data-testid=rows-analyzed]")).to_have_text("36")
    page_a.screenshot(path=shots / "09_concurrent_a.png", full_page=True)
    page_b.screenshot(path=shots / "10_concurrent_b.png", full_page=True)
    context_a.close()
    context_b.close()


def test_social_only_upload_ranks_by_negative_impact(browser, server, tmp_path, shots):
    """A file of social mentions without any score column: ranked table, sentiment card, activity heatmap."""
    from feedback_data import social_frame

    path = tmp_path / "mentions.csv"
    social_frame().to_csv(path, index=False)
    context, page = _open(browser, server)
    _sample_ready(page)  # the page's sample would otherwise replace the upload when it arrives
    _tab(page, "Upload")
    _upload(page, path)
    expect(page.locator("#role-nps input")).to_have_value("(none)")
    _choose(page, "pipeline", "Social mentions")
    _run(page, "mentions.csv")
    _no_traceback(page)
    _tab(page, "Drivers")
    _technical(page)
    expect(page.locator("#drivers-table")).to_contain_text("sentiment_impact", timeout=UI_TIMEOUT_MS)
    header = [h.strip() for h in _grid_rows(page, "drivers-table")[0]]
    assert {"rank", "label", "negative_share", "net_sentiment", "sentiment_impact"} <= set(header), header
    assert "nps" not in header and "nps_impact" not in header, header  # no scores: no empty NPS columns
    assert "competitor_share" not in header, header  # no competitor list: no column of zeros
    ranks = [int(r) for r in _column(page, "drivers-table", "rank")]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) >= 2
    assert float(_column(page, "drivers-table", "sentiment_impact")[0]) < 0  # the top driver drags sentiment down
    expect(page.locator("#impact-plot")).to_contain_text("sentiment impact", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#drivers-heading")).to_contain_text("drag on net sentiment")
    page.screenshot(path=shots / "15_social_drivers.png", full_page=True)
    _tab(page, "Overview")
    card = page.locator("[data-testid=card-sentiment]")
    expect(card).to_contain_text(re.compile(r"\d+% negative"))
    expect(card).to_contain_text("positive")
    expect(page.locator("[data-testid=card-kinds]")).to_contain_text("complaint")
    expect(page.locator("[data-testid=card-sentiment-nps]")).to_have_count(0)
    page.screenshot(path=shots / "16_social_overview.png", full_page=True)
    _tab(page, "Trends & sources")
    expect(page.locator("#activity-note")).to_contain_text("in UTC", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#activity-plot .js-plotly-plot")).to_be_visible(timeout=UI_TIMEOUT_MS)
    box = page.locator("#activity-timezone textarea, #activity-timezone input").first
    box.fill("Mars/Olympus")
    box.press("Enter")
    expect(page.locator("#activity-note .cx-msg-error")).to_contain_text("Unknown timezone", timeout=UI_TIMEOUT_MS)
    box.fill("Asia/Riyadh")
    box.press("Enter")
    expect(page.locator("#activity-note")).to_contain_text("in Asia/Riyadh", timeout=UI_TIMEOUT_MS)
    page.locator("#activity-plot").scroll_into_view_if_needed()
    page.screenshot(path=shots / "17_social_activity.png", full_page=True)


def _theme_count(page) -> int:
    return int(page.locator("[data-testid=theme-count]").inner_text())


def _edit_done(page, text: str) -> None:
    ok = page.locator("#themes-table ~ * .cx-msg-ok, .cx-msg-ok").filter(has_text=text)
    expect(ok.or_(page.locator(".cx-msg-error")).first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert ok.count() >= 1, page.locator(".cx-msg-error").all_inner_texts()


def test_levels_tree_suggestions_split_and_move(browser, server, csv_files, shots):
    """Issue 10 in the page: drivers per theme or parent, themes under parents, a suggested split applied
    with a click, a split and a move by hand; every view follows."""
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    _upload(page, csv_files[0])
    _run(page, "fixture_a.csv")
    themes = _theme_count(page)
    assert themes >= 4

    # drivers: the level switch shows the same table per parent theme
    theme_labels = _column(page, "drivers-table", "label")
    page.locator("#drivers-level").get_by_text("parent themes").click()
    expect(page.locator("#drivers-table")).to_contain_text("Parent theme drivers", timeout=UI_TIMEOUT_MS)
    parent_labels = _column(page, "drivers-table", "label")
    assert 1 <= len(parent_labels) <= themes and parent_labels != theme_labels, parent_labels
    assert "Drag (NPS points)" in [h.strip() for h in _grid_rows(page, "drivers-table")[0]]
    expect(page.locator("#impact-plot")).to_contain_text("per parent theme", timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "20_drivers_parent_level.png", full_page=True)
    page.locator("#drivers-level").get_by_text("each theme").click()
    expect(page.locator("#drivers-table")).to_contain_text("Theme drivers", timeout=UI_TIMEOUT_MS)
    assert len(_column(page, "drivers-table", "label")) == themes

    # themes: a tree of parents holding every theme
    _tab(page, "Themes")
    expect(page.locator("[data-testid=tree-theme]")).to_have_count(themes, timeout=UI_TIMEOUT_MS)
    expect(page.locator("[data-testid=tree-parent]")).to_have_count(len(parent_labels))
    for label in parent_labels:
        expect(page.locator("[data-testid=theme-tree]")).to_contain_text(label)
    page.screenshot(path=shots / "21_theme_tree.png", full_page=True)

    # suggestions: two complaints merged by hand are suggested for a split; one click applies it
    _tab(page, "Edit themes")
    # two different planted complaints (the app crashing, waiting for support): not two halves of one
    options = _options(page, "merge-themes")
    merged = [next(o for o in options if re.search(pattern, o, re.IGNORECASE))
              for pattern in (r"crash", r"support|call|wait")]
    _choose_many(page, "merge-themes", merged)
    page.locator("#merge-label textarea, #merge-label input").first.fill(MERGED_LABEL)
    page.locator("#merge-button").click()
    _edit_done(page, "Merged 2 themes")
    expect(page.locator("[data-testid=theme-count]")).to_have_text(str(themes - 1))
    page.locator("#suggest-button").click()
    expect(page.locator("#suggestions-table")).to_contain_text("Suggestions (", timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#suggestions-table")).to_contain_text("silhouette")
    page.screenshot(path=shots / "22_suggestions.png", full_page=True)
    pick = [o for o in _options(page, "suggest-pick") if f"split {MERGED_LABEL}" in o]
    assert pick, page.locator("#suggestions-table").inner_text()
    _choose(page, "suggest-pick", pick[0])
    page.locator("#apply-suggestion").click()
    _edit_done(page, "Applied suggestion")
    expect(page.locator("[data-testid=theme-count]")).to_have_text(str(themes))
    expect(page.locator("#themes-table")).not_to_contain_text(MERGED_LABEL)

    # split a theme in two by hand
    _choose(page, "split-theme")
    page.locator("#split-n input").fill("2")
    page.locator("#split-button").click()
    _edit_done(page, "Split into 2 themes")
    expect(page.locator("[data-testid=theme-count]")).to_have_text(str(themes + 1))
    expect(page.locator("#themes-table").get_by_role("row")).to_have_count(themes + 2)  # + header

    # move one comment of the picked theme to another theme: its size grows by one
    _tab(page, "Themes")
    expect(page.locator("[data-testid=tree-theme]")).to_have_count(themes + 1, timeout=UI_TIMEOUT_MS)
    row = page.locator("[data-testid=theme-comments] tbody tr td").first.inner_text().strip()
    current = page.locator("[data-testid=theme-label]").inner_text().strip()
    _tab(page, "Edit themes")
    targets = [o for o in _options(page, "move-to") if not o.startswith(current) and o != "(unthemed)"]
    target_label, target_size = targets[-1].rsplit(" (", 1)
    page.locator("#move-rows textarea, #move-rows input").first.fill(row)
    _choose(page, "move-to", targets[-1])
    page.locator("#move-button").click()
    _edit_done(page, f"Moved 1 comment to {target_label}")
    grown = f"{target_label} ({int(target_size.rstrip(')')) + 1})"
    assert grown in _options(page, "move-to"), _options(page, "move-to")
    page.screenshot(path=shots / "23_split_move.png", full_page=True)
    _tab(page, "Drivers")
    assert len(_column(page, "drivers-table", "label")) == themes + 1
    _no_traceback(page)
    context.close()


def test_taxonomy_upload_names_themes(browser, server, csv_files, shots, tmp_path):
    """A team's own taxonomy: its themes come out under their names, marked as such."""
    taxonomy = tmp_path / "our_themes.csv"
    taxonomy.write_text("theme,description,examples\n"
                        "Double billing,charged twice for one thing,I was charged twice|double charge on my card\n"
                        "Support wait,waiting for customer support,I waited an hour on hold|nobody answers\n",
                        encoding="utf-8")
    broken = tmp_path / "broken_taxonomy.csv"
    broken.write_text("name,notes\nx,y\n", encoding="utf-8")
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    _upload(page, csv_files[0])
    page.locator("#taxonomy-file input[type=file]").set_input_files(str(broken))
    expect(page.locator("#taxonomy-message .cx-msg-error")).to_contain_text("broken_taxonomy.csv",
                                                                           timeout=UI_TIMEOUT_MS)
    page.locator("#taxonomy-file input[type=file]").set_input_files(str(taxonomy))
    expect(page.locator("#taxonomy-message .cx-msg-ok")).to_contain_text(
        "2 themes (Double billing, Support wait)", timeout=UI_TIMEOUT_MS)
    page.locator("#taxonomy-rule").get_by_text("Whole discovered themes").click()  # what a small dump gets anyway
    page.screenshot(path=shots / "24_taxonomy_upload.png", full_page=True)
    _run(page, "fixture_a.csv")
    labels = _column(page, "drivers-table", "label")
    assert {"Double billing", "Support wait"} <= set(labels), labels
    _tab(page, "Themes")
    expect(page.locator("[data-testid=origin-taxonomy]")).to_have_count(2, timeout=UI_TIMEOUT_MS)
    expect(page.locator("[data-testid=theme-tree]")).to_contain_text("Double billing")
    _tab(page, "Edit themes")
    origins = dict(zip(_column(page, "themes-table", "label"), _column(page, "themes-table", "origin")))
    assert origins["Double billing"] == "taxonomy" and origins["Support wait"] == "taxonomy", origins
    assert "discovered" in origins.values(), origins
    page.screenshot(path=shots / "25_taxonomy_themes.png", full_page=True)
    _no_traceback(page)
    context.close()


REAL_EXPORTS = ROOT / "tests" / "fixtures" / "real_exports"


def test_public_exports_are_mapped_with_reasons_and_ranked_by_their_own_score(browser, server, shots):
    """Two public exports nobody here wrote (tests/fixtures/real_exports): a Google Play review export whose
    stars become a rating (never NPS) and rank the drivers, and an NPS store survey whose two "why" columns
    are both taken as comments; the page says why it chose each column."""
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    play = REAL_EXPORTS / "ethiopian_bank_play_reviews_59.csv"
    _upload(page, play, text_column="review_text")
    expect(page.locator("#role-rating input")).to_have_value("rating", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#role-nps input")).to_have_value("(none)")
    reasons = page.locator("#mapping-reasons")
    expect(reasons).to_contain_text("Why these columns", timeout=UI_TIMEOUT_MS)
    expect(reasons).to_contain_text("rating <- rating")
    page.screenshot(path=shots / "26_public_export_mapping.png", full_page=True)
    _run(page, play.name)
    _tab(page, "Drivers")
    page.get_by_text("What the columns mean").click()
    expect(page.locator("#drivers-notes")).to_contain_text("ranked by their drag on the average rating",
                                                           timeout=UI_TIMEOUT_MS)
    assert "Mean rating" in [h.strip() for h in _grid_rows(page, "drivers-table")[0]]
    page.screenshot(path=shots / "27_public_export_rating_drivers.png", full_page=True)

    _tab(page, "Upload")
    survey = REAL_EXPORTS / "cbsco_store_nps.csv"
    _upload(page, survey, text_column="If you wouldn't, why?")
    expect(page.locator("#role-extra-text")).to_contain_text("If you would, why?", timeout=UI_TIMEOUT_MS)
    expect(page.locator("#mapping-reasons")).to_contain_text("2 free-text columns")
    message = _run(page, survey.name)
    assert "24" in message, message
    _no_traceback(page)
    context.close()


def test_mentions_box_themes_long_reviews_per_mention_and_quotes_them_in_their_comment(browser, server, shots):
    """Issue 23: a public review export with the 'Theme each mention' box ticked; a theme's quotes show the
    mention marked inside its review."""
    context, page = _open(browser, server)
    _sample_ready(page)
    _tab(page, "Upload")
    play = REAL_EXPORTS / "ethiopian_bank_play_reviews_59.csv"
    _upload(page, play, text_column="review_text")
    page.locator("#mentions input[type=checkbox]").check()
    _run(page, play.name)
    _no_traceback(page)
    _tab(page, "Themes")
    marked = 0
    for option in _options(page, "theme-picker"):
        _choose(page, "theme-picker", option)
        expect(page.locator("[data-testid=theme-label]")).to_have_text(option.rsplit(" (", 1)[0],
                                                                        timeout=UI_TIMEOUT_MS)
        marked = page.locator("[data-testid=quotes] .cx-mention").count()
        if marked:
            break
    assert marked, "no theme quotes a mention inside its review"
    quote = page.locator("[data-testid=quotes] blockquote").filter(has=page.locator(".cx-mention")).first
    mention = quote.locator(".cx-mention").inner_text().strip()
    assert len(quote.inner_text().strip()) > len(mention) > 0  # the review around it is shown
    page.screenshot(path=shots / "30_mention_in_its_review.png", full_page=True)
    context.close()
