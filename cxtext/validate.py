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
* A file without a comment column (``mapping.text`` None: scores only) analyses a
  row with a valid score and rejects a row without any ("no score").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxtext.errors import ColumnMappingError
from cxtext.io.dates import date_order, date_text
from cxtext.io.cells import (ARABIC_INDIC_DIGITS, NOT_ANSWERED, SCORE_PATTERN, help_desk_score, satisfaction_score,
                             word_key, word_scale)
from cxtext.schema import (
    BLANK_ROW_REASON,
    CSAT_SCALE,
    SCORE_ONLY_REASON,
    DEFAULT_CES_SCALE,
    NPS_SCALE,
    STATUS_ANALYZED,
    STATUS_BLANK,
    STATUS_REJECTED,
    STATUS_SCORE_ONLY,
    ColumnMapping,
    ScoreScale,
)

_MISSING_TEXT = {"", "nan", "none", "null", "<na>"}
# A score cell that says "no value": R's missing marker ("NA" in every R write.csv export: its rows were
# rejected, losing their comments), Excel's #N/A, a typed n/a or a dash. (An id or a segment may be "na".)
_MISSING_SCORE = _MISSING_TEXT | {"na", "n/a", "#n/a", "n.a.", "nil", "-", "--"} | NOT_ANSWERED
# A survey's "no answer" option written in words: "NA or Do Not Use" (a Google Forms grid's last column: the
# row and its comment were rejected), "N/A - I have not used it", "Not applicable", "Don't know", "Prefer not
# to say". Read as no score, so the row's comment and other scores still count.
_NO_SCORE_ANSWER = re.compile(r"^\s*(n/?a\b|not applicable|does not apply|no opinion|(i )?don'?t know|"
                              r"(i )?do not know|prefer not to (say|answer)|no answer)", re.IGNORECASE)


@dataclass(frozen=True)
class ScoreReading:
    """The result of reading one score cell: a value, nothing, or a problem."""

    value: int | float | None
    problem: str | None = None


def parse_score(raw: object, scale: ScoreScale, name: str, whole: bool = True,
                words: bool | dict[str, int] = False) -> ScoreReading:
    """Read one score cell on an integer ``scale``.

    Empty cells and missing markers ("NA", "n/a", "#N/A", "-") give ``value=None`` without a problem.
    Values are accepted as ints, integral floats, or text such as ``" 9 "``, ``"9.0"`` and
    ``"9 - very likely"``; Arabic-Indic digits are understood.
    ``name`` ("NPS", "CES", "CSAT") is used in the problem text. ``whole``
    False accepts decimals (review scores such as 7.5 on 1-10). ``words`` also reads a satisfaction
    answer in words on 1-5 (``"Extremely satisfied"`` -> 5: :func:`cxtext.io.cells.satisfaction_score`);
    a dict for ``words`` is the column's own word scale first (:func:`cxtext.io.cells.word_scale`).
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
        if shown.lower() in _MISSING_SCORE:
            return ScoreReading(None)
        match = SCORE_PATTERN.match(unicodedata.normalize("NFKC", shown).translate(ARABIC_INDIC_DIGITS))
        if not match and _NO_SCORE_ANSWER.match(shown):  # words only: a number never opens with them
            return ScoreReading(None)
        if not match and isinstance(words, dict) and (on_scale := words.get(word_key(shown))) is not None:
            return ScoreReading(on_scale)
        if not match and words and (in_words := satisfaction_score(shown) or help_desk_score(shown)) is not None:
            return ScoreReading(in_words)
        if not match:
            return ScoreReading(None, f"{name} '{_clip(shown)}' is not a number on {scale.label}")
        number = float(match.group(1).replace(",", "."))
    if whole and not number.is_integer():
        return ScoreReading(None, f"{name} '{_clip(shown)}' is not a whole number on {scale.label}")
    value = int(number) if whole else number
    if not scale.low <= value <= scale.high:
        return ScoreReading(None, f"{name} '{_clip(shown)}' is outside {scale.label}")
    return ScoreReading(value)


#: A score column none of whose answers (of at least this many) is a number or a known word is the wrong column:
#: analysing it would reject every row and its comment (a public Spanish survey's worded service question named
#: as CSAT left 0 of 364 rows analysed).
UNREADABLE_MIN_ANSWERS = 5


#: A score column most of whose answers lie outside its scale is on another scale (a 0-10 "how satisfied" named as
#: CSAT kept 44 of 219 answers, those that happen to lie in 1-5, and rejected 299 comments).
OFF_SCALE_SHARE = 0.5


_OFF_SCALE_FIX = {
    "nps": "NPS is 0-10: read this column with --rating instead (its scale is read from its values)",
    "csat": "CSAT is read on 1-5: read this column with --rating instead (its scale, e.g. 0-10, is read from its values)",
    "ces": "Give its scale with --ces-scale (1-4, 1-5 or 1-7)",
    "rating": "Give its scale with --rating-scale (e.g. 1-10)",
}


def _check_readable(scores: dict[str, list[ScoreReading]], mapping: ColumnMapping, source_name: str) -> None:
    """Stop, naming the file and column, when none of a score column's answers is readable, or most of them lie
    outside its scale."""
    for role, readings in scores.items():
        given = [r for r in readings if r.value is not None or r.problem]
        outside = [r.problem for r in given if r.problem and " is outside " in r.problem]
        if len(given) >= UNREADABLE_MIN_ANSWERS and len(outside) > OFF_SCALE_SHARE * len(given):
            column = getattr(mapping, role)
            scale = outside[0].rsplit(" is outside ", 1)[1]
            raise ColumnMappingError(
                f"{source_name}: column '{column}' ({role}) is not on {scale}: {len(outside):,} of its {len(given):,} "
                f"answers lie outside it ({_clip('; '.join(dict.fromkeys(outside[:10])), 120)}). Every such row would "
                f"be rejected with its comment. {_OFF_SCALE_FIX[role]}, name another column with --{role}, or "
                f"--{role} none.")
        unreadable = [r.problem for r in given if r.problem and "is not a number" in r.problem]
        if len(given) >= UNREADABLE_MIN_ANSWERS and len(unreadable) == len(given):
            column = getattr(mapping, role)
            examples = "; ".join(dict.fromkeys(p.split(" is not a number")[0] for p in unreadable[:20]))
            raise ColumnMappingError(
                f"{source_name}: column '{column}' ({role}) holds no score: none of its {len(given):,} answers is a "
                f"number or a known answer in words ({_clip(examples, 160)}). Every row would be rejected with "
                f"its comment. Name the right column with --{role}, or --{role} none to read the file without it.")


def _on_word_scale(values: list[object], scale: ScoreScale, name: str, whole: bool = False) -> list[ScoreReading]:
    """A CES or rating column: numbers, or on a 1-5 scale the column's own answers in words when they all lie on
    one of the word scales ("Muito fácil de compreender" ... "Muito difícil"; "Excelente", "Bueno", "Regular")."""
    words = word_scale(values) if (scale.low, scale.high) == (1, 5) else None
    return [parse_score(v, scale, name, whole=whole, words=words or False) for v in values]


def _csat_scores(values: list[object]) -> list[ScoreReading]:
    """A CSAT column read on 1-5: numbers, satisfaction or a help desk's rating in words, or the column's own
    word scale (Horrible ... Excellent) when its answers lie on one."""
    words = word_scale(values) or True
    return [parse_score(v, CSAT_SCALE, "CSAT", words=words) for v in values]


def _format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def read_text(raw: object) -> str:
    """The comment as a string; missing values become ''."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    return str(raw)


def _reverse_coded(reading: ScoreReading, scale: ScoreScale) -> ScoreReading:
    """A rating read so that the top of the scale is the best answer (a 1 = best rating: low + high − answer)."""
    if reading.value is None or scale.good_end == "high":
        return reading
    return ScoreReading(scale.reverse_coded(reading.value), reading.problem)


def validate(
    raw: pd.DataFrame,
    mapping: ColumnMapping,
    ces_scale: ScoreScale = DEFAULT_CES_SCALE,
    source_name: str = "input",
    rating_scale: ScoreScale | None = None,
) -> pd.DataFrame:
    """Build the ``records`` frame (see :mod:`cxtext.schema`) from a raw frame.

    ``source_name`` (a file name) is used in messages. ``rating_scale`` is
    the scale of ``mapping.rating`` (default 1-5); when its good end is the low one (1 = very good) the
    ratings are stored reverse-coded, so that the top of the scale is the best answer downstream. Raises
    :class:`ColumnMappingError` if a mapped column is missing; every per-row
    problem becomes a rejection with its reason instead. With several text
    columns, each non-empty comment cell becomes a record of its row (a row
    whose comment cells are all empty keeps one record, rejected as empty).
    """
    named = [*mapping.mapped().items(), *(("text", column) for column in mapping.extra_text)]
    missing = [f"{role}='{col}'" for role, col in named if col not in raw.columns]
    if missing:
        raise ColumnMappingError(
            f"{source_name}: mapped column(s) {', '.join(missing)} not found. "
            f"Columns found: {', '.join(map(str, raw.columns))}."
        )
    n_rows = len(raw)
    rating_scale = rating_scale or CSAT_SCALE
    scores = {
        "nps": [parse_score(v, NPS_SCALE, "NPS") for v in _column(raw, mapping.nps, n_rows)],
        "ces": _on_word_scale(_column(raw, mapping.ces, n_rows), ces_scale, "CES", whole=True),
        "csat": _csat_scores(_column(raw, mapping.csat, n_rows)),
        "rating": [_reverse_coded(reading, rating_scale)
                   for reading in _on_word_scale(_column(raw, mapping.rating, n_rows), rating_scale, "rating")],
    }
    _check_readable(scores, mapping, source_name)
    dates, date_warnings = _parse_dates(_column(raw, mapping.date, n_rows))
    positions, texts, text_columns = _comments(raw, mapping, n_rows)
    scores_only = not mapping.text_columns  # a score-only export: a row is analysed for its scores


    statuses, reasons, scores_valid = [], [], []
    for index, text in zip(positions, texts):
        problems = [scores[kind][index].problem for kind in scores if scores[kind][index].problem]
        text_missing = _no_comment(text)
        has_score = any(scores[kind][index].value is not None for kind in scores)
        if problems:
            statuses.append(STATUS_REJECTED)
            reasons.append("; ".join(problems))
            scores_valid.append(False)
        elif scores_only:
            statuses.append(STATUS_ANALYZED if has_score else STATUS_REJECTED)
            reasons.append("" if has_score else "no score (the file has no comment column)")
            scores_valid.append(has_score)
        elif text_missing:
            statuses.append(STATUS_SCORE_ONLY if has_score else STATUS_BLANK)
            reasons.append(SCORE_ONLY_REASON if has_score else BLANK_ROW_REASON)
            scores_valid.append(has_score)
        else:
            statuses.append(STATUS_ANALYZED)
            reasons.append("")
            scores_valid.append(True)

    def per_record(values: list) -> list:
        return [values[i] for i in positions]

    return pd.DataFrame({
        "row": np.asarray(positions, dtype=np.int64) + 1,
        "id": pd.array(per_record([_optional_text(v) for v in _column(raw, mapping.id, n_rows)]), dtype="string"),
        "text": texts,
        "text_column": text_columns,
        "nps": pd.array(per_record([r.value for r in scores["nps"]]), dtype="Int64"),
        "ces": pd.array(per_record([r.value for r in scores["ces"]]), dtype="Int64"),
        "csat": pd.array(per_record([r.value for r in scores["csat"]]), dtype="Int64"),
        "rating": pd.array(per_record([r.value for r in scores["rating"]]), dtype="Float64"),
        "date": dates.iloc[positions].reset_index(drop=True),
        "source": pd.array(per_record([_optional_text(v) for v in _column(raw, mapping.source, n_rows)]),
                           dtype="string"),
        "segment": pd.array(per_record([_optional_text(v) for v in _column(raw, mapping.segment, n_rows)]),
                            dtype="string"),
        "status": statuses,
        "reason": reasons,
        "scores_valid": np.array(scores_valid, dtype=bool),
        "warning": per_record(date_warnings),
    })


def _comments(raw: pd.DataFrame, mapping: ColumnMapping, n_rows: int) -> tuple[list[int], list[str], list[str]]:
    """(row position, comment, its column) per record: one per row, or one per non-empty comment cell."""
    columns = mapping.text_columns
    cells = {column: [read_text(v) for v in _column(raw, column, n_rows)] for column in columns}
    if len(columns) <= 1:
        column = columns[0] if columns else ""
        return list(range(n_rows)), cells.get(column, [""] * n_rows), [column] * n_rows
    positions, texts, sources = [], [], []
    for index in range(n_rows):
        filled = [c for c in columns if not _no_comment(cells[c][index])]
        for column in filled or columns[:1]:
            positions.append(index)
            texts.append(cells[column][index])
            sources.append(column)
    return positions, texts, sources


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


#: A comment cell holding R's missing-value marker (write.csv writes "NA" for an empty cell): no comment.
#: A public French NPS export written by R had its 3,528 "NA" comments counted as analysed non-answers.
_MISSING_COMMENT = frozenset({"NA"})


def _no_comment(text: str) -> bool:
    """An empty comment: blank, only invisible characters, or a missing-value marker."""
    stripped = text.strip()
    return stripped == "" or stripped in _MISSING_COMMENT or _only_invisible(text)


def _only_invisible(text: str) -> bool:
    """True for text made only of zero-width and other format characters."""
    return all(unicodedata.category(ch) in ("Cf", "Zs", "Cc") for ch in text)


def _parse_dates(values: list[object]) -> tuple[pd.Series, list[str]]:
    """Parse dates in any common format; unreadable ones become NaT with a warning.

    Whether ``04/03/2023`` is 4 March or 3 April is decided once for the
    whole column (:func:`day_first`), never value by value. Month names in English, French, Spanish,
    Portuguese, German, Italian, Dutch, Turkish and Romanian (day first) and a short phrase before the date
    ("Rédigé le 6 décembre 2024", "Written on 12/06/2024") are read (:func:`cxtext.io.dates.date_text`).
    """
    parsed: list[pd.Timestamp] = []
    warnings: list[str] = []
    # month names in 9 languages and a phrase before the date ("Rédigé le 6 décembre 2024" -> 2024-12-06)
    # once per distinct value: an export's dates repeat (a survey day holds many answers)
    rewritten_of: dict[str, str] = {}
    readable = [(rewritten_of[v] if v in rewritten_of else rewritten_of.setdefault(v, date_text(v)))
                if isinstance(v, str) else v for v in values]
    dayfirst = day_first([v for v in readable if isinstance(v, str)])
    for value, rewritten in zip(values, readable):
        text = _optional_text(value)
        if text is None:
            parsed.append(pd.NaT)
            warnings.append("")
            continue
        stamp = _to_timestamp(rewritten, _optional_text(rewritten) or text, dayfirst)
        parsed.append(stamp)
        warnings.append("" if stamp is not pd.NaT else f"date '{_clip(text)}' not understood; row kept without a date")
    series = pd.to_datetime(pd.Series(parsed, dtype="object"), errors="coerce", utc=True)
    return series.dt.tz_localize(None).reset_index(drop=True), warnings


def day_first(texts: list[str]) -> bool:
    """True when the column writes day before month (``20/01/2020``): :func:`cxtext.io.dates.date_order`."""
    return date_order(texts)[0]


def _to_timestamp(value: object, text: str, dayfirst: bool = False) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp):
        stamp = value
    else:
        try:
            stamp = (pd.Timestamp(value) if hasattr(value, "year")
                     else pd.to_datetime(text, format="mixed", dayfirst=dayfirst))
        except (ValueError, TypeError, OverflowError):
            return pd.NaT
    if stamp is pd.NaT or not 1970 <= stamp.year <= 2200:
        return pd.NaT
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp
