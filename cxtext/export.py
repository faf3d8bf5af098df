"""Write result tables to CSV, Excel, Parquet and JSON, safely.

Safety rules every writer follows:

* **Atomic**: the file is written to a temporary file in the same folder and
  moved into place with :func:`os.replace`, so a crash never leaves a
  half-written file where a previous good one was.
* **No spreadsheet formulas from user text** (CSV and XLSX): a text cell
  starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return would be run
  as a formula by Excel or LibreOffice ("CSV injection"), so it is prefixed
  with ``'``. Only text is touched: numbers in numeric columns such as
  ``-5.5`` stay numbers. See :func:`neutralise_formulas`.
* **Excel opens non-Latin text correctly**: CSV is UTF-8 with a byte-order
  mark, which Excel needs to read Arabic instead of mojibake.

Parent folders are created when missing. Every writer returns the path written.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cxtext.errors import InputError, ValidationError

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
COLUMNS_SHEET = "columns"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM
# Column width in Excel character units: wide enough for a number or a short
# label, capped so one long comment does not push the next column off-screen.
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60
WIDTH_SAMPLE_ROWS = 200  # rows looked at to size a column; sizing every row is slow on big exports
MAX_SHEET_NAME = 31  # Excel's limit
DEFAULT_FILE_MODE = 0o644
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

PathLike = str | os.PathLike[str]


# --------------------------------------------------------------------------- formula neutralisation


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` where text that a spreadsheet would run as a formula is made inert.

    Every string cell (and string column label) starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'``. Numeric,
    boolean and datetime columns are returned unchanged, so ``-5.5`` stays a
    number; in text columns every such string is escaped, including ``"-5"``,
    because it is text as far as the data is concerned.
    """
    result = df.copy()
    for position in range(result.shape[1]):
        column = result.iloc[:, position]
        if _holds_text(column):
            result.isetitem(position, _neutralise_column(column))
    result.columns = [_neutralise_text(label) if isinstance(label, str) else label for label in result.columns]
    return result


def _holds_text(column: pd.Series) -> bool:
    dtype = column.dtype
    return (
        dtype == object
        or isinstance(dtype, pd.StringDtype)
        or (isinstance(dtype, pd.CategoricalDtype) and _holds_text(pd.Series(dtype.categories)))
    )


def _neutralise_column(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.rename_categories(
            [_neutralise_text(c) if isinstance(c, str) else c for c in column.cat.categories]
        )
    if isinstance(column.dtype, pd.StringDtype):
        return column.map(_neutralise_text, na_action="ignore").astype(column.dtype)
    return column.map(lambda value: _neutralise_text(value) if isinstance(value, str) else value)


def _neutralise_text(text: str) -> str:
    return FORMULA_ESCAPE + text if text.startswith(FORMULA_TRIGGERS) else text


# --------------------------------------------------------------------------- writers


def write_csv(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` as UTF-8-with-BOM CSV (no index, CRLF rows), formulas neutralised, atomically."""
    safe = neutralise_formulas(df)
    with _atomic_target(path) as temporary:
        # CRLF line ends (RFC 4180) make the csv module quote any cell holding a
        # bare CR or LF; with "\n" alone a CR inside a comment would split the row
        # in Excel and could start a new, unescaped "=..." cell.
        safe.to_csv(temporary, index=False, encoding=CSV_ENCODING, lineterminator="\r\n")
    return Path(path)


def write_parquet(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` as Parquet (pyarrow, no index), atomically.

    Parquet is read by programs, not spreadsheets, so text is kept verbatim.
    Text columns holding mixed Python types are written as text, since
    Parquet needs one type per column.
    """
    frame = _parquet_safe(df)
    with _atomic_target(path) as temporary:
        frame.to_parquet(temporary, index=False, engine="pyarrow")
    return Path(path)


def write_json(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` as a JSON array of row objects, UTF-8, non-ASCII kept as is, atomically.

    Missing values become ``null``; dates are ISO 8601 text. Text is kept
    verbatim (JSON is not run by spreadsheets).
    """
    frame = df.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if isinstance(column.dtype, pd.PeriodDtype):
            frame.isetitem(position, column.astype(str).where(column.notna(), None))
    text = frame.to_json(orient="records", force_ascii=False, date_format="iso", indent=None)
    with _atomic_target(path) as temporary:
        Path(temporary).write_text(text, encoding="utf-8")
    return Path(path)


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    path: PathLike,
    column_descriptions: Mapping[str, str] | None = None,
) -> Path:
    """Write several frames as sheets of one Excel workbook, atomically.

    ``sheets`` maps sheet name (<= 31 characters, none of ``[]:*?/\\``) to
    frame, in order. A last sheet named ``"columns"`` lists every column of
    every sheet with its description, the first found of:
    ``column_descriptions["<sheet>.<column>"]`` (one sheet's column),
    ``column_descriptions["<column>"]`` (that column in any sheet), then the
    frame's ``attrs["column_descriptions"][column]``. Headers are bold, the first row is
    frozen, widths fit the content (8-60 characters). Formulas are
    neutralised; characters Excel cannot store (control characters other
    than tab and newlines) are removed.
    """
    _check_sheet_names(sheets)
    workbook = Workbook(write_only=True)
    for name, frame in sheets.items():
        _write_sheet(workbook, name, neutralise_formulas(frame))
    _write_sheet(workbook, COLUMNS_SHEET, _columns_sheet(sheets, column_descriptions))
    with _atomic_target(path) as temporary:
        workbook.save(temporary)
    return Path(path)


# --------------------------------------------------------------------------- xlsx helpers


def _check_sheet_names(sheets: Mapping[str, pd.DataFrame]) -> None:
    if not sheets:
        raise ValidationError("write_xlsx needs at least one sheet; got none.")
    seen: set[str] = set()
    for name in sheets:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_SHEET_NAME or _SHEET_NAME_FORBIDDEN.search(name):
            raise ValidationError(
                f"Sheet names must be 1-{MAX_SHEET_NAME} characters without []:*?/\\; got {name!r}."
            )
        if name.lower() == COLUMNS_SHEET or name.lower() in seen:
            raise ValidationError(
                f"Sheet name {name!r} is used twice (Excel ignores case; '{COLUMNS_SHEET}' is reserved "
                "for the column descriptions)."
            )
        seen.add(name.lower())


def _columns_sheet(
    sheets: Mapping[str, pd.DataFrame], column_descriptions: Mapping[str, str] | None
) -> pd.DataFrame:
    explicit = column_descriptions or {}
    rows = []
    for name, frame in sheets.items():
        own = frame.attrs.get("column_descriptions", {})
        for column in frame.columns:
            description = explicit.get(f"{name}.{column}", explicit.get(column, own.get(column, "")))
            rows.append({"sheet": name, "column": str(column), "description": description})
    return neutralise_formulas(pd.DataFrame(rows, columns=["sheet", "column", "description"]))


def _write_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title=name)
    sheet.freeze_panes = "A2"
    converters = [_cell_converter(frame.iloc[:, i]) for i in range(frame.shape[1])]
    for letter, width in _column_widths(frame).items():
        sheet.column_dimensions[letter].width = width
    sheet.append([_header_cell(sheet, label) for label in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        sheet.append([convert(value) for convert, value in zip(converters, values)])


def _header_cell(sheet: object, label: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_clean_text(str(label)))
    cell.font = Font(bold=True)
    return cell


def _cell_converter(column: pd.Series) -> Callable[[object], object]:
    """A function turning one value of ``column`` into something openpyxl can store."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        # Excel has no time zones: store the UTC wall clock.
        return lambda value: None if _missing(value) else value.tz_convert("UTC").tz_localize(None).to_pydatetime()
    return _cell_value


def _cell_value(value: object) -> object:
    if _missing(value):
        return None
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else str(value)  # Excel cannot store inf
    if isinstance(value, pd.Timestamp):
        stamp = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
        return stamp.to_pydatetime()
    if isinstance(value, pd.Timedelta):
        return value.to_pytimedelta()
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return value
    return _neutralise_text(_clean_text(str(value)))  # Period, lists, ...: as readable, inert text


def _clean_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values
        return False


def _column_widths(frame: pd.DataFrame) -> dict[str, float]:
    widths = {}
    sample = frame.head(WIDTH_SAMPLE_ROWS)
    for position, label in enumerate(frame.columns):
        lengths = [len(str(label))]
        lengths += [len(_display(value)) for value in sample.iloc[:, position].tolist()]
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, max(lengths) + 2))
        widths[get_column_letter(position + 1)] = width
    return widths


def _display(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:.6g}"
    return str(value)


# --------------------------------------------------------------------------- parquet helpers


def _parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    frame = df.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype == object and not _single_python_type(column):
            frame.isetitem(position, column.map(lambda v: None if _missing(v) else str(v)))
    frame.columns = [str(label) for label in frame.columns]
    return frame


def _single_python_type(column: pd.Series) -> bool:
    kinds = {type(value) for value in column.tolist() if not _missing(value)}
    return len(kinds) <= 1


# --------------------------------------------------------------------------- atomic files


@contextmanager
def _atomic_target(path: PathLike) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it onto ``path`` only on success."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise InputError(f"Cannot write {target}: {error.strerror or error}. Check the folder exists and is writable.") from None
    os.close(handle)
    try:
        yield temporary
        # mkstemp creates the file owner-only; keep an existing file's mode, else
        # use the usual rw-r--r-- so the export can be shared like any other file.
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else DEFAULT_FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
