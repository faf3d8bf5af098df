"""Whether a column's values fit a role: comments are sentences, NPS whole numbers 0-10, and so on.

Used by :mod:`cxtext.io.columns` (which column plays which role): a column may take a role only when
:func:`content_fits` says its values fit it, and among those that fit, :func:`content_strength` says how
typical they are; :func:`satisfaction_beyond_five` reads a "how satisfied" question answered 0-10 as a rating.
Imports :mod:`cxtext.io.profile`, :mod:`cxtext.io.scales` and :mod:`cxtext.io.headers` only.
"""

from __future__ import annotations

from cxtext.io.headers import header_score
from cxtext.io.profile import ColumnProfile
from cxtext.io.scales import scale_of_profile

#: A column of text is not comments when at least TEMPLATE_SHARE of its values is a 4+-word sentence
#: repeated 3+ times (ColumnProfile.template) and fewer than TEMPLATE_DISTINCT of them differ: the
#: tenure line a review site writes for every reviewer (Glassdoor: 32 different values in 1,747 rows).
#: Both conditions: a scraper that saved each review four times (the Korean App Store export) has
#: template share 0.70 but 40% distinct values. Set on those two files, not tuned further.
TEMPLATE_SHARE = 0.5
TEMPLATE_DISTINCT = 0.1
#: A column of text is not comments when at least PICK_LIST_SHARE of its PICK_LIST_MIN_ANSWERS or more values
#: are one of its 10 most common: options picked from a list, in a few words each (an R community survey's
#: "biggest obstacle" question: 90%). Comment columns of 50+ answers in the public exports: at most 55%.
#: The same for the parts of multi-select answers ("Documentation;Tutorial", ColumnProfile.option_share): a
#: Dask survey's support resources 98%, a Bangla survey's note apps 90%; comment columns of 50+ answers in
#: the public exports here at most 63% (LaRoSeDa's review titles).
PICK_LIST_SHARE = 0.75
PICK_LIST_MIN_ANSWERS = 50
#: A title column outside a ticket export is names, not the customer's words, when at least NAMES_TITLE_CASE
#: of its values are in Title Case (ColumnProfile.title_case): the game titles of a public review JSONL
#: (0.98), job titles (1.00). Review titles of the public exports here: 0.04-0.27; help-desk subject lines
#: 0.38-0.88 (exempt: a ticket export's subject is its customer text when there is no body).
NAMES_TITLE_CASE = 0.9


def content_fits(role: str, p: ColumnProfile | None, named: bool = False, asked: bool = False) -> tuple[bool, str]:
    """Whether the values fit ``role``, and what they are, in words.

    ``named``: the header is exactly a name of the role (``comment``, ``comentario``). Comments under
    such a header are taken even when the same few sentences repeat (a public Portuguese hotel table:
    10 different comments in 632 rows): the template rule is for columns no header calls comments.
    """
    if p is None:
        return True, "header only"
    held = f"its values are {p.describe()}"
    if p.is_empty:
        return False, "it is empty"
    if role == "text":
        if p.is_numeric or p.is_flag or p.is_date or p.is_relative_date or p.is_id or p.is_url or p.letters < 0.6 \
                or p.is_satisfaction:
            return False, held
        if p.distinct_values <= 5 and p.n >= 20 or p.distinct < 0.2 and p.words < 3:
            return False, held + " (too few different values for comments)"
        # a small survey's pick-list: 18 answers, the same 5 sentences ("La utilizo con frecuencia", "Rara vez", a
        # public Microsoft Forms export), themed as comments; not under a question asking for a comment (``asked``:
        # "Why?" answered "Price" by five people is still what they said)
        if p.distinct_values <= 5 and p.n >= 10 and p.distinct <= 0.5 and not (named or asked):
            return False, held + " (the same few answers over and over: the choices of a question)"
        # a ticked option's name in each row that ticked it (a public OHBM survey), or its header's own end
        # (an Alchemer-style French export: "... Autres commentaires :" holding "Autres commentaires :")
        if p.distinct_values == 1 and (p.n >= 3 or p.echoes_header):
            return False, held + " (the same answer in every row: a ticked option, not comments)"
        if p.template >= TEMPLATE_SHARE and p.distinct < TEMPLATE_DISTINCT and not named:
            return False, (held + f", but {p.template:.0%} of them are the same few sentences over and over "
                           f"({p.distinct_values} different values): a text the export fills in, not comments")
        if p.n >= PICK_LIST_MIN_ANSWERS and p.top_share >= PICK_LIST_SHARE and not named:
            return False, (held + f", but {p.top_share:.0%} of them are one of 10 answers: the choices of a "
                           "multiple-choice question, not comments")
        ticked = p.n >= PICK_LIST_MIN_ANSWERS or p.n >= 10 and p.semicolons >= 0.5  # a small survey: ';' says it
        if ticked and p.option_share >= PICK_LIST_SHARE and not named:
            return False, (held + f", but {p.option_share:.0%} of the parts between ';' or ',' are one of 10 "
                           "answers: the options ticked in a multiple-choice question, not comments")
        return True, held
    if role == "csat" and (p.is_satisfaction or p.is_help_desk_rating):  # "Extremely satisfied" 5 ... ; "Good" 4
        return True, held
    # a CES answered in words ("Muito fácil ... Muito difícil"); a rating in words only when named (a survey grid's
    # "Excellent ... Poor" sub-question is CSAT's sibling, not the file's rating)
    if (role == "ces" or role == "rating" and named) and p.on_word_scale and p.numeric < 0.5:
        return True, held
    if role in ("nps", "ces", "csat"):
        high = {"nps": 10, "ces": 7, "csat": 5}[role]
        low = 0 if role == "nps" else 1
        if not p.is_numeric or p.whole < 0.9 or p.is_flag:
            return False, held
        inside = p.low is not None and p.high is not None and p.low >= low - 1e-9 and p.high <= high + 1e-9
        if not inside and p.in_0_10 < 0.9:
            return False, held + f", not {low}-{high}"
        if role != "nps" and p.median is not None and not low - 1e-9 <= p.median <= high + 1e-9:
            # most values outside the scale: another scale (a 1-10 "satisfaction" question of a French NPS
            # survey was read as CSAT 1-5 and 93% of its rows were rejected), not a few typos to reject
            return False, held + f", most of them outside {low}-{high}"
        if role == "nps" and p.n >= 20 and p.low is not None and p.low >= 1 and (p.high or 0) <= 5:
            return False, held + ": a 1-5 rating, not 0-10 NPS"
        return True, held
    if role == "rating":
        if not p.is_numeric or p.is_flag or p.distinct_numbers < 2:
            return False, held
        if p.low is None or p.low_1 is None or p.low_1 < 0 or (p.high_99 or 0) > 100:
            return False, held + ", not a rating scale"
        if p.low < 0 or (p.high or 0) > 100:  # a few planted or mistyped values: validation rejects them
            return True, held + f" (a few outside {scale_of_profile(p).label}: rejected row by row)"
        return True, held
    if role == "date":
        return (True, "its values are dates") if p.is_date else (False, held)
    if role == "id":
        unique = p.distinct >= 0.9 and p.words <= 1.5
        if not unique and p.distinct >= 0.9:  # "NEAS PTS 528 - Q1": one per row, but not a single code
            return False, held + f", one per row but of {p.words:.1f} words, not a single code"
        return (True, held) if unique else (False, held + ", not one value per row")
    # source, segment: a handful of labels
    labels = not p.is_numeric and not p.is_flag and not p.is_date and p.words <= 5 and (p.distinct_values <= 50 or p.distinct <= 0.3)
    # a segment of one value ("No Product" in every row) compares nothing; a constant source still says the
    # channel (every row from "Twitter" is a social mention)
    if role == "segment" and labels and p.distinct_values < 2 and p.n >= 5:
        return False, held + ", the same value in every row"
    return (True, held) if labels else (False, held + ", not a few labels")


def content_strength(role: str, p: ColumnProfile) -> float:
    """0-1: how typical the values are of the role (long, varied sentences are the surest comments)."""
    if role == "text":
        return min(p.words / 8.0, 1.0) * 0.7 + min(p.distinct, 1.0) * 0.3
    if role == "date":
        return 0.5 * p.date
    return 0.5


def satisfaction_beyond_five(column: str, profile: ColumnProfile, question: str | None) -> tuple[float, str]:
    """A "how satisfied are you" question answered 0-10 or 1-10 is a rating on its own scale (CSAT is 1-5).

    A public LimeSurvey export's "In general, how satisfied are you with your current position" (0-10) was
    neither CSAT nor rating, and the themes were ranked by sentiment.
    """
    asked, why = header_score("csat", column, question)
    if asked == 0 or profile.high is None or profile.high <= 5:
        return 0.0, ""
    return RATING_FROM_SATISFACTION, (f"{why.replace('asks for it', 'asks how satisfied')}, answered up to "
                                      f"{profile.high:g}: a rating on its own scale, not a 1-5 CSAT")


#: How strongly a satisfaction question answered beyond 5 counts as a rating's header (a header naming a rating: 0.8).
RATING_FROM_SATISFACTION = 0.6
