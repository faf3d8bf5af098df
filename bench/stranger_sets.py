"""Issue 19: labelled sets no setting was ever chosen on. Do the defaults still beat plain and BERTopic?

    .venv/bin/python bench/stranger_sets.py                 # fetch github:hellohaptik/HINT3 first; ~10 min
    .venv/bin/python bench/stranger_sets.py --from-runs     # rewrite the table from the saved runs

Every tuned number of the theme fit was chosen leave one dataset out on the six sets of
``bench/lodo_data.py``; those sets were also read while building the steps. The three sets here were
found afterwards (2026-12-07) and were never used to choose, try or read anything before this run, so
every number below is out of sample for every setting.

**HINT3** (Arora et al., "HINT3: Raising the bar for Intent Detection in the Wild", EMNLP 2020 Insights
workshop; github.com/hellohaptik/HINT3, ODbL 1.0 / DbCL 1.0): real queries typed by customers into the
chatbots of three Indian companies, each labelled with its intent: a mattress maker (SOFMattress: EMI,
return and exchange, warranty, order status, ...), an online health store (Curekart) and a fantasy-sports
app (Powerplay11). Short, misspelt, partly Hinglish ("0% EMI.", "Single"). Version 2 (corrected labels);
train and test rows together, the test sets' out-of-scope rows (``NO_NODES_DETECTED``) left out.

Same protocol as ``bench/lodo_seeds.py`` on the same kind of cached vectors, both models (the product picks
MiniLM for these English dumps; the model column says which one ``model: auto`` chose): the library's
defaults (``ThemeModel(random_state=seed)``, the size rule, the small-corpus rule below 275 comments),
plain UMAP(5)+HDBSCAN(10)+nearest with the reducer seeded the same way, and BERTopic's defaults on the same
vectors, at seeds 0..N-1. Per set the paired difference library - plain of (NMI+ARI)/2 with its 95% t
interval: **better** above zero, **worse** below, **tie** otherwise; BERTopic's mean beside.

Then ``bench/planted_drivers.py``'s planted-NPS runs on the same three sets (the product path at its defaults), and
``bench/taxonomy_lodo.py``'s taxonomy cases through ``apply_taxonomy`` (the rule the product picks by size, and
each rule by name).

Data: ``bench/data/hint3/`` (git-ignored), written from the fetched snapshot. Writes
bench/results/stranger_sets.md, stranger_sets_runs.csv, stranger_sets_planted.csv and stranger_sets_taxonomy.csv.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo, lodo_seeds  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.saved_runs import runs_or_saved  # noqa: E402
from bench.themes import embed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data" / "hint3"
HINT3_GIT = Path("/work/.mirror/hellohaptik+HINT3/repo")
HINT3_COMMIT = "HEAD"
SETS = ("sofmattress", "curekart", "powerplay11")
OUT_OF_SCOPE = "NO_NODES_DETECTED"


def load(name: str) -> pd.DataFrame:
    """One HINT3 set (v2): train + test rows with an in-scope intent, columns ``text`` and ``label``."""
    path = DATA / f"{name}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        parts = []
        for split in ("train", "test"):
            blob = f"{HINT3_COMMIT}:dataset/v2/{split}/{name}_{split}.csv"
            raw = subprocess.run(["git", "--git-dir", str(HINT3_GIT), "show", blob], capture_output=True,
                                 check=True).stdout
            frame = pd.read_csv(pd.io.common.BytesIO(raw), dtype=str, keep_default_na=False)
            parts.append(frame[["sentence", "label"]].rename(columns={"sentence": "text"}))
        data = pd.concat(parts, ignore_index=True)
        data = data[(data["label"] != OUT_OF_SCOPE) & (data["text"].str.strip() != "")]
        data.to_csv(path, index=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def auto_model(texts: list[str]) -> str:
    """The model ``model: auto`` picks for this dump (as ``cxtext analyze`` would, languages detected)."""
    from cxtext.embed.choice import choose_model
    from cxtext.text.normalize import detect_language

    return choose_model("auto", [detect_language(t) for t in texts], texts).model


def run(models: list[str], sets: list[str], seeds: int) -> pd.DataFrame:
    rows = []
    for name in sets:
        df = load(name)
        texts, gold = df["text"].tolist(), df["label"].to_numpy()
        picked = auto_model(texts)
        for model in models:
            X = embed(texts, model)
            for seed in range(seeds):
                for system, labels in (("library", lambda: lodo_seeds.library_labels(texts, X, model, seed)),
                                       ("plain", lambda: lodo.plain_labels(X, seed)),
                                       ("bertopic", lambda: lodo.bertopic_labels(texts, X))):
                    t = time.perf_counter()
                    rows.append({"model": model, "set": name, "seed": seed, "system": system, "rows": len(texts),
                                 "intents": int(df["label"].nunique()), "auto_model": picked,
                                 **lodo.score(gold, labels()), "seconds": time.perf_counter() - t})
                print(f"  {model}/{name} seed {seed}: " + " ".join(
                    f"{r['system']} {r['nmi']:.3f}/{r['ari']:.3f}" for r in rows[-3:]), flush=True)
    return pd.DataFrame(rows)


def planted(sets: list[str], seeds: int) -> pd.DataFrame:
    """bench/planted_drivers.py's runs (NPS planted on 5 intents, the product path at its defaults) on these sets."""
    from bench import planted_drivers

    rows = []
    for name in sets:
        for seed in range(seeds):
            rows.append(planted_drivers.run(name, seed, "current", load=load))
            print(f"  planted {name} seed {seed}: found {rows[-1]['planted_found']} of 5", flush=True)
    return pd.DataFrame(rows)


#: Taxonomy rules scored: the product's choice (by the dump's size) and each rule asked for by name.
TAXONOMY_RULES = {"auto": None, "relative": {"rule": "relative"}, "cluster": {"rule": "cluster"}}


def taxonomy(sets: list[str]) -> pd.DataFrame:
    """bench/taxonomy_lodo.py's cases (10/20/40% of the intents as a taxonomy, 3 draws, by name or name + 3
    example rows) through ``apply_taxonomy`` on these sets, with the model ``model: auto`` picks."""
    from bench import taxonomy_lodo

    rows = []
    for name in sets:
        prep = taxonomy_lodo.prepare(name, auto_model(load(name)["text"].tolist()), load=load)
        for case in prep.all_cases:
            for rule, params in TAXONOMY_RULES.items():
                matched, pulled = taxonomy_lodo.score(taxonomy_lodo.via_apply_taxonomy(prep, case, params), case)
                rows.append({"set": name, "rows": len(prep.texts), "rule": rule, "variant": case["variant"],
                             "size": case["size"], "seed": case["seed"], "themes": len(case["chosen"]),
                             "matched": matched, "pulled": pulled})
        print(f"  taxonomy {name}: {len(prep.all_cases)} cases", flush=True)
    return pd.DataFrame(rows)


def taxonomy_lines(tax: pd.DataFrame) -> list[str]:
    from bench.taxonomy_lodo import MATCHED_TARGET, PULLED_TARGET
    from cxtext.themes.taxonomy_match import RELATIVE_RULE_MIN_COMMENTS as cut

    cells = tax.groupby(["set", "variant", "size", "rule"]).agg(
        rows=("rows", "first"), themes=("themes", "first"), matched=("matched", "mean"),
        pulled=("pulled", "mean")).reset_index()
    wide = cells.pivot_table(index=["set", "rows", "variant", "size", "themes"], columns="rule",
                             values=["matched", "pulled"]).reset_index()
    lines = ["", "## A taxonomy on the same sets", "",
             "bench/taxonomy_lodo.py's cases on these sets: 10%, 20% and 40% of the intents given as a taxonomy "
             "(3 seeded draws each), by readable name only or by name + 3 example rows (not scored), applied with "
             "`apply_taxonomy` to the default theme fit of the model `model: auto` picks. **auto** is what "
             f"`cxtext analyze --taxonomy` does (the cluster rule below {cut:,} comments, the relative rule from "
             f"{cut:,}); relative and cluster are the two rules asked for by name. Cells: matched (the taxonomy "
             "intents' rows in their own theme) / pulled in (all other rows in a taxonomy theme), mean over the "
             f"draws; aim: matched >= {MATCHED_TARGET:.0%} and pulled in <= {PULLED_TARGET:.0%}.", "",
             "| set | rows | taxonomy | given as | auto | relative | cluster |",
             "| --- | ---: | --- | --- | --- | --- | --- |"]
    for _, r in wide.iterrows():
        cell = {rule: f"{r[('matched', rule)]:.1%} / {r[('pulled', rule)]:.1%}" for rule in TAXONOMY_RULES}
        lines.append(f"| {r[('set', '')]} | {r[('rows', '')]} | {r[('size', '')]:.0%} ({r[('themes', '')]}) | "
                     f"{r[('variant', '')]} | {cell['auto']} | {cell['relative']} | {cell['cluster']} |")
    lines += [""]
    for variant, g in cells[cells["rule"] == "auto"].groupby("variant"):
        both = int(((g["matched"] >= MATCHED_TARGET) & (g["pulled"] <= PULLED_TARGET)).sum())
        lines.append(f"- auto, {variant}: {both} of {len(g)} set x size cells reach both aims; matched "
                     f"{g['matched'].min():.1%}-{g['matched'].max():.1%}, pulled in up to {g['pulled'].max():.1%}.")
    return lines


def write(runs: pd.DataFrame, seconds: float, planted_runs: pd.DataFrame | None = None,
          tax: pd.DataFrame | None = None) -> Path:
    s = lodo_seeds.summary(runs[runs["system"] != "bertopic"])
    peer = runs[runs["system"] == "bertopic"].assign(obj=lambda r: (r["nmi"] + r["ari"]) / 2)
    peer = peer.groupby(["model", "set"]).agg(nmi=("nmi", "mean"), ari=("ari", "mean"), obj=("obj", "mean"),
                                              themes=("themes", "mean"))
    info = runs.groupby("set").agg(rows=("rows", "first"), intents=("intents", "first"),
                                   auto=("auto_model", "first"))
    lines = ["# Sets no setting was chosen on: the defaults against plain and BERTopic (issue 19)", "",
             machine_line() + f" · {seconds / 60:.0f} min", "",
             f"`.venv/bin/python bench/stranger_sets.py` ({int(s['seeds'].max())} seeds; method in its docstring). "
             "HINT3 v2: real customer queries to three companies' chatbots, in-scope rows of train and test. "
             "Cells: mean NMI / ARI over seeds (mean themes); difference = library - plain on (NMI+ARI)/2, "
             "paired by seed, with its 95% t interval; wins = seeds where the library scored higher.", "",
             "| set | rows | intents | `model: auto` picks |", "| --- | ---: | ---: | --- |"]
    for name, r in info.iterrows():
        lines.append(f"| {name} | {r['rows']} | {r['intents']} | {r['auto']} |")
    lines += ["", "| model | set | library | plain | BERTopic | library - plain [95% CI] | wins | verdict | "
              "library - BERTopic |", "| --- | --- | --- | --- | --- | --- | ---: | --- | ---: |"]
    for _, r in s.iterrows():
        p = peer.loc[(r["model"], r["set"])]
        lines.append(
            f"| {r['model']} | {r['set']} | {r['library_nmi']:.3f} / {r['library_ari']:.3f} "
            f"({r['library_themes']:.0f}) | {r['plain_nmi']:.3f} / {r['plain_ari']:.3f} ({r['plain_themes']:.0f}) | "
            f"{p['nmi']:.3f} / {p['ari']:.3f} ({p['themes']:.0f}) | {r['diff']:+.3f} [{r['lo']:+.3f}, {r['hi']:+.3f}] | "
            f"{r['wins']}/{r['seeds']} | **{r['verdict']}** | {r['library_obj'] - p['obj']:+.3f} |")
    lines += ["", "Per model:", ""]
    for model, g in s.groupby("model", sort=False):
        counts = g["verdict"].value_counts()
        beats_peer = sum(r["library_obj"] > peer.loc[(model, r["set"]), "obj"] for _, r in g.iterrows())
        lines.append(f"- {model}: mean (NMI+ARI)/2 library {g['library_obj'].mean():.3f}, plain "
                     f"{g['plain_obj'].mean():.3f}, BERTopic {peer.loc[model, 'obj'].mean():.3f}; against plain "
                     f"better on {counts.get('better', 0)}, tie on {counts.get('tie', 0)}, worse on "
                     f"{counts.get('worse', 0)} of {len(g)} sets; above BERTopic on {beats_peer} of {len(g)}.")
    auto = s[s.apply(lambda r: r["model"] == info.loc[r["set"], "auto"], axis=1)]
    counts = auto["verdict"].value_counts()
    by_model = s.pivot(index="set", columns="model", values="library_obj")
    lines += ["", "Reading:", "",
              f"- The product's default on each set (the model `model: auto` picks, the library's defaults): "
              f"against plain on the same vectors better on {counts.get('better', 0)}, tie on "
              f"{counts.get('tie', 0)}, worse on {counts.get('worse', 0)} of {len(auto)}; mean (NMI+ARI)/2 "
              f"{auto['library_obj'].mean():.3f} vs plain {auto['plain_obj'].mean():.3f}.",
              "- The library with each model, (NMI+ARI)/2: " + "; ".join(
                  f"{name} " + ", ".join(f"{m} {v:.3f}" for m, v in row.items()) for name, row in by_model.iterrows())
              + ".",
              "- `model: auto` counts a comment read as another language only when the detector gives English "
              "less than 0.35% (`MIN_ENGLISH_DOUBT` in `cxtext/embed/choice.py`, chosen on the six sets of "
              "`bench/lodo_data.py` and the en/ar/ro parallel set before this run). Without that rule these "
              "three all-English dumps read 97.5-98.5% English (short queries read as Danish, Latin, Nynorsk) "
              "and got the multilingual model."]
    if planted_runs is not None and len(planted_runs):
        g = planted_runs.groupby("set").agg(model=("model", "first"), themes=("themes", "mean"),
                                            precision=("precision@5", "mean"), found=("planted_found", "mean"),
                                            parent=("parent_precision@5", "mean"), seeds=("seed", "nunique"))
        lines += ["", "## Planted drivers on the same sets", "",
                  "`bench/planted_drivers.py`'s protocol on these sets (product path `cxtext.analyze` at its "
                  "defaults; NPS drawn 60% detractors on 5 random intents of 20+ rows, 15% elsewhere; sibling "
                  f"intents stay in the dump), {int(g['seeds'].max())} seeds per set. bench/results/"
                  "planted_drivers.md has the same on the tuning sets (3.6-4.4 of 5 found).", "",
                  "| set | model | themes | top-5 precision | planted found (of 5) | parent top-5 precision |",
                  "| --- | --- | ---: | ---: | ---: | ---: |"]
        for name, r in g.iterrows():
            lines.append(f"| {name} | {r['model']} | {r['themes']:.0f} | {r['precision']:.2f} | {r['found']:.1f} | "
                         f"{r['parent']:.2f} |")
    if tax is not None and len(tax):
        lines += taxonomy_lines(tax)
    path = RESULTS / "stranger_sets.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="minilm,default")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--from-runs", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    runs = runs_or_saved(RESULTS / "stranger_sets_runs.csv", args.from_runs,
                         lambda: run(args.models.split(","), args.sets.split(","), args.seeds))
    planted_runs = runs_or_saved(RESULTS / "stranger_sets_planted.csv", args.from_runs,
                                 lambda: planted(args.sets.split(","), args.seeds))
    tax = runs_or_saved(RESULTS / "stranger_sets_taxonomy.csv", args.from_runs, lambda: taxonomy(args.sets.split(",")))
    print(write(runs, time.perf_counter() - t0, planted_runs, tax).read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
