"""Title rows above a table's header: "NPS responses export" / "Generated 2026-10-31" / a blank row.

Report-style exports (and people tidying a sheet before sharing it) put a title, a date or a filter
description in the first rows, one cell each, and the header row below them. Read as they are, the title
became the header and the real header an answer: a workbook's "Score" column went unread and its
"Feedback" column was found as ``column_3``. :func:`title_rows` counts such rows so the readers
(:mod:`cxtext.io.xlsx`, :mod:`cxtext.io.delimited`) take the header from below them and say so.

Rows are lists of cell values (``None`` or ``""`` for an empty cell). Imports nothing of cxtext.
"""

from __future__ import annotations

import re

#: At most this many title rows (blank ones included) are looked for above a header.
MAX_TITLE_ROWS = 5
#: Rows below the header that must look like a table (two or more filled cells) for 80% of them.
_TABLE_ROWS = 20
_NUMBER = re.compile(r"^[\s+-]*\d[\d\s.,]*%?\s*$")
# An answer, never a column's name: "yes" over "no" is a row of data (a file whose header names only its
# first column, "comment", read its first row of answers as the header under a "title").
_YES_NO = frozenset({"yes", "no", "true", "false", "y", "n"})


def filled_cell(value: object) -> bool:
    """A cell with something in it (not None, not only spaces): the readers' test for an empty row."""
    return value is not None and str(value).strip() != ""


_filled = filled_cell


def title_rows(rows: list[list], one_cell: bool = False) -> int:
    """How many rows at the top of ``rows`` are a title above the header row (0: the first row is the header).

    Title rows have at most one filled cell (``one_cell``: are one cell, as a CSV line without a delimiter;
    "comment," is a header with an unnamed column) and blank rows between them count too; at least one of
    them is filled. The header row under them has two or more filled cells, fewer than half of them
    numbers, none of them found again in its column below (a name, not an answer: "yes" over "yes" is
    data) nor a yes/no word over yes/no words; and at least 80% of the (up to 20) rows under the header have two or more filled cells, so a
    table of one column (comments only) never loses its first rows.
    """
    rows = rows[:MAX_TITLE_ROWS + 1 + _TABLE_ROWS]
    counts = [sum(_filled(v) for v in row) for row in rows]
    k = 0
    while k < len(counts) and k <= MAX_TITLE_ROWS and counts[k] <= 1 and (not one_cell or len(rows[k]) <= 1):
        k += 1
    if k == 0 or k > MAX_TITLE_ROWS or k >= len(counts) or counts[k] < 2 or not any(counts[:k]):
        return 0
    header = [str(v) for v in rows[k] if _filled(v)]
    if 2 * sum(bool(_NUMBER.match(cell)) for cell in header) >= len(header):
        return 0
    below = counts[k + 1:]
    if not below or sum(c >= 2 for c in below) < 0.8 * len(below):
        return 0
    for position, name in enumerate(rows[k]):
        if not _filled(name):
            continue
        column = [str(row[position]).strip() for row in rows[k + 1:] if position < len(row) and _filled(row[position])]
        if str(name).strip() in column or _is_yes_no(name) and any(_is_yes_no(v) for v in column):
            return 0
        if column and _shaped_like(str(name).strip(), column):
            return 0  # a value like those under it ('fcbd04c3-4021-...' over ids of that shape): data
    return k


def _shaped_like(cell: str, column: list[str]) -> bool:
    """Whether a cell with digits is written like 80%+ of ``column``: digits, letters and spaces alike, the
    same punctuation, about as long (an id over ids, a date over dates); a name ("Q1", "NPS 2024") is not."""
    if not any(ch.isdigit() for ch in cell):
        return False
    shape = _shape(cell)
    alike = sum(_shape(value) == shape and abs(len(cell) - len(value)) <= 2 for value in column)
    return alike >= 0.8 * len(column)


def _shape(text: str) -> tuple:
    return (any(ch.isdigit() for ch in text), any(ch.isalpha() for ch in text), " " in text,
            frozenset(ch for ch in text if not ch.isalnum() and not ch.isspace()))


def _is_yes_no(value: object) -> bool:
    return str(value).strip().lower() in _YES_NO


def title_note(rows: list[list], k: int, unit: str, first: int = 1) -> str:
    """The note saying which ``k`` top rows were read as a title (``unit``: "row" or "line"; ``first``: the
    number of the first of ``rows`` in the file)."""
    titles = [" ".join(str(v).split()) for row in rows[:k] for v in row if _filled(v)]
    shown = "; ".join(f"'{t[:60]}'" for t in titles[:3])
    where = f"{unit} {first}" if k == 1 else f"{unit}s {first}-{first + k - 1}"
    return (f"{where} above the header ({shown}) {'is a title' if k == 1 else 'are a title'}, not data: "
            f"the header is {unit} {first + k}")
