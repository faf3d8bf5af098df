"""Issue 24: the app as a product manager reads it, on public exports (tests/fixtures/real_exports/).

Each test runs the page's own helpers on an analysis of a real file and checks the numbers a reader sees.
"""

from __future__ import annotations

import re

import pytest

from app import adapters
from app_server import ROOT

EXPORTS = ROOT / "tests" / "fixtures" / "real_exports"


def _analyse(name: str, roles: dict, cache_dir, **kwargs):
    table = adapters.read_upload(EXPORTS / name)
    full = {role: None for role in ("text", "nps", "ces", "csat", "rating", "date", "source", "segment", "id")}
    full.update(roles)
    with pytest.MonkeyPatch.context() as patch:  # module scope: keep the cache out of the user's folder
        patch.setenv("CXTEXT_CACHE_DIR", str(cache_dir))
        patch.setenv("CXTEXT_DATA_DIR", str(cache_dir / "data"))
        return adapters.run_analysis(table, full, **kwargs)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def bank_csat(cache_dir):
    """59 Google Play reviews of Ethiopian bank apps, their 1-5 stars mapped as CSAT, no NPS."""
    return _analyse("ethiopian_bank_play_reviews_59.csv",
                    {"text": "review_text", "csat": "rating", "date": "review_date"}, cache_dir)


@pytest.fixture(scope="module")
def stores_nps(cache_dir):
    """24 store-survey answers with a 0-10 NPS and two comment columns."""
    return _analyse("cbsco_store_nps.csv",
                    {"text": ["If you wouldn't, why?", "If you would, why?"],
                     "nps": "Would you recommend C&BSco to your friends and family? (Score 0-10)",
                     "date": "Completion Date", "segment": "Store"}, cache_dir)


# ---------------------------------------------------------------- 1. one count per theme


@pytest.mark.parametrize("name", ["bank_csat", "stores_nps"])
def test_one_count_per_theme_in_every_view(name, request):
    analysis = request.getfixturevalue(name)
    drivers = analysis.drivers.set_index("theme_id")
    picker = dict((value, label) for label, value in adapters.theme_choices(analysis))
    tree = adapters.theme_tree_html(analysis)
    for theme_id, row in drivers.iterrows():
        count = int(row["n_comments"])
        assert picker[theme_id].endswith(f"({count})")
        detail = adapters.theme_detail_html(analysis, theme_id)
        assert f"<span data-testid='theme-comments-count'>{count}</span> comments" in detail
        _, pager, _ = adapters.theme_comments(analysis, theme_id, 0)
        assert pager.split(" of ")[1].split(" ")[0] == str(count)
        shown = re.search(rf"data-theme-id='{theme_id}'>.*?cx-tree-stats'>([\d,]+) comments", tree)
        assert shown and int(shown.group(1).replace(",", "")) == count
    edit = adapters.themes_frame(analysis).set_index("theme_id")
    assert (edit["comments"] == drivers["n_comments"].reindex(edit.index)).all()
    assert (edit["as main theme"] == analysis.themes.set_index("theme_id")["size"].reindex(edit.index)).all()


# ---------------------------------------------------------------- 2. the file's own outcome


def test_a_csat_file_is_judged_by_csat_everywhere(bank_csat, tmp_path):
    from app import views
    from cxtext.report import render_html

    analysis = adapters.with_outcome_ranking(bank_csat)
    assert analysis.drivers.attrs["priority_basis"] == "csat"  # not sentiment, although the file has sentiment
    assert adapters.outcome(analysis).title == "What drives low satisfaction"
    assert adapters.drivers_heading(analysis).startswith("### What drives low satisfaction")
    impact = adapters.impact_figure(analysis)
    assert "CSAT" in impact.layout.title.text and "NPS" not in impact.layout.title.text
    # the drag is overall mean CSAT minus the mean without the theme, by hand for the first theme
    from cxtext.drivers import theme_membership
    first = int(analysis.drivers.iloc[0]["theme_id"])
    valid = analysis.records[analysis.records["status"] == "analyzed"]
    member = theme_membership(valid, [first])[first]
    csat = valid["csat"].astype(float)
    assert impact.data[0].x[-1] == pytest.approx(csat.mean() - csat[~member].mean(), abs=1e-9)
    assert "CSAT" in adapters.volume_nps_figure(analysis).layout.title.text
    assert adapters.ces_figure(analysis) is None  # no CES mapped: the panel is hidden
    updates = views.plot_update(adapters.ces_figure(analysis))
    assert updates["visible"] is False
    notes = adapters.drivers_note(analysis)
    assert "CES" not in notes and "detractor" not in notes.lower()
    detail = adapters.theme_detail_html(analysis, first)  # the theme's numbers on CSAT, no empty NPS
    assert "mean CSAT" in detail and "satisfaction gap" in detail and "NPS" not in detail
    histogram = adapters.theme_score_figure(analysis, first)
    assert "CSAT" in histogram.layout.title.text and sum(histogram.data[0].y) == int(member.sum())
    _, monthly, _ = adapters.trend_figures(analysis)
    assert monthly is None or "CSAT" in monthly.layout.title.text
    report = render_html(analysis)
    assert "<h1>What drives low satisfaction</h1>" in report and "What drives detractors" not in report
    assert "ordered by their drag on average satisfaction" in report and "ordered by volume" not in report


def test_an_nps_file_keeps_nps(stores_nps):
    analysis = adapters.with_outcome_ranking(stores_nps)
    assert adapters.outcome(analysis).key == "nps"
    assert adapters.drivers_heading(analysis).startswith("### What drives detractors")
    first = int(analysis.drivers.iloc[0]["theme_id"])
    assert "NPS impact" in adapters.theme_detail_html(analysis, first)
    first = int(analysis.drivers.iloc[0]["theme_id"])
    figure = adapters.theme_score_figure(analysis, first)
    assert figure is None or "NPS answers" in figure.layout.title.text


# ---------------------------------------------------------------- 3. warnings, not ticks


@pytest.fixture(scope="module")
def review_score_as_nps(cache_dir, tmp_path_factory):
    """The Ethiopian bank reviews with their 1-5 stars turned into a 2.5-10 review score (stars x 2, a half
    point off on two rows of three), mapped as NPS: the mistake of the issue."""
    import pandas as pd

    frame = pd.read_csv(EXPORTS / "ethiopian_bank_play_reviews_59.csv")
    frame["score"] = [r * 2 - (0.5 if i % 3 else 0) for i, r in enumerate(frame["rating"])]
    path = tmp_path_factory.mktemp("review") / "review_scores.csv"
    frame[["review_text", "score", "review_date"]].to_csv(path, index=False)
    table = adapters.read_upload(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXTEXT_CACHE_DIR", str(cache_dir))
        patch.setenv("CXTEXT_DATA_DIR", str(cache_dir / "data"))
        return adapters.run_analysis(table, {"text": "review_text", "nps": "score", "date": "review_date"})


def test_a_review_score_mapped_as_nps_warns_with_the_fix(review_score_as_nps):
    from cxtext.io.warnings import summary_warnings
    from cxtext.report import render_html

    s = review_score_as_nps.summary
    rejected = sum(1 for i in range(59) if i % 3)  # two rows of three have a half point
    assert s["rows_rejected"] == rejected and s["nps"]["n"] == 59 - rejected
    found = summary_warnings(s)
    bulk = [w for w in found if w.kind == "bulk_rejection"]
    assert len(bulk) == 1 and bulk[0].role == "nps" and (bulk[0].count, bulk[0].total) == (rejected, 59)
    assert "map it as a rating" in bulk[0].message and "not whole numbers on 0-10" in bulk[0].message
    minority = [w for w in found if w.kind == "minority"]
    assert minority and f"{59 - rejected} of 59 rows" in minority[0].message
    message, kind = adapters.run_message(review_score_as_nps, 1.0)
    assert kind == "warn" and "map it as a rating" in message
    assert f"(on {59 - rejected} of 59 rows)" in adapters.headline(review_score_as_nps)
    assert adapters.overview_html(review_score_as_nps).count('data-testid="data-warning"') == len(found)
    report = render_html(review_score_as_nps)
    assert "map it as a rating" in report and f"of 59 rows have a usable NPS" in report


def test_a_clean_file_has_no_warning(stores_nps):
    from cxtext.io.warnings import summary_warnings

    assert summary_warnings(stores_nps.summary) == []
    assert adapters.run_message(stores_nps, 1.0)[1] == "ok"


# ---------------------------------------------------------------- 4. a drivers view a PM can act on


@pytest.mark.parametrize("name", ["bank_csat", "stores_nps"])
def test_fix_first_and_the_plain_driver_table(name, request):
    from cxtext.drivers.outcome import drag_of, fix_first

    analysis = adapters.with_outcome_ranking(request.getfixturevalue(name))
    out = adapters.outcome(analysis)
    view = adapters.drivers_view(analysis)
    assert list(view.columns[:2]) == ["#", "Theme"] and {"Comments", "Share of themed (%)"} <= set(view.columns)
    assert not any("_" in c for c in view.columns)  # no raw library names, no theme_id
    assert view["Comments"].tolist() == analysis.drivers["n_comments"].tolist()
    shares = (analysis.drivers["share"] * 100).round(0).tolist()
    assert view["Share of themed (%)"].tolist() == shares
    drag_column = [c for c in view.columns if c == f"Drag ({out.unit})"]
    assert drag_column and view[drag_column[0]].iloc[0] == pytest.approx(
        round(drag_of(analysis.drivers.iloc[0], out, analysis.drivers)[0], out.digits))
    if "95% interval" in view.columns:  # never a blank beside a drag: an interval, or why there is none
        has_drag = view[drag_column[0]].notna()
        assert view.loc[has_drag, "95% interval"].notna().all()
        assert all(" to " in v or v == "too few to test" for v in view.loc[has_drag, "95% interval"])
    widths = adapters.drivers_view_widths(view)  # percentages of the grid: it fits the page at any width
    assert all(w.endswith("%") for w in widths) and sum(float(w.rstrip("%")) for w in widths) <= 100.01
    items = fix_first(analysis.drivers, analysis.themes, analysis.summary)
    assert 1 <= len(items) <= 3 and all(item["drag"] < 0 for item in items)
    ranks = analysis.drivers.set_index("theme_id")["rank"]
    assert [ranks[i["theme_id"]] for i in items] == sorted(ranks[i["theme_id"]] for i in items)
    page = adapters.fix_first_html(analysis)
    assert page.count("data-testid='fix-first-item'") == len(items)
    for item in items:
        assert f"{item['comments']:,} comments" in page and item["drag_text"] in page
    technical = adapters.drivers_frame(analysis)
    assert "theme_id" in technical.columns  # behind the toggle


# ---------------------------------------------------------------- 5. true and quiet statements


def test_entities_languages_and_a_new_upload(cache_dir, tmp_path, bank_csat):
    import pandas as pd

    frame = pd.read_csv(EXPORTS / "ethiopian_bank_play_reviews_59.csv")
    frame.loc[0, "review_text"] = "The update &#34;fixes&#34; nothing &amp; the app still crashes"
    path = tmp_path / "entities.csv"
    frame.to_csv(path, index=False)
    table = adapters.read_upload(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXTEXT_CACHE_DIR", str(cache_dir))
        patch.setenv("CXTEXT_DATA_DIR", str(cache_dir / "data"))
        analysis = adapters.run_analysis(table, {"text": "review_text", "rating": "rating"})
    theme = int(analysis.records.loc[0, "theme_id"])
    assert theme >= 0  # "very good"'s row became a crash complaint: themed
    pages = [adapters.theme_comments(analysis, theme, p)[0] for p in range(3)]
    page = "".join(pages)
    assert "fixes" in page
    assert "&amp;#34;" not in page and "&#34;" not in page and "&quot;fixes&quot;" in page
    # languages: the overview names only languages above the floor, the rest are "other"
    from cxtext.report.fmt import language_shares
    cards = adapters.overview_html(bank_csat)
    for name, _, _ in language_shares(bank_csat.summary["languages"]):
        assert html_text(name) in cards
    small = [k for k, v in bank_csat.summary["languages"].items() if v < 3]
    assert all(f"{k} 0%" not in cards and f"{k} 2%" not in cards for k in small)
    # a new upload says plainly that the tabs still show the previous analysis
    stale = adapters.stale_headline(bank_csat, table)
    assert "entities.csv" in stale and "ethiopian_bank_play_reviews_59.csv" in stale and "stale-analysis" in stale


def html_text(text: str) -> str:
    import html

    return html.escape(text)
