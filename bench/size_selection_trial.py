"""Issue 19 trial: let HDBSCAN's own validity index (DBCV) or a silhouette pick the theme size per dump, or
stabilise UMAP by an ensemble of runs; chosen leave one dataset out, checked on three sets nothing was chosen on.

    .venv/bin/python bench/size_selection_trial.py                # both models, six sets + HINT3, 3 seeds, ~35 min
    .venv/bin/python bench/size_selection_trial.py --from-runs    # rewrite the tables from the saved runs

Why. Against plain UMAP(5)+HDBSCAN(10)+nearest the theme size decides most per set (bench/results/
plain_steps.md): Bitext (27 intents of 100) wants large themes, CLINC "other" (120 of 25) small ones, and no
``f x sqrt(n)`` suits both. bench/granularity_trial.py let a silhouette of the library's final themes pick f;
HDBSCAN's relative validity (an approximation of DBCV, Moulavi et al. 2014, computed on its minimum spanning
tree) was not tried, nor was UMAP's seed-to-seed variation (one run's layout) as the cause.

What, on the plain pipeline's own reduced vectors (the same UMAP(5) run per seed, so only the size rule
differs):

* the size grid ``min_cluster_size`` = 10 or ``f x sqrt(n)`` (f in FACTORS, within 5-100), HDBSCAN's
  ``min_samples`` = the size ("size", HDBSCAN's default) or 5 (the library's), noise to the nearest centre;
* ``dbcv_5`` / ``dbcv_size``: per dump, the size with the highest relative validity; ``sil_5`` /
  ``sil_size``: the highest silhouette of the final labels (euclidean, reduced vectors);
* ``concat3`` / ``concat5``: UMAP run with 3 or 5 seeds, the layouts side by side (15 or 25 dimensions),
  HDBSCAN(10) once; ``coassoc3`` / ``coassoc5``: HDBSCAN(10)+nearest on each run, then average linkage
  of the share of runs that put two comments together, cut where fewer than half do.

Every rule and grid point is scored by (NMI+ARI)/2 against the gold intents or aspects, 3 seeds. The rule is
chosen leave one dataset out on the six labelled sets (best mean on the other five), and the rule chosen on
all six is reported on the three HINT3 sets (bench/stranger_sets.py), which no setting was chosen on.

Writes bench/results/size_selection_trial.md and size_selection_trial_runs.csv.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo, lodo_data, stranger_sets  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.saved_runs import runs_or_saved, trial_parser  # noqa: E402
from bench.themes import embed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FACTORS = ("10", 0.15, 0.2, 0.25, 0.35, 0.5, 0.7)  # "10": plain's fixed size
ENSEMBLE_RUNS = 5
RULES = ("dbcv_5", "dbcv_size", "sil_5", "sil_size", "concat3", "concat5", "coassoc3", "coassoc5")
PLAIN, LIBRARY_SIZE = "f10/mssize", "f0.35/ms5"


def _size(f: str | float, n: int) -> int:
    return 10 if f == "10" else int(min(100, max(5, round(float(f) * np.sqrt(n)))))


def grid_rows(Z: np.ndarray, gold: np.ndarray) -> list[dict]:
    """HDBSCAN at every grid point on one reduced layout, with its validity and silhouette."""
    import hdbscan
    from sklearn.metrics import silhouette_score

    rows = []
    for f in FACTORS:
        size = _size(f, Z.shape[0])
        for ms in ("size", "5"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=size if ms == "size" else 5,
                                         gen_min_span_tree=True).fit(Z)
                try:
                    validity = float(fitted.relative_validity_)
                except (ValueError, ZeroDivisionError, IndexError):
                    validity = float("nan")
            labels = lodo.nearest_centre(Z, fitted.labels_)
            k = int(labels.max()) + 1
            rows.append({"system": f"f{f}/ms{ms}", "f": str(f), "ms": ms, "dbcv": validity,
                         "sil": float(silhouette_score(Z, labels)) if k > 1 else float("nan"),
                         **lodo.score(gold, labels)})
    return rows


def ensemble_rows(Zs: list[np.ndarray], gold: np.ndarray) -> list[dict]:
    """UMAP layouts side by side, and the co-association of their clusterings."""
    import hdbscan
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    runs = [lodo.nearest_centre(Z, hdbscan.HDBSCAN(min_cluster_size=10).fit_predict(Z)) for Z in Zs]
    rows = []
    for m in (3, 5):
        joined = np.hstack(Zs[:m])
        rows.append({"system": f"concat{m}", **lodo.score(gold, lodo.nearest_centre(joined, hdbscan.HDBSCAN(
            min_cluster_size=10).fit_predict(joined)))})
        together = sum((r[:, None] == r[None, :]).astype(np.float32) for r in runs[:m]) / m
        distance = 1.0 - together
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(distance, checks=False), "average")
        rows.append({"system": f"coassoc{m}", **lodo.score(gold, fcluster(tree, 0.5, "distance") - 1)})
    return rows


def labelled_sets(sets: list[str]):
    """``(group, name, frame)``: the six labelled sets, then the three HINT3 sets."""
    for name in sets:
        yield "six", name, lodo_data.load(name)
    for name in stranger_sets.SETS:
        yield "hint3", name, stranger_sets.load(name)


def run(models: list[str], sets: list[str], seeds: int) -> pd.DataFrame:
    from cxtext.themes.reduce import Reducer

    rows = []
    for model in models:
        for group, name, df in labelled_sets(sets):
            texts, gold = df["text"].astype(str).tolist(), df["label"].to_numpy()
            X = embed(texts, model)
            for seed in range(seeds):
                t = time.perf_counter()
                # layout 0 is the plain pipeline's own (seeded as bench/lodo.py's plain_labels)
                Zs = [Reducer("umap", 5, 15, "cosine", seed + 1000 * j).fit_transform(X)
                      for j in range(ENSEMBLE_RUNS)]
                for row in grid_rows(Zs[0], gold) + ensemble_rows(Zs, gold):
                    rows.append({"model": model, "group": group, "set": name, "seed": seed, **row})
                print(f"  {model}/{name} seed {seed}: {time.perf_counter() - t:.0f} s", flush=True)
    return pd.DataFrame(rows)


def per_seed(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per model x set x seed: (NMI+ARI)/2 of every grid point, rule and ensemble."""
    runs = runs.assign(obj=(runs["nmi"] + runs["ari"]) / 2, f=runs["f"].astype(str).str.replace(r"\.0$", "", regex=True))
    out = []
    for (model, group, name, seed), g in runs.groupby(["model", "group", "set", "seed"], sort=False):
        row = {"model": model, "group": group, "set": name, "seed": seed}
        row.update(dict(zip(g["system"], g["obj"])))
        grid = g[g["system"].str.startswith("f")]
        for criterion in ("dbcv", "sil"):
            for ms in ("5", "size"):
                part = grid[(grid["ms"].astype(str) == ms) & grid[criterion].notna()]
                best = part.loc[part[criterion].idxmax()] if len(part) else None
                row[f"{criterion}_{ms}"] = best["obj"] if best is not None else np.nan
                row[f"{criterion}_{ms}_f"] = best["f"] if best is not None else ""
        out.append(row)
    return pd.DataFrame(out)


def candidates(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("model", "group", "set", "seed") and not c.endswith("_f")]


def leave_one_out(means: pd.DataFrame) -> pd.DataFrame:
    """Per model and held-out set of the six: the candidate best on the other five, and its score."""
    rows = []
    for model, g in means[means["group"] == "six"].groupby("model", sort=False):
        g = g.set_index("set")[candidates(means)]
        for name in g.index:
            chosen = g.drop(index=name).mean().idxmax()
            rows.append({"model": model, "set": name, "chosen": chosen, "held_out": g.loc[name, chosen],
                         "plain": g.loc[name, PLAIN], "library_size": g.loc[name, LIBRARY_SIZE]})
    return pd.DataFrame(rows)


def write(runs: pd.DataFrame, seconds: float) -> Path:
    seeds = per_seed(runs)
    means = seeds.groupby(["model", "group", "set"], sort=False)[candidates(seeds)].mean().reset_index()
    lo = leave_one_out(means)
    shown = [PLAIN, LIBRARY_SIZE, *RULES]
    lines = ["# Theme size chosen per dump by DBCV or silhouette, and UMAP ensembles (issue 19 trial)", "",
             machine_line() + f" · {seconds / 60:.0f} min", "",
             "`.venv/bin/python bench/size_selection_trial.py` (method in its docstring). Mean (NMI+ARI)/2 over "
             f"{runs['seed'].nunique()} seeds on the plain pipeline's own UMAP layout. `{PLAIN}` is plain "
             f"UMAP(5)+HDBSCAN(10)+nearest; `{LIBRARY_SIZE}` the library's size rule (0.35 x sqrt(n), min_samples 5) "
             "on the same layout. Cells above plain in bold.", "",
             "| model | set | " + " | ".join(f"`{s}`" for s in shown) + " |",
             "| --- | --- | " + " | ".join("---:" for _ in shown) + " |"]
    for _, r in means.iterrows():
        cells = [f"**{r[s]:.3f}**" if s != PLAIN and r[s] > r[PLAIN] else f"{r[s]:.3f}" for s in shown]
        lines.append(f"| {r['model']} | {r['set']}{' (HINT3)' if r['group'] == 'hint3' else ''} | "
                     + " | ".join(cells) + " |")
    lines += ["", "Sizes picked (f per seed; `10` = plain's size):", "",
              "| model | set | dbcv_5 | dbcv_size | sil_5 | sil_size |", "| --- | --- | --- | --- | --- | --- |"]
    for (model, name), g in seeds.groupby(["model", "set"], sort=False):
        lines.append(f"| {model} | {name} | " + " | ".join(
            " ".join(g[f"{c}_f"].astype(str)) for c in ("dbcv_5", "dbcv_size", "sil_5", "sil_size")) + " |")
    lines += ["", "## Chosen leave one dataset out (six sets), then on HINT3", "",
              "| model | held-out set | rule chosen on the other five | held out | plain | library size |",
              "| --- | --- | --- | ---: | ---: | ---: |"]
    for _, r in lo.iterrows():
        lines.append(f"| {r['model']} | {r['set']} | `{r['chosen']}` | {r['held_out']:.3f} | {r['plain']:.3f} | "
                     f"{r['library_size']:.3f} |")
    lines += ["", "| model | six sets held out: chosen / plain / library size | sets above plain | rule chosen on all "
              "six | HINT3: that rule / plain / library size | HINT3 sets above plain |",
              "| --- | --- | ---: | --- | --- | ---: |"]
    for model, g in lo.groupby("model", sort=False):
        six = means[(means["model"] == model) & (means["group"] == "six")]
        rule = six[candidates(means)].mean().idxmax()
        hint = means[(means["model"] == model) & (means["group"] == "hint3")]
        lines.append(
            f"| {model} | {g['held_out'].mean():.3f} / {g['plain'].mean():.3f} / {g['library_size'].mean():.3f} | "
            f"{int((g['held_out'] > g['plain']).sum())} of {len(g)} | `{rule}` | "
            f"{hint[rule].mean():.3f} / {hint[PLAIN].mean():.3f} / {hint[LIBRARY_SIZE].mean():.3f} | "
            f"{int((hint[rule] > hint[PLAIN]).sum())} of {len(hint)} |")
    out = RESULTS / "size_selection_trial.md"
    out.write_text("\n".join(lines + ["", READING]) + "\n", encoding="utf-8")
    return out


READING = """Reading (written by hand from the run of 2026-12-07 on this machine; re-read it after a re-run):

- **Ensembles do nothing here.** Side-by-side layouts and co-association move the six-set mean by about
  0.003 (e5 0.538 vs plain 0.536, MiniLM 0.570 vs 0.567): UMAP's seed is not what separates the library
  from plain.
- **DBCV picks the right granularity where it is extreme**: large themes on Bitext (f 0.7 every seed, both
  models: +0.14 and +0.18 over plain), small ones on CLINC other (f 0.15-0.2 with e5). Chosen leave one
  dataset out it is picked in 9 of 12 folds; held out it beats plain on average (e5 0.555 vs 0.535, MiniLM
  0.580 vs 0.567) but on 5 of 6 sets with e5 and only 2 of 6 with MiniLM.
- **It does not hold on HINT3**, which nothing was chosen on: 0.545 vs plain 0.561 with MiniLM (the model
  English dumps get), 0.528 vs 0.524 with e5, above plain on 1 of 3 sets each. The silhouette rule is
  above plain with e5 (0.559) and below with MiniLM (0.549). So neither replaces the fixed size rule: the
  gain on sets like Bitext is paid for on sets like HINT3, and the issue asks for a default that beats
  plain on every set."""


def main(argv=None) -> int:
    args = trial_parser(__doc__, seeds=3).parse_args(argv)
    t = time.perf_counter()
    runs = runs_or_saved(RESULTS / "size_selection_trial_runs.csv", args.from_runs,
                         lambda: run(args.models.split(","), args.sets.split(","), args.seeds))
    print(write(runs, time.perf_counter() - t))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
