"""Survey scores: NPS, CSAT, CES and a plain mean, each with its 95 % interval.

NPS is in *points* from -100 to 100 (``%promoters - %detractors``); shares are fractions in 0-1;
CES and CSAT means are on the survey's own scale (:class:`ScoreScale`). Scores may be any 1-D
array-like; missing values are skipped answers; a value off the scale raises
:class:`~cxtext.errors.ValidationError` (:mod:`cxtext.metrics.checks`). An empty sample gives
``n == 0`` and NaN values, never an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from cxtext.metrics.checks import is_missing, require_non_negative, score_values
from cxtext.schema import CSAT_SCALE, NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE, ScoreScale

Z_95 = float(stats.norm.ppf(0.975))  # 1.959963984540054, two-sided 95 % normal quantile
NPS_MIN, NPS_MAX = -100.0, 100.0
PROMOTER_MIN = NPS_PROMOTER_MIN  # 9-10 are promoters
DETRACTOR_MAX = NPS_DETRACTOR_MAX  # 0-6 are detractors; 7-8 are passives
TOP_BOX_POINTS = 2  # "top two box": the two best points of a scale

NpsClass = Literal["promoter", "passive", "detractor"]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score of a sample.

    ``n`` respondents; ``*_share`` fractions in 0-1; ``nps``, ``se``,
    ``ci_low`` and ``ci_high`` in points (-100..100). The CI is the 95 % normal
    approximation ``nps ± 1.96·se`` clipped to [-100, 100].
    """

    n: int
    promoter_share: float
    passive_share: float
    detractor_share: float
    nps: float
    se: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class CsatResult:
    """Customer satisfaction of a sample.

    ``satisfied_share`` (0-1) is the share in the top two points of the scale
    (4-5 on 1-5); ``csat_percent`` is the same in percent; ``mean`` is on the
    scale; ``ci_low``/``ci_high`` are the 95 % Wilson interval of the share (0-1).
    """

    n: int
    satisfied_share: float
    csat_percent: float
    mean: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class CesResult:
    """Customer effort of a sample.

    ``mean`` is on the survey's scale (read its direction from ``scale``);
    ``low_effort_share`` (0-1) is the share in the two points at the easy end;
    ``ci_low``/``ci_high`` are the 95 % Student-t interval of the mean.
    """

    n: int
    mean: float
    low_effort_share: float
    ci_low: float
    ci_high: float
    scale: ScoreScale


# --------------------------------------------------------------------------- scores


def nps(scores: Iterable[object]) -> NpsResult:
    """Net Promoter Score of 0-10 answers.

    NPS = %promoters (9-10) - %detractors (0-6), in points; passives are 7-8.
    Standard error uses Var(NPS) = 100²·[p + d - (p - d)²] / n with p, d the
    promoter and detractor shares, i.e. the variance of a +1/0/-1 score.
    Example: 70 % promoters and 10 % detractors give NPS 60.
    Empty input gives ``n=0`` and NaN everywhere else.
    """
    values = score_values(scores, NPS_SCALE, "NPS")
    promoters = int(np.sum(values >= PROMOTER_MIN))
    detractors = int(np.sum(values <= DETRACTOR_MAX))
    return nps_from_counts(promoters, int(values.size) - promoters - detractors, detractors)


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """NPS from counts of promoters (9-10), passives (7-8) and detractors (0-6).

    Same result as :func:`nps` on the underlying answers; useful when the
    counts are already aggregated. Counts must be whole numbers >= 0.
    """
    for name, count in (("promoters", promoters), ("passives", passives), ("detractors", detractors)):
        require_non_negative(count, name)
    n = int(promoters + passives + detractors)
    if n == 0:
        return NpsResult(0, *([math.nan] * 7))
    promoter_share, passive_share, detractor_share = promoters / n, passives / n, detractors / n
    score = 100.0 * (promoter_share - detractor_share)
    se = nps_standard_error(promoter_share, detractor_share, n)
    ci_low, ci_high = _clip_nps(score - Z_95 * se), _clip_nps(score + Z_95 * se)
    return NpsResult(n, promoter_share, passive_share, detractor_share, score, se, ci_low, ci_high)


def nps_standard_error(promoter_share: float, detractor_share: float, n: int) -> float:
    """Standard error of an NPS in points: 100·sqrt([p + d - (p - d)²] / n).

    Shares are fractions (0-1); ``n`` respondents; NaN when ``n == 0``.
    """
    if n <= 0:
        return math.nan
    variance = promoter_share + detractor_share - (promoter_share - detractor_share) ** 2
    return 100.0 * math.sqrt(max(variance, 0.0) / n)  # max(): guards -1e-17 from rounding


def nps_class(score: object) -> NpsClass | pd.Series | None:
    """Classify 0-10 answers as "promoter" (9-10), "passive" (7-8) or "detractor" (0-6).

    A scalar gives a string (``None`` when missing). An array-like gives a
    pandas Series of strings (``<NA>`` when missing), keeping a Series' index.
    Values outside 0-10 raise :class:`ValidationError`.
    """
    if np.ndim(score) == 0:
        if is_missing(score):
            return None
        value = score_values([score], NPS_SCALE, "NPS")[0]
        return _class_of(value)
    series = score if isinstance(score, pd.Series) else pd.Series(list(score))
    score_values(series, NPS_SCALE, "NPS")  # validates the whole input once
    numeric = series.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    labels = np.select(
        [numeric >= PROMOTER_MIN, numeric > DETRACTOR_MAX, numeric >= NPS_SCALE.low],
        ["promoter", "passive", "detractor"],
        default="",
    )
    return pd.Series(labels, index=series.index, dtype="string").replace("", pd.NA)


def csat(scores: Iterable[object], scale: ScoreScale = CSAT_SCALE) -> CsatResult:
    """Customer satisfaction: share of answers in the two best points of ``scale``.

    On the usual 1-5 scale (5 best) "satisfied" is 4-5. ``csat_percent`` is
    that share times 100; ``mean`` is on the scale; the CI is Wilson's 95 %
    interval of the share. Empty input gives ``n=0`` and NaN values.
    """
    values = score_values(scores, scale, "CSAT")
    n = int(values.size)
    if n == 0:
        return CsatResult(0, *([math.nan] * 5))
    satisfied = int(_in_good_end(values, scale).sum())
    satisfied_share = satisfied / n
    ci_low, ci_high = wilson_interval(satisfied, n)
    return CsatResult(n, satisfied_share, 100.0 * satisfied_share, float(values.mean()), ci_low, ci_high)


def ces(scores: Iterable[object], scale: ScoreScale) -> CesResult:
    """Customer effort on ``scale``; ``scale.good_end`` is the *easy* end.

    ``low_effort_share`` (0-1) counts the two points at the easy end: 6-7 on a
    1-7 scale where 7 = very easy, 1-2 on a 1-5 scale where 1 = very easy.
    ``mean`` stays on the scale as given (no re-orientation); its 95 % CI uses
    Student's t with n-1 degrees of freedom (NaN bounds when n < 2).
    """
    values = score_values(scores, scale, "CES")
    n = int(values.size)
    if n == 0:
        return CesResult(0, math.nan, math.nan, math.nan, math.nan, scale)
    mean = float(values.mean())
    low_effort_share = float(np.mean(_in_good_end(values, scale)))
    ci_low, ci_high = t_interval(values)
    return CesResult(n, mean, low_effort_share, ci_low, ci_high, scale)


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion ``successes / n`` (fractions 0-1)."""
    if n <= 0:
        return math.nan, math.nan
    share = successes / n
    z2 = Z_95**2
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half_width = Z_95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def t_interval(values: np.ndarray) -> tuple[float, float]:
    """95 % Student-t interval of the mean of ``values`` (same units as the values)."""
    n = values.size
    if n < 2:
        return math.nan, math.nan
    mean = float(values.mean())
    half_width = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean - half_width, mean + half_width


@dataclass(frozen=True)
class MeanResult:
    """The mean of a sample (e.g. star ratings) with its 95 % Student-t interval, in the values' units."""

    n: int
    mean: float
    ci_low: float
    ci_high: float


def mean_with_ci(values: Iterable[float]) -> MeanResult:
    """Mean and 95 % t-interval of the non-missing ``values`` (a rating's mean, in its scale's points)."""
    array = np.asarray([float(v) for v in values if not is_missing(v)], dtype=float)
    if array.size == 0:
        return MeanResult(0, math.nan, math.nan, math.nan)
    low, high = t_interval(array)
    return MeanResult(int(array.size), float(array.mean()), low, high)


# --------------------------------------------------------------------------- helpers


def _in_good_end(values: np.ndarray, scale: ScoreScale) -> np.ndarray:
    """True for values in the two best points of the scale."""
    if scale.good_end == "high":
        return values > scale.high - TOP_BOX_POINTS
    return values < scale.low + TOP_BOX_POINTS


def _class_of(value: float) -> NpsClass:
    if value >= PROMOTER_MIN:
        return "promoter"
    if value > DETRACTOR_MAX:
        return "passive"
    return "detractor"


def _clip_nps(value: float) -> float:
    return float(min(NPS_MAX, max(NPS_MIN, value)))
