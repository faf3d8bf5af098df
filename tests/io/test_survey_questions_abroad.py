"""Survey exports nobody here wrote: questions asked in French, ticked options, a 0-10 satisfaction, a date question.

A new-user audit (2026-12-07) ran two public exports (excerpts in ``tests/fixtures/regressions``, with attribution):
- a French Alchemer-style export of a bilingual survey: "Veuillez décrire ..." (51 answers) and "Y a-t-il des
  points non couverts ..." were passed over ("its header does not ask for a comment") while six ticked-option
  columns, each holding its header's own end ("Autres commentaires :"), were themed: 14 comments analysed;
- a LimeSurvey export: "how satisfied are you (0-10)" was read as nothing (themes ranked by sentiment), "When did
  you start your contract" became the feedback date (a 30-year trend), and "... under an open-source licence?"
  the source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cxtext
from cxtext.io.cells import read_number
from cxtext.text.placeholders import is_non_answer

FIXTURES = Path(__file__).parents[1] / "fixtures" / "regressions"
FRENCH = FIXTURES / "alliance_cloud_survey_fr_excerpt.csv"
LIMESURVEY = FIXTURES / "rse_survey_2017_uk_excerpt.csv"


def test_french_open_questions_are_read_and_ticked_options_are_not():
    feedback = cxtext.load(FRENCH)
    columns = feedback.mapping.text_columns
    assert any(c.startswith("8) Veuillez décrire") for c in columns)
    assert any(c.startswith("47) Y a-t-il des points") for c in columns)
    frame = pd.read_csv(FRENCH, dtype=str, keep_default_na=False)
    for column in columns:  # no column whose every answer is the option named at its header's end
        answers = set(frame[column][frame[column].str.strip() != ""])
        assert not (len(answers) == 1 and column.replace("&nbsp;", "\xa0").endswith(answers.pop())), column
    assert feedback.mapping.id == "ID Interne"
    analysed = (feedback.records["status"] == "analyzed").sum()
    assert analysed >= 60  # 51 + 24 answers to the two open questions, and a few "other" write-ins (was 14)


def test_a_zero_to_ten_satisfaction_is_the_rating_and_a_date_question_is_not_the_date():
    feedback = cxtext.load(LIMESURVEY)
    satisfied = "satisGen1[SQ001]. In general, how satisfied are you with: [Your current position]"
    assert feedback.mapping.rating == satisfied
    assert feedback.rating_scale.label == "0-10"
    assert "asks how satisfied" in feedback.decision.reasons["rating"]["why"]
    values = pd.read_csv(LIMESURVEY, dtype=str, keep_default_na=False)[satisfied].map(read_number).dropna()
    assert len(values) == 219 and values.mean() == pytest.approx(6.489, abs=0.001)  # the auditor's pandas figure
    assert feedback.mapping.date is None
    passed = feedback.decision.reasons["date"]["passed_over"]
    assert any("asks the respondent for a date" in p["why"] for p in passed)
    assert feedback.mapping.source is None  # "open-source licence" is a question, not a channel


@pytest.mark.parametrize("cell, number", [("\ufeff0 - Not at all satisfied", 0.0), ("\u200b7", 7.0)])
def test_invisible_marks_before_a_score_do_not_hide_it(cell, number):
    assert read_number(cell) == number  # a byte-order mark hid every 0 of a German LimeSurvey 0-10 question


@pytest.mark.parametrize("answer, non_answer", [("Ne sais pas", True), ("Aucune idée", True), ("test", True),
                                                ("Nul.", False), ("a test of patience", False)])
def test_french_and_test_non_answers(answer, non_answer):
    assert is_non_answer(answer) is non_answer


def test_a_preview_of_the_comment_is_passed_over_for_the_whole_text():
    """A Şikayetvar scrape: 'description_preview' (the first ~300 characters) beside 'full_text'; the header
    "description" made the preview the comments, and about 70% of every complaint was left out."""
    complaints = [
        "Kredi kartımdan habersiz 34.000 TL harcama yapılmış, müşteri hizmetlerine ulaşamıyorum ve itirazım "
        "haftalardır sonuçlanmadı. Banka hiçbir açıklama yapmadı, kartım da kapatılmadı.",
        "Kart aidatı iade talebim reddedildi, üç kez aradım ve her seferinde başka bir cevap aldım; şube de "
        "yardımcı olmadı ve sonunda hesabımı kapatmak zorunda kaldım.",
        "Mobil uygulamada havale yaparken hata aldım, para hesabımdan çıktı ama karşı tarafa geçmedi, iki "
        "haftadır bekliyorum ve kimse dönüş yapmıyor.",
    ] * 4
    frame = pd.DataFrame({"title": ["Yetkisiz işlem", "Kart aidatı", "Havale hatası"] * 4,
                          "full_text": [f"({i}) {text}" for i, text in enumerate(complaints)],
                          "satisfaction": [1, 2, 1] * 4})
    frame["description_preview"] = frame["full_text"].str[:90] + "..."
    feedback = cxtext.load(frame)
    assert feedback.mapping.text == "full_text" and feedback.mapping.extra_text == ()
    (preview,) = [p for p in feedback.decision.reasons["text"]["passed_over"] if p["column"] == "description_preview"]
    assert "its values are the first part of 'full_text'" in preview["why"]
