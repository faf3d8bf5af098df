"""Which themes drive detractors: one row of evidence per theme.

Design choices
--------------
* :func:`driver_table` returns **only themes** (``theme_id >= 0``), one row
  each, sorted by ``priority`` (most urgent first) and numbered by ``rank``.
  The figures for everybody ("All comments") live in their own one-row frame
  from :func:`overall_row`, so ``theme_id`` stays an int column and sorting or
  filtering the driver table never moves a total row around.
* A row belongs to theme *T* when *T* is listed in ``theme_ids`` (a comment may
  belong to several themes) or is its primary ``theme_id``. Without a
  ``theme_ids`` column only ``theme_id`` is used.
* Score figures use only rows whose score of that kind is usable
  (``scores_valid`` and not missing). "The rest" of theme *T* is every such
  respondent not in *T*, including people who left no comment, so that
  ``nps_impact`` explains the NPS the business actually reports.
* Inferential numbers (confidence intervals, lift, p/q-values, odds ratios,
  priority) need at least ``min_test_size`` respondents in the theme; below
  that they are NaN and ``lift_test`` reads ``"too small (n<10)"``. Descriptive
  numbers (``nps``, ``nps_impact``, shares, means) are still shown.

Priority
--------
``priority = -nps_impact_ci_high`` (NPS points). It is the NPS drag we can
claim with 95 % confidence: the theme costs *at least* this many points of
overall NPS. A large, clearly harmful theme gets a large positive value; a
tiny or noisy theme has a wide interval whose upper end is above 0, so its
priority is negative; a theme that lifts NPS is most negative. Ranking by a
confidence bound (like ranking ratings by a Wilson lower bound) puts "a big
significant drag first, a tiny noisy theme last" without a tuning knob.
Themes too small to judge have NaN priority. Those whose point estimate of
``nps_impact`` is a drag come right after the clear drags (in a small survey
they are the only leads, and a theme that clearly lifts NPS must not outrank
them); the others are ranked after all tested themes, by volume. Without any
NPS but with ratings, the same holds with ``rating_impact``; without either but
with CSAT, with the theme's drag on mean CSAT (overall mean minus the rest's,
Welch 95% CI); then with CES the same on effort (oriented so a drag is more
effort). Those two drags are kept in ``attrs["outcome_priority"]`` so
:func:`cxtext.drivers.outcome.rank_by_outcome` can restore the ranking after
cxtext.social re-ranks a score-less table by sentiment. Without any score
(social mentions only) priority is ``n_comments``, so the table is ordered by
volume (cxtext.social then ranks by sentiment drag).

Key-driver model
----------------
A logistic regression of "is a detractor" (0/1) on membership indicators of
every theme with enough respondents (in and out of the theme) separates the
effect of overlapping themes. A theme whose members are all (or no)
detractors has an unbounded odds ratio: it is reported as NaN and left out
with its respondents, which leaves the other themes' maximum-likelihood
estimates unchanged. If maximum likelihood still fails (a singular matrix,
no convergence) the odds ratios come from an L2-regularised fit without
intervals; ``df.attrs["model_note"]`` always says what happened.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxtext.drivers.columns import (
    ALL_COMMENTS_ID,
    ALL_COMMENTS_LABEL,
    COLUMN_DESCRIPTIONS,
    DRIVER_COLUMNS,
    MODEL_COLUMNS,
    OVERALL_DESCRIPTIONS,
)
from cxtext.drivers.figures import bh_q_values, nps_of, theme_row, welch_drag
from cxtext.drivers.keydriver import key_driver_model
from cxtext.drivers.membership import (
    UsableScores,
    check_min_test_size,
    member_pairs,
    theme_labels,
    theme_membership,
    usable_scores,
)
from cxtext.drivers.respondents import one_per_respondent
from cxtext.schema import DEFAULT_CES_SCALE, ScoreScale

# --------------------------------------------------------------------------- driver table

# Columns that need every theme at once (q-values, model, ordering), not one theme row.
_COLUMNS_ADDED_LATER: tuple[str, ...] = (*MODEL_COLUMNS, "lift_q_value", "priority", "rank")


def driver_table(
    records: pd.DataFrame,
    themes: pd.DataFrame,
    ces_scale: ScoreScale | None = None,
    min_test_size: int = 10,
) -> pd.DataFrame:
    """One row per theme with its NPS, drag on overall NPS, detractor lift and gaps.

    ``records`` follows :mod:`cxtext.schema` (needs ``theme_id`` or
    ``theme_ids``; uses ``scores_valid``, ``nps``, ``ces``, ``csat`` when
    present). ``themes`` has ``theme_id`` and ``label``. ``ces_scale`` tells
    which CES end is easy; ``None`` means the default 1-7 with 7 = easy, and
    ``df.attrs["ces_scale"]`` records the choice. Themes with fewer than
    ``min_test_size`` scored respondents get NaN inferential numbers.

    Columns are :data:`DRIVER_COLUMNS`, described in
    ``df.attrs["column_descriptions"]``; ``df.attrs["model_note"]`` explains
    the key-driver model fit. Rows are sorted by ``priority`` (see the module
    docstring for the formula).
    """
    check_min_test_size(min_test_size)
    scale = ces_scale or DEFAULT_CES_SCALE
    records = one_per_respondent(records)
    labels = theme_labels(records, themes)
    membership = theme_membership(records, labels.index)
    scores = usable_scores(records)
    n_themed = int(membership.any(axis=1).sum())

    rows = [
        theme_row(theme_id, label, membership[theme_id].to_numpy(), scores, n_themed, scale, min_test_size)
        for theme_id, label in labels.items()
    ]
    table = pd.DataFrame(rows, columns=[c for c in DRIVER_COLUMNS if c not in _COLUMNS_ADDED_LATER])
    table["lift_q_value"] = bh_q_values(table["lift_p_value"].to_numpy(dtype=float))
    model, note = key_driver_model(membership, scores, min_test_size)
    table = table.join(model, on="theme_id")
    table["priority"] = _priority(table, has_any_nps=bool(scores.has_nps.any()),
                                  has_any_rating=bool((~np.isnan(scores.rating)).any()))
    basis = _priority_basis(scores)
    stored = _mean_drags(basis, membership, scores, scale, min_test_size)
    if stored:
        table["priority"] = [stored["priority"].get(int(t), math.nan) for t in table["theme_id"]]
        table["_drag"] = [stored["drag"].get(int(t), math.nan) for t in table["theme_id"]]
    table = sort_and_rank(table, {"nps": "nps_impact", "rating": "rating_impact"}.get(basis, "_drag" if stored else None))
    table = _with_dtypes(table[list(DRIVER_COLUMNS)])
    table.attrs.update(
        column_descriptions=described_columns(DRIVER_COLUMNS, min_test_size),
        model_note=note,
        ces_scale=ces_scale_label(scale, assumed=ces_scale is None),
        min_test_size=min_test_size,
        priority_basis=basis,
    )
    if stored:
        table.attrs["outcome_priority"] = stored
        table.attrs["column_descriptions"]["priority"] = _BASIS_PRIORITY[basis]
    return table


def _priority_basis(scores: UsableScores) -> str:
    """What ``priority`` ranks by: "nps", "rating" (no NPS), "csat" (neither), "ces" (none of them) or "volume"."""
    if scores.has_nps.any():
        return "nps"
    for basis, values in (("rating", scores.rating), ("csat", scores.csat), ("ces", scores.ces)):
        if (~np.isnan(values)).any():
            return basis
    return "volume"


_BASIS_PRIORITY = {
    "csat": ("How urgent the theme is: no row has an NPS or a rating, so this is the drag on average CSAT "
             "(in CSAT points) that holds with 95% confidence; higher is more urgent."),
    "ces": ("How urgent the theme is: no row has an NPS, rating or CSAT, so this is the extra effort on the CES "
            "scale (in points, averaged over all respondents) that holds with 95% confidence; higher is more urgent."),
}


def _mean_drags(basis: str, membership: pd.DataFrame, scores: UsableScores, scale: ScoreScale,
                min_test_size: int) -> dict:
    """For a CSAT or CES ranking: per theme its drag on the overall mean (oriented so negative is worse),
    the 95% CI and the priority (minus the CI's upper end), as ``{"basis", "drag", "ci_low", "ci_high",
    "priority"}`` of theme_id -> value dicts; empty for other bases."""
    if basis not in ("csat", "ces"):
        return {}
    values = scores.csat if basis == "csat" else scores.ces
    if basis == "ces" and scale.good_end != "high":
        values = -values  # higher = easier, so a negative drag always means more effort
    out: dict = {"basis": basis, "drag": {}, "ci_low": {}, "ci_high": {}, "priority": {}}
    for theme_id in membership.columns:
        drag, low, high = welch_drag(membership[theme_id].to_numpy(), values, min_test_size)
        out["drag"][int(theme_id)], out["ci_low"][int(theme_id)], out["ci_high"][int(theme_id)] = drag, low, high
        out["priority"][int(theme_id)] = -high
    return out


# --------------------------------------------------------------------------- priority and order


def _priority(table: pd.DataFrame, has_any_nps: bool, has_any_rating: bool = False) -> pd.Series:
    """``-nps_impact_ci_high`` in NPS points; without NPS ``-rating_impact_ci_high``; else comment volume
    (replaced by the CSAT or CES drag in :func:`driver_table` when the file has one)."""
    if has_any_nps:
        return -table["nps_impact_ci_high"].astype(float)
    if has_any_rating:
        return -table["rating_impact_ci_high"].astype(float)
    return table["n_comments"].astype(float)


def sort_and_rank(table: pd.DataFrame, impact: str | None = None) -> pd.DataFrame:
    """Order by ``priority`` in tiers, so the reader meets the likeliest drags first.

    1. clear drags (``priority`` > 0), biggest first;
    2. themes too small to test (``priority`` NaN) whose point estimate in the
       ``impact`` column is a drag, biggest first: in a small survey these are
       the only leads, and a theme that clearly lifts the score must not
       outrank them;
    3. the other tested themes (noisy, or lifting the score), by ``priority``;
    4. the rest, by volume.
    """
    priority = pd.to_numeric(table["priority"], errors="coerce")
    tier = np.where(priority > 0, 0, np.where(priority.notna(), 2, 3))
    key = priority.to_numpy(dtype=float, na_value=np.nan).copy()
    if impact and impact in table.columns:
        point = pd.to_numeric(table[impact], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        tentative_drag = priority.isna().to_numpy() & (point < 0)
        tier[tentative_drag] = 1
        key[tentative_drag] = -point[tentative_drag]
    ordered = (table.assign(_tier=tier, _key=key)
               .sort_values(["_tier", "_key", "n_comments", "theme_id"], ascending=[True, False, False, True],
                            na_position="last")
               .drop(columns=["_tier", "_key"]).reset_index(drop=True))
    ordered["rank"] = np.arange(1, len(ordered) + 1, dtype="int64")
    return ordered


def _with_dtypes(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    whole = ("theme_id", "n_comments", "n_nps", "n_rating", "rank")
    for column in whole:
        table[column] = table[column].astype("int64")
    table["label"] = table["label"].astype(object)
    table["lift_test"] = table["lift_test"].astype(object)
    float_columns = [c for c in table.columns if c not in (*whole, "label", "lift_test")]
    table[float_columns] = table[float_columns].astype("float64")
    return table


def described_columns(columns: Sequence[str], min_test_size: int) -> dict[str, str]:
    descriptions = {column: COLUMN_DESCRIPTIONS[column] for column in columns if column in COLUMN_DESCRIPTIONS}
    if "lift_test" in descriptions:
        descriptions["lift_test"] = descriptions["lift_test"].replace("n<k", f"n<{min_test_size}")
    return descriptions


def ces_scale_label(scale: ScoreScale, assumed: bool) -> str:
    easy = scale.high if scale.good_end == "high" else scale.low
    text = f"CES {scale.label}, {easy} = least effort"
    return text + " (default, not stated by the caller)" if assumed else text


# --------------------------------------------------------------------------- overall


def overall_row(records: pd.DataFrame) -> pd.DataFrame:
    """The "All comments" figures as a one-row frame (``theme_id`` = -100).

    Columns: ``theme_id, label, n_rows, n_comments, n_themed, themed_share,
    n_nps, nps, nps_ci_low, nps_ci_high, detractor_share, passive_share,
    promoter_share, n_ces, ces_mean, n_csat, csat_mean`` with the same units
    as :func:`driver_table`; descriptions in ``attrs["column_descriptions"]``.
    ``n_comments`` counts rows with ``theme_id >= -1`` (comments that were
    themed or left unthemed); without ``theme_id`` it counts analysed rows.
    """
    respondents = one_per_respondent(records)  # scores count once per row, however many comments it has
    scores = usable_scores(respondents)
    everybody = np.ones(len(respondents), dtype=bool)
    overall = nps_of(everybody, scores)
    n_comments, n_themed = _comment_counts(records)
    row = {
        "theme_id": ALL_COMMENTS_ID,
        "label": ALL_COMMENTS_LABEL,
        "n_rows": len(respondents),
        "n_comments": n_comments,
        "n_themed": n_themed,
        "themed_share": n_themed / n_comments if n_comments else math.nan,
        "n_nps": overall.n,
        "nps": overall.nps,
        "nps_ci_low": overall.ci_low,
        "nps_ci_high": overall.ci_high,
        "detractor_share": overall.detractor_share,
        "passive_share": overall.passive_share,
        "promoter_share": overall.promoter_share,
        "n_ces": int((~np.isnan(scores.ces)).sum()),
        "ces_mean": _nan_mean(scores.ces),
        "n_csat": int((~np.isnan(scores.csat)).sum()),
        "csat_mean": _nan_mean(scores.csat),
        "n_rating": int((~np.isnan(scores.rating)).sum()),
        "rating_mean": _nan_mean(scores.rating),
    }
    frame = pd.DataFrame([row])
    descriptions = {**COLUMN_DESCRIPTIONS, **OVERALL_DESCRIPTIONS}
    frame.attrs["column_descriptions"] = {column: descriptions[column] for column in frame.columns}
    return frame


def _comment_counts(records: pd.DataFrame) -> tuple[int, int]:
    if "theme_id" in records.columns:
        primary = pd.to_numeric(records["theme_id"], errors="coerce")
        n_comments = int((primary >= -1).sum())
    elif "status" in records.columns:
        n_comments = int((records["status"] == "analyzed").sum())
    else:
        n_comments = len(records)
    has_themes = "theme_id" in records.columns or "theme_ids" in records.columns
    n_themed = len(np.unique(member_pairs(records)[0])) if has_themes else 0
    return n_comments, n_themed


def _nan_mean(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else math.nan
