"""Comment kind: complaint, question, suggestion (feature request), praise or other.

Same approach as :mod:`cxtext.social.sentiment`: a classifier on the sentence
embeddings, trained on ``cxtext/data/kinds_seed.csv`` (210 short comments,
14 per kind and language in English, Arabic and Romanian, written for
cxtext). Accuracy and a confusion matrix on a separate held-out set
(``bench/data/kinds_eval.csv``) are in ``bench/results/kinds.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxtext.social.seedclf import SeedClassifier, read_seed

KINDS: tuple[str, ...] = ("complaint", "question", "suggestion", "praise", "other")
KINDS_SEED = "kinds_seed.csv"


def kinds_seed() -> pd.DataFrame:
    """The bundled labelled seed: columns ``text``, ``language``, ``kind``."""
    seed = read_seed(KINDS_SEED)
    return seed.loc[seed["kind"].isin(KINDS), ["text", "language", "kind"]].reset_index(drop=True)


class KindModel(SeedClassifier):
    """Comment-kind classifier on embeddings (see :class:`~cxtext.social.seedclf.SeedClassifier`)."""

    def __init__(self, method: str = "logistic", C: float = 1.0, center_languages: bool = True,
                 temperature: float = 0.02, random_state: int = 0) -> None:
        super().__init__(method=method, C=C, center_languages=center_languages,
                         temperature=temperature, random_state=random_state)

    def fit_seed(self, embedder: Any) -> "KindModel":
        """Fit on the bundled seed set, embedded with ``embedder``."""
        seed = kinds_seed()
        vectors = np.asarray(embedder.encode(seed["text"].tolist()), dtype=np.float32)
        return self.fit(vectors, seed["kind"].tolist(), seed["language"].tolist())
