"""A help desk's satisfaction rating in words. Zendesk: the customer clicks "Good, I'm satisfied" or "Bad, I'm
unsatisfied"; exports write Good / Bad, "Good with comment", and Offered / Unoffered until the customer rates.
Help Scout (and Enchant): Great / Okay / Not Good. Odoo: Satisfied / Okay / Dissatisfied.

Before, such a "Satisfaction Score" column was passed over as "labels (4 different values)": no CSAT at all.
The rows below are written for these tests (the values are those the help desks document)."""

from __future__ import annotations

import csv

import pytest

import cxtext
from cxtext.io.cells import help_desk_score
from cxtext.validate import CSAT_SCALE, parse_score

RATINGS = ["Good", "Bad", "Offered", "Unoffered", "Good with comment", "Bad with comment", "Good", "Good"] * 5
COMMENTS = {"Good": "Quick answer, the agent solved it in minutes", "Bad": "Waited four days for a first reply",
            "Great": "Solved in one reply", "Okay": "Fine in the end", "Not Good": "Nobody read my message",
            "Satisfied": "Solved in one reply", "Dissatisfied": "Nobody read my message",
            "Good with comment": "Friendly and helpful, thanks", "Bad with comment": "Still not fixed after 3 tickets"}


def _write(path, rating_header: str, ratings: list[str] = RATINGS) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Id", "Subject", "Status", "Created at", rating_header, "Satisfaction Comment"])
        for i, rating in enumerate(ratings):
            writer.writerow([1000 + i, f"Order {500 + i} question", "Solved", f"2026-10-{1 + i % 28:02d}", rating,
                             f"{COMMENTS[rating]} (order {500 + i})" if rating in COMMENTS else ""])


def test_a_satisfaction_column_of_good_and_bad_is_the_csat(tmp_path):
    path = tmp_path / "tickets.csv"
    _write(path, "Satisfaction Score")
    feedback = cxtext.load(path)
    assert feedback.mapping.csat == "Satisfaction Score" and feedback.mapping.text == "Satisfaction Comment"
    assert "a help desk's ratings in words (4 different values, read as 1-5" in feedback.mapping_reasons["csat"]["why"]
    records = feedback.records
    # 20 rated good, 10 bad; Offered / Unoffered are no answer, not a rejected score
    assert records["csat"].value_counts().to_dict() == {4: 20, 2: 10}
    assert not records["reason"].str.contains("CSAT").any()


def test_good_and_bad_are_not_a_csat_by_content_alone(tmp_path):
    path = tmp_path / "tickets.csv"
    _write(path, "Label")
    assert cxtext.load(path).mapping.csat is None


@pytest.mark.parametrize("ratings, expected", [
    (["Great", "Okay", "Not Good", "Great"] * 10, {5: 20, 3: 10, 2: 10}),  # Help Scout's happiness ratings
    (["Satisfied", "Okay", "Dissatisfied", "Satisfied"] * 10, {4: 20, 3: 10, 2: 10}),  # Odoo's
])
@pytest.mark.parametrize("header", ["Rating (customer satisfaction)", "Happiness Rating", "Rating"])
def test_three_point_help_desk_ratings_are_the_csat(tmp_path, ratings, expected, header):
    path = tmp_path / "ratings.csv"
    _write(path, header, ratings)
    feedback = cxtext.load(path)
    assert feedback.mapping.csat == header and feedback.mapping.rating is None
    assert feedback.records["csat"].value_counts().to_dict() == expected


def test_help_desk_words():
    assert [help_desk_score(v) for v in ("Good", "bad", "Good, I'm satisfied", "Bad with comment", "Great",
                                         "Not Good", "okay", "Excellent")] == [4, 2, 4, 2, 5, 2, 3, None]
    assert parse_score("Unoffered", CSAT_SCALE, "CSAT", words=True).value is None
    assert parse_score("Unoffered", CSAT_SCALE, "CSAT", words=True).problem is None


def test_a_five_level_word_scale_is_read_by_its_own_levels(tmp_path):
    # a Google Forms grid question ("How would you rate the overall quality of ... [X]") answered Horrible, Bad,
    # OK, Good, Excellent (a public survey export): "Excellent" and "Horrible" were rejected as not numbers,
    # and the rows with them lost their comments
    levels = ["Good", "OK", "Excellent", "Horrible", "Bad", "Good", "Excellent", "Good"] * 5
    path = tmp_path / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Timestamp", "How would you rate the overall quality of ... [Product]", "Any other comments?"])
        for i, level in enumerate(levels):
            writer.writerow([f"10/{1 + i % 28}/2022 9:00:00", level, f"Comment {i}: the docs could show more examples"])
    feedback = cxtext.load(path)
    assert feedback.mapping.csat == "How would you rate the overall quality of ... [Product]"
    assert "ratings in words on a 5-point scale (horrible ... excellent" in feedback.mapping_reasons["csat"]["why"]
    assert feedback.records["csat"].value_counts().to_dict() == {4: 15, 5: 10, 3: 5, 1: 5, 2: 5}
    assert (feedback.records["status"] == "analyzed").all()


def test_word_scales():
    from cxtext.io.cells import word_scale

    assert word_scale(["Poor", "Fair", "Good", "Very good", "Excellent"])["good"] == 3
    assert word_scale(["Good", "OK", "Horrible"])["good"] == 4
    assert word_scale(["Great", "Okay"]) is None and word_scale(["Good"]) is None
