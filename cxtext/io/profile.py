"""What a column holds, judged from its values alone: the content half of column detection.

:func:`profile_column` reads up to :data:`SAMPLE_SIZE` non-empty values of a
column and measures what a person glancing at it would notice: are these
numbers (whole? on which range?), yes/no flags, dates, codes and ids, short
labels, or sentences? :mod:`cxtext.io.columns` combines these profiles with
the headers to decide each column's role. Headers lie in real exports
(``feedback`` holding a 0/1 flag, ``Review_Date`` containing "review"), so
no role is given to a column whose content does not fit it.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxtext.io.cells import (NO_VALUE, help_desk_score, read_number, satisfaction_score, word_key,
                             word_scale)
from cxtext.io.dates import date_text, is_relative_date

#: Values read per column; enough to judge, cheap on a 100k-row file.
SAMPLE_SIZE = 2000

_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "y", "n", "t", "f", "da", "nu", "نعم", "لا",
                            "checked", "unchecked", "x"})
_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"^[\w.:/#@+-]+$")  # one token of letters, digits and punctuation: an id or a code
_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_OPTION_SEPARATOR = re.compile(r";|, ")  # how Google and Microsoft Forms join the options of a multi-select answer
_WORD = re.compile(r"[^\W\d_][\w'’]*")
# Joining words a name leaves lower-case ("Rise of the Tomb Raider", "Casa de la Música") in 6 languages
_JOINING_WORDS = frozenset("a an and or of the to in on at by for from with vs de la le les du des el los las y e "
                           "o di da do das dos der die und von zu".split())



@dataclass(frozen=True)
class ColumnProfile:
    """Measured content of one column (shares are 0-1 of its non-empty sampled values).

    ``low``/``high`` are the smallest and largest numbers found (None when
    there are none); ``in_0_10`` is the share of values that are whole
    numbers from 0 to 10; ``words`` the mean number of words of the values.
    """

    column: str
    n: int
    numeric: float = 0.0
    whole: float = 0.0
    in_0_10: float = 0.0
    low: float | None = None
    high: float | None = None
    distinct_numbers: int = 0
    boolean: float = 0.0
    date: float = 0.0
    letters: float = 0.0
    words: float = 0.0
    characters: float = 0.0
    distinct: float = 0.0
    distinct_values: int = 0
    code: float = 0.0
    url: float = 0.0
    #: share of values that are a sentence of 4+ words found 3+ times in the sample: a template the
    #: export fills in ("I have been working at Walmart full-time for more than a year"), not comments
    template: float = 0.0
    #: the 1st and 99th percentiles of the numbers: a rating's scale read past a few planted or mistyped
    #: values (-3 or 15 among 0-10 scores); None when there are none
    low_1: float | None = None
    high_99: float | None = None
    #: the smallest number that is not negative (a rating's true bottom when a -3 is planted among 0-10)
    low_nonneg: float | None = None
    #: the median of the numbers: half of a score column's values lie on each side of it
    median: float | None = None
    #: share of the numbers that are the largest one (``high``): a 4 chosen by many with no 5 is a 1-4 scale's top
    at_high: float = 0.0
    #: share of values that are relative dates ("a month ago", "il y a 3 mois"), and the first of them
    relative: float = 0.0
    relative_example: str | None = None
    #: share of values that are one of the 10 most common: answers picked from a list ("Error messages",
    #: "Language syntax", ... : 10 options make 90% of an obstacle question's answers), not comments
    top_share: float = 0.0
    #: the same for the options of a multi-select answer ("Documentation;Stack Overflow #Dask tag", "Notion;
    #: Google Keep"): share of the parts between ';' or ', ' that are one of the 10 most common parts
    option_share: float = 0.0
    #: share of values that are a satisfaction answer in words ("Extremely satisfied": see satisfaction_score)
    satisfaction: float = 0.0
    #: whether any of those answers is satisfied or dissatisfied (not only "neutral")
    satisfied_or_not: bool = False
    #: the smallest and largest plain number among ALL the column's values, not only the sample; set when the
    #: column is numeric and was sampled. Only :meth:`describe` uses them: the roles are judged on the sample
    #: (a count column of 100k rows described "from 2368 to 470997" while it reaches 1,409,680 misled a reader)
    full_low: float | None = None
    full_high: float | None = None
    #: share of values that are a satisfaction answer in words or a help desk's rating ("Great", "Okay",
    #: "Bad with comment": see help_desk_score)
    help_desk: float = 0.0
    #: the five-level word scale the column's answers lie on ("horrible ... excellent"), None when none
    on_word_scale: str | None = None
    #: share of the values of 2+ words (short joining words aside) whose every word starts with a capital:
    #: names ("Rise of the Tomb Raider", "Office Administrator"), not sentences; 0 for uncased scripts
    title_case: float = 0.0
    #: share of the values holding a ';' (options ticked in a multiple-choice question, as Forms joins them)
    semicolons: float = 0.0
    #: True when the column's only value is the end of its own header: a ticked checkbox option
    #: ("... Autres commentaires :" holding "Autres commentaires :" in the rows that ticked it)
    echoes_header: bool = False

    @property
    def is_empty(self) -> bool:
        return self.n == 0

    @property
    def is_numeric(self) -> bool:
        """Mostly numbers: a score, a rating, a count or a flag (junk in a few rows allowed)."""
        return self.n > 0 and self.numeric >= 0.8

    @property
    def is_flag(self) -> bool:
        """Yes/no, true/false or 0/1 values."""
        two_numbers = self.is_numeric and self.distinct_numbers <= 2 and self.low is not None \
            and self.low >= 0 and (self.high or 0) <= 1
        return self.n > 0 and (self.boolean >= 0.9 or two_numbers)

    @property
    def is_date(self) -> bool:
        return self.n > 0 and self.date >= 0.8

    @property
    def is_id(self) -> bool:
        """Unique single tokens: respondent ids, ticket numbers, UUIDs."""
        return self.n >= 5 and self.distinct >= 0.95 and self.words <= 1.2 and self.code >= 0.9

    @property
    def is_relative_date(self) -> bool:
        """Mostly relative dates ("a month ago"): relative to when the page was read, so never a date (nor a comment)."""
        return self.n > 0 and self.relative >= 0.8

    @property
    def is_satisfaction(self) -> bool:
        """Satisfaction answered in words ("Mostly satisfied"): a CSAT on 1-5, never comments. Not "neutral"
        alone: a column of "neutral" with a few "positive" / "negative" is a sentiment model's output (a public GP
        survey's 'sentiment_do_better' was read as CSAT: "0% satisfied", and its other words rejected rows)."""
        return self.n > 0 and self.satisfaction >= 0.9 and self.satisfied_or_not

    @property
    def is_help_desk_rating(self) -> bool:
        """A help desk's rating in words (Good / Bad, Great / Okay / Not Good): a CSAT only under a header
        naming satisfaction."""
        return self.n > 0 and self.help_desk >= 0.9

    @property
    def is_url(self) -> bool:
        return self.n > 0 and self.url >= 0.5

    def describe(self) -> str:
        """What the column holds, in a few words a user can check ("numbers 1-5", "free text, 12 words on average")."""
        if self.is_empty:
            return "empty"
        if self.is_relative_date:
            return f"relative dates ('{self.relative_example}')"
        if self.is_flag:
            return "yes/no flags" if self.boolean >= 0.9 else "0/1 flags"
        if self.is_numeric:
            kind = "whole numbers" if self.whole >= 0.95 else "numbers"
            low = self.low if self.full_low is None else min(self.low, self.full_low)
            high = self.high if self.full_high is None else max(self.high, self.full_high)
            return f"{kind} from {format_number(low)} to {format_number(high)}"
        if self.is_date:
            return "dates"
        if self.is_satisfaction:
            return f"satisfaction in words ({self.distinct_values} different values, read as 1-5)"
        if self.is_help_desk_rating and self.on_word_scale:
            return f"ratings in words on a 5-point scale ({self.on_word_scale}, read as 1-5)"
        if self.is_help_desk_rating:
            return (f"a help desk's ratings in words ({self.distinct_values} different values, read as 1-5: great 5, "
                    "good 4, okay 3, bad 2, so the share satisfied is the share rated good or great)")
        if self.is_url:
            return "links"
        if self.is_id:
            return "ids (every value different)"
        if self.letters < 0.5:
            return "codes and symbols"
        if self.distinct_values <= 30 and self.distinct < 0.5:
            return f"labels ({self.distinct_values} different values)"
        return f"text, {self.words:.1f} words on average"


def format_number(number: float | None) -> str:
    """A number as a user reads it: 5 not 5.0, 4.5, 1.8e+308 (None: '?')."""
    if number is None:
        return "?"
    if abs(number) >= 1e15:  # an overflowed or planted value: its 300 digits say nothing more than 1.8e+308
        return f"{number:.3g}"
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def profile_column(values: pd.Series, column: str | None = None) -> ColumnProfile:
    """Profile a column from :data:`SAMPLE_SIZE` of its non-empty values, evenly spaced through the file."""
    name = str(values.name if column is None else column)
    present = [v for v in values.tolist() if not _is_missing(v)]
    # spread over the file: exports are often sorted (by star, by date), so the head is not typical
    step = max(1, len(present) // SAMPLE_SIZE)
    sample = present[::step][:SAMPLE_SIZE]
    n = len(sample)
    if n == 0:
        return ColumnProfile(name, 0)
    texts = [str(v).strip() for v in sample]
    numbers = [read_number(v) for v in sample]
    found = np.array([x for x in numbers if x is not None], dtype=float)
    whole = found[np.isclose(found, np.round(found))] if found.size else found
    word_counts = np.array([len(t.split()) for t in texts], dtype=float)
    distinct_values = len(set(texts))
    counts = pd.Series(texts).value_counts()
    relative = [t for t in texts[:200] if is_relative_date(t)]
    on_scale = word_scale(texts)  # the five-level word scale the answers lie on, read once for the two fields
    satisfaction = [satisfaction_score(t) for t in texts]  # read once for three fields
    full_low, full_high = _full_range(present) if len(present) > n and found.size >= 0.8 * n else (None, None)
    templated = int(sum(c for text, c in counts.items() if c >= 3 and len(text.split()) >= 4))
    return ColumnProfile(
        column=name,
        n=n,
        numeric=found.size / n,
        whole=(whole.size / found.size) if found.size else 0.0,
        in_0_10=float(((whole >= 0) & (whole <= 10)).sum()) / n if whole.size else 0.0,
        low=float(found.min()) if found.size else None,
        high=float(found.max()) if found.size else None,
        distinct_numbers=int(np.unique(found).size),
        boolean=sum(t.lower() in _BOOLEAN_WORDS for t in texts) / n,
        date=_date_share(sample, texts),
        letters=sum(bool(_LETTER.search(t)) for t in texts) / n,
        words=float(word_counts.mean()),
        characters=float(np.mean([len(t) for t in texts])),
        distinct=distinct_values / n,
        distinct_values=distinct_values,
        code=sum(bool(_CODE.match(t)) and any(ch.isdigit() for ch in t) or len(t) >= 16 and " " not in t
                 for t in texts) / n,
        url=sum(bool(_URL.match(t)) for t in texts) / n,
        template=templated / n,
        top_share=float(counts.head(10).sum()) / n,
        option_share=_option_share(texts),
        low_1=float(np.percentile(found, 1, method="lower")) if found.size else None,
        high_99=float(np.percentile(found, 99, method="higher")) if found.size else None,
        low_nonneg=float(found[found >= 0].min()) if (found >= 0).any() else None,
        median=float(np.median(found)) if found.size else None,
        at_high=float((found == found.max()).mean()) if found.size else 0.0,
        relative=len(relative) / min(n, 200),
        relative_example=relative[0] if relative else None,
        satisfaction=sum(s is not None for s in satisfaction) / n,
        satisfied_or_not=bool(set(satisfaction) - {None, 3}),
        help_desk=_help_desk_share(texts, satisfaction, on_scale),
        on_word_scale=_scale_name(on_scale),
        full_low=full_low,
        full_high=full_high,
        title_case=_title_case_share(texts),
        echoes_header=distinct_values == 1 and _ends_with(name, texts[0]),
        semicolons=sum(";" in t for t in texts) / n,
    )


def _ends_with(header: str, value: str) -> bool:
    """True when ``header`` ends with ``value``, HTML tags, entities and spacing aside (and a ``_2`` copy suffix)."""
    def plain(text: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split()).casefold()
    end = plain(value)
    return bool(end) and re.sub(r"(?:_|\.)\d+$", "", plain(header)).endswith(end)


def _option_share(texts: list[str]) -> float:
    """Share of the parts of the values, split at ';' or ', ', that are one of the 10 most common parts."""
    parts = [part.strip().lower() for text in texts for part in _OPTION_SEPARATOR.split(text) if part.strip()]
    return float(pd.Series(parts).value_counts().head(10).sum()) / len(parts) if parts else 0.0


def _title_case_share(texts: list[str]) -> float:
    """Share of the values of 2+ words, joining words aside, whose every word starts with a capital."""
    named = [words for words in ([w for w in _WORD.findall(t) if w.lower() not in _JOINING_WORDS]
                                 for t in texts[:500]) if len(words) >= 2]
    return sum(all(w[0].isupper() for w in words) for words in named) / len(named) if named else 0.0


def _scale_name(table: dict[str, int] | None) -> str | None:
    if not table:
        return None
    levels = sorted(table.items(), key=lambda item: item[1])
    return f"{levels[0][0]} ... {levels[-1][0]}"


def _help_desk_share(texts: list[str], satisfaction: list[int | None], on_scale: dict[str, int] | None) -> float:
    """Share of the values that are satisfaction (``satisfaction``: each value's :func:`satisfaction_score`)
    or a help desk's rating in words, or on the column's word scale ``on_scale`` (:func:`word_scale`)."""
    on_scale = on_scale or {}
    return sum(s is not None or help_desk_score(t) is not None or word_key(t) in on_scale
               for t, s in zip(texts, satisfaction)) / len(texts)


def _full_range(present: list[object]) -> tuple[float | None, float | None]:
    """The smallest and largest plain number of all the values (vectorised: a column of 100k rows)."""
    numbers = pd.to_numeric(pd.Series([str(v).strip() for v in present], dtype=object), errors="coerce")
    numbers = numbers[np.isfinite(numbers)]
    return (float(numbers.min()), float(numbers.max())) if len(numbers) else (None, None)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in NO_VALUE


def _date_share(sample: list[object], texts: list[str]) -> float:
    """Share of values that are dates: datetime objects, or strings with digits that parse as one."""
    hits = 0
    candidates: list[str] = []
    for value, text in zip(sample[:200], texts[:200]):
        if isinstance(value, (_dt.date, pd.Timestamp, np.datetime64)):
            hits += 1
        elif 6 <= len(text) <= 60 and any(ch.isdigit() for ch in text) and read_number(text) is None \
                and len(text.split()) <= 11:  # "Reviewed in the United States on January 31, 2024" (Amazon)
            candidates.append(text)
    if candidates:  # month names in 9 languages, a phrase before the date ("Rédigé le 6 décembre 2024")
        parsed = pd.to_datetime(pd.Series([date_text(t) for t in candidates]), errors="coerce", format="mixed",
                                utc=True)
        hits += int(parsed.notna().sum())
    return hits / min(len(sample), 200)
