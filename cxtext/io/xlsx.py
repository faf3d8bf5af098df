"""XLSX: the sheet asked for, the table from its header to its last filled row, and a refusal of
formulas whose values were never computed (a file written by a program, not saved by Excel).

Imports :mod:`cxtext.io.table` and ``cxtext.errors``; openpyxl only when an XLSX file is read.
"""

from __future__ import annotations

import io

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.layouts import NO_HEADER, header_is_data
from cxtext.io.table import LoadedTable, clean_headers, clip


def read_xlsx(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
    import openpyxl  # imported here: only XLSX users pay for it

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = [ws.title for ws in workbook.worksheets]  # not chart sheets: they hold no cells
    if not sheets:
        raise InputError(f"{name}: has no worksheet with cells (only charts). Save the comments in a sheet.")
    if sheet is None:
        sheet_name = sheets[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise InputError(f"{name}: has no sheet number {sheet}; it has {len(sheets)} "
                             f"({', '.join(sheets)}).")
        sheet_name = sheets[sheet]
    elif sheet in sheets:
        sheet_name = sheet
    else:
        raise InputError(f"{name}: has no sheet '{sheet}'. Sheets found: {', '.join(sheets)}.")
    worksheet = workbook[sheet_name]
    worksheet.reset_dimensions()  # some writers store wrong dimensions; read the cells that are there
    raw_rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
    workbook.close()
    width = max((len(r) for r in raw_rows), default=0)
    raw_rows = [r + [None] * (width - len(r)) for r in raw_rows]
    rows = [r for r in raw_rows if any(_filled(v) for v in r)]
    if _may_hold_uncomputed_formulas(rows, len(raw_rows)):
        _refuse_uncomputed_formulas(data, name, sheet_name, raw_rows)
    if not rows:
        others = f" Sheets in the file: {', '.join(sheets)}; pick one with --sheet NAME (Python: sheet=)." \
            if len(sheets) > 1 else ""
        raise InputError(f"{name}: sheet '{sheet_name}' is empty.{others or ' Save the comments in it with a header row.'}")
    # from the header (the first filled row) to the last filled row: an empty row inside the table
    # stays a row (an empty comment, rejected with its reason), so row numbers follow the sheet's
    filled = [i for i, r in enumerate(raw_rows) if any(_filled(v) for v in r)]
    table = raw_rows[filled[0]:filled[-1] + 1]
    last = max(i for r in rows for i, v in enumerate(r) if _filled(v)) + 1
    header = ["" if v is None else str(v) for v in table[0][:last]]
    body = pd.DataFrame([r[:last] for r in table[1:]], dtype=object)
    if header_is_data(list(table[0][:last]), body):
        # saved without its header row: the first row is an answer too; columns become column_1, ...
        frame = pd.DataFrame([r[:last] for r in table], columns=[""] * last, dtype=object)
        return LoadedTable(clean_headers(frame, name), name, "xlsx", sheet=sheet_name, layout=NO_HEADER)
    frame = pd.DataFrame([r[:last] for r in table[1:]], columns=header, dtype=object)
    return LoadedTable(clean_headers(frame, name), name, "xlsx", sheet=sheet_name)


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


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
