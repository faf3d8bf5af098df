"""A file saved without its header row: its first line is an answer, kept as data.

The layout is that of a public Microsoft Forms export found without its header line
(bench/results/real_exports_heldout2.md, file G): Id, Start time, Completion time, Email, Name,
grade, a 1-10 satisfaction, "Please explain your rating", ... The rows below are written for this
test (no respondent's words or address).
"""

from __future__ import annotations

import pandas as pd
import pytest

import cxtext
from cxtext.io.layouts import NO_HEADER, header_is_data
from cxtext.io.read import read_table

HEADERLESS_FORMS = (
    "\ufeff1,4/15/2026 22:38,4/15/2026 22:39,anonymous,,G9,7,The noodles are fine but the queue is long.,"
    "Shorter queues,,No\n"
    "2,4/15/2026 22:47,4/15/2026 22:50,anonymous,,G10,6,Too expensive for small portions most days.,"
    "Lower prices,Italian,\n"
    "3,4/15/2026 22:52,4/15/2026 23:02,student.a@example.org,Student A,G9,3,I can never find a seat at lunch.,"
    "More seats,Taste Of Asia,no\n"
    "4,4/16/2026 08:01,4/16/2026 08:03,student.b@example.org,Student B,G11,8,Good variety and friendly staff.,"
    "Keep the menu,Chef's Table,\n"
    "5,4/16/2026 09:12,4/16/2026 09:15,anonymous,,G8,2,Salty food and the price keeps going up.,"
    "Less salt,Revolutionary Noodles,no\n"
)


def test_first_line_of_a_headerless_forms_export_stays_an_answer(tmp_path):
    path = tmp_path / "Quick Questions.csv"
    path.write_bytes(HEADERLESS_FORMS.encode("utf-8"))
    table = read_table(path)
    assert table.layout == NO_HEADER
    assert len(table.frame) == 5  # not 4: the first answer is not eaten as a header
    assert list(table.frame.columns)[:3] == ["column_1", "column_2", "column_3"]
    assert table.frame["column_8"].iloc[0] == "The noodles are fine but the queue is long."
    feedback = cxtext.load(path)
    assert len(feedback.records) == 5
    assert feedback.mapping.text == "column_8"  # the longest free text: "Please explain your rating"
    assert feedback.mapping.date == "column_2"


def test_headerless_xlsx_keeps_its_first_row(tmp_path):
    rows = [line.split(",") for line in HEADERLESS_FORMS.lstrip("\ufeff").splitlines()]
    frame = pd.DataFrame([[int(r[0]), *r[1:6], int(r[6]), *r[7:]] for r in rows])
    path = tmp_path / "forms.xlsx"
    frame.to_excel(path, header=False, index=False)
    table = read_table(path)
    assert table.layout == NO_HEADER
    assert len(table.frame) == 5


@pytest.mark.parametrize(
    "text",
    [
        "id,date,email,comment\n1,2026-01-02,a@example.org,slow app\n2,2026-01-03,b@example.org,ok\n"
        "3,2026-01-04,c@example.org,fine\n",
        # a wide table whose headers are years: numbers over numbers, but no date or address
        "region,2019,2020,2021\nNorth,1,2,3\nSouth,4,5,6\nEast,7,8,9\nWest,1,1,1\n",
        # a header of one date only
        "2026-01-02,comment\n2026-01-03,slow\n2026-01-04,fast\n2026-01-05,ok\n",
    ],
)
def test_real_headers_are_still_headers(tmp_path, text):
    path = tmp_path / "dump.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table.layout != NO_HEADER
    assert len(table.frame) == text.count("\n") - 1


def test_header_is_data_needs_a_date_or_address_that_fits_its_column():
    body = pd.DataFrame([["2", "4/16/2026 08:01", "x"], ["3", "4/16/2026 09:12", "y"], ["4", "4/17/2026 10:00", "z"]])
    assert header_is_data(["1", "4/15/2026 22:38", "w"], body)
    assert not header_is_data(["1", "7", "w"], body)  # two numbers, no date: could be a real header
    assert not header_is_data(["id", "submitted", "comment"], body)


def test_a_review_as_the_header_of_a_column_of_reviews_is_read_as_the_first_row(tmp_path):
    """A public Tiki review file (Vietnamese, text + class) saved without its header: the first review named the
    column and was never read, without a word."""
    reviews = [
        "Đọc cuốn sách tập 1, mình đã nhận ra những điều thiếu sót trong quá trình quản trị doanh nghiệp của mình. "
        "Chưa có tầm nhìn, sứ mệnh và các giá trị cốt lõi",
        "Hình thức đóng gói cẩn thận. Sách để trong hộp rất sang. Giá sách hơi cao. Hy vọng nội dung sách sẽ hay và "
        "thực tế.",
        "Đã nhận được sách. Đóng gói rất chỉnh chu và đẹp. Hộp rất sang. Mình đã đọc được gần 1/2 cuốn, nội dung rất "
        "giá trị.",
        "Giao hàng nhanh, sách mới và đẹp, nhưng bìa bị móp một góc nhỏ, mong shop đóng gói kỹ hơn lần sau nhé.",
    ]
    path = tmp_path / "reviews.csv"
    path.write_text("".join(f'"{text}",{label}\n' for text, label in zip(reviews, [0, 0, 1, 2])), encoding="utf-8")
    table = read_table(path)
    assert table.layout == NO_HEADER and len(table.frame) == 4
    assert table.frame.iloc[0, 0].startswith("Đọc cuốn sách tập 1")
    # a long question over its answers is a header: it asks something
    path.write_text('"Please describe in your own words what happened during your last visit to our store and what '
                    'we could do better next time you come in?",0\n'
                    + "".join(f'"{text}",{label}\n' for text, label in zip(reviews, [0, 0, 1, 2])), encoding="utf-8")
    assert read_table(path).layout != NO_HEADER
