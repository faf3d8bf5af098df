"""Do the two parts of a theme differ in detractor rate (or rating)? Score evidence for a split suggestion.

A theme that holds two complaints with the same words ("card declined" beside "card arrived late")
is one row in the drivers table, and the complaint that costs the NPS hides behind its sibling's
comments. :func:`cxtext.themes.suggest.suggest_edits` cuts every theme in two (KMeans, as a split
would) and, with this module, tests whether the parts' detractor rates (NPS 0-6, among respondents
with a usable NPS) differ: a pooled two-proportion z-test, two-sided, Bonferroni-corrected over
every theme that could be tested. A part needs at least :data:`MIN_SCORED_PART` scored comments
(the drivers' smallest testable theme), so small themes are never tested, and the parts must differ
by at least :data:`MIN_DIFFERENCE` of the score's span to be suggested.

Measured in ``bench/outcome_split_trial.py`` (``bench/results/outcome_split_trial.md``): NPS planted
on 5 intents of four labelled sets (Bitext, CLINC banking, HWU64, CLINC other; 5 seeds each, the
product path, default settings). With the rule as shipped (2 parts, Bonferroni 0.05 over the themes
tested, 10 scored comments a part) ``suggest_edits`` made 10 split suggestions in the 20 planted runs,
8 of them with a planted intent as the majority of the part with more detractors, and none in 20
runs whose NPS was drawn alike for every comment. With 1-5 stars instead of NPS (planted intents
mostly 1-2 stars): 20 suggestions in 20 planted runs, 19 isolating a planted intent, 1 in 20 runs
without a planted difference. Applying such splits automatically lifted the
planted intents found among the top five drivers only from 3.70 to 3.80 of 5 on sets the rule was
not chosen on, so they are suggestions for a person, not a fit step.

The score is NPS (``nps``, ``scores_valid`` of :mod:`cxtext.schema`; 0-6 = detractor,
:data:`cxtext.schema.NPS_DETRACTOR_MAX`, the cut-off the metrics use; the test is
:func:`cxtext.stats.two_proportion_p_value`, the drivers' own); a file without
NPS but with a rating (app-store and product reviews) compares the parts' mean ratings instead
(Welch's t-test), as the drivers table ranks by the rating there. CSAT and CES alone are not read.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxtext.schema import NPS_DETRACTOR_MAX
from cxtext.stats import two_proportion_p_value

#: Scored comments each part needs before the parts are compared (the drivers' ``min_test_size``).
MIN_SCORED_PART = 10
#: The smallest difference worth a suggestion, as a share of the score's span (detractor share: 10
#: points; ratings: a tenth of the range used in the file, 0.4 stars on 1-5). A design floor, not
#: tuned: in a big theme a tiny gap (4.7 vs 5.0 stars among fans) is significant and tells nothing.
MIN_DIFFERENCE = 0.1


@dataclass(frozen=True)
class Outcome:
    """The score the parts are compared on, per row of the records.

    ``measure``: ``"detractors"`` (``values`` 1.0 for NPS 0-6, 0.0 for 7-10), ``"rating"`` (``values``
    the rating on the file's scale) or ``"none"``; ``scored``: the row has a usable value; ``span``:
    the values' range (1 for detractor shares, highest minus lowest rating given in the file).
    """

    measure: str
    scored: np.ndarray
    values: np.ndarray
    span: float = 1.0


@dataclass(frozen=True)
class PartTest:
    """The two parts compared: ``values`` are detractor shares (0-1) or mean ratings, ``scored`` their
    counts, ``p_value`` two-sided (two-proportion z-test for detractors, Welch's t-test for ratings)."""

    measure: str
    values: tuple[float, float]
    scored: tuple[int, int]
    p_value: float


def _usable(records: pd.DataFrame, column: str) -> np.ndarray:
    """The column as floats, NaN where missing or where the row's scores were rejected (``scores_valid``)."""
    if column not in records.columns:
        return np.full(len(records), np.nan)
    values = pd.to_numeric(records[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
    if "scores_valid" in records.columns:
        values[~records["scores_valid"].astype("boolean").fillna(False).to_numpy(dtype=bool)] = np.nan
    return values


def outcome_of(records: pd.DataFrame) -> Outcome:
    """NPS detractors when any row has a usable NPS, else the rating when any has one, else none
    (the order the drivers table ranks by)."""
    nps = _usable(records, "nps")
    if (~np.isnan(nps)).any():
        return Outcome("detractors", ~np.isnan(nps), (nps <= NPS_DETRACTOR_MAX).astype(float))
    rating = _usable(records, "rating")
    if (~np.isnan(rating)).any():
        return Outcome("rating", ~np.isnan(rating), np.nan_to_num(rating), float(np.nanmax(rating) - np.nanmin(rating)))
    return Outcome("none", np.zeros(len(records), dtype=bool), np.zeros(len(records)))


def compare_parts(outcome: Outcome, rows: np.ndarray, parts: np.ndarray,
                  min_scored: int = MIN_SCORED_PART) -> PartTest | None:
    """The two parts (``parts`` 0/1 for the record positions ``rows``) compared; None when not testable.

    Not testable: no score, a part with fewer than ``min_scored`` scored comments, or no variation
    (everybody, or nobody, a detractor; every rating the same), where the test is undefined.
    """
    from scipy import stats

    if outcome.measure == "none":
        return None
    groups = [outcome.values[rows][outcome.scored[rows] & (parts == part)] for part in (0, 1)]
    counts = (int(groups[0].size), int(groups[1].size))
    if min(counts) < min_scored or np.ptp(np.concatenate(groups)) == 0:
        return None
    means = (float(groups[0].mean()), float(groups[1].mean()))
    if outcome.measure == "detractors":
        p_value = two_proportion_p_value(int(groups[0].sum()), counts[0], int(groups[1].sum()), counts[1])
    else:
        with warnings.catch_warnings():  # a part of all-equal ratings is fine for Welch; scipy warns anyway
            warnings.simplefilter("ignore", RuntimeWarning)
            p_value = float(stats.ttest_ind(groups[0], groups[1], equal_var=False).pvalue)
        if not math.isfinite(p_value):  # both parts constant: no variance to test against
            return None
    return PartTest(outcome.measure, means, counts, p_value)


def is_material(test: PartTest, outcome: Outcome) -> bool:
    """The parts differ by at least :data:`MIN_DIFFERENCE` of the score's span."""
    return abs(test.values[0] - test.values[1]) >= MIN_DIFFERENCE * outcome.span


def outcome_evidence(test: PartTest, n_tested: int) -> str:
    """One readable clause: each part's detractor share or mean rating, and the corrected p-value."""
    corrected = min(1.0, test.p_value * n_tested)
    if test.measure == "detractors":
        head = (f"detractors {test.values[0]:.0%} of part 1 ({test.scored[0]} scored) vs {test.values[1]:.0%} "
                f"of part 2 ({test.scored[1]})")
    else:
        head = (f"mean rating {test.values[0]:.2f} in part 1 ({test.scored[0]} rated) vs {test.values[1]:.2f} "
                f"in part 2 ({test.scored[1]})")
    return f"{head}, p {test.p_value:.1g} ({corrected:.1g} after testing {n_tested} theme{'s' if n_tested != 1 else ''})"
