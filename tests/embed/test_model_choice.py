"""Which model a dump gets under model "auto" (cxtext.embed.choice), and that the analysis says why."""

from __future__ import annotations

from cxtext.embed.choice import ENGLISH_SHARE, MIN_DETECTED, choose_model, model_for


def test_english_dump_gets_the_english_model():
    choice = choose_model("auto", ["en"] * 120 + ["und"] * 30)
    assert choice.model == "minilm"
    assert choice.english_share == 1.0
    assert "all-MiniLM-L6-v2" in choice.reason and "120 comments" in choice.reason


def test_mixed_dump_keeps_the_multilingual_model():
    choice = choose_model("auto", ["en"] * 60 + ["ar"] * 25 + ["ro"] * 15)
    assert choice.model == "default"
    assert choice.english_share == 0.6
    assert "multilingual-e5-small" in choice.reason and "60.0%" in choice.reason


def test_threshold_is_inclusive_and_undetermined_rows_do_not_count():
    n = 1000
    english = int(round(ENGLISH_SHARE * n))
    at = choose_model("auto", ["en"] * english + ["ar"] * (n - english) + ["und"] * 500)
    below = choose_model("auto", ["en"] * (english - 1) + ["ar"] * (n - english + 1))
    assert (at.model, below.model) == ("minilm", "default")


def test_too_few_detected_comments_keep_the_multilingual_model():
    choice = choose_model("auto", ["en"] * (MIN_DETECTED - 1) + ["und"] * 100)
    assert choice.model == "default" and f"fewer than {MIN_DETECTED}" in choice.reason


def test_a_named_model_or_a_saved_theme_model_wins():
    assert choose_model("default", ["en"] * 500).model == "default"
    assert choose_model("/models/mine", ["en"] * 500).model == "/models/mine"

    class Saved:
        embedding_model = "minilm"

    choice = model_for("auto", ["ar"] * 500, saved=Saved())
    assert choice.model == "minilm" and "saved theme model" in choice.reason


FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "real_exports"


def test_an_english_export_runs_minilm_int8_and_says_why(tmp_path):
    import cxtext

    analysis = cxtext.analyze(FIXTURES / "complaints_prepbench.csv", cache_path=tmp_path / "emb.sqlite")
    choice = analysis.summary["model_choice"]
    assert choice["model"] == "minilm" and choice["english_share"] == 1.0
    assert "all-MiniLM-L6-v2" in choice["reason"]
    assert analysis.summary["model_id"] == "sentence-transformers/all-MiniLM-L6-v2+onnx-int8-r3"
    assert analysis.theme_model.embedding_model == "minilm"  # a saved theme model keeps it on reuse


def test_a_romanian_export_keeps_the_multilingual_model(tmp_path):
    import cxtext

    analysis = cxtext.analyze(FIXTURES / "red_v1_tweets_ro_41.csv", cache_path=tmp_path / "emb.sqlite")
    choice = analysis.summary["model_choice"]
    assert choice["model"] == "default" and choice["english_share"] < 0.1
    assert analysis.summary["model_id"].startswith("multilingual-e5-small/")


def test_short_comments_and_pidgin_do_not_count_against_english():
    # HWU64-like commands: language detection calls short ones Latin or Swedish, some English "pcm"
    texts = ["wake me up"] * 3 + ["olly alarm please"] * 5 + ["please tell me the weather for tomorrow"] * 200
    languages = ["en"] * 3 + ["la"] * 5 + ["en"] * 190 + ["pcm"] * 10
    choice = choose_model("auto", languages, texts)
    assert choice.model == "minilm" and choice.english_share == 1.0
    # the same comments counted without their texts: 2.5% "Latin" keeps the multilingual model
    assert choose_model("auto", languages).model == "default"


def test_english_queries_read_as_another_language_do_not_count_but_romanian_does():
    from cxtext.text.normalize import detect_language

    english = ["please tell me the weather for tomorrow", "my card was declined at the shop today"] * 100
    # short English queries the detector reads as Polish, Afrikaans, Hausa, French (while English stays likely)
    misread = ["how much do i owe visa", "spell the word aaron", "i wanna have an alarm",
               "uhh no, incorrect command.", "how come i got declined"]
    romanian = ["Aplicația se blochează de fiecare dată când o deschid", "Am fost taxat de două ori luna aceasta",
                "Nu pot să mă conectez la contul meu de ieri", "Livrarea a întârziat mai mult de o săptămână",
                "Nimeni de la suport nu mi-a răspuns la email"]
    texts = english + misread
    languages = [detect_language(t) for t in texts]
    assert sum(lang not in ("en", "pcm", "und") for lang in languages) >= 4  # the detector does misread them
    choice = choose_model("auto", languages, texts)
    assert choice.model == "minilm" and choice.english_share == 1.0
    assert "read as another language with English still likely" in choice.reason
    texts = english + romanian
    choice = choose_model("auto", [detect_language(t) for t in texts], texts)
    assert choice.model == "default" and choice.english_share < ENGLISH_SHARE
