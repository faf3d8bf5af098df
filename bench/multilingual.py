"""Do Arabic, Romanian and English comments about one pain point land in one theme?

Run:  .venv/bin/python bench/multilingual.py        (writes bench/results/multilingual.md)

Data:
* ``bench/data/parallel_painpoints.csv``: 120 comments written for this
  project, 8 pain points x 5 phrasings x 3 languages (en, ar, ro); each
  Arabic and Romanian comment is a translation of one English comment
  (``group_id``).
* ``examples/sample_feedback.csv``: the bundled 600-row sample, analysed
  end to end with ``cxtext.analyze`` (themes scored against the comments'
  detected language: a theme that holds one language only is a symptom).

For each embedding model (``default`` = multilingual-e5-small, ``minilm`` =
all-MiniLM-L6-v2, English only) and with language centring on and off
(``ThemeModel(center_languages=...)``):

* *twins*: share of the 40 Arabic (Romanian) comments whose nearest of the
  40 English comments (cosine, after centring when on) is their translation.
* *KMeans NMI*: KMeans(k=8, n_init=10, random_state=0) against the pain point
  (an upper-bound-ish view with the true number of themes given).
* *ThemeModel NMI / ARI*: ``ThemeModel(min_theme_size=5, random_state=0)``,
  the product's clustering, against the pain point; unthemed counted as one
  more label; theme count; unthemed share.
* *with English twin*: share of Arabic (Romanian) comments given the same
  theme as their English twin (an unthemed pair does not count).
* *BERTopic* with its defaults on the same embeddings (min_topic_size=10),
  for reference (no language centring: BERTopic has none).

Two controls, to tell a multilingual loss from the model's limit:

* *one language at a time*: the 40 comments of one language alone (no
  translations beside them), KMeans(k=8) NMI (mean over seeds 0-4), Ward(k=8)
  NMI and the ThemeModel's NMI. If the mixed set clusters no worse than its
  English part alone, languages are not what holds the NMI down: the model's
  grouping of different phrasings of one pain point is.
* *instruction prefixes* (default model in float32 on PyTorch, since the
  prefix is built into the int8 runner's recipe): ``query: `` (what cxtext
  uses) against task instructions after it, scored on the parallel set and
  on CLINC150 banking and HWU64 with ``ThemeModel(random_state=0)`` defaults.
  A prefix that helps one set and hurts the others is not a fix.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402

PARALLEL = ROOT / "bench" / "data" / "parallel_painpoints.csv"
SAMPLE = ROOT / "examples" / "sample_feedback.csv"
RESULTS = ROOT / "bench" / "results" / "multilingual.md"
CACHE = ROOT / "bench" / "cache" / "embeddings.sqlite"
MODELS = ("default", "minilm")


def embed(texts: list[str], model: str) -> np.ndarray:
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    return CachedEmbedder(SentenceTransformerEmbedder(model=model), EmbeddingCache(CACHE)).encode(texts)


def twins(vectors: np.ndarray, frame: pd.DataFrame, language: str) -> float:
    english = frame.index[frame["lang"] == "en"].to_numpy()
    other = frame.index[frame["lang"] == language].to_numpy()
    nearest = english[(vectors[other] @ vectors[english].T).argmax(axis=1)]
    return float(np.mean(frame.loc[nearest, "group_id"].to_numpy() == frame.loc[other, "group_id"].to_numpy()))


def with_english_twin(labels: np.ndarray, frame: pd.DataFrame, language: str) -> float:
    label_of = dict(zip(frame.index, labels))
    english = {g: i for i, g in frame.loc[frame["lang"] == "en", "group_id"].items()}
    other = frame.index[frame["lang"] == language]
    same = [label_of[i] >= 0 and label_of[i] == label_of[english[frame.at[i, "group_id"]]] for i in other]
    return float(np.mean(same))


def parallel_rows() -> list[dict]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from cxtext.themes import ThemeModel

    frame = pd.read_csv(PARALLEL)
    gold = frame["pain_point"].to_numpy()
    languages = frame["lang"].tolist()
    rows = []
    for model in MODELS:
        vectors = embed(frame["text"].tolist(), model)
        for centre in (False, True):
            themes = ThemeModel(min_theme_size=5, center_languages=centre, embedding_model=model,
                                min_language_size=20, random_state=0)
            start = time.perf_counter()
            labels = themes.fit(frame["text"].tolist(), vectors, languages).labels_
            seconds = time.perf_counter() - start
            space = themes._prepare(vectors, languages)  # the vectors the model clusters
            kmeans = KMeans(n_clusters=8, n_init=10, random_state=0).fit_predict(space)
            rows.append({
                "model": model, "system": "cxtext", "centring": "on" if centre else "off",
                "ar twins": twins(space, frame, "ar"), "ro twins": twins(space, frame, "ro"),
                "KMeans NMI": normalized_mutual_info_score(gold, kmeans),
                "NMI": normalized_mutual_info_score(gold, labels), "ARI": adjusted_rand_score(gold, labels),
                "language NMI": normalized_mutual_info_score(languages, labels),
                "themes": themes.n_themes_, "unthemed": themes.unthemed_share_,
                "ar with en twin": with_english_twin(labels, frame, "ar"),
                "ro with en twin": with_english_twin(labels, frame, "ro"), "fit s": seconds,
            })
            print(rows[-1], flush=True)
        rows.append(bertopic_row(frame, vectors, model))
    return rows


def single_language_rows() -> list[dict]:
    """Each language's 40 comments clustered alone: the model's own ceiling."""
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.metrics import normalized_mutual_info_score

    from cxtext.themes import ThemeModel

    frame = pd.read_csv(PARALLEL)
    rows = []
    for model in MODELS:
        vectors = embed(frame["text"].tolist(), model)
        for language in ("en", "ar", "ro", "all three"):
            mask = np.ones(len(frame), bool) if language == "all three" else (frame["lang"] == language).to_numpy()
            gold = frame.loc[mask, "pain_point"].to_numpy()
            languages = frame.loc[mask, "lang"].tolist()
            themes = ThemeModel(min_theme_size=5, embedding_model=model, min_language_size=20, random_state=0)
            labels = themes.fit(frame.loc[mask, "text"].tolist(), vectors[mask], languages).labels_
            space = themes._prepare(vectors[mask], languages)
            kmeans = [normalized_mutual_info_score(gold, KMeans(8, n_init=10, random_state=seed).fit_predict(space))
                      for seed in range(5)]
            ward = AgglomerativeClustering(n_clusters=8, linkage="ward").fit_predict(space)
            rows.append({
                "model": model, "comments": f"{language} ({int(mask.sum())})",
                "KMeans NMI (5 seeds)": float(np.mean(kmeans)),
                "Ward NMI": normalized_mutual_info_score(gold, ward),
                "ThemeModel NMI": normalized_mutual_info_score(gold, labels), "themes": themes.n_themes_,
            })
            print(rows[-1], flush=True)
    return rows


PREFIXES = ("query: ", "query: customer complaint: ", "query: What is the customer complaining about? ",
            "query: Customer feedback: ")


def prefix_rows() -> list[dict]:
    """The default model (float32) under task-instruction prefixes, on three sets."""
    from sentence_transformers import SentenceTransformer
    from sklearn.metrics import normalized_mutual_info_score

    from bench.themes import load_clinc, load_hwu
    from cxtext.embed import resolve_model
    from cxtext.themes import ThemeModel

    model = SentenceTransformer(resolve_model("default").path_or_name, device="cpu")
    frame = pd.read_csv(PARALLEL)
    clinc = load_clinc()
    banking = clinc[clinc["domain"].isin(["banking", "credit_cards"])]
    hwu = load_hwu()
    sets = {  # name: (texts, gold, languages, min_theme_size)
        "parallel NMI": (frame["text"].tolist(), frame["pain_point"].to_numpy(), frame["lang"].tolist(), 5),
        "CLINC banking NMI": (banking["text"].tolist(), banking["label"].to_numpy(), None, None),
        "HWU64 NMI": (hwu["text"].tolist(), hwu["label"].to_numpy(), None, None),
    }
    rows = []
    for prefix in PREFIXES:
        row = {"prefix": repr(prefix)}
        for name, (texts, gold, languages, min_size) in sets.items():
            vectors = model.encode([prefix + t for t in texts], batch_size=32, normalize_embeddings=True)
            labels = ThemeModel(min_theme_size=min_size, min_language_size=20, random_state=0).fit(
                texts, vectors, languages).labels_
            row[name] = normalized_mutual_info_score(gold, labels)
        rows.append(row)
        print(row, flush=True)
    return rows


def bertopic_row(frame: pd.DataFrame, vectors: np.ndarray, model: str) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    try:
        from bertopic import BERTopic
    except ImportError:
        return {"model": model, "system": "BERTopic (not installed: pip install -e .[bench])"}
    gold = frame["pain_point"].to_numpy()
    start = time.perf_counter()
    topics, _ = BERTopic().fit_transform(frame["text"].tolist(), vectors)
    labels = np.asarray(topics)
    return {
        "model": model, "system": "BERTopic", "centring": "-",
        "NMI": normalized_mutual_info_score(gold, labels), "ARI": adjusted_rand_score(gold, labels),
        "language NMI": normalized_mutual_info_score(frame["lang"], labels),
        "themes": int(len(set(labels) - {-1})), "unthemed": float(np.mean(labels < 0)),
        "ar with en twin": with_english_twin(labels, frame, "ar"),
        "ro with en twin": with_english_twin(labels, frame, "ro"), "fit s": time.perf_counter() - start,
    }


def sample_rows() -> list[dict]:
    """The bundled sample end to end, centring off and on: do themes mix languages?"""
    from sklearn.metrics import normalized_mutual_info_score

    import cxtext
    from cxtext.pipeline import load_pipeline

    rows = []
    for centre in (False, True):
        config = load_pipeline("survey_comments").with_overrides({"themes": {"center_languages": centre}})
        analysis = cxtext.analyze(SAMPLE, pipeline=config, cache_path=CACHE)
        records = analysis.records[analysis.records["theme_id"] >= 0]
        by_theme = records.groupby("theme_id")["language"].agg(lambda s: s.value_counts(normalize=True).iloc[0])
        sizes = records["theme_id"].value_counts()
        rows.append({
            "centring": "on" if centre else "off", "themes": analysis.summary["theme_count"],
            "unthemed": analysis.summary["unthemed_share"],
            "language NMI": normalized_mutual_info_score(records["language"], records["theme_id"]),
            "one-language themes": int((by_theme >= 0.95).sum()),
            "comments in one-language themes": float(sizes[by_theme[by_theme >= 0.95].index].sum() / sizes.sum()),
            "largest theme": f"{analysis.themes.iloc[0]['label']} ({int(analysis.themes.iloc[0]['size'])})",
        })
        print(rows[-1], flush=True)
    return rows


def _fmt(value) -> str:
    if isinstance(value, float):
        return "–" if np.isnan(value) else f"{value:.2f}" if abs(value) <= 1 else f"{value:.1f}"
    return "–" if value is None else str(value)


def markdown(frame: pd.DataFrame) -> str:
    frame = frame.astype(object).where(frame.notna(), None)
    head = "| " + " | ".join(frame.columns) + " |\n|" + " --- |" * len(frame.columns) + "\n"
    return head + "".join("| " + " | ".join(_fmt(v) for v in row) + " |\n" for row in frame.itertuples(index=False))


def main() -> int:
    machine = machine_line()
    parallel = pd.DataFrame(parallel_rows())
    single = pd.DataFrame(single_language_rows())
    prefixes = pd.DataFrame(prefix_rows())
    sample = pd.DataFrame(sample_rows())
    text = (
        "# Multilingual themes: Arabic, Romanian and English together\n\n"
        f"Date: {dt.date.today().isoformat()}\n\nMachine: {machine}\n\n"
        "Command: `.venv/bin/python bench/multilingual.py` (definitions in its docstring).\n\n"
        "## Parallel pain-point set (120 comments, 8 pain points, en/ar/ro translations)\n\n"
        + markdown(parallel)
        + "\n### Control: one language at a time (centred per language as in the product)\n\n"
        + markdown(single)
        + "\n### Control: instruction prefixes (default model, float32, ThemeModel defaults; "
        "parallel set with min_theme_size=5)\n\n"
        + markdown(prefixes)
        + "\n## Bundled sample (600 rows, en/ar/ro), `cxtext.analyze` end to end\n\n"
        + markdown(sample)
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
