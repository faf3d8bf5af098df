"""One theme's figures against the rest: NPS and its drag, detractor lift and its test, CES, CSAT and rating gaps.

Each function takes a boolean membership mask and the usable scores (:mod:`cxtext.drivers.membership`);
:mod:`cxtext.drivers.table` assembles them into the driver table.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cxtext.drivers.columns import FISHER_EXPECTED_MIN, TEST_FISHER, TEST_Z
from cxtext.drivers.membership import UsableScores
from cxtext.metrics import Z_95, NpsResult, nps_from_counts
from cxtext.schema import ScoreScale
from cxtext.stats import two_proportion_p_value

def theme_row(
    theme_id: int,
    label: str,
    member: np.ndarray,
    scores: UsableScores,
    n_themed: int,
    ces_scale: ScoreScale,
    min_test_size: int,
) -> dict[str, object]:
    n_comments = int(member.sum())
    row: dict[str, object] = {
        "theme_id": int(theme_id),
        "label": label,
        "n_comments": n_comments,
        "share": n_comments / n_themed if n_themed else math.nan,
    }
    row.update(_nps_figures(member, scores, min_test_size))
    row.update(_lift_figures(member, scores, min_test_size))
    row.update(_ces_figures(member, scores.ces, ces_scale, min_test_size))
    row.update(_csat_figures(member, scores.csat, min_test_size))
    row.update(_rating_figures(member, scores.rating, min_test_size))
    return row


def nps_of(mask: np.ndarray, scores: UsableScores) -> NpsResult:
    respondents = mask & scores.has_nps
    promoters = int((respondents & scores.is_promoter).sum())
    detractors = int((respondents & scores.is_detractor).sum())
    return nps_from_counts(promoters, int(respondents.sum()) - promoters - detractors, detractors)


def _nps_figures(member: np.ndarray, scores: UsableScores, min_test_size: int) -> dict[str, float]:
    theme = nps_of(member, scores)
    rest = nps_of(~member, scores)
    overall = nps_of(np.ones_like(member), scores)
    impact, impact_se = nps_impact(theme, rest, overall)
    testable = theme.n >= min_test_size
    return {
        "n_nps": theme.n,
        "nps": theme.nps,
        "nps_ci_low": theme.ci_low if testable else math.nan,
        "nps_ci_high": theme.ci_high if testable else math.nan,
        "detractor_share": theme.detractor_share,
        "passive_share": theme.passive_share,
        "promoter_share": theme.promoter_share,
        "nps_impact": impact,
        "nps_impact_se": impact_se if testable else math.nan,
        "nps_impact_ci_low": impact - Z_95 * impact_se if testable else math.nan,
        "nps_impact_ci_high": impact + Z_95 * impact_se if testable else math.nan,
    }


def nps_impact(theme: NpsResult, rest: NpsResult, overall: NpsResult) -> tuple[float, float]:
    """Drag of a theme on overall NPS and its standard error, both in points.

    ``impact = overall NPS - NPS of the rest = (n_T / N)·(NPS_T - NPS_rest)``;
    negative means the theme pulls overall NPS down. ``se = (n_T / N)·
    sqrt(se_T² + se_rest²)`` treating theme and rest as independent samples.
    NaN when either group has no respondents.
    """
    if theme.n == 0 or rest.n == 0:
        return math.nan, math.nan
    weight = theme.n / overall.n
    return overall.nps - rest.nps, weight * math.sqrt(theme.se**2 + rest.se**2)


def _lift_figures(member: np.ndarray, scores: UsableScores, min_test_size: int) -> dict[str, object]:
    respondents = scores.has_nps
    n_theme = int((member & respondents).sum())
    n_rest = int((~member & respondents).sum())
    detractors_theme = int((member & scores.is_detractor).sum())
    detractors_rest = int((~member & scores.is_detractor).sum())
    if n_theme == 0 and n_rest == 0:  # a file without NPS: "too small" would read as a verdict on the theme
        return {"detractor_lift": math.nan, "lift_p_value": math.nan, "lift_test": NO_NPS_TEST}
    if n_theme < min_test_size or n_rest == 0:
        return {"detractor_lift": math.nan, "lift_p_value": math.nan, "lift_test": _too_small(min_test_size)}
    lift = detractor_lift(detractors_theme, n_theme, detractors_rest, n_rest)
    p_value, test = detractor_rate_test(detractors_theme, n_theme, detractors_rest, n_rest)
    return {"detractor_lift": lift, "lift_p_value": p_value, "lift_test": test}


def detractor_lift(detractors_theme: int, n_theme: int, detractors_rest: int, n_rest: int) -> float:
    """P(detractor | theme) / P(detractor | not theme); inf when the rest has none, NaN when neither has."""
    rate_theme = detractors_theme / n_theme
    rate_rest = detractors_rest / n_rest
    if rate_rest == 0:
        return math.inf if rate_theme > 0 else math.nan
    return rate_theme / rate_rest


def detractor_rate_test(
    detractors_theme: int, n_theme: int, detractors_rest: int, n_rest: int
) -> tuple[float, str]:
    """Two-sided p-value that the detractor rates differ, and the test used.

    Fisher's exact test when any expected cell of the 2x2 table is below 5
    (where the normal approximation is unreliable), else the pooled
    two-proportion z-test.
    """
    table = np.array(
        [[detractors_theme, n_theme - detractors_theme], [detractors_rest, n_rest - detractors_rest]]
    )
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if (expected < FISHER_EXPECTED_MIN).any():
        return float(stats.fisher_exact(table, alternative="two-sided").pvalue), TEST_FISHER
    return two_proportion_p_value(detractors_theme, n_theme, detractors_rest, n_rest), TEST_Z


def bh_q_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q-values over the themes that were tested (NaN stays NaN)."""
    q_values = np.full(p_values.shape, np.nan)
    tested = ~np.isnan(p_values)
    if tested.any():
        q_values[tested] = multipletests(p_values[tested], method="fdr_bh")[1]
    return q_values


def _welch_gap(
    member: np.ndarray, values: np.ndarray, min_test_size: int
) -> tuple[float, float, float]:
    """(theme mean, theme mean - rest mean, Welch p) over non-missing ``values``."""
    present = ~np.isnan(values)
    theme_values = values[member & present]
    rest_values = values[~member & present]
    theme_mean = float(theme_values.mean()) if theme_values.size else math.nan
    rest_mean = float(rest_values.mean()) if rest_values.size else math.nan
    p_value = math.nan
    if theme_values.size >= max(min_test_size, 2) and rest_values.size >= 2:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # zero variance in both groups -> NaN p
            p_value = float(stats.ttest_ind(theme_values, rest_values, equal_var=False).pvalue)
    return theme_mean, theme_mean - rest_mean, p_value


def _ces_figures(
    member: np.ndarray, ces_values: np.ndarray, scale: ScoreScale, min_test_size: int
) -> dict[str, float]:
    theme_mean, difference, p_value = _welch_gap(member, ces_values, min_test_size)
    # On a high-is-easy scale a lower mean means more effort, so flip the sign:
    # ces_gap > 0 must always read "the theme's customers work harder".
    gap = -difference if scale.good_end == "high" else difference
    return {"ces_mean": theme_mean, "ces_gap": gap, "ces_gap_p_value": p_value}


def _csat_figures(member: np.ndarray, csat_values: np.ndarray, min_test_size: int) -> dict[str, float]:
    theme_mean, gap, p_value = _welch_gap(member, csat_values, min_test_size)
    return {"csat_mean": theme_mean, "csat_gap": gap, "csat_gap_p_value": p_value}


def _rating_figures(member: np.ndarray, ratings: np.ndarray, min_test_size: int) -> dict[str, float]:
    """Mean rating, its gap to the rest with a Welch 95% CI, and the drag on the overall mean.

    ``rating_impact`` = overall mean - mean of the rest = (n_T / N)(mean_T - mean_rest),
    like ``nps_impact``; its CI scales the gap's CI by the theme's share.
    """
    present = ~np.isnan(ratings)
    theme, rest = ratings[member & present], ratings[~member & present]
    theme_mean, gap, p_value = _welch_gap(member, ratings, min_test_size)
    out = {"n_rating": float(theme.size), "rating_mean": theme_mean, "rating_gap": gap,
           "rating_gap_ci_low": math.nan, "rating_gap_ci_high": math.nan, "rating_gap_p_value": p_value,
           "rating_impact": math.nan, "rating_impact_ci_low": math.nan, "rating_impact_ci_high": math.nan}
    if theme.size == 0 or rest.size == 0:
        return out
    share = theme.size / (theme.size + rest.size)
    out["rating_impact"] = share * gap
    if theme.size >= max(min_test_size, 2) and rest.size >= 2:
        var_theme, var_rest = theme.var(ddof=1) / theme.size, rest.var(ddof=1) / rest.size
        se = math.sqrt(var_theme + var_rest)
        denominator = var_theme ** 2 / (theme.size - 1) + var_rest ** 2 / (rest.size - 1)
        dof = (var_theme + var_rest) ** 2 / denominator if denominator > 0 else theme.size + rest.size - 2
        half = float(stats.t.ppf(0.975, dof)) * se
        out.update(rating_gap_ci_low=gap - half, rating_gap_ci_high=gap + half,
                   rating_impact_ci_low=share * (gap - half), rating_impact_ci_high=share * (gap + half))
    return out


#: ``lift_test`` when no row has an NPS answer (a review export with stars only).
NO_NPS_TEST = "no NPS answers"


def _too_small(min_test_size: int) -> str:
    return f"too small (n<{min_test_size})"


def welch_drag(member: np.ndarray, values: np.ndarray, min_test_size: int) -> tuple[float, float, float]:
    """(drag, low, high of its 95% CI) of a theme on the overall mean of ``values`` (higher = better):
    overall mean minus the rest's mean, Welch interval scaled by the theme's share; NaN CI when too small."""
    present = ~np.isnan(values)
    theme, rest = values[member & present], values[~member & present]
    if theme.size == 0 or rest.size == 0:
        return math.nan, math.nan, math.nan
    share = theme.size / (theme.size + rest.size)
    gap = float(theme.mean() - rest.mean())
    if theme.size < max(min_test_size, 2) or rest.size < 2:
        return share * gap, math.nan, math.nan
    var_theme, var_rest = theme.var(ddof=1) / theme.size, rest.var(ddof=1) / rest.size
    se = math.sqrt(var_theme + var_rest)
    denominator = var_theme ** 2 / (theme.size - 1) + var_rest ** 2 / (rest.size - 1)
    dof = (var_theme + var_rest) ** 2 / denominator if denominator > 0 else theme.size + rest.size - 2
    half = float(stats.t.ppf(0.975, dof)) * se
    return share * gap, share * (gap - half), share * (gap + half)
