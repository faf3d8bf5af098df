"""How numbers, intervals, shares and text are written in the report (plain strings, escaped for HTML by ``esc``)."""

from __future__ import annotations

import html
import math
import unicodedata
from typing import Any




MINUS = "\u2212"
DASH = "\u2013"

#: Languages under both floors are grouped as "other": fewer comments than this ...
LANGUAGE_MIN_COMMENTS = 3
#: ... or a smaller share of the comments than this.
LANGUAGE_MIN_SHARE = 0.01
LANGUAGE_NAMES = {"und": "undetermined"}


def language_shares(languages: dict[str, int], min_comments: int = LANGUAGE_MIN_COMMENTS,
                    min_share: float = LANGUAGE_MIN_SHARE) -> list[tuple[str, int, float]]:
    """(language, comments, share) biggest first, the languages under a floor grouped as "other".

    A language is listed on its own when it has at least ``min_comments`` comments AND at least
    ``min_share`` of them (so one stray "pcm" guess in an English file is not a language of the file);
    the rest are summed into "other" (last). "und" reads "undetermined".
    """
    total = sum(int(v) for v in languages.values())
    if not total:
        return []
    kept, other = [], 0
    for language, count in sorted(languages.items(), key=lambda item: (-int(item[1]), str(item[0]))):
        count = int(count)
        if count >= min_comments and count / total >= min_share:
            kept.append((LANGUAGE_NAMES.get(str(language), str(language)), count, count / total))
        else:
            other += count
    if other:
        kept.append(("other", other, other / total))
    return kept


# --------------------------------------------------------------------------- formatting


def _f(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def fmt_num(value: Any, digits: int = 1, sign: bool = False) -> str:
    """A number for people: NaN -> "–", U+2212 minus, optional "+"."""
    x = _f(value)
    if math.isnan(x):
        return DASH
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    text = f"{abs(x):,.{digits}f}"
    if text.strip("0.,") == "":
        return text
    if x < 0:
        return MINUS + text
    return ("+" + text) if sign else text


def fmt_ci(low: Any, high: Any, digits: int = 1, sign: bool = True) -> str:
    if math.isnan(_f(low)) or math.isnan(_f(high)):
        return ""
    return f"{fmt_num(low, digits, sign)} to {fmt_num(high, digits, sign)}"


def fmt_pct(value: Any, digits: int = 0) -> str:
    x = _f(value)
    return DASH if math.isnan(x) else f"{100 * x:.{digits}f}%"


def fmt_p(value: Any) -> str:
    x = _f(value)
    if math.isnan(x):
        return DASH
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def _int(value: Any) -> int:
    x = _f(value)
    return 0 if math.isnan(x) else int(x)


def esc(value: Any) -> str:
    """HTML-escape any value (None/NaN become empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
