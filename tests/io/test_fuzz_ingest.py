"""Property tests: whatever the cells hold, every row is accounted for and
reading a file either works or raises a CxtextError, never anything else."""

from __future__ import annotations

import csv
import re

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cxtext.errors import ColumnMappingError, CxtextError
from cxtext.io.read import read_table
from cxtext.text.normalize import normalize
from cxtext.schema import ColumnMapping
from cxtext.validate import validate

cell = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-1000, max_value=1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["9 - very likely", "n/a", "٩", "10.0", "\u200f\u200b", "🙂🙂", "=HYPERLINK(1)", "7.5"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(cell, cell, cell, cell, cell), min_size=0, max_size=25))
def test_every_row_gets_a_status(rows):
    raw = pd.DataFrame(rows, columns=["text", "nps", "ces", "csat", "date"], dtype=object)
    try:
        records = validate(raw, ColumnMapping(text="text", nps="nps", ces="ces", csat="csat", date="date"))
    except ColumnMappingError as exc:  # a score column holding no score, or most answers off its scale: said
        message = str(exc)
        assert message.startswith("input: column '") and "\n" not in message and " none" in message, message
        return
    assert len(records) == len(raw)
    assert set(records["status"]) <= {"analyzed", "rejected", "blank", "score_only"}
    rejected = records[records["status"] == "rejected"]
    assert (rejected["reason"] != "").all()
    valid_nps = records.loc[records["scores_valid"], "nps"].dropna()
    assert valid_nps.between(0, 10).all()
    normalized = normalize(records)
    assert len(normalized) == len(raw)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["csv", "tsv", "json", "jsonl", "xlsx", "parquet"]))
def test_random_bytes_never_crash_the_reader(tmp_path_factory, data, extension):
    path = tmp_path_factory.mktemp("fuzz") / f"dump.{extension}"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except CxtextError as exc:
        assert "dump." in str(exc)
    else:
        assert isinstance(table.frame, pd.DataFrame)


# ----------------------------------------------------------------- column detection
# Random headers over random column contents, through cxtext.load (read, detect the columns,
# validate): a Feedback or a CxtextError, never another exception. Issue 18, point 7.

SENTENCES = [
    "The app crashes every time I open it", "I was charged twice this month and nobody helps",
    "Great support, thank you", "Delivery took three weeks",
    "التطبيق يتوقف عن العمل بعد التحديث", "خدمة العملاء لا ترد والانتظار طويل جدا", "ممتاز",
    "Am fost taxat de două ori luna asta", "Aplicația se blochează mereu", "Foarte mulțumit",
]
HEADERS = [
    "comment", "Comment", "comments", "feedback", "verbatim", "text", "why", "review", "Review_Date", "tweet",
    "nps", "NPS Score (0-10)", "score", "Score", "likelihood_to_recommend", "rating", "ces", "effort", "csat",
    "satisfaction", "date", "submitted_at", "created", "time", "id", "Response ID", "uuid", "channel", "source",
    "segment", "plan", "region", "Q1", "Q2", "Q3_TEXT", "", " ", "Unnamed: 0", "column_2", "1", "0", "تعليق",
    "التاريخ", "comentariu", "data", "😀", "feedback_flag", "nps_comment", "comment_2",
]
_dates = st.datetimes(min_value=pd.Timestamp("1999-01-01").to_pydatetime(),
                      max_value=pd.Timestamp("2031-12-31").to_pydatetime())
CONTENTS = {
    "nps": st.integers(0, 10),
    "nps text": st.sampled_from(["9", "10 - extremely likely", "0", " 7 ", "٩", "8.0", "n/a", ""]),
    "numbers": st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True)),
    "small numbers": st.integers(1, 7),
    "dates": _dates.map(lambda d: d.strftime("%Y-%m-%d")),
    "day-first dates": _dates.map(lambda d: d.strftime("%d/%m/%Y %H:%M")),
    "datetimes": _dates,
    "booleans": st.booleans(),
    "boolean text": st.sampled_from(["yes", "no", "TRUE", "false", "0", "1", "Y", "N"]),
    "ids": st.integers(1, 99999).map(lambda i: f"R{i:05d}"),
    "uuids": st.uuids().map(str),
    "short codes": st.sampled_from(["GB", "RO", "AE", "A1", "B2B", "SMS", "web", "ios", "x"]),
    "sentences": st.sampled_from(SENTENCES),
    "two sentences": st.tuples(st.sampled_from(SENTENCES), st.sampled_from(SENTENCES)).map(". ".join),
    "free text": st.text(max_size=40),
    "empty": st.sampled_from([None, "", " "]),
    "anything": cell,
}


@st.composite
def random_tables(draw) -> pd.DataFrame:
    n_rows = draw(st.integers(min_value=0, max_value=12))
    n_columns = draw(st.integers(min_value=1, max_value=6))
    headers, columns = [], []
    for _ in range(n_columns):
        headers.append(draw(st.one_of(st.sampled_from(HEADERS), st.text(max_size=12))))
        kind = draw(st.sampled_from(sorted(CONTENTS)))
        values = draw(st.lists(CONTENTS[kind], min_size=n_rows, max_size=n_rows))
        if n_rows and draw(st.booleans()):  # a few holes, as real exports have
            values[draw(st.integers(0, n_rows - 1))] = None
        columns.append(values)
    return pd.DataFrame({i: column for i, column in enumerate(columns)}, dtype=object).set_axis(headers, axis=1) \
        if n_rows else pd.DataFrame(columns=headers, dtype=object)


def _check_loaded(load, source, n_rows: int) -> None:
    try:
        feedback = load(source)
    except CxtextError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), repr(str(exc))
        return
    records = feedback.records
    assert set(records["status"]) <= {"analyzed", "rejected", "blank", "score_only"}
    assert (records.loc[records["status"] == "rejected", "reason"].astype(str).str.len() > 0).all()
    # every data row is a record (several comment columns give several), unless it was a survey
    # tool's extra header row, which the table lists
    # (rows of delimiters only below the last filled row are not rows either; the table's note counts them)
    trailing = re.search(r"([\d,]+) empty row\(s\) after the last filled one", feedback.table.note or "")
    trailing_rows = int(trailing.group(1).replace(",", "")) if trailing else 0
    assert records["row"].nunique() + len(feedback.table.skipped_rows) + trailing_rows == n_rows
    # a score-only file maps no comment column (its scores are analysed alone); else the comment column exists
    assert feedback.mapping.text in feedback.table.frame.columns or (
        feedback.decision.scores_only and any(feedback.mapping.mapped().get(r) for r in ("nps", "ces", "csat", "rating")))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_column_detection_on_random_frames(frame):
    import cxtext

    _check_loaded(cxtext.load, frame, len(frame))


def _blank(value) -> bool:
    # a cell of spaces is an empty cell to the readers too (a last row of spaces is not a row)
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _write(frame: pd.DataFrame, path) -> None:
    fmt = path.suffix.lstrip(".")
    if fmt == "csv":
        # a lone blank header line cannot be told from a blank line above the header: quote it
        lone_blank = len(frame.columns) == 1 and not str(frame.columns[0]).strip()
        frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL if lone_blank else csv.QUOTE_MINIMAL)
    elif fmt == "xlsx":
        frame.to_excel(path, index=False)
    else:  # JSON and Parquet need unique string headers, as such files have
        unique = frame.set_axis([f"{h}#{i}" if list(frame.columns).count(h) > 1 else str(h)
                                 for i, h in enumerate(frame.columns)], axis=1)
        if fmt == "json":
            unique.to_json(path, orient="records", force_ascii=False, date_format="iso", default_handler=str)
        else:
            try:
                unique.to_parquet(path, index=False)
            except Exception:  # a column of mixed types: the writer wants one type per column
                unique.astype(str).to_parquet(path, index=False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables(), st.sampled_from(["csv", "xlsx", "json", "parquet"]))
def test_column_detection_on_random_files(tmp_path_factory, frame, fmt):
    import cxtext

    # Shapes no reader can tell apart from another, left out:
    # a sheet whose header cells are all blank starts with an empty row (its first comment is the header);
    # a sheet ends at its last filled row (an all-empty last row is not there);
    # a one-column CSV ending in an empty comment ends in an empty line, which is the file's last newline
    last_blank = len(frame) > 0 and all(_blank(v) for v in frame.iloc[-1])
    assume(not (fmt == "xlsx" and (all(not str(h).strip() for h in frame.columns) or last_blank)))
    assume(not (fmt == "csv" and len(frame.columns) == 1 and last_blank))
    path = tmp_path_factory.mktemp("columns") / f"export.{fmt}"
    _write(frame, path)
    # a file's rows are counted from the file: with no rows, the reader refuses it (naming the file)
    _check_loaded(cxtext.load, path, len(frame))
