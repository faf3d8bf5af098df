"""Issue 23, point 1, end to end: placeholders go to 'no comment' with a note; copies are themed once,
every row still counted (themes.csv, drivers.csv, summary.json and its warnings).

The data: 59 Google Play reviews of Ethiopian banks with their star ratings
(tests/fixtures/real_exports, see ATTRIBUTION.md), plus what exports add to such a dump: a block of
100 copies of one of its complaints, the export's "No Negative" placeholder and a filler the file
repeats ("Same as above"). Embedded with the default model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import cxtext
from cxtext.io.warnings import summary_warnings
from cxtext.schema import NO_COMMENT
from cxtext.text.placeholders import REASON_LISTED, REASON_REPEATED

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_exports"
COPY = "It's useless app downgraded."


def _dump() -> pd.DataFrame:
    reviews = pd.read_csv(FIXTURES / "ethiopian_bank_play_reviews_59.csv")[["review_text", "rating"]]
    extra = pd.DataFrame({
        "review_text": [COPY] * 100 + ["No Negative"] * 12 + ["Same as above"] * 8,
        "rating": [1] * 100 + [5] * 12 + [4] * 8,
    })
    return pd.concat([reviews, extra], ignore_index=True).sample(frac=1.0, random_state=5).reset_index(drop=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[cxtext.Analysis, Path]:
    folder = tmp_path_factory.mktemp("issue23")
    analysis = cxtext.analyze(_dump(), text="review_text", rating="rating", rating_scale="1-5",
                              cache_path=folder / "cache.sqlite")
    analysis.write(folder / "out")
    return analysis, folder / "out"


@pytest.mark.model
def test_placeholders_go_to_no_comment_with_a_note(written):
    analysis, out = written
    records = analysis.records
    placeholder = records["clean_text"] == "No Negative"
    filler = records["clean_text"] == "Same as above"
    assert (records.loc[placeholder | filler, "theme_id"] == NO_COMMENT).all()
    assert set(records.loc[placeholder, "non_answer_reason"]) == {REASON_LISTED}
    assert set(records.loc[filler, "non_answer_reason"]) == {REASON_REPEATED}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_no_comment"] >= 20
    assert summary["no_comment_reasons"][REASON_LISTED] >= 12 and summary["no_comment_reasons"][REASON_REPEATED] == 8
    assert summary["repeated_non_answers"] == [{"text": "Same as above", "rows": 8, "columns": ["review_text"]}]
    notes = [w for w in summary["warnings"] if w["kind"] == "repeated_non_answer"]
    assert len(notes) == 1 and "'Same as above' (8 rows)" in notes[0]["message"] and notes[0]["count"] == 8
    assert notes[0]["column"] == "review_text"
    # the same sentence in every face (app, report, command line) comes from summary_warnings
    assert [w.message for w in summary_warnings(summary) if w.kind == "repeated_non_answer"] == [notes[0]["message"]]


@pytest.mark.model
def test_copies_share_one_theme_and_every_row_counts(written):
    analysis, out = written
    records = analysis.records
    copies = records["clean_text"] == COPY
    assert int(copies.sum()) == 101  # the review itself and its 100 copies
    theme = set(records.loc[copies, "theme_id"])
    assert len(theme) == 1 and next(iter(theme)) >= 0
    theme_id = int(next(iter(theme)))
    themes = pd.read_csv(out / "themes.csv")
    by_id = themes.set_index("theme_id")
    assert int(by_id.loc[theme_id, "size"]) == int((records["theme_id"] == theme_id).sum()) >= 101
    assert int(themes["size"].sum()) == int((records["theme_id"] >= 0).sum())
    drivers = pd.read_csv(out / "drivers.csv").set_index("theme_id")
    assert int(drivers.loc[theme_id, "n_comments"]) == int((records["theme_id"] == theme_id).sum())
    assert "distinct texts of" in analysis.summary["theme_fit_rule"]


@pytest.mark.model
def test_the_report_says_why_rows_are_no_comment(written):
    import html

    from cxtext.report.html_report import render_html

    analysis, _ = written
    page = html.unescape(render_html(analysis))
    assert "No comment, by reason:" in page
    assert f"{analysis.summary['no_comment_reasons'][REASON_LISTED]} {REASON_LISTED}" in page
    assert "Repeated in this file: “Same as above” (8)" in page
