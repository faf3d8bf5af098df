"""Issue 19, point 4 trial: the neighbour vote's prune, at a fixed share or by the theme's size.

    .venv/bin/python bench/taxonomy_prune_trial.py              # ~10 min
    .venv/bin/python bench/taxonomy_prune_trial.py --from-runs  # rewrite the table from the saved runs

Why. The relative rule ends with a neighbour vote (``cxtext.themes.taxonomy_neighbours.grow_by_votes``):
a matched comment leaves when its 20 nearest comments give its theme less than half of 60%, i.e. fewer than
6. A theme with 6 matched comments can give each of them at most 5, so every theme under 7 members lost
them all. On the bundled 600-comment sample with the README's own example taxonomy, asked for the relative
rule, "Refund delays" matched 6 comments before the vote and 0 after it. The tuning sets never showed it:
their taxonomy intents have 25-350 rows. "by size" asks of a row what its theme's size allows: half of 60%
times min(1, (members - 1) / 20). Nothing is tuned: the two forms are compared, nothing else changes.

Scored with the library's default matcher (``TaxonomyMatcher()``: the relative rule and its vote) on

* **six sets**: bench/taxonomy_lodo.py's cases on the six labelled sets it chose the rule on (e5 vectors);
* **small dumps**: bench/taxonomy_small.py's 150-, 300- and 600-comment samples of those sets;
* **HINT3**: bench/stranger_sets.py's three sets of real chatbot queries, never used to choose anything
  (MiniLM, as ``model: auto`` picks);
* **the sample**: ``examples/sample_feedback.csv`` with the README's example taxonomy (comments per theme).

Cells as in taxonomy_lodo: matched / pulled in per set, variant (names, names + 3 examples) and taxonomy
size, averaged over draws; shortfall = ``taxonomy_lodo.violation`` summed. Decision rule, written before the
run: "by size" is adopted when its summed shortfall is not higher on the six sets and lower on the small
dumps and HINT3 together.

Writes bench/results/taxonomy_prune_trial.md and taxonomy_prune_trial_runs.csv.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo_data, stranger_sets, taxonomy_lodo, taxonomy_small  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.saved_runs import runs_or_saved  # noqa: E402

RESULTS = ROOT / "bench" / "results"
VARIANTS = ("fixed", "by size")


def use(variant: str) -> None:
    """Make the library's matcher prune at a fixed share ("fixed") or by the theme's size ("by size")."""
    import cxtext.themes.taxonomy_match as match
    from cxtext.themes import taxonomy_neighbours

    match.grow_by_votes = functools.partial(taxonomy_neighbours.grow_by_votes,
                                            prune_by_size=variant == "by size")


def cells(group: str, prep, extra: dict) -> list[dict]:
    rows = []
    for variant in VARIANTS:
        use(variant)
        for case in prep.all_cases:
            m, p = taxonomy_lodo.score(taxonomy_lodo.predict(prep, case, {}), case)
            rows.append({"group": group, "set": prep.name, **extra, "prune": variant, "variant": case["variant"],
                         "size": case["size"], "matched": m, "pulled": p})
    return rows


def measure() -> pd.DataFrame:
    rows = []
    for name in lodo_data.SETS:
        t0 = time.perf_counter()
        full = taxonomy_lodo.prepare(name)
        rows += cells("six sets", full, {"n": len(full.texts)})
        for n in taxonomy_small.SIZES:
            for sample in range(taxonomy_small.SAMPLES):
                small = taxonomy_small.small_cases(full, n, sample)
                rows += cells("small dumps", small, {"n": n, "sample": sample})
        print(f"  {name}: {time.perf_counter() - t0:.0f}s", flush=True)
    for name in stranger_sets.SETS:
        texts = stranger_sets.load(name)["text"].tolist()
        prep = taxonomy_lodo.prepare(name, stranger_sets.auto_model(texts), load=stranger_sets.load)
        rows += cells("HINT3", prep, {"n": len(texts)})
        print(f"  {name}", flush=True)
    use("by size")
    return pd.DataFrame(rows)


def sample_counts() -> dict[str, dict[str, int]]:
    """Comments per taxonomy theme on the bundled sample with the README's example taxonomy, relative rule."""
    import tempfile

    import cxtext

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("theme,description,examples,parent"):]
    csv_text = block[:block.index("```")]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "taxonomy.csv"
        path.write_text(csv_text, encoding="utf-8")
        for variant in VARIANTS:
            use(variant)
            analysis = cxtext.analyze(ROOT / "examples" / "sample_feedback.csv", taxonomy=path,
                                      taxonomy_rule="relative", cache_path=Path(tmp) / "c.sqlite")
            themes = analysis.themes[analysis.themes["origin"] == "taxonomy"]
            out[variant] = dict(zip(themes["label"], themes["size"].astype(int)))
    use("by size")
    return out


def write(runs: pd.DataFrame, sample: dict, seconds: float) -> Path:
    keys = ["group", "set", "prune", "variant", "size"]
    cell = runs.groupby(keys)[["matched", "pulled"]].mean().reset_index()
    cell["shortfall"] = [taxonomy_lodo.violation(m, p) for m, p in zip(cell["matched"], cell["pulled"])]
    per_set = cell.pivot_table(index=["group", "set"], columns="prune", values=["shortfall", "matched", "pulled"],
                               aggfunc={"shortfall": "sum", "matched": "mean", "pulled": "mean"})
    lines = ["# Trial: the neighbour vote's prune, fixed or by the theme's size (issue 19, point 4)", "",
             machine_line() + f" · {seconds / 60:.0f} min", "",
             "`.venv/bin/python bench/taxonomy_prune_trial.py` (method and decision rule in its docstring). Per set: "
             "summed shortfall over its variant x size cells (lower is better), and mean matched / pulled in over "
             "those cells.", "",
             "| group | set | shortfall fixed | shortfall by size | matched fixed / by size | pulled in fixed / by size |",
             "| --- | --- | ---: | ---: | --- | --- |"]
    for (group, name), r in per_set.iterrows():
        lines.append(f"| {group} | {name} | {r[('shortfall', 'fixed')]:.2f} | {r[('shortfall', 'by size')]:.2f} | "
                     f"{r[('matched', 'fixed')]:.1%} / {r[('matched', 'by size')]:.1%} | "
                     f"{r[('pulled', 'fixed')]:.1%} / {r[('pulled', 'by size')]:.1%} |")
    totals = per_set["shortfall"].groupby(level="group").sum()
    lines += ["", "Summed shortfall per group: " + "; ".join(
        f"{group} {r['fixed']:.2f} fixed vs {r['by size']:.2f} by size" for group, r in totals.iterrows()) + ".", "",
        "The bundled sample with the README's example taxonomy, relative rule asked for (comments per theme): "
        + "; ".join(f"{variant}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
                    for variant, counts in sample.items()) + "."]
    six = totals.loc["six sets"]
    others = totals.drop("six sets").sum()
    adopt = six["by size"] <= six["fixed"] + 1e-9 and others["by size"] < others["fixed"]
    lines += ["", f"Decision rule (docstring): {'met' if adopt else 'not met'}: six sets {six['fixed']:.2f} -> "
              f"{six['by size']:.2f}; small dumps and HINT3 together {others['fixed']:.2f} -> {others['by size']:.2f}."]
    path = RESULTS / "taxonomy_prune_trial.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from-runs", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    runs = runs_or_saved(RESULTS / "taxonomy_prune_trial_runs.csv", args.from_runs, measure)
    sample = sample_counts()
    print(write(runs, sample, time.perf_counter() - t0).read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
