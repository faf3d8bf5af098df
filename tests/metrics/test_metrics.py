"""Worked examples and edge cases of cxtext.metrics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxtext.errors import ValidationError
from cxtext.metrics import (
    average_response_time,
    average_wait_time,
    ces,
    churn_rate,
    clv_predictive,
    clv_simple,
    csat,
    feedback_response_rate,
    first_response_time,
    nps,
    nps_class,
    nps_from_counts,
    retention_rate,
)
from cxtext.schema import ScoreScale

EASY_HIGH_1_7 = ScoreScale(1, 7, "high")
EASY_LOW_1_5 = ScoreScale(1, 5, "low")


# --------------------------------------------------------------------------- NPS


def test_nps_worked_example_70_promoters_10_detractors_is_60() -> None:
    scores = [10] * 40 + [9] * 30 + [8] * 10 + [7] * 10 + [6] * 5 + [0] * 5
    result = nps(scores)
    assert result.n == 100
    assert result.promoter_share == pytest.approx(0.70)
    assert result.passive_share == pytest.approx(0.20)
    assert result.detractor_share == pytest.approx(0.10)
    assert result.nps == pytest.approx(60.0)


def test_nps_standard_error_and_interval_follow_the_variance_formula() -> None:
    scores = [10] * 70 + [7] * 20 + [3] * 10
    result = nps(scores)
    expected_se = 100 * math.sqrt((0.7 + 0.1 - (0.7 - 0.1) ** 2) / 100)
    assert result.se == pytest.approx(expected_se, abs=1e-12)
    assert result.ci_low == pytest.approx(60 - 1.959963984540054 * expected_se, abs=1e-9)
    assert result.ci_high == pytest.approx(60 + 1.959963984540054 * expected_se, abs=1e-9)


def test_nps_matches_standard_error_of_a_plus_minus_one_score() -> None:
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, size=500)
    signed = np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))
    result = nps(scores)
    assert result.nps == pytest.approx(signed.mean(), abs=1e-9)
    assert result.se == pytest.approx(signed.std(ddof=0) / math.sqrt(signed.size), abs=1e-9)


def test_nps_all_detractors_is_minus_100_with_interval_clipped() -> None:
    result = nps([0, 3, 6, 6])
    assert result.nps == -100.0
    assert result.detractor_share == 1.0
    assert result.ci_low == -100.0 and result.ci_high == -100.0


def test_nps_all_promoters_is_100_and_interval_stays_within_bounds() -> None:
    assert nps([9, 10, 10]).nps == 100.0
    near_top = nps([10] * 9 + [5])
    assert near_top.nps == pytest.approx(80.0)
    assert near_top.ci_high == 100.0  # 80 + 1.96·se exceeds 100 and is clipped
    assert -100.0 <= near_top.ci_low < near_top.nps


def test_nps_of_nobody_is_nan_not_an_error() -> None:
    for empty in ([], pd.Series([], dtype="Int64"), pd.Series([pd.NA, pd.NA], dtype="Int64")):
        result = nps(empty)
        assert result.n == 0
        assert math.isnan(result.nps) and math.isnan(result.se) and math.isnan(result.ci_low)


def test_nps_ignores_missing_answers() -> None:
    result = nps(pd.Series([10, None, 0, pd.NA], dtype="Int64"))
    assert result.n == 2
    assert result.nps == 0.0


@pytest.mark.parametrize("bad", [[11], [-1], [7.5], ["seven"]])
def test_nps_rejects_scores_outside_0_10(bad: list[object]) -> None:
    with pytest.raises(ValidationError, match="0-10"):
        nps(bad)


def test_nps_from_counts_equals_nps_of_answers() -> None:
    assert nps_from_counts(20, 40, 40) == nps([10] * 20 + [8] * 40 + [2] * 40)
    with pytest.raises(ValidationError):
        nps_from_counts(-1, 0, 0)


def test_nps_class_scalar_and_vector() -> None:
    assert nps_class(9) == "promoter"
    assert nps_class(8) == "passive"
    assert nps_class(6) == "detractor"
    assert nps_class(None) is None
    series = pd.Series([10, 7, None, 0], dtype="Int64", index=[5, 6, 7, 8])
    classes = nps_class(series)
    assert classes.index.tolist() == [5, 6, 7, 8]
    assert classes.tolist()[:2] == ["promoter", "passive"]
    assert pd.isna(classes.iloc[2]) and classes.iloc[3] == "detractor"
    with pytest.raises(ValidationError):
        nps_class([3, 12])


# --------------------------------------------------------------------------- CSAT and CES


def test_csat_counts_4_and_5_as_satisfied_with_wilson_interval() -> None:
    result = csat([5, 5, 4, 3, 2, 1, 4, 5])
    assert result.n == 8
    assert result.satisfied_share == pytest.approx(5 / 8)
    assert result.csat_percent == pytest.approx(62.5)
    assert result.mean == pytest.approx(29 / 8)
    # Wilson 95 % interval of 5/8, computed with the textbook formula.
    z, p, n = 1.959963984540054, 5 / 8, 8
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert result.ci_low == pytest.approx(centre - half, abs=1e-12)
    assert result.ci_high == pytest.approx(centre + half, abs=1e-12)


def test_csat_edge_cases() -> None:
    assert csat([]).n == 0 and math.isnan(csat([]).csat_percent)
    all_happy = csat([5, 4, 5])
    assert all_happy.csat_percent == 100.0 and all_happy.ci_high == 1.0 and all_happy.ci_low < 1.0
    with pytest.raises(ValidationError, match="1-5"):
        csat([0, 5])


def test_ces_low_effort_share_on_high_is_easy_1_7_counts_6_and_7() -> None:
    scores = [7, 6, 5, 1, 2, 7]
    result = ces(scores, EASY_HIGH_1_7)
    assert result.low_effort_share == pytest.approx(3 / 6)
    assert result.mean == pytest.approx(np.mean(scores))
    low, high = stats.t.interval(0.95, 5, loc=np.mean(scores), scale=stats.sem(scores))
    assert result.ci_low == pytest.approx(low, abs=1e-12)
    assert result.ci_high == pytest.approx(high, abs=1e-12)


def test_ces_low_effort_share_on_low_is_easy_1_5_counts_1_and_2() -> None:
    result = ces([1, 2, 3, 5, 5], EASY_LOW_1_5)
    assert result.low_effort_share == pytest.approx(2 / 5)
    assert result.scale == EASY_LOW_1_5


def test_ces_edge_cases() -> None:
    empty = ces([], EASY_HIGH_1_7)
    assert empty.n == 0 and math.isnan(empty.mean)
    single = ces([4], EASY_HIGH_1_7)
    assert single.mean == 4.0 and math.isnan(single.ci_low)
    with pytest.raises(ValidationError, match="1-5"):
        ces([6], EASY_LOW_1_5)


# --------------------------------------------------------------------------- business rates


def test_churn_rate_worked_example() -> None:
    assert churn_rate(250, 20) == pytest.approx(8.0)


def test_retention_rate_worked_example() -> None:
    assert retention_rate(200, 200, 20) == pytest.approx(90.0)


def test_clv_examples() -> None:
    assert clv_simple(50.0, 4, 3) == pytest.approx(600.0)
    assert clv_predictive(100.0, 0.8, 0.1) == pytest.approx(100 * 0.8 / 0.3)


def test_feedback_response_rate() -> None:
    assert feedback_response_rate(150, 1000) == pytest.approx(15.0)


@pytest.mark.parametrize(
    "call, expected_text",
    [
        (lambda: churn_rate(0, 0), "customers_at_start must be greater than 0; got 0"),
        (lambda: churn_rate(100, -1), "customers_lost must be 0 or more; got -1"),
        (lambda: churn_rate(10, 11), "cannot exceed"),
        (lambda: retention_rate(0, 10, 1), "customers_at_start must be greater than 0"),
        (lambda: retention_rate(100, 10, 20), "new_customers cannot exceed"),
        (lambda: retention_rate(100, -5, 0), "customers_at_end must be 0 or more"),
        (lambda: clv_simple(-1, 1, 1), "avg_purchase_value must be 0 or more"),
        (lambda: clv_predictive(10, 0.8, -0.1), "discount_rate must be a fraction between 0 and 1"),
        (lambda: clv_predictive(10, 80, 0.1), "retention_rate must be a fraction between 0 and 1"),
        (lambda: clv_predictive(10, 1.0, 0.0), "infinite"),
        (lambda: feedback_response_rate(5, 0), "invitations must be greater than 0"),
        (lambda: feedback_response_rate(11, 10), "responses cannot exceed"),
        (lambda: churn_rate(float("nan"), 1), "finite number"),
    ],
)
def test_invalid_inputs_say_what_was_expected_and_received(call, expected_text: str) -> None:
    with pytest.raises(ValidationError, match=expected_text):
        call()


# --------------------------------------------------------------------------- durations


def _times(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)))


def test_first_response_time_ignores_unanswered_tickets() -> None:
    created = _times("2024-01-01 09:00", "2024-01-01 10:00", "2024-01-01 11:00")
    responded = _times("2024-01-01 09:30", "2024-01-01 11:30", None)
    assert first_response_time(created, responded) == pd.Timedelta(minutes=60)


def test_average_response_and_wait_times() -> None:
    start = _times("2024-01-01 09:00", "2024-01-01 09:10")
    end = _times("2024-01-01 09:02", "2024-01-01 09:14")
    assert average_response_time(start, end) == pd.Timedelta(minutes=3)
    assert average_wait_time(start, end) == pd.Timedelta(minutes=3)


def test_durations_edge_cases() -> None:
    assert first_response_time(_times("2024-01-01"), _times(None)) is pd.NaT
    with pytest.raises(ValidationError, match="earlier"):
        first_response_time(_times("2024-01-02"), _times("2024-01-01"))
    with pytest.raises(ValidationError, match="same length"):
        average_wait_time(_times("2024-01-01", "2024-01-02"), _times("2024-01-03"))


# --------------------------------------------------------------------------- properties


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=60))
def test_nps_is_bounded_and_inside_its_interval(scores: list[int]) -> None:
    result = nps(scores)
    assert -100.0 <= result.ci_low <= result.nps <= result.ci_high <= 100.0
    assert result.promoter_share + result.passive_share + result.detractor_share == pytest.approx(1.0)
    assert nps_class(pd.Series(scores)).value_counts().get("promoter", 0) == round(result.promoter_share * result.n)
