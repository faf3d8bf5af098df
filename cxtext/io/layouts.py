"""Survey-tool layouts: the extra header rows some tools put under the header, and the questions they hold.

* **Qualtrics** (CSV, TSV, XLSX): row 1 the short names (``Q1``,
  ``StartDate``), row 2 the question texts ("How likely are you to
  recommend us...?"), row 3 ``{"ImportId":"QID1"}``. Legacy exports have
  only the question row (their ``ResponseID`` column reads "Response ID").
* **SurveyMonkey**: row 1 the questions (``Respondent ID``, ``Collector
  ID``, ...), row 2 "Response" / "Open-Ended Response" or each option of a
  multiple-choice question (whose own header cells are blank).
* **Typeform** (or any export with a row of question groups above its header): the header row names
  a few columns and leaves the rest blank; the row under it names every column and is the header.
* **Any other second header row**: a first data row holding words in every
  column whose other rows are numbers (two such columns at least), e.g. a
  row of labels under short names.
* **No header row at all** (:func:`header_is_data`): a file saved without
  its first line, whose "header" is an answer (numbers, dates, e-mail
  addresses over columns of the same). The readers keep that line as data
  and name the columns ``column_1``, ``column_2``, ... (layout ``NO_HEADER``).

:func:`survey_layout` finds them on the raw frame; :mod:`cxtext.io.read`
drops those rows (they are not counted as rows) and reports them, and the
question texts go to column detection, so ``Q1`` is found as NPS from
"How likely are you to recommend us?".
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from dataclasses import dataclass, field

import pandas as pd

from cxtext.io.cells import read_number
from cxtext.io.table import clean_headers

_IMPORT_ID = re.compile(r'^\s*\{\s*"?ImportId"?\s*:', re.IGNORECASE)
_SURVEYMONKEY_ROW_WORDS = {"response", "open-ended response", "other (please specify)"}
_MAX_EXTRA_HEADER_ROWS = 3
_NUMERIC_SAMPLE = 200


@dataclass(frozen=True)
class SurveyLayout:
    """What was found: the tool (None when plain), the data rows to drop (0-based) with why, the questions."""

    tool: str | None = None
    header_rows: tuple[tuple[int, str], ...] = ()
    questions: dict[str, str] = field(default_factory=dict)
    #: the column names to use instead of the file's header row (a question-group row above the real one)
    header: tuple[str, ...] | None = None


def survey_layout(frame: pd.DataFrame) -> SurveyLayout:
    """Recognise Qualtrics, SurveyMonkey or a generic second header row at the top of ``frame``."""
    if frame.empty:
        return SurveyLayout()
    top = [_cells(frame, i) for i in range(min(_MAX_EXTRA_HEADER_ROWS, len(frame)))]
    for index, cells in enumerate(top):
        if any(_IMPORT_ID.match(c) for c in cells):
            rows = tuple((i, "Qualtrics question-text row" if i < index else "Qualtrics ImportId row")
                         for i in range(index + 1))
            return SurveyLayout("qualtrics", rows, _questions(frame, top[0]) if index >= 1 else {})
    headers = [_norm(c) for c in frame.columns]
    first = [_norm(c) for c in top[0]]
    legacy_names = {"v1", "v2"} <= set(headers) and "responseid" in first
    if legacy_names or "responseid" in headers and ("response id" in first or "responseid" in first):
        return SurveyLayout("qualtrics (legacy)", ((0, "Qualtrics field-name / question-text row"),),
                            _questions(frame, top[0]))
    # the answer-type row under SurveyMonkey's questions; without its "Respondent ID" (a public OHBM export
    # re-saved by pandas, an index column first) three cells "Response" / "Open-Ended Response" say it
    answer_types = sum(cell in ("response", "open-ended response") for cell in first)
    if (any(h in ("respondent id", "respondent_id", "respondentid") for h in headers)
            and set(first) & _SURVEYMONKEY_ROW_WORDS) or answer_types >= 3:
        questions, header = _surveymonkey_questions(frame, top[0])
        return SurveyLayout("surveymonkey", ((0, "SurveyMonkey answer-type row (Response / Open-Ended Response)"),),
                            questions, header)
    group_row = _question_group_row(frame, top[0])
    if group_row is not None:
        return group_row
    return _generic_header_rows(frame, top)


def _question_group_row(frame: pd.DataFrame, first: list[str]) -> SurveyLayout | None:
    """A row of question groups above the real header (Typeform): the header row names a few columns, the
    first questions of each group, and leaves the rest blank; the row under it names every column.

    Read as it is, the group row was the header and the real one an answer, themed as a comment. Taken
    when fewer than half of the header's cells are named, two or more, each of 3+ words (questions), at
    least 90% of the first row's cells are words (not numbers) and it names at least twice as many
    columns. Its cells become the column names; a column under a group gets the group as its question
    ("What operating system(s) do you use? - macOS")."""
    named = [not str(c).startswith("column_") for c in frame.columns]
    filled = [c.strip() != "" and read_number(c) is None for c in first]
    if len(first) < 4 or 2 * sum(named) >= len(named) or sum(filled) < 0.9 * len(first) \
            or sum(filled) < 2 * max(sum(named), 1):
        return None
    # the groups are questions ("What operating system(s) do you use?"), two at least: a header of one short
    # name over unnamed columns ("comment,,,") keeps its first answer
    groups = [str(c) for c, is_named in zip(frame.columns, named) if is_named]
    if len(groups) < 2 or any(len(g.split()) < 3 for g in groups):
        return None
    names = list(clean_headers(pd.DataFrame(columns=[c.strip() for c in first]), "").columns)  # "Other_2"
    questions, group = {}, ""
    for column, is_named, cell, name in zip(frame.columns, named, first, names):
        group = str(column) if is_named else group
        if group and _norm(group) != _norm(cell):
            questions[name] = f"{group} - {cell.strip()}"
    return SurveyLayout("question-group", ((0, "the column names under a row of question groups"),), questions,
                        header=tuple(names))


def _generic_header_rows(frame: pd.DataFrame, top: list[list[str]]) -> SurveyLayout:
    """Leading rows with words where every numeric column below has numbers: a second header row."""
    body = frame.iloc[len(top):len(top) + _NUMERIC_SAMPLE]
    numeric = [column for column in frame.columns if _mostly_numbers(body[column])]
    if len(numeric) < 2:
        return SurveyLayout()
    positions = [frame.columns.get_loc(c) for c in numeric]
    rows = []
    for index, cells in enumerate(top):
        # a number held as a number (a DataFrame's 1e+16 or inf, which read as text "1e+16", "inf") is no word
        typed = [isinstance(frame.iat[index, p], (numbers.Number, _dt.date)) for p in positions]
        words = [cells[p] for p in positions]
        if all(w.strip() and read_number(w) is None and not number for w, number in zip(words, typed)):
            rows.append((index, "a second header row: words where the columns below hold numbers"))
        else:
            break
    if not rows:
        return SurveyLayout()
    return SurveyLayout("extra header rows", tuple(rows), _questions(frame, top[0]))


def _mostly_numbers(values: pd.Series) -> bool:
    present = [v for v in values.tolist() if v is not None and str(v).strip() not in ("", "nan", "None")]
    return len(present) >= 3 and sum(read_number(v) is not None for v in present) >= 0.9 * len(present)


def _cells(frame: pd.DataFrame, index: int) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in frame.iloc[index].tolist()]


def _norm(text: object) -> str:
    return " ".join(str(text).strip().lower().split())


def _questions(frame: pd.DataFrame, question_row: list[str]) -> dict[str, str]:
    """Column -> the question text in the row under the header, where it says more than the header."""
    return {str(column): text.strip() for column, text in zip(frame.columns, question_row)
            if text.strip() and _norm(text) != _norm(column)}


def _surveymonkey_questions(frame: pd.DataFrame, answer_row: list[str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """The questions under SurveyMonkey's header, and the header with its blank cells named.

    A blank-headed column belongs to the question to its left: it is named "question - option" ("What barriers
    ...? - Other (please specify)"), not ``column_85``, so a user can tell what it holds and the write-in rules
    read it. A column whose answer row says "Open-Ended Response" gets that as its question: the survey tool's
    own word that it holds free text."""
    questions: dict[str, str] = {}
    header: list[str] = []
    current = ""
    for column, answer in zip(frame.columns, answer_row):
        blank = str(column).startswith("column_")
        if not blank:
            current = str(column)
        option = answer.strip()
        if blank and current:
            header.append(f"{current} - {option}" if option else current)
            continue
        header.append(str(column))
        if _norm(option) == "open-ended response":
            questions[str(column)] = option
        elif option and _norm(option) not in _SURVEYMONKEY_ROW_WORDS:
            questions[str(column)] = f"{current} - {option}"
    return questions, tuple(header)


# --- a file saved without its header row ------------------------------------------------------------

#: ``LoadedTable.layout`` of a table whose first line was a response, not a header.
NO_HEADER = "no header row"
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_DATE_LIKE = re.compile(r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?$")


def _value_kind(value: object) -> str | None:
    """"number", "date" or "email" for a cell that is plainly a value of that kind (never a name)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (_dt.date, pd.Timestamp)):
        return "date"
    if isinstance(value, (int, float)):
        return None if value != value else "number"
    text = str(value).strip()
    if _PLAIN_NUMBER.match(text):
        return "number"
    if _DATE_LIKE.match(text):
        return "date"
    if _EMAIL.match(text):
        return "email"
    return None


def header_is_data(header: list[object], body: pd.DataFrame) -> bool:
    """True when the "header" line is the first response of a file saved without its header row.

    Seen on a Microsoft Forms export saved without its first line (``1,4/15/2026 22:38,...,G9,7,...``):
    read as a header, one answer vanished and the columns were named after it. The line is taken
    for data when at least two of its cells are plain values (a number, a date such as
    ``4/15/2026 22:38``, an e-mail address) of the kind the column below holds, one of them a date
    or an address, and such cells make at least a third of its filled cells. Real headers are
    names; a header of numbers alone (years over a wide table) is not enough.
    """
    sample = body.iloc[:_NUMERIC_SAMPLE]
    filled = [cell for cell in header if cell is not None and str(cell).strip() not in ("", "nan", "None")]
    if len(sample) < 3 or len(filled) < 2:
        return False
    matched: list[str] = []
    for position, cell in enumerate(header):
        kind = _value_kind(cell)
        if kind is None or position >= sample.shape[1]:
            continue
        values = [v for v in sample.iloc[:, position].tolist()
                  if v is not None and str(v).strip() not in ("", "nan", "None", "NaT")]
        if len(values) >= 3 and sum(_value_kind(v) == kind for v in values) >= 0.8 * len(values):
            matched.append(kind)
    if len(matched) >= 2 and bool({"date", "email"} & set(matched)) and len(matched) * 3 >= len(filled):
        return True
    # a review as the "header" of a column of reviews, beside a value of its column's kind (a public Tiki
    # review file saved without its header: "Đọc cuốn sách tập 1, mình đã ...,0" named the columns, and that
    # review was never read)
    return bool(matched) and any(_is_statement(cell) and _holds_sentences(sample, position)
                                 for position, cell in enumerate(header))


#: A header cell of at least this many words that asks nothing is a comment, not a column's name.
_STATEMENT_WORDS = 20


def _is_statement(cell: object) -> bool:
    text = str(cell) if cell is not None else ""
    return len(text.split()) >= _STATEMENT_WORDS and not re.search(r"[?؟:]", text)


def _holds_sentences(sample: pd.DataFrame, position: int) -> bool:
    """True when the column below holds sentences (10+ words on average): reviews, comments."""
    if position >= sample.shape[1]:
        return False
    values = [str(v) for v in sample.iloc[:, position].tolist() if v is not None and str(v).strip()]
    return len(values) >= 3 and sum(len(v.split()) for v in values) / len(values) >= 10
