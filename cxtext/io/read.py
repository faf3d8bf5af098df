"""Read a comment dump into a raw frame (stage 1 of the flow).

I/O lives here and in ``export``/``store`` only. This module opens the file, decodes text
formats (:func:`decode_bytes`: BOMs, UTF-16, UTF-8, then the single-byte code pages) and
hands the text to the format's reader: :mod:`cxtext.io.delimited` (CSV, TSV),
:mod:`cxtext.io.json_records` (JSON, JSONL), :mod:`cxtext.io.xlsx`; Parquet is read here.
Every reader returns a :class:`~cxtext.io.table.LoadedTable`; the extra header rows of
survey tools are then dropped (:mod:`cxtext.io.layouts`).

``read_table`` returns every cell as it was written (strings for text
formats, native values for XLSX/Parquet/JSON) so that ``validate`` can judge
and report each value exactly as the user typed it.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import replace
from os import PathLike
from pathlib import Path

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.codepages import decode_single_byte, mixed_code_page_note
from cxtext.io.delimited import read_delimited
from cxtext.io.json_records import read_json
from cxtext.io.layouts import survey_layout
from cxtext.io.table import EMPTY_FILE, LoadedTable, clean_headers, clip, short_error
from cxtext.io.xlsx import is_spreadsheetml, read_spreadsheetml, read_xlsx

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "parquet")
EXTENSIONS = {
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
    an XLSX sheet by name or 0-based index (default: the first; a pivot-table summary first is passed over
    for the largest data sheet, see :mod:`cxtext.io.xlsx`). Excel 2003 XML named ``.xls`` or ``.xml``
    (Freshdesk's "Excel" export) is read like XLSX. Encoding
    (UTF-8, UTF-8 with BOM, UTF-16, Windows-1256, Windows-1250, Windows-1252, Latin-1; see
    :mod:`cxtext.io.codepages`) and
    delimiter (, ; tab |) are detected when not given.

    Raises :class:`InputError`, its message starting with the file name, for
    anything that cannot be read; also for a table without columns, and for
    one without data rows unless ``allow_empty`` (one file of several).
    """
    if isinstance(source, pd.DataFrame):
        table = without_survey_header_rows(
            LoadedTable(frame=clean_headers(source.reset_index(drop=True), "frame"), name="frame", format="frame"))
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be opened ({exc.strerror}). Check that you may read it.") from exc
    inner = path
    if path.suffix.lower() in COMPRESSED:  # "2019.csv.gz": the format is the inner file's
        inner, data = decompressed(path, data)
    fmt = (format or EXTENSIONS.get(inner.suffix.lower(), "")).lower()
    if not format and inner.suffix.lower() in (".xls", ".xml"):
        fmt = _legacy_excel_format(path) if inner is path else "xlsx"
    if fmt not in FORMATS:
        raise InputError(
            f"{inner.name}: cannot tell the format from the extension '{inner.suffix}'. Rename the file to end in "
            f"{', '.join('.' + f for f in FORMATS)} (in Python, or pass format= one of {', '.join(FORMATS)})."
        )
    if not data.strip():
        raise InputError(f"{path.name}: {EMPTY_FILE}")
    try:
        if fmt in ("csv", "tsv"):
            text, used = decode_bytes(data, encoding)
            # old Mac line endings (CR alone: Excel for Mac's "CSV (Macintosh)"): no line break the csv reader sees
            old_mac = "\r" in text and "\n" not in text
            table = read_delimited(text.replace("\r", "\n") if old_mac else text, used, path.name, fmt, delimiter)
            notes = (mixed_code_page_note(data, used),
                     "its lines end in a carriage return alone (old Mac line endings, as Excel for Mac's 'CSV "
                     "(Macintosh)' writes): read as line breaks" if old_mac else None, table.note)
            if any(notes[:2]):
                table = replace(table, note="; ".join(n for n in notes if n))
        elif fmt == "xlsx" and is_spreadsheetml(data):  # Excel 2003 XML, as help desks export it (.xls)
            table = read_spreadsheetml(data, path.name, sheet)
        elif fmt == "xlsx":
            table = read_xlsx(data, path.name, sheet)
        elif fmt in ("json", "jsonl"):
            table = read_json(*decode_bytes(data, encoding), path.name, fmt)
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
            f"{path.name}: could not be read as {fmt.upper()} ({type(exc).__name__}: {short_error(exc)}). "
            "Check that the file is not truncated and that its extension matches its content."
        ) from exc


#: Compressed files read as the file inside them (one file; a .zip of several is refused with its list).
COMPRESSED = (".gz", ".bz2", ".xz", ".zip")


def decompressed(path: Path, data: bytes) -> tuple[Path, bytes]:
    """The name and bytes of the file inside ``path`` (``2019.csv.gz`` -> ``2019.csv``): gzip, bzip2, xz, or a
    .zip holding one file besides folders and macOS metadata."""
    import bz2
    import gzip
    import lzma
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
                if len(names) != 1:
                    raise InputError(f"{path.name}: a .zip of {len(names)} files ({clip(', '.join(names), 200)}). "
                                     "Unzip it and pass the one file to analyse.")
                return Path(Path(names[0]).name), archive.read(names[0])
        opener = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress}[suffix]
        return Path(path.stem), opener(data)
    except InputError:
        raise
    except Exception as exc:  # a damaged or mislabelled archive
        raise InputError(f"{path.name}: could not be decompressed as {suffix[1:]} ({type(exc).__name__}: "
                         f"{short_error(exc)}). Check the file is complete, or decompress it yourself.") from exc


def _legacy_excel_format(path: Path) -> str:
    """``.xls`` / ``.xml``: Excel 2003 XML (Freshdesk's "Excel" export) is read as a workbook; a binary Excel
    97-2003 file, an HTML table named ``.xls`` or other XML are refused with what to do."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be opened ({exc.strerror}). Check that you may read it.") from exc
    if is_spreadsheetml(head):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = "an Excel 97-2003 workbook (binary .xls), which cxtext does not read"
    elif b"<table" in head.lower() or b"<html" in head.lower():
        kind = "an HTML page saved under the name .xls, not a workbook"
    elif head.startswith(b"PK"):
        return "xlsx"  # an XLSX renamed .xls
    else:
        kind = f"not a format cxtext reads (extension '{path.suffix}')"
    raise InputError(f"{path.name}: is {kind}. Open it in Excel or LibreOffice and save it as .xlsx or CSV "
                     f"(or pass format= one of {', '.join(FORMATS)}).")


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
        raise InputError(f"{name}: has a header ({clip(columns, 120)}) but no data rows. Export it again "
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
    if layout.header is not None:  # the real header was the first row under a row of question groups
        frame = clean_headers(frame.set_axis(list(layout.header), axis=1), table.name)
    return replace(table, frame=frame, layout=layout.tool, skipped_rows=skipped, questions=layout.questions)


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding when not given. Returns (text, encoding)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode the file as {encoding}: {short_error(exc)}. "
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
    return decode_single_byte(data)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4


def _read_parquet(data: bytes, name: str) -> LoadedTable:
    frame = pd.read_parquet(io.BytesIO(data))
    return LoadedTable(clean_headers(frame.astype(object), name), name, "parquet")
