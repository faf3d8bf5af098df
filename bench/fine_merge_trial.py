"""Issue 19 trial: finer themes, then merge the themes whose centred centroids are close.

    .venv/bin/python bench/fine_merge_trial.py                # ~12 min (3 seeds)
    .venv/bin/python bench/fine_merge_trial.py --from-runs    # rewrite the table from the saved runs

Why. bench/plain_steps.py showed that the theme size decides whether the library beats plain
UMAP+HDBSCAN(10)+nearest on a set: CLINC-other (25 queries per intent) and HWU64 want small themes,
Bitext (100 per intent) and CLINC banking larger ones. Small themes split the big intents, so a
natural remedy is to cut fine (small min theme size) and merge the fragments back when their
centroids point the same way, hoping to keep small intents apart and big ones whole.

What. For each of the six labelled sets of bench/lodo_data.py, both models and seeds 0..S-1, on the
same cached vectors in the same run:

* plain UMAP(5)+HDBSCAN(10)+nearest (bench/lodo.py ``plain_labels``);
* ``ThemeModel`` at min theme size f x sqrt(n) (f in SIZES; 0.35 is the default), then themes merged
  by average-linkage agglomeration of their centroids (centred cosine, computed on the vectors as the
  model sees them, the mean of the themed comments removed, as cxtext.themes.suggest does) with distance
  threshold 1 - t (t in THRESHOLDS; "off" = no merge).

Leave one dataset out: for each held-out set, (f, t) is chosen on the other five by mean (NMI+ARI)/2
over both models and seeds, and scored on the held-out set beside the default (0.35, off) and plain.
Nothing in the library changes with this trial.

Writes bench/results/fine_merge_trial.md and fine_merge_trial_runs.csv.
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
RUNS = RESULTS / "fine_merge_trial_runs.csv"
SIZES = (0.15, 0.2, 0.25, 0.35)
THRESHOLDS = (None, 0.4, 0.5, 0.6, 0.7, 0.8)
DEFAULT = "0.35/off"
PLAIN = "plain/-"


def _unit(X: np.ndarray) -> np.ndarray:
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


def merged(labels: np.ndarray, E: np.ndarray, t: float | None) -> np.ndarray:
    """Themes joined by average linkage of their centred centroid cosines down to ``t`` (None: unchanged)."""
    from sklearn.cluster import AgglomerativeClustering

    themed = labels >= 0
    ids = np.unique(labels[themed])
    if t is None or len(ids) < 2:
        return labels
    centred, lab = _unit(E[themed] - E[themed].mean(axis=0)), labels[themed]
    C = _unit(np.stack([centred[lab == i].mean(axis=0) for i in ids]))
    groups = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=1 - t).fit_predict(C)
    group_of = dict(zip(ids.tolist(), groups.tolist()))
    return np.array([group_of[x] if x >= 0 else -1 for x in labels.tolist()])


def measure(models: list[str], sets: list[str], seeds: int) -> pd.DataFrame:
    from cxtext.themes import ThemeModel

    lodo.memoize_reducer()  # one UMAP per set, model and seed, shared by the sizes
    rows = []
    for model, name, texts, gold, X in lodo.labelled_vectors(models, sets):
        for seed in range(seeds):
            rows.append({"model": model, "set": name, "seed": seed, "f": "plain", "t": "-",
                         **lodo.score(gold, lodo.plain_labels(X, seed))})
            for f in SIZES:
                tm = ThemeModel(min_theme_size=max(5, int(round(f * np.sqrt(len(texts))))),
                                embedding_model=model, random_state=seed)
                tm.fit(texts, X, languages=["en"] * len(texts))
                E, labels = tm._prepare(X, ["en"] * len(texts)), np.asarray(tm.labels_)
                for t in THRESHOLDS:
                    rows.append({"model": model, "set": name, "seed": seed, "f": f,
                                 "t": "off" if t is None else t, **lodo.score(gold, merged(labels, E, t))})
            lodo._MEMO.clear()
            print(f"  {model} {name} seed {seed}", flush=True)
    return pd.DataFrame(rows)


def per_cell(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean (NMI+ARI)/2 over seeds: rows (model, set), one column per "f/t" (and "plain/-")."""
    runs = runs.assign(obj=(runs["nmi"] + runs["ari"]) / 2, cfg=runs["f"].astype(str) + "/" + runs["t"].astype(str))
    return runs.groupby(["model", "set", "cfg"])["obj"].mean().unstack("cfg")


def leave_one_out(m: pd.DataFrame) -> pd.DataFrame:
    configs = [c for c in m.columns if c != PLAIN]
    out = []
    for held in m.index.get_level_values("set").unique():
        chosen = m[m.index.get_level_values("set") != held][configs].mean().idxmax()
        for model in m.index.get_level_values("model").unique():
            out.append({"held out": held, "model": model, "chosen": chosen, "lodo": m.loc[(model, held), chosen],
                        "default": m.loc[(model, held), DEFAULT], "plain": m.loc[(model, held), PLAIN]})
    return pd.DataFrame(out)


def write(runs: pd.DataFrame, seconds: float) -> Path:
    m = per_cell(runs)
    configs = [c for c in m.columns if c != PLAIN]
    lines = ["# Finer themes, then merge close themes (issue 19 trial)", "", machine_line() + f" · {seconds / 60:.0f} min",
             "", f"`.venv/bin/python bench/fine_merge_trial.py` ({runs['seed'].nunique()} seeds; method in its "
             "docstring). f/t = theme size factor / merge threshold (centred centroid cosine, average linkage). "
             "Mean (NMI+ARI)/2 over seeds.", "", "## Every setting against plain, both models", "",
             "| f/t | better than plain | worse | mean | worst difference |", "| --- | ---: | ---: | ---: | ---: |"]
    diffs = {c: m[c] - m[PLAIN] for c in configs}
    for c in sorted(configs, key=lambda c: -m[c].mean()):
        d = diffs[c]
        lines.append(f"| {c} | {int((d > 0.005).sum())} of {len(d)} | {int((d < -0.005).sum())} | {m[c].mean():.3f} "
                     f"| {d.min():+.3f} |")
    lines.append(f"| plain | | | {m[PLAIN].mean():.3f} | |")
    lo = leave_one_out(m)
    lines += ["", "## Leave one dataset out: (f, t) chosen on the other five sets", "",
              "| held out | model | chosen f/t | held out | default 0.35/off | plain |", "| --- | --- | --- | ---: | ---: | ---: |"]
    for _, r in lo.iterrows():
        lines.append(f"| {r['held out']} | {r['model']} | {r['chosen']} | {r['lodo']:.3f} | {r['default']:.3f} "
                     f"| {r['plain']:.3f} |")
    better = int((lo["lodo"] - lo["plain"] > 0.005).sum())
    worse = int((lo["lodo"] - lo["plain"] < -0.005).sum())
    lines += ["", f"Held out, mean: chosen {lo['lodo'].mean():.3f}, default {lo['default'].mean():.3f}, plain "
              f"{lo['plain'].mean():.3f}; the chosen setting beats plain on {better} of {len(lo)} set x model pairs "
              f"and loses on {worse}.", "",
              "Reading (2026-12-07, AMD EPYC AVX2 vectors): merging after a finer cut re-joins the split large "
              "intents (Bitext, CLINC banking gain) but also the sibling intents of the sets with small ones "
              "(CLINC other, HWU64 lose), and the setting chosen on five sets does worse on the sixth than the "
              "fixed default (0.550 vs 0.559 held out). Not adopted. Plain's mean is pulled down by two of three "
              "seeds on absa-restaurants (default model) where its HDBSCAN returns 2 clusters.", ""]
    path = RESULTS / "fine_merge_trial.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    args = trial_parser(__doc__, seeds=3).parse_args()
    start = time.time()
    runs = runs_or_saved(RUNS, args.from_runs, lambda: measure(args.models.split(","), args.sets.split(","),
                                                               args.seeds))
    print(write(runs, time.time() - start).read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
