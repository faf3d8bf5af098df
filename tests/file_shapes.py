"""Odd file shapes a real export can take, written as real files (issue 18, point 6).

Each :class:`Shape` writes one file and says what cxtext must make of it:

* ``"error"``: a :class:`cxtext.errors.CxtextError` whose message names the
  file and contains every phrase of ``says`` (the CLI: exit code 2, that one
  line on stderr, no traceback);
* ``"outputs"``: a valid analysis of ``rows`` input rows, every row accounted
  for; when it finds no theme, ``summary.json`` says why in
  ``no_themes_reason``, which contains every phrase of ``says``.

``args`` are extra CLI flags (Python: the same as keyword arguments).
Used by tests/io/test_file_shapes.py (CLI, ``cxtext.load``, ``cxtext.analyze``)
and tests/test_fuzz_analyze.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

COMMENTS = [
    "The app crashes every time I open the card screen",
    "I was charged twice for the same plan this month",
    "Nobody answers the support line, I waited an hour",
    "التطبيق يتوقف ويغلق بعد التحديث الأخير",
    "Am fost taxat de două ori luna aceasta, vreau banii înapoi",
]


@dataclass(frozen=True)
class Shape:
    name: str
    filename: str
    write: Callable[[Path], None]
    outcome: str  # "error" or "outputs"
    says: tuple[str, ...] = ()
    rows: int = 0  # data rows of the file, for "outputs"
    args: dict[str, str] = field(default_factory=dict)
    xfail: str = ""  # why this shape's outcome is still wrong, and the fix (file, function, change)

    def cli_args(self) -> list[str]:
        return [part for role, column in self.args.items() for part in (f"--{role}", column)]


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _json(value: object) -> Callable[[Path], None]:
    return lambda path: path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _sheet(*rows: list, extra_sheets: dict[str, list[list]] | None = None) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Responses"
        for row in rows:
            sheet.append(row)
        for title, more in (extra_sheets or {}).items():
            other = workbook.create_sheet(title)
            for row in more:
                other.append(row)
        workbook.save(path)
    return write


def _calculated(write: Callable[[Path], None], results: dict[str, str]) -> Callable[[Path], None]:
    """An XLSX as Excel saves it: each formula cell with its result stored (openpyxl writes none)."""
    import re
    import zipfile

    def save(path: Path) -> None:
        write(path)
        with zipfile.ZipFile(path) as book:
            parts = {name: book.read(name) for name in book.namelist()}
        sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
        for cell, value in results.items():
            sheet = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v></v>', rf"\g<1><v>{value}</v>", sheet)
        parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
            for name, content in parts.items():
                book.writestr(name, content)
    return save


def _parquet(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda path: frame.to_parquet(path, index=False)


def _csv_rows(header: str, rows: list[str]) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


SCORED = [f'"{c}",{s}' for c, s in zip(COMMENTS, [2, 1, 3, 0, 4])]

SHAPES: list[Shape] = [
    # ---------------------------------------------------------------- no data rows
    Shape("header-only csv", "header_only.csv", _text("comment,nps\n"), "error",
          ("has a header (comment, nps) but no data rows", "Export it again")),
    Shape("header-only csv without newline", "header_only_nonl.csv", _text("comment,nps"), "error",
          ("no data rows",)),
    Shape("header-only one column", "header_only_one_col.csv", _text("comment\n"), "error", ("no data rows",)),
    Shape("header-only xlsx", "header_only.xlsx", _sheet(["comment", "nps"]), "error", ("no data rows",)),
    Shape("parquet without rows", "no_rows.parquet",
          _parquet(pd.DataFrame({"comment": pd.Series([], dtype=str), "nps": pd.Series([], dtype="int64")})),
          "error", ("no data rows",)),
    Shape("parquet without columns", "no_columns.parquet", _parquet(pd.DataFrame()), "error",
          ("has no columns",)),
    Shape("BOM only", "bom_only.csv", _text("\ufeff"), "error", ("the file is empty",)),
    Shape("UTF-16 header only", "header_only_utf16.csv", _text("comment\tnps\r\n", "utf-16"), "error",
          ("has a header (comment, nps) but no data rows",)),
    Shape("header over blank lines", "header_blank_lines.csv", _text("comment,nps\n\n \n\n"), "error",
          ("no data rows",)),
    Shape("rows of delimiters only", "only_delimiters.csv", _text("comment,nps\n,\n,\n;\n"), "outputs",
          ("none of the 1 analysed comments has content",), rows=3, args={"text": "comment"}),
    Shape("blank lines only", "blank_lines.csv", _text("\n \n\t\n"), "error", ("the file is empty",)),
    # ---------------------------------------------------------------- tiny files
    Shape("one row", "one_row.csv", _text(_csv_rows("comment,nps", SCORED[:1])), "outputs",
          ("only one comment has content",), rows=1),
    Shape("one column", "one_column.csv", _text(_csv_rows("comment", [f'"{c}"' for c in COMMENTS])), "outputs",
          rows=5),
    Shape("one column, commas unquoted", "one_column_commas.csv",
          _text(_csv_rows("comment", ["The app crashes, every time, really", "Billing is wrong, twice",
                                      "Support never answers; I waited an hour"])), "outputs", rows=3),
    Shape("the same comment twice", "same_twice.csv",
          _text(_csv_rows("comment,nps", ['"The app crashes every time",3', '"The app crashes every time",4'])),
          "outputs", rows=2),
    Shape("a blank line inside a one-column CSV", "one_column_blank_line.csv",
          _text("comment\n" + "\n".join([COMMENTS[0], "", COMMENTS[1], COMMENTS[2]]) + "\n\n"), "outputs", rows=4),
    Shape("an empty row inside a sheet", "empty_row.xlsx",
          _sheet(["comment", "nps"], [COMMENTS[0], 3], [None, None], [COMMENTS[1], 4]), "outputs", rows=3),
    # ---------------------------------------------------------------- nothing left to theme
    Shape("every row rejected", "all_rejected.csv",
          _text(_csv_rows("comment,nps", ['"The app crashes all the time",11', '"Billing is wrong",ten',
                                          '"Support is slow",-1'])),
          "outputs", ("every row was rejected (3)", "rejection_reasons"), rows=3, args={"nps": "nps"}),
    Shape("only non-answers", "non_answers.csv",
          _text(_csv_rows("comment,nps", ["🙂🙂🙂,9", "n/a,7", "nothing,8", "---,3", "لا يوجد,5", "nimic,6",
                                          "👍,10"])),
          "outputs", ("none of the 7 analysed comments has content", "'no comment' group"), rows=7,
          args={"text": "comment"}),
    Shape("empty comments, scores only", "empty_comments.csv", _text(_csv_rows("comment,nps", [",3", " ,9", '"",7'])),
          "outputs", ("every row was rejected",), rows=3, args={"text": "comment"}),
    # ---------------------------------------------------------------- headers
    Shape("duplicate headers", "duplicate_headers.csv",
          _text(_csv_rows("comment,comment,nps,nps",
                          [f'"{c}","{c} again",{s},{s}' for c, s in zip(COMMENTS, [1, 2, 3, 4, 5])])),
          "outputs", rows=5),
    Shape("a header equal to a renamed duplicate", "renamed_duplicate.csv",
          _text(_csv_rows("comment_2,comment,comment", [f'x,"{c}",y' for c in COMMENTS])), "outputs", rows=5),
    Shape("empty headers", "empty_headers.csv",
          _text(_csv_rows(",,", [f'"{c}",{s},r{i}' for i, (c, s) in enumerate(zip(COMMENTS, [1, 2, 3, 4, 5]))])),
          "outputs", rows=5),
    Shape("no column holds text", "no_text.csv", _text(_csv_rows("a,b", ["1,2", "3,4"])), "error",
          ("Columns found: a", "--text")),
    Shape("ragged rows", "ragged.csv", _text(_csv_rows("comment,nps", ["The app crashes,3,extra,more", "fine,5"])),
          "error", ("line 2 has 4 cells but the header has 2",)),
    Shape("unclosed quote", "unclosed_quote.csv", _text('comment,nps\n"the app crashes,3\n'), "error",
          ("could not be read as CSV", "quoted cell")),
    Shape("a stray quote above whole rows", "stray_quote.csv",
          _text(_csv_rows("comment,nps", ['"The app crashes,3', "Billing is wrong,4", "Support is slow,5"])),
          "error", ("line 2: a quoted cell opens there and is never closed",)),
    # a download or copy that stopped part-way: the rows above the unfinished one are read, and a warning says so
    Shape("cut short inside its last row", "cut_short.csv",
          _text(_csv_rows("comment,nps", [f'"{c}",{s}' for c, s in zip(COMMENTS[:4], [1, 2, 3, 4])])
                + '"Support never answers, I waited'), "outputs", rows=4),
    # Excel's delimiter hint: "sep=;" as the first line names the delimiter (it was read as the header)
    Shape("excel sep= hint line", "sep_hint.csv",
          _text("sep=;\r\n" + _csv_rows("comment;nps", [f"{c};{s}" for c, s in zip(COMMENTS, [1, 2, 3, 4, 5])])),
          "outputs", rows=5),
    # below a sep= line, line numbers in a message are the file's (the hint line counts)
    Shape("excel sep= hint line over a stray quote", "sep_hint_stray_quote.csv",
          _text("sep=;\n" + _csv_rows("comment;nps", ['"The app crashes;3', "Billing is wrong;4", "Support is slow;5"])),
          "error", ("line 3: a quoted cell opens there and is never closed",)),
    # a report's title line above the header: the header is the line under it (it was an error)
    Shape("csv with a title line above the header", "title_line.csv",
          _text("NPS responses - October 2026\n" + _csv_rows("comment,nps", SCORED)), "outputs", rows=5),
    # ---------------------------------------------------------------- spreadsheets
    # title rows above a workbook's header (the title was read as the header, the scores went unread)
    Shape("xlsx with title rows above the header", "title_rows.xlsx",
          _sheet(["NPS responses export"], ["Generated 2026-10-31"], [], ["date", "score", "feedback"],
                 *[[f"2026-10-{d:02d}", s, c] for d, (c, s) in enumerate(zip(COMMENTS, [2, 1, 3, 0, 4]), start=1)]),
          "outputs", rows=5),
    Shape("xlsx of formulas only", "formulas.xlsx",
          _sheet(["comment", "nps"], ['=CONCAT("app ","crash")', "=1+2"], ['="billing"', "=2*3"]),
          "error", ("holds formulas whose results were never saved", "Open the file in Excel or LibreOffice")),
    Shape("xlsx with a formula header", "formula_header.xlsx", _sheet(["=1+1", "=2+2"], ["=A1", "=B1"]),
          "error", ("formula",)),
    Shape("xlsx with scores as formulas", "formula_scores.xlsx",
          _sheet(["comment", "nps"], *[[c, f"={s}+0"] for c, s in zip(COMMENTS, [1, 2, 3, 4, 5])]),
          "error", ("holds formulas whose results were never saved", "first: B2")),
    Shape("xlsx with scores as formulas, saved by Excel", "formula_scores_saved.xlsx",
          _calculated(_sheet(["comment", "nps"], *[[c, f"={s}+0"] for c, s in zip(COMMENTS, [1, 2, 3, 4, 5])]),
                      {f"B{i}": str(s) for i, s in zip(range(2, 7), [1, 2, 3, 4, 5])}),
          "outputs", rows=5, args={"nps": "nps"}),
    Shape("empty sheet", "empty_sheet.xlsx", _sheet(), "error", ("sheet 'Responses' is empty",)),
    Shape("empty first sheet, data on the second", "second_sheet.xlsx",
          _sheet(extra_sheets={"Data": [["comment", "nps"], *[[c, 3] for c in COMMENTS]]}), "error",
          ("sheet 'Responses' is empty", "Responses, Data", "--sheet")),
    # ---------------------------------------------------------------- JSON
    Shape("JSON number", "scalar.json", _text("42"), "error", ("holds a number (42), not a list of records",)),
    Shape("JSON string", "string.json", _json("hello"), "error", ("holds a string",)),
    Shape("JSON null", "null.json", _text("null"), "error", ("holds null",)),
    Shape("JSON empty list", "empty_list.json", _json([]), "error", ("holds no records",)),
    Shape("JSON empty object", "empty_object.json", _json({}), "error", ("empty object",)),
    Shape("JSON list of numbers", "numbers.json", _json([1, 2, 3]), "error",
          ("item 1 of the list is a number (1), not a record",)),
    Shape("JSON list of lists", "lists.json", _json([["a", 1], ["b", 2]]), "error", ("is a list, not a record",)),
    Shape("JSON records then a number", "mixed.json", _json([{"comment": COMMENTS[0], "nps": 3}, 5]), "error",
          ("item 2 of the list is a number",)),
    Shape("JSON with two lists of records", "two_lists.json",
          _json({"a": [{"comment": "x"}], "b": [{"comment": "y"}]}), "error", ("several lists of records (a, b)",)),
    Shape("JSON records nested two levels down", "nested.json",
          _json({"meta": {"count": 5}, "data": {"items": [{"comment": c, "nps": 3} for c in COMMENTS]}}),
          "outputs", rows=5),
    Shape("JSON columns", "columns.json", _json({"comment": COMMENTS, "nps": [1, 2, 3, 4, 5]}), "outputs", rows=5),
    Shape("JSON one record", "one_record.json", _json({"comment": COMMENTS[0], "nps": 2}), "outputs",
          ("only one comment",), rows=1),
    Shape("JSON records with nested values", "nested_values.json",
          _json([{"comment": {"text": c, "lang": "en"}, "nps": [s], "tags": None} for c, s in zip(COMMENTS, [1, 2, 3, 4, 5])]),
          "outputs", rows=5),
    Shape("JSON Lines with a list line", "mixed.jsonl",
          _text('{"comment": "the app crashes", "nps": 3}\n[1, 2]\n'), "error", ("line 2 is a list, not a record",)),
    Shape("JSON Lines of numbers", "numbers.jsonl", _text("1\n2\n"), "error", ("line 1 is a number",)),
    Shape("JSON Lines cut short inside its last record", "cut_short.jsonl",
          _text("".join(json.dumps({"comment": c, "nps": s}, ensure_ascii=False) + "\n"
                        for c, s in zip(COMMENTS[:3], [1, 2, 3])) + '{"comment": "Support never ans'),
          "outputs", rows=3),
    Shape("JSON Lines with a broken line above others", "broken_line.jsonl",
          _text('{"comment": "the app crashes", "nps": 3}\n{"comment": "billing\n{"comment": "slow", "nps": 4}\n'),
          "error", ("line 2 is not valid JSON",)),
    Shape("truncated JSON", "truncated.json", _text('[{"comment": "the app cra'), "error",
          ("could not be read as JSON (line 1",)),
]

BY_NAME = {shape.name: shape for shape in SHAPES}


def params(shapes: list[Shape]) -> list:
    """pytest parameters, the shapes still wrong marked xfail(strict) with their fix."""
    import pytest

    return [pytest.param(s, id=s.name, marks=[pytest.mark.xfail(strict=True, reason=s.xfail)] if s.xfail else [])
            for s in shapes]
