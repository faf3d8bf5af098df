"""cxtext.io.columns, cxtext.io.layouts: roles by header AND content, survey-tool layouts, ratings, several comments.

The layouts are the ones public exports arrive in (an app-store / product
review export, a hotel-review export, Qualtrics and SurveyMonkey CSV/XLSX
with their extra header rows); the values are small, written here.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cxtext
from cxtext.errors import ColumnMappingError
from cxtext.io.columns import detect_columns
from cxtext.io.profile import profile_column
from cxtext.io.read import read_table

COMMENTS_EN = [
    "Delivery was late and nobody answered the phone",
    "The app crashes every time I try to pay",
    "Great product, works exactly as described",
    "Refund took three weeks and I had to call twice",
    "Customer service was friendly and quick",
    "The battery dies after two hours of use",
    "Checkout keeps failing with my credit card",
    "Love the new design, much easier to use",
    "Package arrived damaged and support ignored me",
    "Too expensive for what you get honestly",
]


def _reviews(n: int = 30) -> pd.DataFrame:
    """An Amazon-style review export: rating, date, variation, verified_reviews, feedback (0/1)."""
    return pd.DataFrame({
        "rating": [5, 4, 1, 3, 5, 2, 1, 4, 2, 3][:10] * (n // 10),
        "date": ["31-Jul-18", "30-Jul-18", "29-Jul-18"] * (n // 3),
        "variation": ["Charcoal Fabric", "Walnut Finish", "Heather Gray Fabric"] * (n // 3),
        "verified_reviews": [f"{c} ({i})" for i, c in enumerate(COMMENTS_EN * (n // 10))],
        "feedback": [1, 1, 0, 1, 1, 0, 0, 1, 0, 1] * (n // 10),
    })


def test_a_flag_named_feedback_is_not_the_comment_and_stars_are_a_rating():
    decision = detect_columns(_reviews().columns, frame=_reviews())
    mapping = decision.mapping
    assert mapping.text == "verified_reviews"
    assert mapping.rating == "rating" and mapping.nps is None
    assert decision.rating_scale.label == "1-5"
    assert mapping.date == "date"
    passed = {p["column"]: p["why"] for p in decision.reasons["text"]["passed_over"]}
    assert "feedback" in passed and "0/1 flags" in passed["feedback"]


def test_a_review_date_is_never_the_comment_and_two_review_columns_are_both_taken():
    frame = pd.DataFrame({
        "Hotel_Address": ["s Gravesandestraat 55 Oost 1092 AA Amsterdam Netherlands"] * 10,
        "Review_Date": [f"8/{d}/2017" for d in range(1, 11)],
        "Average_Score": [7.7] * 10,
        "Hotel_Name": ["Hotel Arena"] * 10,
        "Reviewer_Nationality": [" Russia ", " Ireland "] * 5,
        "Negative_Review": [f"{c}, room {i}" for i, c in enumerate(COMMENTS_EN)],
        "Review_Total_Negative_Word_Counts": list(range(10, 20)),
        "Positive_Review": [f"The staff were lovely and the breakfast was great {i}" for i in range(10)],
        "Reviewer_Score": [2.9, 7.5, 10.0, 3.8, 6.7, 9.2, 5.4, 8.8, 4.2, 7.1],
    })
    decision = detect_columns(frame.columns, frame=frame)
    assert decision.mapping.text == "Negative_Review"
    assert decision.mapping.extra_text == ("Positive_Review",)
    assert decision.mapping.date == "Review_Date"
    assert decision.mapping.rating == "Reviewer_Score" and decision.rating_scale.label == "1-10"
    assert decision.mapping.nps is None  # a decimal review score is never NPS


def test_ratings_under_feedback_and_comments_under_notes():
    frame = pd.DataFrame({"Feedback": [1, 2, 3, 4, 5, 2, 1, 4, 5, 3] * 3, "Notes": COMMENTS_EN * 3})
    decision = detect_columns(frame.columns, frame=frame)
    assert decision.mapping.text == "Notes"
    why = {p["column"]: p["why"] for p in decision.reasons["text"]["passed_over"]}["Feedback"]
    assert "header 'Feedback' names it, but its values are whole numbers from 1 to 5" in why


def test_score_with_stars_is_a_rating_and_score_with_0_to_10_is_nps():
    stars = pd.DataFrame({"content": COMMENTS_EN * 3, "score": [1, 2, 3, 4, 5] * 6})
    assert detect_columns(stars.columns, frame=stars).mapping.rating == "score"
    assert detect_columns(stars.columns, frame=stars).mapping.nps is None
    nps = pd.DataFrame({"content": COMMENTS_EN * 3, "score": [0, 3, 6, 7, 8, 9, 10, 9, 10, 2] * 3})
    assert detect_columns(nps.columns, frame=nps).mapping.nps == "score"


def test_no_plausible_comment_column_says_what_each_column_holds():
    frame = pd.DataFrame({"visits": [1, 2, 3] * 5, "feedback": [0, 1, 1] * 5,
                          "date": ["2024-01-0%d" % d for d in (1, 2, 3)] * 5})
    with pytest.raises(ColumnMappingError) as info:
        detect_columns(frame.columns, frame=frame)
    message = str(info.value)
    assert "no column holds free-text comments" in message
    assert "feedback (0/1 flags)" in message and "date (dates)" in message and "--text" in message


def test_scores_without_comments_map_without_text():
    """A score-only export (an in-app NPS survey): no text role, the scores kept, the reason said."""
    frame = pd.DataFrame({"rating": [1, 2, 3] * 5, "feedback": [0, 1, 1] * 5,
                          "date": ["2024-01-0%d" % d for d in (1, 2, 3)] * 5})
    decision = detect_columns(frame.columns, frame=frame)
    assert decision.scores_only and decision.mapping.text is None and decision.mapping.rating == "rating"
    assert decision.reasons["text"]["column"] is None
    assert "no column holds free-text comments" in decision.reasons["text"]["why"]
    assert "scores only (rating <- rating)" in decision.reasons["text"]["why"]
    assert decision.lines()[0].startswith("text     <- (none): no column holds free-text comments")


def test_a_named_column_wins_even_when_its_values_disagree():
    decision = detect_columns(_reviews().columns, frame=_reviews(), text="variation")
    assert decision.mapping.text == "variation"
    assert decision.reasons["text"]["why"].startswith("named by you")


def _qualtrics_rows() -> list[list[str]]:
    header = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
              "DistributionChannel", "UserLanguage", "Q1", "Q1_NPS_GROUP", "Q2", "Q3"]
    questions = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Recorded Date", "Response ID",
                 "Distribution Channel", "User Language",
                 "How likely are you to recommend Acme to a friend or colleague?",
                 "How likely are you to recommend Acme to a friend or colleague? - Group",
                 "What is the main reason for your score?", "Which plan are you on?"]
    import_ids = [json.dumps({"ImportId": key}) for key in
                  ("startDate", "endDate", "status", "progress", "finished", "recordedDate", "_recordId",
                   "distributionChannel", "userLanguage", "QID1", "QID1_NPS_GROUP", "QID2_TEXT", "QID3")]
    rows = [header, questions, import_ids]
    for i, comment in enumerate(COMMENTS_EN * 2):
        score = [2, 4, 10, 3, 9, 5, 1, 9, 0, 6][i % 10]
        group = 1 if score <= 6 else 2 if score <= 8 else 3
        rows.append([f"2024-03-{i + 1:02d} 10:00:00", f"2024-03-{i + 1:02d} 10:05:00", "IP Address", "100", "True",
                     f"2024-03-{i + 1:02d} 10:05:01", f"R_{i:015d}abc", "anonymous", "EN", str(score), str(group),
                     comment, ["Basic", "Pro"][i % 2]])
    return rows


def _write_csv(path, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _write_xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([None if v == "" else v for v in row])
    book.save(path)
    return path


@pytest.mark.parametrize("writer,suffix", [(_write_csv, "csv"), (_write_xlsx, "xlsx")])
def test_qualtrics_export_skips_its_two_extra_header_rows_and_finds_nps_from_the_question(tmp_path, writer, suffix):
    path = writer(tmp_path / f"qualtrics.{suffix}", _qualtrics_rows())
    feedback = cxtext.load(path)
    assert feedback.table.layout == "qualtrics"
    assert [r["row_in_file"] for r in feedback.table.skipped_rows] == [2, 3]
    assert len(feedback.records) == 20
    assert feedback.mapping.nps == "Q1" and feedback.mapping.text == "Q2"
    assert "recommend" in feedback.mapping_reasons["nps"]["why"]
    assert feedback.records["nps"].tolist()[:3] == [2, 4, 10]
    assert (feedback.records["status"] == "analyzed").all()


def _surveymonkey_rows() -> list[list[str]]:
    header = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
              "First Name", "Last Name", "Custom Data 1",
              "How likely is it that you would recommend this company to a friend or colleague?",
              "What is the primary reason for your score?", "Which features do you use?", "", ""]
    answers = ["", "", "", "", "", "", "", "", "", "Response", "Open-Ended Response", "Reports", "Export", "API"]
    rows = [header, answers]
    for i, comment in enumerate(COMMENTS_EN * 2):
        rows.append([str(11800000000 + i), "431000000", f"03/{i + 1:02d}/2024 10:00:00 AM",
                     f"03/{i + 1:02d}/2024 10:04:00 AM", "", "", "", "", "", str([9, 2, 10, 4, 8][i % 5]),
                     comment, "Reports" if i % 2 else "", "Export" if i % 3 else "", ""])
    return rows


@pytest.mark.parametrize("writer,suffix", [(_write_csv, "csv"), (_write_xlsx, "xlsx")])
def test_surveymonkey_export_skips_its_answer_type_row(tmp_path, writer, suffix):
    path = writer(tmp_path / f"surveymonkey.{suffix}", _surveymonkey_rows())
    feedback = cxtext.load(path)
    assert feedback.table.layout == "surveymonkey"
    assert len(feedback.records) == 20
    assert feedback.mapping.nps.startswith("How likely is it")
    assert feedback.mapping.text == "What is the primary reason for your score?"
    assert feedback.mapping.id == "Respondent ID"
    assert feedback.records["nps"].tolist()[:3] == [9, 2, 10]


def test_surveymonkey_answer_type_row_is_skipped_behind_a_pandas_index_without_respondent_ids(tmp_path):
    # a public OHBM export re-saved by pandas: its Respondent ID gone, an index column first; the row of
    # "Response" cells was read as an answer and the option columns kept blank names
    rows = [[""] + row[9:] for row in _surveymonkey_rows()]
    rows[1][0] = "0"
    for i, row in enumerate(rows[2:], 1):
        row[0] = str(i)
    rows[1][1:4] = ["Response", "Open-Ended Response", "Response"]
    rows[0][3] = "How did you hear about us?"
    path = _write_csv(tmp_path / "resaved.csv", rows)
    feedback = cxtext.load(path)
    assert feedback.table.layout == "surveymonkey" and len(feedback.records) == 20
    assert feedback.mapping.text == "What is the primary reason for your score?"


def test_surveymonkey_names_its_option_columns_and_reads_its_open_ended_questions(tmp_path):
    """The layout of a public SurveyMonkey export (a 2023 technology survey, 819 x 121): options of a multiple-
    choice question sit under blank header cells (shown as column_85, column_106), and its 'Other (please
    specify)' write-in was themed as the comments while the questions the answer row marks 'Open-Ended
    Response' ("What new technology should we consider adopting?") were passed over."""
    header = ["Respondent ID", "Start Date", "What barriers are preventing you from adopting new tools?", "", "",
              "What new technology should we consider adopting?", "Is there a question you wish we had asked?"]
    answers = ["", "", "Not enough time", "Financial cost", "Other (please specify)", "Open-Ended Response",
               "Open-Ended Response"]
    rows = [header, answers]
    for i in range(40):
        rows.append([str(11800000000 + i), f"03/{i % 28 + 1:02d}/2024 10:00:00 AM",
                     "Not enough time" if i % 2 else "", "Financial cost" if i % 3 else "",
                     f"Nobody at work knows the new tools, case {i}" if i % 4 == 0 else "",
                     f"{COMMENTS_EN[i % 10]} and more automation {i}", f"How do teams train staff, item {i}?"])
    feedback = cxtext.load(_write_csv(tmp_path / "surveymonkey.csv", rows))
    columns = list(feedback.table.frame.columns)
    assert columns[3:5] == ["What barriers are preventing you from adopting new tools? - Financial cost",
                            "What barriers are preventing you from adopting new tools? - Other (please specify)"]
    assert feedback.mapping.text_columns == ("What new technology should we consider adopting?",
                                             "Is there a question you wish we had asked?")
    why = {p["column"]: p["why"] for p in feedback.mapping_reasons["text"]["passed_over"]}
    assert "write-in 'other' answer" in why[columns[4]]


def test_a_generic_second_header_row_is_skipped():
    frame = pd.DataFrame({"Q1": ["NPS 0-10"] + [str(v) for v in [9, 3, 10, 6, 8] * 2],
                          "Q2": ["Effort 1-7"] + [str(v) for v in [2, 6, 1, 7, 3] * 2],
                          "Q3": ["Why?"] + COMMENTS_EN})
    table = read_table(frame)
    assert table.layout == "extra header rows" and len(table.frame) == 10


def test_numbers_held_as_numbers_are_never_a_second_header_row():
    # a DataFrame's 1e16 and inf print as "1e+16" and "inf", which do not read as scores: hypothesis found the
    # first row taken for a header row and dropped (as the first row of an export it would be a typo, not words)
    for big in (1e16, float("inf")):
        frame = pd.DataFrame({"comment": [""] * 11, "nps": [big] + [9, 3, 10, 6, 8] * 2,
                              "ces": [big] + [2, 6, 1, 7, 3] * 2}, dtype=object)
        table = read_table(frame)
        assert table.layout is None and len(table.frame) == 11


def test_several_comment_columns_make_one_comment_per_non_empty_cell_and_count_scores_once(tmp_path):
    frame = pd.DataFrame({
        "What did you like?": ["Fast delivery", "", "Friendly staff at the desk", ""],
        "What should we improve?": ["The app crashes at checkout", "Prices went up again", "", ""],
        "NPS": [6, 3, 10, 8],
    })
    feedback = cxtext.load(frame)
    assert feedback.mapping.text_columns == ("What did you like?", "What should we improve?")
    records = feedback.records
    assert records["row"].tolist() == [1, 1, 2, 3, 4]
    assert records["text_column"].tolist()[:4] == ["What did you like?", "What should we improve?",
                                                   "What should we improve?", "What did you like?"]
    assert records["status"].tolist() == ["analyzed"] * 4 + ["score_only"]
    from cxtext.summary import score_summary
    from cxtext.schema import DEFAULT_CES_SCALE

    # 4 respondents: one promoter (10), two detractors (6, 3) -> NPS (1 - 2) / 4 = -25, not -40 over 5 records
    assert score_summary(records, DEFAULT_CES_SCALE)["nps"]["nps"] == -25.0


def test_cxtext_load_works_twice_in_one_process(tmp_path):
    import cxtext.ingest  # noqa: F401  (importing the modules must not shadow the function)
    import cxtext.io.read  # noqa: F401

    path = tmp_path / "export.csv"
    pd.DataFrame({"comment": COMMENTS_EN, "nps": list(range(10))}).to_csv(path, index=False)
    assert len(cxtext.load(path).records) == 10
    assert len(cxtext.load(path).records) == 10


def test_a_sentence_the_export_fills_in_for_every_row_is_not_the_comment():
    """A Glassdoor scrape's Description_of_duration holds a tenure line per reviewer (32 different lines in
    1,747 rows of the public Walmart export, issue 23): header and length read as a comment, content does not.
    A scraper that saved each real review several times keeps its reviews as the comments."""
    tenure = [f"I have been working at the store {kind} for {span}" for kind in ("full-time", "part-time")
              for span in ("less than a year", "more than a year", "more than 3 years", "more than 5 years")]
    rows = 120
    frame = pd.DataFrame({
        "Description_of_duration": [tenure[i % len(tenure)] for i in range(rows)],
        "Negative_Review": [f"{COMMENTS_EN[i % len(COMMENTS_EN)]} (visit {i})" for i in range(rows)],
        "Rating": [1 + i % 5 for i in range(rows)],
    })
    decision = detect_columns(frame.columns, frame)
    assert decision.mapping.text_columns == ("Negative_Review",)
    why = " ".join(p["why"] for p in decision.reasons["text"]["passed_over"])
    assert "the same few sentences over and over" in why
    # with pros and cons both read, the pros column leads (first in the file) and the reason names the column
    # it was written for (it said "Positive_Review: header 'Negative_Review' contains 'review'", read by a new user
    # as the reason for Positive_Review)
    both = frame.assign(Positive_Review=[f"good pay {i}" for i in range(rows)])  # shorter: found second
    both = both[["Description_of_duration", "Positive_Review", "Negative_Review", "Rating"]]
    decision = detect_columns(both.columns, both)
    assert decision.mapping.text_columns == ("Positive_Review", "Negative_Review")
    line = decision.lines()[0]
    assert line.startswith("text     <- Positive_Review: the first of 2 comment columns in the file; the best of them "
                           "is 'Negative_Review': header 'Negative_Review'"), line
    # 30 reviews each saved 4 times (the Korean App Store export's scraper did so)
    copies = pd.DataFrame({"review": [f"{COMMENTS_EN[i % len(COMMENTS_EN)]} (order {i % 30})" for i in range(rows)],
                           "rating": [1 + i % 5 for i in range(rows)]})
    assert detect_columns(copies.columns, copies).mapping.text_columns == ("review",)


def test_a_satisfaction_question_on_1_to_10_is_not_csat_and_r_missing_values_reject_nothing(tmp_path):
    """The shape of a public French NPS export written by R: 'satisfaction' asked on 1-10 beside the NPS, and
    'NA' for every unanswered cell. Read as CSAT 1-5 it rejected 93% of the rows (the satisfied ones) and the
    NPS came out -46.7 instead of +55."""
    nps = [10, 9, 10, 8, 9, 10, 3, 9, 10, 7, "NA", 9] * 5
    satisfaction = [9, 8, 10, 7, 9, 10, 2, "NA", 10, 8, 9, 9] * 5
    comments = ["Personnel très aimable", "Bon choix de plantes", "Attente aux caisses trop longue",
                "Prix un peu élevés", "Conseils utiles", "Magasin propre et bien rangé"] * 10
    path = tmp_path / "nps.csv"
    comments = [f"{text}, visite {i}" for i, text in enumerate(comments)]  # 60 different comments, as people write
    pd.DataFrame({"id": range(1, 61), "nps": nps, "satisfaction": satisfaction, "explication": comments}) \
        .to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.nps == "nps" and feedback.mapping.csat is None
    assert "most of them outside 1-5" in feedback.mapping_reasons["csat"]["passed_over"][0]["why"]
    assert (feedback.records["status"] == "analyzed").all()  # "NA" is no answer, not a bad score
    assert feedback.records["nps"].isna().sum() == 5


def test_a_pain_points_question_is_a_comment_column():
    # a public Jupyter education survey (2016, CC0): its 99 answers to "What are the biggest pain points for you
    # in running your class?" (18 words on average) were not read; only a 49-answer suggestions question was
    frame = pd.DataFrame({
        "What are the biggest pain points for you in running your class?":
            [f"{COMMENTS_EN[i % len(COMMENTS_EN)]} in week {i}" for i in range(20)],
        "Do you have any specific suggestions for how the tools could be made better?":
            [f"Please add an export button, idea {i}" for i in range(20)],
    })
    decision = detect_columns(frame.columns, frame)
    assert "What are the biggest pain points for you in running your class?" in decision.mapping.text_columns


@pytest.mark.parametrize("question", [
    "What could we do to improve the app?",
    "What are the biggest pain points in Spack for your workflow? (feel free to link to issues)",
    "Any feedback for our agent?",
    "Tell us about your experience with our staff",
    # a public Jupyter 2015 survey (SurveyGizmo, CC0), run as a new user: only 116 of its 2,523 answers were read
    "What, if anything, hinders you from making Jupyter Notebook an even more regular part of your workflow?",
    "Aspect #1:What aspects of Jupyter Notebook make it difficult to use in your workflow?",
])
def test_a_question_asking_for_comments_is_read_whatever_it_is_about(question):
    # words such as "app", "link", "agent", "staff" name a reply, a link or a person in a field name ("replyContent",
    # "Agent comments"); in a question put to the respondent they are its subject
    frame = pd.DataFrame({question: [f"{COMMENTS_EN[i % len(COMMENTS_EN)]} in week {i}" for i in range(20)],
                          "Agent comments": [f"Customer called back, ticket {i} closed" for i in range(20)]})
    decision = detect_columns(frame.columns, frame)
    assert decision.mapping.text_columns == (question,)
    assert "not the customer's words" in str(decision.reasons["text"]["passed_over"])


OBSTACLE = ("What do you think was the biggest obstacle you had to overcome in learning R? The choices below are only "
            "suggestions; if we haven't listed your obstacle, please choose \"Other\" and add your obstacle in the text.")


def test_a_survey_of_many_open_questions_reads_its_comments_and_names_the_questions_it_left_out():
    """The shape of a public R community survey (Google Forms, 2019): a 'biggest obstacle' question answered from
    a list of suggestions (10 answers make 90% of them) was read as comments and themed as 'language syntax'
    (544), while 'What do you like best / least about using R?' (1,454 and 1,334 answers) were not read nor named.
    The same shape in a Jupyter survey: write-in '(other)' options beside questions about problems."""
    rows = 200
    options = ["Error messages", "Language syntax", "Debugging", "Finding help", "Data types",
               "Package management", "Documentation", "Memory limits"]
    frame = pd.DataFrame({
        OBSTACLE:
            [options[i % len(options)] if i % 10 else f"{COMMENTS_EN[i % 7]}, and then the whole thing about "
             f"learning it alone at night after work for {i} weeks" for i in range(rows)],
        "What do you like best about using R?": [f"{COMMENTS_EN[i % 10]} since {i} days" for i in range(rows)],
        "What do you like least about using R?": [f"{COMMENTS_EN[(i + 3) % 10]} on day {i}" for i in range(rows)],
        "What is your reason for sharing a notebook with someone else? (other)":
            [f"Sharing with my team number {i}" for i in range(rows)],
        "Do you have challenges with collaboration in Jupyter? (other)":
            [f"Git diffs of notebooks are unreadable, case {i}" for i in range(rows)],
        "How do you discover new packages or packages that are unfamiliar to you?":
            [f"Twitter and blog posts mostly, then {i} searches" for i in range(rows)],
    })
    decision = detect_columns(frame.columns, frame)
    assert decision.mapping.text_columns == ("What do you like best about using R?",
                                             "What do you like least about using R?",
                                             "Do you have challenges with collaboration in Jupyter? (other)")
    why = {p["column"][:20]: p["why"] for p in decision.reasons["text"]["passed_over"]}
    assert "one of 10 answers: the choices of a multiple-choice question" in why[OBSTACLE[:20]]
    assert "write-in 'other' answer of a multiple-choice question" in why["What is your reason for"[:20]]
    # a free-text question nothing asked for is named, with what to do to read it
    assert "name it with --text" in why["How do you discover new"[:20]]


@pytest.mark.parametrize("header, is_list", [
    ("What applications do you use R for most? (check all that apply)", True),
    ("¿Cómo comparte los resultados que crea en R? Marque todo lo que corresponda.", True),
    ("Which three words describe us?", True),
    ("What do you like least about using R?", False),
    ("What are some other libraries that you often use with Dask?", True),  # names, not a comment
    ("What could we improve in the app you use?", False),
    ("What do you use the app for?", False),
])
def test_list_questions(header, is_list):
    from cxtext.io.headers import is_list_question
    assert is_list_question(header) is is_list


def test_open_suffixed_columns_are_comments_and_a_camel_case_other_write_in_is_not():
    # a public Carpentries survey: six '*_open' answers, only 'additional_comments_open' was read (16 of 176 rows);
    # another: 'CompleteTrainingOther' (12 write-ins in 967 rows) themed as the comments beside an NPS of 889
    rows = 40
    frame = pd.DataFrame({
        "impact_open": [f"{COMMENTS_EN[i % 10]} after the workshop {i}" for i in range(rows)],
        "outcomes_open": [f"I now write scripts for task {i} and share them" for i in range(rows)],
        "LikelyToRecommend": [i % 11 for i in range(rows)],
    })
    assert detect_columns(frame.columns, frame).mapping.text_columns == ("impact_open", "outcomes_open")
    write_in = pd.DataFrame({"CompleteTrainingOther": [f"Had to leave early for meeting {i}" for i in range(rows)],
                             "LikelyToRecommend": [i % 11 for i in range(rows)]})
    decision = detect_columns(write_in.columns, write_in)
    assert decision.scores_only and decision.mapping.nps == "LikelyToRecommend"
    assert "write-in 'other' answer" in str(decision.reasons["text"]["why"]) + str(decision.reasons["text"]["passed_over"])


def test_multi_select_answers_are_options_not_comments():
    """The shape of a public Dask user survey (Google Forms, 2019): a multi-select question's options joined
    with ';' ("Documentation;Stack Overflow #Dask tag", 8 words on average) were themed as comments (9 themes of
    option combinations) beside a 1-4 ease question; a Bangla survey's note apps ("Notion; Google Keep")."""
    rows = 120
    options = ["Documentation", "Tutorial", "Examples at examples.dask.org", "Stack Overflow #Dask tag",
               "GitHub issues", "Gitter chat", "Blog posts about Dask", "YouTube talks and videos"]
    draw = np.random.default_rng(0)
    resources = [";".join(draw.choice(options, size=1 + i % 4, replace=False)) for i in range(rows)]
    frame = pd.DataFrame({
        "What Dask resources have you used for support in the last six months?": resources,
        "How easy is it for you to upgrade to newer versions of Python libraries": [1 + i % 4 for i in range(rows)],
    })
    profile = profile_column(frame.iloc[:, 0])
    assert profile.top_share < 0.75 < profile.option_share  # each answer a different mix, the options few
    decision = detect_columns(frame.columns, frame)
    assert decision.mapping.text is None
    assert decision.mapping.ces is not None
    # comments that happen to hold semicolons and commas keep their role
    comments = pd.DataFrame({"comment": [f"{COMMENTS_EN[i % 10]}; then, on visit {i}, again" for i in range(rows)]})
    assert profile_column(comments["comment"]).option_share < 0.75
    assert detect_columns(comments.columns, comments).mapping.text == "comment"


@pytest.mark.parametrize("header", ["N° TICKET", "Ticket Number", "ticket_no", "Case Number"])
def test_a_tickets_number_is_its_id(header):
    # a public Spanish help-desk log: 'N° TICKET' was described as "ids (every value different)" yet not the id
    frame = pd.DataFrame({header: [f"{4100 + i}" for i in range(30)],
                          "FALLA": [f"{COMMENTS_EN[i % 10]} on desk {i}" for i in range(30)]})
    assert detect_columns(frame.columns, frame).mapping.id == header


def test_a_comment_id_is_not_the_comment_and_a_sentiment_models_output_is_not_csat():
    """Two public NHS Friends and Family Test files: 'Comment ID' ("NEAS PTS 528 - Q1") was themed as the
    comments (49 themes "nhft", "q1") while 'FFT answer' was passed over; a GP survey's 'sentiment_do_better'
    ("neutral" in most rows, some "positive" / "negative": a model's output) was read as CSAT ("0% satisfied")
    and its 'free_text' answers (1,198) passed over for 'do_better' (275)."""
    rows = 60
    frame = pd.DataFrame({
        "Comment ID": [f"NEAS PTS {500 + i} - Q{1 + i % 2}" for i in range(rows)],
        "FFT answer": [f"{COMMENTS_EN[i % 10]} at the clinic, visit {i}" for i in range(rows)],
        "free_text": [f"The nurse was kind and the wait was short, visit {i}" for i in range(rows)],
        "sentiment_free_text": ["neutral" if i % 6 else ["positive", "negative"][i % 12 // 6] for i in range(rows)],
    })
    decision = detect_columns(frame.columns, frame)
    assert decision.mapping.text_columns[0] in ("FFT answer", "free_text")
    assert "Comment ID" not in decision.mapping.text_columns
    assert decision.mapping.csat is None
    id_why = {p["column"]: p["why"] for p in decision.reasons["id"]["passed_over"]}
    assert "one per row but of 5.0 words, not a single code" in id_why["Comment ID"]


def test_a_ticked_options_name_is_not_a_comment_column():
    # a public OHBM survey (SurveyMonkey, re-saved by pandas): a checkbox column holding its option's name in the
    # 7 rows that ticked it ("Student-Postdoc Facebook (https://...)") was themed as the comments
    frame = pd.DataFrame({
        "How would you describe your access to the OHBM job board?":
            ["I can access it easily when I need it", "I do not know how to access it", "I have never tried"] * 10,
        "Unnamed: 44": ["Student-Postdoc Facebook (https://www.facebook.com/OHBMStudents)" if i % 4 == 0 else None
                        for i in range(30)],
    })
    with pytest.raises(ColumnMappingError, match="no column holds free-text comments"):
        detect_columns(frame.columns, frame)
