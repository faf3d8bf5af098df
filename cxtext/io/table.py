"""What a reader returns (:class:`LoadedTable`) and what every reader shares: header cleaning, short messages.

Imports nothing of cxtext (pandas aside).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

EMPTY_FILE = "the file is empty. Export the comments again with a header row."


@dataclass(frozen=True)
class LoadedTable:
    """A raw table plus how it was read.

    ``frame`` has one row per input data row, in file order, with the
    original headers (``str``). ``name`` is the file name (never a full path,
    so it can be stored and shown safely). ``layout`` names the survey tool
    whose extra header rows were dropped (:mod:`cxtext.io.layouts`), listed
    in ``skipped_rows`` as ``{"row_in_file": n, "why": ...}`` (the header is
    row 1); ``questions`` maps a column to the survey question above it.
    ``truncated_line``: the line where an unfinished last row starts, when the file was cut short.
    ``note`` says, in one sentence, a choice the reader made that the user did not ask for (a workbook
    whose first sheet is a pivot-table summary: which sheet was read instead, and why).
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
    note: str | None = None
    #: The file ended inside a quoted cell (a cut-short export): the line where that unfinished row starts;
    #: the rows above it were read, that row was not (:mod:`cxtext.io.delimited`).
    truncated_line: int | None = None


def clean_headers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
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


def clip(value: object, limit: int) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."


def short_error(exc: Exception, limit: int = 160) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."
