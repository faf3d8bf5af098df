"""cxtext.stats: the two-proportion test shared by the drivers and the theme suggestions."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportions_ztest

from cxtext.stats import two_proportion_p_value


def test_two_proportion_p_value_worked_example():
    # 5 of 10 vs 10 of 10: pooled 0.75, se sqrt(0.75 * 0.25 * (1/10 + 1/10)) = 0.19365, z = -2.582
    assert two_proportion_p_value(5, 10, 10, 10) == pytest.approx(0.009823, abs=1e-6)


@pytest.mark.parametrize("counts", [(30, 100, 20, 100), (3, 40, 17, 60), (120, 400, 9, 25)])
def test_two_proportion_p_value_agrees_with_statsmodels(counts):
    a, n_a, b, n_b = counts
    _, expected = proportions_ztest([a, b], [n_a, n_b])  # pooled variance by default, two-sided
    assert two_proportion_p_value(a, n_a, b, n_b) == pytest.approx(expected, rel=1e-9)


def test_two_proportion_p_value_is_symmetric_and_one_for_equal_shares():
    assert two_proportion_p_value(3, 10, 6, 20) == pytest.approx(1.0)
    assert two_proportion_p_value(3, 40, 17, 60) == pytest.approx(two_proportion_p_value(17, 60, 3, 40))
