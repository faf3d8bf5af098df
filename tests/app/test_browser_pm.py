"""Issue 24 in headless Chromium: the app as a product manager reads it, on three public exports.

tests/fixtures/real_exports/ (see ATTRIBUTION.md there): Google Play reviews of Ethiopian bank apps (1-5
stars: a rating), a store NPS survey (0-10, two "why" columns) and the Sudzilla Google Forms NPS survey;
and the bank reviews' stars turned into a 2.5-10 review score mapped as NPS, the mistake the warnings are for.
Each point of the issue is checked where a reader sees it. Screenshots go to a temporary folder (printed,
never committed); those of the driver table at 1,280 and 1,024 px to test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from app_server import ROOT, Server
from test_browser import (  # noqa: F401 - the shared browser helpers (skips without chromium/playwright)
    CHROMIUM,
    CHROMIUM_ARGS,
    RUN_TIMEOUT_MS,
    UI_TIMEOUT_MS,
    _choose,
    _download,
    _grid_rows,
    _no_traceback,
    _open,
    _tab,
    expect,
    sync_api,
)

pytestmark = pytest.mark.browser
EXPORTS = ROOT / "tests" / "fixtures" / "real_exports"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
NARROW_WIDTHS = (1280, 1024)  # a laptop and a small screen: the plain driver table fits both without a scrollbar

# How the driver grid sits in its page: the table against its scrolling viewport, every header's text against its
# cell, the page against the window.
_FIT = """() => {
  const root = document.querySelector('#drivers-table');
  const viewport = root.querySelector('.virtual-table-viewport') || root;
  const table = root.querySelector('table');
  const right = viewport.getBoundingClientRect().right + 1;
  const cut = [...root.querySelectorAll('th[role=columnheader]')].filter(th => {
      const text = th.querySelector('span.header') || th;
      return th.getBoundingClientRect().right > right || text.scrollWidth > text.clientWidth + 1; })
    .map(th => th.innerText.trim());
  return {table: Math.ceil(table.getBoundingClientRect().width), scroll: viewport.scrollWidth,
          client: viewport.clientWidth, page: document.documentElement.scrollWidth,
          window: document.documentElement.clientWidth, cut};
}"""


@pytest.fixture(scope="module")
def pm_server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("pm-server"), "--no-sample")
    server.wait_until_up()
    yield server.url
    text = server.stop()
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pm-screenshots")
    print(f"\nissue 24 screenshots: {folder}")
    return folder


def _upload(page, path) -> None:
    page.locator("#upload-file input[type=file]").set_input_files(str(path))
    expect(page.locator(".cx-msg").filter(has_text=path.name).first).to_be_visible(timeout=UI_TIMEOUT_MS)


def _run(page, name: str) -> tuple[str, str]:
    """Press Run and wait for its message; returns (kind, text): ok or warn (an error fails the test)."""
    page.locator("#run").click()
    done = page.locator("#run-message .cx-msg-ok, #run-message .cx-msg-warn, #run-message .cx-msg-error")
    expect(done).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    text = page.locator("#run-message").inner_text()
    assert page.locator("#run-message .cx-msg-error").count() == 0, text
    expect(page.locator("#headline")).to_contain_text(name, timeout=UI_TIMEOUT_MS)
    return ("warn" if page.locator("#run-message .cx-msg-warn").count() else "ok"), text


def _header(page) -> list[str]:
    return [h.strip() for h in _grid_rows(page, "drivers-table")[0]]


def _check_drivers(page, title: str, drag: str) -> None:
    """Points 2 and 4 on the Drivers tab: the outcome's title, the fix-first box, plain columns, the toggle."""
    _tab(page, "Drivers")
    expect(page.locator("#drivers-heading")).to_contain_text(title, timeout=UI_TIMEOUT_MS)
    items = page.locator("#fix-first-box [data-testid=fix-first-item]")
    expect(items.first).to_be_visible(timeout=UI_TIMEOUT_MS)
    assert 1 <= items.count() <= 3
    for text in items.all_inner_texts():
        assert re.search(r"\d+ comments", text) and drag in text, text
    header = _header(page)
    assert header[:2] == ["#", "Theme"] and "Comments" in header and "Share of themed (%)" in header, header
    assert not [h for h in header if "_" in h], header  # no raw library names, no theme_id
    assert page.locator("#drivers-table").bounding_box()["width"] <= 1400
    expect(page.locator("#impact-plot .js-plotly-plot")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("#impact-plot")).to_contain_text(title, timeout=UI_TIMEOUT_MS)
    page.locator("#drivers-technical input").check()
    expect(page.locator("#drivers-table")).to_contain_text("theme_id", timeout=UI_TIMEOUT_MS)
    page.locator("#drivers-technical input").uncheck()
    expect(page.locator("#drivers-table")).not_to_contain_text("theme_id", timeout=UI_TIMEOUT_MS)


def _check_fits(page, stem: str) -> None:
    """Point 4: the plain driver table fits the page at 1,280 and 1,024 px: no horizontal scrolling in the grid
    or the page, no header cut; a screenshot of each goes to test-artifacts/screenshots/."""
    expect(page.locator("#drivers-table [role=columnheader]").filter(has_text="Share of themed")).to_have_count(
        1, timeout=UI_TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in NARROW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        for _ in range(20):  # the grid lays out again after the resize
            page.wait_for_timeout(250)
            fit = page.evaluate(_FIT)
            if fit["table"] <= fit["client"] and not fit["cut"]:
                break
        assert fit["scroll"] <= fit["client"] and fit["table"] <= fit["client"], (width, fit)
        assert fit["page"] <= fit["window"], (width, fit)
        assert not fit["cut"], (width, fit)
        page.locator("#drivers-table").screenshot(path=ARTIFACTS / f"pm_drivers_{stem}_{width}px.png")
    page.set_viewport_size({"width": 1400, "height": 1000})


def _check_counts(page) -> None:
    """Point 1: the picker, the detail and the pager give a theme the same count, for the first two themes."""
    _tab(page, "Themes")
    for option in range(2):
        page.locator("#theme-picker input").click()
        choice = page.get_by_role("option").nth(option)
        picked = choice.inner_text().strip().lstrip("✓").strip()
        choice.click()
        count = re.search(r"\((\d+)\)$", picked).group(1)
        expect(page.locator("[data-testid=theme-comments-count]")).to_have_text(count, timeout=UI_TIMEOUT_MS)
        expect(page.locator("#page-label")).to_contain_text(f"of {count} ·", timeout=UI_TIMEOUT_MS)


def test_three_public_exports_read_as_a_product_manager_reads_them(browser, pm_server, shots, tmp_path):
    context, page = _open(browser, pm_server)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # 1. Google Play reviews: 1-5 stars detected as a rating, so everything is about low ratings
    bank = EXPORTS / "ethiopian_bank_play_reviews_59.csv"
    _tab(page, "Upload")
    _upload(page, bank)
    expect(page.locator("#role-rating input")).to_have_value("rating", timeout=UI_TIMEOUT_MS)
    kind, _ = _run(page, bank.name)
    assert kind == "ok"
    _check_drivers(page, "What drives low ratings", "rating points")
    _check_fits(page, "bank_rating")
    expect(page.locator("#ces-plot")).to_be_hidden()  # no CES: no empty "map a CES column" panel
    expect(page.locator("#scatter-plot")).to_contain_text("mean rating", timeout=UI_TIMEOUT_MS)
    page.get_by_text("What the columns mean").click()
    expect(page.locator("#drivers-notes")).not_to_contain_text("CES")
    page.screenshot(path=shots / "01_bank_drivers.png", full_page=True)
    _check_counts(page)
    expect(page.locator("#theme-histogram")).to_contain_text("Rating answers", timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "02_bank_themes.png", full_page=True)
    _tab(page, "Overview")
    languages = page.locator("[data-testid=card-languages]").inner_text()
    assert " 0%" not in languages, languages  # stray language guesses are grouped as "other"
    page.screenshot(path=shots / "03_bank_overview.png", full_page=True)
    _tab(page, "Export")
    report = _download(page, "dl-report-html", tmp_path).read_text(encoding="utf-8")
    assert "<h1>What drives low ratings</h1>" in report and "ordered by volume" not in report

    # 5. a new upload labels the previous analysis as the previous file's
    store = EXPORTS / "cbsco_store_nps.csv"
    _tab(page, "Upload")
    _upload(page, store)
    expect(page.locator("[data-testid=stale-analysis]")).to_contain_text(bank.name, timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "04_new_upload_labelled.png", full_page=True)

    # 2. a store NPS survey: judged by NPS, no warning
    kind, _ = _run(page, store.name)
    assert kind == "ok"
    expect(page.locator("[data-testid=stale-analysis]")).to_have_count(0)
    _check_drivers(page, "What drives detractors", "NPS points")
    _check_fits(page, "store_nps")
    page.screenshot(path=shots / "05_store_drivers.png", full_page=True)
    _check_counts(page)

    # 3. the Sudzilla Google Forms survey: its 0-10 "how would you rate Sudzilla?" is read as a rating; the
    # user maps it as NPS, and the page follows
    sudzilla = EXPORTS / "sudzilla_google_forms_nps.csv"
    _tab(page, "Upload")
    _upload(page, sudzilla)
    question = "On a scale of 0-10, how would you rate Sudzilla?"
    _choose(page, "role-rating", "(none)")
    _choose(page, "role-nps", question)
    kind, _ = _run(page, sudzilla.name)
    _check_drivers(page, "What drives detractors", "NPS points")
    page.screenshot(path=shots / "06_sudzilla_drivers.png", full_page=True)
    _check_counts(page)

    # 3. warnings, not ticks: the bank reviews' stars as a 2.5-10 review score, mapped as NPS
    frame = pd.read_csv(bank)
    frame["score"] = [r * 2 - (0.5 if i % 3 else 0) for i, r in enumerate(frame["rating"])]
    review = tmp_path / "bank_review_scores.csv"
    frame[["review_text", "score", "review_date"]].to_csv(review, index=False)
    _tab(page, "Upload")
    _upload(page, review)
    _choose(page, "role-nps", "score")
    if page.locator("#role-rating input").input_value() != "(none)":
        _choose(page, "role-rating", "(none)")
    kind, message = _run(page, review.name)
    kept = sum(1 for i in range(len(frame)) if i % 3 == 0)
    assert kind == "warn" and "map it as a rating" in message, message
    expect(page.locator("#headline")).to_contain_text(f"(on {kept} of {len(frame)} rows)")
    expect(page.locator("[data-testid=headline-warnings]")).to_be_visible()
    page.screenshot(path=shots / "07_review_score_as_nps_upload.png", full_page=True)
    _tab(page, "Drivers")
    expect(page.locator("#fix-first-box [data-testid=data-warning]").first).to_contain_text("map it as a rating")
    _tab(page, "Overview")
    expect(page.locator("#overview [data-testid=data-warning]").first).to_contain_text(
        f"{len(frame) - kept} of the {len(frame)} rows")
    page.screenshot(path=shots / "08_review_score_as_nps_overview.png", full_page=True)
    _no_traceback(page)
    context.close()


def test_a_public_export_cut_short_is_read_and_the_overview_says_which_line_was_not(browser, pm_server, shots):
    """The CFPB complaints export whose stored copy stops inside a quoted narrative (tests/fixtures/real_exports):
    the app reads its whole rows, maps the narrative as the comment, and warns, naming the unfinished line."""
    cfpb = EXPORTS / "cfpb_complaints_cut_short.csv"
    context, page = _open(browser, pm_server)
    _tab(page, "Upload")
    _upload(page, cfpb)
    expect(page.locator("#role-text input")).to_have_value("Consumer complaint narrative", timeout=UI_TIMEOUT_MS)
    kind, message = _run(page, cfpb.name)
    assert kind == "warn" and "ends in the middle of a row" in message, message
    _tab(page, "Overview")
    warning = page.locator("#overview [data-testid=data-warning]").filter(has_text="ends in the middle of a row")
    expect(warning).to_contain_text("the 100 rows above it were", timeout=UI_TIMEOUT_MS)
    page.screenshot(path=shots / "09_cut_short_export_overview.png", full_page=True)
    _no_traceback(page)
    context.close()
