"""XLSX (and Excel 2003 XML, "SpreadsheetML", exported as ``.xls`` by help desks): the sheet asked for, the table from its header to its last filled row, and a refusal of
formulas whose values were never computed (a file written by a program, not saved by Excel).

When no sheet is asked for and the first sheet is a pivot-table summary ("Row Labels", "Grand Total",
"Count of Status": a help-desk workbook whose tickets are on a later sheet), the largest other sheet that
is not one is read instead, and ``LoadedTable.note`` says so (the CLI prints it, summary.json keeps it).

Imports :mod:`cxtext.io.table` and ``cxtext.errors``; openpyxl only when an XLSX file is read.
"""

from __future__ import annotations

import io
import re
import warnings

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.layouts import NO_HEADER, header_is_data
from cxtext.io.table import LoadedTable, clean_headers, clip
from cxtext.io.titles import filled_cell as _filled
from cxtext.io.titles import title_note, title_rows


def read_xlsx(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
    with warnings.catch_warnings():
        # openpyxl warns that it drops a sheet's data-validation (drop-down) and conditional-formatting
        # extensions: rules about how cells may be filled or shown, never cell values. The warning reached
        # users as a line of library internals before every analysis of such a workbook.
        warnings.filterwarnings("ignore", message=r".*extension is not supported", category=UserWarning)
        return _read_xlsx(data, name, sheet)


def _read_xlsx(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
    import openpyxl  # imported here: only XLSX users pay for it

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = [ws.title for ws in workbook.worksheets]  # not chart sheets: they hold no cells
    if not sheets:
        raise InputError(f"{name}: has no worksheet with cells (only charts). Save the comments in a sheet.")
    sheet_name = _sheet_name(sheets, sheet, name)
    raw_rows = _sheet_rows(workbook, sheet_name)
    note = None
    marker = pivot_marker(raw_rows) if sheet is None and len(sheets) > 1 else None
    if marker:  # the first sheet summarises the data in pivot tables: read the data instead
        sheet_name, raw_rows, note = _data_sheet(lambda other: _sheet_rows(workbook, other), sheets, sheet_name,
                                                 raw_rows, marker)
    workbook.close()
    return _table(raw_rows, name, "xlsx", sheets, sheet_name, note, data)


def read_spreadsheetml(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
    """Excel 2003 XML ("SpreadsheetML"), which Freshdesk and other help desks export under the name ``.xls``:
    the same sheet choice and table rules as XLSX. A file declaring a DTD or entities is refused unread."""
    import xml.etree.ElementTree as ElementTree

    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise InputError(f"{name}: an Excel 2003 XML file that declares a DTD or entities is not read. Open it "
                         "in Excel or LibreOffice and save it as .xlsx or CSV.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError(f"{name}: looks like Excel 2003 XML but is not well-formed XML ({exc}). Open it in "
                         "Excel or LibreOffice and save it as .xlsx or CSV.") from exc
    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    books: dict[str, list[list]] = {}
    for index, worksheet in enumerate(root.iter(f"{ns}Worksheet")):
        title = worksheet.get(f"{ns}Name") or f"Sheet{index + 1}"
        rows: list[list] = []
        for row in worksheet.iter(f"{ns}Row"):
            at = row.get(f"{ns}Index")
            while at and len(rows) < int(at) - 1:  # ss:Index skips empty rows
                rows.append([])
            cells: list = []
            for cell in row.findall(f"{ns}Cell"):
                at = cell.get(f"{ns}Index")
                while at and len(cells) < int(at) - 1:  # ... and empty cells
                    cells.append(None)
                value = cell.find(f"{ns}Data")
                cells.append(_spreadsheetml_value(value, ns))
                cells.extend([None] * int(cell.get(f"{ns}MergeAcross") or 0))
            rows.append(cells)
        books[title] = rows
    if not books:
        raise InputError(f"{name}: an Excel 2003 XML file without a worksheet. Save the comments in a sheet.")
    sheets = list(books)
    sheet_name = _sheet_name(sheets, sheet, name)
    raw_rows, note = books[sheet_name], None
    marker = pivot_marker(raw_rows) if sheet is None and len(sheets) > 1 else None
    if marker:
        sheet_name, raw_rows, note = _data_sheet(books.__getitem__, sheets, sheet_name, raw_rows, marker)
    return _table(raw_rows, name, "spreadsheetml", sheets, sheet_name, note, None)


def is_spreadsheetml(data: bytes) -> bool:
    """An Excel 2003 XML workbook (whatever its extension: Freshdesk names it ``.xls``)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head


def _spreadsheetml_value(data, ns: str) -> object:
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{ns}Type")
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if kind == "DateTime":
        stamp = pd.to_datetime(text, errors="coerce")
        return text if pd.isna(stamp) else stamp.to_pydatetime()
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text


def _sheet_name(sheets: list[str], sheet: str | int | None, name: str) -> str:
    if sheet is None:
        return sheets[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise InputError(f"{name}: has no sheet number {sheet}; it has {len(sheets)} "
                             f"({', '.join(sheets)}).")
        return sheets[sheet]
    if sheet in sheets:
        return sheet
    raise InputError(f"{name}: has no sheet '{sheet}'. Sheets found: {', '.join(sheets)}.")


def _table(raw_rows: list[list], name: str, fmt: str, sheets: list[str], sheet_name: str, note: str | None,
           data: bytes | None) -> LoadedTable:
    """The table of a sheet's rows: from its header (the first filled row, or the first under a title:
    :mod:`cxtext.io.titles`) to its last filled row."""
    width = max((len(r) for r in raw_rows), default=0)
    raw_rows = [r + [None] * (width - len(r)) for r in raw_rows]
    rows = [r for r in raw_rows if any(_filled(v) for v in r)]
    if data is not None and _may_hold_uncomputed_formulas(rows, len(raw_rows)):
        _refuse_uncomputed_formulas(data, name, sheet_name, raw_rows)
    if not rows:
        others = f" Sheets in the file: {', '.join(sheets)}; pick one with --sheet NAME (Python: sheet=)." \
            if len(sheets) > 1 else ""
        raise InputError(f"{name}: sheet '{sheet_name}' is empty.{others or ' Save the comments in it with a header row.'}")
    # from the header (the first filled row) to the last filled row: an empty row inside the table
    # stays a row (an empty comment, rejected with its reason), so row numbers follow the sheet's
    filled = [i for i, r in enumerate(raw_rows) if any(_filled(v) for v in r)]
    table = raw_rows[filled[0]:filled[-1] + 1]
    titles = title_rows(table)
    if titles:  # a report's title rows above the header: the header is the row under them
        note = "; ".join(n for n in (note, title_note(table, titles, "row", first=filled[0] + 1)) if n)
        table = table[titles:]
    last = max(i for r in rows for i, v in enumerate(r) if _filled(v)) + 1
    header = ["" if v is None else str(v) for v in table[0][:last]]
    body = pd.DataFrame([r[:last] for r in table[1:]], dtype=object)
    if header_is_data(list(table[0][:last]), body):
        # saved without its header row: the first row is an answer too; columns become column_1, ...
        frame = pd.DataFrame([r[:last] for r in table], columns=[""] * last, dtype=object)
        return LoadedTable(clean_headers(frame, name), name, fmt, sheet=sheet_name, layout=NO_HEADER, note=note)
    frame = pd.DataFrame([r[:last] for r in table[1:]], columns=header, dtype=object)
    return LoadedTable(clean_headers(frame, name), name, fmt, sheet=sheet_name, note=note)


def _sheet_rows(workbook, sheet_name: str) -> list[list]:
    worksheet = workbook[sheet_name]
    worksheet.reset_dimensions()  # some writers store wrong dimensions; read the cells that are there
    return [list(r) for r in worksheet.iter_rows(values_only=True)]


#: Captions Excel writes into a pivot table (English, French, German, Spanish, Portuguese, Italian, Romanian).
_PIVOT_CAPTIONS = frozenset({
    "row labels", "column labels", "grand total", "étiquettes de lignes", "étiquettes de colonnes",
    "total général", "zeilenbeschriftungen", "spaltenbeschriftungen", "gesamtergebnis", "etiquetas de fila",
    "etiquetas de columna", "total general", "rótulos de linha", "rótulos de coluna", "total geral",
    "etichette di riga", "etichette di colonna", "totale complessivo", "etichete de rânduri",
    "etichete de coloane"})
_PIVOT_FIELD = re.compile(r"^(count|sum|average|max|min) of \S", re.IGNORECASE)
#: Rows of a sheet searched for pivot captions: a pivot table starts near the top of its sheet.
_PIVOT_SCAN_ROWS = 40


def pivot_marker(rows: list[list]) -> str | None:
    """The first pivot-table caption in the top rows of a sheet ('Row Labels', 'Count of Status'), or None."""
    for row in rows[:_PIVOT_SCAN_ROWS]:
        for value in row:
            if isinstance(value, str):
                text = " ".join(value.split())
                if text.lower() in _PIVOT_CAPTIONS or _PIVOT_FIELD.match(text):
                    return text
    return None


def _data_sheet(rows_of, sheets: list[str], first: str, first_rows: list[list],
                marker: str) -> tuple[str, list[list], str | None]:
    """The largest sheet (most filled cells) that holds no pivot table, and the note saying it was read.
    The first sheet stays when every sheet is a pivot table."""
    best: tuple[int, str, list[list]] | None = None
    for other in sheets[1:]:
        rows = rows_of(other)
        if pivot_marker(rows):
            continue
        filled = sum(1 for r in rows for v in r if _filled(v))
        if filled and (best is None or filled > best[0]):
            best = (filled, other, rows)
    if best is None:
        return first, first_rows, None
    _, chosen, rows = best
    data_rows = max(sum(1 for r in rows if any(_filled(v) for v in r)) - 1, 0)
    others = [s for s in sheets if s not in (first, chosen)]
    note = (f"sheet '{first}' is a pivot-table summary ('{clip(marker, 30)}'), not one row per answer: read sheet "
            f"'{chosen}' instead, the largest table ({data_rows:,} rows)"
            + (f"; other sheets: {clip(', '.join(others), 160)}" if others else "")
            + ". Pick one with --sheet NAME (Python: sheet=)")
    return chosen, rows, note


def _may_hold_uncomputed_formulas(rows: list[list], n_raw_rows: int) -> bool:
    """Cheap signs that cells read as empty may be formulas never computed: rows that
    read as empty, an empty header cell, or a column empty in every data row."""
    if len(rows) < n_raw_rows or (rows and any(v is None for v in rows[0])):
        return True
    return len(rows) > 1 and any(all(r[i] is None for r in rows[1:]) for i in range(len(rows[0])))


#: Rows scanned for formulas without saved results: a workbook never calculated shows them at once.
_FORMULA_SCAN_ROWS = 2000


def _refuse_uncomputed_formulas(data: bytes, name: str, sheet_name: str, values: list[list]) -> None:
    """Raise when the sheet's formulas have no saved results (files written by a program, not
    saved by Excel or LibreOffice): openpyxl can read saved results only, and reads None instead.

    One formula with a saved result means the workbook was calculated, so empty results are
    really empty. Only the first ``_FORMULA_SCAN_ROWS`` rows are read again.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        worksheet = workbook[sheet_name]
        worksheet.reset_dimensions()
        first = None
        for r, row in enumerate(worksheet.iter_rows(max_row=_FORMULA_SCAN_ROWS, values_only=True)):
            for c, cell in enumerate(row):
                is_formula = (isinstance(cell, str) and cell.startswith("=")) or type(cell).__name__ in (
                    "ArrayFormula", "DataTableFormula")
                if not is_formula:
                    continue
                if r < len(values) and c < len(values[r]) and values[r][c] is not None:
                    return  # the workbook was calculated
                first = first or f"{get_column_letter(c + 1)}{r + 1} '{clip(getattr(cell, 'text', cell), 40)}'"
    finally:
        workbook.close()
    if first:
        raise InputError(
            f"{name}: sheet '{sheet_name}' holds formulas whose results were never saved (first: {first}), so "
            "their values cannot be read. Open the file in Excel or LibreOffice and save it (that stores the "
            "results), or export the sheet as CSV.")
