"""Themes fitted on a sample vs on everything (ThemeModel ``max_fit_size``).

Run:  .venv/bin/python bench/scale_fit.py [--sizes 1000,2000,4000] [--seeds 0,1] [--growth 2,4]

Writes bench/results/scale_fit.md.

Data: CLINC150 test+val, all domains (150 intents + 1,100 out-of-scope rows,
8,600 queries; ../shared/data, never committed), embedded with the default
model (multilingual-e5-small). The embeddings are the ones bench/themes.py
caches under ``~/.cache/cxtext/bench`` (same key, :func:`bench.themes.embed`),
so nothing is embedded again when that benchmark has run.

Fits, each in a fresh Python process (so peak resident memory is the fit's
own; imports and numba compilation are included in the process, not in the
fit time):

* **full**: ``ThemeModel(max_fit_size=None, random_state=0)`` on all 8,600.
* **sampled**: ``ThemeModel(max_fit_size=m, random_state=s)`` for each size
  ``m`` and seed ``s``: themes learnt from a sample of ``m`` queries, the
  rest assigned with the transform rule.

Metrics: NMI and ARI of the sampled fit's labels against the full fit's (all
8,600 rows, -1 counted as one more label), NMI against the gold intents
(in-scope rows, as in bench/themes.py), theme count, unthemed share, fit
seconds and the process's peak RSS.

``--growth F,...``: the linear-growth check. The 8,600 vectors are
repeated F times with a little Gaussian noise (sd 0.01 per dimension, then
renormalised: near-paraphrases, never exact copies) and fitted with
``max_fit_size=4000``; fit time and peak memory should grow about linearly
in F, and the full fit of the x2 set is timed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line, peak_rss_mb  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "scale_fit.md"
MODEL = "default"


def data(factor: int = 1) -> tuple[list[str], np.ndarray, np.ndarray]:
    from bench.themes import embed, load_clinc

    df = load_clinc()
    texts = df["text"].tolist()
    E = embed(texts, MODEL)
    gold = df["label"].to_numpy()
    if factor > 1:
        rng = np.random.default_rng(factor)
        parts = [E] + [E + rng.normal(0, 0.01, E.shape).astype(np.float32) for _ in range(factor - 1)]
        E = np.concatenate(parts)
        E /= np.linalg.norm(E, axis=1, keepdims=True)
        texts = texts * factor
        gold = np.tile(gold, factor)
    return texts, E.astype(np.float32), gold


def worker(size: str, seed: int, factor: int, out: str) -> None:
    texts, E, _ = data(factor)
    from cxtext.themes import ThemeModel

    import hdbscan  # noqa: F401
    import umap  # noqa: F401

    base = peak_rss_mb()
    t0 = time.perf_counter()
    model = ThemeModel(max_fit_size=None if size == "full" else int(size), embedding_model=MODEL,
                       random_state=seed).fit(texts, E, ["en"] * len(texts))
    info = {
        "seconds": time.perf_counter() - t0,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": base,
        "n_themes": model.n_themes_,
        "unthemed": model.unthemed_share_,
        "raw_unthemed": model.raw_unthemed_share_,
        "fit_sample_size": model.fit_sample_size_,
        "min_theme_size": model.min_theme_size_,
    }
    np.save(out + ".npy", model.labels_)
    Path(out + ".json").write_text(json.dumps(info))


def run(size: str, seed: int, factor: int, tmp: Path) -> dict:
    out = str(tmp / f"fit-{size}-{seed}-{factor}")
    if not Path(out + ".json").exists():
        cmd = [sys.executable, __file__, "--worker", size, str(seed), str(factor), out]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"worker failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
        print(f"  fit {size} seed {seed} x{factor}: {time.perf_counter() - t0:.0f}s process", flush=True)
    info = json.loads(Path(out + ".json").read_text())
    info["labels"] = np.load(out + ".npy")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--growth", default="2,4", help="repeat factors for the growth check ('' to skip)")
    parser.add_argument("--tmp", default=str(ROOT / "bench" / "cache" / "scale_fit"),
                        help="where per-fit labels are kept (reused when present)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        size, seed, factor, out = args.worker
        worker(size, int(seed), int(factor), out)
        return
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    tmp = Path(args.tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    texts, _, gold = data()
    n = len(texts)
    inscope = gold != "oos"
    full = run("full", 0, 1, tmp)

    def row(name: str, seed, info: dict) -> str:
        vs_full = normalized_mutual_info_score(full["labels"], info["labels"])
        ari_full = adjusted_rand_score(full["labels"], info["labels"])
        vs_gold = normalized_mutual_info_score(gold[inscope], info["labels"][inscope])
        return (f"| {name} | {seed} | {vs_full:.3f} | {ari_full:.3f} | {vs_gold:.3f} | {info['n_themes']} | "
                f"{info['raw_unthemed']:.1%} | {info['unthemed']:.1%} | {info['min_theme_size']} | "
                f"{info['seconds']:.0f} | {info['peak_rss_mb']:.0f} ({info['baseline_rss_mb']:.0f}) |")

    rows = [row(f"full ({n})", 0, full)]
    summary = []
    for size in [s for s in args.sizes.split(",") if s]:
        scores = []
        for seed in [int(s) for s in args.seeds.split(",") if s]:
            info = run(size, seed, 1, tmp)
            rows.append(row(f"sample {int(size):,}", seed, info))
            scores.append((normalized_mutual_info_score(full["labels"], info["labels"]),
                           normalized_mutual_info_score(gold[inscope], info["labels"][inscope]), info["seconds"]))
        a = np.array(scores)
        summary.append(f"| {int(size):,} | {a[:, 0].mean():.3f} | {a[:, 1].mean():.3f} | {a[:, 2].mean():.0f} |")

    growth = []
    for factor in [int(f) for f in args.growth.split(",") if f]:
        info = run("4000", 0, factor, tmp)
        growth.append(f"| {n * factor:,} | sample 4,000 | {info['n_themes']} | {info['unthemed']:.1%} | "
                      f"{info['seconds']:.0f} | {info['peak_rss_mb']:.0f} ({info['baseline_rss_mb']:.0f}) |")
        if factor == 2:
            info = run("full", 0, factor, tmp)
            growth.append(f"| {n * factor:,} | full | {info['n_themes']} | {info['unthemed']:.1%} | "
                          f"{info['seconds']:.0f} | {info['peak_rss_mb']:.0f} ({info['baseline_rss_mb']:.0f}) |")
    base = run("4000", 0, 1, tmp)
    growth.insert(0, f"| {n:,} | sample 4,000 | {base['n_themes']} | {base['unthemed']:.1%} | "
                     f"{base['seconds']:.0f} | {base['peak_rss_mb']:.0f} ({base['baseline_rss_mb']:.0f}) |")
    growth.insert(1, f"| {n:,} | full | {full['n_themes']} | {full['unthemed']:.1%} | "
                     f"{full['seconds']:.0f} | {full['peak_rss_mb']:.0f} ({full['baseline_rss_mb']:.0f}) |")

    wall = time.perf_counter() - started
    lines = [
        "## Themes fitted on a sample vs on everything (`max_fit_size`)",
        "",
        f"- Machine: {machine_line()}",
        f"- Command: `.venv/bin/python bench/scale_fit.py --sizes {args.sizes} --seeds {args.seeds} "
        f"--growth {args.growth}`; wall time of this run {wall:.0f} s (fits already on disk are reused), "
        f"peak RSS of the parent {peak_rss_mb():.0f} MB.",
        f"- Data: CLINC150 test+val, all domains, {n:,} queries (150 intents + out-of-scope), "
        "multilingual-e5-small embeddings (bench/themes.py's cache).",
        "- Each fit runs in a fresh process: `fit s` is `ThemeModel.fit` alone; peak RSS of that process "
        "(after imports in brackets). Other jobs share this 2-core machine: times are indicative.",
        "- `fit s` includes numba's compilation of UMAP's optimiser in the fresh process (tens of "
        "seconds), so at these sizes it says little; the growth table's peak RSS is the better guide.",
        "- `NMI/ARI vs full`: against the full fit's labels on all rows (-1 as a label); `NMI vs gold`: "
        "in-scope rows against the intents (-1 as a label), as in bench/results/themes.md.",
        "",
        "| fit | seed | NMI vs full | ARI vs full | NMI vs gold | themes | unthemed raw | unthemed final "
        "| min_theme_size | fit s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Mean over seeds:",
        "",
        "| max_fit_size | NMI vs full | NMI vs gold | fit s |",
        "|---|---|---|---|",
        *summary,
    ]
    if growth:
        lines += [
            "",
            "Growth (the 8,600 vectors repeated with noise sd 0.01, renormalised; `max_fit_size=4000`):",
            "",
            "| n | fit | themes | unthemed | fit s | peak RSS MB |",
            "|---|---|---|---|---|---|",
            *growth,
        ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
