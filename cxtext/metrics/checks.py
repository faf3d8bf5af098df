"""The metrics' input checks: scores read as whole numbers on their scale, and numbers checked.

A value that is not a whole number inside the scale, or a rate input out of its range, raises
:class:`~cxtext.errors.ValidationError` with the values it saw, because a metric computed over a
wrong input would mislead silently. Missing values (``None``, ``NaN``, ``<NA>``) are respondents
who skipped the question and are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxtext.errors import ValidationError
from cxtext.schema import ScoreScale


def score_values(scores: Iterable[object], scale: ScoreScale, name: str) -> np.ndarray:
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


def is_missing(value: object) -> bool:
    """True for ``None``, ``NaN``, ``NaT`` and ``<NA>``; False for anything ``pd.isna`` cannot judge."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in values.head(3).tolist())


def _format(value: float) -> str:
    return str(int(value)) if np.isfinite(value) and value == int(value) else repr(float(value))


def require_finite(value: float, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
        raise ValidationError(f"{name} must be a finite number; got {value!r}.")


def require_non_negative(value: float, name: str) -> None:
    require_finite(value, name)
    if value < 0:
        raise ValidationError(f"{name} must be 0 or more; got {value}.")


def require_positive(value: float, name: str) -> None:
    require_finite(value, name)
    if value <= 0:
        raise ValidationError(f"{name} must be greater than 0; got {value}.")


def require_fraction(value: float, name: str) -> None:
    require_finite(value, name)
    if not 0.0 <= value <= 1.0:
        raise ValidationError(
            f"{name} must be a fraction between 0 and 1 (e.g. 0.8 for 80 %); got {value}."
        )
