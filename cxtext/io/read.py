"""Read a comment dump into a raw frame (stage 1 of the flow).

I/O lives here and in ``export``/``store`` only.

``read_table`` returns every cell as it was written (strings for text
formats, native values for XLSX/Parquet/JSON) so that ``validate`` can judge
and report each value exactly as the user typed it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from os import PathLike
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.layouts import survey_layout

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# Tried in this order after the BOM check and a strict UTF-8 attempt: the
# single-byte code pages regional teams' exports actually arrive in.
_FALLBACK_ENCODINGS = ("cp1256", "cp1250", "latin-1")
_DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class LoadedTable:
    """A raw table plus how it was read.

    ``frame`` has one row per input data row, in file order, with the
    original headers (``str``). ``name`` is the file name (never a full path,
    so it can be stored and shown safely). ``layout`` names the survey tool
    whose extra header rows were dropped (:mod:`cxtext.io.layouts`), listed
    in ``skipped_rows`` as ``{"row_in_file": n, "why": ...}`` (the header is
    row 1); ``questions`` maps a column to the survey question above it.
    """

    frame: pd.DataFrame
    name: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    layout: str | None = None
    skipped_rows: tuple[dict, ...] = ()
    questions: dict[str, str] = field(default_factory=dict)


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    format: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    allow_empty: bool = False,
) -> LoadedTable:
    """Read CSV, TSV, XLSX, JSON, JSONL or Parquet (or take a DataFrame as is).

    ``format`` overrides the guess from the file extension. ``sheet`` picks
    an XLSX sheet by name or 0-based index (default: the first). Encoding
    (UTF-8, UTF-8 with BOM, UTF-16, Windows-1256, Windows-1250, Latin-1) and
    delimiter (, ; tab |) are detected when not given.

    Raises :class:`InputError`, its message starting with the file name, for
    anything that cannot be read; also for a table without columns, and for
    one without data rows unless ``allow_empty`` (one file of several).
    """
    if isinstance(source, pd.DataFrame):
        table = without_survey_header_rows(
            LoadedTable(frame=_clean_headers(source.reset_index(drop=True), "frame"), name="frame", format="frame"))
        _checked(table.frame, "frame", allow_empty)
        return table
    if not isinstance(source, (str, PathLike)):
        raise InputError(f"cannot read a {type(source).__name__}: pass the path of a CSV, TSV, XLSX, JSON, "
                         "JSONL or Parquet file, or a pandas DataFrame.")
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: file not found. Check the path, or pass a pandas DataFrame.")
    if path.is_dir():
        raise InputError(f"{path}: is a folder. Pass a CSV, TSV, XLSX, JSON, JSONL or Parquet file.")
    fmt = (format or _EXTENSIONS.get(path.suffix.lower(), "")).lower()
    if fmt not in FORMATS:
        raise InputError(
            f"{path.name}: cannot tell the format from the extension '{path.suffix}'. "
            f"Rename the file or pass format= one of {', '.join(FORMATS)}."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be opened ({exc.strerror}). Check that you may read it.") from exc
    if not data.strip():
        raise InputError(f"{path.name}: {_EMPTY}")
    try:
        if fmt in ("csv", "tsv"):
            table = _read_delimited(data, path.name, fmt, encoding, delimiter)
        elif fmt == "xlsx":
            table = _read_xlsx(data, path.name, sheet)
        elif fmt in ("json", "jsonl"):
            table = _read_json(data, path.name, fmt, encoding)
        else:
            table = _read_parquet(data, path.name)
        table = without_survey_header_rows(table)
        _checked(table.frame, path.name, allow_empty)
        return table
    except InputError as exc:
        # every message names the file, also those of helpers that do not know it (decode_bytes)
        if str(exc).startswith(path.name):
            raise
        raise type(exc)(f"{path.name}: {exc}") from exc
    except Exception as exc:  # any parser failure becomes one actionable line
        raise InputError(
            f"{path.name}: could not be read as {fmt.upper()} ({type(exc).__name__}: {_short(exc)}). "
            "Check that the file is not truncated and that its extension matches its content."
        ) from exc


_EMPTY = "the file is empty. Export the comments again with a header row."


def _checked(frame: pd.DataFrame, name: str, allow_empty: bool = False) -> pd.DataFrame:
    """A table to analyse has at least one column and one data row.

    A header without rows is refused here, whatever the format, rather than
    analysed into empty outputs: it is almost always a failed or filtered
    export, and saying so beats a report with nothing in it.
    """
    if len(frame.columns) == 0:
        raise InputError(f"{name}: has no columns. Export the comments again with a header row "
                         "(e.g. comment, nps) above them.")
    if len(frame) == 0 and not allow_empty:
        columns = ", ".join(map(str, frame.columns))
        raise InputError(f"{name}: has a header ({_clip(columns, 120)}) but no data rows. Export it again "
                         "with the comments under the header (check the export's filters and date range).")
    return frame


def without_survey_header_rows(table: LoadedTable) -> LoadedTable:
    """Drop the extra header rows of Qualtrics, SurveyMonkey and the like; keep their questions."""
    layout = survey_layout(table.frame)
    if not layout.header_rows and not layout.questions:
        return table
    drop = [index for index, _ in layout.header_rows]
    skipped = tuple({"row_in_file": index + 2, "why": why} for index, why in layout.header_rows)
    frame = table.frame.drop(index=table.frame.index[drop]).reset_index(drop=True)
    return replace(table, frame=frame, layout=layout.tool, skipped_rows=skipped, questions=layout.questions)


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding when not given. Returns (text, encoding)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode the file as {encoding}: {_short(exc)}. "
                             "Omit the encoding to let cxtext detect it.") from exc
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if _looks_like_bomless_utf16(data):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_single_byte(data)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """Pick the code page whose decoding reads most like real text.

    Windows-1256 and Windows-1250 both decode any byte string, so the choice
    is made on what comes out: Arabic letters for cp1256, Romanian/Central
    European letters for cp1250, otherwise Latin-1.
    """
    high_bytes = [b for b in data if b >= 0x80]
    if not high_bytes:
        return data.decode("latin-1"), "latin-1"
    cp1256 = data.decode("cp1256", errors="replace")
    arabic = sum(1 for ch in cp1256 if "\u0600" <= ch <= "\u06ff")
    if arabic >= 0.6 * len(high_bytes):
        return cp1256, "cp1256"
    cp1250 = data.decode("cp1250", errors="replace")
    central = sum(1 for ch in cp1250 if ch in "ăâîșțşţĂÂÎȘȚŞŢąćęłńśźżčďěňřšťůžőűĺľŕ")
    latin1 = data.decode("latin-1")
    western = sum(1 for ch in latin1 if ch in "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿßÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ")
    if central > western:
        return cp1250, "cp1250"
    return latin1, "latin-1"


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter among , ; tab | from the first lines."""
    sample = "\n".join(text[:_HEAD_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = text[:_HEAD_CHARS].splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


# Delimiters and the one-column shape are judged on the file's first lines, within this many characters.
_HEAD_CHARS = 200_000

#: Largest CSV/TSV cell read, in characters (64 Mi); the csv module's default is 128 Ki.
MAX_CELL_CHARS = 64 * 1024 * 1024


def _read_delimited(data: bytes, name: str, fmt: str, encoding: str | None,
                    delimiter: str | None) -> LoadedTable:
    text, used_encoding = decode_bytes(data, encoding)
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes, so it is not a text file. "
                         "Export it again as CSV (UTF-8) or pass the right format.")
    if not _NOT_BLANK.search(text):
        raise InputError(f"{name}: {_EMPTY}")
    first_line = _FIRST_LINE.match(text)
    if first_line.group(1).strip() == '""':
        # one column with an empty header: the parser would skip the line as blank and take
        # the first comment for the header; keep it a header (named column_1 below)
        text = text[:first_line.start(1)] + '"Unnamed: 0"' + text[first_line.end(1):]
    sep = delimiter or ("\t" if fmt == "tsv" else sniff_delimiter(text))
    if not delimiter and _single_column(text, sep):
        # "comment" over lines of free text: commas inside the comments are not delimiters
        sep = _NO_DELIMITER
    # header=None: pandas would rename a duplicate "comment" to "comment.1";
    # we want our own, documented renaming (comment_2) in _clean_headers.
    # the csv module refuses cells over 128 KiB by default; survey exports can
    # hold a pasted e-mail thread in one cell, so allow up to MAX_CELL_CHARS
    one_column = sep == _NO_DELIMITER
    if one_column:
        # an empty line is an empty comment here (a spreadsheet saves an empty cell so): it stays a
        # row, and row numbers stay the spreadsheet's; blank lines above the header or at the end do not
        text = _LEADING_BLANK_LINES.sub("", text).rstrip("\r\n") + "\n"
    previous_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        cells = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None,
                            na_filter=False, engine="python", skip_blank_lines=not one_column)
    except pd.errors.ParserError as exc:
        raise InputError(_parser_problem(name, exc, sep)) from exc
    finally:
        csv.field_size_limit(previous_limit)
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = list(cells.iloc[0]) if len(cells) else []
    frame = frame.where(frame.notna(), "")  # short lines: missing cells are empty, as in Excel
    shown_sep = None if sep == _NO_DELIMITER else sep
    return LoadedTable(_clean_headers(frame, name), name, fmt, used_encoding, shown_sep)


# A character no export uses: the whole line is one cell (quotes still apply).
_NO_DELIMITER = "\x1f"
_LEADING_BLANK_LINES = re.compile(r"\A(?:\ufeff)?(?:[ \t]*\r?\n)+")
_NOT_BLANK = re.compile(r"[^\s\ufeff]")
_FIRST_LINE = re.compile(r"[\ufeff\r\n]*([^\r\n]*)")
_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


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


def _parser_problem(name: str, exc: Exception, sep: str) -> str:
    shown = {"\t": "tab", _NO_DELIMITER: "none"}.get(sep, repr(sep))
    match = _FIELD_COUNT.search(str(exc))
    if match:
        expected, line, seen = match.groups()
        return (f"{name}: line {line} has {seen} cells but the header has {expected} (delimiter {shown}). "
                "A cell probably holds the delimiter without quotes, or lines above the header are not "
                "part of the table: quote such cells (as Excel's 'Save as CSV' does) or remove those lines.")
    return (f"{name}: could not be read as CSV (delimiter {shown}: {_short(exc)}). "
            "Check that every quoted cell is closed and that the file is not truncated.")


def _read_xlsx(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
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
    frame = pd.DataFrame([r[:last] for r in table[1:]], columns=header, dtype=object)
    return LoadedTable(_clean_headers(frame, name), name, "xlsx", sheet=sheet_name)


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
                first = first or f"{get_column_letter(c + 1)}{r + 1} '{_clip(getattr(cell, 'text', cell), 40)}'"
    finally:
        workbook.close()
    if first:
        raise InputError(
            f"{name}: sheet '{sheet_name}' holds formulas whose results were never saved (first: {first}), so "
            "their values cannot be read. Open the file in Excel or LibreOffice and save it (that stores the "
            "results), or export the sheet as CSV.")


_JSON_HINT = 'Export the comments as a list of records, e.g. [{"comment": "...", "nps": 9}], or as CSV.'


def _read_json(data: bytes, name: str, fmt: str, encoding: str | None) -> LoadedTable:
    text, used_encoding = decode_bytes(data, encoding)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InputError(f"{name}: {_EMPTY}")
    if fmt == "json" and not stripped.startswith("["):
        fmt = "jsonl" if stripped.startswith("{") and "\n{" in stripped else fmt
    if fmt == "jsonl":
        records = _jsonl_records(stripped, name)
    else:
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: could not be read as JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                             "Check that the file is not truncated; JSON Lines files need the .jsonl extension."
                             ) from exc
        records = _json_records(parsed, name)
    frame = pd.json_normalize(records) if records else pd.DataFrame()
    if frame.empty and len(frame.columns) == 0:
        raise InputError(f"{name}: holds no records{' with fields' if records else ''}. {_JSON_HINT}")
    return LoadedTable(_clean_headers(frame.astype(object), name), name, fmt, used_encoding)


def _describe(value: object) -> str:
    kind = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")
    return kind if isinstance(value, (dict, list)) or value is None else f"{kind} ({_clip(value, 30)})"


def _jsonl_records(text: str, name: str) -> list[dict]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {number} is not valid JSON ({exc.msg}). Each line of a JSON Lines "
                             "file must be one record; check that the file is not truncated.") from exc
        if not isinstance(value, dict):
            raise InputError(f"{name}: line {number} is {_describe(value)}, not a record. Each line must be "
                             'one object such as {"comment": "...", "nps": 9}.')
        records.append(value)
    return records


def _json_records(parsed: object, name: str) -> list[dict]:
    """The list of records in a parsed JSON document, wherever it sits.

    Accepted: a list of records; an object holding one list of records
    (``{"responses": [...]}``, also nested: ``{"data": {"items": [...]}}``);
    columns (``{"comment": [...], "nps": [...]}`` or pandas' default
    ``{"comment": {"0": ...}}``); a single record (an object of plain values).
    """
    if isinstance(parsed, list):
        return _as_records(parsed, name, "the list")
    if not isinstance(parsed, dict):
        raise InputError(f"{name}: holds {_describe(parsed)}, not a list of records. {_JSON_HINT}")
    if not parsed:
        raise InputError(f"{name}: holds an empty object {{}}, no records. {_JSON_HINT}")
    found = _record_lists(parsed)
    if len(found) == 1:
        path, records = found[0]
        return _as_records(records, name, f"'{path}'")
    if len(found) > 1:
        raise InputError(f"{name}: holds several lists of records ({', '.join(p for p, _ in found)}); "
                         "keep the one with the comments, or export as CSV.")
    values = list(parsed.values())
    if all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
        return pd.DataFrame(parsed).to_dict("records")  # columns as lists
    if all(isinstance(v, dict) for v in values) and len({tuple(v) for v in values}) == 1:
        return pd.DataFrame(parsed).to_dict("records")  # pandas' to_json() default: columns by index
    if not any(isinstance(v, (list, dict)) for v in values):
        return [parsed]  # one record
    raise InputError(f"{name}: expected a list of records (or an object holding one list); "
                     f"found keys {', '.join(map(str, parsed))[:200]}. {_JSON_HINT}")


def _record_lists(value: dict, prefix: str = "", depth: int = 0) -> list[tuple[str, list]]:
    """Non-empty lists whose items are all objects, under ``value`` (3 levels deep at most)."""
    found = []
    for key, inner in value.items():
        path = f"{prefix}{key}"
        if isinstance(inner, list) and inner and all(isinstance(item, dict) for item in inner):
            found.append((path, inner))
        elif isinstance(inner, dict) and depth < 3:
            found.extend(_record_lists(inner, path + ".", depth + 1))
    return found


def _as_records(items: list, name: str, where: str) -> list[dict]:
    for position, item in enumerate(items, start=1):
        if item is not None and not isinstance(item, dict):
            raise InputError(f"{name}: item {position} of {where} is {_describe(item)}, not a record. "
                             f"{_JSON_HINT}")
    return [item if item is not None else {} for item in items]


def _read_parquet(data: bytes, name: str) -> LoadedTable:
    frame = pd.read_parquet(io.BytesIO(data))
    return LoadedTable(_clean_headers(frame.astype(object), name), name, "parquet")


def _clean_headers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Make headers unique non-empty strings, so every column can be named in a mapping."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(frame.columns, start=1):
        label = "" if _missing(header) else " ".join(str(header).replace("\ufeff", "").split())
        if label == "" or label.lower().startswith("unnamed:"):
            label = f"column_{position}"
        if label in seen:
            base = label
            while label in seen:  # "comment_2" may itself be a header further left
                seen[base] += 1
                label = f"{base}_{seen[base]}"
        seen[label] = 1
        headers.append(label)
    frame = frame.copy()
    frame.columns = headers
    return frame.reset_index(drop=True)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _clip(value: object, limit: int) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."


def _short(exc: Exception, limit: int = 160) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."
