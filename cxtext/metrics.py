"""Customer-experience metrics as small pure functions.

Units and scales, once for the whole module:

* *shares* are fractions in 0-1; *percent* values are 0-100;
* NPS is in *points* from -100 to 100 (``%promoters - %detractors``);
* CES and CSAT means are on the survey's own scale (:class:`ScoreScale`);
* confidence intervals are 95 %, two-sided.

Score inputs may be any 1-D array-like (list, numpy array, pandas Series,
including nullable ``Int64``). Missing values (``None``, ``NaN``, ``<NA>``) are
ignored: they are respondents who skipped the question. A value that is not a
whole number inside the scale raises :class:`~cxtext.errors.ValidationError`,
because a metric computed over a wrong score would mislead silently.

Nothing here raises for an empty sample: ``n == 0`` and the values are NaN,
so a dashboard over a filter with no respondents still renders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from cxtext.errors import ValidationError
from cxtext.schema import CSAT_SCALE, NPS_SCALE, ScoreScale

Z_95 = float(stats.norm.ppf(0.975))  # 1.959963984540054, two-sided 95 % normal quantile
NPS_MIN, NPS_MAX = -100.0, 100.0
PROMOTER_MIN = 9  # 9-10 are promoters
DETRACTOR_MAX = 6  # 0-6 are detractors; 7-8 are passives
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
    values = _score_values(scores, NPS_SCALE, "NPS")
    promoters = int(np.sum(values >= PROMOTER_MIN))
    detractors = int(np.sum(values <= DETRACTOR_MAX))
    return nps_from_counts(promoters, int(values.size) - promoters - detractors, detractors)


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """NPS from counts of promoters (9-10), passives (7-8) and detractors (0-6).

    Same result as :func:`nps` on the underlying answers; useful when the
    counts are already aggregated. Counts must be whole numbers >= 0.
    """
    for name, count in (("promoters", promoters), ("passives", passives), ("detractors", detractors)):
        _require_non_negative(count, name)
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
        if _is_missing(score):
            return None
        value = _score_values([score], NPS_SCALE, "NPS")[0]
        return _class_of(value)
    series = score if isinstance(score, pd.Series) else pd.Series(list(score))
    _score_values(series, NPS_SCALE, "NPS")  # validates the whole input once
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
    values = _score_values(scores, scale, "CSAT")
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
    values = _score_values(scores, scale, "CES")
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
    array = np.asarray([float(v) for v in values if not _is_missing(v)], dtype=float)
    if array.size == 0:
        return MeanResult(0, math.nan, math.nan, math.nan)
    low, high = t_interval(array)
    return MeanResult(int(array.size), float(array.mean()), low, high)


# --------------------------------------------------------------------------- business rates


def churn_rate(customers_at_start: float, customers_lost: float) -> float:
    """Customer churn in percent: lost / start × 100 (20 lost of 250 -> 8.0).

    ``customers_at_start`` must be > 0 and ``customers_lost`` within 0..start.
    """
    _require_positive(customers_at_start, "customers_at_start")
    _require_non_negative(customers_lost, "customers_lost")
    if customers_lost > customers_at_start:
        raise ValidationError(
            f"customers_lost cannot exceed customers_at_start ({customers_at_start}); "
            f"got {customers_lost}."
        )
    return 100.0 * customers_lost / customers_at_start


def retention_rate(
    customers_at_start: float, customers_at_end: float, new_customers: float
) -> float:
    """Customer retention rate in percent: CRR = (E - N) / S × 100.

    ``S`` customers at the start of the period (> 0), ``E`` at its end, ``N``
    acquired during it (0 <= N <= E). Example: S=200, E=200, N=20 -> 90.0.
    """
    _require_positive(customers_at_start, "customers_at_start")
    _require_non_negative(customers_at_end, "customers_at_end")
    _require_non_negative(new_customers, "new_customers")
    if new_customers > customers_at_end:
        raise ValidationError(
            f"new_customers cannot exceed customers_at_end ({customers_at_end}); "
            f"got {new_customers}."
        )
    return 100.0 * (customers_at_end - new_customers) / customers_at_start


def clv_simple(
    avg_purchase_value: float, purchase_frequency_per_year: float, lifespan_years: float
) -> float:
    """Customer lifetime value = value per purchase × purchases per year × years.

    Result is in the currency of ``avg_purchase_value``; all inputs must be >= 0.
    """
    _require_non_negative(avg_purchase_value, "avg_purchase_value")
    _require_non_negative(purchase_frequency_per_year, "purchase_frequency_per_year")
    _require_non_negative(lifespan_years, "lifespan_years")
    return float(avg_purchase_value * purchase_frequency_per_year * lifespan_years)


def clv_predictive(
    avg_margin_per_period: float, retention_rate: float, discount_rate: float
) -> float:
    """Customer lifetime value from margin, retention and discounting: m·r / (1 + d - r).

    ``avg_margin_per_period`` in currency per period (may be negative);
    ``retention_rate`` and ``discount_rate`` are per-period fractions in 0-1
    (0.8, not 80). ``retention_rate == 1`` with ``discount_rate == 0`` has no
    finite value and is rejected.
    """
    _require_finite(avg_margin_per_period, "avg_margin_per_period")
    _require_fraction(retention_rate, "retention_rate")
    _require_fraction(discount_rate, "discount_rate")
    denominator = 1.0 + discount_rate - retention_rate
    if denominator <= 0:
        raise ValidationError(
            "clv_predictive needs discount_rate > 0 when retention_rate is 1 (the value "
            f"would be infinite); got retention_rate={retention_rate}, discount_rate={discount_rate}."
        )
    return float(avg_margin_per_period * retention_rate / denominator)


def feedback_response_rate(responses: float, invitations: float) -> float:
    """Survey response rate in percent: responses / invitations × 100.

    ``invitations`` must be > 0 and ``responses`` within 0..invitations.
    """
    _require_positive(invitations, "invitations")
    _require_non_negative(responses, "responses")
    if responses > invitations:
        raise ValidationError(
            f"responses cannot exceed invitations ({invitations}); got {responses}."
        )
    return 100.0 * responses / invitations


# --------------------------------------------------------------------------- durations


def first_response_time(created: pd.Series, first_responded: pd.Series) -> pd.Timedelta:
    """Mean time from ticket creation to the first agent reply, as a ``pd.Timedelta``.

    Both Series hold datetimes and are paired by position. Pairs with a
    missing start or end (not yet answered) are ignored; ``NaT`` when no pair
    is complete. A reply before its ticket raises :class:`ValidationError`.
    """
    return _mean_duration(created, first_responded, "created", "first_responded")


def average_response_time(received: pd.Series, responded: pd.Series) -> pd.Timedelta:
    """Mean time from each customer message to the agent's reply, as a ``pd.Timedelta``.

    Paired by position; pairs with a missing start or end (no reply yet) are
    ignored; ``NaT`` when no pair is complete.
    """
    return _mean_duration(received, responded, "received", "responded")


def average_wait_time(queued: pd.Series, answered: pd.Series) -> pd.Timedelta:
    """Mean time a customer waits in the queue before an agent answers, as a ``pd.Timedelta``.

    Paired by position; pairs with a missing start or end (abandoned or still
    waiting) are ignored; ``NaT`` when no pair is complete.
    """
    return _mean_duration(queued, answered, "queued", "answered")


def _mean_duration(starts: pd.Series, ends: pd.Series, start_name: str, end_name: str) -> pd.Timedelta:
    start_times = _as_datetimes(starts, start_name)
    end_times = _as_datetimes(ends, end_name)
    if len(start_times) != len(end_times):
        raise ValidationError(
            f"{start_name} and {end_name} must have the same length; "
            f"got {len(start_times)} and {len(end_times)}."
        )
    durations = pd.Series(end_times.to_numpy() - start_times.to_numpy()).dropna()
    negative = int((durations < pd.Timedelta(0)).sum())
    if negative:
        raise ValidationError(
            f"{end_name} must not be earlier than {start_name}; {negative} pair(s) are. "
            "Check that the two columns are not swapped."
        )
    if durations.empty:
        return pd.NaT
    return pd.Timedelta(durations.mean())


def _as_datetimes(values: pd.Series, name: str) -> pd.Series:
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    try:
        converted = pd.to_datetime(series.reset_index(drop=True), errors="raise")
    except (ValueError, TypeError) as error:
        raise ValidationError(f"{name} must hold dates/times; could not read them ({error}).") from None
    if converted.dt.tz is not None:  # compare instants, whatever zone they were written in
        converted = converted.dt.tz_convert("UTC").dt.tz_localize(None)
    return converted


# --------------------------------------------------------------------------- helpers


def _score_values(scores: Iterable[object], scale: ScoreScale, name: str) -> np.ndarray:
    """Non-missing scores as a float array, after checking they are whole numbers on ``scale``."""
    series = scores if isinstance(scores, pd.Series) else pd.Series(list(scores), dtype="object")
    present = series[series.notna()]
    try:
        values = present.astype("float64").to_numpy()
    except (ValueError, TypeError):
        raise ValidationError(
            f"{name} scores must be numbers on {scale.label}; got values such as "
            f"{_examples(present)}."
        ) from None
    bad = values[~np.isfinite(values) | (values != np.round(values)) | (values < scale.low) | (values > scale.high)]
    if bad.size:
        raise ValidationError(
            f"{name} scores must be whole numbers on {scale.label}; got "
            f"{bad.size} value(s) outside it, e.g. {', '.join(map(_format, bad[:3]))}."
        )
    return values


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


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in values.head(3).tolist())


def _format(value: float) -> str:
    return str(int(value)) if np.isfinite(value) and value == int(value) else repr(float(value))


def _require_finite(value: float, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
        raise ValidationError(f"{name} must be a finite number; got {value!r}.")


def _require_non_negative(value: float, name: str) -> None:
    _require_finite(value, name)
    if value < 0:
        raise ValidationError(f"{name} must be 0 or more; got {value}.")


def _require_positive(value: float, name: str) -> None:
    _require_finite(value, name)
    if value <= 0:
        raise ValidationError(f"{name} must be greater than 0; got {value}.")


def _require_fraction(value: float, name: str) -> None:
    _require_finite(value, name)
    if not 0.0 <= value <= 1.0:
        raise ValidationError(
            f"{name} must be a fraction between 0 and 1 (e.g. 0.8 for 80 %); got {value}."
        )
