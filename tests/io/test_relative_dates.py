"""Relative dates ("a month ago") are never read as dates. A public Google Maps scrape (held-out batch 2, file D)
has `Review Date` = "a month ago" beside `Scraped At`, the time of the scrape: that time was taken as every
review's date, so trends put every review in one month without a warning. The frames are written for the test
in that layout."""

from __future__ import annotations

import pandas as pd

import cxtext
from cxtext.io.columns import detect_columns
from cxtext.io.warnings import summary_warnings

REVIEWS = ["Friendly staff and my prescription was ready quickly", "Waited forty minutes, only one cashier open",
           "They never have my medicine in stock", "Great pharmacist, explained everything clearly",
           "Rude at the counter and slow service", "Clean store, easy parking, good prices"]


def _maps_scrape(relative: list[str]) -> pd.DataFrame:
    n = len(relative)
    return pd.DataFrame({
        "Business Name": ["Central Pharmacy", "Green Cross"] * (n // 2),
        "Reviewer Name": [f"Reviewer {i}" for i in range(n)],
        "Review Text": [REVIEWS[i % len(REVIEWS)] + f" (visit {i})" for i in range(n)],
        "Review Date": relative,
        "Scraped At": ["2025-09-14 10:21:07"] * n,
    })


def test_a_relative_date_column_is_not_the_date_and_the_reason_says_so():
    frame = _maps_scrape(["a month ago", "2 years ago", "3 weeks ago", "a year ago", "5 months ago",
                          "a week ago"] * 2)
    decision = detect_columns(frame.columns, frame=frame)
    assert decision.mapping.date is None and decision.mapping.text == "Review Text"
    assert "Review Date" not in decision.mapping.text_columns
    why = decision.reasons["date"]["why"]
    assert why.startswith("column 'Review Date' holds relative dates ('a month ago'); not used as the date: "
                          "trends are off")
    passed = {p["column"]: p["why"] for p in decision.reasons["date"]["passed_over"]}
    assert "scrape or export time" in passed["Scraped At"]
    assert decision.profiles["Review Date"] == "relative dates ('a month ago')"
    assert any(line.startswith("date     <- (none): column 'Review Date' holds relative dates")
               for line in decision.lines())


def test_relative_dates_in_other_languages_and_a_named_date_still_wins():
    french = _maps_scrape(["il y a 3 mois", "il y a un an", "il y a 2 semaines", "hier"] * 3)
    assert detect_columns(french.columns, frame=french).mapping.date is None
    turkish = _maps_scrape(["3 ay önce", "bir yıl önce", "2 hafta önce", "dün"] * 3)
    assert detect_columns(turkish.columns, frame=turkish).mapping.date is None
    named = detect_columns(french.columns, frame=french, date="Scraped At")
    assert named.mapping.date == "Scraped At"


def test_the_warning_reaches_the_summary_of_a_load():
    frame = _maps_scrape(["a month ago", "2 years ago", "3 weeks ago", "a year ago"] * 3)
    feedback = cxtext.load(frame)
    assert feedback.records["date"].isna().all()
    summary = {"rows_in": len(frame), "mapping": feedback.mapping.as_dict(),
               "mapping_reasons": feedback.mapping_reasons}
    warnings = [w for w in summary_warnings(summary) if w.kind == "relative_dates"]
    assert len(warnings) == 1 and warnings[0].message.startswith("Column 'Review Date' holds relative dates")


def test_absolute_dates_beside_comments_are_still_the_date():
    frame = _maps_scrape(["2024-03-01", "2024-04-11", "2024-05-02", "2024-06-15"] * 3)
    assert detect_columns(frame.columns, frame=frame).mapping.date == "Review Date"
