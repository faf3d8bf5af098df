"""Blank lines between a CSV's rows: skipped as no row (as every spreadsheet does), but said, since from
there on a row's number no longer matches its line in the file. A multi-line comment's own blank lines are
inside its cell and are neither skipped nor counted."""

from __future__ import annotations

import cxtext
from cxtext.io.read import read_table


def test_blank_lines_between_rows_are_named_in_the_note(tmp_path):
    path = tmp_path / "export.csv"
    # line 3 is blank; line 6 is a quoted empty first cell alone, which the parser also takes for blank
    path.write_text('comment,nps\nfine service,9\n\n"",\nbad app crashes,x\n""\nok,5\n\n\n', encoding="utf-8")
    table = read_table(path)
    assert table.frame["comment"].tolist() == ["fine service", "", "bad app crashes", "ok"]
    assert table.note == ("2 blank line(s) between the rows (line 3, 6) were skipped, so from there on a row's "
                          "number is lower than its line in the file")
    feedback = cxtext.load(path)
    rejected = feedback.records[feedback.records["status"] == "blank"]
    # rows read, 1-based: line 4 ('"",') is row 2, an empty comment left out with its reason
    assert rejected["row"].tolist() == [2] and rejected["reason"].tolist() == ["empty comment and no score"]


def test_blank_lines_inside_a_quoted_comment_are_not_counted(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('comment,nps\n"First paragraph.\n\nSecond paragraph.",3\nok,9\n', encoding="utf-8")
    table = read_table(path)
    assert table.frame["comment"].tolist() == ["First paragraph.\n\nSecond paragraph.", "ok"]
    assert table.note is None
