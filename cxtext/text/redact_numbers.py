"""Payment cards and phone numbers in text: the number rules of :mod:`cxtext.text.redact`.

Numbers are read in runs of digit groups (:class:`_Run`); inside a run the longest valid card
(Luhn) or phone (a known calling code at that country's length, a trunk ``0`` number, a
North-American 3-3-4 layout, a bare mobile of our markets) is taken from the left, always as
whole groups. The rules and what keeps them from eating amounts, dates and order numbers are
described in :mod:`cxtext.text.redact`. :func:`find_numbers` returns ``(start, end, kind)``
spans. Imports :mod:`cxtext.text.redact_chars` only.
"""

from __future__ import annotations

import re

from cxtext.text.redact_chars import DIGITS, GLUE, INVISIBLE, SPACES, STRIP_INVISIBLE, TO_ASCII, glued

# A run of digit groups. The run may open with "+" (international) or "(".
_RUN = re.compile(
    rf"(?<![{GLUE}+#№])(?:\+[{INVISIBLE}]{{0,2}}|\()?[{DIGITS}]++"
    rf"(?:[{SPACES}.\-(){INVISIBLE}]{{1,6}}+[{DIGITS}]++)*+"
)
_GROUP = re.compile(f"[{DIGITS}]+")
# Separator between two digit groups of a phone, after removing invisible marks.
_PHONE_SEP = re.compile(r"\)?[ \u00A0\u2009\u202F.\-]?\(?")
_CARD_SEPS = frozenset({"", " ", "-", "\u00A0"})

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
        if glued(text, base + groups[-1].end()):
            groups.pop()
        n = len(groups)
        self.starts = [base + g.start() for g in groups]
        self.ends = [base + g.end() for g in groups]
        self.digits = [g.group().translate(TO_ASCII) for g in groups]
        self.raw = [""] + [text[self.ends[k - 1]:self.starts[k]] for k in range(1, n)]
        self.cores = [STRIP_INVISIBLE.sub("", r) for r in self.raw]
        prefix = text[base:self.starts[0]] if groups else ""
        self.plus = "+" in prefix
        # opens[k]: "(" just before group k; closes[k]: ")" just after it.
        self.opens = ["(" in prefix] + ["(" in c for c in self.cores[1:]]
        self.closes = [")" in c for c in self.cores[1:]] + [False]
        self.dots = ["." in c for c in self.cores]
        self.sep_ok = [True] + [_PHONE_SEP.fullmatch(c) is not None for c in self.cores[1:]]
        # trunk[k]: group k is the "(0)" of "+44 (0)20 ...".
        self.trunk = [d == "0" and o and c for d, o, c in zip(self.digits, self.opens, self.closes)]


def find_numbers(text: str, cards: bool, phones: bool) -> list[tuple[int, int, str]]:
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
