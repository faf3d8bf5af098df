"""Issue 19, point 2: one pass of contrastive fine-tuning of multilingual-e5-small, measured out of sample.

    .venv/bin/python bench/finetune_trial.py [--steps 400] [--threads 1]

A trial, not a shipped model. Training: CLINC150 train (15,000 in-scope queries, 150 intents) and
HWU64 train (8,954 commands, 64 intents), both CC BY, from ../shared/data; ``steps`` batches of 32
pairs, each pair two queries of one intent and the 32 pairs of a batch from 32 different intents
(so no in-batch negative is a false one); MultipleNegativesRankingLoss (in-batch negatives), AdamW
lr 2e-5, token embeddings and the lower 6 of 12 layers frozen (to keep it cheap), seed 0, texts with
the model's "query: " prefix, as cxtext embeds them.

Evaluation, base vs tuned, both as sentence-transformers float32 on the CPU:

* KMeans at the true number of labels (3 seeds, mean NMI) on the test splits of
  ``bench/lodo_data.py``: clinc-banking and hwu64 (**in domain**: the same intents as the training
  data, other queries), bitext-service, absa-restaurants and absa-laptops (**held out**: no training
  text comes from them). KMeans rather than cxtext's pipeline: a first look at the vectors, cheap.
* The en/ar/ro parallel pain-point set (``bench/data/parallel_painpoints.csv``, 120 comments, held out):
  twins (share of the 40 Arabic / Romanian comments whose nearest English comment is their own twin)
  and KMeans(8) NMI against the pain points, raw and with each language's mean removed (cxtext's
  language centring), and on the 40 English comments alone.

Writes bench/results/finetune_trial.md (the tuned model goes to a temporary folder, removed after).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lodo_data  # noqa: E402
from bench.machine import machine_line  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BASE = ROOT / "models" / "multilingual-e5-small"
PARALLEL = ROOT / "bench" / "data" / "parallel_painpoints.csv"
RESULTS = ROOT / "bench" / "results" / "finetune_trial.md"
SETS = {"clinc-banking": "in domain", "hwu64": "in domain", "bitext-service": "held out",
        "absa-restaurants": "held out", "absa-laptops": "held out"}
BATCH, FROZEN_LAYERS, LR, PREFIX = 32, 6, 2e-5, "query: "


def training_groups() -> dict[str, list[str]]:
    clinc = pd.read_csv(DATA / "clinc150" / "clinc150.csv")
    clinc = clinc[(clinc["split"] == "train") & (clinc["label"] != "oos")]
    hwu = pd.read_csv(DATA / "hwu64" / "hwu64.csv")
    hwu = hwu[hwu["split"] == "train"]
    data = pd.concat([clinc[["text", "label"]].assign(label="c_" + clinc["label"]),
                      hwu[["text", "label"]].assign(label="h_" + hwu["label"])], ignore_index=True)
    return {label: group["text"].tolist() for label, group in data.groupby("label")}


def fine_tune(steps: int, out: Path) -> tuple[float, int]:
    """Train and save the tuned model to ``out``; returns (seconds, training texts available)."""
    groups = training_groups()
    rng = random.Random(0)
    batches = [[rng.sample(groups[k], 2) for k in rng.sample(list(groups), BATCH)] for _ in range(steps)]
    return train_on_batches(batches, out), sum(len(v) for v in groups.values())


def train_on_batches(batches: list[list[list[str]]], out: Path) -> float:
    """One pass over ``batches`` (each a list of (anchor, positive) pairs), in-batch negatives, lower
    FROZEN_LAYERS layers and the token embeddings frozen; saves the model to ``out``, returns seconds."""
    import torch
    from sentence_transformers import SentenceTransformer, losses

    torch.manual_seed(0)
    model = SentenceTransformer(str(BASE), device="cpu")
    encoder = model[0].auto_model
    for part in [encoder.embeddings, *encoder.encoder.layer[:FROZEN_LAYERS]]:
        for parameter in part.parameters():
            parameter.requires_grad = False
    loss = losses.MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR)
    model.train()
    start = time.perf_counter()
    for pairs in batches:
        anchors = model.tokenize([PREFIX + a for a, _ in pairs])
        positives = model.tokenize([PREFIX + b for _, b in pairs])
        loss([anchors, positives], None).backward()
        optimiser.step()
        optimiser.zero_grad()
    seconds = time.perf_counter() - start
    model.eval()
    model.save(str(out))
    return seconds


def evaluate(path: Path, sets: tuple[str, ...] = tuple(SETS)) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer
    from sklearn.cluster import KMeans
    from sklearn.metrics import normalized_mutual_info_score as nmi

    model = SentenceTransformer(str(path), device="cpu")

    def embed(texts: list[str]) -> np.ndarray:
        return model.encode([PREFIX + t for t in texts], batch_size=32, normalize_embeddings=True)

    def kmeans_nmi(labels, X, k) -> float:
        return float(np.mean([nmi(labels, KMeans(k, n_init=3, random_state=r).fit_predict(X)) for r in range(3)]))

    scores: dict[str, float] = {}
    for name in sets:
        frame = lodo_data.load(name)
        scores[name] = kmeans_nmi(frame["label"], embed(frame["text"].tolist()), frame["label"].nunique())
    par = pd.read_csv(PARALLEL)
    X = embed(par["text"].tolist())
    centred = X.copy()
    for lang in par["lang"].unique():
        rows = (par["lang"] == lang).to_numpy()
        centred[rows] -= X[rows].mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    english = (par["lang"] == "en").to_numpy()
    for tag, vectors in (("raw", X), ("centred", centred)):
        for lang in ("ar", "ro"):
            rows = (par["lang"] == lang).to_numpy()
            nearest = (vectors[rows] @ vectors[english].T).argmax(axis=1)
            scores[f"twins {lang} ({tag})"] = float(np.mean(
                par["group_id"].to_numpy()[english][nearest] == par["group_id"].to_numpy()[rows]))
        scores[f"parallel NMI ({tag})"] = kmeans_nmi(par["pain_point"], vectors, 8)
    scores["parallel NMI (English alone)"] = kmeans_nmi(par["pain_point"][english], X[english], 8)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        seconds, available = fine_tune(args.steps, Path(folder) / "tuned")
        base, tuned = evaluate(BASE), evaluate(Path(folder) / "tuned")
    rows = [f"| {name} | {SETS.get(name, 'held out')} | {base[name]:.3f} | {tuned[name]:.3f} | "
            f"{tuned[name] - base[name]:+.3f} |" for name in base]
    text = "\n".join([
        "# Fine-tuning multilingual-e5-small on English intents: a trial (issue 19, point 2)", "",
        machine_line(), "",
        f"Command: `.venv/bin/python bench/finetune_trial.py --steps {args.steps} --threads {args.threads}` "
        f"({(time.perf_counter() - started) / 60:.0f} min in all). Method in the script's docstring: "
        f"{args.steps} batches of {BATCH} same-intent pairs ({args.steps * BATCH:,} pairs drawn from "
        f"{available:,} CLINC150 + HWU64 training queries), in-batch negatives, lower {FROZEN_LAYERS} of 12 "
        f"layers and the token embeddings frozen; training took {seconds / 60:.1f} min on {args.threads} "
        "thread(s) of a machine shared with other work. Both models float32 (sentence-transformers).", "",
        "| measure | set | base | tuned | change |", "| --- | --- | ---: | ---: | ---: |", *rows, "",
        "KMeans at the true number of labels, mean NMI over 3 seeds; the parallel rows are the 120-comment "
        "en/ar/ro set (twins: share of Arabic / Romanian comments whose nearest English comment is their own "
        "twin; centred: each language's mean removed, as cxtext's themes do).", "",
    ])
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
