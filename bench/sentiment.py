"""Sentiment and comment-kind accuracy of cxtext.social.sentiment / cxtext.social.kinds, per language.

    .venv/bin/python bench/sentiment.py                # writes bench/results/sentiment.md and kinds.md
    .venv/bin/python bench/sentiment.py --embed-only   # only fill the embedding cache
    .venv/bin/python bench/sentiment.py --per-class 100

The classifiers are trained ONLY on the seed sets bundled with the library
(``cxtext/data/sentiment_seed.csv``, ``cxtext/data/kinds_seed.csv``, written
for cxtext). None of the benchmark rows below is used for training.

Sentiment data (sampled with a fixed seed, ``--per-class`` rows per class,
texts cut to ``--max-chars`` characters at a word boundary, since opinions
are usually stated early and the encoder is slow on long texts):

* ro: ``../shared/data/laroseda`` test split, ``title. content``; stars 1-2 =
  negative, 4-5 = positive (the set has no 3-star reviews, so it is binary).
* ar: ``../shared/data/arabic-multidomain-reviews``, rows with Arabic script,
  polarity -1/0/1 = negative/neutral/positive (labels are automatic, from
  the sites' ratings, so some are noisy).
* en: ``../shared/data/semeval-absa`` sentences of the test files whose
  opinions all share one polarity (positive/negative/neutral), and
  ``../shared/data/womens-clothing-reviews-1000`` ``title. review``, with
  stars 1-2 = negative, 3 = neutral, 4-5 = positive.

Samples are class-balanced, so the majority-class baseline of the sample is
1/k. Real data is not balanced; the table therefore also gives the
*prevalence-weighted accuracy* (sum over classes of the dataset's class
share x recall on that class: the expected accuracy on a random row of the
full dataset) beside the full dataset's majority-class share.

For binary sets (laroseda), "accuracy (pos/neg)" decides by the sign of
``sentiment_score`` (never "neutral"); the 3-way accuracy counts a
"neutral" answer as wrong.

Comment kinds: ``bench/data/kinds_eval.csv`` (written for cxtext, separate
from the seed set, not used in training) with a confusion matrix.

Embeddings: multilingual-e5-small (the default), cached in
``bench/cache/embeddings.sqlite`` (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS_SENTIMENT = ROOT / "bench" / "results" / "sentiment.md"
RESULTS_KINDS = ROOT / "bench" / "results" / "kinds.md"
KINDS_EVAL = ROOT / "bench" / "data" / "kinds_eval.csv"
CACHE = ROOT / "bench" / "cache" / "embeddings.sqlite"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

SEED = 0
LABELS = ("negative", "neutral", "positive")
ARABIC = re.compile(r"[\u0600-\u06FF]")


def truncate(text: str, max_chars: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _balanced(frame: pd.DataFrame, per_class: int, seed: int) -> pd.DataFrame:
    parts = [group.sample(min(per_class, len(group)), random_state=seed)
             for _, group in frame.groupby("label", sort=True)]
    return pd.concat(parts).sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _prevalence(labels: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in labels.value_counts(normalize=True).sort_index().items()}


def load_sets(per_class: int, max_chars: int, seed: int = SEED) -> list[dict]:
    """The benchmark samples: dicts with name, language, frame (text, label), prevalence, binary."""
    sets = []

    ro = pd.read_csv(DATA / "laroseda" / "laroseda.csv")
    ro = ro[ro["split"] == "test"].copy()
    ro["text"] = [truncate(f"{t}. {c}", max_chars) for t, c in zip(ro["title"].fillna(""), ro["content"].fillna(""))]
    ro["label"] = ro["polarity"]
    sets.append({"name": "laroseda (test split)", "language": "ro", "binary": True,
                 "prevalence": _prevalence(ro["label"]), "frame": _balanced(ro[["text", "label"]], per_class, seed)})

    ar = pd.read_csv(DATA / "arabic-multidomain-reviews" / "arabic_multidomain_reviews.csv")
    ar = ar[ar["text"].astype(str).str.contains(ARABIC) & ar["polarity"].notna()].copy()
    ar["text"] = [truncate(t, max_chars) for t in ar["text"].astype(str)]
    ar["label"] = ar["polarity"].astype(int).map({-1: "negative", 0: "neutral", 1: "positive"})
    ar = ar[ar["text"].str.len() >= 3]
    sets.append({"name": "arabic-multidomain-reviews", "language": "ar", "binary": False,
                 "prevalence": _prevalence(ar["label"]), "frame": _balanced(ar[["text", "label"]], per_class, seed)})

    se = pd.read_csv(DATA / "semeval-absa" / "semeval_absa_sentences.csv")
    se = se[(se["lang"] == "en") & (se["split"] == "test") & se["opinions_json"].notna()].copy()
    polarity = []
    for raw in se["opinions_json"]:
        values = {o.get("polarity") for o in json.loads(raw)} if isinstance(raw, str) else set()
        polarity.append(values.pop() if len(values) == 1 and values <= set(LABELS) else None)
    se["label"] = polarity
    se = se[se["label"].notna()].drop_duplicates("text")
    se["text"] = [truncate(t, max_chars) for t in se["text"].astype(str)]
    sets.append({"name": "semeval-absa sentences (test files)", "language": "en", "binary": False,
                 "prevalence": _prevalence(se["label"]), "frame": _balanced(se[["text", "label"]], per_class, seed)})

    wc = pd.read_csv(DATA / "womens-clothing-reviews-1000" / "womens_clothing_reviews_1000.csv")
    wc = wc[wc["Review Text"].notna()].copy()
    wc["text"] = [truncate(f"{t}. {r}" if isinstance(t, str) else r, max_chars)
                  for t, r in zip(wc["Title"], wc["Review Text"])]
    wc["label"] = pd.cut(wc["Rating"], [0, 2, 3, 5], labels=list(LABELS)).astype(str)
    sets.append({"name": "womens-clothing-reviews-1000", "language": "en", "binary": False,
                 "prevalence": _prevalence(wc["label"]), "frame": _balanced(wc[["text", "label"]], per_class, seed)})
    return sets


def make_embedder():
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    return CachedEmbedder(SentenceTransformerEmbedder("default"), EmbeddingCache(CACHE))


def embed(embedder, texts: list[str], what: str) -> np.ndarray:
    start = time.perf_counter()
    vectors = embedder.encode(texts)
    print(f"  embedded {what}: {len(texts)} texts, {embedder.last_misses_} new, "
          f"{time.perf_counter() - start:.1f} s", file=sys.stderr)
    return vectors


SENTIMENT_CONFIGS: tuple[tuple[str, dict], ...] = (
    ("polarity (neg/pos logistic, neutral if abs(score) < 0.2), language-centred (default)",
     {"method": "polarity", "center_languages": True}),
    ("polarity, not centred", {"method": "polarity", "center_languages": False}),
    ("polarity, C=10, language-centred", {"method": "polarity", "C": 10.0, "center_languages": True}),
    ("3-class logistic, language-centred", {"method": "logistic", "center_languages": True}),
    ("prototypes (nearest class mean), language-centred", {"method": "prototype", "center_languages": True}),
    ("prototypes, not centred", {"method": "prototype", "center_languages": False}),
)
CONFIGS: tuple[tuple[str, dict], ...] = (
    ("logistic, language-centred (default)", {"method": "logistic", "center_languages": True}),
    ("logistic, not centred", {"method": "logistic", "center_languages": False}),
    ("prototypes, language-centred", {"method": "prototype", "center_languages": True}),
    ("prototypes, not centred", {"method": "prototype", "center_languages": False}),
)


def pct(value: float) -> str:
    return "–" if value != value else f"{100 * value:.1f}%"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def sentiment_scores(truth: np.ndarray, predicted: np.ndarray, score: np.ndarray, prevalence: dict[str, float],
                     binary: bool) -> dict[str, float]:
    from sklearn.metrics import f1_score

    classes = sorted(set(truth))
    recall = {c: float(np.mean(predicted[truth == c] == c)) for c in classes}
    out = {
        "accuracy": float(np.mean(predicted == truth)),
        "macro_f1": float(f1_score(truth, predicted, labels=classes, average="macro", zero_division=0)),
        "baseline": float(max(np.mean(truth == c) for c in classes)),
        "weighted": sum(prevalence[c] * recall[c] for c in classes),
        "weighted_baseline": max(prevalence.values()),
        "recall": recall,
    }
    sign = np.where(score >= 0, "positive", "negative")
    polar = truth != "neutral"
    out["polarity_accuracy"] = float(np.mean(sign[polar] == truth[polar]))
    if binary:
        out["binary_accuracy"] = float(np.mean(sign == truth))
        out["binary_weighted"] = sum(prevalence[c] * float(np.mean(sign[truth == c] == c)) for c in classes)
    return out


def run_sentiment(sets: list[dict], vectors: dict[str, np.ndarray], seed_vectors: np.ndarray,
                  seed: pd.DataFrame) -> tuple[str, dict]:
    from cxtext.social.sentiment import SentimentModel

    results: dict[str, dict[str, dict]] = {}
    for config_name, params in SENTIMENT_CONFIGS:
        model = SentimentModel(**params).fit(seed_vectors, seed["sentiment"].tolist(), seed["language"].tolist())
        results[config_name] = {}
        for s in sets:
            frame = s["frame"]
            languages = [s["language"]] * len(frame)
            predicted = model.predict(vectors[s["name"]], languages).astype(str)
            score = model.score(vectors[s["name"]], languages)
            results[config_name][s["name"]] = sentiment_scores(frame["label"].to_numpy(dtype=str), predicted, score,
                                                               s["prevalence"], s["binary"])
    return format_sentiment(sets, results), results


def format_sentiment(sets: list[dict], results: dict[str, dict[str, dict]]) -> str:
    default = SENTIMENT_CONFIGS[0][0]
    rows = []
    for s in sets:
        r = results[default][s["name"]]
        classes = "/".join(f"{c[:3]} {n}" for c, n in s["frame"]["label"].value_counts().sort_index().items())
        if s["binary"]:
            acc = f"**{pct(r['binary_accuracy'])}** (pos/neg by score sign); 3-way {pct(r['accuracy'])}"
            weighted = pct(r["binary_weighted"])
        else:
            acc = f"**{pct(r['accuracy'])}**"
            weighted = pct(r["weighted"])
        rows.append([s["language"], s["name"], classes, acc, pct(r["baseline"]), f"{r['macro_f1']:.3f}",
                     weighted, pct(r["weighted_baseline"]), pct(r["polarity_accuracy"])])
    main_table = markdown_table(
        ["lang", "set", "sample (class-balanced)", "accuracy", "majority baseline (sample)", "macro-F1",
         "prevalence-weighted accuracy", "majority share (full set)",
         "neg-vs-pos rows by score sign (baseline 50%)"], rows)

    compare_rows = []
    for config_name, _ in SENTIMENT_CONFIGS:
        row = [config_name]
        for s in sets:
            r = results[config_name][s["name"]]
            row.append(pct(r["binary_accuracy"] if s["binary"] else r["accuracy"]))
        mean = np.mean([results[config_name][s["name"]]["binary_accuracy" if s["binary"] else "accuracy"]
                        for s in sets])
        weighted = np.mean([results[config_name][s["name"]]["binary_weighted" if s["binary"] else "weighted"]
                            for s in sets])
        polarity = np.mean([results[config_name][s["name"]]["polarity_accuracy"] for s in sets])
        compare_rows.append(row + [pct(float(mean)), pct(float(weighted)), pct(float(polarity))])
    compare = markdown_table(["method"] + [f"{s['language']}: {s['name']}" for s in sets]
                             + ["mean", "mean prevalence-weighted", "mean neg-vs-pos by score sign"], compare_rows)

    recall_rows = []
    for s in sets:
        r = results[default][s["name"]]
        recall_rows.append([s["language"], s["name"]] + [pct(r["recall"].get(c, float("nan"))) for c in LABELS])
    recall = markdown_table(["lang", "set", "recall negative", "recall neutral", "recall positive"], recall_rows)
    return (f"### Default method: accuracy per language\n\n{main_table}\n\n"
            f"### Recall per class (default method)\n\n{recall}\n\n"
            f"### Methods compared (accuracy; binary set by score sign)\n\n{compare}\n")


def run_kinds(eval_frame: pd.DataFrame, eval_vectors: np.ndarray, seed_vectors: np.ndarray,
              seed: pd.DataFrame) -> tuple[str, dict]:
    from sklearn.metrics import confusion_matrix

    from cxtext.social.kinds import KINDS, KindModel

    truth = eval_frame["kind"].to_numpy(dtype=str)
    languages = eval_frame["language"].tolist()
    compare_rows, out = [], {}
    for config_name, params in CONFIGS:
        model = KindModel(**params).fit(seed_vectors, seed["kind"].tolist(), seed["language"].tolist())
        predicted = model.predict(eval_vectors, languages).astype(str)
        per_lang = {lang: float(np.mean(predicted[eval_frame["language"].to_numpy() == lang] ==
                                        truth[eval_frame["language"].to_numpy() == lang]))
                    for lang in ("en", "ar", "ro")}
        overall = float(np.mean(predicted == truth))
        out[config_name] = {"accuracy": overall, **per_lang, "predicted": predicted}
        compare_rows.append([config_name, pct(overall)] + [pct(per_lang[l]) for l in ("en", "ar", "ro")])
    baseline = float(eval_frame["kind"].value_counts(normalize=True).max())
    compare = markdown_table(["method", "accuracy (all)", "en", "ar", "ro"], compare_rows)
    predicted = out[CONFIGS[0][0]]["predicted"]
    matrix = confusion_matrix(truth, predicted, labels=list(KINDS))
    matrix_rows = [[f"**{k}**"] + [str(v) for v in row] + [pct(row[i] / row.sum())]
                   for i, (k, row) in enumerate(zip(KINDS, matrix))]
    precision = [pct(matrix[i, i] / matrix[:, i].sum()) if matrix[:, i].sum() else "–" for i in range(len(KINDS))]
    matrix_rows.append(["precision"] + precision + [""])
    table = markdown_table(["true \\ predicted", *KINDS, "recall"], matrix_rows)
    text = (f"Held-out set: {len(eval_frame)} comments ({eval_frame.groupby('language').size().to_dict()}), "
            f"{eval_frame['kind'].value_counts().to_dict()}; majority-class baseline {pct(baseline)}.\n\n"
            f"### Methods compared (accuracy)\n\n{compare}\n\n"
            f"### Confusion matrix, default method (logistic, language-centred), all languages\n\n{table}\n")
    return text, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-class", type=int, default=100)
    parser.add_argument("--max-chars", type=int, default=300)
    parser.add_argument("--embed-only", action="store_true")
    args = parser.parse_args(argv)

    from machine import machine_line

    from cxtext.social.kinds import kinds_seed
    from cxtext.social.sentiment import sentiment_seed

    start = time.perf_counter()
    embedder = make_embedder()
    sets = load_sets(args.per_class, args.max_chars)
    vectors = {s["name"]: embed(embedder, s["frame"]["text"].tolist(), s["name"]) for s in sets}
    seed = sentiment_seed()
    seed_vectors = embed(embedder, seed["text"].tolist(), "sentiment seed")
    kseed = kinds_seed()
    kseed_vectors = embed(embedder, kseed["text"].tolist(), "kinds seed")
    kinds_eval = pd.read_csv(KINDS_EVAL, dtype=str, keep_default_na=False)
    kinds_vectors = embed(embedder, kinds_eval["text"].tolist(), "kinds eval")
    if args.embed_only:
        return

    machine = machine_line()
    command = f"`.venv/bin/python bench/sentiment.py --per-class {args.per_class} --max-chars {args.max_chars}`"
    sentiment_text, _ = run_sentiment(sets, vectors, seed_vectors, seed)
    seed_counts = seed.groupby("language").size().to_dict()
    RESULTS_SENTIMENT.write_text(
        f"# Sentiment accuracy per language\n\n{machine}\n\nCommand: {command} "
        f"({time.perf_counter() - start:.0f} s with a warm embedding cache).\n\n"
        f"Model: multilingual-e5-small embeddings + `cxtext.social.sentiment.SentimentModel`, trained only on the "
        f"bundled seed ({len(seed)} short comments written for cxtext: {seed_counts}). "
        f"No benchmark row is used for training. Samples are class-balanced ({args.per_class} per class at most, "
        f"texts cut to {args.max_chars} characters), so the sample's majority baseline is 1/k; "
        f"'prevalence-weighted accuracy' re-weights the per-class recall by the full set's class shares "
        f"(expected accuracy on a random row of the full set) and sits beside the full set's majority share. "
        f"Label mappings: laroseda stars 1-2 negative, 4-5 positive (no 3s; binary: decided by the sign of "
        f"sentiment_score); arabic polarity -1/0/1; semeval sentences whose opinions share one polarity; "
        f"womens-clothing stars 1-2 / 3 / 4-5.\n\n{sentiment_text}",
        encoding="utf-8")
    kinds_text, _ = run_kinds(kinds_eval, kinds_vectors, kseed_vectors, kseed)
    RESULTS_KINDS.write_text(
        f"# Comment kinds: accuracy and confusion matrix\n\n{machine}\n\nCommand: {command}.\n\n"
        f"Model: multilingual-e5-small embeddings + `cxtext.social.kinds.KindModel`, trained on "
        f"`cxtext/data/kinds_seed.csv` ({len(kseed)} comments, 14 per kind and language) and measured on "
        f"`bench/data/kinds_eval.csv` (written separately, no sentence shared with any seed).\n\n{kinds_text}",
        encoding="utf-8")
    print(RESULTS_SENTIMENT.read_text(encoding="utf-8"))
    print(RESULTS_KINDS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
