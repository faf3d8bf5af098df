"""normalize: clean-up per source, non-answers, languages, duplicates."""

from __future__ import annotations

import pandas as pd
import pytest

from cxtext.text.normalize import clean_text, detect_language, is_non_answer, normalize, text_hash
from cxtext.schema import ColumnMapping
from cxtext.validate import validate


def test_social_clean_up_keeps_hashtag_words():
    text = "RT @nuvio_fan: My bill doubled AGAIN &amp; nobody answers https://t.co/xyz @NuvioCare #NuvioFail"
    assert clean_text(text, social=True) == "My bill doubled AGAIN & nobody answers Nuvio Fail"


def test_survey_text_keeps_handles_but_drops_markup_and_zero_width():
    assert clean_text("<b>Slow</b>\u200b refund,\n  still   waiting", social=False) == "Slow refund, still waiting"


@pytest.mark.parametrize("text", ["n/a", "N/A", "-", "...", "Nothing", "no comment!", "لا يوجد", "لا شيء",
                                  "nimic", "Fără comentarii", "none", "  NA ",
                                  # French, Spanish, Portuguese, German (a public French NPS export's fillers)
                                  "Aucune remarque", "RAS", "rien à signaler", "AUCUNE", "o.k.", "Aucun commentaire",
                                  "nada", "Sem comentários", "keine Anmerkungen"])
def test_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["nothing works in the app", "nimic nu merge", "لا يوجد دعم فني",
                                  "rien ne marche", "je suis fan", "nada funciona"])
def test_real_answers_that_start_like_non_answers(text):
    assert not is_non_answer(text)


@pytest.mark.parametrize("text,language", [
    ("The app keeps crashing after the update", "en"),
    ("Aplicația se blochează după ultima actualizare", "ro"),
    ("التطبيق يتوقف بعد التحديث", "ar"),
    ("ok", "und"),
])
def test_language(text, language):
    assert detect_language(text) == language


def test_duplicates_folded_for_social_only():
    frame = pd.DataFrame({
        "text": ["Bill doubled #fail", "RT @a: Bill doubled #fail", "Bill doubled #fail", "Bill doubled #fail"],
        "channel": ["twitter", "twitter", "twitter", "nps_survey"],
    })
    records = normalize(validate(frame, ColumnMapping(text="text", source="channel")))
    assert records["duplicate_of"].dropna().tolist() == [1, 1]
    assert records["duplicate_of"].isna().tolist() == [True, False, False, True]
    assert records["is_social"].tolist() == [True, True, True, False]
    assert records["text_hash"][0] == text_hash("Bill doubled fail")


def test_all_social_pipeline_option():
    frame = pd.DataFrame({"text": ["a b c @x", "a b c"]})
    records = normalize(validate(frame, ColumnMapping(text="text")), all_social=True)
    assert records["clean_text"].tolist() == ["a b c", "a b c"]
    assert records["duplicate_of"].isna().tolist() == [True, False]


def test_personal_data_is_masked_before_embedding_and_in_text():
    frame = pd.DataFrame({
        "text": ["Call me on 0721 234 567 or mail jane.doe@example.com", "رقمي ٠٥٠١٢٣٤٥٦٧ اتصلوا بي",
                 "@bob my card 4111 1111 1111 1111 was charged twice"],
        "channel": ["nps_survey", "nps_survey", "twitter"],
    })
    records = normalize(validate(frame, ColumnMapping(text="text", source="channel")))
    assert records["clean_text"].tolist() == ["Call me on [phone] or mail [email]", "رقمي [phone] اتصلوا بي",
                                              "my card [card] was charged twice"]
    assert "0721" not in records["text"][0] and "[handle]" in records["text"][2]
    kept = normalize(validate(frame, ColumnMapping(text="text", source="channel")), redact_pii=False)
    assert "jane.doe@example.com" in kept["clean_text"][0]


def _languages_frame() -> pd.DataFrame:
    return validate(pd.DataFrame({"text": [
        "The app keeps crashing after the update", "Aplicația se blochează după ultima actualizare",
        "التطبيق يتوقف بعد التحديث", "The app keeps crashing after the update", "ok",
    ]}), ColumnMapping(text="text"))


def test_language_cache_gives_the_same_languages_and_is_read_on_a_rerun(tmp_path):
    from cxtext.text.normalize import language_namespace
    from cxtext.store import LabelCache

    plain = normalize(_languages_frame())
    with LabelCache(tmp_path / "cache.sqlite") as cache:
        first = normalize(_languages_frame(), language_cache=cache)
        namespace = language_namespace(None)
        stored = cache.get_many(namespace, first["text_hash"].tolist())
        # one entry per distinct analysed text (the repeated comment once)
        assert len(stored) == 4 and stored[text_hash("ok")] == "und"
        assert first["language"].tolist() == plain["language"].tolist() == ["en", "ro", "ar", "en", "und"]
        # a re-run takes the cached answer (planted here to prove it is read, not recomputed)
        cache.put_many(namespace, {text_hash("The app keeps crashing after the update"): "xx"})
        again = normalize(_languages_frame(), language_cache=cache)
        assert again["language"].tolist() == ["xx", "ro", "ar", "xx", "und"]
        # restricting the candidate languages is another namespace: not reused
        restricted = normalize(_languages_frame(), language_cache=cache, languages=["en", "ro"])
        assert restricted["language"].tolist()[0] == "en"
        assert language_namespace(("ro", "en")).endswith(":en,ro")


@pytest.mark.parametrize("text, kept", [
    # a public German Google Maps scrape: 982 of 1,012 reviews carried Google's translation before the original
    ("(Translated by Google) Employees seem overwhelmed.\n\n(Original)\nMitarbeiter wirken überfordert.",
     "Mitarbeiter wirken überfordert."),
    ("(Übersetzt von Google) Very good\n\n(Original)\nSehr gut", "Sehr gut"),
    ("(Translated by Google) Great service", "Great service"),  # the note alone: the translation is all there is
    ("Great service (Translated by Google) as they say", "Great service (Translated by Google) as they say"),
])
def test_a_machine_translation_note_leaves_the_reviews_own_words(text, kept):
    assert clean_text(text) == kept
