"""Which column plays which role, judged by header AND content, with the reasons.

Stage 1b of the flow, after :mod:`cxtext.io.read`. Roles: ``text`` (the
comment; several columns may be comments), ``nps`` (0-10), ``ces``,
``csat`` (1-5), ``rating`` (stars or review scores), ``date``, ``source``,
``segment``, ``id``.

How a role is chosen (:func:`detect_columns`):

1. Columns the user named win (a named column whose values do not fit its
   role is kept, with a warning in the reasons).
2. Every other column gets a header score per role (:mod:`cxtext.io.headers`:
   the header, or the survey question above it, read as words) and a content
   profile (:mod:`cxtext.io.profile`). A column may take a role only when its
   values fit the role: text means sentences (never numbers, flags, dates,
   ids or codes), NPS whole numbers 0-10 that are not a 1-5 rating, a rating
   numbers on a star or review scale, and so on. When header and content
   disagree, content wins, and the reason says so.
3. Roles are filled in order (text, nps, ces, csat, rating, date, id,
   source, segment), each taking its best-scoring free column. ``text`` and
   ``date`` may be found by content alone; the score roles need a header
   that names them, because a column of small whole numbers can be a count (a CSAT answered in words,
   "Extremely satisfied" ... "Extremely dissatisfied", is found by content too: it is never a comment).
4. A second free-text column whose header also reads as a comment
   (``Negative_Review`` beside ``Positive_Review``, "What did you like?"
   beside "What should we improve?") is taken as well.
5. A column of relative dates ("a month ago", "il y a 3 mois": a scraped review page) leaves the date role
   empty unless named: they count from an unknown moment, and another date column beside them is when the
   file was made, not when the feedback was given. The reason says so (trends are off).
6. No comment column but a score column (an in-app NPS survey exports scores only): the mapping has no
   ``text`` and the analysis runs on the scores alone, without themes. Neither: an error naming the
   file and what each column holds.

Every decision is written down in :class:`MappingDecision.reasons`: per
role, the column chosen and why, and the columns passed over and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cxtext.errors import ColumnMappingError
from cxtext.io.dates import date_order
from cxtext.io.headers import (ASKS_FOR_COMMENTS, EXTRA_TEXT_MIN_HEADER, asks_for_a_date, header_score, is_later_event_date,
                               is_list_question, is_not_customer_text, is_option_write_in, is_subject_line,
                               is_ticket_export, is_ticket_reply, overall_first)
from cxtext.io.fits import NAMES_TITLE_CASE, content_fits, content_strength, satisfaction_beyond_five
from cxtext.io.previews import read_whole_text
from cxtext.io.profile import ColumnProfile, profile_column
from cxtext.io.scales import ces_scale_of, rating_good_end, scale_of_profile
from cxtext.schema import ROLES, ColumnMapping, ScoreScale

#: The order in which roles pick their column: the most specific content first.
ROLE_ORDER: tuple[str, ...] = ("text", "nps", "ces", "csat", "rating", "date", "id", "source", "segment")
#: Roles whose column alone is worth analysing when no column holds comments (a score-only export).
SCORE_ROLES: tuple[str, ...] = ("nps", "ces", "csat", "rating")
_ROLE_NAMES = {"text": "comments", "nps": "NPS 0-10", "ces": "CES", "csat": "CSAT 1-5", "rating": "rating",
               "date": "date", "source": "source", "segment": "segment", "id": "id"}


@dataclass(frozen=True)
class MappingDecision:
    """The column mapping plus the reasons for it.

    ``reasons[role]`` is ``{"column": str | None, "why": str, "passed_over":
    [{"column": str, "why": str}, ...]}``; ``profiles`` says what each column
    holds (:meth:`ColumnProfile.describe`); ``rating_scale`` is the detected
    scale of the rating column (None without one).
    """

    mapping: ColumnMapping
    reasons: dict[str, dict] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)
    rating_scale: ScoreScale | None = None
    #: the CES column's scale and easy end, given or read from its question and values (None without CES)
    ces_scale: ScoreScale | None = None

    @property
    def scores_only(self) -> bool:
        """No column holds comments, but one holds scores: the analysis runs without themes."""
        return not self.mapping.text_columns

    def lines(self) -> list[str]:
        """One line per role, for the CLI: ``text      <- Comment: free text, 12 words on average``."""
        out = []
        for role in ROLE_ORDER:
            reason = self.reasons.get(role)
            if reason and (reason["column"] or reason["passed_over"] or role == "text"):
                column = reason["column"] or "(none)"
                others = "; ".join(f"{p['column']}: {p['why']}" for p in reason["passed_over"][:2])
                out.append(f"{role:<8} <- {column}: {reason['why']}" + (f" (not {others})" if others else ""))
        return out


def detect_mapping(columns: list[str] | pd.Index, frame: pd.DataFrame | None = None,
                   questions: dict[str, str] | None = None, **explicit: object) -> ColumnMapping:
    """The :class:`ColumnMapping` of :func:`detect_columns` (kept for callers that need no reasons)."""
    return detect_columns(columns, frame=frame, questions=questions, **explicit).mapping


def detect_columns(columns: list[str] | pd.Index, frame: pd.DataFrame | None = None,
                   questions: dict[str, str] | None = None, rating_scale: str | ScoreScale | None = None,
                   source_name: str | None = None, ces_scale: str | None = None, ces_easy_end: str | None = None,
                   **explicit: object) -> MappingDecision:
    """Map roles to columns by header and content; see the module docstring.

    ``frame`` holds the values (without it only headers are read, and
    trusted). ``questions`` maps a column to the survey question above it
    (Qualtrics, SurveyMonkey). ``explicit`` names columns per role; ``text``
    may be a list of several comment columns. ``rating_scale`` ("1-5",
    "1-10", ...) overrides the detected scale of the rating; ``ces_scale`` ("1-5", "1-7") and ``ces_easy_end``
    ("high", "low") those of the CES column (None or "auto": read from its question and values). ``source_name``
    (the file name) starts every error message.
    When no column holds comments but one holds scores (NPS, CES, CSAT or a rating), the mapping has no
    ``text`` (``decision.scores_only``; ``reasons["text"]`` says so): the scores are analysed without themes.
    Raises :class:`ColumnMappingError` when a named column is absent or no
    column holds comments nor scores; both messages list the columns and what they hold.
    """
    try:
        return _detect(columns, frame, questions, rating_scale, (ces_scale, ces_easy_end), explicit)
    except ColumnMappingError as exc:
        if source_name and not str(exc).startswith(source_name):
            raise ColumnMappingError(f"{source_name}: {exc}") from None
        raise


def _detect(columns: list[str] | pd.Index, frame: pd.DataFrame | None, questions: dict[str, str] | None,
            rating_scale: str | ScoreScale | None, ces: tuple[str | None, str | None],
            explicit: dict[str, object]) -> MappingDecision:
    columns = [str(c) for c in columns]
    unknown = set(explicit) - set(ROLES)
    if unknown:
        raise ColumnMappingError(f"unknown role(s) {sorted(unknown)}; roles are {', '.join(ROLES)}.")
    profiles = {c: profile_column(frame[c], c) for c in columns if c in frame.columns} if frame is not None else {}
    questions = questions or {}
    off = _switched_off(explicit, columns)
    named = _named_columns(explicit, columns, off)
    chosen: dict[str, str | None] = {}
    reasons: dict[str, dict] = {}
    taken: set[str] = set()
    for role in off:  # "--csat none": the guess was wrong, no column plays it
        chosen[role] = None
        reasons[role] = {"column": None, "why": f"switched off by you (--{role} none)", "passed_over": []}
    for role, names in named.items():
        chosen[role] = names[0]
        taken.update(names)
        fits, why = content_fits(role, profiles.get(names[0]), named=True)
        note = "" if fits else f"; its values do not look like {_ROLE_NAMES[role]} ({why}), check it"
        reasons[role] = {"column": names[0], "why": f"named by you{note}", "passed_over": []}
    extra_text = tuple(named.get("text", ())[1:])

    relative = [c for c in columns if c in profiles and profiles[c].is_relative_date]
    for role in ROLE_ORDER:
        if role in named or role in reasons:
            continue
        column, reason = _choose(role, columns, profiles, questions, taken)
        if role == "date" and relative:  # "a month ago": no date is the review's, so none is used
            column, reason = None, _relative_dates_reason(relative[0], profiles[relative[0]], column, reason)
        chosen[role] = column
        reasons[role] = reason
        if column:
            taken.add(column)
    if chosen.get("text") is None:
        scored = [f"{role} <- {chosen[role]}" for role in SCORE_ROLES if chosen.get(role)]
        if not scored:
            raise ColumnMappingError(_no_text_message(columns, profiles))
        # a score-only export (an in-app NPS survey): its scores are analysed, themes are skipped
        reasons["text"] = {**reasons["text"], "column": None,
                           "why": f"no column holds free-text comments ({reasons['text']['why']}); scores only "
                                  f"({', '.join(scored)}): themes are skipped. Name a comment column with "
                                  "--text COLUMN to theme comments"}
    elif "text" not in named:
        read_whole_text(chosen, reasons, columns, frame, profiles, taken)
        extra_text = _more_text_columns(chosen["text"], columns, profiles, questions, taken)
        if extra_text:  # several comment columns: the first in the file is the main one
            found = chosen["text"]
            ordered = [c for c in columns if c == found or c in extra_text]
            chosen["text"], extra_text = ordered[0], tuple(ordered[1:])
            passed = [p for p in reasons["text"]["passed_over"] if p["column"] not in ordered]
            # the reason was written for the column found; say so when the file's first one leads instead
            why = reasons["text"]["why"] if found == ordered[0] else (
                f"the first of {len(ordered)} comment columns in the file; the best of them is '{found}': "
                f"{reasons['text']['why']}")
            reasons["text"] = {**reasons["text"], "column": chosen["text"], "columns": list(ordered),
                               "passed_over": passed,
                               "why": why + f"; {len(ordered)} free-text columns whose headers read "
                               f"as comments ({', '.join(ordered)}): each non-empty cell is a comment of its row"}
    if chosen.get("text") and "text" not in named:
        reasons["text"]["passed_over"][:0] = _free_text_left_out(columns, profiles, taken, reasons["text"])
    scale = _rating_scale(chosen.get("rating"), profiles, rating_scale, questions)
    if scale is not None and chosen.get("rating"):
        reasons["rating"]["why"] += f"; scale {scale.described}" + (" (given)" if rating_scale else " (detected)")
        if scale.good_end == "low":
            reasons["rating"]["why"] += (f"{_best_at_bottom_why(chosen['rating'], questions, rating_scale)}: read "
                                         f"reverse-coded ({scale.low + scale.high} − answer), so {scale.high} is the "
                                         "best rating in every output")
    for role in ("source", "segment"):
        column = chosen.get(role)
        if role not in named and column and frame is not None and column in frame.columns \
                and _is_checkbox(frame[column], column):
            # a multiple-choice option of a survey export: its one value is its own header ("Build from
            # source (via GitHub)" in a Typeform export), a tick, not a channel or a segment
            chosen[role] = None
            reasons[role] = {"column": None, "why": "no column fits", "passed_over": [
                {"column": column, "why": "a ticked option of a multiple-choice question (its one value is its "
                                          "own header), not a channel or a segment"}]}
    if chosen.get("date") and frame is not None and chosen["date"] in frame.columns:
        # which of 08/11/2021's numbers is the day: decided for the column, said so it can be checked
        _, order = date_order([v for v in frame[chosen["date"]].tolist() if isinstance(v, str)])
        if order:
            reasons["date"]["why"] += f"; {order}"
    ces_scale = None
    if chosen.get("ces"):
        given = [None if value in (None, "auto") else value for value in ces]
        ces_scale, ces_why = ces_scale_of(profiles.get(chosen["ces"]), chosen["ces"], questions.get(chosen["ces"]),
                                          *given)
        reasons["ces"]["why"] += f"; {ces_why}" if ces_why else ""
    mapping = ColumnMapping(**{role: chosen.get(role) for role in ROLES}, extra_text=extra_text)
    return MappingDecision(mapping, reasons, {c: p.describe() for c, p in profiles.items()}, scale, ces_scale)


def _is_checkbox(values: pd.Series, column: str) -> bool:
    present = {" ".join(str(v).split()) for v in values.tolist() if v is not None and str(v).strip() not in ("", "nan")}
    return present == {" ".join(str(column).split())}


#: What a user writes to switch a role off (``--csat none``) when the guess is wrong and the file has no such column.
SWITCHED_OFF = "none"


def _switched_off(explicit: dict[str, object], columns: list[str]) -> set[str]:
    """Roles the user switched off (``--csat none``; a column really named "none" is that column)."""
    def off(value: object) -> bool:
        if isinstance(value, (list, tuple)) and len(value) == 1:  # --text none (a list: --text repeats)
            value = value[0]
        return isinstance(value, str) and value.strip().lower() == SWITCHED_OFF and value not in columns
    return {role for role, value in explicit.items() if off(value)}


def _named_columns(explicit: dict[str, object], columns: list[str], off: set[str]) -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for role, value in explicit.items():
        if role in off:
            continue
        names = [value] if isinstance(value, str) else list(value or [])
        names = [str(n) for n in names if n not in (None, "")]
        for name in names:
            if name not in columns:
                raise ColumnMappingError(f"--{role} names column '{name}', which is not in the file. "
                                         f"Columns found: {', '.join(columns)}.")
        if names:
            named[role] = list(dict.fromkeys(names))
    return named


def _choose(role: str, columns: list[str], profiles: dict[str, ColumnProfile], questions: dict[str, str],
            taken: set[str]) -> tuple[str | None, dict]:
    """The best free column for ``role``, with the reasons for it and against the others."""
    scored: list[tuple[float, str, str]] = []
    passed_over: list[dict[str, str]] = []
    subjects: list[tuple[float, str]] = []  # subject lines: the comment only when nothing else reads as one
    found_by_content: set[str] = set()
    for column in columns:
        if column in taken:
            continue
        heard, header_why = header_score(role, column, questions.get(column))
        if role == "date" and heard > 0 and is_later_event_date(column):  # a reply's or an update's date
            heard, header_why = heard / 2, header_why + " (but it dates a later event: a reply, an update)"
        profile = profiles.get(column)
        if profile is None:  # headers only: trust them
            if heard > 0:
                scored.append((heard, column, header_why))
            continue
        if role == "rating" and heard == 0:
            heard, header_why = satisfaction_beyond_five(column, profile, questions.get(column))
        fits, content_why = content_fits(role, profile, named=heard >= 1.0, asked=heard >= ASKS_FOR_COMMENTS)
        # text and dates are found by content alone; so is a CSAT answered in words ("Mostly satisfied"), which
        # nothing else is, and a help desk's rating in words ("Great" / "Okay" / "Not Good") under a header
        # naming a rating; small whole numbers can be counts: those need a header naming the score
        by_content = role in ("text", "date") or role == "csat" and (
            profile.is_satisfaction or profile.is_help_desk_rating and header_score("rating", column)[0] > 0)
        if heard == 0 and not (fits and by_content):
            continue
        if role == "date" and heard == 0 and asks_for_a_date(column, questions.get(column)):
            passed_over.append({"column": column, "why": f"{content_why}, but its question asks the respondent for "
                                "a date of their own (when they started, were born): an answer, not when the "
                                "feedback was given; name it with --date to use it"})
            continue
        if not fits:
            passed_over.append({"column": column, "why": f"{header_why}, but {content_why}"})
            continue
        if role == "text" and is_not_customer_text(column, questions.get(column)):
            if is_subject_line(column):
                subjects.append((profile.words, column))
            passed_over.append({"column": column, "why": "free text, but its question asks for a list or a few "
                                "words, not a comment" if is_list_question(column, questions.get(column)) else
                                "free text, but its header says it is not the customer's words (a reply, a title, "
                                "a name or an address)"})
            continue
        if role == "text" and is_option_write_in(column):  # "CompleteTrainingOther": an option's write-in
            passed_over.append({"column": column, "why": "free text, but its header is the write-in 'other' answer "
                                                         "of a multiple-choice question, not a comment"})
            continue
        if role == "text" and is_ticket_reply(column, columns):
            passed_over.append({"column": column, "why": "free text, but in a ticket export (subject, body, queue, "
                                                         "priority... columns) it is the support team's reply, not "
                                                         "the customer's words"})
            continue
        if heard == 0:
            found_by_content.add(column)
        content = content_strength(role, profile)
        why = f"{header_why} and {content_why}" if heard > 0 else \
            f"found by content ({header_why}): {content_why}" if header_why else f"found by content: {content_why}"
        scored.append((heard + content, column, why))
    scored.sort(key=lambda item: -item[0])
    if role in SCORE_ROLES:
        scored = overall_first(scored)
    if subjects:
        words, subject = max(subjects)
        weaker = not scored or scored[0][1] in found_by_content and profiles[scored[0][1]].words < words
        names = profiles[subject].title_case >= NAMES_TITLE_CASE and not is_ticket_export(columns)
        if weaker and names:  # game titles of a review site, job titles: what was reviewed, not what was said
            passed_over = [p for p in passed_over if p["column"] != subject] + [{
                "column": subject, "why": f"a title, and {profiles[subject].title_case:.0%} of its values are "
                f"names in Title Case (what was reviewed, not what was said); pass --text '{subject}' if they are "
                "the customer's words"}]
        elif weaker:  # a help-desk export's subject line is its only customer text (Freshdesk: no body column)
            passed_over = [p for p in passed_over if p["column"] != subject]
            if scored:
                passed_over.append({"column": scored[0][1], "why": f"{scored[0][2]}, but its values are shorter "
                                                                    f"than the subject lines of '{subject}'"})
            why = (f"header '{subject}' is a subject line, taken because no other column holds the customer's "
                   f"words (its values are {profiles[subject].describe()})")
            return subject, {"column": subject, "why": why, "passed_over": passed_over}
    if not scored:
        why = "no column fits" if passed_over else "no column has a header or values that fit"
        return None, {"column": None, "why": why, "passed_over": passed_over}
    _, best, why = scored[0]
    passed_over += [{"column": c, "why": f"scored lower ({w})"} for _, c, w in scored[1:3]]
    return best, {"column": best, "why": why, "passed_over": passed_over}


def _relative_dates_reason(relative: str, profile: ColumnProfile, candidate: str | None, found: dict) -> dict:
    """The date role's reason when a column holds relative dates ("a month ago", a scraped Google Maps page):
    they count from an unknown moment, and another date column beside them is when the file was made (a
    scrape or export time), not when the feedback was given, so no column is the date."""
    example = profile.relative_example
    passed = [{"column": relative, "why": f"relative dates ('{example}'), counted from when the page was read, "
                                          "which the file does not say"}]
    if candidate:
        passed.append({"column": candidate, "why": f"{found['why']}, but this file's own dates are relative (in "
                                                   f"'{relative}'), so '{candidate}' is when the file was made (a "
                                                   "scrape or export time), not when the feedback was given"})
    return {"column": None, "why": f"column '{relative}' holds relative dates ('{example}'); not used as the date: "
                                   "trends are off. Name a date column with --date COLUMN to use it anyway",
            "passed_over": passed}


def _more_text_columns(primary: str, columns: list[str], profiles: dict[str, ColumnProfile],
                       questions: dict[str, str], taken: set[str]) -> tuple[str, ...]:
    """Other free-text columns whose header also reads as a comment (see the module docstring)."""
    extra = []
    for column in columns:
        if column in taken or column == primary or column not in profiles:
            continue
        heard, _ = header_score("text", column, questions.get(column))
        fits, _ = content_fits("text", profiles[column], asked=heard >= ASKS_FOR_COMMENTS)
        if fits and heard >= EXTRA_TEXT_MIN_HEADER and not is_not_customer_text(column, questions.get(column)) \
                and not is_ticket_reply(column, columns) and profiles[column].words >= 2:
            extra.append(column)
    return tuple(extra)


def _free_text_left_out(columns: list[str], profiles: dict[str, ColumnProfile], taken: set[str],
                        text_reason: dict) -> list[dict[str, str]]:
    """Columns of sentences that are not read as comments and not yet mentioned, each with why: a user sees
    an open question that was left out (Jupyter 2020: "Do you have challenges with the notebook UI?")."""
    mentioned = taken | set(text_reason.get("columns", [])) | {p["column"] for p in text_reason["passed_over"]}
    left_out = []
    for column in columns:
        profile = profiles.get(column)
        if column in mentioned or profile is None or profile.words < 4 or profile.distinct_values < 10 \
                or not content_fits("text", profile)[0]:
            continue
        heard, why = header_score("text", column)
        left_out.append({"column": column, "why": f"{why or 'its header does not ask for a comment'}; its values "
                                                  f"are {profile.describe()}, not read as comments: name it with "
                                                  "--text (beside the comment columns to keep) to read it"})
    return left_out


def _rating_scale(column: str | None, profiles: dict[str, ColumnProfile],
                  given: str | ScoreScale | None, questions: dict[str, str]) -> ScoreScale | None:
    if given is not None:
        return given if isinstance(given, ScoreScale) else ScoreScale.parse(given)
    if column is None:
        return None
    scale = scale_of_profile(profiles.get(column))
    best_end, _ = rating_good_end(column, questions.get(column))
    return ScoreScale(scale.low, scale.high, best_end)


def _best_at_bottom_why(column: str, questions: dict[str, str], given: str | ScoreScale | None) -> str:
    """Why a rating's best answer is its lowest, for the reason: the question's words, or the user's scale."""
    if given is not None:
        return ""
    return f"; {rating_good_end(column, questions.get(column))[1]}"


def _no_text_message(columns: list[str], profiles: dict[str, ColumnProfile]) -> str:
    held = ", ".join(f"{c} ({profiles[c].describe()})" if c in profiles else c for c in columns) or "(none)"
    return (f"no column holds free-text comments. Columns found: {held}. "
            "Name the comment column with --text COLUMN (Python: text='COLUMN'), or a score column "
            "(--nps, --csat, --ces, --rating) to analyse the scores alone.")
