"""The team's own taxonomy: how well are comments assigned to it, and what does it pull in?

This is the CLINC150-only benchmark the previous default rule (``rule="cluster"``)
was chosen on. The library's default is now chosen leave-one-dataset-out over six
sets in ``bench/taxonomy_lodo.py`` (``bench/results/taxonomy_lodo.md``); this
script still compares the rules on CLINC150 and runs the cluster rule explicitly.

Run:  .venv/bin/python bench/taxonomy.py       (writes bench/results/taxonomy.md; ~2 minutes warm)

Data: CLINC150 test+val, all 8,600 rows (150 intents and the 1,100
out-of-scope rows), English, default model (embeddings cached by
bench/themes.py). The taxonomy: half of the 30 intents of the ``banking``
and ``credit_cards`` domains, drawn with ``numpy.random.default_rng(0)``
(8 of the 15 banking intents, then 7 of the 15 credit-card intents, each
from the sorted list), given

* (a) **names only**: the intent name with "_" as a space ("pin change"),
* (b) **names + 3 examples**: plus three queries of that intent drawn
  (same generator) from the *train* split, which the evaluated rows never
  contain.

The other 135 intents and the oos rows are the rest of the dump: the 15
sibling banking/credit-card intents are the hard distractors (e.g.
"credit limit change" next to the taxonomy's "credit limit"), the other
120 intents and oos the easy ones.

Metrics, per rule:

* **accuracy**: share of the 750 rows of taxonomy intents assigned to their
  own taxonomy theme; **matched**: assigned to any taxonomy theme;
* **pulled in**: share of the 7,850 other rows (other intents and oos)
  assigned to a taxonomy theme; **siblings**: the same on the 750 rows of
  the 15 sibling intents only;
* **NMI rest**: NMI (arithmetic) between gold intent and final theme on the
  6,750 in-scope rows of non-taxonomy intents, where a row pulled into a
  taxonomy theme counts under that theme and unthemed rows as one label.
  For the library rule ("cluster") the final themes are exactly those of
  :func:`cxtext.themes.taxonomy.apply_taxonomy`; for the comment-level rules the
  rest keeps the clusters of the same fit (the pipeline would re-cluster
  nothing: the library only offers them for comparison). Without a
  taxonomy the same rows score NMI (first row of the table).

Every rule works on the same ThemeModel fit (``random_state=0``) and the
same prototypes (normalised mean of the name and example embeddings,
"query: " prefix, language-centred like the comments); "cosine" on the raw
unit vectors, the others on the centred ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402
from bench.themes import DATA, embed, load_clinc  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "taxonomy.md"
DOMAINS = ("banking", "credit_cards")


def choose_taxonomy() -> tuple[list[str], list[list[str]]]:
    """The taxonomy intents (sorted) and three train examples of each, seeded (module docstring)."""
    domains = json.loads((DATA / "clinc150" / "domains.json").read_text())
    full = pd.read_csv(DATA / "clinc150" / "clinc150.csv")
    train = full[full["split"] == "train"]
    rng = np.random.default_rng(0)
    intents = sorted(rng.choice(sorted(domains["banking"]), 8, replace=False).tolist()
                     + rng.choice(sorted(domains["credit_cards"]), 7, replace=False).tolist())
    examples = []
    for intent in intents:
        rows = train.loc[train["label"] == intent, "text"].tolist()
        examples.append([rows[i] for i in rng.choice(len(rows), 3, replace=False)])
    return intents, examples


def main() -> int:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from cxtext.themes.taxonomy import Taxonomy, TaxonomyTheme, apply_taxonomy
    from cxtext.themes.taxonomy_match import TaxonomyMatcher, prototypes
    from cxtext.themes import ThemeModel

    machine = machine_line()
    clinc = load_clinc()
    texts = clinc["text"].tolist()
    raw = embed(texts, "default").astype(np.float64)
    langs = ["en"] * len(texts)
    intents, examples = choose_taxonomy()
    gold = clinc["label"].to_numpy()
    gold_index = np.array([intents.index(g) if g in intents else -1 for g in gold])
    in_tax = gold_index >= 0
    sibling = clinc["domain"].isin(DOMAINS).to_numpy() & ~in_tax
    rest = ~in_tax & (gold != "oos")

    start = time.perf_counter()
    fitted = ThemeModel(random_state=0).fit(texts, raw, langs)
    fit_seconds = time.perf_counter() - start
    base = fitted.labels_.copy()
    E = fitted._prepare(raw, langs)
    rows = [{"taxonomy": "none", "rule": "no taxonomy (plain fit)", "accuracy": np.nan, "matched": np.nan,
             "pulled in": np.nan, "siblings": np.nan, "NMI rest": nmi(gold[rest], base[rest])}]

    def score(variant: str, rule: str, pred: np.ndarray, final: np.ndarray | None = None) -> None:
        if final is None:  # the fit's clusters for everything not assigned to the taxonomy
            final = np.where(pred >= 0, 100_000 + pred, base)
        rows.append({"taxonomy": variant, "rule": rule,
                     "accuracy": float(np.mean(pred[in_tax] == gold_index[in_tax])),
                     "matched": float(np.mean(pred[in_tax] >= 0)),
                     "pulled in": float(np.mean(pred[~in_tax] >= 0)),
                     "siblings": float(np.mean(pred[sibling] >= 0)),
                     "NMI rest": nmi(gold[rest], final[rest])})
        print(rows[-1], flush=True)

    names = [i.replace("_", " ") for i in intents]
    variants = {
        "names": Taxonomy(tuple(TaxonomyTheme(n) for n in names), "clinc"),
        "names + 3 examples": Taxonomy(tuple(TaxonomyTheme(n, examples=tuple(ex))
                                             for n, ex in zip(names, examples)), "clinc"),
    }
    seconds, empty, claimed = {}, {}, {}
    for variant, taxonomy in variants.items():
        phrases = [p for t in taxonomy.themes for p in t.phrases()]
        owner = np.array([i for i, t in enumerate(taxonomy.themes) for _ in t.phrases()])
        V = embed(phrases, "default").astype(np.float64)
        P_raw = prototypes(V, owner, len(taxonomy))
        P = prototypes(fitted._prepare(V, ["en"] * len(V)), owner, len(taxonomy))
        for t in (0.86, 0.88, 0.90):
            score(variant, f"cosine >= {t}", TaxonomyMatcher("cosine", threshold=t).fit(P_raw).predict(raw))
        for t in (0.3, 0.4):
            score(variant, f"centred cosine >= {t}", TaxonomyMatcher("centred", threshold=t).fit(P).predict(E))
        S = E @ P.T
        med = np.median(S, axis=0)
        Z = (S - med) / (1.4826 * np.median(np.abs(S - med), axis=0))
        for z in (3.0, 4.0, 5.0):
            score(variant, f"comment robust z >= {z} (bench only)",
                  np.where(Z.max(axis=1) >= z, S.argmax(axis=1), -1))
        for cz in (4.0, 5.0, 6.0):
            model = copy.deepcopy(fitted)
            start = time.perf_counter()
            matcher = apply_taxonomy(model, taxonomy, texts, raw, langs, V, owner, ["en"] * len(V),
                                     TaxonomyMatcher("cluster", cluster_z=cz))
            seconds[(variant, cz)] = time.perf_counter() - start
            k = len(taxonomy)
            final = model.labels_
            pred = np.where((final >= 0) & (final < k), final, -1)
            default = " (previous default)" if cz == 5.0 else ""
            score(variant, f"clusters: centroid z >= {cz:g} (or cos >= 0.5){default}", pred,
                  np.where(pred >= 0, 100_000 + pred, final))
            if cz == 5.0:
                sizes = dict(zip(model.themes_["label"], model.themes_["size"]))
                empty[variant] = [n for n in taxonomy.names if sizes.get(n, 0) == 0]
                claimed[variant] = len(matcher.cluster_matches_)
    table = pd.DataFrame(rows)
    cols = ["taxonomy", "rule", "accuracy", "matched", "pulled in", "siblings", "NMI rest"]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for r in table[cols].itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) and not np.isnan(v) else
                                       ("–" if isinstance(v, float) else str(v)) for v in r) + " |")
    text = (
        f"# Your own taxonomy on CLINC150\n\nDate: {dt.date.today().isoformat()}\n\nMachine: {machine}\n\n"
        "Command: `.venv/bin/python bench/taxonomy.py` (definitions in its docstring). 8,600 CLINC150 test+val "
        "rows, default model; taxonomy = 15 of the 30 banking/credit-card intents: "
        f"{', '.join(intents)}. 750 rows belong to them, 7,850 do not (750 of those are the 15 sibling "
        f"banking/credit-card intents). Theme fit {fit_seconds:.0f} s; matching with the library rule "
        f"{max(seconds.values()):.1f} s at most.\n\n" + "\n".join(lines) + "\n\n"
        "accuracy / matched: of the taxonomy intents' rows; pulled in: of all other rows; siblings: of the 15 "
        "other banking/credit-card intents' rows; NMI rest: gold vs final theme on the other intents' in-scope "
        "rows.\n\n"
        "Rules: *cosine* on the raw unit vectors; *centred cosine* after subtracting the dump's mean; *comment "
        "robust z* = (cos - median) / (1.4826 MAD) over all comments, per prototype, each comment on its own; "
        "*clusters* (the library's default rule, `TaxonomyMatcher(rule='cluster')`): a discovered cluster whose "
        "centroid reaches the z (or a centred cosine of 0.5) on a prototype becomes taxonomy, each of its "
        "comments going to its nearest prototype; unclustered comments join with z >= 4 (or cos >= 0.5).\n\n"
        + "".join(f"With {v}, the default rule matched {claimed[v]} of the fit's clusters; taxonomy themes left "
                  f"empty: {', '.join(empty[v]) or 'none'}.\n" for v in variants)
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
