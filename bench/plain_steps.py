"""Issue 19: which of the library's differences from plain UMAP+HDBSCAN+nearest matter, set by set?

    .venv/bin/python bench/plain_steps.py                 # both models, six sets, 3 seeds, ~10 min
    .venv/bin/python bench/plain_steps.py --from-runs     # rewrite the table from the saved runs

The plain pipeline of issue 19 is UMAP(5, 15 neighbours, cosine) on the raw vectors, HDBSCAN with
min_cluster_size 10 (min_samples = 10, its default), every noise point to the nearest cluster centre in
the UMAP space. The library's fit differs from it in four ways (``cxtext.themes.steps``):

* ``inp``: it reduces the language-centred vectors (E: each language's mean removed, re-normalised;
  here all comments are English, so the corpus mean) instead of the raw ones (X);
* ``mcs``: its theme size scales with the corpus, round(0.35 x sqrt(n)) (``f35``), instead of 10;
* ``ms``: HDBSCAN's min_samples is min(size // 2, 5) (``ms5``) instead of the theme size (``mssize``;
  10 for plain);
* ``asg``: noise joins the most similar centroid by cosine in embedding space (``cos``) instead of the
  nearest centre in UMAP space (``z``);

(and it dissolves catch-all themes, a step bench/lodo.py measured separately: it fires on 4 of 12
set x model pairs). This script builds every combination of the four from the same few lines of
UMAP + HDBSCAN (not through ``ThemeModel``, so each switch is isolated), at seeds 0..N-1, on the cached
vectors of bench/lodo.py's six labelled sets, and reports mean (NMI+ARI)/2 per set. Nothing is chosen
here; it explains the table in bench/results/lodo_seeds.md.

Writes bench/results/plain_steps.md and plain_steps_runs.csv.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.saved_runs import runs_or_saved, trial_parser  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PLAIN, LIBRARY = "X/10/mssize/z", "E/f35/ms5/cos"


def centres(V: np.ndarray, labels: np.ndarray, k: int, cosine: bool) -> np.ndarray:
    C = np.stack([V[labels == c].mean(axis=0) for c in range(k)])
    return C / np.linalg.norm(C, axis=1, keepdims=True) if cosine else C


def place_noise(V: np.ndarray, labels: np.ndarray, cosine: bool) -> np.ndarray:
    """Every noise row to its nearest centre: by cosine (unit rows of V) or by euclidean distance."""
    labels = labels.copy()
    k = int(labels.max()) + 1
    noise = np.flatnonzero(labels < 0)
    if k == 0 or not noise.size:
        return labels
    C = centres(V, labels, k, cosine)
    if cosine:
        labels[noise] = (V[noise] @ C.T).argmax(axis=1)
    else:
        labels[noise] = np.linalg.norm(V[noise, None, :] - C[None], axis=2).argmin(axis=1)
    return labels


def run(models: list[str], sets: list[str], seeds: int) -> pd.DataFrame:
    import hdbscan

    from cxtext.themes.reduce import Reducer

    rows = []
    for model, name, texts, gold, X in lodo.labelled_vectors(models, sets):
        X = X / np.linalg.norm(X, axis=1, keepdims=True)
        E = X - X.mean(axis=0)
        E /= np.linalg.norm(E, axis=1, keepdims=True)
        f35 = max(5, int(round(0.35 * np.sqrt(len(texts)))))
        for seed in range(seeds):
            for inp, V in (("X", X), ("E", E)):
                Z = Reducer("umap", 5, 15, "cosine", seed).fit_transform(V)
                for mcs_name, mcs in (("10", 10), ("f35", f35)):
                    for ms_name, ms in (("ms5", min(mcs // 2, 5)), ("mssize", mcs)):
                        raw = hdbscan.HDBSCAN(min_cluster_size=mcs, min_samples=ms).fit_predict(Z)
                        for asg, labels in (("z", place_noise(Z, raw, False)), ("cos", place_noise(V, raw, True))):
                            rows.append({"model": model, "set": name, "seed": seed,
                                         "variant": f"{inp}/{mcs_name}/{ms_name}/{asg}",
                                         **lodo.score(gold, labels), "raw_noise": float((raw < 0).mean())})
        print(f"  {model}/{name}", flush=True)
    return pd.DataFrame(rows)


def write(runs: pd.DataFrame, seconds: float) -> Path:
    runs = runs.assign(obj=(runs["nmi"] + runs["ari"]) / 2)
    table = runs.pivot_table(index="variant", columns=["model", "set"], values="obj", aggfunc="mean")
    seeds = int(runs["seed"].nunique())
    lines = ["# The library's differences from plain UMAP+HDBSCAN+nearest, one at a time (issue 19)", "",
             machine_line() + f" · {seconds / 60:.0f} min", "",
             f"`.venv/bin/python bench/plain_steps.py` ({seeds} seeds; method in its docstring). Mean (NMI+ARI)/2 "
             f"over seeds. Variant = input / theme size / min_samples / where noise goes. `{PLAIN}` is the plain "
             f"pipeline, `{LIBRARY}` the library's choice (without the catch-all step). Best per column in bold.", ""]
    for model in table.columns.get_level_values(0).unique():
        t = table[model]
        t = t.assign(mean=t.mean(axis=1))
        lines += [f"## {model}", "", "| variant | " + " | ".join(t.columns) + " |",
                  "| --- |" + " ---: |" * len(t.columns)]
        for variant, r in t.sort_values("mean", ascending=False).iterrows():
            cells = [f"**{v:.3f}**" if v == t[c].max() else f"{v:.3f}" for c, v in r.items()]
            lines.append(f"| `{variant}` | " + " | ".join(cells) + " |")
        spread = t["mean"].max() - t["mean"].min()
        lines += ["", f"Means span {spread:.3f}; plain {t.loc[PLAIN, 'mean']:.3f}, library-like "
                  f"{t.loc[LIBRARY, 'mean']:.3f}. Per set the theme size decides most: "
                  + "; ".join(f"{c} best at size {t[c].idxmax().split('/')[1]}" for c in t.columns if c != "mean")
                  + ".", ""]
    path = RESULTS / "plain_steps.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv=None) -> int:
    args = trial_parser(__doc__, seeds=3).parse_args(argv)
    t0 = time.perf_counter()
    runs = runs_or_saved(RESULTS / "plain_steps_runs.csv", args.from_runs,
                         lambda: run(args.models.split(","), args.sets.split(","), args.seeds))
    print(write(runs, time.perf_counter() - t0).read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
