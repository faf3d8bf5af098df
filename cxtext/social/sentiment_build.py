"""Build the sentiment head of an embedding model: ``python -m cxtext.social.sentiment_build``.

Run by ``make model`` / ``make test`` for the two models cxtext picks itself (the default
multilingual-e5-small and, for English dumps, all-MiniLM-L6-v2); run it with ``--model PATH``
for your own model. It needs PyPI once (``pip download vadersentiment==3.3.2``, ~2.5 MB,
kept in ``models/sentiment/downloads``) and takes a few minutes on 2 cores, nearly all of it
embedding the 23,618 rated sentences (cached, so a rebuild is quick).

Training data: VADER's human-rated English sentences (MIT; :mod:`cxtext.social.vader_data`)
plus cxtext's own seed set in English, Arabic and Romanian (``cxtext/data``), each seed row
weighted :data:`SEED_WEIGHT`. Settings (:data:`SEED_WEIGHT`, :data:`CENTRE_LANGUAGES`) were chosen on two validation
sources, never on a benchmark set (``bench/sentiment_heads.py`` records the comparison):
leaving one VADER source out at a time (train on three of tweets / product reviews / movie
reviews / editorials, score the fourth), and cxtext's held-out customer-feedback comments
(``bench/data/kinds_eval.csv``, en/ar/ro, written apart from the seed: complaints negative,
praise positive, other neutral); the mean of the two macro-F1s is flat from weight 20 to 100
(0.723-0.726) and the smallest such weight was taken;
:data:`LABEL_BAND` is half a scale point, fixed beforehand; the temperature and the neutral bias are
chosen here, on VADER's held-out 20%, by :mod:`cxtext.social.sentiment_train`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np

from cxtext.social.sentiment_head import GLOBAL_LANGUAGE, SentimentHead, base_model_id, head_path, heads_dir, save_head
from cxtext.social.sentiment_train import (
    ValidationSet,
    choose_temperature,
    choose_neutral_bias,
    evaluate,
    fit_linear,
    language_means,
    with_settings,
)

LABEL_BAND = 0.5      # VADER mean rating (-4..+4) with |rating| < 0.5 is neutral: 18% of the sentences
C = 1.0               # inverse L2 strength of the logistic regression
SEED_WEIGHT = 20.0    # each seed row counts as 20 rated sentences (480 seed rows vs 23,618)
CENTRE_LANGUAGES = False  # no language centring: it lost on VADER's left-out sources and on the ar/ro seeds
VALID_SHARE = 0.2     # VADER sentences held out to calibrate and choose the bias
RANDOM_STATE = 0
MODELS = ("default", "minilm")


def build_head(embedder: Any, downloads: Path, log: Any = print) -> SentimentHead:
    """Train, calibrate and return the head for ``embedder`` (anything with ``encode(texts)``)."""
    from cxtext.social.sentiment import sentiment_seed
    from cxtext.social.vader_data import CITATION, LICENCE, PACKAGE, SDIST_SHA256, download_sdist, \
        read_ground_truth, three_classes

    vader = read_ground_truth(download_sdist(downloads))
    seed = sentiment_seed()
    log(f"embedding {len(vader):,} VADER sentences and {len(seed)} seed comments with {base_model_id(embedder)}")
    vectors = np.asarray(embedder.encode(vader["text"].tolist()), dtype=np.float32)
    seed_vectors = np.asarray(embedder.encode(seed["text"].tolist()), dtype=np.float32)
    labels = three_classes(vader["rating"], LABEL_BAND)
    seed_labels = seed["sentiment"].to_numpy(dtype=object)
    seed_languages = seed["language"].astype(str).tolist()
    means = language_means(seed_vectors, seed_languages) if CENTRE_LANGUAGES else \
        {GLOBAL_LANGUAGE: np.zeros(vectors.shape[1], dtype=np.float32)}
    valid = np.random.default_rng(RANDOM_STATE).random(len(vader)) < VALID_SHARE

    def fit(mask: np.ndarray) -> SentimentHead:
        X = np.vstack([vectors[mask], seed_vectors])
        y = np.concatenate([labels[mask], seed_labels])
        langs = ["en"] * int(mask.sum()) + seed_languages
        weights = np.concatenate([np.ones(int(mask.sum())), np.full(len(seed), SEED_WEIGHT)])
        return fit_linear(X, y, langs, means, C, RANDOM_STATE, sample_weight=weights)

    held_out = ValidationSet("vader held-out 20%", vectors[valid], labels[valid], ("en",) * int(valid.sum()))
    trial = fit(~valid)
    temperature = choose_temperature(trial, held_out)
    bias, curve = choose_neutral_bias(with_settings(trial, 0.0, temperature), [held_out])
    checked = evaluate(with_settings(trial, bias, temperature), held_out)
    log(f"held-out VADER: temperature {temperature}, neutral bias {bias}, accuracy "
        f"{checked['accuracy']:.3f}, macro-F1 {checked['macro_f1']:.3f} (majority {checked['majority']:.3f})")
    final = fit(np.ones(len(vader), dtype=bool))
    counts = {str(k): int(v) for k, v in zip(*np.unique(labels, return_counts=True))}
    provenance = {
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "training_data": {
            "vader": {"package": PACKAGE, "sha256": SDIST_SHA256, "licence": LICENCE, "citation": CITATION,
                      "sentences": int(len(vader)), "by_source": vader["source"].value_counts().to_dict(),
                      "label_band": LABEL_BAND, "classes": counts},
            "seed": {"path": "cxtext/data/sentiment_seed.csv + kinds_seed.csv", "licence": "cxtext's own",
                     "rows": int(len(seed)), "by_language": seed["language"].value_counts().to_dict(),
                     "weight": SEED_WEIGHT},
        },
        "settings": {"C": C, "temperature": temperature, "neutral_bias": bias,
                     "centring": "seed-set mean per language" if CENTRE_LANGUAGES else "none"},
        "validation": {"vader_held_out": checked, "neutral_bias_curve": curve},
        "cxtext_sentiment": "sentiment_score = P(positive) - P(negative); label = argmax of the logits + neutral_bias on neutral",
    }
    return with_settings(final, bias, temperature, model_id=base_model_id(embedder), provenance=provenance)


def build(model: str = "default", force: bool = False, cache: Path | None = None, log: Any = print) -> Path:
    """Build (unless present) the head of ``model`` and return its folder.

    ``cache``: the embedding cache file to use (default: cxtext's default cache).
    """
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    embedder = SentenceTransformerEmbedder(model)
    folder = head_path(base_model_id(embedder))
    if (folder / "head.npz").exists() and not force:
        log(f"sentiment head for {model!r} already built: {folder}")
        return folder
    head = build_head(CachedEmbedder(embedder, EmbeddingCache(cache) if cache else EmbeddingCache()), heads_dir() / "downloads", log)
    save_head(head, folder)
    log(f"sentiment head written to {folder}")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxtext.social.sentiment_build", description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", help="embedding model (default, minilm or a folder); "
                        "repeatable; default: both of cxtext's own")
    parser.add_argument("--force", action="store_true", help="rebuild even when present")
    parser.add_argument("--cache", type=Path, help="embedding cache file (default: cxtext's default cache)")
    args = parser.parse_args(argv)
    from cxtext.errors import CxtextError

    try:
        for model in args.model or MODELS:
            build(model, force=args.force, cache=args.cache)
    except CxtextError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
