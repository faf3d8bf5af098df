"""Sentiment on embeddings: seed set, model contract and real predictions in en/ar/ro."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.errors import NotFittedError, ValidationError
from cxtext.social.kinds import kinds_seed
from cxtext.social.seedclf import SeedClassifier
from cxtext.social.sentiment import LABELS, SentimentModel, sentiment_seed

CLEAR = [
    ("en", "negative", "Terrible service, my internet is down again and nobody helps"),
    ("en", "positive", "Brilliant support, they fixed it in five minutes, thank you"),
    ("ar", "negative", "خدمة سيئة جدا والإنترنت مقطوع من يومين"),
    ("ar", "positive", "خدمة ممتازة وسريعة، شكرا لكم"),
    ("ro", "negative", "servicii groaznice, internetul nu merge de doua zile"),
    ("ro", "positive", "Servicii excelente, mulțumesc pentru ajutor"),
]


def test_seed_is_balanced_per_language():
    seed = sentiment_seed()
    counts = seed.groupby(["language", "sentiment"]).size().unstack()
    assert set(counts.index) == {"en", "ar", "ro"} and list(counts.columns) == list(LABELS)
    assert counts.min().min() >= 30
    assert not seed["text"].duplicated().any()


def test_errors_before_and_during_fit():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 4)).astype(np.float32)
    with pytest.raises(NotFittedError):
        SentimentModel().predict(X)
    with pytest.raises(ValidationError):
        SentimentModel(method="magic").fit(X, ["negative", "positive"] * 3)
    with pytest.raises(ValidationError):
        SentimentModel().fit(X, ["bad", "positive"] * 3)
    with pytest.raises(ValidationError):
        SentimentModel(neutral_band=1.5).fit(X, ["negative", "positive"] * 3)
    model = SentimentModel().fit(X, ["negative", "positive"] * 3)
    with pytest.raises(ValidationError):
        model.predict(X[:, :3])
    with pytest.raises(ValidationError):
        SeedClassifier().fit(X, ["a"] * 6)


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    return CachedEmbedder(SentenceTransformerEmbedder("default"),
                          EmbeddingCache(tmp_path_factory.getbasetemp() / "seed-embeddings.sqlite"))


@pytest.fixture(scope="module")
def seed_vectors(embedder):
    seed = kinds_seed().merge(sentiment_seed()[["text", "sentiment"]], on="text")  # 210 rows, fast to embed
    return seed, embedder.encode(seed["text"].tolist())


@pytest.mark.model
@pytest.mark.parametrize("method", ["polarity", "logistic", "prototype"])
def test_clear_comments_in_three_languages(embedder, seed_vectors, method):
    seed, vectors = seed_vectors
    model = SentimentModel(method=method).fit(vectors, seed["sentiment"], seed["language"])
    X = embedder.encode([text for _, _, text in CLEAR])
    languages = [lang for lang, _, _ in CLEAR]
    frame = model.predict_frame(X, languages)
    assert list(frame.columns) == ["sentiment", "sentiment_score"]
    assert frame["sentiment"].tolist() == [label for _, label, _ in CLEAR]
    assert frame["sentiment_score"].between(-1, 1).all()
    negative = np.array([label == "negative" for _, label, _ in CLEAR])
    assert (frame["sentiment_score"][negative] < 0).all() and (frame["sentiment_score"][~negative] > 0).all()
    again = SentimentModel(method=method).fit(vectors, seed["sentiment"], seed["language"]).score(X, languages)
    np.testing.assert_array_equal(again, model.score(X, languages))  # deterministic


@pytest.mark.model
def test_neutral_band_and_unknown_language(embedder, seed_vectors):
    seed, vectors = seed_vectors
    X = embedder.encode(["I ordered the blue one in size M", "Love it, perfect!"])
    wide = SentimentModel(neutral_band=0.999).fit(vectors, seed["sentiment"], seed["language"])
    assert wide.predict(X, ["en", "en"]).tolist() == ["neutral", "neutral"]
    model = SentimentModel().fit(vectors, seed["sentiment"], seed["language"])
    assert model.predict(X, ["fr", None]).shape == (2,)  # unseen and missing languages use the overall mean
    assert len(model.predict_frame(np.zeros((0, X.shape[1])))) == 0
