"""One cell read as an answer: a score written as a number ("9 - very likely", "٧", "4stars"), satisfaction
or a help desk's rating in words ("Extremely satisfied", "Great"), a five-level word scale ("Horrible ...
Excellent"), and the markers of no answer ("n/a", Zendesk's "Unoffered").

Shared by :mod:`cxtext.io.profile` (what a column holds) and :mod:`cxtext.validate` (each row's scores), so a
column judged numeric there is read the same way here. Imports nothing from cxtext.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np

# "9", "9.0", " 9 ", "9 - very likely", "9 (likely)", "9/10", "4stars", "٩": a number, "5,0 su 5 stelle" (Amazon's
# stars in Italian; "sur", "de", "von", "din", "van" in French, Spanish, German, Romanian, Dutch),
# optionally followed by a separator and words without digits (so a date such
# as "2026-06-01" or "31-Jul-18" is not a number). Letters glued to the number
# are a unit only ("4stars", "8pts"): "2joche" is a code, not the score 2. Shared with cxtext.validate, so
# a column judged numeric here is read the same way there.
SCORE_PATTERN = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:(?:/|out of|su|sur|de|von|din|van|na)\s*\d+\b)?\s*"
                           r"(?:(?:[-–—:(|]\s*|\s+|(?=(?:stars?|pts?|points?)\b))[^\W\d_(][^\d]*)?$",
                           re.IGNORECASE)
# Also drops the invisible marks some exports leave inside a cell (a byte-order mark before "0 - Not at all
# satisfied" in a public LimeSurvey export hid every 0 of a 0-10 scale; zero-width spaces; direction marks).
ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789",
                                    "\ufeff\u200b\u200c\u200d\u200e\u200f\u2060")
MISSING_TEXT = frozenset({"", "nan", "none", "null", "<na>", "n/a", "na", "-"})

# Satisfaction answered in words, 1-5 (5 = most satisfied): what Freshdesk ("Extremely satisfied", "Mostly
# dissatisfied"), SurveyMonkey and Forms write into a CSAT column. English, French, Spanish, Portuguese,
# German and Romanian; compared lower-cased, without diacritics and punctuation. A 7-point wording folds onto 1-5:
# extremely / very 5, mostly / somewhat / slightly 4, neither 3, and the same for dissatisfied (2, 1).
_SATISFIED = {"satisfied": "en", "satisfait": "fr", "satisfecho": "es", "satisfeito": "pt", "zufrieden": "de",
              "multumit": "ro"}
_DISSATISFIED = ("dissatisfied", "unsatisfied", "not satisfied", "insatisfait", "insatisfecho", "insatisfeito",
                 "unzufrieden", "nemultumit")
_VERY = ("extremely", "very", "completely", "highly", "totally", "tres", "muy", "muito", "sehr", "foarte",
         "totalmente", "vollig")
_SOMEWHAT = ("mostly", "somewhat", "quite", "fairly", "rather", "plutot", "assez", "algo", "bastante", "eher",
             "relativ", "destul de", "oarecum", "moderately", "slightly", "a little", "un peu", "leicht", "ligeramente",
             "ligeiramente", "putin")
# ("regular": the middle of Spanish and Portuguese satisfaction scales, "😐 Regular" between "Insatisfeito" and
# "Satisfeito" in a public ombudsman survey, whose 65 such answers were rejected)
_NEUTRAL = ("neutral", "neutre", "neutro", "regular", "neither satisfied nor dissatisfied", "ni satisfait ni insatisfait",
            "ni satisfecho ni insatisfecho", "nem satisfeito nem insatisfeito", "weder zufrieden noch unzufrieden",
            "nici multumit nici nemultumit", "neither")


def _satisfaction_table() -> dict[str, int]:
    table: dict[str, int] = {n: 3 for n in _NEUTRAL}
    # (answers, score alone, with "very"-like words, with "somewhat"-like words) on 1-5
    for answers, plain, very, somewhat in ((_DISSATISFIED, 2, 1, 2), (_SATISFIED, 4, 5, 4)):
        for answer in answers:
            table[answer] = plain
            table.update({f"{word} {answer}": very for word in _VERY})
            table.update({f"{word} {answer}": somewhat for word in _SOMEWHAT})
    return table


_SATISFACTION = _satisfaction_table()

# A help desk's rating in words: Zendesk's two points ("Good, I'm satisfied" / "Bad, I'm unsatisfied", exported
# as "Good", "Bad", "Good with comment", "Bad with comment"), Help Scout's and Enchant's three ("Great", "Okay",
# "Not Good"), Odoo's "Okay" between "Satisfied" and "Dissatisfied". On 1-5 beside the words above ("satisfied"
# 4, "unsatisfied" 2), so the share satisfied is the help desk's own share of good (or great) ratings. Kept apart
# from those words: such a column is CSAT only under a header that names satisfaction, never by content alone.
_HELP_DESK = {"great": 5, "good": 4, "okay": 3, "ok": 3, "bad": 2, "not good": 2, "good with comment": 4,
              "bad with comment": 2, "good i m satisfied": 4, "bad i m unsatisfied": 2}
# Five-level answer scales in words, worst first (a slash: one level). A column whose word answers all lie on
# one of them is read on 1-5 by that scale, so "Good" is 4 on Horrible ... Excellent (a public Google Forms
# survey: its "Excellent" and "Horrible" were rejected as not numbers) and 3 on Poor ... Excellent.
WORD_SCALES: tuple[tuple[str, ...], ...] = (
    ("horrible", "bad", "ok/okay", "good", "excellent"),
    ("terrible", "poor", "average/ok/okay", "good", "excellent"),
    ("very poor", "poor", "fair/average", "good", "excellent"),
    ("poor", "fair", "good", "very good", "excellent"),
    ("very bad", "bad", "ok/okay/average/neutral", "good", "very good"),
    ("very dissatisfied", "dissatisfied", "neutral", "satisfied", "very satisfied"),
    # Spanish and Portuguese quality scales (compared without accents: "pésimo", "ótimo")
    ("pesimo/muy malo/insatisfactorio/deficiente", "malo", "regular/aceptable", "bueno",
     "excelente/muy bueno/excepcional"),
    ("malo", "regular", "bueno", "muy bueno", "excelente"),
    ("pessimo/muito ruim", "ruim", "regular/razoavel", "bom", "otimo/excelente/muito bom"),
    # ease, for a CES answered in words (easy end at the top)
    ("very difficult", "difficult", "neutral", "easy", "very easy"),
    ("muy dificil", "dificil", "regular/normal", "facil", "muy facil"),
    ("muito dificil", "dificil", "regular/normal", "facil", "muito facil"),
)


def word_key(value: object) -> str:
    """A word answer as the scales spell it: lower case, no accents, punctuation as spaces, single spaces; an
    answer explained after a colon ("Bueno: en general estoy satisfecho") by its word before it; a question's
    words after the level ("Fácil de compreender") left out."""
    text = str(value)
    text = _plain_words(text.split(":")[0] if ":" in text else text)
    return re.sub(r" (de|to|a) (compreender|comprender|entender|usar|understand|use)$", "", text)


def _plain_words(text: str) -> str:
    """Lower case, without accents, punctuation as spaces, single spaces: how word answers are compared."""
    text = "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def word_scale(values: list[object]) -> dict[str, int] | None:
    """The first of :data:`WORD_SCALES` holding every answer in words of a column (numbers and missing
    markers aside), as word -> 1-5; None when none holds them all or the column has fewer than 2 such words."""
    words = {word_key(v) for v in values if isinstance(v, str) and v.strip()
             and v.strip().lower() not in NO_VALUE and read_number(v) is None}
    if len(words) < 2:
        return None
    for scale in WORD_SCALES:
        table = {word: level for level, names in enumerate(scale, start=1) for word in names.split("/")}
        if words <= table.keys():
            return table
    return None


#: A survey's status in its rating column: no answer (Zendesk writes "Offered" / "Unoffered" until rated).
NOT_ANSWERED = frozenset({"offered", "unoffered", "not offered"})
NO_VALUE = MISSING_TEXT | NOT_ANSWERED


def satisfaction_score(value: object) -> int | None:
    """A satisfaction answer in words on 1-5 (``"Extremely satisfied"`` -> 5, ``"Mostly dissatisfied"`` -> 2,
    ``"Neither satisfied nor dissatisfied"`` -> 3, ``"Foarte mulțumit"`` -> 5), or None."""
    if not isinstance(value, str) or len(value) > 60:
        return None
    text = _plain_words(value)
    for ending in ("a", "e", "es", "s", "os", "as"):  # satisfaite, satisfechas, satisfeitos, mulțumită
        if text not in _SATISFACTION and text.endswith(ending) and text[: -len(ending)] in _SATISFACTION:
            text = text[: -len(ending)]
    return _SATISFACTION.get(text)


def help_desk_score(value: object) -> int | None:
    """A help desk's rating in words on 1-5 (``"Great"`` -> 5, ``"Good"`` -> 4, ``"Okay"`` -> 3,
    ``"Bad with comment"`` -> 2), or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    return _HELP_DESK.get(word_key(value))


def read_number(value: object) -> float | None:
    """A cell as a number (``"9 - very likely"`` -> 9.0, ``"٧"`` -> 7.0), or None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    text = unicodedata.normalize("NFKC", str(value)).translate(ARABIC_INDIC_DIGITS)
    match = SCORE_PATTERN.match(text)
    return float(match.group(1).replace(",", ".")) if match else None
