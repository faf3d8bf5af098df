"""Issue 19, point 3 trial: split a theme when its sub-groups' detractor rates differ (outcome-aware splits).

    .venv/bin/python bench/outcome_split_trial.py                # ~15 min
    .venv/bin/python bench/outcome_split_trial.py --from-runs    # rewrite the table from the saved runs

Why. bench/planted_drivers.py finds 3.6-4.4 of 5 planted intents among the top five drivers. The main miss
at today's theme size is sibling intents sharing one theme: the planted intent's detractors are there, but
the theme's majority is its unplanted sibling. Finer themes everywhere cost theme quality
(bench/results/driver_dedupe_trial.md). A theme whose sub-groups have clearly different detractor rates is
two pain points, so splitting only those themes should give the planted intent its own row without
making every theme finer.

What. For each intent set, seed and planting of bench/planted_drivers.py (same product path
``cxtext.analyze``, default settings, model auto = MiniLM on these English sets):

* candidates: every theme with at least 2 x m scored comments, split into k parts for each k in K exactly as
  ``Analysis.split_theme(theme, n=k)`` splits it (KMeans on the model's vectors, the model's seed);
  a candidate is accepted when some part of at least m comments has a detractor rate different from the
  rest of its theme (pooled two-proportion z-test) with p below alpha / (number of part tests made over
  all themes and k: Bonferroni). Per theme the candidate with the smallest p is kept.
* accepted splits are applied with ``Analysis.split_theme`` (labels, drivers recomputed by the product);
  scored as bench/planted_drivers.py: planted found in the top 5 (of 5), top-5 precision, and
  NMI / ARI of the themes against the gold intents (unthemed = one label);
* null runs: the same dumps with every row's NPS drawn from the unplanted distribution (no theme
  differs): the accepted splits there are false splits.

Leave one dataset out: for each held-out intent set, (alpha, correction, m, K) is chosen on the other three by mean
planted found, ties by fewer null splits, then by higher (NMI+ARI)/2 (order fixed before the run), and
scored on the held-out set. Nothing in the library changes with this trial.

The shipped form (``cxtext.themes.suggest``, score evidence of :mod:`cxtext.themes.split_outcome`: 2 parts,
Bonferroni 0.05 over the themes tested, 10 scored comments a part, a gap of at least a tenth of the
score's span) suggests such splits to a person
instead of making them. Its suggestions are counted on the same planted and null runs: how many a run,
and how many whose part with more detractors has a planted intent as its majority.

Writes bench/results/outcome_split_trial.md, outcome_split_trial_runs.csv and
outcome_split_trial_suggestions.csv.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo, lodo_data, planted_drivers  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.saved_runs import runs_or_saved, trial_parser  # noqa: E402

RESULTS = ROOT / "bench" / "results"
RUNS = RESULTS / "outcome_split_trial_runs.csv"
SUGGESTIONS = RESULTS / "outcome_split_trial_suggestions.csv"
INTENT_SETS = ("bitext-service", "clinc-banking", "hwu64", "clinc-other")
ALPHAS = (0.05, 0.01, 0.001)
CORRECTIONS = ("bonferroni", "bh")
MIN_PARTS = (10, 20)
KS = ((2,), (2, 3), (2, 3, 4))


def null_nps(n: int, seed: int) -> np.ndarray:
    """Every row's NPS from the unplanted distribution of bench/planted_drivers.py (15/30/55%)."""
    rng = np.random.default_rng(10_000 + seed)
    return planted_drivers.nps_answers(rng.choice(3, size=n, p=[0.15, 0.3, 0.55]), rng)


def candidate_parts(analysis, ks: tuple[int, ...], cache: dict) -> dict[int, dict[int, tuple[np.ndarray, np.ndarray]]]:
    """theme -> k -> (record rows of the theme's own comments, part of each), as split_theme would cut them."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    out: dict[int, dict[int, tuple[np.ndarray, np.ndarray]]] = {}
    model = analysis.theme_model
    for t in sorted(int(x) for x in analysis.themes["theme_id"] if int(x) >= 0):
        vectors, languages, rows = analysis.split_members(t)
        if rows.size < 8:
            continue
        E = model._prepare(vectors[rows], [languages[i] for i in rows])
        out[t] = {}
        for k in ks:
            if (t, k) not in cache:
                with threadpool_limits(limits=1, user_api="openmp"):
                    cache[(t, k)] = KMeans(n_clusters=k, n_init=10, random_state=int(model.seed_)).fit_predict(E)
            out[t][k] = (rows, cache[(t, k)])
    return out


def best_splits(parts: dict, detractor: np.ndarray, scored: np.ndarray, ks: tuple[int, ...], m: int,
                alpha: float, correction: str) -> dict[int, int]:
    """theme -> k of the accepted split (Bonferroni, or Benjamini-Hochberg, over every part test made)."""
    from cxtext.drivers import two_proportion_p_value
    from cxtext.drivers.figures import bh_q_values

    tests: list[tuple[int, int, float]] = []
    for t, by_k in parts.items():
        for k in ks:
            rows, part = by_k[k]
            ok = scored[rows]
            if ok.sum() < 2 * m:
                continue
            d, p_of = detractor[rows][ok], part[ok]
            for c in range(k):
                inside = p_of == c
                n_in, n_out = int(inside.sum()), int((~inside).sum())
                if n_in < m or n_out < m:
                    continue
                a, b = int(d[inside].sum()), int(d[~inside].sum())
                if a + b in (0, n_in + n_out):
                    continue
                tests.append((t, k, two_proportion_p_value(a, n_in, b, n_out)))
    if not tests:
        return {}
    p_values = np.array([p for _, _, p in tests])
    passed = p_values < alpha / len(tests) if correction == "bonferroni" else bh_q_values(p_values) < alpha
    chosen: dict[int, tuple[float, int]] = {}
    for (t, k, p), ok in zip(tests, passed):
        if ok and (t not in chosen or p < chosen[t][0]):
            chosen[t] = (p, k)
    return {t: k for t, (_, k) in chosen.items()}


def score_run(analysis, gold: np.ndarray, planted: list[str]) -> dict:
    majority = planted_drivers.majority(analysis.records, gold, "theme_id")
    top = planted_drivers.top5(analysis.drivers, majority, planted, "theme_id")
    labels = analysis.records["theme_id"].fillna(-1).astype(int).to_numpy()
    return {"found": top["planted_found"], "precision": top["precision@5"], **lodo.score(gold, labels)}


def measure(seeds: int) -> pd.DataFrame:
    import cxtext
    from cxtext.drivers import usable_scores

    rows = []
    for name in INTENT_SETS:
        df = lodo_data.load(name)
        gold = df["label"].to_numpy()
        for seed, kind in itertools.product(range(seeds), ("planted", "null")):
            nps, planted = planted_drivers.planted_nps(gold, seed)
            if kind == "null":
                nps = null_nps(len(df), seed)
            frame = pd.DataFrame({"comment": df["text"].astype(str), "nps": nps})
            base = cxtext.analyze(frame, text="comment", nps="nps", cache_path=planted_drivers.CACHE)
            scores = usable_scores(base.records)
            detractor, scored = scores.is_detractor, scores.has_nps
            cache: dict = {}
            parts = candidate_parts(base, max(KS, key=len), cache)
            applied: dict[tuple, dict] = {}
            for alpha, corr, m, ks in itertools.product(ALPHAS, CORRECTIONS, MIN_PARTS, (None,) + KS):
                splits = {} if ks is None else best_splits(parts, detractor, scored, ks, m, alpha, corr)
                key = tuple(sorted(splits.items()))
                if key not in applied:
                    result = base
                    for t, k in sorted(splits.items()):
                        result = result.split_theme(t, n=k)
                    applied[key] = score_run(result, gold, planted)
                rows.append({"set": name, "seed": seed, "nps": kind, "alpha": alpha, "correction": corr, "m": m,
                             "ks": "off" if ks is None else ",".join(map(str, ks)),
                             "splits": len(splits), **applied[key]})
            got = [r for r in rows[-len(ALPHAS) * len(CORRECTIONS) * len(MIN_PARTS) * (len(KS) + 1):]]
            print(f"  {name} seed {seed} {kind}: found off {got[0]['found']} .. "
                  f"max {max(r['found'] for r in got)}, splits max {max(r['splits'] for r in got)}", flush=True)
    return pd.DataFrame(rows)


#: Star ratings 1-5 drawn for the rating runs: planted intents mostly 1-2 stars, every other row mostly 4-5.
PLANTED_STARS = (0.4, 0.2, 0.15, 0.15, 0.1)
OTHER_STARS = (0.05, 0.05, 0.15, 0.3, 0.45)


def stars(gold: np.ndarray, planted: list[str], seed: int, null: bool) -> np.ndarray:
    """1-5 stars per row: the planted intents' rows from PLANTED_STARS (all rows from OTHER_STARS when null)."""
    rng = np.random.default_rng(20_000 + seed)
    low = np.isin(gold, planted) & (not null)
    return np.where(low, rng.choice(5, size=gold.size, p=PLANTED_STARS),
                    rng.choice(5, size=gold.size, p=OTHER_STARS)) + 1


def suggestion_runs(seeds: int) -> pd.DataFrame:
    """The shipped score-evidence split suggestions on the planted and null runs (NPS, then star ratings
    without NPS), one row per run."""
    import cxtext
    from cxtext.themes.suggest import apply_suggestion, suggest_edits

    rows = []
    for name in INTENT_SETS:
        df = lodo_data.load(name)
        gold = df["label"].to_numpy()
        for seed, kind, score in itertools.product(range(seeds), ("planted", "null"), ("nps", "rating")):
            nps, planted = planted_drivers.planted_nps(gold, seed)
            if kind == "null":
                nps = null_nps(len(df), seed)
            frame = pd.DataFrame({"comment": df["text"].astype(str), "nps": nps,
                                  "rating": stars(gold, planted, seed, kind == "null")})
            roles = {"nps": "nps"} if score == "nps" else {"rating": "rating", "rating_scale": "1-5"}
            analysis = cxtext.analyze(frame[["comment", score]], text="comment", cache_path=planted_drivers.CACHE,
                                      **roles)
            found = suggest_edits(analysis, split_silhouette=1.0, max_suggestions=None)  # score evidence only
            by_score = found[found["kind"] == "split"]
            hits = 0
            for row in by_score.to_dict("records"):
                edited = apply_suggestion(analysis, row)
                worse = np.argmax(row["part_outcomes"]) if score == "nps" else np.argmin(row["part_outcomes"])
                richer = edited.summary["edits"][-1]["into"][int(worse)]
                hits += planted_drivers.majority(edited.records, gold, "theme_id").get(richer) in planted
            rows.append({"set": name, "seed": seed, "nps": kind, "score": score, "suggested": len(by_score),
                         "planted_part": hits})
        print(f"  suggestions {name}", flush=True)
    return pd.DataFrame(rows)


def suggestion_lines(sug: pd.DataFrame) -> list[str]:
    lines = ["## The shipped form: split suggestions by score (cxtext.themes.suggest)", "",
             "Per run: split suggestions made on score evidence alone (2 parts, Bonferroni 0.05, 10 scored comments "
             "a part, a gap of at least a tenth of the score's span), and of those, how many have a planted intent as the majority of the worse part (more "
             "detractors, or lower mean rating). NPS runs: the planting above. Rating runs: the same intents, no "
             f"NPS, 1-5 stars drawn {PLANTED_STARS} for planted rows and {OTHER_STARS} for the others (Welch's "
             "t-test on the parts' mean ratings). Null: every row's score drawn alike.", "",
             "| score | set | planted runs: suggested | of which the worse part is planted | null runs: suggested |",
             "| --- | --- | ---: | ---: | ---: |"]
    for score in ("nps", "rating"):
        for name in INTENT_SETS:
            g = sug[(sug["set"] == name) & (sug["score"] == score)]
            p, n = g[g["nps"] == "planted"], g[g["nps"] == "null"]
            lines.append(f"| {score} | {name} | {p['suggested'].sum()} in {len(p)} | {p['planted_part'].sum()} | "
                         f"{n['suggested'].sum()} in {len(n)} |")
    return lines + [""]


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    runs = runs.assign(quality=(runs["nmi"] + runs["ari"]) / 2)
    planted = runs[runs["nps"] == "planted"].groupby(["alpha", "correction", "m", "ks", "set"])[
        ["found", "precision", "quality", "splits"]].mean()
    null = runs[runs["nps"] == "null"].groupby(["alpha", "correction", "m", "ks", "set"])["splits"].mean().rename("null_splits")
    return planted.join(null).reset_index()


def leave_one_out(s: pd.DataFrame) -> pd.DataFrame:
    out = []
    for held in INTENT_SETS:
        train = s[s["set"] != held].groupby(["alpha", "correction", "m", "ks"])[["found", "null_splits", "quality"]].mean()
        train = train.assign(neg_null=-train["null_splits"]).sort_values(
            ["found", "neg_null", "quality"], ascending=False)
        alpha, corr, m, ks = train.index[0]
        sel = s[(s["set"] == held) & (s["alpha"] == alpha) & (s["correction"] == corr) & (s["m"] == m)
                & (s["ks"] == ks)].iloc[0]
        off = s[(s["set"] == held) & (s["ks"] == "off")].iloc[0]
        out.append({"held out": held, "alpha": alpha, "correction": corr, "m": m, "ks": ks, **{c: sel[c] for c in
                    ("found", "precision", "quality", "splits", "null_splits")},
                    "found off": off["found"], "precision off": off["precision"], "quality off": off["quality"]})
    return pd.DataFrame(out)


def write(runs: pd.DataFrame, seconds: float, suggestions: pd.DataFrame | None = None) -> Path:
    s = summarise(runs)
    lines = ["# Outcome-aware theme splits for the top drivers (issue 19, point 3 trial)", "",
             machine_line() + f" · {seconds / 60:.0f} min", "",
             f"`.venv/bin/python bench/outcome_split_trial.py` ({runs['seed'].nunique()} seeds; method in its "
             "docstring). Cells: planted found (of 5) / top-5 precision / (NMI+ARI)/2 / splits made; "
             "null = splits made when no theme's NPS differs (false splits), mean per run.", "",
             "| alpha | correction | m | k | " + " | ".join(INTENT_SETS) + " | mean found | null splits |",
             "| --- | --- | --- | --- |" + " --- |" * len(INTENT_SETS) + " ---: | ---: |"]
    for (alpha, corr, m, ks), g in s.groupby(["alpha", "correction", "m", "ks"], sort=True):
        g = g.set_index("set")
        cells = [f"{g.loc[x, 'found']:.1f} / {g.loc[x, 'precision']:.2f} / {g.loc[x, 'quality']:.3f} / "
                 f"{g.loc[x, 'splits']:.1f}" for x in INTENT_SETS]
        lines.append(f"| {alpha:g} | {corr} | {m} | {ks} | " + " | ".join(cells)
                     + f" | {g['found'].mean():.2f} | {g['null_splits'].mean():.2f} |")
    lo = leave_one_out(s)
    lines += ["", "## Leave one dataset out: (alpha, correction, m, k) chosen on the other three sets, scored on the held-out one",
              "", "| held out | alpha | correction | m | k | found (off) | precision (off) | (NMI+ARI)/2 (off) | splits | "
              "null splits |", "| --- | ---: | --- | ---: | --- | --- | --- | --- | ---: | ---: |"]
    for _, r in lo.iterrows():
        lines.append(f"| {r['held out']} | {r['alpha']:g} | {r['correction']} | {r['m']} | {r['ks']} | {r['found']:.1f} "
                     f"({r['found off']:.1f}) | {r['precision']:.2f} ({r['precision off']:.2f}) | "
                     f"{r['quality']:.3f} ({r['quality off']:.3f}) | {r['splits']:.1f} | {r['null_splits']:.2f} |")
    lines += ["", f"Held out, mean: planted found {lo['found'].mean():.2f} (off {lo['found off'].mean():.2f}) of 5, "
              f"precision {lo['precision'].mean():.2f} (off {lo['precision off'].mean():.2f}), (NMI+ARI)/2 "
              f"{lo['quality'].mean():.3f} (off {lo['quality off'].mean():.3f}), false splits per null run "
              f"{lo['null_splits'].mean():.2f}.", ""]
    if suggestions is not None:
        lines += suggestion_lines(suggestions)
    path = RESULTS / "outcome_split_trial.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = trial_parser(__doc__, seeds=5)
    args = parser.parse_args()
    start = time.time()
    runs = runs_or_saved(RUNS, args.from_runs, lambda: measure(args.seeds))
    suggestions = runs_or_saved(SUGGESTIONS, args.from_runs and SUGGESTIONS.exists(),
                                lambda: suggestion_runs(args.seeds))
    print(write(runs, time.time() - start, suggestions).read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
