"""``cxtext.load``: read a dump, map its columns and validate every row, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxtext.load import LoadedTable, detect_mapping, read_table
from cxtext.schema import DEFAULT_CES_SCALE, STATUS_ANALYZED, ColumnMapping, ScoreScale
from cxtext.validate import validate


@dataclass(frozen=True)
class Feedback:
    """A validated comment dump.

    ``records`` has one row per input row (columns in :mod:`cxtext.schema`);
    ``table`` is the raw table as read; ``mapping`` the column roles used.
    """

    table: LoadedTable
    mapping: ColumnMapping
    ces_scale: ScoreScale
    records: pd.DataFrame

    @property
    def analyzed(self) -> pd.DataFrame:
        return self.records[self.records["status"] == STATUS_ANALYZED]

    @property
    def rejected(self) -> pd.DataFrame:
        return self.records[self.records["status"] != STATUS_ANALYZED]


def load(
    source: str | Path | pd.DataFrame,
    *,
    text: str | None = None,
    nps: str | None = None,
    ces: str | None = None,
    csat: str | None = None,
    date: str | None = None,
    source_column: str | None = None,
    segment: str | None = None,
    id: str | None = None,
    ces_scale: str | ScoreScale = DEFAULT_CES_SCALE,
    ces_easy_end: str = "high",
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    format: str | None = None,
) -> Feedback:
    """Read CSV/TSV/XLSX/JSON/JSONL/Parquet (or a DataFrame), map and validate it.

    Column roles are auto-detected from headers unless named (``source`` is
    named with ``source_column`` because ``source`` is the input itself).
    ``ces_scale`` is "1-5" or "1-7"; ``ces_easy_end`` "high" or "low" says
    which end means little effort.
    """
    table = read_table(source, format=format, sheet=sheet, encoding=encoding, delimiter=delimiter)
    mapping = detect_mapping(table.frame.columns, frame=table.frame, text=text, nps=nps, ces=ces,
                             csat=csat, date=date, source=source_column, segment=segment, id=id)
    scale = ces_scale if isinstance(ces_scale, ScoreScale) else ScoreScale.parse(ces_scale, ces_easy_end)
    records = validate(table.frame, mapping, scale, source_name=table.name)
    return Feedback(table, mapping, scale, records)
