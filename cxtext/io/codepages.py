"""Single-byte text whose code page is not written down: which one, and files that mix two.

:func:`decode_single_byte` is the last step of :func:`cxtext.io.read.decode_bytes`, for bytes that are not
UTF-8 or UTF-16. Windows-1256 and Windows-1250 both decode any byte string, so the choice is made on what
comes out: Arabic letters for cp1256, Romanian/Central European letters for cp1250, otherwise Western.

Western text is read as Windows-1252 when it has bytes 0x80-0x9F (Latin-1 turns them into invisible control
characters; Windows writes ’ “ ” – … € there), else as Latin-1 (the same letters). A file written by two
programs can mix in DOS code page 850 letters (a public French NPS export written by R: "gr\\x83ce", "all\\x82",
"\\x82change", for grâce, allé, échange, beside Latin-1 é è à): when those bytes stand next to letters, as
letters do, and not as the quotes and dashes of Windows-1252 do, they are read as cp850 letters, and the
encoding says so (``latin-1+cp850``) so that the reader's note can tell the user.

Imports nothing from cxtext.
"""

from __future__ import annotations

import re

# Windows-1252's punctuation in 0x80-0x9F that stands inside or beside words: quotes and apostrophes.
_CP1252_QUOTES = frozenset(b"\x91\x92\x93\x94\x8b\x9b")
_C1 = re.compile(r"[\x80-\x9f]")
#: Share of the 0x80-0x9F bytes that must stand next to a letter for the file to be read as mixing cp850 letters.
CP850_WORD_SHARE = 0.8
_CENTRAL = "ăâîșțşţĂÂÎȘȚŞŢąćęłńśźżčďěňřšťůžőűĺľŕ"
_WESTERN = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿßÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ"


def decode_single_byte(data: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes in a single-byte code page (module docstring)."""
    high_bytes = sum(1 for b in data if b >= 0x80)
    if not high_bytes:
        return data.decode("latin-1"), "latin-1"
    cp1256 = data.decode("cp1256", errors="replace")
    if sum(1 for ch in cp1256 if "\u0600" <= ch <= "\u06ff") >= 0.6 * high_bytes:
        return cp1256, "cp1256"
    cp1250 = data.decode("cp1250", errors="replace")
    latin1 = data.decode("latin-1")
    if sum(ch in _CENTRAL for ch in cp1250) > sum(ch in _WESTERN for ch in latin1):
        return cp1250, "cp1250"
    return _western(latin1)


def _western(latin1: str) -> tuple[str, str]:
    """Latin-1 text without C1 controls: read as Windows-1252, or as cp850 letters where they sit in words."""
    controls = [m.start() for m in _C1.finditer(latin1)]
    if not controls:
        return latin1, "latin-1"
    in_words = [i for i in controls if ord(latin1[i]) not in _CP1252_QUOTES and _beside_letter(latin1, i)]
    if len(in_words) >= CP850_WORD_SHARE * len(controls):
        chars = list(latin1)
        for i in in_words:
            chars[i] = bytes([ord(latin1[i])]).decode("cp850")
        for i in set(controls) - set(in_words):
            chars[i] = bytes([ord(latin1[i])]).decode("cp1252", errors="replace")
        return "".join(chars), "latin-1+cp850"
    return latin1.encode("latin-1").decode("cp1252", errors="replace"), "cp1252"


def _beside_letter(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())


def mixed_code_page_note(data: bytes, encoding: str) -> str | None:
    """The reader's note for bytes read as ``latin-1+cp850``: what was done, with an example, and what to do."""
    if encoding != "latin-1+cp850":
        return None
    latin1 = data.decode("latin-1")
    found = next((m.group(0) for m in re.finditer(r"[^\W\d_]*[\x80-\x9f][^\W\d_]*", latin1)
                  if len(m.group(0)) >= 3), "")
    word = _C1.sub(lambda m: bytes([ord(m.group(0))]).decode("cp850"), found)
    return (f"it mixes two encodings: most text is Latin-1, but some letters were written in the DOS code page 850 "
            f"(bytes 0x80-0x9F inside words, such as '{word}') and were read as such. Check a few comments; "
            "re-export the file as UTF-8 to be sure")
