"""Mask personal data that customers paste into free-text comments.

Called on every comment before it is embedded, cached, labelled, quoted or
exported, so nothing downstream ever sees the raw value. Each kind of data
becomes a fixed placeholder (see :data:`PLACEHOLDERS`); the text around it,
Arabic/RTL text and zero-width or bidi marks included, is left exactly as it
was.

What is masked, and what keeps each rule from eating ordinary numbers:

* **URLs carrying secrets** -> ``[url]`` (switch: ``urls``): an
  ``http(s)://`` or ``www.`` link whose query or fragment has a
  ``key=value`` pair, or that contains a run of 16+ letters *and* digits
  (a reset/unsubscribe token, a session id). Plain links such as
  ``https://nuvio.ro/help`` stay: which page a customer points at is content,
  not personal data.
* **E-mail addresses** -> ``[email]``: ``local@domain.tld`` with an
  alphabetic top-level domain of 2+ letters (``xn--`` IDN ones too); the
  local part may be in any script (``محمد@gmail.com``). Trailing labels that
  are not a TLD are left out (``jane@x.com.5`` -> ``[email].5``).
* **IBANs** -> ``[iban]``: two letters, two check digits, then exactly the
  length the ISO 13616 registry gives for that country (spaces allowed
  between characters), and only when the mod-97 check is 1.
* **Payment cards** -> ``[card]``: 13-19 digits, first digit not 0, written
  solid or in groups of 3-8 split by one kind of separator (space or dash),
  and only when the Luhn check passes.
* **Phone numbers** -> ``[phone]``: ``+`` or ``00`` followed by a known
  country calling code and 8-15 digits (for our markets and their
  neighbours, exactly that country's national length); a national number with a trunk
  ``0`` and 9-11 digits (Romania, UAE, Saudi Arabia, UK and most other
  countries); a North-American number written 3-3-4 (``(555) 123-4567``,
  optional leading ``1``); or a bare international mobile of our markets
  (``40 7..``, ``971 5..``, ``966 5..``, ``44 7..``) at its exact length.
* **@handles** -> ``[handle]``: ``@`` + word characters (any script) and
  inner dots, with at least one letter or underscore (so ``@10:30`` stays),
  not glued to a word before it (``jane@localhost`` is not a handle).

Numbers are read in *runs*: digit groups (ASCII, Arabic-Indic ``٠-٩`` or
Persian ``۰-۹``) joined by a space, no-break space, dot, dash or
parenthesis (bidi/zero-width marks between them are allowed). A run glued to
Latin letters (``SKU12345``), or after ``#``/``№`` (``order #0721234567``),
is not a number we mask. Inside a run the longest valid card or phone is
taken from the left, always as whole digit groups, so no part of a number is
left behind. Commas, slashes and colons end a run, which keeps amounts
(``1,250.00``), dates (``12/09/2026``), times (``10:30``) and scores
(``NPS 9/10``) apart. In addition a phone may not start with a date
(``05.09.2026 14:30``), may not mix dots with other separators, and its
groups (except a country code and a ``(0)`` trunk) have 2+ digits.

Deliberately left alone: short codes such as ``OTP 483920`` (one-time and
expired by the time anyone reads the comment; masking every 6-digit number
would take amounts and order numbers with it), numbers without a ``+``,
``00``, trunk ``0`` or a North-American layout (``order 1234567890``), and
obfuscated addresses (``jane at example dot com``). A zero-padded 9-11 digit
reference such as ``0123456789`` *is* masked as a phone: it cannot be told
apart from a national number, and masking too much is the safer mistake.

Rules run in priority order (URL, e-mail, IBAN, card/phone, handle); each
later rule sees the earlier matches already covered, so matches never
overlap (an e-mail inside a masked URL is part of ``[url]``).

Masking is idempotent: placeholders contain no digit and no ``@``, and every
rule treats ``[`` and ``]`` as a hard edge (a candidate glued to one is not
taken), so a second pass finds nothing.
Every pattern is linear (possessive quantifiers, guarded starts, bounded
look-ups): a real 100,000-character comment takes about 0.1 s, and
adversarial ones ("12 12 12 ...", "RO49 RO49 ...") stay well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cxtext.errors import ValidationError

__all__ = ["IBAN_LENGTHS", "PLACEHOLDERS", "Match", "Redactor", "iban_is_valid", "luhn_is_valid", "redact",
           "redact_series"]

PLACEHOLDERS: dict[str, str] = {
    "url": "[url]",
    "email": "[email]",
    "iban": "[iban]",
    "card": "[card]",
    "phone": "[phone]",
    "handle": "[handle]",
}

# ---------------------------------------------------------------- characters
_DIGITS = "0-9\u0660-\u0669\u06F0-\u06F9"           # ASCII, Arabic-Indic, Persian
_TO_ASCII = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                          "\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9",
                          "01234567890123456789")
# Invisible marks that may sit inside a number (bidi marks are common in Arabic text).
_INVISIBLE = "\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF"
_SPACES = " \u00A0\u2009\u202F"
_LATIN = "A-Za-z\u00C0-\u024F"
# A candidate touching one of these belongs to a longer word, or to a placeholder.
_GLUE = f"{_LATIN}{_DIGITS}_\\[\\]"
_GLUE_CHARS = re.compile(f"[{_GLUE}]")
_STRIP_INVISIBLE = re.compile(f"[{_INVISIBLE}]")

# ---------------------------------------------------------------- patterns
_URL = re.compile(
    rf"(?<![A-Za-z0-9_\[\]])(?:https?://|www\.)"
    rf"[^\s<>\"'\[\]{{}}|\\^`\x00-\x1f\u0600-\u06FF{_INVISIBLE}]++",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)*»…"
# Every rule needs a digit, an "@" or a link start: a comment with none of
# them (most comments) skips all rules.
_MAY_HOLD_PII = re.compile(rf"[@{_DIGITS}]|https?://|www\.", re.IGNORECASE)
_URL_PARAM = re.compile(r"[?#&;][^=?#&;]*=")                # a key=value in the query or fragment
_URL_TOKEN = re.compile(r"[A-Za-z0-9]{16,}")

# The local part may be in any script (محمد@example.com); the domain is ASCII or punycode.
_EMAIL = re.compile(r"(?<![\w.%+\-\[\]])[\w.%+\-]++@[A-Za-z0-9\-]++(?:\.[A-Za-z0-9\-]++)++")
_TLD = re.compile(r"[A-Za-z]{2,}|xn--[A-Za-z0-9\-]+")

_IBAN_START = re.compile(rf"(?<![{_GLUE}])[A-Za-z]{{2}}[{_DIGITS}]{{2}}")
# The rest of an IBAN: exactly n letters/digits, one space allowed before each.
_IBAN_BODY = {n: re.compile(rf"(?:[{_SPACES}]?[A-Za-z{_DIGITS}]){{{n}}}") for n in range(11, 31)}

# A run of digit groups. The run may open with "+" (international) or "(".
_RUN = re.compile(
    rf"(?<![{_GLUE}+#№])(?:\+[{_INVISIBLE}]{{0,2}}|\()?[{_DIGITS}]++"
    rf"(?:[{_SPACES}.\-(){_INVISIBLE}]{{1,6}}+[{_DIGITS}]++)*+"
)
_GROUP = re.compile(f"[{_DIGITS}]+")
# Separator between two digit groups of a phone, after removing invisible marks.
_PHONE_SEP = re.compile(r"\)?[ \u00A0\u2009\u202F.\-]?\(?")
_CARD_SEPS = frozenset({"", " ", "-", "\u00A0"})

_HANDLE = re.compile(r"(?<![\w.@\[\]])@(\w++(?:\.\w++)*+)")
_HANDLE_LETTER = re.compile(r"[^\W\d]")

# ---------------------------------------------------------------- reference data
# ISO 13616 IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

# ITU-T E.164 country calling codes (assigned and reserved-for-use ranges).
_CALLING_CODES: frozenset[str] = frozenset(
    ["1", "7"]
    + "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 "
      "81 82 84 86 90 91 92 93 94 95 98".split()
    + "211 212 213 216 218 290 291 297 298 299 420 421 423 670 800 808 850 852 853 855 856 870 878 "
      "886 888 998".split()
    + [str(c) for c in [*range(220, 259), *range(260, 270), *range(350, 360), *range(370, 384),
                        385, 386, 387, 389, *range(500, 510), *range(590, 600), *range(672, 693),
                        *range(880, 884), *range(960, 969), *range(970, 980), *range(992, 997)]]
)
# Mobiles of our markets written with the country code but without "+"/"00".
_BARE_MOBILE = re.compile(r"407\d{8}|9715\d{8}|9665\d{8}|447\d{9}")
_BARE_MOBILE_STARTS = ("407", "9715", "9665", "447")

# Length of the national (significant) number after the calling code, for our
# markets and their neighbours; other codes only need 8-15 digits in all.
_NATIONAL_LENGTHS: dict[str, tuple[int, int]] = {
    "1": (10, 10), "7": (10, 10), "20": (8, 10), "30": (10, 10), "33": (9, 9), "34": (9, 9),
    "36": (8, 9), "39": (6, 11), "40": (9, 9), "44": (9, 10), "48": (9, 9), "49": (6, 13), "90": (10, 10),
    "91": (10, 10), "212": (9, 9), "359": (8, 9), "373": (8, 8), "380": (9, 9), "962": (8, 9),
    "965": (8, 8), "966": (8, 9), "968": (8, 8), "971": (8, 9), "973": (8, 8), "974": (8, 8),
}

_MAX_NUMBER_DIGITS = 19   # longest card; longest phone is 00 + 15 digits (+ a "(0)" trunk)


@dataclass(frozen=True)
class Match:
    """One piece of personal data: its kind, where it is (``text[start:end]``) and the text."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Redactor:
    """Which kinds of personal data to mask. Every kind is on by default.

    ``urls`` masks only links that carry a ``key=value`` query/fragment or a
    token-like run (see the module docstring); plain links are kept.
    """

    emails: bool = True
    phones: bool = True
    cards: bool = True
    ibans: bool = True
    handles: bool = True
    urls: bool = True

    def find(self, text: str) -> list[Match]:
        """Every masked piece of ``text``, in order, never overlapping."""
        _check_text(text)
        if not _MAY_HOLD_PII.search(text):
            return []
        found: list[tuple[int, int, str]] = []
        work = text
        stages = [
            (self.urls, _find_urls),
            (self.emails, _find_emails),
            (self.ibans, _find_ibans),
            (self.cards or self.phones, lambda t: _find_numbers(t, self.cards, self.phones)),
            (self.handles, _find_handles),
        ]
        for enabled, finder in stages:
            if not enabled:
                continue
            spans = finder(work)
            if spans:
                found.extend(spans)
                work = _blank(work, spans)
        found.sort()
        return [Match(kind, start, end, text[start:end]) for start, end, kind in found]

    def redact(self, text: str) -> str:
        """``text`` with each piece of personal data replaced by its placeholder."""
        matches = self.find(text)
        if not matches:
            return text
        parts: list[str] = []
        last = 0
        for m in matches:
            parts.append(text[last:m.start])
            parts.append(PLACEHOLDERS[m.kind])
            last = m.end
        parts.append(text[last:])
        return "".join(parts)


DEFAULT_REDACTOR = Redactor()


def redact(text: str) -> str:
    """Mask e-mails, phones, cards, IBANs, handles and secret-carrying URLs in ``text``."""
    return DEFAULT_REDACTOR.redact(text)


def redact_series(texts: pd.Series | Iterable[str], redactor: Redactor | None = None) -> list[str]:
    """Redact each comment; missing values (None/NaN/NA) are passed through unchanged."""
    chosen = DEFAULT_REDACTOR if redactor is None else redactor
    out = []
    for value in texts:
        if not isinstance(value, str) and _is_missing(value):
            out.append(value)
        else:
            out.append(chosen.redact(value))
    return out


# ---------------------------------------------------------------- helpers
def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise ValidationError(
            f"redaction expects comment text as a string, found {type(text).__name__} ({text!r:.40}). "
            "Convert the column to text first, or leave missing comments out."
        )


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _blank(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Cover found spans with "[   ]" of the same length so offsets stay put.

    Later rules then see a hard edge exactly like the final placeholder.
    """
    parts: list[str] = []
    last = 0
    for start, end, _kind in sorted(spans):
        parts.append(text[last:start])
        parts.append("[" + " " * (end - start - 2) + "]")     # every match is 2+ characters
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _glued(text: str, index: int) -> bool:
    """True when ``text[index]`` exists and would glue a candidate to a word or placeholder."""
    return 0 <= index < len(text) and _GLUE_CHARS.match(text, index) is not None


# ---------------------------------------------------------------- URLs
def _find_urls(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _URL.finditer(text):
        url = m.group().rstrip(_URL_TRAILING)
        if _URL_PARAM.search(url) or any(_has_letter_and_digit(t.group()) for t in _URL_TOKEN.finditer(url)):
            spans.append((m.start(), m.start() + len(url), "url"))
    return spans


def _has_letter_and_digit(token: str) -> bool:
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


# ---------------------------------------------------------------- e-mails
def _find_emails(text: str) -> list[tuple[int, int, str]]:
    spans = []
    pos = 0
    while (m := _EMAIL.search(text, pos)) is not None:
        at = m.start() + m.group().index("@")
        labels = text[at + 1:m.end()].split(".")
        while len(labels) >= 2 and not _TLD.fullmatch(labels[-1]):
            labels.pop()                 # "jane@x.com.5" ends at ".com"
        if len(labels) < 2 or not all(labels):
            pos = at + 1                 # no address here; its "domain" may be the next one's local part
            continue
        spans.append((m.start(), at + 1 + len(".".join(labels)), "email"))
        pos = m.end()
    return spans


# ---------------------------------------------------------------- IBANs
def _find_ibans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    pos = 0
    n = len(text)
    while (m := _IBAN_START.search(text, pos)) is not None:
        length = IBAN_LENGTHS.get(m.group()[:2].upper())
        end = _iban_end(text, m.start(), m.end(), length) if length else None
        if end is not None:
            spans.append((m.start(), end, "iban"))
            pos = end
        else:
            pos = m.start() + 1
        if pos >= n:
            break
    return spans


def _iban_end(text: str, start: int, pos: int, length: int) -> int | None:
    """End of a valid IBAN of ``length`` characters starting at ``start``, else None."""
    body = _IBAN_BODY[length - 4].match(text, pos)
    if body is None or _glued(text, body.end()):
        return None
    return body.end() if iban_is_valid(text[start:body.end()]) else None


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check (spaces ignored, any case, Arabic-Indic digits allowed)."""
    compact = "".join(iban.split()).translate(_TO_ASCII).upper()
    if len(compact) < 5 or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


# ---------------------------------------------------------------- cards and phones
def luhn_is_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


class _Run:
    """A run of digit groups and, per group, what sits around it.

    Group ``k`` has ``digits[k]`` (ASCII); ``raw[k]`` is the separator before
    it as written and ``cores[k]`` the same without invisible marks (both
    ``""`` for the first group).
    """

    __slots__ = ("starts", "ends", "digits", "raw", "cores", "plus", "opens", "closes", "dots", "sep_ok", "trunk")

    def __init__(self, text: str, m: re.Match[str]):
        groups = list(_GROUP.finditer(m.group()))
        base = m.start()
        # A last group glued to a word ("567abc") is not part of a number.
        if _glued(text, base + groups[-1].end()):
            groups.pop()
        n = len(groups)
        self.starts = [base + g.start() for g in groups]
        self.ends = [base + g.end() for g in groups]
        self.digits = [g.group().translate(_TO_ASCII) for g in groups]
        self.raw = [""] + [text[self.ends[k - 1]:self.starts[k]] for k in range(1, n)]
        self.cores = [_STRIP_INVISIBLE.sub("", r) for r in self.raw]
        prefix = text[base:self.starts[0]] if groups else ""
        self.plus = "+" in prefix
        # opens[k]: "(" just before group k; closes[k]: ")" just after it.
        self.opens = ["(" in prefix] + ["(" in c for c in self.cores[1:]]
        self.closes = [")" in c for c in self.cores[1:]] + [False]
        self.dots = ["." in c for c in self.cores]
        self.sep_ok = [True] + [_PHONE_SEP.fullmatch(c) is not None for c in self.cores[1:]]
        # trunk[k]: group k is the "(0)" of "+44 (0)20 ...".
        self.trunk = [d == "0" and o and c for d, o, c in zip(self.digits, self.opens, self.closes)]


def _find_numbers(text: str, cards: bool, phones: bool) -> list[tuple[int, int, str]]:
    spans = []
    for m in _RUN.finditer(text):
        if m.end() - m.start() < 8:
            continue                 # too short for the 8 digits the shortest phone has
        run = _Run(text, m)
        count = len(run.digits)
        i = 0
        while i < count:
            found = _longest_number(run, i, cards, phones)
            if found is None:
                i += 1
                continue
            j, kind = found
            spans.append((*_number_span(text, run, i, j), kind))
            i = j + 1
    return spans


def _longest_number(run: _Run, i: int, cards: bool, phones: bool) -> tuple[int, str] | None:
    """The last group ``j`` of the longest card (preferred) or phone starting at group ``i``.

    Walks ``j`` forward once, keeping what the layout of groups ``i..j`` still
    allows, and stops as soon as neither a card nor a phone can follow.
    """
    digits = run.digits
    first = digits[i]
    plus = i == 0 and run.plus
    card_layout = cards and not plus and first[0] != "0"       # one kind of separator, groups of 3-8
    phone_layout = phones and _phone_can_start(first, plus)     # separators and group sizes of a phone
    # Most digits a phone starting like this can have: +CC (15), 00+CC (17), trunk 0 (11), else 12;
    # one more for a "(0)" trunk.
    phone_max = 16 if plus else 18 if first.startswith("00") else 11 if first[0] == "0" else 12
    any_dot = all_dot = False
    inner_parens_ok = True                                      # every group strictly inside is (x) or x
    number = ""                                                 # digits of i..j, without a "(0)" trunk
    total = 0
    best_card = best_phone = None
    for j in range(i, len(digits)):
        size = len(digits[j])
        total += size
        if total > _MAX_NUMBER_DIGITS:
            break
        if total > phone_max:
            phone_layout = False
        if j > i:
            core = run.cores[j]
            if card_layout and (core not in _CARD_SEPS or core != run.cores[i + 1]
                                or not 3 <= size <= 8 or not 3 <= len(first) <= 8):
                card_layout = False
            if phone_layout:
                if not run.sep_ok[j] or (size < 2 and not run.trunk[j]):
                    phone_layout = False
                if j - 1 > i and run.opens[j - 1] != run.closes[j - 1]:
                    inner_parens_ok = False
                any_dot = any_dot or run.dots[j]
                all_dot = (all_dot or j == i + 1) and run.dots[j]
                if any_dot and not all_dot or not inner_parens_ok:
                    phone_layout = False
        if not (card_layout or phone_layout):
            break
        if not (j > i and run.trunk[j]):
            number += digits[j]
            if number[:3] == "000":
                phone_layout = False                            # "00" + a calling code never starts with 0
                if not card_layout:
                    break
        if card_layout and 13 <= total <= 19 and luhn_is_valid(number):
            best_card = j
        if phone_layout and total >= 8 and _is_phone(run, i, j, number, plus):
            best_phone = j
    if best_card is not None:
        return best_card, "card"
    if best_phone is not None:
        return best_phone, "phone"
    return None


def _phone_can_start(first: str, plus: bool) -> bool:
    """Cheap test on the first group: can any phone rule start with it?"""
    if plus:
        return first[0] != "0"
    if first[0] == "0":
        return first[:3] != "000"
    if len(first) == 1:
        return first == "1"                                     # 1-800-555-0199
    return len(first) == 3 or any(p.startswith(first) or first.startswith(p) for p in _BARE_MOBILE_STARTS)


def _is_phone(run: _Run, i: int, j: int, number: str, plus: bool) -> bool:
    """Whether groups ``i..j`` (digits ``number``) are a phone. Their layout is already checked."""
    digits = run.digits
    if plus:
        kind_ok = _international(number)
    elif len(digits[i]) < 2:
        kind_ok = j - i == 3 and _nanp(run, i, j)
    elif number.startswith("00"):
        kind_ok = _international(number[2:])
    elif number[0] == "0":
        kind_ok = 9 <= len(number) <= 11 and not _starts_with_date(run, i, j)
    else:
        kind_ok = ((len(number) in (11, 12) and _BARE_MOBILE.fullmatch(number) is not None)
                   or (j - i in (2, 3) and _nanp(run, i, j)))
    if not kind_ok:
        return False
    if i == j:
        return True
    if len(digits[j]) < 3 and len(digits[j - 1]) > 2:
        return False             # "04 123 4567 20 AED": a short tail is another number (pairs are fine)
    # Brackets: the first group may be "(555)" or after an outer "(", the last may be "(0)" or
    # before an outer ")"; a bracket that closes the first group or opens the last must pair.
    if run.closes[i] and not _opens_at_start(run, i):
        return False
    if run.opens[j] and not run.closes[j]:
        return False
    # "+44 20 (0)5...": a closing bracket glued to more digits would leave them behind.
    return not (run.opens[j] and run.closes[j] and _close_glued(run, j))


def _close_glued(run: _Run, k: int) -> bool:
    """The ")" after group ``k`` touches the next group's digits: "(0721234567)5"."""
    return k + 1 < len(run.raw) and run.raw[k + 1][-1] == ")"


def _opens_at_start(run: _Run, i: int) -> bool:
    """A number starting at group ``i`` opens with "(": "(555) 123-4567".

    The "(" must sit right before the digits and not be glued to the digits
    of the number before it: in "567(555) 123-4567" it is not an opening.
    This is exactly what a run starting there would see, which keeps a second
    pass from finding a number the first one did not.
    """
    if i == 0:
        return run.opens[0]
    raw = run.raw[i]
    return len(raw) >= 2 and raw[-1] == "("


def _international(digits: str) -> bool:
    """Digits after "+"/"00": a calling code, then a national number of a length that country uses.

    Calling codes are prefix-free, so at most one of the 1-3 digit prefixes is
    one. Knowing the length keeps a following number out: in
    "+40 721 234 567 0722 345 678" the first phone ends after 9 digits.
    """
    if not 8 <= len(digits) <= 15 or digits[0] == "0":
        return False
    for n in (1, 2, 3):
        code = digits[:n]
        if code in _CALLING_CODES:
            low, high = _NATIONAL_LENGTHS.get(code, (1, 15))
            return low <= len(digits) - n <= high
    return False


def _starts_with_date(run: _Run, i: int, j: int) -> bool:
    """Groups ``i..i+2`` read as d.m.yyyy or yyyy-m-d: "05.09.2026 14:30" is not a phone."""
    if j - i < 2:
        return False
    a, b, c = run.digits[i:i + 3]

    def year(s: str) -> bool:
        return len(s) == 4 and s[:2] in ("19", "20")

    return (len(a) <= 2 and len(b) <= 2 and year(c)) or (year(a) and len(b) <= 2 and len(c) <= 2)


def _nanp(run: _Run, i: int, j: int) -> bool:
    """North-American 3-3-4 layout, optionally after a "1" group: (555) 123-4567, 1-800-555-0199."""
    sizes = [len(d) for d in run.digits[i:j + 1]]
    if sizes == [1, 3, 3, 4] and run.digits[i] == "1":
        area = run.digits[i + 1]
    elif sizes == [3, 3, 4]:
        area = run.digits[i]
    else:
        return False
    return area[0] not in "01"


def _number_span(text: str, run: _Run, i: int, j: int) -> tuple[int, int]:
    """Where the number of groups ``i..j`` starts and ends, with its "+" and paired brackets."""
    start, end = run.starts[i], run.ends[j]
    opened = False
    if i == 0 and run.plus:
        start = text.rindex("+", 0, start)
    elif _opens_at_start(run, i) and run.closes[i] and (j > i or not _close_glued(run, i)):
        start = text.rindex("(", 0, start)              # "(555) 123-4567"
        opened = True
    if run.closes[j] and (run.opens[j] if j > i else opened):
        end = text.index(")", end) + 1                  # "(0721234567) 123", "+44 20 (0)": keep the pair
    return start, end


# ---------------------------------------------------------------- handles
def _find_handles(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "handle") for m in _HANDLE.finditer(text)
            if _HANDLE_LETTER.search(m.group(1))]
