"""Column detection on public exports nobody on the team wrote (tests/fixtures/real_exports, see its
ATTRIBUTION.md; bench/real_exports.py runs the same check on the full files and analyses them).

Each expectation is what a reader of the file finds: the comment column(s), the scores and their
roles, the date (read day-first where the export writes 17/01/2023), and the survey-tool header rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cxtext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports"

EXPECTED = {
    "qualtrics_sample.csv": dict(rows=1, layout="qualtrics", text=("Q2",), id="ResponseId", date="StartDate"),
    "qualtrics_sample_legacy.csv": dict(rows=1, layout="qualtrics (legacy)", text=("Q2",), id="V1", date="V8"),
    "sudzilla_google_forms_nps.csv": dict(
        rows=39, text=("...why?",), date="Timestamp", first_date="2019-11-01 08:51:12",
        # "On a scale of 0-10, how would you rate Sudzilla?" rates; it does not ask to recommend
        rating="On a scale of 0-10, how would you rate Sudzilla?", nps=None),
    "cbsco_store_nps.csv": dict(
        rows=24, text=("If you wouldn't, why?", "If you would, why?"),
        nps="Would you recommend C&BSco to your friends and family? (Score 0-10)",
        date="Completion Date", first_date="2020-01-05 13:03:00"),  # 05/01/2020 in a day-first column
    "autistica_google_form.csv": dict(rows=42, date="Timestamp", source=None,
                                      text=("Q1: What information would you like us to know about your needs, "
                                            "priorities, desires and concerns for the citizen science platform?",)),
    "complaints_prepbench.csv": dict(rows=53, text=("Complaint Description",), id="Complaint ID",
                                     date="Date Received", first_date="2023-01-17"),
    "saudi_tourism_reviews_ar_40.csv": dict(rows=40, text=("div_text",), nps=None, rating=None, csat=None),
    "red_v1_tweets_ro_41.csv": dict(rows=41, text=("Tweet",), nps=None, rating=None),
    "ethiopian_bank_play_reviews_59.csv": dict(rows=59, text=("review_text",), rating="rating", nps=None,
                                               date="review_date", id="review_id"),
    # a CFPB complaints export cut short inside its last row (the stored copy stops after 1 MiB)
    "cfpb_complaints_cut_short.csv": dict(rows=100, text=("Consumer complaint narrative",), id="Complaint ID",
                                          date="Date received", first_date="2023-07-17", nps=None, rating=None),
    # comma-separated, quoted commas in the comments, and one "|" in every row's last column ("Payments | Low"):
    # the csv module's sniffer took "|" for the delimiter and the file could not be read
    "triage_complaints_pipe_column.csv": dict(rows=60, text=("Complaint",), segment="Category", nps=None),
    # a Typeform export: a row of question groups (10 of 112 cells named) above the header naming every column
    # its checkbox column "Build from source (via GitHub)" (one value: its own header) is no source
    "cantera_typeform_question_groups.csv": dict(rows=15, layout="question-group", source=None,
                                                 text=("Why do you use Cantera in your job or school?",)),
    # a Google Forms user survey: grid questions answered Horrible ... Excellent read as CSAT 1-5 (they were
    # rejected as not numbers), from the grid's overall item "[Spack]" (it was the first, "[Spack documentation]").
    # The pain-points question was passed over for its "(feel free to link to issues)": "link" read as a link column
    "spack_user_survey_2022.csv": dict(rows=182, date="Timestamp", nps=None, text=(
        "Tell us briefly about your use case and your usual Spack workflow.",
        "What are the biggest pain points in Spack for your workflow? (feel free to link to issues)",
        "What's the biggest thing we could do to improve Spack over the next year?",
        "Do you have any other comments for us?"),
                                       csat="How would you rate the overall quality of ... [Spack]"),
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in FIXTURES.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_roles_rows_and_layout_come_out_as_a_reader_expects(name):
    expected = dict(EXPECTED[name])
    feedback = cxtext.load(FIXTURES / name)
    assert feedback.records["row"].nunique() == expected.pop("rows")
    assert feedback.table.layout == expected.pop("layout", None)
    text = expected.pop("text")
    if text is not None:
        assert feedback.mapping.text_columns == text
    first_date = expected.pop("first_date", None)
    if first_date:
        assert feedback.records["date"].iloc[0] == pd.Timestamp(first_date)
    for role, column in expected.items():
        assert getattr(feedback.mapping, role) == column, (role, feedback.mapping_reasons.get(role))
    # every decision is explained
    assert feedback.mapping_reasons["text"]["why"]


def test_a_real_export_cut_short_is_read_up_to_its_unfinished_row_and_says_so(tmp_path):
    path = FIXTURES / "cfpb_complaints_cut_short.csv"
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite")
    lines = path.read_bytes().count(b"\n") + 1
    assert analysis.summary["rows_in"] == 100
    line = analysis.summary["input"]["truncated_line"]
    assert lines - 5 < line <= lines  # the unfinished row starts near the end, not at a stray quote above
    warning = analysis.summary["warnings"][0]
    assert warning["kind"] == "truncated_file" and f"line {line:,}" in warning["message"]
    # 81% of the CFPB's rows carry no narrative: each is rejected with its reason, none dropped
    rejected = analysis.records[analysis.records["status"] != "analyzed"]
    assert len(rejected) + int((analysis.records["status"] == "analyzed").sum()) == 100
    assert rejected["reason"].astype(str).str.len().gt(0).all()


def test_a_column_holding_pipes_does_not_make_them_the_delimiter():
    feedback = cxtext.load(FIXTURES / "triage_complaints_pipe_column.csv")
    assert feedback.table.delimiter == ","
    assert list(feedback.table.frame.columns) == ["Complaint", "Category", "Urgency", "target"]
    quoted = feedback.table.frame["Complaint"].iloc[7]  # line 9: a quoted comment with a comma in it
    assert quoted == "Order timed out after payment, but money is gone."


def test_a_row_of_question_groups_above_the_header_is_not_the_header():
    feedback = cxtext.load(FIXTURES / "cantera_typeform_question_groups.csv")
    columns = list(feedback.table.frame.columns)
    assert columns[:3] == ["#", "macOS", "BSD"] and len(columns) == 112
    assert feedback.table.skipped_rows[0]["row_in_file"] == 2
    assert feedback.table.questions["macOS"] == "What operating system(s) do you use? - macOS"
    # the real header is not an answer any more: no record holds a header cell as its comment
    assert "Why do you use Cantera in your job or school?" not in set(feedback.records["text"])


def test_a_short_header_over_unnamed_columns_keeps_its_first_answer(tmp_path):
    path = tmp_path / "unnamed.csv"
    path.write_text("comment,,,\n" + "\n".join(f"{t},yes,web,ios" for t in (
        "The app crashes", "Billing is wrong", "Support is slow", "Great design")) + "\n", encoding="utf-8")
    feedback = cxtext.load(path)
    assert feedback.table.layout is None and len(feedback.table.frame) == 4
