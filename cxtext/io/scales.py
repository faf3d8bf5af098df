"""The scale a rating column is on (1-5, 0-5, 1-10, 0-10 or 0-100), read from its values' profile; and a CES
column's scale (1-4, 1-5 or 1-7) and easy end, read from its question and values (:func:`ces_scale_of`); and which
end of a rating is the best answer (:func:`rating_good_end`: "1 = very good" puts it at 1).

Used by :mod:`cxtext.io.columns` (the reason a rating column was taken) and by the app (the scale of a
column the user picked). Imports :mod:`cxtext.io.profile` and :mod:`cxtext.schema` only.
"""

from __future__ import annotations

import re

import pandas as pd

from cxtext.io.profile import ColumnProfile, format_number, profile_column
from cxtext.schema import ScoreScale

#: Scales a rating may be on, smallest first: the first that holds every value is taken.
RATING_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (0, 5), (1, 10), (0, 10), (0, 100))


def rating_scale_of(values: pd.Series) -> ScoreScale:
    """The smallest of :data:`RATING_SCALES` holding every value of a rating column (1-5 when unknown)."""
    return scale_of_profile(profile_column(values))


def scale_of_profile(profile: ColumnProfile | None) -> ScoreScale:
    """The smallest of :data:`RATING_SCALES` holding every value.

    When only 0-100 (or none) does: the smallest holding the values from the smallest non-negative
    one to the 99th percentile, so that a -3 or a 15 among 0-10 scores (a public Portuguese hotel
    table) leaves the scale 0-10 and validation rejects those rows, instead of the column being
    refused or read on 0-100.
    """
    if profile is None or profile.low is None or profile.high is None:
        return ScoreScale(1, 5)
    for low, high in RATING_SCALES[:-1]:
        if profile.low >= low and profile.high <= high:
            return ScoreScale(low, high)
    if profile.low_nonneg is not None and profile.high_99 is not None:
        for low, high in RATING_SCALES[:-1]:
            if profile.low_nonneg >= low and profile.high_99 <= high:
                return ScoreScale(low, high)
    return ScoreScale(0, 100)


# --- CES: the scale and which end is easy, when the user does not say -------------------------------------------
# A scale the question states: "on a scale of 1 to 5", "(1-7)", "out of 5".
_STATED_SCALE = re.compile(r"\b1\s*(?:to|-|–|through)\s*(4|5|7)\b|\bout of (4|5|7)\b|\b1\s*=[^=]*?\b(4|5|7)\s*=",
                           re.IGNORECASE)
# "1 = very easy", "1 - extremely difficult", "(1) no effort": the word at the bottom of the scale.
# The negation is its own group: "1 = not at all easy" and "(1) no effort" put the *hard* / *easy* end at 1.
_BOTTOM_ANCHOR = re.compile(r"\b1\s*(?:=|:|-|–|\)|means|is)\s*(?:very |extremely |sehr |foarte |muy |très )?(not at all |not |no )?(\w+)",
                            re.IGNORECASE)
_EASE = re.compile(r"^(eas(y|ier|ily|e)|simple|effortless|f[aá]cil|u[sș]or|simplu)$|سهل", re.IGNORECASE)
_EFFORT = re.compile(r"^(effort\w*|difficult\w*|hard|struggl\w*|dif[ií]cil|greu)$|صعب", re.IGNORECASE)
_ASKS_EASE = re.compile(r"\beas(y|ier|ily|e)\b|\bsimple\b|\bf[aá]cil|\bu[sș]or|\bsimplu\b|سهول", re.IGNORECASE)
_ASKS_EFFORT = re.compile(r"\beffort|\bdifficult|\bhard\b|\bstruggl|\bdif[ií]cil|\bgreu\b|صعوب", re.IGNORECASE)


#: A CES column is read on 1-4 when none of at least FOUR_POINT_MIN_ANSWERS answers is above 4 and at least
#: FOUR_POINT_AT_TOP of them are 4: on a 1-5 scale nobody choosing 5 while so many choose 4 is unlikely (a public
#: Dask survey: 255 answers, 57% at 4, none at 5, was read on 1-5 and its low-effort share halved).
FOUR_POINT_MIN_ANSWERS = 50
FOUR_POINT_AT_TOP = 0.2


def _four_point(profile: ColumnProfile | None) -> bool:
    return (profile is not None and profile.high is not None and profile.high == 4 and (profile.low or 0) >= 1
            and profile.n >= FOUR_POINT_MIN_ANSWERS and profile.at_high >= FOUR_POINT_AT_TOP)


def ces_scale_of(profile: ColumnProfile | None, header: str, question: str | None = None,
                 scale: str | None = None, easy_end: str | None = None) -> tuple[ScoreScale, str]:
    """The CES column's scale (1-4, 1-5 or 1-7) and its easy end ("high" or "low"), each given or read, and why.

    Read from the question first ("on a scale of 1 to 5", "1 = very easy"), then from the values (none
    above 5: 1-5) and the question's words: "How easy was it ...?" puts the easy end at the top, "How much
    effort ...?" / "How difficult ...?" at the bottom. Neither: the top, as most CES surveys ask, and the
    reason says it was assumed. (Before, every CES column was read on 1-7 with 7 easy: a pandas user survey's
    1-4 "How easy is it ...?" gave 0% low effort, an R survey's "how difficult, 1 to 5" the wrong direction.)
    """
    texts = " ".join(str(t) for t in (header, question) if t)
    why = []
    if scale is None:
        stated = _STATED_SCALE.search(texts)
        if stated:
            scale, how = f"1-{next(g for g in stated.groups() if g)}", "stated in the question"
        elif profile is not None and profile.on_word_scale and profile.numeric < 0.5:
            scale, how = "1-5", f"answers in words on a 5-point scale ({profile.on_word_scale})"
        elif _four_point(profile):
            scale, how = "1-4", (f"detected: no value above 4 in {profile.n:,} answers, while {profile.at_high:.0%} "
                                 "answer 4")
        elif profile is not None and profile.high is not None and profile.high <= 5:
            scale, how = "1-5", f"detected: no value above {format_number(profile.high)}"
        else:
            scale, how = "1-7", "detected: values above 5" if profile is not None and profile.high else "assumed"
        why.append(f"scale {scale} ({how})")
    if easy_end is None and scale == "1-5" and profile is not None and profile.on_word_scale \
            and profile.numeric < 0.5:  # the word scales run from the worst (hardest) answer to the best
        easy_end = "high"
        why.append("5 = easiest (the answers' own words)")
    if easy_end is None:
        bottom = _BOTTOM_ANCHOR.search(texts)
        anchored = _anchored_end(bottom, _EASE, _EFFORT)
        if anchored:
            easy_end, how = anchored, f"the question says '{bottom.group(0)}'"
        elif _ASKS_EASE.search(texts):
            easy_end, how = "high", "the question asks how easy"
        elif _ASKS_EFFORT.search(texts):
            easy_end, how = "low", "the question asks about effort or difficulty"
        else:
            easy_end, how = "high", "assumed, as most CES surveys ask 'how easy'; say --ces-low-is-easy if not"
        top = scale.split("-")[1]
        why.append(f"{'1' if easy_end == 'low' else top} = easiest ({how})")
    return ScoreScale.parse(scale, easy_end), "; ".join(why)


def _anchored_end(bottom: re.Match | None, good: re.Pattern, bad: re.Pattern) -> str | None:
    """"low" when the scale's bottom (``1 = ...``) is the good end, "high" when it is the bad one, else None."""
    if bottom is None:
        return None
    negated = bool(bottom.group(1))
    if good.search(bottom.group(2)):
        return "high" if negated else "low"
    if bad.search(bottom.group(2)):
        return "low" if negated else "high"
    return None


# --- a rating whose best answer is 1 (the NHS Friends and Family Test: 1 = very good ... 5 = very poor) ----------
_RATING_GOOD = re.compile(r"^(good|excellent|best|great|outstanding|satisf\w*|likely|positive|superb|"
                          r"bun|bine|excelent|bueno|buena|excelente|bon|bonne|gut)$", re.IGNORECASE)
_RATING_BAD = re.compile(r"^(poor|bad|worst|terrible|awful|unsatisf\w*|dissatisf\w*|unlikely|negative|"
                         r"slab|prost|malo|mala|mauvais|schlecht)$", re.IGNORECASE)


def rating_good_end(header: str, question: str | None = None) -> tuple[str, str | None]:
    """Which end of a rating is the best answer, read from its header or question ("1 = very good"), and why.

    ("high", None) when nothing says otherwise: stars and review scores put the best answer at the top.
    """
    texts = " ".join(str(t) for t in (header, question) if t)
    bottom = _BOTTOM_ANCHOR.search(texts)
    if _anchored_end(bottom, _RATING_GOOD, _RATING_BAD) == "low":
        return "low", f"the question says '{bottom.group(0)}'"
    return "high", None
