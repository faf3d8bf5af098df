"""The characters personal-data rules read: digits of every script, invisible marks, spaces, glue.

Shared by :mod:`cxtext.text.redact` (URLs, e-mails, IBANs) and :mod:`cxtext.text.redact_numbers`
(cards and phones). Imports nothing of cxtext.
"""

from __future__ import annotations

import re

DIGITS = "0-9\u0660-\u0669\u06F0-\u06F9"           # ASCII, Arabic-Indic, Persian
TO_ASCII = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                          "\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9",
                          "01234567890123456789")
# Invisible marks that may sit inside a number (bidi marks are common in Arabic text).
INVISIBLE = "\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF"
SPACES = " \u00A0\u2009\u202F"
LATIN = "A-Za-z\u00C0-\u024F"
# A candidate touching one of these belongs to a longer word, or to a placeholder.
GLUE = f"{LATIN}{DIGITS}_\\[\\]"
GLUE_CHARS = re.compile(f"[{GLUE}]")
STRIP_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def glued(text: str, index: int) -> bool:
    """True when ``text[index]`` exists and would glue a candidate to a word or placeholder."""
    return 0 <= index < len(text) and GLUE_CHARS.match(text, index) is not None
