"""Are the merge and split suggestions right? CLINC150 banking + credit cards, against the gold intents.

Run:  .venv/bin/python bench/suggest.py       (writes bench/results/suggest.md)

``clinc-banking`` of bench/themes.py (1,500 English queries, 30 intents),
default model, embeddings cached by bench/themes.py. ``cxtext.analyze``
finds the themes (seed 0, its defaults), then :func:`cxtext.themes.suggest.suggest_edits`
lists suggestions with its default thresholds (and with all of them switched
off, to see the distributions). Each theme is named by its majority gold
intent. Judged:

* a **merge** is right when both themes have the same majority intent
  (a duplicate pair); recall counts the duplicate pairs found;
* a **split** is right when the theme is *mixed* (its second intent holds at
  least 20% of it) and the two parts follow the intents (adjusted Rand index
  of parts vs gold intents within the theme >= 0.5).

Also: NMI of the themes against the intents before and after applying every
suggestion (merges first, then splits).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402
from bench.themes import dataset  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "suggest.md"
MIXED_SHARE = 0.2
GOOD_SPLIT_ARI = 0.5


class LookupEmbedder:
    """The bench's cached vectors, looked up by text (what ``cxtext.analyze`` asks an embedder for)."""

    model_id = "bench-clinc-e5-small"

    def __init__(self, texts: list[str], vectors: np.ndarray) -> None:
        self.vector_of = {self.key(t): v for t, v in zip(texts, vectors)}

    @staticmethod
    def key(text: str) -> str:
        """The words only: cxtext's normalisation may drop punctuation the raw query had."""
        return " ".join(re.findall(r"[^\W_]+", text.lower()))

    def encode(self, texts, progress=None) -> np.ndarray:
        return np.stack([self.vector_of[self.key(t)] for t in texts]).astype(np.float32)


def main() -> int:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from cxtext.analysis import run_pipeline
    from cxtext.pipeline import load_pipeline
    from cxtext.themes.suggest import apply_suggestion, suggest_edits

    machine = machine_line()
    texts, vectors, gold = dataset("clinc-banking", "default")
    frame = pd.DataFrame({"comment": texts, "nps": 5})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        # sentiment/kind annotation off: it would embed its seed sets, which the lookup does not hold
        config = load_pipeline("survey_comments").with_overrides(
            {"seed": 0, "columns": {"text": "comment", "nps": "nps"}, "social": {"annotate": False}})
        analysis = run_pipeline(config, frame, embedder=LookupEmbedder(texts, vectors),
                                cache_path=Path(tmp) / "embeddings.sqlite")
    fit_seconds = time.perf_counter() - start
    gold_of_row = pd.Series(gold, index=analysis.records["row"].to_numpy())
    records = analysis.records
    themed = records[records["theme_id"] >= 0]
    majority = themed.groupby("theme_id")["row"].agg(
        lambda rows: gold_of_row.loc[rows].value_counts().index[0]).to_dict()

    def mixed(theme_id: int, records=records) -> bool:
        rows = records.loc[records["theme_id"] == theme_id, "row"]
        shares = gold_of_row.loc[rows].value_counts(normalize=True)
        return len(shares) > 1 and shares.iloc[1] >= MIXED_SHARE

    start = time.perf_counter()
    suggestions = suggest_edits(analysis, max_suggestions=None)
    suggest_seconds = time.perf_counter() - start
    everything = suggest_edits(analysis, merge_cosine=0, merge_jaccard=0, split_silhouette=-1, max_parts_cosine=1,
                               max_language_ami=1, min_part_share=0, max_suggestions=None)
    ids = sorted(majority)
    duplicates = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if majority[a] == majority[b]}
    mixed_themes = {t for t in ids if mixed(t)}

    def split_ari(analysis, theme_id: int) -> float:
        edited = analysis.split_theme(theme_id, n=2)
        rows = edited.records["row"][analysis.records["theme_id"] == theme_id]
        parts = edited.records.set_index("row").loc[rows, "theme_id"]
        return float(adjusted_rand_score(gold_of_row.loc[rows], parts))

    merge_rows, split_rows = [], []
    listed = suggestions.to_dict("records")
    for s in listed:
        if s["kind"] == "merge":
            a, b = s["theme_ids"]
            right = (min(a, b), max(a, b)) in duplicates
            merge_rows.append(f"{'right' if right else 'wrong'}: {s['labels'][0]} ({majority[a]}) + "
                              f"{s['labels'][1]} ({majority[b]}); {s['evidence']}")
            s["right"] = right
        else:
            t = s["theme_ids"][0]
            ari = split_ari(analysis, t)
            s["right"] = t in mixed_themes and ari >= GOOD_SPLIT_ARI
            split_rows.append(f"{'right' if s['right'] else 'wrong'}: {s['labels'][0]} (mixed: "
                              f"{t in mixed_themes}, parts vs intents ARI {ari:.2f}); {s['evidence']}")
    judged = pd.DataFrame(listed) if listed else pd.DataFrame(columns=["kind", "right", "theme_ids"])
    merges, splits = judged[judged["kind"] == "merge"], judged[judged["kind"] == "split"]
    found_pairs = {tuple(sorted(ids_)) for ids_ in merges["theme_ids"]} & duplicates
    found_mixed = {ids_[0] for ids_, right in zip(splits["theme_ids"], splits["right"]) if right}

    every_merge = everything[everything["kind"] == "merge"]
    same = [tuple(sorted(p)) in duplicates for p in every_merge["theme_ids"]]
    cos_same = every_merge.loc[same, "cosine"]
    cos_diff = every_merge.loc[[not x for x in same], "cosine"]
    every_split = everything[everything["kind"] == "split"]
    is_mixed = [p[0] in mixed_themes for p in every_split["theme_ids"]]
    sil_mixed = every_split.loc[is_mixed, "silhouette"]
    sil_pure = every_split.loc[[not x for x in is_mixed], "silhouette"]

    def labels_of(a) -> np.ndarray:
        return a.records.set_index("row").loc[gold_of_row.index, "theme_id"].to_numpy()

    nmi_before = normalized_mutual_info_score(gold, labels_of(analysis))
    applied = analysis
    for s in sorted(suggestions.to_dict("records"), key=lambda s: s["kind"] != "merge"):
        current = set(applied.themes["theme_id"])
        if set(s["theme_ids"]) <= current:
            applied = apply_suggestion(applied, s)
    nmi_after = normalized_mutual_info_score(gold, labels_of(applied))

    def q(values: pd.Series) -> str:
        if values.empty:
            return "–"
        return f"median {values.median():.2f}, 90% {values.quantile(0.9):.2f}, max {values.max():.2f} (n={len(values)})"

    lines = [
        "| measure | value |", "| --- | --- |",
        f"| themes (30 gold intents) | {len(ids)} |",
        f"| duplicate pairs (same majority intent) | {len(duplicates)} |",
        f"| mixed themes (2nd intent >= {MIXED_SHARE:.0%}) | {len(mixed_themes)} |",
        f"| merges suggested / right | {len(merges)} / {int(merges['right'].sum()) if len(merges) else 0} |",
        f"| duplicate pairs found (recall) | {len(found_pairs)} of {len(duplicates)} |",
        f"| splits suggested / right | {len(splits)} / {int(splits['right'].sum()) if len(splits) else 0} |",
        f"| mixed themes found (recall) | {len(found_mixed)} of {len(mixed_themes)} |",
        f"| centred centroid cosine, duplicate pairs | {q(cos_same)} |",
        f"| centred centroid cosine, other pairs | {q(cos_diff)} |",
        f"| 2-way split silhouette, mixed themes | {q(sil_mixed)} |",
        f"| 2-way split silhouette, pure themes | {q(sil_pure)} |",
        f"| NMI vs intents before / after applying every suggestion | {nmi_before:.3f} / {nmi_after:.3f} |",
        f"| seconds: analyze (embeddings given) / suggest_edits | {fit_seconds:.1f} / {suggest_seconds:.1f} |",
    ]
    text = (f"# Merge and split suggestions vs CLINC150 intents\n\nDate: {dt.date.today().isoformat()}\n\n"
            f"Machine: {machine}\n\nCommand: `.venv/bin/python bench/suggest.py` (definitions in its docstring). "
            "clinc-banking: 1,500 English queries, 30 intents, default model, default thresholds of "
            "cxtext/themes/suggest.py.\n\n" + "\n".join(lines) + "\n\nMerges:\n\n"
            + ("\n".join(f"- {r}" for r in merge_rows) or "- none") + "\n\nSplits:\n\n"
            + ("\n".join(f"- {r}" for r in split_rows) or "- none") + "\n")
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
