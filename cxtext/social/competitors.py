"""Find mentions of competitors in comments, from a list the user supplies.

``CompetitorMatcher({"Vodafone": ["Vodafone RO", "فودافون"], "Orange": []})``
finds every canonical name whose name or alias occurs in a comment:

* **case and diacritics** do not matter: text and aliases are folded the same
  way (Unicode NFKD, combining marks removed, casefold), so "Ştiinţa",
  "Știința" (comma below) and "Stiinta" are one word;
* **Arabic letter variants** are unified: alef forms أ إ آ ٱ -> ا, taa
  marbuta ة -> ه, alef maqsura ى -> ي, hamza carriers ؤ -> و and ئ -> ي,
  tatweel (ـ) and the short-vowel marks (harakat) removed, Arabic-Indic
  digits -> 0-9; an Arabic alias also matches after the attached
  proclitics و ف ب ل ك and the article ال ("وفودافون", "بالراجحي");
* **word boundaries**: "Orange" does not match "oranges" or "Orangeville"
  unless ``match_inside_words=True``; spaces, hyphens, dots or underscores inside
  an alias match any run of them, or none ("T-Mobile" = "t mobile" =
  "tmobile");
* **hashtags and handles** ``#VodafoneRO``, ``@orange_romania``,
  ``#BoycottOrange``: their body is split at camel-case, digit and ``_``
  boundaries and searched word by word, and also matches when it *starts*
  with the alias followed by at least two more characters (``#vodafonero``),
  so a plural (``#oranges``) still does not count.

:func:`competitor_share_by_theme` gives, per theme, the share of comments
that mention any competitor and the most mentioned ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from cxtext.errors import NotFittedError, ValidationError

SEPARATOR = "; "

_ARABIC_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
    "ـ": None,  # tatweel
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
})
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_ARABIC_PROCLITICS = r"(?:[وف]?[بلك]?(?:ال)?|[وف]?لل)"
_TAG = re.compile(r"[#@]([^\W_]\w*)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|_+")
_JOINERS = r"[\s\-._·'’]+"
_JOINERS_OPTIONAL = r"[\s\-._·'’]*"
HASHTAG_MIN_REST = 2


def fold(text: str) -> str:
    """Text in the form matching compares: no case, no diacritics, one Arabic letter per variant."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    # NFKD splits أ into ا + hamza mark, ş/ș into s + cedilla/comma; drop every combining mark
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_ARABIC_MAP).casefold()


def parse_competitors(text: str) -> dict[str, list[str]]:
    """Read a competitor list typed by a person.

    One competitor per line (or separated by ";"): ``Canonical: alias, alias``.
    A line without ":" is a name without aliases. Blank entries are skipped.
    Example: ``"Vodafone: Vodafone RO, فودافون\\nOrange"``.
    """
    out: dict[str, list[str]] = {}
    for entry in re.split(r"[\n;]+", text or ""):
        name, _, aliases = entry.partition(":")
        name = name.strip()
        if not name:
            continue
        out.setdefault(name, []).extend(a.strip() for a in aliases.split(",") if a.strip())
    return out


class CompetitorMatcher:
    """Match canonical competitor names (and aliases) in texts.

    ``competitors``: a mapping ``{canonical: [aliases]}`` or a list of names
    (each its own only alias). ``match_inside_words``: also match inside
    longer words ("orange" in "oranges"). ``hashtag_prefix``: a hashtag or
    handle that starts with an alias counts (``#VodafoneRO``).

    ``fit()`` compiles the patterns (``patterns_``: canonical -> regex);
    ``transform(texts)`` returns, per text, the canonical names found in order
    of first mention, each once.
    """

    def __init__(self, competitors: Mapping[str, Sequence[str]] | Sequence[str],
                 match_inside_words: bool = False, hashtag_prefix: bool = True) -> None:
        self.competitors = competitors
        self.match_inside_words = match_inside_words
        self.hashtag_prefix = hashtag_prefix

    def fit(self, X: object = None, y: object = None) -> "CompetitorMatcher":
        table = _as_mapping(self.competitors)
        self.patterns_: dict[str, re.Pattern[str]] = {}
        self.prefixes_: dict[str, tuple[str, ...]] = {}
        for canonical, aliases in table.items():
            folded = sorted({fold(a).strip() for a in (canonical, *aliases) if fold(a).strip()}, key=len, reverse=True)
            if not folded:
                raise ValidationError(f"Competitor {canonical!r} has no usable name or alias.")
            self.patterns_[canonical] = re.compile("|".join(self._alias_pattern(a) for a in folded))
            self.prefixes_[canonical] = tuple(re.sub(_JOINERS, "", a) for a in folded)
        return self

    def _alias_pattern(self, alias: str) -> str:
        body = _JOINERS_OPTIONAL.join(re.escape(part) for part in re.split(_JOINERS, alias) if part)
        if self.match_inside_words:
            return f"(?:{body})"
        proclitics = _ARABIC_PROCLITICS if _ARABIC_LETTER.match(alias) else ""
        return rf"(?<!\w){proclitics}(?:{body})(?!\w)"

    def transform(self, texts: Iterable[object]) -> list[list[str]]:
        if not hasattr(self, "patterns_"):
            raise NotFittedError("CompetitorMatcher is not fitted yet; call fit() first.")
        return [self._match_one("" if _missing(t) else str(t)) for t in texts]

    def fit_transform(self, texts: Iterable[object], y: object = None) -> list[list[str]]:
        return self.fit().transform(texts)

    def _match_one(self, text: str) -> list[str]:
        folded = fold(text)
        tags = [(m.start(), m.group(1)) for m in _TAG.finditer(text)]
        # hashtag bodies split into words are searched after the text; a match
        # there counts at the position of its hashtag, for the mention order
        searchable, tag_spans = folded, []
        for position, tag in tags:
            start = len(searchable) + 1
            searchable += " " + fold(_CAMEL.sub(" ", tag))
            tag_spans.append((start, len(fold(text[:position]))))
        found: list[tuple[int, str]] = []
        for canonical, pattern in self.patterns_.items():
            match = pattern.search(searchable)
            if match is not None:
                found.append((_original_position(match.start(), len(folded), tag_spans), canonical))
            elif self.hashtag_prefix:
                for position, tag in tags:
                    body = fold(tag)
                    if any(body.startswith(p) and len(body) - len(p) >= HASHTAG_MIN_REST
                           for p in self.prefixes_[canonical]):
                        found.append((len(fold(text[:position])), canonical))
                        break
        return [name for _, name in sorted(found, key=lambda pair: pair[0])]


def _original_position(start: int, text_length: int, tag_spans: list[tuple[int, int]]) -> int:
    if start < text_length:
        return start
    return next((origin for span_start, origin in reversed(tag_spans) if span_start <= start), text_length)


def _as_mapping(competitors: Mapping[str, Sequence[str]] | Sequence[str]) -> dict[str, list[str]]:
    if isinstance(competitors, str):
        raise ValidationError("competitors must be a list of names or a {name: [aliases]} mapping, not one "
                              "string; use parse_competitors(text) to read a typed list.")
    if isinstance(competitors, Mapping):
        table = {}
        for name, aliases in competitors.items():
            if isinstance(aliases, str):
                aliases = [aliases]
            table[str(name).strip()] = [str(a) for a in (aliases or [])]
    else:
        table = {str(name).strip(): [] for name in competitors}
    table = {name: aliases for name, aliases in table.items() if name}
    if not table:
        raise ValidationError("The competitor list is empty; give at least one name.")
    return table


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def join_names(names: Sequence[str]) -> str:
    """The ``competitors`` cell of assignments.csv: names joined by ``"; "`` ('' for none)."""
    return SEPARATOR.join(names)


def split_names(cell: object) -> list[str]:
    """Inverse of :func:`join_names`."""
    if _missing(cell) or not str(cell).strip():
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def competitor_share_by_theme(records: pd.DataFrame, themes: pd.DataFrame, column: str = "competitors",
                              top: int = 3) -> pd.DataFrame:
    """Per theme: comments, comments naming a competitor, their share, the most named.

    ``records`` needs ``theme_id``/``theme_ids`` (see :mod:`cxtext.drivers`) and
    ``column`` with names joined by ``"; "`` (or lists). Columns: ``theme_id``,
    ``label``, ``n_comments``, ``n_competitor_mentions`` (comments naming at least
    one competitor), ``competitor_share`` (0-1), ``top_competitors``
    ("Orange (5); Digi (2)").
    """
    from cxtext.drivers import theme_labels, theme_membership

    if column not in records.columns:
        raise ValidationError(f"records have no {column!r} column; run competitor matching first.")
    labels = theme_labels(records, themes)
    membership = theme_membership(records, labels.index)
    names = [cell if isinstance(cell, list) else split_names(cell) for cell in records[column]]
    mentions = pd.Series([bool(n) for n in names], index=records.index)
    rows = []
    for theme_id, label in labels.items():
        member = membership[theme_id].to_numpy()
        n = int(member.sum())
        counts = pd.Series([name for keep, row in zip(member, names) if keep for name in row], dtype=object)
        counts = counts.value_counts().sort_index().sort_values(ascending=False, kind="stable")
        k = int(mentions[member].sum())
        rows.append({
            "theme_id": int(theme_id), "label": label, "n_comments": n, "n_competitor_mentions": k,
            "competitor_share": k / n if n else float("nan"),
            "top_competitors": SEPARATOR.join(f"{name} ({count})" for name, count in counts.head(top).items()),
        })
    return pd.DataFrame(rows, columns=["theme_id", "label", "n_comments", "n_competitor_mentions",
                                       "competitor_share", "top_competitors"])
