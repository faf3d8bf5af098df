"""JSON and JSONL: a list of records, records under a key (``{"data": [...]}``), or one record per line.

Reads text :func:`cxtext.io.read.read_table` has decoded. Imports :mod:`cxtext.io.table` and
``cxtext.errors``.
"""

from __future__ import annotations

import json

import pandas as pd

from cxtext.errors import InputError
from cxtext.io.table import EMPTY_FILE, LoadedTable, clean_headers, clip

_JSON_HINT = 'Export the comments as a list of records, e.g. [{"comment": "...", "nps": 9}], or as CSV.'


def read_json(text: str, used_encoding: str, name: str, fmt: str) -> LoadedTable:
    """A JSON (a list of records, or records under a key) or JSONL file's decoded ``text`` as a table."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InputError(f"{name}: {EMPTY_FILE}")
    if fmt == "json" and not stripped.startswith("["):
        fmt = "jsonl" if stripped.startswith("{") and "\n{" in stripped else fmt
    truncated_line = note = None
    if fmt == "jsonl":
        records, truncated_line = _jsonl_records(stripped, name)
        if truncated_line:
            note = (f"its last line ({truncated_line:,}) stops in the middle of a record and was not read; the "
                    "lines above it were. Was the file cut short? Export it again to analyse every record")
    else:
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: could not be read as JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                             "Check that the file is not truncated; JSON Lines files need the .jsonl extension."
                             ) from exc
        records = _json_records(parsed, name)
    records = _unwrapped(records)
    frame, nested_note = _nested_rows(records)
    note = "; ".join(n for n in (note, nested_note) if n) or None
    if frame.empty and len(frame.columns) == 0:
        raise InputError(f"{name}: holds no records{' with fields' if records else ''}. {_JSON_HINT}")
    return LoadedTable(clean_headers(frame.astype(object), name), name, fmt, used_encoding, note=note,
                       truncated_line=truncated_line)


def _unwrapped(records: list[dict]) -> list[dict]:
    """Records each wrapped under its own name (``[{"Company A": {...}}, {"Company B": {...}}]``, a scraper's
    output) as the records inside; other records as they are."""
    if len(records) >= 2 and all(len(r) == 1 and isinstance(next(iter(r.values())), dict) for r in records):
        return [next(iter(r.values())) for r in records]
    return records


def _nested_rows(records: list[dict]) -> tuple[pd.DataFrame, str | None]:
    """The records as a table, or, when most records hold a list of records under one key (a place and its
    "reviews", a ticket and its "comments"), one row per item of those lists with the record's own plain fields
    beside it, and a note saying so. Without this each place's reviews were one 1,830-word "comment"."""
    if not records:
        return pd.DataFrame(), None
    counts: dict[str, int] = {}
    for record in records:
        for key, value in record.items():
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                counts[key] = counts.get(key, 0) + 1
    nested = [key for key, count in counts.items() if count >= 0.5 * len(records)]
    if len(nested) != 1:
        return pd.json_normalize(records), None
    key = nested[0]
    inner_keys = {k for record in records for item in record.get(key) or [] if isinstance(item, dict) for k in item}
    plain = sorted({k for record in records for k, v in record.items()
                    if k != key and not isinstance(v, (list, dict))}, key=str)
    rows = [{**{(f"{k} (record)" if k in inner_keys else k): record.get(k) for k in plain}, **item}
            for record in records for item in (record.get(key) if isinstance(record.get(key), list) else [])
            if isinstance(item, dict)]
    frame = pd.json_normalize(rows) if rows else pd.DataFrame()
    return frame, (f"each of its {len(records):,} records holds a list '{key}': read as {len(rows):,} rows, one per "
                   f"item, with the record's own fields ({clip(', '.join(map(str, plain)), 80) or 'none'}) beside "
                   "each")


def _describe(value: object) -> str:
    kind = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")
    return kind if isinstance(value, (dict, list)) or value is None else f"{kind} ({clip(value, 30)})"


def _jsonl_records(text: str, name: str) -> tuple[list[dict], int | None]:
    """The records, one per line, and the number of a last line cut off in the middle of its record (a
    download or copy that stopped part-way: no line break after it, records above it), else None."""
    records = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines) and records and not text.endswith(("\n", "\r")):
                return records, number
            raise InputError(f"{name}: line {number} is not valid JSON ({exc.msg}). Each line of a JSON Lines "
                             "file must be one record; check that the file is not truncated.") from exc
        if not isinstance(value, dict):
            raise InputError(f"{name}: line {number} is {_describe(value)}, not a record. Each line must be "
                             'one object such as {"comment": "...", "nps": 9}.')
        records.append(value)
    return records, None


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
