"""Non-answers and placeholders (cxtext.text.placeholders): listed ones in en/ar/ro, and the per-file rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxtext.schema import ColumnMapping
from cxtext.text.normalize import normalize
from cxtext.text.placeholders import (
    REASON_LISTED, REASON_NO_WORDS, REASON_NOTHING, REASON_REPEATED, REASON_SPREADSHEET, has_content_word, is_non_answer,
    non_answer_reason,
    repeat_floor, repeated_placeholders, repeated_summary)
from cxtext.validate import validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports"
# Placeholders review exports and survey tools write into empty answers (Booking.com's "No Negative")
PLACEHOLDERS = {
    "en": ["No Negative", "No Positive", "Nothing", "N A", "N/A", "none", "nil", "no comment", "Not applicable"],
    "ar": ["لا شيء", "لا يوجد", "لا تعليق", "لا أعرف", "لا إيجابيات", "لا يوجد ملاحظات"],
    "ro": ["nimic", "nu am", "fără comentarii", "Fara comentarii", "nu este cazul", "n/a", "Nimic de adăugat"],
}


def _real_comments() -> list[str]:
    """59 Google Play reviews of Ethiopian banks (tests/fixtures/real_exports, see ATTRIBUTION.md)."""
    frame = pd.read_csv(FIXTURES / "ethiopian_bank_play_reviews_59.csv")
    return frame["review_text"].astype(str).tolist()


@pytest.mark.parametrize("language", sorted(PLACEHOLDERS))
def test_placeholders_of_every_language_are_non_answers_with_their_reason(language):
    records = normalize(validate(pd.DataFrame({"text": PLACEHOLDERS[language] + ["-", "..."]}),
                                 ColumnMapping(text="text")))
    assert records["non_answer"].all()
    assert records["non_answer_reason"].tolist() == [REASON_LISTED] * len(PLACEHOLDERS[language]) + [
        REASON_NO_WORDS] * 2


@pytest.mark.parametrize("text", ["No negative about the room, but breakfast was cold",
                                  "nimic nu merge după actualizare", "لا يوجد دعم فني", "too expensive"])
def test_real_comments_are_not_placeholders(text):
    assert not is_non_answer(text) and non_answer_reason(text) == ""


def test_content_words():
    assert has_content_word("too expensive") and has_content_word("app crashes") and has_content_word("التطبيق بطيء")
    assert not has_content_word("same as above") and not has_content_word("nimic deocamdată")
    assert not has_content_word("لا شيء أبدا") and not has_content_word("not really sure")


def test_the_floor_grows_with_the_file():
    assert repeat_floor(40) == 5 and repeat_floor(250) == 5 and repeat_floor(1000) == 20


def _dump(extra: list[str]) -> pd.DataFrame:
    return validate(pd.DataFrame({"text": _real_comments() + extra}), ColumnMapping(text="text"))


def test_a_repeated_content_free_text_joins_no_comment_in_each_language():
    extra = (["Same as above"] * 6 + ["nu prea"] * 5 + ["هذا كل شيء"] * 7
             + ["too expensive"] * 10 + ["App crashes"] * 8 + ["not really sure"]
             # an acronym is content: a public survey's most common answer to "what technology should we adopt?"
             + ["AI"] * 8)
    records = normalize(_dump(extra))
    repeated = records["non_answer_reason"] == REASON_REPEATED
    assert set(records.loc[repeated, "clean_text"]) == {"Same as above", "nu prea", "هذا كل شيء"}
    assert int(repeated.sum()) == 18
    # a short frequent complaint keeps its content; a content-free text said once is left alone
    kept = records.loc[~records["non_answer"], "clean_text"].tolist()
    assert kept.count("too expensive") == 10 and kept.count("App crashes") == 8 and "not really sure" in kept
    assert kept.count("AI") == 8
    # each with the comment column it was written in (a warning names it)
    assert repeated_summary(records) == [{"text": "هذا كل شيء", "rows": 7, "columns": ["text"]},
                                         {"text": "Same as above", "rows": 6, "columns": ["text"]},
                                         {"text": "nu prea", "rows": 5, "columns": ["text"]}]


    # "nothing for now" repeated is a non-answer by the sentence rule before the per-file one
    assert non_answer_reason("Nimic deocamdată") == REASON_NOTHING and non_answer_reason("لا شيء أبدا") == REASON_NOTHING


def test_too_few_repeats_stay_comments():
    # 4 copies in a 63-row file are under the floor of 5 rows
    records = normalize(_dump(["Same as above"] * 4))
    assert not records["non_answer"].iloc[-4:].any()
    assert repeated_placeholders(["same as above"] * 4) == {}


def test_the_rule_is_learnt_on_the_whole_file_not_a_part():
    records = normalize(_dump(["Same as above"] * 6), whole_file=False)
    assert not (records["non_answer_reason"] == REASON_REPEATED).any()


# Rows of a public Glassdoor review export's "cons" column (bench/real_exports_sources.py:
# glassdoor_uk_employers_reviews.csv, data rows 147, 192, 639, 1754, 1906; complaints: rows 439, 1,
# 11). The site asks for a few words, so a non-answer comes repeated, and Excel turned a text that
# began with "-" into "#NAME?" (18 rows of that file). The last two complaints are made up: a word
# repeated that is no non-answer, and a non-answer opening a real complaint.
GLASSDOOR_CONS_PLACEHOLDERS = ["#NAME?", "Nothing nothing nothing nothing nothing", "None none none none none",
                               "NA NA NA NA NA", "none, none, none, none. none."]
GLASSDOOR_CONS_COMPLAINTS = [
    "-everything else was terrible\r\n-clueless managers\r\n-smell",
    "Poor salaries, poor training and communication.",
    "Poor pay, huge gap for pay between senior management vs those who support them, managers who bully yet "
    "you are the one driven away, lack of flexibility",
    "bad bad bad bad bad",
    "None that I can think of, but the hours are long and the pay is poor",
]


def test_a_non_answer_said_over_and_over_and_a_spreadsheet_error_join_no_comment():
    records = normalize(validate(pd.DataFrame({"text": GLASSDOOR_CONS_PLACEHOLDERS + GLASSDOOR_CONS_COMPLAINTS}),
                                 ColumnMapping(text="text")))
    n = len(GLASSDOOR_CONS_PLACEHOLDERS)
    assert records["non_answer"].tolist() == [True] * n + [False] * len(GLASSDOOR_CONS_COMPLAINTS)
    assert records["non_answer_reason"].tolist()[:n] == [REASON_SPREADSHEET] + [REASON_LISTED] * (n - 1)


@pytest.mark.parametrize("text", ["n/a n/a n/a n/a n/a n/a", "nimic nimic nimic", "لا يوجد لا يوجد", "no no no no no no no"])
def test_listed_non_answers_repeated_in_any_language(text):
    assert non_answer_reason(text) == REASON_LISTED


@pytest.mark.parametrize("text", ["#VALUE!", " #name? ", "#N/A", "#REF!"])
def test_spreadsheet_error_values(text):
    assert non_answer_reason(text) == REASON_SPREADSHEET
    assert non_answer_reason("#name is wrong on my bill") == ""


# "Nothing to say" in a sentence, as the 'cons' of public Glassdoor exports write it (issue 23)
SAYS_NOTHING = ["none that i can think of", "No cons to add here", "there are no cons currently",
                "I can't really think of any", "Nothing comes to mind", "none at this moment in time",
                "Nothing negative to say here", "no cons, never had any problems.", "nimic de semnalat momentan",
                "لا يوجد شيء حاليا",
                # a public Spanish R community survey's "what do you like least?" (themed "ne gusta" before)
                "Por ahora nada", "Nada me desagrada", "nada en particular", "No tengo quejas",
                "Rien pour le moment", "Keine Probleme", "Nothing to complain about", "nothing I can think of right now",
                # a public SurveyMonkey survey's open questions (a theme of them ranked third among the drivers)
                "I don't have any.", "No additional comments for now.", "I don't know of any.", "i dont have any cons"]
SAYS_SOMETHING = ["none, I love it here", "no flexibility for working parents", "not enough hours per week",
                  "nothing was wrong with this job", "nothing works after the update",
                  "nimic nu merge după actualizare", "لا يوجد دعم فني", "No cons lovely place to work",
                  "nothing, don't ever work here", "Nada funciona bien", "Nada, me encanta R", "rien ne marche",
                  "nothing but crashes", "I don't have any way to export my data",
                  "No additional comments, but the app crashes daily", "Unknown error when I log in"]


@pytest.mark.parametrize("text", SAYS_NOTHING)
def test_a_sentence_that_says_there_is_nothing_to_say_is_a_non_answer(text):
    assert non_answer_reason(text) == REASON_NOTHING


@pytest.mark.parametrize("text", SAYS_SOMETHING)
def test_a_sentence_that_opens_with_none_but_says_something_keeps_its_theme(text):
    assert non_answer_reason(text) == ""


@pytest.mark.parametrize("text", ["I don't know", "i do not know", "No lo sé", "dunno", "Unsure", "unknown", "N/D"])
def test_not_knowing_is_a_non_answer_with_or_without_its_apostrophe(text):
    # "I don't know" folds to "i don t know": only "I dont know" was listed (a public pandas survey themed it "good")
    assert non_answer_reason(text) == REASON_LISTED
