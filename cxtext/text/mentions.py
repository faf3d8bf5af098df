"""Split a comment into mentions: its sentences, and clauses where a sentence joins two topics.

A review that speaks of the room, the noise and the breakfast is one comment but three mentions;
theming each mention (``themes.mentions: true``, :func:`cxtext.theming.fit_mention_themes`) lets
the comment belong to the three themes instead of one muddled one. Pure functions on strings:
every mention is a slice ``text[start:end]`` of the text given, so it can be highlighted in it.

The rules, in order (English, Arabic and Romanian):

1. **Short comments stay whole.** Fewer than ``MIN_WORDS_TO_SPLIT`` (20) words: one mention,
   the whole (stripped) text. Below 20 words a comment is mostly one request or one point with
   its reason ("my account is blocked but I have no clue why"): measured (bench/results/mentions.md),
   a 12-word rule cut 11 of CLINC150's 1,500 banking requests and 2 of HWU64's 2,152 commands at
   their "but" and changed their themes; at 20 none of CLINC150, HWU64 or Bitext's requests is
   split, while 95% of SemEval's restaurant reviews and 83% of its laptop reviews still are.
2. **Sentences.** A cut after ``.``, ``!``, ``?``, ``…``, Arabic ``؟`` (and closing quotes or
   brackets) followed by a space, and at line breaks; not after a known abbreviation ("e.g.",
   "Mr.", "nr.") or a single letter (an initial). A decimal point ("3.5") is never followed by
   a space, so it is never cut. A comment without any of those marks (an export that stripped
   its punctuation, as a public Glassdoor scrape did) is cut at runs of two or more spaces.
3. **Clauses.** Inside a sentence, a cut before a contrastive conjunction ("but", "however",
   "although", "though", "whereas"; Romanian "dar", "însă", "iar"; Arabic "لكن", "ولكن" and
   their pronoun forms, "بينما") when both sides have at least ``MIN_CONTRAST_WORDS`` (3) words;
   before an additive one ("and also"; Romanian "și"), or after a clause mark (";", Arabic
   "،" and "؛"), only when both sides have at least ``MIN_ADDITIVE_WORDS`` (6) words, since
   "clean and quiet" or "curat și liniștit" join two words about one thing. Plain "and" is
   never cut, nor an English comma.
4. **Tiny fragments merge.** A piece of fewer than ``MIN_MENTION_WORDS`` (3) words ("Great!",
   "Overall,") joins the previous mention, or the next one when it comes first: too short to
   carry a topic of its own.

:func:`split_mentions` gives the ``(start, end)`` spans of one text; :func:`mentions_frame` the
mentions of many texts as a DataFrame (columns in ``MENTION_COLUMNS``). For quoting a mention,
:func:`quote_in_comment` cuts the comment around it (a :class:`MentionQuote`: the text before,
the mention, the text after); :func:`mention_quotes` does so for each theme's quotes (the report
and the app mark the mention inside its comment); :func:`comment_from_mentions` puts a comment
back together from its mentions when only they are at hand (an analysis folder's mentions.csv).

May import the standard library, numpy and pandas only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from dataclasses import dataclass

import pandas as pd

MIN_WORDS_TO_SPLIT = 20
MIN_MENTION_WORDS = 3
MIN_CONTRAST_WORDS = 3
MIN_ADDITIVE_WORDS = 6

#: row: the comment's row (as given); mention: 0-based position in the comment; start, end:
#: character offsets in the comment's text (``text[start:end]`` is the mention); text: the mention
MENTION_COLUMNS = ["row", "mention", "start", "end", "text"]

_SENTENCE_END = re.compile(r"[.!?…؟]+[\"'”’»)\]]*(?=\s)|\n+")
# An export that stripped the punctuation leaves two or more spaces where a full stop was
# ("good pay  good perks  bad managers"): there, such a gap ends a sentence.
_STRIPPED_SENTENCE_END = re.compile(r" {2,}|\n+")
_SENTENCE_MARK = re.compile(r"[.!?…؟]")
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "st", "vs", "approx", "nr", "dl", "dna", "str",
    "jr", "sr", "inc", "ltd", "ca", "aprox",
})
_CONTRAST = re.compile(
    r"(?<!\w)(?:but|however|although|though|whereas|dar|însă|însa|insă|insa|iar)(?!\w)"
    r"|(?<!\S)و?لكن(?:ه|ها|هم|ني|نا|ك)?(?!\S)|(?<!\S)بينما(?!\S)",
    re.IGNORECASE,
)
_ADDITIVE = re.compile(r"(?<!\w)(?:and also|și|şi|si)(?!\w)", re.IGNORECASE)
_CLAUSE_MARK = re.compile(r"[;،؛]")
_TRAILING = " \t\r\n,،;؛"
#: when mentions are off and at least this share of the themed comments has MIN_WORDS_TO_SPLIT+
#: words, the summary suggests turning them on: a quarter of the comments speaking of several things
#: is where one theme per comment starts to hide complaints (set a priori, not tuned)
SUGGEST_MENTIONS_SHARE = 0.25
#: characters of the comment shown on each side of a quoted mention: enough for the sentence
#: around it, short enough that a theme's five quotes stay readable
QUOTE_CONTEXT_CHARS = 90


def word_count(text: str) -> int:
    return len(text.split())


def split_mentions(text: str) -> list[tuple[int, int]]:
    """The mentions of ``text`` as ``(start, end)`` character spans, in order (rules in the module doc).

    Empty or blank text has none; otherwise the spans cover the text from its first to its last
    non-blank character, never overlap, and each ``text[start:end]`` is stripped of spaces.
    """
    whole = _strip(text, 0, len(text), trailing=" \t\r\n")
    if whole is None:
        return []
    if word_count(text) < MIN_WORDS_TO_SPLIT:
        return [whole]
    pieces = [clause for sentence in _sentences(text, *whole) for clause in _clauses(text, *sentence)]
    return _merge_short(text, pieces)


def mentions_frame(texts: Sequence[str], rows: Sequence | None = None) -> pd.DataFrame:
    """One row per mention of each text, columns ``MENTION_COLUMNS``; ``rows`` name the texts
    (default 0, 1, ...). A blank text has no mention."""
    rows = list(range(len(texts))) if rows is None else list(rows)
    if len(rows) != len(texts):
        raise ValueError(f"'rows' must name every text ({len(texts)}). Got {len(rows)} instead.")
    out = []
    for row, text in zip(rows, texts):
        text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
        for index, (start, end) in enumerate(split_mentions(text)):
            out.append((row, index, start, end, text[start:end]))
    frame = pd.DataFrame(out, columns=MENTION_COLUMNS)
    for column in ("mention", "start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame


@dataclass(frozen=True)
class MentionQuote:
    """A mention quoted in its comment: ``before + mention + after`` reads as the comment, cut
    to a few words around the mention ("…" where cut). ``before`` and ``after`` are empty for a
    quote that is a whole comment."""

    before: str
    mention: str
    after: str


def quote_in_comment(text: str, start: int, end: int, context_chars: int = QUOTE_CONTEXT_CHARS) -> MentionQuote:
    """The mention ``text[start:end]`` with up to ``context_chars`` characters of its comment on each
    side, cut at a space so no word is broken."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"The span ({start}, {end}) is not inside a text of {len(text)} characters.")
    before, after = text[:start], text[end:]
    if len(before) > context_chars:
        cut = before.find(" ", len(before) - context_chars)
        before = "…" + before[cut + 1:] if cut >= 0 else "…"
    if len(after) > context_chars:
        cut = after.rfind(" ", 0, context_chars)
        after = after[:cut] + "…" if cut > 0 else "…"
    return MentionQuote(before, text[start:end], after)


def comment_from_mentions(mentions: pd.DataFrame) -> str:
    """One comment rebuilt from its mentions (columns ``start``, ``end``, ``text``): each mention at
    its offset, the gaps between them (spaces, and a comma or a clause mark a cut dropped) as spaces,
    so the offsets hold in the result."""
    out = ""
    for start, text in sorted(zip(mentions["start"].astype(int), mentions["text"].astype(str))):
        out = out.ljust(start) + text
    return out


def mention_quotes(themes: pd.DataFrame, mentions: pd.DataFrame | None,
                   records: pd.DataFrame | None = None) -> dict[int, list[MentionQuote]]:
    """Per theme id, its ``quotes`` (themes.csv) each as a mention inside its comment.

    When themes are learnt from mentions (``themes.mentions``) a theme's quotes are mentions, which
    read best in their comment with the mention marked. ``mentions``: the analysis' mentions
    (mentions.csv: ``row``, optional ``text_column``, ``start``, ``end``, ``text``).
    ``records``: the analysis' records, whose ``clean_text`` (by ``row``, and ``text_column`` when
    the mentions have one) is the comment the offsets point into; without them a comment is rebuilt
    from its mentions. A quote that is no mention of its theme (a whole comment, e.g. after a theme was
    split by hand, which quotes whole comments) is returned whole, with nothing before or after. Empty when ``mentions`` is None.
    """
    if mentions is None or mentions.empty or "quotes" not in themes:
        return {}
    by_column = "text_column" in mentions.columns
    key_columns = ["row", "text_column"] if by_column else ["row"]
    comments: dict[Any, str] = {}
    if records is not None:
        keys = zip(records["row"], records["text_column"]) if by_column else records["row"]
        comments = dict(zip(keys, records["clean_text"].astype("string").fillna("")))
    # by text alone: after an edit (a merge, a split) a quote's mention may carry its old theme id
    first = mentions.drop_duplicates("text").set_index("text")
    out: dict[int, list[MentionQuote]] = {}
    for theme_id, quotes in zip(themes["theme_id"], themes["quotes"]):
        quoted = []
        for quote in quotes if isinstance(quotes, (list, tuple)) else []:
            key = str(quote)
            if key not in first.index:
                quoted.append(MentionQuote("", str(quote), ""))
                continue
            hit = first.loc[key]
            comment_key = tuple(hit[c] for c in key_columns) if by_column else hit["row"]
            text = comments.get(comment_key)
            if text is None or text[int(hit["start"]):int(hit["end"])] != quote:
                same = (mentions[key_columns] == pd.Series(dict(zip(key_columns, hit[key_columns])))).all(axis=1)
                text = comment_from_mentions(mentions[same])
            quoted.append(quote_in_comment(text, int(hit["start"]), int(hit["end"])))
        out[int(theme_id)] = quoted
    return out


def mention_summary(texts: Sequence[str], mentions: pd.DataFrame | None) -> dict[str, Any]:
    """summary.json's ``mentions``: whether themes were learnt from mentions, how many of the themed
    comments are long enough to be split, and a ``note`` saying what was done or suggesting it.

    ``texts``: the themed comments (first copies of real answers); ``mentions``: the analysis'
    mentions, None when themes were learnt from whole comments."""
    long = sum(word_count(str(t)) >= MIN_WORDS_TO_SPLIT for t in texts)
    share = long / len(texts) if len(texts) else 0.0
    out: dict[str, Any] = {"used": mentions is not None, "comments_themed": len(texts),
                           "long_comments": int(long), "long_share": round(share, 4)}
    if mentions is not None:
        split = int((mentions.groupby(["row", *(["text_column"] if "text_column" in mentions else [])])
                     .size() > 1).sum()) if len(mentions) else 0
        out.update(mentions=int(len(mentions)), comments_split=split,
                   note=(f"Themes were learnt from mentions: {split:,} of {len(texts):,} comments were split into "
                         f"sentences and clauses ({len(mentions):,} mentions); a comment is listed under every "
                         "theme one of its mentions belongs to (mentions.csv)."))
    elif share >= SUGGEST_MENTIONS_SHARE:
        out["note"] = (f"{share:.0%} of the comments have {MIN_WORDS_TO_SPLIT}+ words and may speak of several "
                       "things, but each was themed whole, under one main theme. To list a comment under every "
                       "theme it speaks of, theme its mentions: --mentions (the app's 'Theme each mention' box, "
                       "the pipeline's themes.mentions: true).")
    return out


# --------------------------------------------------------------------------- steps


def _strip(text: str, start: int, end: int, trailing: str = _TRAILING) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in trailing:
        end -= 1
    return (start, end) if end > start else None


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start]
    ends = _SENTENCE_END if _SENTENCE_MARK.search(text, start, end) else _STRIPPED_SENTENCE_END
    for match in ends.finditer(text, start, end):
        if match.group().startswith("\n") or not _is_abbreviation(text, match.start()):
            cuts.append(match.end())
    cuts.append(end)
    spans = (_strip(text, a, b, trailing=" \t\r\n") for a, b in zip(cuts, cuts[1:]))
    return [span for span in spans if span is not None]


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the "." at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    if text[dot] != ".":
        return False
    begin = dot
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    token = text[begin:dot].lower().lstrip("(\"'")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence before its contrastive / additive conjunctions and after its clause marks,
    when both sides are long enough (each side counted from the last cut to the sentence end)."""
    candidates = [(m.start(), MIN_CONTRAST_WORDS) for m in _CONTRAST.finditer(text, start, end)]
    candidates += [(m.start(), MIN_ADDITIVE_WORDS) for m in _ADDITIVE.finditer(text, start, end)]
    candidates += [(m.end(), MIN_ADDITIVE_WORDS) for m in _CLAUSE_MARK.finditer(text, start, end)]
    spans = []
    last = start
    for cut, need in sorted(candidates):
        if word_count(text[last:cut]) >= need and word_count(text[cut:end]) >= need:
            span = _strip(text, last, cut)
            if span is not None:
                spans.append(span)
                last = cut
    final = _strip(text, last, end, trailing=" \t\r\n")
    if final is not None:
        spans.append(final)
    return spans


def _merge_short(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces of fewer than MIN_MENTION_WORDS words to the previous one (the next when first)."""
    merged: list[tuple[int, int]] = []
    carry = None  # a short first piece waiting for the next one
    for start, end in pieces:
        if carry is not None:
            start, carry = carry, None
        if word_count(text[start:end]) >= MIN_MENTION_WORDS:
            merged.append((start, end))
        elif merged:
            merged[-1] = (merged[-1][0], end)
        else:
            carry = start
            last_end = end
    if carry is not None:  # every piece was short: one mention
        merged.append((carry, last_end))
    return merged
