"""A help desk's two-point satisfaction rating (Zendesk: the customer clicks "Good, I'm satisfied" or "Bad, I'm
unsatisfied"; exports write Good / Bad, "Good with comment", and Offered / Unoffered until the customer rates).

Before, such a "Satisfaction Score" column was passed over as "labels (4 different values)": no CSAT at all.
The rows below are written for this test (the values are those Zendesk documents)."""

from __future__ import annotations

import csv

import cxtext
from cxtext.io.profile import two_point_score
from cxtext.validate import CSAT_SCALE, parse_score

RATINGS = ["Good", "Bad", "Offered", "Unoffered", "Good with comment", "Bad with comment", "Good", "Good"] * 5
COMMENTS = {"Good": "Quick answer, the agent solved it in minutes", "Bad": "Waited four days for a first reply",
            "Good with comment": "Friendly and helpful, thanks", "Bad with comment": "Still not fixed after 3 tickets"}


def _write(path, rating_header: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Id", "Subject", "Status", "Created at", rating_header, "Satisfaction Comment"])
        for i, rating in enumerate(RATINGS):
            writer.writerow([1000 + i, f"Order {500 + i} question", "Solved", f"2026-10-{1 + i % 28:02d}", rating,
                             f"{COMMENTS[rating]} (order {500 + i})" if rating in COMMENTS else ""])


def test_a_satisfaction_column_of_good_and_bad_is_the_csat(tmp_path):
    path = tmp_path / "tickets.csv"
    _write(path, "Satisfaction Score")
    feedback = cxtext.load(path)
    assert feedback.mapping.csat == "Satisfaction Score" and feedback.mapping.text == "Satisfaction Comment"
    assert "good/bad ratings (read as 4 and 2 on 1-5" in feedback.mapping_reasons["csat"]["why"]
    records = feedback.records
    # 20 rated good, 10 bad; Offered / Unoffered are no answer, not a rejected score
    assert records["csat"].value_counts().to_dict() == {4: 20, 2: 10}
    assert not records["reason"].str.contains("CSAT").any()


def test_good_and_bad_are_not_a_csat_by_content_alone(tmp_path):
    path = tmp_path / "tickets.csv"
    _write(path, "Label")
    assert cxtext.load(path).mapping.csat is None


def test_two_point_words():
    assert [two_point_score(v) for v in ("Good", "bad", "Good, I'm satisfied", "Bad with comment", "Great")] == \
        [4, 2, 4, 2, None]
    assert parse_score("Unoffered", CSAT_SCALE, "CSAT", words=True).value is None
    assert parse_score("Unoffered", CSAT_SCALE, "CSAT", words=True).problem is None
