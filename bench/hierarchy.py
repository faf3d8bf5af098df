"""Do parent themes match CLINC150's 10 domains?

Run:  .venv/bin/python bench/hierarchy.py       (writes bench/results/hierarchy.md)

CLINC150 test+val, all 150 in-scope intents (7,500 rows; the oos rows are
left out here). ``ThemeModel(random_state=0)`` finds themes on the default
model's embeddings (cached by bench/themes.py), then
``ThemeHierarchy`` groups them into parents: automatically (square-root rule) and
with ``n_parents=10`` (and 15). Reported: NMI / ARI of each row's parent against its
gold domain (rows left unthemed count as one more label), the parent count,
and the theme-level NMI against the 150 intents for reference.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402
from bench.themes import embed, load_clinc  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "hierarchy.md"


def main() -> int:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from cxtext.themes.hierarchy import ThemeHierarchy
    from cxtext.themes import ThemeModel

    machine = machine_line()
    clinc = load_clinc()
    vectors_all = embed(clinc["text"].tolist(), "default")
    inscope = (clinc["label"] != "oos").to_numpy()
    frame, vectors = clinc[inscope].reset_index(drop=True), vectors_all[inscope]
    start = time.perf_counter()
    model = ThemeModel(random_state=0).fit(frame["text"].tolist(), vectors, ["en"] * len(frame))
    fit_seconds = time.perf_counter() - start
    labels = model.labels_
    rows = [{"level": "themes", "groups": model.n_themes_,
             "NMI vs intents (150)": normalized_mutual_info_score(frame["label"], labels),
             "NMI vs domains (10)": normalized_mutual_info_score(frame["domain"], labels),
             "ARI vs domains": adjusted_rand_score(frame["domain"], labels), "silhouette": np.nan, "seconds": fit_seconds}]
    examples = {}
    for n_parents in (None, 10, 15):
        start = time.perf_counter()
        hierarchy = ThemeHierarchy(n_parents=n_parents).fit(model.themes_, model.centroids_)
        seconds = time.perf_counter() - start
        parent_of = dict(zip(hierarchy.parents_["theme_id"], hierarchy.parents_["parent_id"]))
        parents = np.array([parent_of.get(int(t), -1) if t >= 0 else -1 for t in labels])
        name = "parents (auto)" if n_parents is None else f"parents (n_parents={n_parents})"
        rows.append({"level": name, "groups": hierarchy.n_parents_,
                     "NMI vs intents (150)": normalized_mutual_info_score(frame["label"], parents),
                     "NMI vs domains (10)": normalized_mutual_info_score(frame["domain"], parents),
                     "ARI vs domains": adjusted_rand_score(frame["domain"], parents),
                     "silhouette": hierarchy.silhouette_, "seconds": seconds})
        purity = (pd.DataFrame({"parent": parents, "domain": frame["domain"]}).query("parent >= 0")
                  .groupby("parent")["domain"].agg(lambda s: f"{s.value_counts().index[0]} "
                                                             f"{s.value_counts(normalize=True).iloc[0]:.0%}"))
        examples[name] = [f"{r.parent_label} ({r.n_themes} themes, {r.size} rows; top domain "
                          f"{purity.get(r.parent_id, '-')})" for r in hierarchy.parent_table_.itertuples()]
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    lines = ["| " + " | ".join(table.columns) + " |", "|" + " --- |" * len(table.columns)]
    for r in table.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) and not np.isnan(v) else
                                       ("–" if isinstance(v, float) else str(v)) for v in r) + " |")
    text = (f"# Parent themes vs CLINC150 domains\n\nDate: {dt.date.today().isoformat()}\n\nMachine: {machine}\n\n"
            "Command: `.venv/bin/python bench/hierarchy.py` (definitions in its docstring). 7,500 in-scope "
            "rows, default model (multilingual-e5-small).\n\n" + "\n".join(lines) + "\n")
    for name, items in examples.items():
        text += f"\n{name}:\n\n" + "\n".join(f"- {item}" for item in items) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
