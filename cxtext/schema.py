"""Column names, scales and the small frozen dataclasses passed between stages.

The *records* frame is the one table that flows through the pipeline. Each
stage adds columns; none removes rows, so ``len(records) == rows in`` always
(with several comment columns, one record per comment: ``records["row"].nunique() == rows in``).

Columns of ``records`` (added by the stage named):

validate
    ``row``        int, 1-based position of the row in the input (header rows excluded); the respondent
    ``id``         str | <NA>, the mapped id column as text
    ``text``       str, the comment as given ('' when missing)
    ``nps``        Int64 | <NA>, 0-10 likelihood to recommend
    ``ces``        Int64 | <NA>, customer effort on the declared :class:`ScoreScale`
    ``csat``       Int64 | <NA>, satisfaction on 1-5
    ``rating``     Float64 | <NA>, star rating or review score on the rating's :class:`ScoreScale`
    ``text_column`` str, the input column the comment came from (several when ``extra_text`` is mapped;
                  then one input row gives one record per non-empty comment cell, all with its ``row``)
    ``date``       datetime64[ns] | NaT
    ``source``     str | <NA>, channel ("survey", "twitter", ...)
    ``segment``    str | <NA>
    ``status``     "analyzed" | "rejected" (a value that cannot be read) | "blank" (no comment, no score) |
                  "score_only" (a score but no comment: not themed, the score counts)
    ``reason``     str, '' when analyzed, else a sentence a person can read
    ``scores_valid`` bool, True when the row's scores may count in metrics
                  (a row rejected only for empty text keeps its score)
normalize
    ``clean_text`` str, text as embedded
    ``language``   str, ISO 639-1 code ("en", "ar", "ro", ...) or "und"
    ``text_hash``  str, sha256 hex of ``clean_text``
    ``non_answer`` bool, "n/a", "nothing", "No Negative", "لا يوجد", "nimic", ..., and the file's own
                  repeated content-free placeholders (:mod:`cxtext.text.placeholders`)
    ``non_answer_reason`` str, why the row is a non-answer; '' when it is not
    ``duplicate_of`` Int64 | <NA>, ``row`` of the first identical social post
themes
    ``theme_id``   int, >= 0 a theme; -1 unthemed; -2 the "no comment" group;
                  -3 rows that were not themed because they were rejected
    ``theme_ids``  str, every theme the comment belongs to, ";"-separated,
                  primary first
    ``theme_label`` str
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from cxtext.errors import ValidationError

ROLES: tuple[str, ...] = ("text", "nps", "ces", "csat", "rating", "date", "source", "segment", "id")

UNTHEMED = -1
NO_COMMENT = -2
NOT_THEMED = -3
NO_COMMENT_LABEL = "no comment"
UNTHEMED_LABEL = "unthemed"

STATUS_ANALYZED = "analyzed"
STATUS_REJECTED = "rejected"
#: Left out but not bad data (an optional question left empty): counted apart from the rejected rows, so that
#: the console's "582 blank, 0 rejected" and assignments.csv's statuses say the same (a public bilingual survey's
#: 167 empty cells were "blank" in the console but "rejected" in assignments.csv and summary.json)
STATUS_BLANK = "blank"
STATUS_SCORE_ONLY = "score_only"
#: The reason of a row with neither a comment nor a score: left out, and counted apart from bad values
BLANK_ROW_REASON = "empty comment and no score"
#: The reason of a row with a score but no comment: not themed, its score counted in the metrics
SCORE_ONLY_REASON = "empty comment (its score still counts in metrics)"


@dataclass(frozen=True)
class ColumnMapping:
    """Which input column plays which role. ``None`` means "not present".

    Only ``text`` is required; every other role is optional. ``extra_text``
    names further comment columns (``Positive_Review`` beside
    ``Negative_Review``): each non-empty cell of any text column becomes a
    comment of its row. ``rating`` is a star rating or review score, never NPS.
    """

    text: str | None = None
    nps: str | None = None
    ces: str | None = None
    csat: str | None = None
    rating: str | None = None
    date: str | None = None
    source: str | None = None
    segment: str | None = None
    id: str | None = None
    extra_text: tuple[str, ...] = ()

    @property
    def text_columns(self) -> tuple[str, ...]:
        """Every comment column, the main one first."""
        return tuple(c for c in (self.text, *self.extra_text) if c)

    def as_dict(self) -> dict[str, str | None]:
        """``{role: column}`` for every role (``None`` when unmapped); ``extra_text`` only when set."""
        out: dict = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra_text"}
        if self.extra_text:
            out["extra_text"] = list(self.extra_text)
        return out

    def mapped(self) -> dict[str, str]:
        """Roles that are mapped, as ``{role: column}`` (the main text column for ``text``)."""
        return {role: col for role, col in self.as_dict().items() if col is not None and role in ROLES}


@dataclass(frozen=True)
class ScoreScale:
    """An integer rating scale and which end of it is the good one.

    ``low`` and ``high`` are inclusive bounds. ``good_end`` says which end a
    customer would prefer: for CES it is the "easy" end, which surveys put at
    either end, so it must always be stated.
    """

    low: int
    high: int
    good_end: Literal["low", "high"] = "high"

    def __post_init__(self) -> None:
        if self.high <= self.low:
            raise ValidationError(
                f"A score scale needs high > low. Got {self.low}-{self.high}; use e.g. 1-5 or 1-7."
            )
        if self.good_end not in ("low", "high"):
            raise ValidationError(
                f"good_end must be 'low' or 'high'. Got {self.good_end!r} instead."
            )

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}"

    @property
    def described(self) -> str:
        """``"1-5"``, or ``"1-5, 1 = best"`` when the good end is the low one."""
        return self.label + (f", {self.low} = best" if self.good_end == "low" else "")

    def reverse_coded(self, value: float) -> float:
        """``value`` read so that the top of the scale is the good end (``low + high - value`` when 1 is best)."""
        return self.low + self.high - value if self.good_end == "low" else value

    @classmethod
    def parse(cls, text: str, good_end: Literal["low", "high"] = "high") -> "ScoreScale":
        """Parse ``"1-5"`` or ``"1-7"`` into a scale; written WORST-BEST, so ``"5-1"`` is 1-5 with 1 the good end.

        (An NHS Friends and Family Test answer is 1 = very good ... 5 = very poor: a user wrote
        ``--rating-scale 5-1`` and was refused.)
        """
        try:
            first, second = (int(part) for part in str(text).split("-"))
        except ValueError:
            raise ValidationError(
                f"A scale is written LOW-HIGH, e.g. '1-5' or '1-7' (or '5-1' when 1 is the best answer). "
                f"Got {text!r} instead."
            ) from None
        if first > second:
            return cls(second, first, "low")
        return cls(first, second, good_end)


NPS_SCALE = ScoreScale(0, 10, "high")
#: NPS answers 9-10 are promoters, 0-6 detractors (7-8 passives); read by metrics and by the theme suggestions.
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6
CSAT_SCALE = ScoreScale(1, 5, "high")
# Most CES surveys ask "how easy was it" on 1-7 with 7 = very easy; we never
# assume it silently: the CLI and app always show the chosen direction.
DEFAULT_CES_SCALE = ScoreScale(1, 7, "high")
