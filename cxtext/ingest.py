"""``cxtext.load``: read a dump, map its columns and validate every row, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxtext.io.columns import MappingDecision, detect_columns
from cxtext.io.read import read_table
from cxtext.io.table import LoadedTable
from cxtext.schema import DEFAULT_CES_SCALE, STATUS_ANALYZED, ColumnMapping, ScoreScale
from cxtext.validate import validate


@dataclass(frozen=True)
class Feedback:
    """A validated comment dump.

    ``records`` has one row per input row (columns in :mod:`cxtext.schema`);
    ``table`` is the raw table as read; ``mapping`` the column roles used;
    ``decision`` the same with the reasons (``mapping_reasons``) and what
    each column holds; ``rating_scale`` the rating's scale (None without one).
    """

    table: LoadedTable
    mapping: ColumnMapping
    ces_scale: ScoreScale
    records: pd.DataFrame
    decision: MappingDecision | None = None

    @property
    def mapping_reasons(self) -> dict[str, dict]:
        """Per role: the column chosen and why, the columns passed over and why."""
        return self.decision.reasons if self.decision else {}

    @property
    def rating_scale(self) -> ScoreScale | None:
        return self.decision.rating_scale if self.decision else None

    @property
    def analyzed(self) -> pd.DataFrame:
        return self.records[self.records["status"] == STATUS_ANALYZED]

    @property
    def rejected(self) -> pd.DataFrame:
        return self.records[self.records["status"] != STATUS_ANALYZED]


def load(
    source: str | Path | pd.DataFrame,
    *,
    text: str | list[str] | None = None,
    nps: str | None = None,
    ces: str | None = None,
    csat: str | None = None,
    rating: str | None = None,
    date: str | None = None,
    source_column: str | None = None,
    segment: str | None = None,
    id: str | None = None,
    ces_scale: str | ScoreScale | None = None,
    ces_easy_end: str | None = None,
    rating_scale: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    format: str | None = None,
) -> Feedback:
    """Read CSV/TSV/XLSX/JSON/JSONL/Parquet (or a DataFrame), map and validate it.

    Column roles are detected from headers and content unless named
    (``source`` is named with ``source_column`` because ``source`` is the
    input itself; ``text`` may list several comment columns). ``ces_scale``
    is "1-5" or "1-7"; ``ces_easy_end`` "high" or "low" says which end means
    little effort (None or "auto": read from the CES question and values, and said in the
    reasons; a :class:`ScoreScale` gives both); ``rating_scale`` ("1-5", "1-10") overrides the detected
    scale of a star rating or review score. Survey-tool header rows
    (Qualtrics, SurveyMonkey) are skipped and listed in ``table.skipped_rows``.
    """
    table = read_table(source, format=format, sheet=sheet, encoding=encoding, delimiter=delimiter)
    decision = detect_columns(table.frame.columns, frame=table.frame, questions=table.questions,
                              source_name=table.name,
                              rating_scale=rating_scale, text=text, nps=nps, ces=ces, csat=csat, rating=rating,
                              date=date, source=source_column, segment=segment, id=id,
                              ces_scale=ces_scale.label if isinstance(ces_scale, ScoreScale) else ces_scale,
                              ces_easy_end=ces_scale.good_end if isinstance(ces_scale, ScoreScale) else ces_easy_end)
    scale = decision.ces_scale or (ces_scale if isinstance(ces_scale, ScoreScale) else DEFAULT_CES_SCALE)
    records = validate(table.frame, decision.mapping, scale, source_name=table.name,
                       rating_scale=decision.rating_scale)
    return Feedback(table, decision.mapping, scale, records, decision)
