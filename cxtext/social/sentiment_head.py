"""The trained sentiment head: a 3-class linear classifier on an embedding model's vectors.

Built once per embedding model at ``make`` time by :mod:`cxtext.social.sentiment_build`
(VADER's human-rated English sentences, see :mod:`cxtext.social.vader_data`) and saved
under ``models/sentiment/<model>/``: ``head.npz`` (the weights) and ``provenance.json``
(data, licence, settings, validation numbers). At analysis time :func:`find_head` loads
the head of the analysis' embedding model, if one was built; otherwise cxtext falls back
to the seed classifier (:class:`cxtext.social.sentiment.SentimentModel`) and says so.

The head has the same reading interface as ``SentimentModel`` (``score``, ``predict``,
``predict_frame``): ``sentiment_score = P(positive) - P(negative)`` in -1..1 and the label
is the most probable class after ``neutral_bias`` is added to the neutral logit (the bias is
chosen on validation data at build time; 0 is the plain most probable class).
Comments are first centred on their language's mean vector (means learnt on the bundled
seed set, whose classes are balanced in every language), which is what lets a head
trained on English carry over to Arabic and Romanian through a multilingual model.

Imports :mod:`cxtext.errors`, :mod:`cxtext.themes.center` (the centring) and, to name a model,
:mod:`cxtext.embed`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import ModelError, ValidationError

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
HEADS_FOLDER = "sentiment"
FORMAT_VERSION = 2
GLOBAL_LANGUAGE = "*"


@dataclass(frozen=True, eq=False)
class SentimentHead:
    """A fitted 3-class linear head; arrays are read-only.

    ``coef`` (3, dim) and ``intercept`` (3,) in :data:`LABELS` order, applied to the
    language-centred, re-normalised vector; ``temperature`` divides the logits
    (calibration, chosen on validation data); ``neutral_bias`` is added to the neutral logit
    before the label is chosen (not to the probabilities); ``language_means`` maps a language code
    (and ``"*"`` for any other language) to the mean vector removed before the head.
    """

    coef: np.ndarray
    intercept: np.ndarray
    language_means: dict[str, np.ndarray]
    neutral_bias: float
    temperature: float = 1.0
    model_id: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.coef.ndim != 2 or self.coef.shape[0] != len(LABELS) or self.intercept.shape != (len(LABELS),):
            raise ValidationError(f"A sentiment head needs coef (3, dim) and intercept (3,); got "
                                  f"{self.coef.shape} and {self.intercept.shape}.")
        if GLOBAL_LANGUAGE not in self.language_means:
            raise ValidationError("A sentiment head needs a mean vector for '*' (languages it has not seen).")
        if not np.isfinite(self.neutral_bias) or self.temperature <= 0:
            raise ValidationError("neutral_bias must be a finite number and temperature > 0.")

    @property
    def dim(self) -> int:
        """Length of the vectors the head reads."""
        return int(self.coef.shape[1])

    def logits(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated logits per row (columns in :data:`LABELS` order)."""
        vectors = self._centred(X, languages)
        if len(vectors) == 0:
            return np.zeros((0, len(LABELS)))
        # float64, so a row's result does not depend on its batch beyond ~1e-15 (BLAS picks other kernels
        # for one row than for many); the 4-decimal score and the label are then the same either way
        return (vectors.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept) / self.temperature

    def predict_proba(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """P(negative), P(neutral), P(positive) per row (columns in :data:`LABELS` order)."""
        return _softmax(self.logits(X, languages))

    def score(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """``P(positive) - P(negative)`` per row, in -1..1."""
        return _score_from_logits(self.logits(X, languages))

    def predict(self, X: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
        """``"negative"``, ``"neutral"`` or ``"positive"`` per row."""
        return labels_from_logits(self.logits(X, languages), self.neutral_bias)

    def predict_frame(self, X: np.ndarray, languages: Sequence[str] | None = None) -> pd.DataFrame:
        """``sentiment`` and ``sentiment_score`` (rounded to 4 places) per row."""
        logits = self.logits(X, languages)
        labels = labels_from_logits(logits, self.neutral_bias)
        score = _score_from_logits(logits)
        return pd.DataFrame({"sentiment": pd.Series(labels, dtype="string"),
                             "sentiment_score": np.round(score.astype(float), 4)})

    def _centred(self, X: np.ndarray, languages: Sequence[str] | None) -> np.ndarray:
        vectors = np.asarray(X, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValidationError(f"X must be a 2-D array (one embedding per row); got shape {vectors.shape}.")
        if len(vectors) and vectors.shape[1] != self.dim:
            raise ValidationError(f"X has {vectors.shape[1]} columns but the sentiment head reads {self.dim}: "
                                  "embed the comments with the model the head was built for.")
        codes = ["und"] * len(vectors) if languages is None else [str(c) for c in languages]
        if len(codes) != len(vectors):
            raise ValidationError(f"languages has {len(codes)} entries but X has {len(vectors)} rows.")
        return centre_vectors(vectors, codes, self.language_means)


def centre_vectors(vectors: np.ndarray, languages: Sequence[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Each row minus its language's mean (``"*"`` for languages not in ``means``), re-normalised.

    The same arithmetic as the themes' :class:`~cxtext.themes.center.LanguageCenterer`, with given means.
    """
    from cxtext.themes.center import LanguageCenterer

    if not len(vectors):
        return vectors
    return LanguageCenterer.from_dict(means).transform(vectors, list(languages))


def labels_from_logits(logits: np.ndarray, neutral_bias: float) -> np.ndarray:
    """negative / neutral / positive: the largest logit once ``neutral_bias`` is added to the neutral one."""
    if len(logits) == 0:
        return np.array([], dtype=object)
    shifted = np.asarray(logits, dtype=float) + np.array([0.0, neutral_bias, 0.0])
    return np.asarray(LABELS, dtype=object)[shifted.argmax(axis=1)]


def _softmax(logits: np.ndarray) -> np.ndarray:
    if len(logits) == 0:
        return logits
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


def _score_from_logits(logits: np.ndarray) -> np.ndarray:
    if len(logits) == 0:
        return np.zeros(0)
    proba = _softmax(logits)
    return np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)


# ------------------------------------------------------------------ where heads live


def head_slug(model_id: str) -> str:
    """A folder name for a model id: its last two parts plus a short hash of the whole id (ids can be paths)."""
    import hashlib

    parts = model_id.replace("\\", "/").split("@")[0].rstrip("/").split("/")[-2:]
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts))
    return f"{tail.strip('-.')[:60] or 'model'}-{hashlib.sha256(model_id.encode()).hexdigest()[:8]}"


def heads_dir() -> Path:
    """``models/sentiment`` (under ``$CXTEXT_MODELS_DIR`` when set)."""
    from cxtext.embed import models_dir

    return models_dir() / HEADS_FOLDER


def head_path(model_id: str) -> Path:
    """The folder of the head built for the embedding model ``model_id``."""
    return heads_dir() / head_slug(model_id)


def base_model_id(embedder: Any) -> str:
    """The id of the embedding model behind ``embedder``, without its backend.

    A head trained on a model's int8 ONNX vectors reads its float32 vectors too (cosine
    0.99 between them, ``bench/results/english_model.md``), so heads are per model.
    """
    from cxtext.embed import resolve_model

    base = getattr(embedder, "embedder", embedder)  # unwrap a CachedEmbedder
    name = getattr(base, "model", None)
    if isinstance(name, str):
        try:
            return resolve_model(name, build_missing=False).model_id
        except ModelError:
            pass
    return str(getattr(base, "model_id", name))


def save_head(head: SentimentHead, folder: Path) -> Path:
    """Write ``head.npz`` and ``provenance.json`` into ``folder`` (atomically, via a temporary folder)."""
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    languages = sorted(head.language_means)
    np.savez(staging / "head.npz", coef=head.coef.astype(np.float32), intercept=head.intercept.astype(np.float32),
             means=np.stack([head.language_means[c] for c in languages]).astype(np.float32),
             languages=np.array(languages), settings=np.array([head.neutral_bias, head.temperature]))
    meta = {"format_version": FORMAT_VERSION, "model_id": head.model_id, **head.provenance}
    (staging / "provenance.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    return folder


def load_head(folder: Path) -> SentimentHead:
    """The head saved in ``folder`` by :func:`save_head`; ModelError when it is missing or damaged."""
    try:
        meta = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        with np.load(folder / "head.npz", allow_pickle=False) as data:
            means = {str(c): np.asarray(m, dtype=np.float32) for c, m in zip(data["languages"], data["means"])}
            bias, temperature = (float(x) for x in data["settings"])
            coef, intercept = np.asarray(data["coef"]), np.asarray(data["intercept"])
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"The sentiment head in {folder} cannot be read ({error}); rebuild it with "
                         "'python -m cxtext.social.sentiment_build'.") from None
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"The sentiment head in {folder} has format {meta.get('format_version')}, this cxtext "
                         f"reads {FORMAT_VERSION}: rebuild it with 'python -m cxtext.social.sentiment_build'.")
    provenance = {k: v for k, v in meta.items() if k not in ("format_version", "model_id")}
    return SentimentHead(coef, intercept, means, bias, temperature, str(meta.get("model_id", "")), provenance)


def find_head(embedder: Any) -> SentimentHead | None:
    """The head built for ``embedder``'s model, or None when none was built."""
    folder = head_path(base_model_id(embedder))
    return load_head(folder) if (folder / "head.npz").exists() else None
