"""Check every row against the column mapping and the score scales.

Stage 2 of the flow. ``validate`` turns the raw frame into the ``records``
frame documented in :mod:`cxtext.schema`: one row per input row, each with a
``status`` ("analyzed" or "rejected") and, when rejected, a ``reason`` a
person can read. Nothing is dropped: ``len(records) == len(raw)`` always.

Rules:

* A score that cannot be read (``"n/a"``, ``7.5``, ``11``) rejects the row,
  because an analysis with a wrong score in it would mislead; the reason
  names the column and value so the user can fix the export.
* An empty score is not an error: social mentions have none. Such rows are
  themed but do not count in score metrics.
* Empty or whitespace-only text rejects the row for theming, but its valid
  score still counts in NPS/CES/CSAT (``scores_valid`` stays True).
* A date that cannot be read keeps the row and leaves a ``warning``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxtext.errors import ColumnMappingError
from cxtext.schema import (
    CSAT_SCALE,
    DEFAULT_CES_SCALE,
    NPS_SCALE,
    STATUS_ANALYZED,
    STATUS_REJECTED,
    ColumnMapping,
    ScoreScale,
)

# "9", "9.0", " 9 ", "9 - very likely", "9 (likely)", "9/10", "٩": a number,
# optionally followed by a separator and words. Anything else is not a score.
_SCORE_PATTERN = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:/\s*10\b)?\s*(?:[-–—:(|]?\s*[^\d\s.,].*)?$")
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MISSING_TEXT = {"", "nan", "none", "null", "<na>"}


@dataclass(frozen=True)
class ScoreReading:
    """The result of reading one score cell: a value, nothing, or a problem."""

    value: int | None
    problem: str | None = None


def parse_score(raw: object, scale: ScoreScale, name: str) -> ScoreReading:
    """Read one score cell on an integer ``scale``.

    Empty cells give ``value=None`` without a problem. Values are accepted as
    ints, integral floats, or text such as ``" 9 "``, ``"9.0"`` and
    ``"9 - very likely"``; Arabic-Indic digits are understood.
    ``name`` ("NPS", "CES", "CSAT") is used in the problem text.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA:
        return ScoreReading(None)
    if isinstance(raw, (bool, np.bool_)):
        return ScoreReading(None, f"{name} '{raw}' is not a number on {scale.label}")
    if isinstance(raw, (int, np.integer)):
        number = float(raw)
        shown = str(raw)
    elif isinstance(raw, (float, np.floating)):
        number = float(raw)
        shown = _format_number(number)
        if math.isinf(number):
            return ScoreReading(None, f"{name} '{shown}' is not a number on {scale.label}")
    else:
        shown = str(raw).strip()
        if shown.lower() in _MISSING_TEXT:
            return ScoreReading(None)
        match = _SCORE_PATTERN.match(unicodedata.normalize("NFKC", shown).translate(_ARABIC_INDIC))
        if not match:
            return ScoreReading(None, f"{name} '{_clip(shown)}' is not a number on {scale.label}")
        number = float(match.group(1).replace(",", "."))
    if not number.is_integer():
        return ScoreReading(None, f"{name} '{_clip(shown)}' is not a whole number on {scale.label}")
    value = int(number)
    if not scale.low <= value <= scale.high:
        return ScoreReading(None, f"{name} '{_clip(shown)}' is outside {scale.label}")
    return ScoreReading(value)


def _format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def read_text(raw: object) -> str:
    """The comment as a string; missing values become ''."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    return str(raw)


def validate(
    raw: pd.DataFrame,
    mapping: ColumnMapping,
    ces_scale: ScoreScale = DEFAULT_CES_SCALE,
    source_name: str = "input",
) -> pd.DataFrame:
    """Build the ``records`` frame (see :mod:`cxtext.schema`) from a raw frame.

    ``source_name`` (a file name) is used in messages. Raises
    :class:`ColumnMappingError` if a mapped column is missing; every
    per-row problem becomes a rejection with its reason instead.
    """
    missing = [f"{role}='{col}'" for role, col in mapping.mapped().items() if col not in raw.columns]
    if missing:
        raise ColumnMappingError(
            f"{source_name}: mapped column(s) {', '.join(missing)} not found. "
            f"Columns found: {', '.join(map(str, raw.columns))}."
        )
    n_rows = len(raw)
    texts = [read_text(v) for v in _column(raw, mapping.text, n_rows)]
    scores = {
        "nps": [parse_score(v, NPS_SCALE, "NPS") for v in _column(raw, mapping.nps, n_rows)],
        "ces": [parse_score(v, ces_scale, "CES") for v in _column(raw, mapping.ces, n_rows)],
        "csat": [parse_score(v, CSAT_SCALE, "CSAT") for v in _column(raw, mapping.csat, n_rows)],
    }
    dates, date_warnings = _parse_dates(_column(raw, mapping.date, n_rows))

    statuses, reasons, scores_valid = [], [], []
    for index in range(n_rows):
        problems = [scores[kind][index].problem for kind in scores if scores[kind][index].problem]
        text_missing = texts[index].strip() == "" or _only_invisible(texts[index])
        if problems:
            statuses.append(STATUS_REJECTED)
            reasons.append("; ".join(problems))
            scores_valid.append(False)
        elif text_missing:
            statuses.append(STATUS_REJECTED)
            has_score = any(scores[kind][index].value is not None for kind in scores)
            reasons.append("empty comment (its score still counts in metrics)" if has_score
                           else "empty comment and no score")
            scores_valid.append(has_score)
        else:
            statuses.append(STATUS_ANALYZED)
            reasons.append("")
            scores_valid.append(True)

    records = pd.DataFrame({
        "row": np.arange(1, n_rows + 1, dtype=np.int64),
        "id": pd.array([_optional_text(v) for v in _column(raw, mapping.id, n_rows)], dtype="string"),
        "text": texts,
        "nps": pd.array([r.value for r in scores["nps"]], dtype="Int64"),
        "ces": pd.array([r.value for r in scores["ces"]], dtype="Int64"),
        "csat": pd.array([r.value for r in scores["csat"]], dtype="Int64"),
        "date": dates,
        "source": pd.array([_optional_text(v) for v in _column(raw, mapping.source, n_rows)], dtype="string"),
        "segment": pd.array([_optional_text(v) for v in _column(raw, mapping.segment, n_rows)], dtype="string"),
        "status": statuses,
        "reason": reasons,
        "scores_valid": np.array(scores_valid, dtype=bool),
        "warning": date_warnings,
    })
    return records


def _column(raw: pd.DataFrame, column: str | None, n_rows: int) -> list[object]:
    if column is None:
        return [None] * n_rows
    values = raw[column]
    if isinstance(values, pd.DataFrame):  # duplicate header names
        raise ColumnMappingError(f"column '{column}' appears more than once; rename one of them.")
    return values.tolist()


def _optional_text(raw: object) -> str | None:
    text = read_text(raw).strip()
    return None if text.lower() in _MISSING_TEXT else text


def _only_invisible(text: str) -> bool:
    """True for text made only of zero-width and other format characters."""
    return all(unicodedata.category(ch) in ("Cf", "Zs", "Cc") for ch in text)


def _parse_dates(values: list[object]) -> tuple[pd.Series, list[str]]:
    """Parse dates in any common format; unreadable ones become NaT with a warning."""
    parsed: list[pd.Timestamp] = []
    warnings: list[str] = []
    for value in values:
        text = _optional_text(value)
        if text is None:
            parsed.append(pd.NaT)
            warnings.append("")
            continue
        stamp = _to_timestamp(value, text)
        parsed.append(stamp)
        warnings.append("" if stamp is not pd.NaT else f"date '{_clip(text)}' not understood; row kept without a date")
    series = pd.to_datetime(pd.Series(parsed, dtype="object"), errors="coerce", utc=True)
    return series.dt.tz_localize(None), warnings


def _to_timestamp(value: object, text: str) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp):
        stamp = value
    else:
        try:
            stamp = pd.Timestamp(value) if hasattr(value, "year") else pd.to_datetime(text, format="mixed")
        except (ValueError, TypeError, OverflowError):
            return pd.NaT
    if stamp is pd.NaT or not 1970 <= stamp.year <= 2200:
        return pd.NaT
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp
