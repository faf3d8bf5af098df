"""A small classifier on sentence embeddings, trained on a bundled seed set.

Shared by :mod:`cxtext.social.sentiment` and :mod:`cxtext.social.kinds`. The seed sets are
short comments in English, Arabic and Romanian written for cxtext
(``cxtext/data/*.csv``); they are embedded with the same embedder as the
comments being classified, so the classifier works with whichever model the
analysis uses (multilingual-e5-small by default, where it was measured: see
``bench/results/sentiment.md``).

Two methods:

* ``"logistic"``: multinomial logistic regression on the embeddings;
* ``"prototype"``: cosine similarity to each class's mean vector (the
  "labelled prototype sentences" approach), turned into probabilities with a
  softmax of temperature ``temperature``.

Either can first remove each language's mean direction
(:class:`~cxtext.themes.center.LanguageCenterer`) learnt **on the seed set**, whose
classes are balanced within every language, so the shift removed is the
language's and not the sentiment of the dump being analysed. Comments in a
language the seed set does not have get the overall seed mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.themes.center import LanguageCenterer
from cxtext.errors import NotFittedError, ValidationError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
METHODS = ("logistic", "prototype")


def read_seed(name: str) -> pd.DataFrame:
    """A bundled seed CSV from ``cxtext/data`` (columns include ``language`` and ``text``)."""
    return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)


class SeedClassifier:
    """Classify embedding vectors; scikit-learn style (parameters only in ``__init__``).

    ``fit(X, y, languages=None)`` learns ``classes_`` (sorted labels),
    ``centerer_`` (or ``None``), and ``model_`` (the logistic regression) or
    ``prototypes_`` (one unit vector per class). ``predict_proba`` returns
    one column per ``classes_`` entry; ``predict`` the most probable label.
    Deterministic: the same inputs and ``random_state`` give the same output.
    """

    def __init__(self, method: str = "logistic", C: float = 1.0, center_languages: bool = True,
                 temperature: float = 0.02, random_state: int = 0) -> None:
        self.method = method
        self.C = C
        self.center_languages = center_languages
        self.temperature = temperature
        self.random_state = random_state

    # ------------------------------------------------------------------ fit / predict

    def fit(self, X: np.ndarray, y: Sequence[str], languages: Sequence[str] | None = None) -> "SeedClassifier":
        if self.method not in METHODS:
            raise ValidationError(f"method must be one of {METHODS}; got {self.method!r}.")
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ValidationError(f"C must be a number > 0; got {self.C!r}.")
        if not (isinstance(self.temperature, (int, float)) and self.temperature > 0):
            raise ValidationError(f"temperature must be a number > 0; got {self.temperature!r}.")
        vectors = _matrix(X)
        labels = np.asarray([str(v) for v in y], dtype=object)
        if len(labels) != len(vectors):
            raise ValidationError(f"X has {len(vectors)} rows but y has {len(labels)} labels.")
        self.classes_ = np.array(sorted(set(labels)), dtype=object)
        if len(self.classes_) < 2:
            raise ValidationError(f"fit needs at least two classes; got {list(self.classes_)}.")
        self.n_features_in_ = vectors.shape[1]
        self.centerer_ = None
        if self.center_languages:
            langs = _languages(languages, len(vectors))
            self.centerer_ = LanguageCenterer().fit(vectors, langs)
            vectors = self.centerer_.transform(vectors, langs)
        if self.method == "logistic":
            from sklearn.linear_model import LogisticRegression

            self.model_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
            self.model_.fit(vectors, labels)
            assert list(self.model_.classes_) == list(self.classes_)
        else:
            prototypes = np.stack([vectors[labels == c].mean(axis=0) for c in self.classes_])
            self.prototypes_ = prototypes / np.linalg.norm(prototypes, axis=1, keepdims=True)
        return self

    def predict_proba(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        vectors = self._prepare(X, languages)
        if len(vectors) == 0:
            return np.zeros((0, len(self.classes_)))
        if self.method == "logistic":
            return self.model_.predict_proba(vectors)
        logits = vectors @ self.prototypes_.T / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        proba = self.predict_proba(X, languages)
        return self.classes_[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=object)

    def _prepare(self, X: np.ndarray, languages: Sequence[str] | None) -> np.ndarray:
        if not hasattr(self, "classes_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit(X, y, languages) first.")
        vectors = _matrix(X)
        if len(vectors) and vectors.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {vectors.shape[1]} columns but the classifier was fitted on {self.n_features_in_}: "
                "embed the comments with the same model as the seed set.")
        if self.centerer_ is not None and len(vectors):
            vectors = self.centerer_.transform(vectors, _languages(languages, len(vectors)))
        return vectors


def _matrix(X: np.ndarray) -> np.ndarray:
    vectors = np.asarray(X, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValidationError(f"X must be a 2-D array (one embedding per row); got shape {vectors.shape}.")
    if len(vectors) and not np.isfinite(vectors).all():
        raise ValidationError("X contains NaN or infinite values; pass only rows that were embedded.")
    return vectors


def _languages(languages: Sequence[str] | None, n: int) -> list[str]:
    if languages is None:
        return ["und"] * n
    codes = ["und" if (c is None or (isinstance(c, float) and np.isnan(c))) else str(c) for c in languages]
    if len(codes) != n:
        raise ValidationError(f"languages has {len(codes)} entries but X has {n} rows.")
    return codes
