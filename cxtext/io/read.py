"""Read a comment dump into a raw frame, and guess which column is which.

Stage 1 of the flow. I/O lives here and in ``export``/``store`` only.

``read_table`` returns every cell as it was written (strings for text
formats, native values for XLSX/Parquet/JSON) so that ``validate`` can judge
and report each value exactly as the user typed it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxtext.errors import ColumnMappingError, InputError
from cxtext.schema import ROLES, ColumnMapping

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
    so it can be stored and shown safely).
    """

    frame: pd.DataFrame
    name: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    format: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> LoadedTable:
    """Read CSV, TSV, XLSX, JSON, JSONL or Parquet (or take a DataFrame as is).

    ``format`` overrides the guess from the file extension. ``sheet`` picks
    an XLSX sheet by name or 0-based index (default: the first). Encoding
    (UTF-8, UTF-8 with BOM, UTF-16, Windows-1256, Windows-1250, Latin-1) and
    delimiter (, ; tab |) are detected when not given.
    """
    if isinstance(source, pd.DataFrame):
        return LoadedTable(frame=_clean_headers(source.reset_index(drop=True), "frame"),
                           name="frame", format="frame")
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
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path.name}: the file is empty. Export the comments again with a header row.")
    try:
        if fmt in ("csv", "tsv"):
            return _read_delimited(data, path.name, fmt, encoding, delimiter)
        if fmt == "xlsx":
            return _read_xlsx(data, path.name, sheet)
        if fmt in ("json", "jsonl"):
            return _read_json(data, path.name, fmt, encoding)
        return _read_parquet(data, path.name)
    except InputError:
        raise
    except Exception as exc:  # any parser failure becomes one actionable line
        raise InputError(
            f"{path.name}: could not be read as {fmt.upper()} ({type(exc).__name__}: {_short(exc)}). "
            "Check that the file is not truncated and that its extension matches its content."
        ) from exc


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
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


#: Largest CSV/TSV cell read, in characters (64 Mi); the csv module's default is 128 Ki.
MAX_CELL_CHARS = 64 * 1024 * 1024


def _read_delimited(data: bytes, name: str, fmt: str, encoding: str | None,
                    delimiter: str | None) -> LoadedTable:
    text, used_encoding = decode_bytes(data, encoding)
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes, so it is not a text file. "
                         "Export it again as CSV (UTF-8) or pass the right format.")
    sep = delimiter or ("\t" if fmt == "tsv" else sniff_delimiter(text))
    # header=None: pandas would rename a duplicate "comment" to "comment.1";
    # we want our own, documented renaming (comment_2) in _clean_headers.
    # the csv module refuses cells over 128 KiB by default; survey exports can
    # hold a pasted e-mail thread in one cell, so allow up to MAX_CELL_CHARS
    previous_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        cells = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None,
                            na_filter=False, engine="python", skip_blank_lines=True)
    finally:
        csv.field_size_limit(previous_limit)
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = list(cells.iloc[0]) if len(cells) else []
    return LoadedTable(_clean_headers(frame, name), name, fmt, used_encoding, sep)


def _read_xlsx(data: bytes, name: str, sheet: str | int | None) -> LoadedTable:
    import openpyxl  # imported here: only XLSX users pay for it

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = workbook.sheetnames
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
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    workbook.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() != "" for v in r)]
    if not rows:
        raise InputError(f"{name}: sheet '{sheet_name}' is empty.")
    header = ["" if v is None else str(v) for v in rows[0]]
    frame = pd.DataFrame([list(r) for r in rows[1:]], columns=header, dtype=object)
    return LoadedTable(_clean_headers(frame, name), name, "xlsx", sheet=sheet_name)


def _read_json(data: bytes, name: str, fmt: str, encoding: str | None) -> LoadedTable:
    text, used_encoding = decode_bytes(data, encoding)
    stripped = text.lstrip()
    if fmt == "json" and not stripped.startswith("["):
        fmt = "jsonl" if stripped.startswith("{") and "\n{" in stripped else fmt
    if fmt == "jsonl":
        frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
    else:
        import json

        parsed = json.loads(text)
        if isinstance(parsed, dict):
            # {"responses": [...]} style wrappers: take the one list of records.
            lists = [v for v in parsed.values() if isinstance(v, list)]
            if len(lists) != 1:
                raise InputError(f"{name}: expected a list of records (or an object holding one list); "
                                 f"found keys {', '.join(map(str, parsed))}.")
            parsed = lists[0]
        frame = pd.json_normalize(parsed)
    return LoadedTable(_clean_headers(frame.astype(object), name), name, fmt, used_encoding)


def _read_parquet(data: bytes, name: str) -> LoadedTable:
    frame = pd.read_parquet(io.BytesIO(data))
    return LoadedTable(_clean_headers(frame.astype(object), name), name, "parquet")


def _clean_headers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Make headers unique non-empty strings, so every column can be named in a mapping."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(frame.columns, start=1):
        label = "" if header is None else str(header).strip().lstrip("\ufeff")
        if label == "" or label.lower().startswith("unnamed:"):
            label = f"column_{position}"
        if label in seen:
            seen[label] += 1
            label = f"{label}_{seen[label]}"
        else:
            seen[label] = 1
        headers.append(label)
    frame = frame.copy()
    frame.columns = headers
    return frame.reset_index(drop=True)


def _short(exc: Exception, limit: int = 160) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."


# Header names recognised per role, compared after lower-casing and turning
# every run of non-letters into "_". English first; a few Arabic and
# Romanian headers because our users' regional teams export with them.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("comment", "comments", "text", "feedback", "verbatim", "verbatims", "response_text",
             "open_text", "open_ended", "answer", "review", "review_text", "message", "body",
             "content", "tweet", "post", "mention", "reason", "why", "nps_comment", "ces_comment",
             "comentariu", "comentarii", "mesaj", "تعليق", "التعليق", "ملاحظات"),
    "nps": ("nps", "nps_score", "score", "likelihood_to_recommend", "ltr", "recommend",
            "how_likely_are_you_to_recommend_us", "recommendation_score", "nps_rating"),
    "ces": ("ces", "ces_score", "effort", "effort_score", "customer_effort", "customer_effort_score"),
    "csat": ("csat", "csat_score", "satisfaction", "satisfaction_score", "customer_satisfaction"),
    "date": ("date", "submitted_at", "submitted", "created_at", "created", "timestamp", "time",
             "datetime", "response_date", "survey_date", "posted_at", "data", "التاريخ"),
    "source": ("source", "channel", "platform", "medium", "origin", "survey", "sursa", "canal",
               "المصدر"),
    "segment": ("segment", "customer_segment", "tier", "plan", "customer_type", "region", "market"),
    "id": ("id", "response_id", "respondent_id", "comment_id", "tweet_id", "post_id", "record_id",
           "ticket_id", "uuid"),
}


def _normalise_header(header: str) -> str:
    return re.sub(r"[\W_]+", "_", str(header).strip().lower()).strip("_")


# Too generic to match as part of a longer header ("ces_score" is not NPS).
_NO_PARTIAL_MATCH = {"score", "time", "data", "id", "why", "plan", "post", "body", "text", "date"}


def detect_mapping(columns: list[str] | pd.Index, frame: pd.DataFrame | None = None,
                   **explicit: str | None) -> ColumnMapping:
    """Map roles to columns: explicit names win, the rest are guessed from headers.

    Guessing runs in two passes over all roles: exact alias matches first
    (``"comment"``, ``"nps"``, ``"submitted_at"``; see ``HEADER_ALIASES``),
    then headers containing an alias as a whole word (``"NPS Score (0-10)"``).
    When no header looks like text and ``frame`` is given, the column with
    the longest non-numeric values is taken as the text.
    Raises :class:`ColumnMappingError` when an explicit column is absent or
    when no text column can be found; both messages list the columns found.
    """
    columns = [str(c) for c in columns]
    unknown_roles = set(explicit) - set(ROLES)
    if unknown_roles:
        raise ColumnMappingError(f"unknown role(s) {sorted(unknown_roles)}; roles are {', '.join(ROLES)}.")
    chosen: dict[str, str | None] = {}
    for role, column in explicit.items():
        if column is None or column == "":
            continue
        if column not in columns:
            raise ColumnMappingError(
                f"--{role} names column '{column}', which is not in the file. "
                f"Columns found: {', '.join(columns)}."
            )
        chosen[role] = column
    taken = set(chosen.values())
    normalised = {c: _normalise_header(c) for c in columns}
    for exact in (True, False):
        for role in ROLES:
            if chosen.get(role) is None:
                chosen[role] = _guess(role, normalised, taken, exact)
                if chosen[role]:
                    taken.add(chosen[role])
    if chosen.get("text") is None and frame is not None:
        chosen["text"] = _longest_text_column(frame, taken)
    if chosen.get("text") is None:
        raise ColumnMappingError(
            "no text column found. Columns found: "
            f"{', '.join(columns) or '(none)'}. Name it with --text COLUMN (Python: text='COLUMN')."
        )
    return ColumnMapping(**chosen)


def _guess(role: str, normalised: dict[str, str], taken: set[str], exact: bool) -> str | None:
    for alias in HEADER_ALIASES[role]:
        alias_norm = _normalise_header(alias)
        if not exact and (alias_norm in _NO_PARTIAL_MATCH or len(alias_norm) < 3):
            continue
        for column, norm in normalised.items():
            if column in taken:
                continue
            if (norm == alias_norm) if exact else (alias_norm in norm.split("_")):
                return column
    return None


def _longest_text_column(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """The free-text column, judged by content: long values that are not numbers."""
    best, best_length = None, 15.0  # shorter on average is a code or a name, not a comment
    for column in frame.columns:
        if column in taken:
            continue
        values = frame[column].dropna().astype(str).head(500)
        values = values[values.str.strip() != ""]
        if values.empty or pd.to_numeric(values, errors="coerce").notna().mean() > 0.5:
            continue
        mean_length = values.str.len().mean()
        if mean_length > best_length:
            best, best_length = column, mean_length
    return best
