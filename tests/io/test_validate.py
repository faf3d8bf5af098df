"""validate: the score parsing table, rejection reasons and row accounting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.errors import ColumnMappingError, ValidationError
from cxtext.ingest import load
from cxtext.schema import CSAT_SCALE, NPS_SCALE, ColumnMapping, ScoreScale
from cxtext.validate import parse_score, validate


@pytest.mark.parametrize("raw,expected", [
    (9, 9), (9.0, 9), (np.int64(9), 9), ("9", 9), ("9.0", 9), (" 9 ", 9), ("9 - very likely", 9),
    ("10 (extremely likely)", 10), ("0 - not at all likely", 0), ("9/10", 9), ("٩", 9), ("10,0", 10),
    ("8pts", 8), ("4 stars", 4), ("4stars", 4),
    # a survey's "no answer" option in words: no score, the row's comment still counts
    ("NA or Do Not Use", None), ("N/A - I have not used it", None), ("Not applicable", None), ("Don't know", None),
    (None, None), ("", None), ("  ", None), (float("nan"), None), ("NA", None), ("n/a", None), ("#N/A", None), ("-", None),
])
def test_nps_values_accepted(raw, expected):
    reading = parse_score(raw, NPS_SCALE, "NPS")
    assert reading.problem is None
    assert reading.value == expected


@pytest.mark.parametrize("raw,problem", [
    ("11", "NPS '11' is outside 0-10"),
    (11, "NPS '11' is outside 0-10"),
    ("-1", "NPS '-1' is outside 0-10"),
    ("7.5", "NPS '7.5' is not a whole number on 0-10"),
    (7.5, "NPS '7.5' is not a whole number on 0-10"),
    ("very likely", "NPS 'very likely' is not a number on 0-10"),
    (float("inf"), "NPS 'inf' is not a number on 0-10"),
    (True, "NPS 'True' is not a number on 0-10"),
    # letters glued to a digit are a code (a Carpentries UniqueID), not a score followed by words
    ("2joche", "NPS '2joche' is not a number on 0-10"),
])
def test_nps_values_rejected_with_reason(raw, problem):
    reading = parse_score(raw, NPS_SCALE, "NPS")
    assert reading.value is None
    assert reading.problem == problem


def test_ces_scales_and_csat():
    assert parse_score("7", ScoreScale(1, 7, "high"), "CES").value == 7
    assert parse_score("7", ScoreScale(1, 5, "low"), "CES").problem == "CES '7' is outside 1-5"
    assert parse_score("0", CSAT_SCALE, "CSAT").problem == "CSAT '0' is outside 1-5"
    assert parse_score("5", CSAT_SCALE, "CSAT").value == 5


def test_scale_must_be_well_formed():
    with pytest.raises(ValidationError, match="LOW-HIGH"):
        ScoreScale.parse("1 to 5")
    with pytest.raises(ValidationError, match="high > low"):
        ScoreScale(5, 1)


def test_every_row_is_accounted_for(survey_frame):
    mapping = ColumnMapping(text="Comment", nps="NPS", date="Date", id="Response ID")
    records = validate(survey_frame, mapping)
    assert len(records) == len(survey_frame)
    counts = records["status"].value_counts()
    assert counts.sum() == len(survey_frame) and set(counts.index) <= {"analyzed", "rejected", "blank", "score_only"}
    assert records["row"].tolist() == list(range(1, 9))


def test_rejections_and_their_reasons(survey_frame):
    records = validate(survey_frame, ColumnMapping(text="Comment", nps="NPS", date="Date", id="Response ID"))
    by_id = records.set_index("id")
    assert by_id.loc["r3", "nps"] == 1 and by_id.loc["r3", "status"] == "analyzed"
    assert by_id.loc["r4", "status"] == "score_only"  # left out of the themes, not bad data
    assert by_id.loc["r4", "reason"] == "empty comment (its score still counts in metrics)"
    assert bool(by_id.loc["r4", "scores_valid"]) is True
    assert by_id.loc["r7", "status"] == "rejected"
    assert by_id.loc["r7", "reason"] == "NPS '11' is outside 0-10"
    assert bool(by_id.loc["r7", "scores_valid"]) is False
    # no score at all (a social mention): themed, not counted in metrics
    assert by_id.loc["r8", "status"] == "analyzed" and pd.isna(by_id.loc["r8", "nps"])
    # an unreadable date keeps the row and says so
    assert by_id.loc["r5", "status"] == "analyzed"
    assert "date 'not a date' not understood" in by_id.loc["r5", "warning"]
    assert pd.Timestamp("2026-03-09") == by_id.loc["r3", "date"] or by_id.loc["r3", "date"].month in (3, 9)


def test_missing_mapped_column_is_an_error(survey_frame):
    with pytest.raises(ColumnMappingError, match="input: mapped column\\(s\\) nps='Score' not found"):
        validate(survey_frame, ColumnMapping(text="Comment", nps="Score"))


def test_only_invisible_characters_count_as_empty():
    frame = pd.DataFrame({"comment": ["\u200b\u200f", "ok then good"], "nps": [5, 9]})
    records = validate(frame, ColumnMapping(text="comment", nps="nps"))
    assert records["status"].tolist() == ["score_only", "analyzed"]


def test_load_end_to_end_with_a_messy_csv(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Comment;Likelihood to recommend;CES\n"
        "The app crashes;2;2\n"
        ";9 - very likely;6\n"
        "Too many fees;n/a;3\n"
        "Great service;10;8\n",
        encoding="utf-8",
    )
    feedback = load(path, ces_scale="1-7")
    assert feedback.mapping.nps == "Likelihood to recommend" and feedback.mapping.ces == "CES"
    # "n/a" is no NPS answer: the row keeps its comment and CES, its NPS is not counted
    assert feedback.records["status"].tolist() == ["analyzed", "score_only", "analyzed", "rejected"]
    assert feedback.records["reason"].tolist()[3:] == ["CES '8' is outside 1-7"]
    assert pd.isna(feedback.records["nps"].iloc[2]) and feedback.records["ces"].iloc[2] == 3
    assert len(feedback.analyzed) + len(feedback.rejected) == 4


def test_r_missing_marker_in_a_comment_is_no_comment():
    # R's write.csv writes NA for an empty cell, in the comment column as in the scores
    frame = pd.DataFrame({"comment": ["Great staff", "NA", " NA ", "na"], "nps": ["9", "NA", "3", "7"]})
    records = validate(frame, ColumnMapping(text="comment", nps="nps"))
    assert records["status"].tolist() == ["analyzed", "blank", "score_only", "analyzed"]
    assert records["reason"].tolist()[1:3] == ["empty comment and no score",
                                               "empty comment (its score still counts in metrics)"]
