"""Business rates and service times: churn, retention, CLV, response rate; first response, response
and wait times.

Rates are in *percent* (0-100) unless an argument says it is a fraction (0-1); CLV is in the
currency of its input; times are ``pd.Timedelta``. Inputs out of range raise
:class:`~cxtext.errors.ValidationError` (:mod:`cxtext.metrics.checks`).
"""

from __future__ import annotations

import pandas as pd

from cxtext.errors import ValidationError
from cxtext.metrics.checks import require_finite, require_fraction, require_non_negative, require_positive


# --------------------------------------------------------------------------- business rates


def churn_rate(customers_at_start: float, customers_lost: float) -> float:
    """Customer churn in percent: lost / start × 100 (20 lost of 250 -> 8.0).

    ``customers_at_start`` must be > 0 and ``customers_lost`` within 0..start.
    """
    return _percent_of(customers_lost, "customers_lost", customers_at_start, "customers_at_start")


def retention_rate(
    customers_at_start: float, customers_at_end: float, new_customers: float
) -> float:
    """Customer retention rate in percent: CRR = (E - N) / S × 100.

    ``S`` customers at the start of the period (> 0), ``E`` at its end, ``N``
    acquired during it (0 <= N <= E). Example: S=200, E=200, N=20 -> 90.0.
    """
    require_positive(customers_at_start, "customers_at_start")
    require_non_negative(customers_at_end, "customers_at_end")
    require_non_negative(new_customers, "new_customers")
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
    require_non_negative(avg_purchase_value, "avg_purchase_value")
    require_non_negative(purchase_frequency_per_year, "purchase_frequency_per_year")
    require_non_negative(lifespan_years, "lifespan_years")
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
    require_finite(avg_margin_per_period, "avg_margin_per_period")
    require_fraction(retention_rate, "retention_rate")
    require_fraction(discount_rate, "discount_rate")
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
    return _percent_of(responses, "responses", invitations, "invitations")


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


def _percent_of(part: float, part_name: str, whole: float, whole_name: str) -> float:
    """``part`` as a percent of ``whole``: whole > 0, part within 0..whole (a ValidationError naming both)."""
    require_positive(whole, whole_name)
    require_non_negative(part, part_name)
    if part > whole:
        raise ValidationError(f"{part_name} cannot exceed {whole_name} ({whole}); got {part}.")
    return 100.0 * part / whole
