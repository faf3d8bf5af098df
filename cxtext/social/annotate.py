"""Per-comment annotations: ``sentiment``, ``sentiment_score``, ``kind`` and ``competitors`` for every comment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import ValidationError

ANNOTATION_COLUMNS: tuple[str, ...] = ("sentiment", "sentiment_score", "kind", "competitors")


# --------------------------------------------------------------------------- annotations


def annotate_comments(
    texts: Sequence[str],
    embeddings: np.ndarray,
    languages: Sequence[str] | None = None,
    competitors: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
    *,
    embedder: Any = None,
    sentiment_model: Any = None,
    kind_model: Any = None,
) -> pd.DataFrame:
    """``sentiment``, ``sentiment_score``, ``kind``, ``competitors`` per text, in input order.

    ``embeddings``: one row per text from the **same** embedder as
    ``embedder`` (rows with NaN, i.e. not embedded, get ``<NA>`` sentiment and
    kind). The sentiment and kind models are those of :func:`seed_models` for
    ``embedder`` unless fitted ones are given; a text with no word of two letters
    and no emoji is neutral with score 0; ``embedder=None`` means
    the default model (multilingual-e5-small) with the default embedding
    cache. ``competitors``: names or ``{name: [aliases]}``; the column holds
    the names found joined by ``"; "`` ('' when none or no list).
    """
    from cxtext.social.competitors import CompetitorMatcher, join_names

    vectors = np.asarray(embeddings, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(texts):
        raise ValidationError(f"embeddings must have one row per text: got shape {vectors.shape} for "
                              f"{len(texts)} texts.")
    langs = ["und"] * len(texts) if languages is None else [str(x) for x in languages]
    ok = np.isfinite(vectors).all(axis=1) if vectors.shape[1] else np.zeros(len(texts), dtype=bool)
    out = pd.DataFrame({
        "sentiment": pd.Series([pd.NA] * len(texts), dtype="string"),
        "sentiment_score": np.full(len(texts), np.nan),
        "kind": pd.Series([pd.NA] * len(texts), dtype="string"),
    })
    if ok.any():
        if sentiment_model is None or kind_model is None:
            embedder = embedder if embedder is not None else _default_embedder()
        if sentiment_model is None or kind_model is None:
            default_sentiment, default_kinds = seed_models(embedder)
            sentiment_model = default_sentiment if sentiment_model is None else sentiment_model
            kind_model = default_kinds if kind_model is None else kind_model
        kept_langs = [lang for lang, keep in zip(langs, ok) if keep]
        frame = sentiment_model.predict_frame(vectors[ok], kept_langs)
        positions = np.flatnonzero(ok)
        # a comment with no word and no emoji ("-", "?", "10", "...") cannot be judged: neutral, score 0
        unjudgeable = np.array([not judgeable(texts[i]) for i in positions], dtype=bool)
        frame.loc[unjudgeable, "sentiment"] = "neutral"
        frame.loc[unjudgeable, "sentiment_score"] = 0.0
        out.loc[positions, "sentiment"] = frame["sentiment"].to_numpy()
        out.loc[positions, "sentiment_score"] = frame["sentiment_score"].to_numpy()
        out.loc[positions, "kind"] = kind_model.predict(vectors[ok], kept_langs)
    if competitors:
        matcher = CompetitorMatcher(competitors).fit()
        out["competitors"] = [join_names(names) for names in matcher.transform(texts)]
    else:
        out["competitors"] = ""
    return out


def annotate_records(records: pd.DataFrame, embeddings: np.ndarray,
                     competitors: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
                     **kwargs: Any) -> pd.DataFrame:
    """:func:`annotate_comments` on an analysis' ``records`` and ``embeddings`` (one row each).

    Uses ``language``; competitors are matched on the raw ``text`` (before
    redaction, which would remove ``@handles``). Folded duplicates
    (``duplicate_of``) copy the annotations of their first copy, so every
    analysed comment is annotated. Returns the four
    :data:`ANNOTATION_COLUMNS`, indexed like ``records``.
    """
    texts = records["text"].fillna("").astype(str).tolist() if "text" in records else [""] * len(records)
    languages = records["language"].fillna("und").astype(str).tolist() if "language" in records else None
    out = annotate_comments(texts, embeddings, languages, competitors, **kwargs)
    out.index = records.index
    if "duplicate_of" in records.columns and "row" in records.columns:
        position_of_row = {int(r): i for i, r in enumerate(records["row"])}
        for i, first in enumerate(records["duplicate_of"]):
            if not pd.isna(first) and int(first) in position_of_row:
                source = position_of_row[int(first)]
                for column in ("sentiment", "sentiment_score", "kind"):
                    out.iat[i, out.columns.get_loc(column)] = out.iat[source, out.columns.get_loc(column)]
    return out[list(ANNOTATION_COLUMNS)]


_WORD = re.compile(r"[^\W\d_]{2,}")


def judgeable(text: str) -> bool:
    """Whether a comment carries anything to judge: a word of 2+ letters or an emoji/symbol."""
    text = str(text)
    return bool(_WORD.search(text)) or any(unicodedata.category(ch) == "So" for ch in text)


_SEED_MODELS: dict[str, tuple[Any, Any, dict[str, Any]]] = {}


def seed_models(embedder: Any) -> tuple[Any, Any]:
    """The sentiment and kind models for ``embedder``'s model.

    Sentiment: the trained head built for the model (:mod:`cxtext.social.sentiment_head`,
    VADER's rated sentences) when there is one, else the classifier fitted on the bundled
    seed set; kinds: the seed classifier. Fitted or loaded once per embedding model
    (``embedder.model_id``) and process. The ~480 seed texts are embedded through the
    default embedding cache (``cxtext.store.default_cache_path``), whatever cache the
    analysis uses, so they are embedded once per machine and model, not once per analysis.
    :func:`sentiment_model_info` says which sentiment model it is.
    """
    sentiment, kinds, _ = _models(embedder)
    return sentiment, kinds


def sentiment_model_info(embedder: Any) -> dict[str, Any]:
    """Which sentiment model :func:`seed_models` uses for ``embedder`` and why, for ``summary.json``."""
    return dict(_models(embedder)[2])


def _models(embedder: Any) -> tuple[Any, Any, dict[str, Any]]:
    from cxtext.embed import CachedEmbedder
    from cxtext.social.kinds import KindModel
    from cxtext.social.sentiment import SentimentModel
    from cxtext.social.sentiment_head import base_model_id, find_head, head_path
    from cxtext.store import EmbeddingCache

    base = getattr(embedder, "embedder", embedder)  # unwrap a CachedEmbedder
    key = str(base.model_id)
    if key not in _SEED_MODELS:
        seed_embedder = CachedEmbedder(base, EmbeddingCache())
        head = find_head(base)
        if head is not None:
            sentiment: Any = head
            info = {"kind": "trained head", "folder": head_path(head.model_id).name,
                    "training_data": "VADER's 23,618 human-rated English sentences (MIT, vadersentiment 3.3.2) "
                                     "plus cxtext's en/ar/ro seed set",
                    "held_out_vader": (head.provenance.get("validation") or {}).get("vader_held_out")}
        else:
            sentiment = SentimentModel().fit_seed(seed_embedder)
            model = base_model_id(base)
            info = {"kind": "seed classifier",
                    "reason": f"no sentiment head is built for {model.split('@')[0].rstrip('/').split('/')[-1]}; "
                              f"build one with 'python -m cxtext.social.sentiment_build --model <your model>' "
                              f"(a few minutes) for better sentiment"}
        _SEED_MODELS[key] = (sentiment, KindModel().fit_seed(seed_embedder), info)
    return _SEED_MODELS[key]



def phrase_sentiment(phrases: Sequence[str], embedder: Any) -> list[str]:
    """"negative" / "neutral" / "positive" for short phrases (theme labels), read by the same sentiment model as
    the comments (:func:`seed_models` of ``embedder``); used to check that a label does not say the opposite of
    its theme (:mod:`cxtext.themes.polarity`)."""
    if not phrases:
        return []
    vectors = np.asarray(embedder.encode(list(phrases)), dtype=np.float32)
    return [str(label) for label in seed_models(embedder)[0].predict(vectors)]


def annotate_analysed(records: pd.DataFrame, embeddings: np.ndarray, embedder: Any,
                      competitors: Any = None) -> pd.DataFrame:
    """``records`` with the :data:`ANNOTATION_COLUMNS` joined: the annotate stage of an analysis.

    The sentiment and kind models are the seed models of ``embedder`` (:func:`seed_models`);
    rejected rows get ``<NA>`` sentiment and kind and a NaN score.
    """
    from cxtext.schema import STATUS_ANALYZED

    sentiment_model, kind_model = seed_models(embedder)
    annotations = annotate_records(records, embeddings, competitors or None,
                                   sentiment_model=sentiment_model, kind_model=kind_model)
    analysed = (records["status"] == STATUS_ANALYZED).to_numpy()
    annotations.loc[~analysed, ["sentiment", "kind"]] = pd.NA
    annotations.loc[~analysed, "sentiment_score"] = np.nan
    return records.join(annotations)

def _default_embedder() -> Any:
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    return CachedEmbedder(SentenceTransformerEmbedder("default"), EmbeddingCache())


# --------------------------------------------------------------------------- driver columns
