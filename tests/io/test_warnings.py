"""Bulk-rejection warnings (cxtext.io.warnings) on summaries whose rejected values are not plain numbers."""

from __future__ import annotations

from cxtext.io.warnings import summary_warnings


def test_outside_values_that_are_not_plain_numbers_still_get_a_sentence():
    # found by the fuzz test: a rejected cell whose value prints empty
    summary = {"rows_in": 10, "mapping": {"nps": "score"}, "nps": {"n": 2},
               "rejection_reasons": {"NPS '' is outside 0-10": 8}}
    warnings = summary_warnings(summary)
    bulk = [w for w in warnings if w.kind == "bulk_rejection"]
    assert len(bulk) == 1 and bulk[0].count == 8 and bulk[0].total == 10
    assert "some values are outside 0-10." in bulk[0].message
    assert "It looks like a score on another scale: map it as a rating, not as NPS." in bulk[0].message


def test_numbers_outside_the_scale_are_named_with_their_range():
    summary = {"rows_in": 10, "mapping": {"nps": "score"}, "nps": {"n": 5},
               "rejection_reasons": {"NPS '15' is outside 0-10": 3, "NPS '20' is outside 0-10": 2}}
    message = summary_warnings(summary)[0].message
    assert "5 of the 10 rows with a value in column 'score' (50%) were rejected as NPS" in message
    assert "values 15-20 are outside 0-10." in message
