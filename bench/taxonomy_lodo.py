"""The taxonomy matching rule, chosen leave-one-dataset-out (issue 19, point 4).

Run:  .venv/bin/python bench/taxonomy_lodo.py   (writes bench/results/taxonomy_lodo.md)

Data: the six labelled sets of ``bench/lodo_data.py`` (clinc-banking,
clinc-other, hwu64, bitext-service, absa-restaurants, absa-laptops), default
model (vectors cached by ``bench.themes.embed``), each fitted once with the
pipeline's default theme parameters (``cxtext.pipeline.DEFAULT_PARAMS``,
seed 0), the fit cached under ``~/.cache/cxtext/bench``.

Taxonomies: for each set and each size (10%, 20%, 40% of its labels, at
least one), ``DRAWS`` random draws (``numpy.random.default_rng(seed)``) of
the labels, given

* **names**: the label made readable ("card_declined" -> "card declined",
  "FOOD#QUALITY" -> "food quality");
* **names + 3 examples**: plus three rows of that label drawn from the set.
  Those rows stay in the dump (as a user's examples would often be
  comments they have seen) but are REMOVED from the evaluated rows, for both
  variants, so no row is scored against a prototype built from itself.

Metrics (per set, size and variant, averaged over the draws):

* **matched**: share of the taxonomy labels' (evaluated) rows assigned to
  their own taxonomy theme;
* **pulled in**: share of all other rows assigned to any taxonomy theme.

Matching goes through the library's own path: the fitted model's
``_prepare`` for comments and phrases, :func:`cxtext.themes.taxonomy_match.prototypes`,
then :meth:`TaxonomyMatcher.predict` with the fit's clusters, i.e. what
:func:`cxtext.themes.taxonomy.apply_taxonomy` (called by
``cxtext.theming.with_taxonomy`` from ``cxtext.analysis``) does before it
rebuilds the themes; the final table also runs ``apply_taxonomy`` itself and
checks that its taxonomy themes hold exactly those rows.

The rule (``TaxonomyMatcher(rule="relative")``, see the module docstring of
``cxtext/themes/taxonomy_match.py``): a per-theme threshold (mean leave-one-out
cosine of its examples minus ``example_margin``, or ``name_cos`` for a theme
given by name), a comment's similarity averaged over its ``n_neighbours``
nearest comments, a robust z floor ``comment_z``, and a cluster step (a
theme's nearest discovered cluster, when its centroid reaches the threshold
plus ``cluster_margin``, lets its members within ``member_margin`` of the
threshold join). The previous default (``rule="cluster"``, chosen on
CLINC150) is scored on the same cases beside it.

Choice: for each held-out set, every rule of ``GRID`` is scored on the five
other sets (each set x size x variant cell averaged over draws) by
:func:`violation` summed over their cells (pulled in above 10% weighs 10x,
matched below 70% 1x; ties by mean matched), the best is chosen and
reported on the held-out set. The library default is the rule chosen on
all six sets; the out-of-sample numbers are the held-out ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo_data  # noqa: E402
from bench.themes import CACHE, embed  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "taxonomy_lodo.md"
SIZES = (0.1, 0.2, 0.4)
DRAWS = 3
N_EXAMPLES = 3
VARIANTS = ("names", "names + 3 examples")
MATCHED_TARGET, PULLED_TARGET = 0.70, 0.10
NOTES = """## Notes

""" + "\n".join(f"- {n}" for n in (
    ('Examples here are rows of the set (removed from the scored rows), as in the independent check. '
     'Examples a person writes by hand tend to agree more closely with each other, which raises the per-'
     'theme threshold, and on small dumps the robust z has little to stand out from: on the 30-comment '
     'three-language dump of `tests/test_taxonomy.py` the rule takes 2 of the 10 billing complaints '
     'where the previous rule took all ten, and on the 59 bank-app reviews of the golden test '
     '(`tests/golden/bank_taxonomy.csv`) it matches none where the previous rule matched 9. The rule was '
     'not measured on dumps under 1,171 comments.'),
    ('The neighbour vote (`cxtext/themes/taxonomy_neighbours.py`, first tried in `bench/taxonomy_vote_trial.py`) '
     'was chosen on every fold (10 or 20 neighbours, share 0.5 or 0.6, 1 or 3 rounds). It finishes the match: '
     "matched comments lead their unmatched neighbours in, a matched comment among other comments leaves."),
    ('`max_threshold` (0.5: a theme\'s examples may not ask for a cosine above it) was chosen by '
     '`bench/taxonomy_cap.py` leave one dataset out, on examples taken from the set and examples written by '
     'hand, with the previous defaults; it is fixed in this grid. Given the defaults chosen here, '
     '`taxonomy_cap` would choose 0.45: the cap and the other parameters are not yet chosen jointly.'),
    ('`cluster_margin`: on the first run (2026-12-06, the previous int8 vectors) -0.25, the lowest value of '
     'the grid, was chosen on every split; on the static-int8 vectors of an AMX machine -0.15 was chosen on all '
     'six sets and on four of six folds; with the neighbour vote in the grid (2026-12-07, an AVX-512 VNNI '
     'machine) -0.25 is chosen on every fold and on all six sets again. The cluster step is limited by taking only a '
     "theme's nearest cluster, and only its members within `member_margin` of the threshold. Taking that "
     "cluster whole (the previous rule's step) was never chosen in a numpy replica of the grid: it is what "
     'pulls in.'),
    ("A first run of this script (neighbours from the whole dump rather than the comment's own cluster; "
     'grid comment_z 0-2, cluster_margin -0.15 to -0.05, member_margin 0-0.1, example_margin -0.1 to 0.05,'
     ' name_cos 0.3-0.45) matched 50-69% on the intent sets with examples and pulled in up to 25.9% '
     '(hwu64) and 28.1% (absa-laptops) out of sample; neighbours within the cluster did better on both and'
     ' are the rule.'),
    ("A wider grid was tried on 2026-12-07 (comment_z 1-3, cluster_margin -0.35 to -0.15, member_margin 0-0.1, example_margin -0.15 to -0.05, name_cos 0.35-0.45, the same votes): held out it did worse, summed shortfall 13.25 with the vote (13.71 without) against this grid's 13.08 (13.44); 1 of 18 cells with examples, 0 by name. The extra choice did not carry over to the held-out sets, so the grid above stays."),
    ('ABSA aspect categories ("food", "laptop general") are broad: neither a name nor three sentences '
     'describe what their comments share, and no rule in the grid reaches 70% there.'),
    ("The theme fits are the pipeline's default parameters at the commit this ran on (each fit cached by "
     'its parameters under ~/.cache/cxtext/bench).'),
)) + "\n"


def readable(label: str) -> str:
    """A label as a person would name the theme: "card_declined" -> "card declined"."""
    text = str(label).replace("#", " ").replace("_", " ").replace("/", " ").replace("-", " ")
    return " ".join(text.lower().split())


# ----------------------------------------------------------------- data
class Prepared:
    """One set: rows, gold, the fitted model, prepared comment vectors, prepared name vectors."""

    def __init__(self, name: str, model_name: str = "default", n_examples: int = N_EXAMPLES,
                 load=lodo_data.load) -> None:
        from cxtext.pipeline import DEFAULT_PARAMS
        from cxtext.theming import theme_model_from_params

        df = load(name)
        self.name = name
        self.model_name = model_name
        self.n_examples = n_examples
        self.texts = df["text"].astype(str).tolist()
        self.gold = df["label"].astype(str).to_numpy()
        self.labels = sorted(set(self.gold))
        self.raw = embed(self.texts, model_name).astype(np.float64)
        self.langs = ["en"] * len(self.texts)
        model = theme_model_from_params(DEFAULT_PARAMS, model_name)
        key = hashlib.sha256(("\n".join(self.texts) + repr(sorted(model.get_params().items()))).encode()
                             ).hexdigest()[:16]
        path = CACHE / f"taxlodo-fit-{name}-{key}.pkl"
        if path.exists():
            model = pickle.loads(path.read_bytes())
        else:
            t0 = time.perf_counter()
            model.fit(self.texts, self.raw, self.langs)
            print(f"{name}: fitted in {time.perf_counter() - t0:.0f}s, {len(model.themes_)} themes", flush=True)
            CACHE.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(model))
        self.model = model
        self.E = model._prepare(self.raw, self.langs)
        self.clusters = np.asarray(model.labels_, dtype=np.int64)
        self.names = [readable(label) for label in self.labels]
        self.name_raw = embed(self.names, model_name).astype(np.float64)
        self.name_vec = model._prepare(self.name_raw, ["en"] * len(self.names))

    def draws(self):
        """(size, seed, taxonomy labels, example row indices per label, evaluated mask)."""
        for size in SIZES:
            k = max(1, int(round(size * len(self.labels))))
            for seed in range(DRAWS):
                rng = np.random.default_rng(1000 * seed + int(size * 100))
                chosen = sorted(rng.choice(len(self.labels), k, replace=False).tolist())
                examples = []
                for c in chosen:
                    rows = np.flatnonzero(self.gold == self.labels[c])
                    # at most half a label's rows, so some are left to score (a few ABSA labels are small)
                    take = min(self.n_examples, rows.size // 2)
                    examples.append(sorted(rng.choice(rows, take, replace=False).tolist()))
                evaluated = np.ones(len(self.texts), dtype=bool)
                evaluated[[r for ex in examples for r in ex]] = False
                yield size, seed, chosen, examples, evaluated

    def phrases(self, chosen: list[int], examples: list[list[int]] | None) -> tuple[np.ndarray, np.ndarray]:
        """Prepared phrase vectors (name, then examples, per theme) and their theme index."""
        vecs, owner = [], []
        for t, c in enumerate(chosen):
            vecs.append(self.name_vec[c])
            owner.append(t)
            for r in (examples[t] if examples is not None else []):
                vecs.append(self.E[r])  # an example phrase is a row: its vector, prepared like the rows
                owner.append(t)
        return np.asarray(vecs), np.asarray(owner, dtype=np.int64)

    def cases(self):
        """Every (size, seed, variant) case with its phrases, gold index per row and evaluated mask."""
        out = []
        for size, seed, chosen, examples, evaluated in self.draws():
            index = {self.labels[c]: t for t, c in enumerate(chosen)}
            gold_index = np.array([index.get(g, -1) for g in self.gold])
            for variant in VARIANTS:
                V, owner = self.phrases(chosen, examples if variant != "names" else None)
                out.append({"size": size, "seed": seed, "variant": variant, "V": V, "owner": owner,
                            "gold": gold_index, "evaluated": evaluated, "chosen": chosen, "examples": examples})
        return out


def score(pred: np.ndarray, case: dict) -> tuple[float, float]:
    ev, gold = case["evaluated"], case["gold"]
    tax = ev & (gold >= 0)
    other = ev & (gold < 0)
    return float(np.mean(pred[tax] == gold[tax])), float(np.mean(pred[other] >= 0))


def predict(prep: Prepared, case: dict, params: dict) -> np.ndarray:
    """The library's matcher (as apply_taxonomy calls it) on one case."""
    from cxtext.themes.taxonomy_match import TaxonomyMatcher, prototypes

    matcher = TaxonomyMatcher(**params).fit(prototypes(case["V"], case["owner"], len(case["chosen"])),
                                            case["V"], case["owner"])
    return matcher.predict(prep.E, prep.clusters, neighbour_index=prep.knn, vote_index=prep.knn_all)


def via_apply_taxonomy(prep: Prepared, case: dict, params: dict | None) -> np.ndarray:
    """The taxonomy theme of every row after :func:`apply_taxonomy` itself (-1: discovered or unthemed);
    ``params`` None: the product's own choice (the rule by the dump's size, as ``cxtext analyze`` runs it)."""
    from cxtext.themes.taxonomy import Taxonomy, TaxonomyTheme, apply_taxonomy
    from cxtext.themes.taxonomy_match import TaxonomyMatcher

    k = len(case["chosen"])
    themes = []
    for t, c in enumerate(case["chosen"]):
        ex = tuple(prep.texts[r] for r in case["examples"][t]) if case["variant"] != "names" else ()
        themes.append(TaxonomyTheme(prep.names[c], examples=ex))
    taxonomy = Taxonomy(tuple(themes), prep.name)
    model = copy.deepcopy(prep.model)
    # phrase vectors as embed_taxonomy would give them: the raw name vectors and the examples' raw row vectors
    raw = []
    for t, c in enumerate(case["chosen"]):
        raw.append(prep.name_raw[c])
        if case["variant"] != "names":
            raw.extend(prep.raw[r] for r in case["examples"][t])
    apply_taxonomy(model, taxonomy, prep.texts, prep.raw, prep.langs, np.asarray(raw), case["owner"],
                   ["en"] * len(raw), None if params is None else TaxonomyMatcher(**params))
    labels = np.asarray(model.labels_)
    return np.where((labels >= 0) & (labels < k), labels, -1)


# ----------------------------------------------------------------- the choice
GRID = {"comment_z": (1.0, 2.0), "n_neighbours": (1, 5), "cluster_margin": (-0.25, -0.15),
        "member_margin": (0.05, 0.1), "example_margin": (-0.1, -0.05, 0.0), "name_cos": (0.35, 0.4)}
#: the neighbour vote that finishes the match (0 neighbours: none), applied to each rule of GRID
VOTES = ((0, 0.6, 1), *itertools.product((10, 20), (0.5, 0.6), (1, 3)))
VOTE_KEYS = ("vote_neighbours", "vote_share", "vote_rounds")
#: parameters every case depends on; names-only cases add name_cos, cases with examples example_margin
SHARED = ("comment_z", "n_neighbours", "cluster_margin", "member_margin", *VOTE_KEYS)
BASE = SHARED[:4]
OLD = {"rule": "cluster", "comment_z": 4.0}  # the previous default (chosen on CLINC150)


def violation(matched: float, pulled: float) -> float:
    """A cell's shortfall: pulled in above 10% weighs 10x, matched below 70% 1x."""
    return 10.0 * max(0.0, pulled - PULLED_TARGET) + max(0.0, MATCHED_TARGET - matched)


def grid_cells(preps: dict) -> pd.DataFrame:
    """matched / pulled in per (set, variant, size, rule parameters), averaged over the draws.

    Names-only cases do not depend on ``example_margin`` and cases with three
    examples per theme not on ``name_cos``, so each variant runs on its own
    part of the grid and the two are joined on the shared parameters.
    """
    from cxtext.themes.taxonomy_neighbours import grow_by_votes

    rows = []
    for name, prep in preps.items():
        t0 = time.perf_counter()
        for case in prep.all_cases:
            own = "name_cos" if case["variant"] == "names" else "example_margin"
            for values in itertools.product(*(GRID[key] for key in BASE), GRID[own]):
                params = dict(zip((*BASE, own), values))
                base = predict(prep, case, {**params, "vote_neighbours": 0})
                for vote in VOTES:  # the vote is the matcher's last step: applied here to the same base
                    n_vote, share, rounds = vote
                    pred = grow_by_votes(base, prep.knn_all[:, 1:1 + n_vote], len(case["chosen"]), share,
                                         rounds) if n_vote else base
                    m, p = score(pred, case)
                    rows.append({"set": name, "variant": case["variant"], "size": case["size"], **params,
                                 **dict(zip(VOTE_KEYS, vote)), "matched": m, "pulled": p})
        print(f"{name}: grid in {time.perf_counter() - t0:.0f}s", flush=True)
    df = pd.DataFrame(rows)
    keys = ["set", "variant", "size", *SHARED, "name_cos", "example_margin"]
    return df.groupby(keys, dropna=False)[["matched", "pulled"]].mean().reset_index()


def choose(cells: pd.DataFrame, sets: list[str], vote: bool = True) -> dict:
    """The rule with the smallest summed violation over the cells of ``sets`` (ties: mean matched);
    ``vote=False``: among the rules without the neighbour vote only."""
    cells = cells[cells["set"].isin(sets) & (vote | (cells["vote_neighbours"] == 0))].copy()
    cells["viol"] = [violation(m, p) for m, p in zip(cells["matched"], cells["pulled"])]
    shared = list(SHARED)
    names = cells[cells["variant"] == "names"].groupby(shared + ["name_cos"]).agg(
        v=("viol", "sum"), m=("matched", "sum"), c=("matched", "size")).reset_index()
    ex = cells[cells["variant"] != "names"].groupby(shared + ["example_margin"]).agg(
        v=("viol", "sum"), m=("matched", "sum"), c=("matched", "size")).reset_index()
    both = names.merge(ex, on=shared, suffixes=("_n", "_e"))
    both["v"] = both["v_n"] + both["v_e"]
    both["m"] = (both["m_n"] + both["m_e"]) / (both["c_n"] + both["c_e"])
    best = both.sort_values(["v", "m"], ascending=[True, False]).iloc[0]
    out = {key: float(best[key]) for key in (*SHARED, "name_cos", "example_margin")}
    for key in ("n_neighbours", "vote_neighbours", "vote_rounds"):
        out[key] = int(out[key])
    return out


def evaluate(prep: Prepared, params: dict, apply: bool = False) -> pd.DataFrame:
    rows = []
    for case in prep.all_cases:
        pred = predict(prep, case, params)
        if apply:
            same = via_apply_taxonomy(prep, case, params)
            assert np.array_equal(pred, same), f"{prep.name}: apply_taxonomy disagrees with the matcher"
        m, p = score(pred, case)
        rows.append({"set": prep.name, "variant": case["variant"], "size": case["size"], "matched": m,
                     "pulled": p})
    return pd.DataFrame(rows).groupby(["set", "variant", "size"])[["matched", "pulled"]].mean().reset_index()


def attach_neighbours(prep: Prepared) -> Prepared:
    """``prep.knn`` (within each cluster, as predict finds them) and ``prep.knn_all`` (the vote's, over the whole
    dump), computed once per prepared set and passed to every matcher."""
    from cxtext.themes.taxonomy_neighbours import neighbours

    prep.knn = neighbours(prep.E, max(GRID["n_neighbours"]), prep.clusters)
    prep.knn_all = neighbours(prep.E, 1 + max(v[0] for v in VOTES))
    return prep


def prepare(name: str, model_name: str = "default", n_examples: int = N_EXAMPLES, load=lodo_data.load) -> Prepared:
    prep = attach_neighbours(Prepared(name, model_name, n_examples, load))
    prep.all_cases = prep.cases()
    return prep


def english_model(sets: list[str], params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``params`` and the old rule scored on all-MiniLM-L6-v2 vectors (what English dumps run)."""
    preps = [prepare(name, "minilm") for name in sets]
    return (pd.concat([evaluate(prep, params) for prep in preps]),
            pd.concat([evaluate(prep, OLD) for prep in preps]))


def examples_sweep(sets: list[str], params: dict, counts: tuple[int, ...] = (3, 10, 20)) -> pd.DataFrame:
    """``params`` with more example rows per taxonomy theme (names + examples cases only)."""
    rows = []
    for n in counts:
        for name in sets:
            prep = prepare(name, n_examples=n)
            prep.all_cases = [c for c in prep.all_cases if c["variant"] != "names"]
            rows.append(evaluate(prep, params).assign(examples=n))
    return pd.concat(rows)


def library_note(params: dict) -> str:
    """Whether ``params`` are TaxonomyMatcher's defaults, so a stale default cannot pass unnoticed."""
    from cxtext.themes.taxonomy_match import TaxonomyMatcher

    defaults = TaxonomyMatcher()

    def default(key: str) -> float:  # comment_z=None means the rule's own default
        return float(defaults._comment_z() if key == "comment_z" else getattr(defaults, key))

    differ = [f"{k} {default(k):g} in the library" for k, v in params.items() if not np.isclose(default(k), float(v))]
    return "the defaults of `TaxonomyMatcher`" if not differ else "NOT the library defaults: " + ", ".join(differ)


def fmt_params(p: dict) -> str:
    return ", ".join(f"{key} {p[key]:g}" for key in (*SHARED, "name_cos", "example_margin"))


def main() -> int:
    from bench.machine import machine_line

    machine = machine_line()
    start = time.perf_counter()
    preps = {}
    for name in lodo_data.SETS:
        preps[name] = prepare(name)
    sets = list(preps)
    cells = grid_cells(preps)
    held_rows, chosen = [], {}
    no_vote_rows = []
    for held in sets:
        params = choose(cells, [s for s in sets if s != held])
        chosen[held] = params
        held_rows.append(evaluate(preps[held], params, apply=True))
        no_vote_rows.append(evaluate(preps[held], choose(cells, [s for s in sets if s != held], vote=False)))
    lodo = pd.concat(held_rows)
    no_vote = pd.concat(no_vote_rows)

    def shortfall(df: pd.DataFrame) -> pd.Series:
        return df.assign(v=[violation(m, p) for m, p in zip(df["matched"], df["pulled"])]).groupby("set")["v"].sum()

    with_vote_sf, no_vote_sf = shortfall(lodo), shortfall(no_vote)
    final = choose(cells, sets)
    old = pd.concat([evaluate(prep, OLD) for prep in preps.values()])
    insample = pd.concat([evaluate(prep, final) for prep in preps.values()])
    english, english_old = english_model(sets, final)
    sweep = examples_sweep(sets, final)
    seconds = time.perf_counter() - start

    def table(df: pd.DataFrame, with_old: bool, old: pd.DataFrame = old, without_vote: pd.DataFrame | None = None
              ) -> list[str]:
        head = "| set | taxonomy | names: matched | names: pulled in | names + 3 ex.: matched | names + 3 ex.: pulled in |"
        if without_vote is not None:
            head += " without the vote, names + 3 ex.: matched / pulled in |"
        if with_old:
            head += " old rule, names + 3 ex.: matched / pulled in |"
        lines = [head, "|" + " --- |" * (head.count("|") - 1)]
        for name in sets:
            for size in SIZES:
                def get(frame, variant):
                    r = frame[(frame["set"] == name) & (frame["variant"] == variant) & (frame["size"] == size)]
                    return float(r["matched"].iloc[0]), float(r["pulled"].iloc[0])
                (mn, pn), (me, pe) = get(df, "names"), get(df, "names + 3 examples")
                k = max(1, int(round(size * len(preps[name].labels))))
                mark = lambda m, p: ("" if m >= MATCHED_TARGET else " ✗m") + ("" if p <= PULLED_TARGET else " ✗p")  # noqa: E731
                cells_ = [name, f"{size:.0%} ({k} of {len(preps[name].labels)})", f"{mn:.1%}", f"{pn:.1%}",
                          f"{me:.1%}", f"{pe:.1%}{mark(me, pe)}"]
                if without_vote is not None:
                    wm, wp = get(without_vote, "names + 3 examples")
                    cells_.append(f"{wm:.1%} / {wp:.1%}")
                if with_old:
                    om, op = get(old, "names + 3 examples")
                    cells_.append(f"{om:.1%} / {op:.1%}")
                lines.append("| " + " | ".join(cells_) + " |")
        return lines

    def hits(df: pd.DataFrame, variant: str) -> str:
        d = df[df["variant"] == variant]
        ok = d[(d["matched"] >= MATCHED_TARGET) & (d["pulled"] <= PULLED_TARGET)]
        return (f"{len(ok)} of {len(d)} set x size cells reach both; pulled in <= 10% in "
                f"{int((d['pulled'] <= PULLED_TARGET).sum())}, matched >= 70% in "
                f"{int((d['matched'] >= MATCHED_TARGET).sum())}; worst pulled in {d['pulled'].max():.1%}, "
                f"worst matched {d['matched'].min():.1%}")

    text = "\n".join([
        "# Taxonomy matching rule, chosen leave-one-dataset-out (issue 19, point 4)", "",
        f"Date: {dt.date.today().isoformat()}", "", f"Machine: {machine}", "",
        f"Command: `.venv/bin/python bench/taxonomy_lodo.py` ({seconds / 60:.0f} min; definitions in its "
        "docstring). Six labelled sets of `bench/lodo_data.py`, default model, the pipeline's default theme fit "
        f"(seed 0); taxonomies of 10%, 20% and 40% of each set's labels, {DRAWS} seeded draws each, given by "
        "readable name only or by name + 3 example rows (those rows are not scored, in either variant). "
        "**matched**: share of the taxonomy labels' rows in their own taxonomy theme; **pulled in**: share of "
        "all other rows in any taxonomy theme; both averaged over the draws. Target: matched >= 70% and pulled "
        "in <= 10% on every set. ✗m / ✗p mark a miss (names + 3 examples).", "",
        "## Out of sample: each set with the rule chosen on the other five", "",
        "Rule `TaxonomyMatcher(rule='relative')`; its nine parameters chosen on five sets by the smallest "
        "summed shortfall over their set x size x variant cells (pulled in above 10% weighs 10x, matched below "
        "70% 1x: a wrong taxonomy theme misleads more than a missed one), then scored on the sixth through "
        "`apply_taxonomy` itself. The old column is the previous default (`rule='cluster'`, chosen on CLINC150) "
        f"on the same cases. Grid: {', '.join(f'{k} {v}' for k, v in GRID.items())}; the neighbour vote "
        f"(vote_neighbours, vote_share, vote_rounds) one of {VOTES} (0 neighbours: no vote). The 'without the "
        "vote' column is the rule chosen the same way among those without the vote.", "",
        *table(lodo, with_old=True, without_vote=no_vote), "",
        "Chosen per held-out set:", "",
        *[f"- {name}: {fmt_params(chosen[name])}" for name in sets], "",
        f"Names only: {hits(lodo, 'names')}.", "",
        f"Names + 3 examples: {hits(lodo, 'names + 3 examples')}.", "",
        f"Without the neighbour vote (the rule chosen, leave one dataset out, among those with "
        f"vote_neighbours 0), names + 3 examples: {hits(no_vote, 'names + 3 examples')}; names only: "
        f"{hits(no_vote, 'names')}.", "",
        "Summed shortfall held out (both variants, all sizes; lower is better), with the vote vs without: "
        + ", ".join(f"{name} {with_vote_sf[name]:.2f} vs {no_vote_sf[name]:.2f}" for name in sets)
        + f"; all six sets {with_vote_sf.sum():.2f} vs {no_vote_sf.sum():.2f}.", "",
        f"Previous default (`cluster`), names + 3 examples: {hits(old, 'names + 3 examples')}; names only: "
        f"{hits(old, 'names')}.", "",
        "## The library default", "",
        f"Chosen on all six sets: {fmt_params(final)} ({library_note(final)}). In-sample (for "
        "reference only, not a claim):", "",
        f"Names only: {hits(insample, 'names')}.", "",
        f"Names + 3 examples: {hits(insample, 'names + 3 examples')}.", "",
        "## The English model: the same rule on all-MiniLM-L6-v2 vectors", "",
        "English dumps are embedded with all-MiniLM-L6-v2 (`model: auto`), so a taxonomy given with an English "
        "dump is matched on MiniLM vectors. The rule's parameters above were chosen on multilingual-e5-small "
        "vectors of these same six sets; here the library default is scored, unchanged, on MiniLM vectors and "
        "MiniLM's own theme fit (a transfer across models, not a leave-one-dataset-out choice), beside the old "
        "rule on the same vectors.", "",
        *table(english, with_old=True, old=english_old), "",
        f"Names only: {hits(english, 'names')}.", "",
        f"Names + 3 examples: {hits(english, 'names + 3 examples')}.", "",
        f"Old rule on MiniLM, names + 3 examples: {hits(english_old, 'names + 3 examples')}.", "",
        "## More examples per theme", "",
        "The library default (e5 vectors) with 3, 10 and 20 example rows per taxonomy theme (at most half of a "
        "label's rows; the examples are not scored). Mean over the six sets and three sizes, and cells reaching "
        "both targets:", "",
        "| examples | matched (mean) | pulled in (mean) | worst pulled in | cells reaching both |",
        "| --- | --- | --- | --- | --- |",
        *[f"| {n} | {d['matched'].mean():.1%} | {d['pulled'].mean():.1%} | {d['pulled'].max():.1%} | "
          f"{int(((d['matched'] >= MATCHED_TARGET) & (d['pulled'] <= PULLED_TARGET)).sum())} of {len(d)} |"
          for n, d in sweep.groupby("examples")], "",
        "A theme's threshold is the mean similarity of its examples to the theme's other phrases plus a margin, at "
        "most `max_threshold`; more examples make the prototype nearer the theme's comments. Before the cap "
        "(2026-12-06) 3, 10 and 20 examples matched 49%, 49% and 50% on average.", "",
        NOTES,
    ])
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
