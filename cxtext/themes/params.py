"""Checks of :class:`~cxtext.themes.ThemeModel`'s parameters.

``PARAMS`` names the parameters (what ``get_params`` returns and
:mod:`cxtext.themes.persist` saves); :func:`check_params` is what ``fit`` and
``sample_indices`` run first. What each parameter means is in the class
docstring. Interface: :func:`check_params` only reads the model's parameters.
"""

from __future__ import annotations

import math
import numbers

from cxtext.errors import ValidationError
from cxtext.themes.reduce import Reducer

PARAMS = (
    "min_theme_size",
    "reduction",
    "n_components",
    "n_neighbors",
    "reassign_threshold",
    "merge_threshold",
    "secondary_margin",
    "center_languages",
    "min_language_size",
    "embedding_model",
    "random_state",
    "max_fit_size",
    "min_relative_coherence",
    "small_corpus_size",
    "small_corpus_z",
    "min_samples",
)
#: Smallest ``max_fit_size``.
MIN_FIT_SIZE = 10


def _real(name: str, value, low: float | None = None, high: float | None = None,
          low_open: bool = False, high_open: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok and low is not None:
        ok = float(value) > low if low_open else float(value) >= low
    if ok and high is not None:
        ok = float(value) < high if high_open else float(value) <= high
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low}"
        hi = "" if high is None else f"{high}" + (")" if high_open else "]")
        rng = f" in {lo}, {hi}" if low is not None and high is not None else (f" >= {low}" if low is not None else "")
        raise ValidationError(f"The '{name}' parameter must be a float{rng}. Got {value!r} instead.")
    return float(value)


def check_params(model) -> None:
    """Raise ValidationError naming the first parameter of ``model`` that is out of range."""
    if model.min_theme_size is not None and (
        isinstance(model.min_theme_size, bool)
        or not isinstance(model.min_theme_size, numbers.Integral)
        or model.min_theme_size < 2
    ):
        raise ValidationError(
            f"The 'min_theme_size' parameter must be an int >= 2 or None. Got {model.min_theme_size!r} instead."
        )
    if model.reassign_threshold is not None:
        _real("reassign_threshold", model.reassign_threshold, 0.0, 1.0, high_open=True)
    if model.min_samples is not None and (isinstance(model.min_samples, bool)
                                          or not isinstance(model.min_samples, numbers.Integral)
                                          or model.min_samples < 1):
        raise ValidationError(
            f"The 'min_samples' parameter must be an int >= 1 or None (scaled to the theme size). "
            f"Got {model.min_samples!r} instead."
        )
    if not (isinstance(model.merge_threshold, numbers.Real) and not isinstance(model.merge_threshold, bool)
            and not math.isnan(float(model.merge_threshold))):
        raise ValidationError(
            f"The 'merge_threshold' parameter must be a float (z-score; inf disables merging). "
            f"Got {model.merge_threshold!r} instead."
        )
    _real("secondary_margin", model.secondary_margin, 0.0)
    if model.min_relative_coherence is not None:
        _real("min_relative_coherence", model.min_relative_coherence, 0.0, 1.0)
    if not isinstance(model.center_languages, bool):
        raise ValidationError(
            f"The 'center_languages' parameter must be True or False. Got {model.center_languages!r} instead."
        )
    if isinstance(model.min_language_size, bool) or not isinstance(model.min_language_size, numbers.Integral) \
            or model.min_language_size < 1:
        raise ValidationError(
            f"The 'min_language_size' parameter must be an int >= 1. Got {model.min_language_size!r} instead."
        )
    if not isinstance(model.embedding_model, str) or not model.embedding_model:
        raise ValidationError(
            f"The 'embedding_model' parameter must be a non-empty string. Got {model.embedding_model!r} instead."
        )
    if model.max_fit_size is not None and (
        isinstance(model.max_fit_size, bool)
        or not isinstance(model.max_fit_size, numbers.Integral)
        or model.max_fit_size < MIN_FIT_SIZE
    ):
        raise ValidationError(
            f"The 'max_fit_size' parameter must be an int >= {MIN_FIT_SIZE} or None (never sample). "
            f"Got {model.max_fit_size!r} instead."
        )
    if model.small_corpus_size is not None and (
        isinstance(model.small_corpus_size, bool)
        or not isinstance(model.small_corpus_size, numbers.Integral)
        or model.small_corpus_size < 0
    ):
        raise ValidationError(
            f"The 'small_corpus_size' parameter must be an int >= 0 or None (never use the small-corpus rule). "
            f"Got {model.small_corpus_size!r} instead."
        )
    _real("small_corpus_z", model.small_corpus_z)
    # reducer parameters are checked by the Reducer itself, with the same messages
    Reducer(model.reduction, model.n_components, model.n_neighbors)._validate_params()

