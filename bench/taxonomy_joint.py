"""The relative rule's parameters and its threshold cap chosen TOGETHER, leave one dataset out, on examples
taken from the set and examples written by hand (issue 19, point 4).

Run:  .venv/bin/python bench/taxonomy_joint.py   (writes bench/results/taxonomy_joint.md)

Why: ``bench/taxonomy_lodo.py`` chose the rule's parameters with the cap
``max_threshold`` fixed, on example rows of the set only, and
``bench/taxonomy_cap.py`` chose the cap with the other parameters fixed. So
neither choice was made with the other free, and the rule's weak point,
examples a person writes (short, close to each other), did not weigh in the
choice of the other parameters. Here both kinds of examples weigh in one choice.

Cases, on the six sets of ``bench/lodo_data.py`` (the same prepared sets,
clusters and neighbour indices as ``taxonomy_lodo``):

* **names**: ``taxonomy_lodo``'s names-only cases (10/20/40% of the labels, 3
  draws each, a size one cell);
* **rows**: its names + 3 example rows cases (a size one cell);
* **hand-written**: ``taxonomy_cap``'s cases (the labels of
  ``bench/taxonomy_examples.py`` with 3 examples written by hand, all of them
  and 3 draws of half; each a cell).

For each held-out set the combination of ``GRID`` x ``CAPS`` x ``VOTES`` with
the smallest summed shortfall (``taxonomy_lodo.violation``) over every cell of
the other five sets is chosen (the names cells depend on ``name_cos``, the
example cells on ``example_margin`` and the cap; the rest is shared) and
scored on the held-out set, beside the library's current defaults and the
"cluster" rule on the same cases.

Run before ``TaxonomyMatcher(widen=...)`` existed: every matcher here has
``widen=0``, so a re-run gives the table as it was recorded (the widening was
chosen after it, by ``bench/taxonomy_expand_trial.py``).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo_data  # noqa: E402
from bench.taxonomy_cap import hand_cases  # noqa: E402
from bench.taxonomy_lodo import (MATCHED_TARGET, OLD, PULLED_TARGET, VOTE_KEYS, VOTES, prepare,  # noqa: E402
                                 score, violation)

RESULTS = ROOT / "bench" / "results" / "taxonomy_joint.md"
#: shared by every case (n_neighbours stays 1: every fold of taxonomy_lodo chose it)
GRID = {"comment_z": (1.0, 2.0), "cluster_margin": (-0.25, -0.15), "member_margin": (0.05, 0.1)}
NAME_COS = (0.3, 0.35, 0.4)
EXAMPLE_MARGIN = (-0.1, -0.05, 0.0)
CAPS = (0.35, 0.4, 0.45, 0.5, 0.55)
SHARED = (*GRID, *VOTE_KEYS)
KINDS = ("names", "rows", "hand-written")


def all_cases(prep) -> list[dict]:
    """Every case of one set with its kind and cell (the cell its draws are averaged in)."""
    out = []
    for case in prep.all_cases:
        kind = "names" if case["variant"] == "names" else "rows"
        out.append({**case, "kind": kind, "cell": f"{case['size']:g}", "k": len(case["chosen"])})
    for case in hand_cases(prep):
        out.append({**case, "cell": f"hand {case['draw']}"})
    return out


def grid_rows(prep) -> list[dict]:
    """matched / pulled in of every case under every rule of the grid (the vote applied to each base)."""
    from cxtext.themes.taxonomy_match import TaxonomyMatcher, prototypes
    from cxtext.themes.taxonomy_neighbours import grow_by_votes

    rows = []
    for case in all_cases(prep):
        own = {"name_cos": NAME_COS} if case["kind"] == "names" else {"example_margin": EXAMPLE_MARGIN,
                                                                     "max_threshold": CAPS}
        keys = (*GRID, *own)
        for values in itertools.product(*GRID.values(), *own.values()):
            params = dict(zip(keys, values))
            matcher = TaxonomyMatcher(**params, vote_neighbours=0, widen=0).fit(
                prototypes(case["V"], case["owner"], case["k"]), case["V"], case["owner"])
            base = matcher.predict(prep.E, prep.clusters, neighbour_index=prep.knn)
            for vote in VOTES:
                n_vote, share, rounds = vote
                pred = grow_by_votes(base, prep.knn_all[:, 1:1 + n_vote], case["k"], share, rounds) \
                    if n_vote else base
                m, p = score(pred, case)
                rows.append({"set": prep.name, "kind": case["kind"], "cell": case["cell"], **params,
                             **dict(zip(VOTE_KEYS, vote)), "matched": m, "pulled": p})
    return rows


def cells_of(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    keys = ["set", "kind", "cell", *SHARED, "name_cos", "example_margin", "max_threshold"]
    cells = df.groupby(keys, dropna=False)[["matched", "pulled"]].mean().reset_index()
    cells["viol"] = [violation(m, p) for m, p in zip(cells["matched"], cells["pulled"])]
    return cells


def choose(cells: pd.DataFrame, sets: list[str]) -> dict:
    """The combination with the smallest summed shortfall over the cells of ``sets`` (ties: mean matched)."""
    cells = cells[cells["set"].isin(sets)]
    shared = list(SHARED)
    names = cells[cells["kind"] == "names"].groupby(shared + ["name_cos"]).agg(
        v=("viol", "sum"), m=("matched", "sum"), c=("matched", "size")).reset_index()
    ex = cells[cells["kind"] != "names"].groupby(shared + ["example_margin", "max_threshold"]).agg(
        v=("viol", "sum"), m=("matched", "sum"), c=("matched", "size")).reset_index()
    names = names.sort_values(["v", "m"], ascending=[True, False]).groupby(shared).head(1)
    both = ex.merge(names, on=shared, suffixes=("_e", "_n"))
    both["v"] = both["v_e"] + both["v_n"]
    both["m"] = (both["m_e"] + both["m_n"]) / (both["c_e"] + both["c_n"])
    best = both.sort_values(["v", "m"], ascending=[True, False]).iloc[0]
    out = {key: float(best[key]) for key in (*SHARED, "name_cos", "example_margin", "max_threshold")}
    for key in ("vote_neighbours", "vote_rounds"):
        out[key] = int(out[key])
    return out


def held_out(prep, params: dict | None) -> pd.DataFrame:
    """Every cell of one set under ``params`` (None: the cluster rule), through the library's matcher."""
    from cxtext.themes.taxonomy_match import TaxonomyMatcher, prototypes

    rows = []
    for case in all_cases(prep):
        p = OLD if params is None else {"widen": 0, **{k: v for k, v in params.items()
                                                       if not (case["kind"] == "names" and k == "max_threshold")}}
        matcher = TaxonomyMatcher(**p).fit(prototypes(case["V"], case["owner"], case["k"]), case["V"],
                                           case["owner"])
        pred = matcher.predict(prep.E, prep.clusters, neighbour_index=prep.knn, vote_index=prep.knn_all)
        m, pulled = score(pred, case)
        rows.append({"set": prep.name, "kind": case["kind"], "cell": case["cell"], "matched": m, "pulled": pulled})
    df = pd.DataFrame(rows).groupby(["set", "kind", "cell"])[["matched", "pulled"]].mean().reset_index()
    df["viol"] = [violation(m, p) for m, p in zip(df["matched"], df["pulled"])]
    return df


def current_defaults() -> dict:
    from cxtext.themes.taxonomy_match import TaxonomyMatcher

    p = vars(TaxonomyMatcher())
    return {k: p[k] for k in (*SHARED, "name_cos", "example_margin", "max_threshold")} | {"comment_z": 1.0}


def fmt(params: dict) -> str:
    return ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in params.items())


def summary_line(df: pd.DataFrame) -> str:
    ok = ((df["matched"] >= MATCHED_TARGET) & (df["pulled"] <= PULLED_TARGET)).sum()
    return (f"matched {df['matched'].mean():.1%} / pulled in {df['pulled'].mean():.1%} (worst "
            f"{df['pulled'].max():.1%}); shortfall {df['viol'].sum():.2f}; {int(ok)} of {len(df)} cells reach both")


def decision(totals: pd.DataFrame) -> str:
    """Adopt the joint choice only if it is lower held out on every kind of taxonomy (the rule fixed in advance)."""
    chosen, default = totals.loc["chosen"], totals.loc["current default"]
    better = [kind for kind in totals.columns if chosen[kind] < default[kind]]
    worse = [kind for kind in totals.columns if chosen[kind] > default[kind]]
    verdict = ("Adopted: lower on every kind." if not worse else
               f"Not adopted: lower on {', '.join(better) or 'no kind'}, higher on {', '.join(worse)}.")
    return (f"Rule (stated after the first run; no default was changed on it): the library's defaults change only if the joint choice's held-out "
            f"shortfall is lower on every kind of taxonomy. All kinds: {chosen.sum():.2f} (joint, held out) vs "
            f"{default.sum():.2f} (current default; its 'rows' cells are partly in sample, as `taxonomy_lodo` chose "
            f"it on them). {verdict}")


def main() -> int:
    from bench.machine import result_head

    start = time.perf_counter()
    sets = list(lodo_data.SETS)
    preps, rows = {}, []
    for name in sets:
        t0 = time.perf_counter()
        preps[name] = prepare(name)
        rows.extend(grid_rows(preps[name]))
        print(f"{name}: grid in {time.perf_counter() - t0:.0f}s", flush=True)
    cells = cells_of(rows)
    default = current_defaults()
    chosen, results = {}, []
    for held in sets:
        chosen[held] = choose(cells, [s for s in sets if s != held])
        for which, params in (("chosen", chosen[held]), ("current default", default), ("cluster rule", None)):
            results.append(held_out(preps[held], params).assign(which=which))
    res = pd.concat(results)
    final = choose(cells, sets)
    lines = ["| set | examples | current default | chosen on the other five | cluster rule |",
             "| --- | --- | --- | --- | --- |"]
    for name in sets:
        for kind in KINDS:
            cols = []
            for which in ("current default", "chosen", "cluster rule"):
                d = res[(res["set"] == name) & (res["kind"] == kind) & (res["which"] == which)]
                cols.append(f"{d['matched'].mean():.1%} / {d['pulled'].mean():.1%} ({d['pulled'].max():.1%}); "
                            f"{d['viol'].sum():.2f}")
            lines.append(f"| {name} | {kind} | " + " | ".join(cols) + " |")
    totals = res.groupby(["which", "kind"])["viol"].sum().unstack("kind")
    text = "\n".join([
        *result_head("The relative rule and its cap chosen together, leave one dataset out (issue 19, point 4)"),
        f"Command: `.venv/bin/python bench/taxonomy_joint.py` ({(time.perf_counter() - start) / 60:.0f} min; "
        "method in its docstring). Grid: " + ", ".join(f"{k} {v}" for k, v in GRID.items())
        + f", name_cos {NAME_COS}, example_margin {EXAMPLE_MARGIN}, max_threshold {CAPS}, vote {VOTES}.", "",
        "## Held out", "",
        "Each cell: mean matched / mean pulled in (worst cell's pulled in); summed shortfall (pulled in above 10% "
        "weighs 10x, matched below 70% 1x).", "",
        *lines, "",
        "Summed shortfall over the six held-out sets, by kind of taxonomy:", "",
        "| rule | " + " | ".join(totals.columns) + " | all |", "| --- |" + " ---: |" * (len(totals.columns) + 1),
        *[f"| {which} | " + " | ".join(f"{v:.2f}" for v in totals.loc[which]) + f" | {totals.loc[which].sum():.2f} |"
          for which in totals.index], "",
        *[f"- {which}: " + summary_line(res[res["which"] == which]) for which in ("current default", "chosen",
                                                                                 "cluster rule")], "",
        "## Decision", "", decision(totals), "",
        "Chosen per held-out set:", "", *[f"- {name}: {fmt(chosen[name])}" for name in sets], "",
        f"Current default: {fmt(default)}.", "",
        f"Chosen on all six sets: {fmt(final)}.", "",
    ])
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
