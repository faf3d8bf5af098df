"""Help-desk exports: a workbook whose first sheet is a pivot summary, Freshdesk's Excel 2003 XML ".xls",
a subject-only ticket table with satisfaction in words, and a ticket table with the agent's answer beside
the customer's body and empty delimiter-only rows below the data.

The layouts are those of public exports seen in the third held-out batch (bench/results/
real_exports_heldout3.md: a Freshdesk workbook of 13 sheets whose first is "Graphs", Freshdesk's
SpreadsheetML export and its CSV, a multilingual ticket table with subject/body/answer). Every row below is
written for these tests: no ticket, name or address of those files.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import cxtext
from cxtext.errors import InputError
from cxtext.io.columns import detect_columns
from cxtext.io.cells import satisfaction_score
from cxtext.io.read import read_table

SUBJECTS = [
    "RE: Dashboard shows the wrong shift hours for line 4",
    "Cannot export the monthly downtime report to PDF",
    "Fwd: Machine 12 stopped sending counts since Monday",
    "Login page keeps asking for the password again",
    "Please add a filter by plant on the efficiency page",
    "Tablet app crashes when a job card is moved",
    "Downtime reasons are reset after the nightly update",
    "Wrong cycle time on the report for press 7",
    "New user access for the quality team",
    "Daily report arrives twice every morning",
]
SATISFACTION = ["Extremely satisfied", "", "", "Mostly satisfied", "", "Slightly dissatisfied", "", "", "", ""]


def _tickets(n: int = 30) -> list[list]:
    rows = []
    for i in range(n):
        rows.append([17500 + i, SUBJECTS[i % len(SUBJECTS)], ["Resolved", "Closed", "Waiting on Customer"][i % 3],
                     ["Low", "Medium", "High"][i % 3], ["Email", "Portal", "Feedback Widget", "Phone"][i % 4],
                     f"{(i % 27) + 1:02d}/01/2025 {(i % 12) + 8}:{(i * 7) % 60:02d}", 1 + i % 4, 2 + i % 3,
                     SATISFACTION[i % len(SATISFACTION)], "No Product", f"Person {i % 6}",
                     f"person{i % 6}@example.org"])
    return rows


HEADER = ["Ticket ID", "Subject", "Status", "Priority", "Source", "Created time", "Agent interactions",
          "Customer interactions", "Survey results", "Product", "Full name", "Contact ID"]


def _workbook(path, pivot_first: bool = True) -> None:
    book = openpyxl.Workbook()
    graphs = book.active
    graphs.title = "Graphs"
    if pivot_first:
        graphs.append([None, None])
        graphs.append(["Row Labels", "Count of Status"])
        for label, count in (("Resolved", 42), ("Closed", 6), ("Waiting on Customer", 3), ("Grand Total", 51)):
            graphs.append([label, count])
    else:
        graphs.append(["Note"])
        graphs.append(["Tickets of January, exported for the monthly review."])
    by_customer = book.create_sheet("Resolved by customer")
    by_customer.append(["Status", "(Multiple Items)"])
    by_customer.append(["Row Labels", "Count of Tags"])
    for label, count in (("Plant A", 7), ("Plant B", 5), ("Grand Total", 12)):
        by_customer.append([label, count])
    small = book.create_sheet("Master_data_Dec")
    small.append(HEADER)
    for row in _tickets(6):
        small.append(row)
    big = book.create_sheet("Master_data_Since_Jan")
    big.append(HEADER)
    for row in _tickets(30):
        big.append(row)
    book.save(path)


def test_pivot_summary_first_sheet_is_passed_over_for_the_largest_data_sheet(tmp_path):
    path = tmp_path / "Fresh_Desk_Tickets.xlsx"
    _workbook(path)
    table = read_table(path)
    assert table.sheet == "Master_data_Since_Jan"
    assert len(table.frame) == 30
    assert "pivot-table summary" in table.note and "'Graphs'" in table.note and "--sheet" in table.note
    assert "Master_data_Dec" in table.note  # the other sheets are named, so the user can pick one
    feedback = cxtext.load(path)
    mapping = feedback.mapping
    assert mapping.text == "Subject" and not mapping.extra_text
    assert mapping.csat == "Survey results"
    assert mapping.id == "Ticket ID" and mapping.source == "Source" and mapping.date == "Created time"
    assert mapping.segment is None  # "No Product" in every row compares nothing
    assert "Row Labels" not in feedback.table.frame.columns


def test_a_sheet_named_by_the_user_is_read_even_when_it_is_a_pivot(tmp_path):
    path = tmp_path / "tickets.xlsx"
    _workbook(path)
    table = read_table(path, sheet="Graphs")
    assert table.sheet == "Graphs" and table.note is None
    assert read_table(path, sheet=0).sheet == "Graphs"


def test_a_first_sheet_that_is_not_a_pivot_stays_the_default(tmp_path):
    path = tmp_path / "tickets.xlsx"
    _workbook(path, pivot_first=False)
    table = read_table(path)
    assert table.sheet == "Graphs" and table.note is None


def _spreadsheetml(rows: list[list]) -> str:
    def cell(value):
        if value in ("", None):
            return "<ss:Cell/>"
        kind = "Number" if isinstance(value, int) else "String"
        text = str(value).replace("&", "&amp;").replace("<", "&lt;")
        return f'<ss:Cell><ss:Data ss:Type="{kind}">{text}</ss:Data></ss:Cell>'

    body = "\n".join("<ss:Row>" + "".join(cell(v) for v in row) + "</ss:Row>" for row in rows)
    return ('<?xml version="1.0"?>\n<ss:Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
            '  xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
            f'<ss:Worksheet ss:Name="Sheet1"><ss:Table>\n{body}\n</ss:Table></ss:Worksheet></ss:Workbook>\n')


def test_freshdesk_excel_2003_xml_export_named_xls_is_read(tmp_path):
    path = tmp_path / "80000422910_tickets-February-04-2025-12_12.xls"
    path.write_text(_spreadsheetml([HEADER] + _tickets(25)), encoding="utf-8")
    table = read_table(path)
    assert len(table.frame) == 25 and list(table.frame.columns) == HEADER
    assert table.frame["Ticket ID"].iloc[0] == 17500
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "Subject" and feedback.mapping.csat == "Survey results"


def test_spreadsheetml_skipped_cells_keep_their_columns(tmp_path):
    xml = _spreadsheetml([["id", "comment", "score"]]).replace(
        "</ss:Table>",
        '<ss:Row><ss:Cell><ss:Data ss:Type="Number">1</ss:Data></ss:Cell>'
        '<ss:Cell ss:Index="3"><ss:Data ss:Type="Number">9</ss:Data></ss:Cell></ss:Row>'
        '<ss:Row><ss:Cell><ss:Data ss:Type="Number">2</ss:Data></ss:Cell>'
        '<ss:Cell><ss:Data ss:Type="String">Fast and friendly</ss:Data></ss:Cell>'
        '<ss:Cell><ss:Data ss:Type="Number">10</ss:Data></ss:Cell></ss:Row></ss:Table>')
    path = tmp_path / "export.xml"
    path.write_text(xml, encoding="utf-8")
    frame = read_table(path).frame
    assert frame["score"].tolist() == [9, 10]
    assert frame["comment"].iloc[1] == "Fast and friendly"


@pytest.mark.parametrize("content, says", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Excel 97-2003"),
    (b"<html><body><table><tr><td>comment</td></tr></table></body></html>", "HTML page"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ss:Workbook '
     b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"/>', "DTD"),
])
def test_other_xls_files_are_refused_with_what_to_do(tmp_path, content, says):
    path = tmp_path / "tickets.xls"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_table(path)
    assert says in str(error.value) and "tickets.xls" in str(error.value)
    assert ".xlsx or CSV" in str(error.value)


def test_subject_only_ticket_csv_themes_the_subject_and_reads_satisfaction_words(tmp_path):
    path = tmp_path / "tickets(Sheet1).csv"
    pd.DataFrame(_tickets(20), columns=HEADER).to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "Subject"
    assert "subject line" in feedback.mapping_reasons["text"]["why"]
    assert feedback.mapping.csat == "Survey results"
    csat = feedback.records["csat"].dropna().astype(int).tolist()
    assert sorted(set(csat)) == [2, 4, 5]  # slightly dissatisfied, mostly satisfied, extremely satisfied
    assert len(feedback.analyzed) == 20


def test_a_status_column_named_response_is_not_called_a_reply():
    frame = pd.DataFrame(_tickets(10), columns=HEADER)
    frame["First response status"] = ["Within SLA", "SLA Violated"] * 5
    decision = detect_columns(frame.columns, frame=frame)
    passed = {p["column"]: p["why"] for p in decision.reasons["text"]["passed_over"]}
    assert "First response status" not in decision.mapping.text_columns
    # two statuses over and over are labels, not comments, whatever the header says: not even a candidate now
    # (before the small pick-list rule it was passed over as "not the customer's words"); never "a reply"
    assert "support team's reply" not in passed.get("First response status", "")


def test_a_title_beside_a_longer_body_found_by_content_stays_a_title():
    frame = pd.DataFrame({
        "title": ["Great app", "Crashes a lot", "Too many fees", "Love it", "Slow support"] * 8,
        "pros_and_cons": [f"The transfers are quick but the support took {i} days to answer my question "
                          "about the card" for i in range(40)],
    })
    decision = detect_columns(frame.columns, frame=frame)
    assert decision.mapping.text == "pros_and_cons"


@pytest.mark.parametrize("value, score", [
    ("Extremely satisfied", 5), ("Very Satisfied", 5), ("Mostly satisfied", 4), ("Satisfied", 4),
    ("Neither satisfied nor dissatisfied", 3), ("Neutral", 3), ("Slightly dissatisfied", 2),
    ("Extremely dissatisfied", 1), ("Foarte mulțumit", 5), ("Nemulțumit", 2), ("Très satisfaite", 5),
    ("I was satisfied with the answer", None), ("good", None), (7, None),
])
def test_satisfaction_words(value, score):
    assert satisfaction_score(value) == score


TICKETS_CSV = (
    "subject,body,answer,type,queue,priority,language\r\n"
    "Printer offline,\"Dear Support Team,\\n\\nour printer shows offline since the update.\\n\\nBest regards\","
    "\"Thank you for reaching out. Please restart the spooler and tell us the model.\",Incident,"
    "IT Support,high,en\r\n"
    ",\"Hello,\\n\\nI was charged twice for the March invoice and need a refund.\",\"We apologize for the "
    "inconvenience. The duplicate charge will be refunded within 5 days.\",Request,Billing and Payments,"
    "medium,en\r\n"
    "Rechnung doppelt,\"Sehr geehrtes Support-Team,\\n\\nmeine Rechnung wurde zweimal abgebucht.\","
    "\"Vielen Dank für Ihre Nachricht. Wir erstatten den Betrag.\",Request,Billing and Payments,low,de\r\n"
    "Data export,\"Hi,\\n\\ncan I export all dashboards as CSV files?\",\"Yes: open Settings and choose "
    "Export.\",Request,Product Support,low,en\r\n"
    + ",,,,,,\r\n" * 40
)


def test_ticket_table_answer_is_the_agents_reply_and_trailing_empty_rows_are_not_rows(tmp_path):
    path = tmp_path / "tickets-multi-lang.csv"
    path.write_bytes(TICKETS_CSV.encode("utf-8"))
    table = read_table(path)
    assert len(table.frame) == 4
    assert "40 empty row(s)" in table.note
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "body"
    assert "answer" not in feedback.mapping.text_columns
    passed = {p["column"]: p["why"] for p in feedback.mapping_reasons["text"]["passed_over"]}
    assert "support team's reply" in passed["answer"]
    assert len(feedback.records) == 4 and len(feedback.rejected) == 0


def test_answer_in_a_survey_export_stays_the_respondents_comment():
    frame = pd.DataFrame({
        "respondent": range(30),
        "question": ["What should we improve?"] * 30,
        "answer": [f"Please make the checkout faster, it took {i} minutes today" for i in range(30)],
    })
    assert detect_columns(frame.columns, frame=frame).mapping.text == "answer"


def test_an_empty_row_inside_the_table_stays_a_row(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("comment,nps\nGreat service,9\n,\nSlow delivery,3\n,\n,\n", encoding="utf-8")
    table = read_table(path)
    assert len(table.frame) == 3  # the inner empty row keeps row numbers; the last one is dropped


def test_the_date_is_when_the_customer_wrote_not_when_support_replied(tmp_path):
    # a Play Console reviews table saved with its columns in alphabetical order (a public Firefox for Android
    # export, MPL-2.0): "Developer Reply Date and Time" came first and was taken, so trends showed support's replies
    header = ["App Version Name", "Developer Reply Date and Time", "Developer Reply Text", "Review Last Update Date and Time",
              "Review Submit Date and Time", "Review Text", "Star Rating"]
    rows = [["68.0", "2018-06-2{}T10:00:00Z".format(i % 9) if i % 2 else "", "Thanks: fixed in 68.1" if i % 2 else "",
             f"2018-0{1 + i % 5}-15T08:00:00Z", f"2018-0{1 + i % 5}-1{i % 9}T07:30:00Z",
             f"Crashes when I open tab {i}", str(1 + i % 5)] for i in range(30)]
    path = tmp_path / "reviews.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    feedback = cxtext.load(path)
    assert feedback.mapping.date == "Review Submit Date and Time"
    passed = {p["column"]: p["why"] for p in feedback.mapping_reasons["date"]["passed_over"]}
    assert "it dates a later event" in passed["Developer Reply Date and Time"]
