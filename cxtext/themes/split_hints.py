"""After every analysis: themes whose two halves differ in detractor rate (or rating), said to the user.

A theme can hold two complaints in the same words, one of which costs the score: on a public Italian App Store
export (Buddyfit, 364 reviews) the largest theme, "app per allenarsi" (169 reviews), held praise of the live
lessons (mean 4.71 stars, 102 reviews) and the complaints about the iPhone app's update (2.33 stars, 67), and
38 of the 42 one- and two-star reviews, with no crash or update theme in the drivers table. The split that
separates them, with its evidence, was found only by ``cxtext themes suggest``, which a new user does not run.

:func:`split_hints` runs :func:`cxtext.themes.suggest.suggest_edits` with only its score test (the
Bonferroni-corrected detractor-rate or rating test of :mod:`cxtext.themes.split_outcome`, as measured there:
no suggestion in 20 runs without a planted difference) and returns what ``summary.json`` keeps under
``split_hints``; :mod:`cxtext.io.warnings` turns it into a warning for every face. It does not split: applying
such splits automatically lifted the planted drivers found only from 3.70 to 3.80 of 5 (split_outcome), so a
person decides. Above :data:`MAX_COMMENTS` themed comments it is not run (seconds per thousand comments), and
the summary says so.

May import pandas, numpy and ``cxtext.themes``.
"""

from __future__ import annotations

from typing import Any

from cxtext.themes.split_outcome import MIN_SCORED_PART, outcome_of
from cxtext.themes.suggest import suggest_edits

#: Themed comments above which the split test is not run after an analysis (it takes 1-3 s per 1,000).
MAX_COMMENTS = 5000


def split_hints(analysis) -> dict[str, Any] | None:
    """``{"checked", "measure", "why", "themes": [{"theme_id", "label", "size", "part_labels", "part_sizes",
    "part_outcomes", "evidence"}]}``, or None when there is no score to compare (no NPS, no rating) or no theme."""
    if getattr(analysis, "theme_model", None) is None or analysis.themes.empty:
        return None
    outcome = outcome_of(analysis.records)
    if outcome.measure == "none":
        return None
    themed = int((analysis.records["theme_id"] >= 0).sum())
    measure = "detractor rate" if outcome.measure == "detractors" else "mean rating"
    if analysis.embeddings is None:  # the Dask engine keeps its vectors on the workers
        return {"checked": False, "measure": measure, "themes": [],
                "why": "not checked: this engine keeps no comment vectors; analyse the file with the local engine "
                       "and run 'cxtext themes suggest ID'"}
    if themed > MAX_COMMENTS:
        return {"checked": False, "measure": measure, "themes": [],
                "why": f"not checked on {themed:,} themed comments (more than {MAX_COMMENTS:,}): run "
                       "'cxtext themes suggest ID' for themes whose halves differ in " + measure}
    # the score test alone: no merges (cosine and overlap of 1.0), no split on words alone (silhouette 1.0)
    found = suggest_edits(analysis, merge_cosine=1.0, merge_jaccard=1.0, split_silhouette=1.0,
                          max_suggestions=None)
    # a split kept on words alone has no score test: its silhouette can reach 1.0 on a theme of copies ("gostei
    # muito" over and over: a public Google Play export ended in a TypeError here)
    found = found[(found["kind"] == "split") & found["part_outcomes"].notna()]
    themes = [{"theme_id": int(row.theme_ids[0]), "label": str(row.labels[0]), "size": int(sum(row.part_sizes)),
               "part_labels": [str(x) for x in row.part_labels], "part_sizes": [int(x) for x in row.part_sizes],
               "part_outcomes": [round(float(x), 4) for x in row.part_outcomes], "evidence": str(row.evidence)}
              for row in found.itertuples()]
    return {"checked": True, "measure": measure, "themes": themes,
            "why": f"each theme cut in two where each half has {MIN_SCORED_PART}+ scored comments; the halves' {measure} compared "
                   "(Bonferroni over the themes tested)"}
