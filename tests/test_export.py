"""Exports open cleanly in Excel, keep Arabic text, and never run user text as a formula."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cxtext.errors import ValidationError
from cxtext.export import neutralise_formulas, write_csv, write_json, write_parquet, write_xlsx

ARABIC = "الخدمة بطيئة جدا"
DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def _comments() -> pd.DataFrame:
    texts = DANGEROUS + [ARABIC, "fine", None]
    frame = pd.DataFrame({
        "text": texts,
        "nps_impact": [-5.5, 1.0, -0.25, 2.0, 3.0, 4.0, -7.0, 0.0, np.nan],
        "n_comments": np.arange(9, dtype="int64"),
        "date": pd.to_datetime(["2024-03-01"] * 8 + [None]),
    })
    frame.attrs["column_descriptions"] = {"text": "The comment.", "nps_impact": "Drag in NPS points."}
    return frame


def test_neutralise_formulas_prefixes_text_but_keeps_numbers() -> None:
    safe = neutralise_formulas(_comments())
    assert safe["text"].tolist()[:6] == ["'" + text for text in DANGEROUS]
    assert safe["text"].iloc[6] == ARABIC and safe["text"].iloc[7] == "fine"
    assert pd.isna(safe["text"].iloc[8])
    assert safe["nps_impact"].iloc[0] == -5.5 and safe["nps_impact"].dtype == np.float64
    pd.testing.assert_series_equal(safe["n_comments"], _comments()["n_comments"])


def test_neutralise_formulas_handles_mixed_and_categorical_columns_and_labels() -> None:
    frame = pd.DataFrame({"=label": [1, 2], "mixed": [-3, "-3"], "kind": pd.Categorical(["@x", "y"])})
    safe = neutralise_formulas(frame)
    assert list(safe.columns) == ["'=label", "mixed", "kind"]
    assert safe["mixed"].tolist() == [-3, "'-3"]  # the number stays a number; the text is escaped
    assert safe["kind"].tolist() == ["'@x", "y"]
    assert list(frame.columns) == ["=label", "mixed", "kind"]  # input untouched


def test_csv_has_bom_arabic_and_no_live_formulas(tmp_path: Path) -> None:
    path = write_csv(_comments(), tmp_path / "out" / "drivers.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert ARABIC in text
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert len(back) == 9  # a CR inside a comment does not split its row
    assert back["text"].iloc[5] == "'\r=1"
    assert back["text"].iloc[0] == "'" + DANGEROUS[0]
    assert back["text"].iloc[2] == "'-2+3"
    assert back["nps_impact"].iloc[0] == -5.5  # a number, not "'-5.5"
    assert not any(cell.startswith(("=", "+", "@")) for cell in back["text"].dropna())


def test_xlsx_reads_back_with_arabic_formula_safety_and_columns_sheet(tmp_path: Path) -> None:
    overall = pd.DataFrame({"label": ["All comments"], "nps": [12.5]})
    path = write_xlsx({"drivers": _comments(), "overall": overall}, tmp_path / "report.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["drivers", "overall", "columns"]
    sheet = workbook["drivers"]
    assert [cell.value for cell in sheet[1]] == ["text", "nps_impact", "n_comments", "date"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    texts = [sheet.cell(row=r, column=1).value for r in range(2, 11)]
    assert texts[6] == ARABIC
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 10))  # no formulas
    assert texts[0] == "'" + DANGEROUS[0]
    assert sheet.cell(row=2, column=2).value == -5.5 and sheet.cell(row=2, column=2).data_type == "n"
    assert sheet.cell(row=10, column=2).value is None  # NaN -> empty cell
    assert 8 <= sheet.column_dimensions["A"].width <= 60

    described = {(row[0], row[1]): row[2] for row in workbook["columns"].iter_rows(min_row=2, values_only=True)}
    assert set(described) == {("drivers", c) for c in _comments().columns} | {("overall", "label"), ("overall", "nps")}
    assert described[("drivers", "nps_impact")] == "Drag in NPS points."


def test_xlsx_explicit_descriptions_win(tmp_path: Path) -> None:
    path = write_xlsx({"drivers": _comments()}, tmp_path / "r.xlsx", column_descriptions={"text": "Verbatim."})
    rows = list(load_workbook(path)["columns"].iter_rows(min_row=2, values_only=True))
    assert ("drivers", "text", "Verbatim.") in rows


@pytest.mark.parametrize("sheets", [{}, {"columns": pd.DataFrame()}, {"a" * 32: pd.DataFrame()}, {"a/b": pd.DataFrame()}])
def test_xlsx_rejects_bad_sheet_names(tmp_path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(ValidationError):
        write_xlsx(sheets, tmp_path / "bad.xlsx")


def test_xlsx_drops_characters_excel_cannot_store(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["bell\x07 here", "tab\tkept"]})
    sheet = load_workbook(write_xlsx({"t": frame}, tmp_path / "c.xlsx"))["t"]
    assert sheet["A2"].value == "bell here"
    assert sheet["A3"].value == "tab\tkept"


def test_parquet_and_json_keep_text_verbatim(tmp_path: Path) -> None:
    frame = _comments()
    back = pd.read_parquet(write_parquet(frame, tmp_path / "d.parquet"))
    assert back["text"].iloc[0] == DANGEROUS[0] and back["text"].iloc[6] == ARABIC
    assert back["nps_impact"].iloc[0] == -5.5

    path = write_json(frame, tmp_path / "d.json")
    raw = path.read_text(encoding="utf-8")
    assert ARABIC in raw  # force_ascii=False: no \\u escapes
    rows = json.loads(raw)
    assert len(rows) == 9 and rows[8]["text"] is None and rows[0]["nps_impact"] == -5.5


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drivers.csv"
    write_csv(pd.DataFrame({"a": [1]}), path)
    before = path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    with pytest.raises(OSError, match="disk full"):
        write_csv(pd.DataFrame({"a": [2]}), path)
    assert path.read_bytes() == before  # the good file survived
    assert [p.name for p in tmp_path.iterdir()] == ["drivers.csv"]  # no temp file left behind
