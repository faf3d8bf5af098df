"""The English model for English dumps: MiniLM int8 against float32 and against e5, and how much
non-English text an English dump may hold before MiniLM is the wrong choice.

Run:  .venv/bin/python bench/english_model.py

1. **int8 against float32** (all-MiniLM-L6-v2, ONNX int8 vs sentence-transformers float32) on the six
   labelled sets of :mod:`bench.lodo_data`: cosine of each text's two vectors (mean, min) and the
   theme NMI / ARI of ``ThemeModel()`` (defaults) on each.
2. **Speed**: texts per second for 1,000 CLINC queries, e5-small int8 vs MiniLM int8, same run.
3. **Non-English share**: an English dump (CLINC banking + credit cards, 1,500 queries) plus the 40
   English comments of the en/ar/ro parallel pain-point set (bench/data/parallel_painpoints.csv) and
   0-80 of their Arabic / Romanian translations (0-5% of the dump). For each model (both int8):
   NMI / ARI over all rows (gold: intents and pain points), and the share of the non-English comments
   that land in the same theme as their English twin. The rule's threshold is where MiniLM stops
   being at least as good as e5 on all rows.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from bench import lodo_data  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.themes import embed  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "english_model.md"
PARALLEL = ROOT / "bench" / "data" / "parallel_painpoints.csv"


def vectors(texts: list[str], model: str, backend: str) -> np.ndarray:
    """Vectors of ``texts`` (cached in the bench cache by content and the model id, which names the backend)."""
    return embed(texts, model, backend)


def themes(texts: list[str], X: np.ndarray, model: str, languages: list[str]) -> np.ndarray:
    from cxtext.themes import ThemeModel

    return np.asarray(ThemeModel(embedding_model=model, random_state=0).fit(texts, X, languages).labels_)


def int8_vs_fp32() -> pd.DataFrame:
    rows = []
    for name in lodo_data.SETS:
        df = lodo_data.load(name)
        texts, gold = df["text"].astype(str).tolist(), df["label"].to_numpy()
        fp32, int8 = vectors(texts, "minilm", "torch"), vectors(texts, "minilm", "onnx-int8")
        cos = np.sum(fp32 * int8, axis=1) / (np.linalg.norm(fp32, axis=1) * np.linalg.norm(int8, axis=1))
        row = {"set": name, "cos_mean": cos.mean(), "cos_min": cos.min()}
        for label, X in (("fp32", fp32), ("int8", int8)):
            labels = themes(texts, X, "minilm", ["en"] * len(texts))
            row[f"{label}_nmi"] = normalized_mutual_info_score(gold, labels)
            row[f"{label}_ari"] = adjusted_rand_score(gold, labels)
        rows.append(row)
        print(row, flush=True)
    return pd.DataFrame(rows)


def speed() -> pd.DataFrame:
    from cxtext.embed import SentenceTransformerEmbedder

    texts = lodo_data.clinc(False)["text"].astype(str).tolist()[:1000]
    rows = []
    for model in ("default", "minilm"):
        embedder = SentenceTransformerEmbedder(model=model, backend="onnx-int8")
        embedder.encode(texts[:20])  # load and warm up
        t0 = time.perf_counter()
        embedder.encode(texts)
        seconds = time.perf_counter() - t0
        rows.append({"model": model, "texts_per_s": len(texts) / seconds, "seconds": seconds})
    return pd.DataFrame(rows)


def non_english_share() -> pd.DataFrame:
    base = lodo_data.clinc(True)
    par = pd.read_csv(PARALLEL)
    english = par[par["lang"] == "en"]
    others = par[par["lang"] != "en"].sample(frac=1.0, random_state=0)
    rows = []
    for n_other in (0, 8, 16, 40, 80):
        extra = others.head(n_other)
        texts = (base["text"].tolist() + english["text"].tolist() + extra["text"].tolist())
        gold = np.array(base["label"].tolist() + english["pain_point"].tolist() + extra["pain_point"].tolist())
        langs = ["en"] * (len(base) + len(english)) + extra["lang"].tolist()
        row = {"non_english": n_other, "share": n_other / len(texts)}
        for model in ("default", "minilm"):
            X = vectors(texts, model, "onnx-int8")
            labels = themes(texts, X, model, langs)
            row[f"{model}_nmi"] = normalized_mutual_info_score(gold, labels)
            row[f"{model}_ari"] = adjusted_rand_score(gold, labels)
            if n_other:
                twin_of = dict(zip(english["group_id"], labels[len(base):len(base) + len(english)]))
                mine = labels[len(base) + len(english):]
                together = [t >= 0 and t == twin_of[g] for t, g in zip(mine, extra["group_id"])]
                row[f"{model}_twins"] = float(np.mean(together))
        rows.append(row)
        print(row, flush=True)
    return pd.DataFrame(rows)


def md(frame: pd.DataFrame, digits: int = 3) -> str:
    def cell(v):
        return f"{v:.{digits}f}" if isinstance(v, float) else str(v)
    head = "| " + " | ".join(frame.columns) + " |\n| " + " | ".join("---" for _ in frame.columns) + " |"
    return head + "\n" + "\n".join("| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False))


def main() -> int:
    t0 = time.perf_counter()
    quality, fast, share = int8_vs_fp32(), speed(), non_english_share()
    lines = [f"Run {_dt.date.today().isoformat()} · {machine_line()} · {(time.perf_counter() - t0) / 60:.0f} min ·",
             "`.venv/bin/python bench/english_model.py`", "",
             "#### all-MiniLM-L6-v2: ONNX int8 against float32 (ThemeModel defaults)", "",
             md(quality), "",
             "#### Speed, 1,000 CLINC queries, int8 ONNX, the default batching (static int8, length-sorted batches)", "",
             md(fast, 1), "",
             "#### An English dump with 0-80 Arabic/Romanian comments (int8 ONNX both)", "",
             md(share), ""]
    RESULTS.write_text("\n".join(lines))
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
