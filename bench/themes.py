"""Benchmark cxtext's ThemeModel against BERTopic on labelled intent data.

Run:  .venv/bin/python bench/themes.py [--quick] [--models default,minilm] [--systems cxtext,bertopic]

Data (from ../shared/data, English, crowd-sourced assistant queries):

* ``clinc-banking``: CLINC150 test+val rows of the banking and credit_cards
  domains (30 intents, 1,500 rows): the closest to customer-service text.
* ``clinc-all``: CLINC150 test+val, all 150 in-scope intents (7,500 rows)
  plus the 1,100 out-of-scope ("oos") rows of those splits. The oos rows are
  clustered with the rest but scored separately: NMI/ARI are computed on the
  in-scope rows only, and the oos columns say where the oos rows land.
* ``hwu64``: HWU64 test+valid (64 intents, 2,152 rows).

No sampling: all 10,752 texts are embedded once per model and cached under
``~/.cache/cxtext/bench`` (override with CXTEXT_BENCH_CACHE).

Systems, on the same embeddings:

* ``cxtext``: ``ThemeModel(random_state=0)`` with its defaults.
* ``bertopic``: ``BERTopic().fit_transform(docs, embeddings)``, its defaults
  (UMAP without a seed, so not deterministic; HDBSCAN min_cluster_size=10).

Metrics: NMI (arithmetic normalisation) and ARI against the gold intents,
with -1 (unthemed / BERTopic outliers) counted as one more label; unthemed
share raw (HDBSCAN noise) and final (after cxtext's reassignment; BERTopic
does not reassign); theme count; wall time and peak RSS of a fresh worker
process per fit (imports, numba compilation and the fit; RSS measured with
resource.getrusage, the baseline after imports is shown separately).

Models: "default" (multilingual-e5-small, "query: " prefix, via
cxtext.embed) and "minilm" (all-MiniLM-L6-v2).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("CXTEXT_BENCH_CACHE", Path.home() / ".cache" / "cxtext" / "bench"))
RESULTS = ROOT / "bench" / "results" / "themes.md"
sys.path.insert(0, str(ROOT))

DATASETS = ("clinc-banking", "clinc-all", "hwu64")
MODELS = ("default", "minilm")
SYSTEMS = ("cxtext", "bertopic")


# ------------------------------------------------------------------ data
def load_clinc() -> pd.DataFrame:
    df = pd.read_csv(DATA / "clinc150" / "clinc150.csv")
    return df[df["split"].isin(["test", "val"])].reset_index(drop=True)


def load_hwu() -> pd.DataFrame:
    df = pd.read_csv(DATA / "hwu64" / "hwu64.csv")
    return df[df["split"].isin(["test", "valid"])].reset_index(drop=True)


def embed(texts: list[str], model: str, backend: str = "auto") -> np.ndarray:
    """Embeddings of ``texts`` with ``model`` run by ``backend``, cached on disk by
    content hash and the embedder's model id (which names the backend)."""
    from cxtext.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(model=model, backend=backend)
    key = hashlib.sha256(("\n".join(texts) + "|" + embedder.model_id).encode()).hexdigest()[:16]
    path = CACHE / f"{model}-{len(texts)}-{key}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    emb = embedder.encode(list(texts))
    emb = np.asarray(emb, dtype=np.float32)
    print(f"embedded {len(texts)} texts with {model} in {time.perf_counter() - t0:.0f}s", flush=True)
    np.save(path, emb)
    return emb


def dataset(name: str, model: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, embeddings, gold labels) of one benchmark set; gold 'oos' marks out-of-scope."""
    if name == "hwu64":
        df = load_hwu()
        E = embed(df["text"].tolist(), model)
        return df["text"].tolist(), E, df["label"].to_numpy()
    df = load_clinc()
    E = embed(df["text"].tolist(), model)
    if name == "clinc-banking":
        m = df["domain"].isin(["banking", "credit_cards"]).to_numpy()
    elif name == "clinc-all":
        m = np.ones(len(df), dtype=bool)
    else:
        raise SystemExit(f"unknown dataset {name!r}")
    return df.loc[m, "text"].tolist(), E[m], df.loc[m, "label"].to_numpy()


# ----------------------------------------------------------------- worker
def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(system: str, name: str, model: str, out: str) -> None:
    """Fit one system in this (fresh) process; write labels and timings."""
    texts, E, _ = dataset(name, model)
    if system == "cxtext":
        from cxtext.themes import ThemeModel
    else:
        from bertopic import BERTopic
    import hdbscan  # noqa: F401
    import umap  # noqa: F401

    base = _rss_mb()
    t0 = time.perf_counter()
    info: dict = {}
    if system == "cxtext":
        tm = ThemeModel(embedding_model=model, random_state=0).fit(texts, E, ["en"] * len(texts))
        labels = tm.labels_
        info.update(
            raw_unthemed=tm.raw_unthemed_share_,
            unthemed=tm.unthemed_share_,
            n_themes=tm.n_themes_,
            n_merged=tm.n_merged_,
            n_dissolved=tm.n_dissolved_,
            min_theme_size=tm.min_theme_size_,
            secondary_share=float(np.mean([len(s) > 0 for s in tm.secondary_labels_])),
            sample_labels=tm.themes_["label"].head(8).tolist(),
        )
    else:
        topics, _ = BERTopic().fit_transform(texts, E)
        labels = np.asarray(topics, dtype=np.int64)
        share = float(np.mean(labels < 0))
        info.update(raw_unthemed=share, unthemed=share, n_themes=int(len(set(labels.tolist()) - {-1})))
    info["seconds"] = time.perf_counter() - t0
    info["peak_rss_mb"] = _rss_mb()
    info["baseline_rss_mb"] = base
    np.save(out + ".npy", np.asarray(labels, dtype=np.int64))
    Path(out + ".json").write_text(json.dumps(info))


def run_worker(system: str, name: str, model: str, tmp: Path) -> dict:
    out = str(tmp / f"{system}-{name}-{model}")
    cmd = [sys.executable, __file__, "--worker", system, name, model, out]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    info = json.loads(Path(out + ".json").read_text())
    info["process_seconds"] = time.perf_counter() - t0
    info["labels"] = np.load(out + ".npy")
    return info


# ---------------------------------------------------------------- metrics
def score(info: dict, gold: np.ndarray) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = info["labels"]
    ins = gold != "oos"
    row = {
        "nmi": normalized_mutual_info_score(gold[ins], labels[ins]),
        "ari": adjusted_rand_score(gold[ins], labels[ins]),
        "unthemed_in_scope": float(np.mean(labels[ins] < 0)),
    }
    oos = labels[~ins]
    if oos.size:
        themed = oos[oos >= 0]
        row["oos_unthemed"] = float(np.mean(oos < 0))
        counts = pd.Series(themed).value_counts()
        row["oos_max_one_theme"] = float(counts.max() / oos.size) if len(counts) else 0.0
        row["oos_themes_hit"] = int(len(counts))
        sizes = pd.Series(labels[labels >= 0]).value_counts()
        dominated = [t for t in counts.index if counts[t] >= 0.5 * sizes[t]]
        row["oos_dominated_themes"] = len(dominated)
        row["oos_in_dominated"] = float(sum(counts[t] for t in dominated) / oos.size)
    return row


def machine() -> dict:
    cpu, flags = platform.processor() or "unknown", []
    try:
        text = Path("/proc/cpuinfo").read_text()
        for line in text.splitlines():
            if line.startswith("model name") and cpu in ("unknown", "", "x86_64"):
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                have = set(line.split(":", 1)[1].split())
                flags = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "amx_tile") if f in have]
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    return {"cpu": cpu, "flags": flags, "cores": os.cpu_count(), "memory_gb": mem,
            "python": platform.python_version(), "platform": platform.platform()}


def versions() -> dict:
    from importlib import metadata

    out = {}
    for pkg in ("cxtext", "umap-learn", "hdbscan", "scikit-learn", "bertopic", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "-"
    return out


# ------------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="clinc-banking and hwu64 only")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--datasets", default=None)
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--worker", nargs=4, metavar=("SYSTEM", "DATASET", "MODEL", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0

    mach = machine()
    print(f"CPU: {mach['cpu']} | cores: {mach['cores']} | flags: {' '.join(mach['flags'])} | "
          f"RAM: {mach['memory_gb']:.0f} GB | Python {mach['python']}", flush=True)
    models = [m for m in args.models.split(",") if m]
    systems = [s for s in args.systems.split(",") if s]
    names = args.datasets.split(",") if args.datasets else (["clinc-banking", "hwu64"] if args.quick else list(DATASETS))
    rows = []
    examples = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for model in models:
            t0 = time.perf_counter()
            for name in names:  # embed (or load from cache) before timing the systems
                dataset(name, model)
            print(f"[{model}] embeddings ready in {time.perf_counter() - t0:.0f}s", flush=True)
            for name in names:
                gold = dataset(name, model)[2]
                for system in systems:
                    info = run_worker(system, name, model, tmp)
                    row = {"model": model, "dataset": name, "system": system, "n": len(gold),
                           "gold": int(len(set(gold.tolist()) - {"oos"}))}
                    row.update(score(info, gold))
                    for k in ("raw_unthemed", "unthemed", "n_themes", "seconds", "process_seconds",
                              "peak_rss_mb", "baseline_rss_mb", "secondary_share", "n_merged", "n_dissolved",
                              "min_theme_size"):
                        if k in info:
                            row[k] = info[k]
                    if "sample_labels" in info:
                        examples[(model, name)] = info["sample_labels"]
                    rows.append(row)
                    print(_line(row), flush=True)
    table = pd.DataFrame(rows)
    write_markdown(table, examples, mach, args)
    print(f"wrote {args.out}")
    return 0


def _line(r: dict) -> str:
    extra = ""
    if "oos_unthemed" in r:
        extra = f" oos_unthemed={r['oos_unthemed']:.2f} oos_max_theme={r['oos_max_one_theme']:.3f}"
    return (f"{r['model']:8s} {r['dataset']:14s} {r['system']:9s} NMI={r['nmi']:.3f} ARI={r['ari']:.3f} "
            f"unthemed raw={r['raw_unthemed']:.3f} final={r['unthemed']:.3f} themes={r['n_themes']} "
            f"fit={r['seconds']:.0f}s process={r['process_seconds']:.0f}s peakRSS={r['peak_rss_mb']:.0f}MB{extra}")


def write_markdown(table: pd.DataFrame, examples: dict, mach: dict, args) -> None:
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    vers = versions()
    lines = [
        "# Theme discovery benchmark: cxtext ThemeModel vs BERTopic",
        "",
        f"- Date: {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {mach['cpu']}, {mach['cores']} cores, flags {' '.join(mach['flags'])}, "
        f"{mach['memory_gb']:.0f} GB RAM, no GPU; {mach['platform']}, Python {mach['python']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()),
        f"- Command: `.venv/bin/python bench/themes.py{' --quick' if args.quick else ''}`",
        "- Data: CLINC150 test+val (`clinc-banking`: banking + credit_cards, 30 intents; `clinc-all`: "
        "150 in-scope intents + 1,100 out-of-scope rows clustered together, scored on in-scope rows), "
        "HWU64 test+valid (64 intents). All rows, no sampling.",
        "- Systems on identical embeddings: cxtext `ThemeModel(random_state=0)` defaults; "
        "BERTopic `BERTopic().fit_transform(docs, embeddings)` defaults (unseeded UMAP: one run, not deterministic).",
        "- NMI/ARI vs gold intents with -1 as its own label. `unthemed raw` = HDBSCAN noise; `final` = after "
        "cxtext's reassignment (BERTopic: its -1 share). Time = fit in a fresh process (incl. numba JIT "
        "compilation); peak RSS of that process (baseline after imports in brackets). Other jobs were sharing "
        "this 2-core machine, so times are indicative.",
        "",
    ]
    for model in table["model"].unique():
        sub = table[table["model"] == model]
        name = ("multilingual-e5-small (default, backend auto = int8 ONNX)" if model == "default"
                else "all-MiniLM-L6-v2")
        lines += [f"## Embeddings: {name}", "",
                  "| dataset | n | gold | system | NMI | ARI | unthemed raw | unthemed final | themes | fit s | peak RSS MB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for _, r in sub.iterrows():
            lines.append(
                f"| {r['dataset']} | {r['n']} | {r['gold']} | {r['system']} | {r['nmi']:.3f} | {r['ari']:.3f} | "
                f"{r['raw_unthemed']:.1%} | {r['unthemed']:.1%} | {r['n_themes']} | {r['seconds']:.0f} | "
                f"{r['peak_rss_mb']:.0f} ({r['baseline_rss_mb']:.0f}) |"
            )
        oos = sub[sub["dataset"] == "clinc-all"]
        if len(oos) and "oos_unthemed" in oos:
            lines += ["", "Out-of-scope rows of `clinc-all` (1,100):", "",
                      "| system | oos unthemed | largest share of oos in one theme | themes with any oos | "
                      "oos-majority themes | oos rows in them |", "|---|---|---|---|---|---|"]
            for _, r in oos.iterrows():
                lines.append(
                    f"| {r['system']} | {r['oos_unthemed']:.1%} | {r['oos_max_one_theme']:.1%} | "
                    f"{int(r['oos_themes_hit'])} | {int(r['oos_dominated_themes'])} | {r['oos_in_dominated']:.1%} |"
                )
        cx = sub[sub["system"] == "cxtext"]
        if len(cx) and "secondary_share" in cx:
            lines += ["", "cxtext details: " + "; ".join(
                f"{r['dataset']}: min_theme_size {int(r['min_theme_size'])}, merged {int(r['n_merged'])}, "
                f"dissolved as catch-all {int(r.get('n_dissolved', 0))}, "
                f"comments with a secondary theme {r['secondary_share']:.1%}" for _, r in cx.iterrows())]
        lines.append("")
    if examples:
        lines += ["## Example cxtext labels (largest themes)", ""]
        for (model, name), labels in examples.items():
            lines.append(f"- {model} / {name}: " + " | ".join(labels))
        lines.append("")
    lines += ["## Goals", ""]
    for model in table["model"].unique():
        for name in table["dataset"].unique():
            sub = table[(table["model"] == model) & (table["dataset"] == name)].set_index("system")
            if {"cxtext", "bertopic"} <= set(sub.index):
                c, b = sub.loc["cxtext"], sub.loc["bertopic"]
                lines.append(
                    f"- {model} / {name}: NMI {c['nmi']:.3f} vs BERTopic {b['nmi']:.3f} "
                    f"({'met' if c['nmi'] >= b['nmi'] else 'NOT met'}); unthemed {c['unthemed']:.1%} "
                    f"({'<= 10%' if c['unthemed'] <= 0.10 else '> 10%'})"
                )
    lines.append("")
    out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
