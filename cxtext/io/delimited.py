"""CSV and TSV: the delimiter (Excel's "sep=;" first line, else sniffed among , ; tab |), title lines
above the header, one column of comments with commas in it, long cells, a file cut short, and a parser
error turned into one line that says what to fix.

Reads text :func:`cxtext.io.read.read_table` has decoded. Imports :mod:`cxtext.io.table`, :mod:`cxtext.io.titles`,
:mod:`cxtext.io.layouts` (a file without a header row) and ``cxtext.errors``.
"""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.layouts import NO_HEADER, header_is_data
from cxtext.io.table import EMPTY_FILE, LoadedTable, clean_headers, short_error
from cxtext.io.titles import MAX_TITLE_ROWS, title_note, title_rows

_DELIMITERS = ",;\t|"


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter among , ; tab | from the first lines.

    The csv module's sniffer counts each character per line without regard to quotes, so a
    comma-separated file whose comments hold commas (inside quotes) and whose last column holds one
    "|" in every row ("Payments | Low", a public complaints set) was read as split by "|". When the
    sniffed delimiter is not in the first line but another is, and that other one splits the rows
    (quotes respected) into as many cells as the first line in at least 90% of them, it is taken.
    """
    sample = "\n".join(text[:_HEAD_CHARS].splitlines()[:50])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = text[:_HEAD_CHARS].splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","
    return _header_delimiter(sample, sniffed)


def _header_delimiter(sample: str, sniffed: str) -> str:
    """``sniffed``, or the delimiter that splits the first line and the rows below it alike (see above)."""
    first = sample.split("\n", 1)[0]
    if sniffed in first:
        return sniffed
    for other in _DELIMITERS:
        if other == sniffed or other not in first:
            continue
        try:
            with _long_cells():
                widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=other) if row]
        except csv.Error:
            continue
        rows = widths[1:-1] or widths[1:]  # the sample's last line may be cut inside a quoted cell
        if rows and sum(w == widths[0] for w in rows) >= 0.9 * len(rows):
            return other
    return sniffed


# Delimiters and the one-column shape are judged on the file's first lines, within this many characters.
_HEAD_CHARS = 200_000

#: Largest CSV/TSV cell read, in characters (64 Mi); the csv module's default is 128 Ki.
MAX_CELL_CHARS = 64 * 1024 * 1024


def read_delimited(text: str, used_encoding: str, name: str, fmt: str, delimiter: str | None) -> LoadedTable:
    """A CSV/TSV file's decoded ``text`` as a table of strings; the delimiter is sniffed unless given."""
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes, so it is not a text file. "
                         "Export it again as CSV (UTF-8) or pass the right format.")
    if not _NOT_BLANK.search(text):
        raise InputError(f"{name}: {EMPTY_FILE}")
    first_line = _FIRST_LINE.match(text)
    if first_line.group(1).strip() == '""':
        # one column with an empty header: the parser would skip the line as blank and take
        # the first comment for the header; keep it a header (named column_1 below)
        text = text[:first_line.start(1)] + '"Unnamed: 0"' + text[first_line.end(1):]
    hint = _SEP_HINT.match(text)
    hinted = hint.group(2) if hint else None
    if hint:  # Excel's "sep=;" line names the delimiter; blanked (not removed) so line numbers stay the file's
        text = hint.group(1) + text[hint.end():]
    sep = delimiter or hinted or ("\t" if fmt == "tsv" else sniff_delimiter(text))
    if not delimiter and not hinted and _single_column(text, sep):
        # "comment" over lines of free text: commas inside the comments are not delimiters
        sep = _NO_DELIMITER
    one_column = sep == _NO_DELIMITER
    titles_note = None
    if not one_column:  # a report's title lines above the header: blanked, so line numbers stay the file's
        text, titles_note = _without_title_lines(text, sep)
    if one_column:
        # an empty line is an empty comment here (a spreadsheet saves an empty cell so): it stays a
        # row, and row numbers stay the spreadsheet's; blank lines above the header or at the end do not
        text = _LEADING_BLANK_LINES.sub("", text).rstrip("\r\n") + "\n"
    truncated_line = note = None
    try:
        cells = _parse(text, sep, one_column)
    except pd.errors.ParserError as exc:
        unfinished = _unfinished_last_row(text, sep, name) if _UNEXPECTED_END in str(exc) else None
        if unfinished is None:
            raise InputError(_parser_problem(name, exc, sep)) from exc
        # a cut-short export (a download or copy stopped part-way): read the rows above the unfinished one
        truncated_line, offset = unfinished
        try:
            cells = _parse(text[:offset], sep, one_column)
        except pd.errors.ParserError as earlier:
            raise InputError(_parser_problem(name, earlier, sep)) from earlier
        if len(cells) < 2:  # nothing but the header above it: there is no row to analyse
            raise InputError(_parser_problem(name, exc, sep)) from exc
        note = (f"the file ends inside a quoted cell, so the row starting on line {truncated_line:,} is unfinished "
                f"({len(text) - offset:,} characters) and was not read; the rows above it were. Was the file cut "
                "short? Export it again to analyse every row")
    layout = None
    if len(cells) > 1 and header_is_data(list(cells.iloc[0]), cells.iloc[1:]):
        # saved without its header row: the first line is an answer too; columns become column_1, ...
        frame = cells.reset_index(drop=True)
        frame.columns = [""] * len(frame.columns)
        layout = NO_HEADER
    else:
        frame = cells.iloc[1:].reset_index(drop=True)
        frame.columns = list(cells.iloc[0]) if len(cells) else []
    frame = frame.where(frame.notna(), "")  # short lines: missing cells are empty, as in Excel
    frame, empty_rows_note = _without_trailing_empty_rows(frame, sep)
    blank_note = None if one_column else _blank_lines_note(text if truncated_line is None else text[:offset], sep)
    shown_sep = None if sep == _NO_DELIMITER else sep
    hint_note = (f"its first line 'sep={_shown(hinted)}' is Excel's delimiter hint: it names the delimiter and is "
                 "not data" if hint else None)
    notes = "; ".join(n for n in (hint_note, titles_note, blank_note, note, empty_rows_note) if n) or None
    return LoadedTable(clean_headers(frame, name), name, fmt, used_encoding, shown_sep, layout=layout,
                       note=notes, truncated_line=truncated_line)


@contextmanager
def _long_cells():
    """The csv module refuses cells over 128 KiB by default; survey exports can hold a pasted e-mail
    thread in one cell, so allow up to MAX_CELL_CHARS while reading."""
    previous_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        yield
    finally:
        csv.field_size_limit(previous_limit)


def _parse(text: str, sep: str, one_column: bool) -> pd.DataFrame:
    """Every line of ``text`` split into string cells (no header taken, nothing converted)."""
    # header=None: pandas would rename a duplicate "comment" to "comment.1";
    # we want our own, documented renaming (comment_2) in clean_headers.
    with _long_cells():
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None,
                           na_filter=False, engine="python", skip_blank_lines=not one_column)


def _unfinished_last_row(text: str, sep: str, name: str) -> tuple[int, int] | None:
    """``(line, offset)`` where the last row starts when the text ends inside that row's quoted cell.

    A file cut short (a download or copy stopped part-way) ends so; its earlier rows are whole. A quote
    that opens in the middle of a file and never closes ends the same way, but then the unfinished "cell"
    holds later lines that are whole rows by themselves (in a one-column file: any later line): that is an
    error naming the line where the quote opens. None when the text does not end inside a quoted cell.
    """
    with _long_cells():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        header = next((row for row in reader if row), [])  # a blanked "sep=" line above it is not the header
        start, last = reader.line_num + 1, None
        for last in reader:
            row_start, start = start, reader.line_num + 1
    if last is None:
        return None
    ends = [0] + [m.end() for m in _LINE_END.finditer(text)]
    offset = ends[row_start - 1] if row_start - 1 < len(ends) else len(text)
    if text[offset:].count('"') % 2 == 0:
        return None
    later_lines = [line for line in _LINE_END.split(text[offset:])[1:] if line.strip()]
    if len(header) > 1:  # a later line that splits into the header's cells by itself is a row the quote took
        swallowed = sum(len(next(csv.reader([line], delimiter=sep), [])) == len(header) for line in later_lines)
    else:  # one column of comments: every line is a row, so only a last line cut short is a cut-short file
        swallowed = len(later_lines)
    if swallowed:
        raise InputError(f"{name}: line {row_start:,}: a quoted cell opens there and is never closed, so the "
                         "rest of the file would be read as one cell. Close that quote, or remove the stray "
                         "quote character, and read the file again.")
    return row_start, offset


def _blank_lines_note(text: str, sep: str) -> str | None:
    """A note naming the blank lines between the header and the last row, or None when there are none.

    The parser skips a blank line (or one holding only ``""``) as no row at all; a multi-line quoted
    comment's blank lines are inside its cell and are not counted. Said, because then a row's number
    (the rows read, 1-based) no longer matches the file's line, and a user checking a rejected row
    against the file should know why."""
    if not _MAYBE_BLANK_LINE.search(text.rstrip("\r\n")):  # no such line: spare a second pass over the file
        return None
    blank_lines, seen_header, last_filled = [], False, 0
    try:
        with _long_cells():
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
            for row in reader:
                if len(row) <= 1 and not "".join(row).strip():
                    if seen_header:
                        blank_lines.append(reader.line_num)
                    continue
                seen_header, last_filled = True, reader.line_num
    except csv.Error:  # the parser read it; a note is not worth an error
        return None
    inside = [line for line in blank_lines if line < last_filled]
    if not inside:
        return None
    shown = ", ".join(f"{line:,}" for line in inside[:5]) + (", ..." if len(inside) > 5 else "")
    return (f"{len(inside):,} blank line(s) between the rows (line {shown}) were skipped, so from there on a "
            "row's number is lower than its line in the file")


def _without_trailing_empty_rows(frame: pd.DataFrame, sep: str) -> tuple[pd.DataFrame, str | None]:
    """The table up to its last row with a filled cell, as for XLSX: the lines of delimiters only
    (``,,,,,,``) that a spreadsheet saves below its data are not answers. Empty rows inside the table stay
    (each an empty comment, rejected with its reason), so row numbers stay the file's."""
    if sep == _NO_DELIMITER or frame.empty:
        return frame, None
    filled = (frame.apply(lambda column: column.astype(str).str.strip()) != "").any(axis=1).to_numpy()
    if filled.all() or not filled.any():
        return frame, None
    last = int(filled.nonzero()[0].max())
    dropped = len(frame) - last - 1
    if dropped == 0:
        return frame, None
    note = (f"{dropped:,} empty row(s) after the last filled one (only delimiters, as a spreadsheet saves them) "
            "were not read")
    return frame.iloc[: last + 1], note


# A character no export uses: the whole line is one cell (quotes still apply).
_NO_DELIMITER = "\x1f"
# Excel writes (and reads) "sep=;" as a file's first line to name its delimiter.
_SEP_HINT = re.compile(r"\A(\ufeff?)[ \t]*sep=([,;\t|])[ \t]*(?=\r?\n|\r)", re.IGNORECASE)
_LEADING_BLANK_LINES = re.compile(r"\A(?:\ufeff)?(?:[ \t]*\r?\n)+")
_NOT_BLANK = re.compile(r"[^\s\ufeff]")
_FIRST_LINE = re.compile(r"[\ufeff\r\n]*([^\r\n]*)")
_LINE_END = re.compile(r"\r\n|\r|\n")
# A line the parser may skip as blank: spaces, or one quoted cell of spaces (inside a quoted comment too).
_MAYBE_BLANK_LINE = re.compile(r'(?:\A|\n|\r)[ \t]*(?:"[ \t]*")?[ \t]*(?:\r?\n|\r)')
_UNEXPECTED_END = "unexpected end of data"
_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _without_title_lines(text: str, sep: str) -> tuple[str, str | None]:
    """``text`` with the title lines above its header blanked (:func:`cxtext.io.titles.title_rows`), and the
    note saying so (None when there are none)."""
    head = _LINE_END.split(text[:_HEAD_CHARS])[:MAX_TITLE_ROWS + 22]
    with _long_cells():
        rows = [next(csv.reader([line], delimiter=sep), []) for line in head]
    titles = title_rows(rows, one_cell=True)
    if not titles:
        return text, None
    cut = [m.end() for m in _LINE_END.finditer(text)][titles - 1]
    return "\n" * titles + text[cut:], title_note(rows, titles, "line")


def _single_column(text: str, sep: str) -> bool:
    """True when the header names one column and the lines below do not form a table.

    A header without any delimiter over lines that hold the sniffed one in
    varying numbers (quotes respected) is one column of comments with commas
    in them; two or more lines that all split into the same number of cells
    are a table under a title line, left to the parser (which then names the line).
    """
    lines = [line for line in text[:_HEAD_CHARS].lstrip("\ufeff").splitlines() if line.strip()]
    if not lines or any(d in lines[0] for d in _DELIMITERS):
        return False
    counts = [len(next(csv.reader([line], delimiter=sep), [])) for line in lines[1:51]]
    if len(counts) < 2 or max(counts) < 2:
        return True
    most = max(set(counts), key=counts.count)
    return not (most > 1 and counts.count(most) >= 0.8 * len(counts))


def _shown(sep: str) -> str:
    return {"\t": "tab", _NO_DELIMITER: "none"}.get(sep, sep)


def _parser_problem(name: str, exc: Exception, sep: str) -> str:
    shown = {"\t": "tab", _NO_DELIMITER: "none"}.get(sep, repr(sep))
    match = _FIELD_COUNT.search(str(exc))
    if match:
        expected, line, seen = match.groups()
        return (f"{name}: line {line} has {seen} cells but the header has {expected} (delimiter {shown}). "
                "A cell probably holds the delimiter without quotes, or lines above the header are not "
                "part of the table: quote such cells (as Excel's 'Save as CSV' does) or remove those lines.")
    return (f"{name}: could not be read as CSV (delimiter {shown}: {short_error(exc)}). "
            "Check that every quoted cell is closed and that the file is not truncated.")
