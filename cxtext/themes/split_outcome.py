"""Do the two parts of a theme differ in detractor rate? Score evidence for a split suggestion.

A theme that holds two complaints with the same words ("card declined" beside "card arrived late")
is one row in the drivers table, and the complaint that costs the NPS hides behind its sibling's
comments. :func:`cxtext.themes.suggest.suggest_edits` cuts every theme in two (KMeans, as a split
would) and, with this module, tests whether the parts' detractor rates (NPS 0-6, among respondents
with a usable NPS) differ: a pooled two-proportion z-test, two-sided, Bonferroni-corrected over
every theme that could be tested. A part needs at least :data:`MIN_SCORED_PART` scored comments
(the drivers' smallest testable theme), so small themes are never tested.

Measured in ``bench/outcome_split_trial.py`` (``bench/results/outcome_split_trial.md``): NPS planted
on 5 intents of four labelled sets (Bitext, CLINC banking, HWU64, CLINC other; 5 seeds each, the
product path, default settings). With the rule as shipped (2 parts, Bonferroni 0.05 over the themes
tested, 10 scored comments a part) ``suggest_edits`` made 10 split suggestions in the 20 planted runs,
8 of them with a planted intent as the majority of the part with more detractors, and none in 20
runs whose NPS was drawn alike for every comment. Applying such splits automatically lifted the
planted intents found among the top five drivers only from 3.70 to 3.80 of 5 on sets the rule was
not chosen on, so they are suggestions for a person, not a fit step.

Only NPS is read (``nps``, ``scores_valid`` of :mod:`cxtext.schema`); the cut-off is NPS's own
(0-6 = detractor) and is kept here because the themes stage may not import ``cxtext.metrics``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: NPS answers 0-6 are detractors (the same cut-off as ``cxtext.metrics.scores.DETRACTOR_MAX``).
DETRACTOR_MAX = 6
#: Scored comments each part needs before the parts are compared (the drivers' ``min_test_size``).
MIN_SCORED_PART = 10


@dataclass(frozen=True)
class PartTest:
    """Detractor shares (0-1) of the two parts, their scored counts, and the test's two-sided p-value."""

    shares: tuple[float, float]
    scored: tuple[int, int]
    p_value: float


def detractor_flags(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(scored, detractor)`` per row of ``records``: a usable NPS (present, ``scores_valid``); NPS 0-6."""
    if "nps" not in records.columns:
        none = np.zeros(len(records), dtype=bool)
        return none, none
    nps = pd.to_numeric(records["nps"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    valid = (records["scores_valid"].astype("boolean").fillna(False).to_numpy(dtype=bool)
             if "scores_valid" in records.columns else np.ones(len(records), dtype=bool))
    scored = valid & ~np.isnan(nps)
    return scored, scored & (nps <= DETRACTOR_MAX)


def compare_parts(scored: np.ndarray, detractor: np.ndarray, rows: np.ndarray, parts: np.ndarray,
                  min_scored: int = MIN_SCORED_PART) -> PartTest | None:
    """The two parts (``parts`` 0/1 for the record positions ``rows``) compared; None when not testable.

    Not testable: a part with fewer than ``min_scored`` scored comments, or everybody (or nobody) a
    detractor, where the test has no variance.
    """
    from scipy import stats

    counts, hits = [], []
    for part in (0, 1):
        mask = scored[rows] & (parts == part)
        counts.append(int(mask.sum()))
        hits.append(int(detractor[rows][mask].sum()))
    if min(counts) < min_scored or sum(hits) in (0, sum(counts)):
        return None
    pooled = sum(hits) / sum(counts)
    se = math.sqrt(pooled * (1 - pooled) * (1 / counts[0] + 1 / counts[1]))
    z = (hits[0] / counts[0] - hits[1] / counts[1]) / se
    return PartTest(shares=(hits[0] / counts[0], hits[1] / counts[1]), scored=(counts[0], counts[1]),
                    p_value=float(2 * stats.norm.sf(abs(z))))


def outcome_evidence(test: PartTest, n_tested: int) -> str:
    """One readable clause: each part's detractor share and the corrected p-value."""
    corrected = min(1.0, test.p_value * n_tested)
    return (f"detractors {test.shares[0]:.0%} of part 1 ({test.scored[0]} scored) vs {test.shares[1]:.0%} of "
            f"part 2 ({test.scored[1]}), p {test.p_value:.1g} ({corrected:.1g} after testing {n_tested} "
            f"theme{'s' if n_tested != 1 else ''})")
