"""cxtext.io.read and cxtext.io.columns: formats, encodings, delimiters and column auto-detection."""

from __future__ import annotations

import codecs
import json

import pandas as pd
import pytest

from cxtext.errors import ColumnMappingError, InputError
from cxtext.io.columns import detect_mapping
from cxtext.io.read import read_table

ROWS = [
    {"comment": "Aplicația se blochează după actualizare", "nps": "3", "channel": "survey"},
    {"comment": "التطبيق بطيء جدا ولا يعمل", "nps": "2", "channel": "survey"},
    {"comment": "Refund took too long; café closed", "nps": "9", "channel": "twitter"},
]


def _csv_text(delimiter: str = ",") -> str:
    lines = [delimiter.join(ROWS[0])]
    lines += [delimiter.join(f'"{v}"' if delimiter in v else v for v in row.values()) for row in ROWS]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "dump.csv"
    path.write_bytes(_csv_text().encode(encoding))
    table = read_table(path)
    assert table.frame["comment"].tolist() == [r["comment"] for r in ROWS]
    assert list(table.frame.columns) == ["comment", "nps", "channel"]


def test_windows_1256_arabic(tmp_path):
    path = tmp_path / "arabic.csv"
    text = "comment,nps\nالتطبيق بطيء جدا ولا يعمل,2\nخدمة ممتازة وسريعة,10\n"
    path.write_bytes(text.encode("cp1256"))
    table = read_table(path)
    assert table.encoding == "cp1256"
    assert table.frame["comment"][0] == "التطبيق بطيء جدا ولا يعمل"


def test_windows_1250_romanian(tmp_path):
    path = tmp_path / "ro.csv"
    # cp1250 has ş/ţ (cedilla), which is what Windows exports of Romanian contain.
    text = "comentariu,nps\nAplicaţia se blochează mereu,3\nPreţul este bun şi corect,9\n"
    path.write_bytes(text.encode("cp1250"))
    table = read_table(path)
    assert table.encoding == "cp1250"
    assert table.frame["comentariu"][0] == "Aplicaţia se blochează mereu"


def test_latin_1(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_bytes("comment,nps\nLe café était froid à l'arrivée,4\n".encode("latin-1"))
    table = read_table(path)
    assert table.encoding == "latin-1"
    assert table.frame["comment"][0] == "Le café était froid à l'arrivée"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    path = tmp_path / "dump.csv"
    path.write_text(_csv_text(delimiter), encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.frame["comment"][2] == ROWS[2]["comment"]


def test_tsv_extension(tmp_path):
    path = tmp_path / "dump.tsv"
    path.write_text(_csv_text("\t"), encoding="utf-8")
    assert read_table(path).frame.shape == (3, 3)


def test_xlsx_first_sheet_and_named_sheet(tmp_path):
    path = tmp_path / "dump.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(ROWS).to_excel(writer, sheet_name="Responses", index=False)
        pd.DataFrame({"note": ["other sheet"]}).to_excel(writer, sheet_name="Notes", index=False)
    first = read_table(path)
    assert first.sheet == "Responses"
    assert first.frame["comment"].tolist() == [r["comment"] for r in ROWS]
    assert read_table(path, sheet="Notes").frame["note"][0] == "other sheet"
    with pytest.raises(InputError, match="no sheet 'Missing'.*Responses, Notes"):
        read_table(path, sheet="Missing")


def test_json_jsonl_parquet(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS),
                                      encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"responses": ROWS}), encoding="utf-8")
    pd.DataFrame(ROWS).to_parquet(tmp_path / "d.parquet")
    for name in ("a.json", "b.jsonl", "c.json", "d.parquet"):
        frame = read_table(tmp_path / name).frame
        assert frame["comment"].tolist() == [r["comment"] for r in ROWS], name


def test_dataframe_passes_through():
    table = read_table(pd.DataFrame(ROWS))
    assert table.format == "frame" and len(table.frame) == 3


@pytest.mark.parametrize("content,name,message", [
    (b"", "empty.csv", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv", "NUL bytes"),
    (b"comment,nps\nhi,3", "dump.docx", "cannot tell the format"),
    (b"not a zip file", "book.xlsx", "could not be read as XLSX"),
    (b'[{"comment": "trunc', "cut.json", "could not be read as JSON"),
])
def test_unreadable_files_name_the_file(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_table(path)
    assert name in str(info.value)


def test_missing_file():
    with pytest.raises(InputError, match="file not found"):
        read_table("/nonexistent/dump.csv")


def test_duplicate_and_empty_headers_are_made_unique(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text("comment,comment,,nps\na,b,c,3\n", encoding="utf-8")
    assert list(read_table(path).frame.columns) == ["comment", "comment_2", "column_3", "nps"]


@pytest.mark.parametrize("headers,expected", [
    (["Response ID", "Comment", "NPS Score (0-10)", "Effort", "Submitted At", "Channel", "Segment"],
     {"text": "Comment", "nps": "NPS Score (0-10)", "ces": "Effort", "date": "Submitted At",
      "source": "Channel", "segment": "Segment", "id": "Response ID"}),
    (["feedback", "ces_score", "csat", "created_at", "platform"],
     {"text": "feedback", "ces": "ces_score", "csat": "csat", "date": "created_at", "source": "platform"}),
    (["tweet_id", "tweet", "posted_at"], {"text": "tweet", "id": "tweet_id", "date": "posted_at"}),
    (["verbatim", "score"], {"text": "verbatim", "nps": "score"}),
])
def test_mapping_auto_detection(headers, expected):
    assert detect_mapping(headers).mapped() == expected


def test_explicit_mapping_wins_and_missing_column_lists_columns():
    mapping = detect_mapping(["Why?", "Score", "comment"], text="Why?", nps="Score")
    assert mapping.text == "Why?" and mapping.nps == "Score"
    with pytest.raises(ColumnMappingError, match="not in the file. Columns found: Why\\?, Score, comment"):
        detect_mapping(["Why?", "Score", "comment"], nps="Rating")


def test_no_text_column_lists_columns_found():
    with pytest.raises(ColumnMappingError, match="no column holds free-text comments. Columns found: a, b"):
        detect_mapping(["a", "b"])


def test_text_column_found_by_content_when_header_is_unknown():
    frame = pd.DataFrame({"q1": [9, 3, 5], "q2": ["The app crashed twice today", "Billing is confusing me",
                                                 "Support never answered my email"]})
    assert detect_mapping(frame.columns, frame=frame).text == "q2"


def test_bom_in_header_is_stripped(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"comment,nps\nok,3\n")
    assert list(read_table(path).frame.columns) == ["comment", "nps"]
