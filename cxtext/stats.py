"""Statistical tests more than one stage needs, so they are written once.

``two_proportion_p_value`` is the drivers' detractor-lift test (a theme against the rest) and the
theme suggestions' score test (one part of a theme against the other). The module imports scipy
only, so every stage may import it (it belongs to the base of docs/architecture.md).
"""

from __future__ import annotations

import math

from scipy import stats

__all__ = ["two_proportion_p_value"]


def two_proportion_p_value(successes_a: int, n_a: int, successes_b: int, n_b: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test of ``successes_a / n_a`` vs ``successes_b / n_b``.

    Both groups need at least one member, and the pooled share must lie strictly between 0 and 1
    (the test is undefined when everybody, or nobody, is a success).
    """
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (successes_a / n_a - successes_b / n_b) / se
    return float(2 * stats.norm.sf(abs(z)))
