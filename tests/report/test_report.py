"""report.html and report.pptx, from a real analysis and from a written analysis folder.

The HTML is opened in headless Chromium (/usr/bin/chromium; never a
downloaded browser) with every request routed to a handler that aborts
anything but the report file itself, so a report that reached for a font, a
script or an image on the network would fail here. Screenshots and a printed
PDF go to test-artifacts/screenshots/ (git-ignored), beside the app's.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import cxtext
from cxtext import report
from cxtext.drivers import driver_table
from cxtext.errors import InputError
from cxtext.metrics import nps as nps_metric

from feedback import COMPLAINTS as SHARED_COMPLAINTS

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

MARKUP = "</script><b>bold</b><img src=\"http://example.invalid/x.png\"> & <style>body{display:none}</style>"
ARABIC = "التطبيق يتوقف ويغلق بعد التحديث الأخير"


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_offline(browser, path: Path):
    """Open ``path`` with all network blocked; returns (page, requested URLs)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    page = context.new_page()
    requested: list[str] = []
    file_url = path.resolve().as_uri()

    def handle(route):
        requested.append(route.request.url)
        if route.request.url == file_url:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)
    page.goto(file_url)
    page.wait_for_load_state("load")
    return page, requested, file_url


def text_of(value: str) -> str:
    return " ".join(str(value).split())


# --------------------------------------------------------------------------- a small hand-made analysis (no model)


@pytest.fixture(scope="module")
def handmade() -> report.ReportData:
    """Three themes on 60 scored rows; labels and quotes hold markup and Arabic."""
    rng = np.random.default_rng(0)
    theme_id = np.repeat([0, 1, 2, -1], [20, 15, 15, 10])
    scores = np.concatenate([rng.integers(0, 4, 20), rng.integers(6, 9, 15), rng.integers(9, 11, 15),
                             rng.integers(0, 11, 10)])
    records = pd.DataFrame({"theme_id": theme_id, "theme_ids": [str(t) if t >= 0 else "" for t in theme_id],
                            "nps": pd.array(scores, dtype="Int64"), "scores_valid": True, "status": "analyzed"})
    themes = pd.DataFrame({
        "theme_id": [0, 1, 2],
        "label": [f"refunds {MARKUP}", "التطبيق · update", "friendly staff"],
        "keywords": [["refund", "<i>money</i>"], ["التطبيق", "update"], ["friendly"]],
        "size": [20, 15, 15], "share": [0.4, 0.3, 0.3],
        "languages": ["en 100%", "ar 60%, en 40%", "en 100%"],
        "quotes": [[f"Still no refund {MARKUP}", "Refund took two months", "Where is my money back?"],
                   [ARABIC, "The app crashes after the update"], ["Friendly staff in the shop"]],
    })
    drivers = driver_table(records, themes[["theme_id", "label"]])
    summary = {"rows_in": 62, "rows_analyzed": 60, "rows_rejected": 2, "theme_count": 3,
               "rejection_reasons": {f"NPS '{MARKUP}' is not a number on 0-10": 2},
               "input": {"name": "<i>export</i>.csv"}, "mapping": {"text": "comment", "nps": "nps"},
               "nps": {"n": 60, "nps": nps_metric(pd.Series(scores)).nps, "ci_low": -20.0, "ci_high": 10.0},
               "unthemed_share": 10 / 60, "rows_themed": 50, "rows_unthemed": 10, "rows_no_comment": 0}
    return report.ReportData(summary=summary, themes=report.themes_frame(themes), drivers=drivers,
                             counts={"Sentiment": {"negative": 35, "positive": 15}})


def test_markup_in_comments_and_labels_is_escaped(handmade, tmp_path):
    page_html = report.render_html(handmade)
    assert MARKUP not in page_html
    assert "<b>bold</b>" not in page_html and "<i>" not in page_html
    assert html_escaped(MARKUP) in page_html
    # the only tags are the report's own: no script, no external reference of any kind
    assert "<script" not in page_html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page_html, re.I)
    assert "Content-Security-Policy" in page_html


def html_escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_handmade_report_renders_offline_and_shows_markup_as_text(handmade, browser, tmp_path):
    path = report.write_html(handmade, tmp_path / "report.html")
    page, requested, file_url = open_offline(browser, path)
    try:
        assert requested == [file_url]
        cards = page.locator("#themes article")
        assert cards.count() == 3
        top = handmade.ranked().iloc[0]
        assert top["theme_id"] == 0  # the all-detractor theme drives
        first = cards.first
        assert text_of(MARKUP) in text_of(first.locator("h3").inner_text())
        quotes = [text_of(q) for q in first.locator("blockquote").all_inner_texts()]
        assert text_of(f"Still no refund {MARKUP}") in quotes
        # markup became text, not elements
        assert page.locator("main b:text-is('bold'), main img[src^='http']").count() == 0
        assert page.locator("main style").count() == 0
        assert "Sentiment: negative 35 (70%), positive 15 (30%)" in page.locator("#overview").inner_text()
        # the Arabic quote reads right to left, the English ones left to right
        arabic = page.locator("blockquote", has_text=ARABIC)
        assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
        english = page.locator("blockquote", has_text="Refund took two months")
        assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
        # every chart is drawn from inline data
        sizes = page.locator("img").evaluate_all("imgs => imgs.map(i => [i.src.slice(0, 5), i.naturalWidth])")
        assert sizes and all(src == "data:" and width > 0 for src, width in sizes)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "report_markup.png", full_page=True)
    finally:
        page.context.close()


def test_handmade_deck_has_a_picture_on_every_chart_slide(handmade, tmp_path):
    path = report.write_pptx(handmade, tmp_path / "report.pptx")
    deck = Presentation(str(path))
    titles = [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in deck.slides]
    # title, overview, driver chart, 3 drivers, methods (no dates: no trend slide)
    assert len(titles) == 7, titles
    chart = deck.slides[2]
    assert titles[2].startswith("Drivers")
    assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in chart.shapes)
    assert "refunds </script><b>bold</b>" in titles[3]  # stored as text in the deck, not markup
    arabic_slide = deck.slides[titles.index(next(t for t in titles if "التطبيق" in t))]
    rtl = [p for shape in arabic_slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs
           if ARABIC in p.text]
    assert rtl and rtl[0]._p.pPr.get("rtl") == "1"


def test_score_less_feedback_ranks_by_volume(handmade):
    records = pd.DataFrame({"theme_id": [0] * 12 + [1] * 5, "theme_ids": ["0"] * 12 + ["1"] * 5,
                            "status": "analyzed", "scores_valid": False})
    themes = handmade.themes.iloc[[2, 1]].assign(theme_id=[0, 1])
    data = report.ReportData(summary={"rows_in": 17, "rows_analyzed": 17, "rows_rejected": 0, "nps": None},
                             themes=themes, drivers=driver_table(records, themes[["theme_id", "label"]]))
    assert not data.has_nps
    assert data.ranked()["theme_id"].tolist() == [0, 1]
    text = report.render_html(data)
    assert "ordered by volume" in text and "Themes by volume" in report.driver_chart(data).decode()
    assert "NPS impact" not in "".join(term for term, _ in report.how_to_read(data))
    assert "NPS impact (95% CI)" not in text


def test_formats_and_folders_are_checked(tmp_path):
    with pytest.raises(InputError, match="html or pptx"):
        report.write_report(report.ReportData({}, pd.DataFrame(), pd.DataFrame()), tmp_path, ["pdf"])
    with pytest.raises(InputError, match="summary.json"):
        report.report_from_dir(tmp_path, "html")
    with pytest.raises(InputError, match="not a folder"):
        report.report_from_dir(tmp_path / "nowhere", "html")


def test_number_formatting():
    assert report.fmt_num(-9.72) == "\u22129.7"
    assert report.fmt_num(6.77, 1, sign=True) == "+6.8"
    assert report.fmt_num(float("nan")) == "\u2013"
    assert report.fmt_ci(-11.9, -7.5) == "\u221211.9 to \u22127.5"
    assert report.is_rtl(ARABIC) and report.is_rtl("  «" + ARABIC) and not report.is_rtl("The app " + ARABIC)


# --------------------------------------------------------------------------- a real analysis (model)

COMPLAINTS = {
    "crash": SHARED_COMPLAINTS["crash"],
    "billing": SHARED_COMPLAINTS["billing"],
    "praise": [
        "Great support, the agent solved my problem fast", "Friendly staff in the shop, thank you",
        "Very helpful customer service, quick answer", "The agent was patient and kind",
        "Support fixed everything in minutes, great job", "Excellent service from the team",
        "خدمة العملاء ممتازة وحلوا مشكلتي بسرعة", "الموظف كان محترم وساعدني",
        "Suport excelent, mi-au rezolvat problema repede", "Personal foarte amabil în magazin",
    ],
}
SCORES = {"crash": 5, "billing": 0, "praise": 9}


@pytest.fixture(scope="module")
def dump() -> pd.DataFrame:
    rows = []
    months = ["2026-04-10", "2026-05-12", "2026-06-14"]
    for theme, texts in COMPLAINTS.items():
        for index, text in enumerate(texts):
            score = SCORES[theme] + (index % 2 if theme != "crash" else index % 3)
            rows.append({"id": f"{theme}-{index}", "comment": text, "nps": min(score, 10),
                         "ces": 2 if theme == "billing" else 5, "channel": ("web", "app")[index % 2],
                         "date": months[index % 3]})
    rows += [
        {"id": "markup", "comment": f"Charged twice {MARKUP}", "nps": 1, "ces": 1, "channel": "web",
         "date": months[2]},
        {"id": "mail", "comment": "I was charged twice, write to jane.doe@example.com", "nps": 2, "ces": 2,
         "channel": "app", "date": months[1]},
        {"id": "bad", "comment": "fine", "nps": "11", "ces": 5, "channel": "web", "date": months[0]},
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def analysis(dump, tmp_path_factory):
    cache = tmp_path_factory.mktemp("report-cache") / "embeddings.sqlite"
    return cxtext.analyze(dump, min_theme_size=4, seed=0, cache_path=cache, ces_scale="1-7",
                          ces_easy_end="high")


@pytest.fixture(scope="module")
def written(analysis, tmp_path_factory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("report")
    return folder, report.write_report(analysis, folder, ["html", "pptx"])


@pytest.mark.model
def test_report_html_offline_with_the_top_driver_and_its_quotes(analysis, written, browser):
    folder, files = written
    html_path = folder / report.HTML_NAME
    assert html_path in files
    page, requested, file_url = open_offline(browser, html_path)
    try:
        assert requested == [file_url], f"the report asked for {requested}"
        top = analysis.drivers.sort_values("rank").iloc[0]
        quotes = analysis.themes.set_index("theme_id").loc[top["theme_id"], "quotes"]
        assert top["nps_impact"] < 0 and len(quotes) >= 3
        card = page.locator("#themes article").first
        assert card.is_visible()
        assert text_of(top["label"]) in text_of(card.locator("h3").inner_text())
        shown = [text_of(q) for q in card.locator("blockquote").all_inner_texts()]
        assert shown == [text_of(q) for q in quotes[:report.HTML_QUOTES]]
        for quote in card.locator("blockquote").all():
            direction = quote.evaluate("e => getComputedStyle(e).direction")
            assert direction == ("rtl" if report.is_rtl(quote.inner_text()) else "ltr")
        body = page.locator("main").inner_text()
        for heading in ("Drivers", "Trends by month", "Sources side by side", "How to read this", "Methods"):
            assert heading in body
        assert "NPS impact" in body and "negative" in body.lower()
        # the markup comment is text, the e-mail address was masked before anything was written
        assert page.locator("main b:text-is('bold')").count() == 0
        assert "jane.doe@example.com" not in html_path.read_text(encoding="utf-8")
        widths = page.locator("img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 2 and min(widths) > 0  # driver chart and trend chart
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "report.png", full_page=True)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        (SHOTS / "report_print.pdf").write_bytes(pdf)
    finally:
        page.context.close()


@pytest.mark.model
def test_report_html_escapes_and_holds_no_external_reference(analysis, written):
    text = (written[0] / report.HTML_NAME).read_text(encoding="utf-8")
    assert MARKUP not in text and "<b>bold" not in text
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, re.I)
    assert len(text.encode("utf-8")) < 500_000


@pytest.mark.model
def test_report_pptx_slides_and_pictures(analysis, written):
    deck = Presentation(str(written[0] / report.PPTX_NAME))
    slides = list(deck.slides)
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in slides]
    n_drivers = min(report.DECK_DRIVERS, len(analysis.drivers))
    # title, overview, driver chart, one per top driver, trend chart (dates mapped), methods
    assert len(slides) == 4 + n_drivers + 1, titles
    assert titles[0] == "What drives detractors" and titles[1] == "Overview"
    assert titles[-1].startswith("How to read this")
    chart_slides = [s for s, t in zip(slides, titles) if t.startswith(("Drivers", "Trends"))]
    assert len(chart_slides) == 2
    for slide in chart_slides:
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.format == "PNG" and image.width > 600
    top = analysis.drivers.sort_values("rank").iloc[0]
    driver_slide = slides[3]
    assert top["label"][:60] in titles[3]
    texts = " ".join(shape.text_frame.text for shape in driver_slide.shapes if shape.has_text_frame)
    quotes = analysis.themes.set_index("theme_id").loc[top["theme_id"], "quotes"]
    for quote in quotes[:report.DECK_QUOTES]:
        assert text_of(quote)[:80] in text_of(texts)
    assert "NPS impact" in texts


@pytest.mark.model
def test_report_from_a_written_analysis_folder_matches(analysis, tmp_path):
    analysis.write(tmp_path)
    files = report.report_from_dir(tmp_path, ["html", "pptx"])
    assert [f.name for f in files] == [report.HTML_NAME, report.PPTX_NAME]
    from_dir = report.ReportData.from_dir(tmp_path)
    direct = report.ReportData.from_analysis(analysis)
    assert from_dir.ranked()["label"].tolist() == direct.ranked()["label"].tolist()
    assert from_dir.ranked()["quotes"].tolist() == direct.ranked()["quotes"].tolist()
    assert from_dir.trend is not None and len(from_dir.trend) == len(direct.trend)
    html_text = files[0].read_text(encoding="utf-8")
    assert "Trends by month" in html_text and MARKUP not in html_text
    # without drivers_by_source.csv the folder report says how to get the comparison
    assert "--by source" in html_text
    assert len(Presentation(str(files[1])).slides) >= 5



def test_languages_under_a_floor_are_grouped_as_other() -> None:
    """Issue 24: "14 languages: en 90%, und 9%, es 0%, pcm 0%..." for an English file reads en, undetermined, other."""
    from cxtext.report.fmt import language_shares

    languages = {"en": 450, "und": 45, "es": 2, "pcm": 1, "fy": 1, "sl": 1}
    shares = language_shares(languages)
    assert [(name, count) for name, count, _ in shares] == [("en", 450), ("undetermined", 45), ("other", 5)]
    assert sum(share for _, _, share in shares) == pytest.approx(1.0)
    assert language_shares({"ar": 2, "en": 2}) == [("other", 4, 1.0)]  # too few comments to name a language


def test_the_report_opens_with_what_to_fix_first(handmade):
    """The same "fix first" items as the app's Drivers tab: the biggest drag first, its size, its drag with the
    interval and a quote; the theme that lifts NPS is not among them."""
    import html as html_module

    page_html = report.render_html(handmade)
    block = page_html[page_html.index('id="fix-first"'):]
    block = html_module.unescape(block[:block.index("</div>")])
    assert "Fix first" in block
    assert f"1. refunds {MARKUP}" in block and "20 comments" in block and "40% of themed comments" in block
    assert "drag on NPS: " in block and "Still no refund" in block
    assert "friendly staff" not in block
    assert page_html.index('id="fix-first"') < page_html.index('id="drivers"')


# --------------------------------------------------------------------------- a public export with ratings, no NPS

REAL_EXPORTS = ROOT / "tests" / "fixtures" / "real_exports"


@pytest.fixture(scope="module")
def rated_export(tmp_path_factory) -> "cxtext.Analysis":
    """59 Google Play reviews of Ethiopian bank apps (tests/fixtures/real_exports, ATTRIBUTION.md there):
    1-5 stars mapped as a rating, no NPS column."""
    cache = tmp_path_factory.mktemp("rated-cache") / "embeddings.sqlite"
    return cxtext.analyze(REAL_EXPORTS / "ethiopian_bank_play_reviews_59.csv", text="review_text",
                          rating="rating", date="review_date", seed=0, cache_path=cache)


@pytest.mark.model
def test_deck_of_a_rated_export_without_nps_names_low_ratings(rated_export, tmp_path):
    """Issue 24: report.pptx speaks of the file's own outcome like report.html: "What drives low ratings",
    never "What drives detractors" or "NPS impact" for a file without NPS."""
    data = report.ReportData.from_analysis(rated_export)
    assert data.outcome.key == "rating" and not data.has_nps
    path = report.write_pptx(rated_export, tmp_path / report.PPTX_NAME)
    deck = Presentation(str(path))
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]
    assert titles[0] == "What drives low ratings" == data.outcome.title
    assert titles[0] in report.render_html(rated_export)  # the same title as the HTML report's
    chart_titles = [t for t in titles if t.startswith("What drives low ratings:")]
    assert chart_titles == ["What drives low ratings: drag on the average rating per theme"], titles
    every_text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                          if shape.has_text_frame)
    for wrong in ("detractor", "NPS impact", "Theme NPS", "What drives detractors"):
        assert wrong not in every_text, wrong
    # each driver slide gives the theme's drag on the average rating with its interval
    ranked = data.ranked()
    first_driver = deck.slides[titles.index(next(t for t in titles if t.startswith("#1 ")))]
    driver_text = " ".join(shape.text_frame.text for shape in first_driver.shapes if shape.has_text_frame)
    assert "Drag on the average rating" in driver_text and "rating points" in driver_text
    assert str(ranked.iloc[0]["label"])[:60] in titles[titles.index(next(t for t in titles if t.startswith("#1 ")))]
