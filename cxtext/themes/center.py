"""Remove each language's mean direction from the embeddings.

Multilingual encoders such as multilingual-e5-small place a sentence near
its translation, but every language also shifts all of its sentences in a
shared direction. On a mixed dump that shift is larger than the difference
between two complaints, so clustering groups comments by language instead
of by pain point. Subtracting each language's mean vector (Libovický et
al., 2020, "On the Language Neutrality of Pre-trained Multilingual
Representations") removes the shift and keeps the topic signal.

Measured on ``bench/data/parallel_painpoints.csv`` (120 comments, 8 pain
points, en/ar/ro), multilingual-e5-small: NMI of the clusters against the
language fell from 0.54 to 0.01 (KMeans k=8), NMI against the pain point
rose from 0.23 to 0.46 (KMeans) and from 0.33 to 0.52 (UMAP+HDBSCAN), and
the Arabic comments whose nearest English comment is their translation rose
from 92.5% to 100%.

Languages with fewer than ``min_language_size`` comments, and "und"
(too short to tell), are shifted by the mean of all comments instead: their
own mean would be mostly the topic of those few comments.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.errors import NotFittedError, ValidationError

GLOBAL_KEY = "*"


class LanguageCenterer:
    """Subtract per-language mean vectors, then L2-normalise again.

    ``fit(embeddings, languages)`` learns ``means_`` (language code -> vector,
    plus ``"*"`` for the overall mean); ``transform`` applies them, using the
    overall mean for languages not seen or too small at fit time.
    """

    def __init__(self, min_language_size: int = 20) -> None:
        self.min_language_size = min_language_size

    def fit(self, embeddings: np.ndarray, languages: Sequence[str]) -> "LanguageCenterer":
        if not isinstance(self.min_language_size, int) or self.min_language_size < 1:
            raise ValidationError("The 'min_language_size' parameter must be an int >= 1. "
                                  f"Got {self.min_language_size!r} instead.")
        vectors = _check(embeddings, languages)
        codes = np.asarray(languages, dtype=object)
        self.means_: dict[str, np.ndarray] = {GLOBAL_KEY: vectors.mean(axis=0) if len(vectors) else
                                              np.zeros(vectors.shape[1], dtype=np.float32)}
        for code in sorted(set(codes) - {"und"}):
            mask = codes == code
            if mask.sum() >= self.min_language_size:
                self.means_[str(code)] = vectors[mask].mean(axis=0)
        return self

    def transform(self, embeddings: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        if not hasattr(self, "means_"):
            raise NotFittedError("LanguageCenterer is not fitted yet; call fit(embeddings, languages) first.")
        vectors = _check(embeddings, languages)
        shifts = np.stack([self.means_.get(str(code), self.means_[GLOBAL_KEY]) for code in languages]) \
            if len(vectors) else np.zeros_like(vectors)
        centred = vectors - shifts
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return (centred / np.where(norms == 0, 1.0, norms)).astype(np.float32)

    def fit_transform(self, embeddings: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        return self.fit(embeddings, languages).transform(embeddings, languages)

    def to_dict(self) -> dict[str, list[float]]:
        """The fitted means as plain lists, for a JSON model file."""
        return {code: [float(v) for v in mean] for code, mean in self.means_.items()}

    @classmethod
    def from_dict(cls, means: dict[str, list[float]], min_language_size: int = 20) -> "LanguageCenterer":
        centerer = cls(min_language_size)
        centerer.means_ = {code: np.asarray(mean, dtype=np.float32) for code, mean in means.items()}
        return centerer


def _check(embeddings: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    vectors = np.asarray(embeddings, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(languages):
        raise ValidationError(f"embeddings must be a 2-D array with one row per language code; got shape "
                              f"{vectors.shape} for {len(languages)} language codes.")
    return vectors
