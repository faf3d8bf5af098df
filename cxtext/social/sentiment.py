"""Sentiment per comment: negative / neutral / positive and a score in [-1, 1].

Offline and multilingual: a classifier on the sentence embeddings cxtext
already computes (see :mod:`cxtext.social.seedclf`), trained on a seed set of short
comments written for cxtext in English, Arabic and Romanian
(``cxtext/data/sentiment_seed.csv`` plus the complaint/praise/neutral rows of
``cxtext/data/kinds_seed.csv``). ``sentiment_score = P(positive) -
P(negative)``: -1 is surely negative, +1 surely positive, near 0 neutral,
mixed or unsure. By default the probabilities come from a negative-vs-positive
model and a comment is neutral when ``|score| < 0.2``.

Accuracy per language, against the majority-class baseline, is in
``bench/results/sentiment.md`` (``bench/sentiment.py``); the method and the
language centring were chosen there.

Typical use::

    from cxtext.embed import SentenceTransformerEmbedder
    model = SentimentModel().fit_seed(embedder)          # embeds ~480 short seed texts once (cached)
    frame = model.predict_frame(embeddings, languages)   # columns sentiment, sentiment_score
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import NotFittedError, ValidationError
from cxtext.social.seedclf import SeedClassifier, read_seed

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
METHODS: tuple[str, ...] = ("polarity", "logistic", "prototype")
SENTIMENT_SEED = "sentiment_seed.csv"
KINDS_SEED = "kinds_seed.csv"


def sentiment_seed() -> pd.DataFrame:
    """The bundled labelled seed: columns ``text``, ``language``, ``sentiment``.

    Rows of both seed files that carry a sentiment label, duplicates dropped.
    """
    frames = [read_seed(SENTIMENT_SEED), read_seed(KINDS_SEED)]
    seed = pd.concat([f[["text", "language", "sentiment"]] for f in frames], ignore_index=True)
    seed = seed[seed["sentiment"].isin(LABELS)].drop_duplicates("text").reset_index(drop=True)
    return seed


class SentimentModel:
    """Sentiment on embeddings; scikit-learn style (parameters only in ``__init__``).

    ``method``:

    * ``"polarity"`` (default, best in ``bench/results/sentiment.md``): a
      logistic regression on the negative and positive seed rows only;
      ``sentiment_score = 2·P(positive) - 1`` and a comment is neutral when
      ``|score| < neutral_band``. Mixed or factual comments land near 0.
    * ``"logistic"``: a 3-class logistic regression (neutral seeds too);
      score ``P(positive) - P(negative)``, label the most probable class.
    * ``"prototype"``: cosine similarity to each class's mean seed vector,
      softmax with ``temperature``; score and label as for ``"logistic"``.

    ``center_languages`` removes each language's mean direction learnt on the
    seed set. Fitted attributes: ``classes_`` (:data:`LABELS`),
    ``classifier_`` (the :class:`~cxtext.social.seedclf.SeedClassifier`).
    """

    def __init__(self, method: str = "polarity", C: float = 1.0, center_languages: bool = True,
                 neutral_band: float = 0.2, temperature: float = 0.02, random_state: int = 0) -> None:
        self.method = method
        self.C = C
        self.center_languages = center_languages
        self.neutral_band = neutral_band
        self.temperature = temperature
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: Sequence[str], languages: Sequence[str] | None = None) -> "SentimentModel":
        if self.method not in METHODS:
            raise ValidationError(f"method must be one of {METHODS}; got {self.method!r}.")
        if not (isinstance(self.neutral_band, (int, float)) and 0 <= self.neutral_band < 1):
            raise ValidationError(f"neutral_band must be a number in [0, 1); got {self.neutral_band!r}.")
        labels = np.asarray([str(v) for v in y], dtype=object)
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise ValidationError(f"sentiment labels must be {LABELS}; found {unknown}.")
        vectors = np.asarray(X, dtype=np.float32)
        langs = None if languages is None else np.asarray(list(languages), dtype=object)
        keep = labels != "neutral" if self.method == "polarity" else np.ones(len(labels), dtype=bool)
        if len(keep) != len(vectors):
            raise ValidationError(f"X has {len(vectors)} rows but y has {len(labels)} labels.")
        base = "logistic" if self.method == "polarity" else self.method
        self.classifier_ = SeedClassifier(method=base, C=self.C, center_languages=self.center_languages,
                                          temperature=self.temperature, random_state=self.random_state)
        self.classifier_.fit(vectors[keep], labels[keep], None if langs is None else langs[keep].tolist())
        if not {"negative", "positive"} <= set(self.classifier_.classes_):
            raise ValidationError("fit needs both negative and positive examples.")
        self.classes_ = np.array(LABELS, dtype=object)
        return self

    def fit_seed(self, embedder: Any) -> "SentimentModel":
        """Fit on the bundled seed set, embedded with ``embedder`` (anything with ``encode(texts)``)."""
        seed = sentiment_seed()
        vectors = np.asarray(embedder.encode(seed["text"].tolist()), dtype=np.float32)
        return self.fit(vectors, seed["sentiment"].tolist(), seed["language"].tolist())

    def _check_fitted(self) -> None:
        if not hasattr(self, "classifier_"):
            raise NotFittedError("SentimentModel is not fitted yet; call fit(X, y, languages) or fit_seed(embedder).")

    def score(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """Sentiment score per row in [-1, 1]: ``P(positive) - P(negative)``."""
        self._check_fitted()
        proba = self.classifier_.predict_proba(X, languages)
        column = {c: i for i, c in enumerate(self.classifier_.classes_)}
        if len(proba) == 0:
            return np.zeros(0)
        return np.clip(proba[:, column["positive"]] - proba[:, column["negative"]], -1.0, 1.0)

    def predict(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """``"negative"``, ``"neutral"`` or ``"positive"`` per row."""
        return self._labels(X, languages)[0]

    def _labels(self, X: np.ndarray, languages: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
        score = self.score(X, languages)
        if self.method == "polarity":
            labels = np.where(score >= self.neutral_band, "positive",
                              np.where(score <= -self.neutral_band, "negative", "neutral"))
            return labels.astype(object), score
        labels = self.classifier_.predict(X, languages) if len(score) else np.array([], dtype=object)
        return np.asarray(labels, dtype=object), score

    def predict_frame(self, X: np.ndarray, languages: Sequence[str] | None = None) -> pd.DataFrame:
        """``sentiment`` (negative|neutral|positive) and ``sentiment_score`` (rounded to 4 places) per row."""
        labels, score = self._labels(X, languages)
        return pd.DataFrame({"sentiment": pd.Series(labels, dtype="string"),
                             "sentiment_score": np.round(score.astype(float), 4)})
