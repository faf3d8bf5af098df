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
NPS but with ratings, the same holds with ``rating_impact``; without either
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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
# statsmodels' submodules, not statsmodels.api: the api module imports time
# series, formulas and plotting too (~0.3 s more on every run).
from statsmodels.discrete.discrete_model import Logit
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.tools import add_constant
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from cxtext.errors import ValidationError
from cxtext.metrics import DETRACTOR_MAX, PROMOTER_MIN, Z_95, NpsResult, nps_from_counts
from cxtext.respondents import one_per_respondent
from cxtext.schema import DEFAULT_CES_SCALE, ScoreScale

ALL_COMMENTS_ID = -100
ALL_COMMENTS_LABEL = "All comments"
MISSING_GROUP = "(missing)"
GROUPINGS: tuple[str, ...] = ("source", "segment", "month", "text_column")

# A theme is "emerging" in a period when its comment count grew by more than
# EMERGING_MIN_GROWTH (0.5 = +50 %) over the previous period AND it has at
# least EMERGING_MIN_COMMENTS comments, so 1 -> 2 comments is not news.
EMERGING_MIN_GROWTH = 0.5
EMERGING_MIN_COMMENTS = 5

# Expected cell count below which the chi-square/z approximation is unsafe
# (Cochran's rule), so the exact Fisher test is used instead.
FISHER_EXPECTED_MIN = 5.0
# L2 penalty of the fallback model, per coefficient on the log-likelihood/n
# scale; small enough not to hide real effects, large enough to stay finite.
FALLBACK_L2_ALPHA = 0.01

TEST_FISHER = "fisher"
TEST_Z = "two-proportion"

DRIVER_COLUMNS: tuple[str, ...] = (
    "theme_id", "label", "n_comments", "share", "n_nps", "nps", "nps_ci_low", "nps_ci_high",
    "detractor_share", "passive_share", "promoter_share",
    "nps_impact", "nps_impact_se", "nps_impact_ci_low", "nps_impact_ci_high",
    "detractor_lift", "lift_p_value", "lift_q_value", "lift_test",
    "odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high", "odds_ratio_p_value",
    "ces_mean", "ces_gap", "ces_gap_p_value", "csat_mean", "csat_gap", "csat_gap_p_value",
    "n_rating", "rating_mean", "rating_gap", "rating_gap_ci_low", "rating_gap_ci_high", "rating_gap_p_value",
    "rating_impact", "rating_impact_ci_low", "rating_impact_ci_high",
    "priority", "rank",
)

COLUMN_DESCRIPTIONS: dict[str, str] = {
    "theme_id": "Theme number (0 and up); -100 is the all-comments row.",
    "label": "Theme name.",
    "n_comments": "Comments in the theme, counting every comment listed under it, with or without scores (with several comment columns: respondents, each row once).",
    "share": "Fraction (0-1) of themed comments that are in this theme; a comment can be in several themes, so shares may add up to more than 1.",
    "n_nps": "Respondents in the theme with a usable 0-10 NPS score.",
    "nps": "Net Promoter Score of the theme's respondents in points (-100 to 100): % scoring 9-10 minus % scoring 0-6.",
    "nps_ci_low": "Lower end of the 95% confidence interval of the theme's NPS, in points (normal approximation).",
    "nps_ci_high": "Upper end of the 95% confidence interval of the theme's NPS, in points (normal approximation).",
    "detractor_share": "Fraction (0-1) of the theme's NPS respondents who scored 0-6.",
    "passive_share": "Fraction (0-1) of the theme's NPS respondents who scored 7-8.",
    "promoter_share": "Fraction (0-1) of the theme's NPS respondents who scored 9-10.",
    "nps_impact": "Overall NPS minus the NPS of respondents not in the theme, in points; negative means the theme pulls overall NPS down by that much.",
    "nps_impact_se": "Standard error of nps_impact in points (theme and rest treated as independent samples).",
    "nps_impact_ci_low": "Lower end of the 95% confidence interval of nps_impact, in points.",
    "nps_impact_ci_high": "Upper end of the 95% confidence interval of nps_impact, in points; below 0 means the drag is statistically clear.",
    "detractor_lift": "Detractor rate in the theme divided by the detractor rate outside it; above 1 means the theme has more detractors (2 = twice as many).",
    "lift_p_value": "p-value (0-1) that the detractor rate differs between the theme and the rest; small means unlikely to be chance.",
    "lift_q_value": "lift_p_value adjusted for testing many themes (Benjamini-Hochberg false discovery rate, 0-1).",
    "lift_test": "Test behind lift_p_value: 'fisher' (exact, small counts), 'two-proportion' (z-test) or 'too small (n<k)' when the theme has too few respondents to test.",
    "odds_ratio": "Odds of being a detractor with the theme versus without it, holding the other themes fixed (logistic regression); above 1 means more detractors.",
    "odds_ratio_ci_low": "Lower end of the 95% confidence interval of odds_ratio.",
    "odds_ratio_ci_high": "Upper end of the 95% confidence interval of odds_ratio.",
    "odds_ratio_p_value": "p-value (0-1) of the theme's coefficient in the logistic regression.",
    "ces_mean": "Mean customer effort score of the theme's respondents, on the survey's CES scale as given.",
    "ces_gap": "Extra effort of the theme versus the rest, in CES scale points; positive means the theme's customers report MORE effort, whatever the scale direction.",
    "ces_gap_p_value": "Welch t-test p-value (0-1) of the CES difference between the theme and the rest.",
    "csat_mean": "Mean satisfaction of the theme's respondents on the 1-5 CSAT scale (5 = very satisfied).",
    "csat_gap": "Theme CSAT mean minus the rest's mean, in scale points; negative means less satisfied.",
    "csat_gap_p_value": "Welch t-test p-value (0-1) of the CSAT difference between the theme and the rest.",
    "n_rating": "Respondents in the theme with a usable star rating or review score.",
    "rating_mean": "Mean rating of the theme's respondents, on the file's rating scale (e.g. 1-5 stars).",
    "rating_gap": "Theme mean rating minus the rest's mean, in rating points; negative means the theme's customers rate lower.",
    "rating_gap_ci_low": "Lower end of the 95% confidence interval of rating_gap (Welch).",
    "rating_gap_ci_high": "Upper end of the 95% confidence interval of rating_gap (Welch).",
    "rating_gap_p_value": "Welch t-test p-value (0-1) of the rating difference between the theme and the rest.",
    "rating_impact": "Overall mean rating minus the mean rating of respondents not in the theme, in rating points; negative means the theme pulls the average rating down by that much.",
    "rating_impact_ci_low": "Lower end of the 95% confidence interval of rating_impact.",
    "rating_impact_ci_high": "Upper end of the 95% confidence interval of rating_impact; below 0 means the drag is statistically clear.",
    "priority": "How urgent the theme is: the NPS drag in points that holds with 95% confidence (minus the upper CI end of nps_impact); higher is more urgent. Without any NPS but with ratings, the rating drag that holds with 95% confidence (minus rating_impact_ci_high). Without either, the comment count.",
    "rank": "Position in the table by priority, 1 = most urgent.",
}

OVERALL_DESCRIPTIONS: dict[str, str] = {
    "n_rows": "All input rows, including rejected ones.",
    "n_comments": "Rows with a comment that went into theming (analysed, not an empty comment).",
    "n_themed": "Comments that were placed in at least one theme.",
    "themed_share": "Fraction (0-1) of comments placed in at least one theme.",
    "n_nps": "Respondents with a usable 0-10 NPS score.",
    "n_ces": "Respondents with a usable CES score.",
    "n_csat": "Respondents with a usable 1-5 CSAT score.",
    "n_rating": "Respondents with a usable star rating or review score.",
    "rating_mean": "Mean rating of all respondents, on the file's rating scale.",
}

TREND_DESCRIPTIONS: dict[str, str] = {
    "period": "Calendar period of the comment date (e.g. '2024-03' for a month).",
    "n_comments": "Comments in the theme during the period.",
    "n_nps": "Respondents in the theme with a usable NPS score during the period.",
    "nps": "NPS of the theme's respondents in the period, in points (-100 to 100); empty without scores.",
    "emerging": (
        f"True when comments grew by more than {EMERGING_MIN_GROWTH:.0%} over the previous period "
        f"and number at least {EMERGING_MIN_COMMENTS}."
    ),
}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class UsableScores:
    """Per-row usable scores (NaN when not usable) and derived NPS flags."""

    nps: np.ndarray
    ces: np.ndarray
    csat: np.ndarray
    rating: np.ndarray

    @property
    def has_nps(self) -> np.ndarray:
        return ~np.isnan(self.nps)

    @property
    def is_detractor(self) -> np.ndarray:
        return self.nps <= DETRACTOR_MAX  # NaN compares False

    @property
    def is_promoter(self) -> np.ndarray:
        return self.nps >= PROMOTER_MIN


def usable_scores(records: pd.DataFrame) -> UsableScores:
    """Scores that may count in metrics: ``scores_valid`` and present, else NaN."""
    valid = _bool_column(records, "scores_valid", default=True)
    return UsableScores(*(_score_column(records, kind, valid) for kind in ("nps", "ces", "csat", "rating")))


def _score_column(records: pd.DataFrame, column: str, valid: np.ndarray) -> np.ndarray:
    if column not in records.columns:
        return np.full(len(records), np.nan)
    values = pd.Series(records[column]).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    values[~valid] = np.nan
    return values


def _bool_column(records: pd.DataFrame, column: str, default: bool) -> np.ndarray:
    if column not in records.columns:
        return np.full(len(records), default)
    return records[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def theme_labels(records: pd.DataFrame, themes: pd.DataFrame) -> pd.Series:
    """Label per theme id (>= 0), from ``themes`` plus any id only seen in ``records``.

    Ids only present in ``records`` get the label ``"theme <id>"``.
    """
    missing = {"theme_id", "label"} - set(themes.columns)
    if missing:
        raise ValidationError(
            f"themes needs columns 'theme_id' and 'label'; missing {sorted(missing)}. "
            f"Columns found: {list(themes.columns)}."
        )
    known = themes[themes["theme_id"].astype(int) >= 0]
    labels = pd.Series(known["label"].astype(str).to_numpy(), index=known["theme_id"].astype(int).to_numpy())
    labels = labels[~labels.index.duplicated()]
    seen = _member_pairs(records)[1]
    extra = sorted(set(seen.tolist()) - set(labels.index))
    labels = pd.concat([labels, pd.Series([f"theme {i}" for i in extra], index=extra, dtype=object)])
    return labels.sort_index()


def theme_membership(records: pd.DataFrame, theme_ids: Sequence[int]) -> pd.DataFrame:
    """Boolean frame: row position x theme id, True when the row belongs to the theme.

    Membership is ``theme_ids`` (";"-separated) plus the primary ``theme_id``
    when it is >= 0. The index is ``records.index``.
    """
    positions, ids = _member_pairs(records)
    columns = pd.Index(list(theme_ids), dtype="int64")
    matrix = np.zeros((len(records), len(columns)), dtype=bool)
    column_of = columns.get_indexer(ids)
    known = column_of >= 0
    matrix[positions[known], column_of[known]] = True
    return pd.DataFrame(matrix, index=records.index, columns=columns)


def _member_pairs(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(row position, theme id) pairs for every membership with theme id >= 0."""
    if "theme_id" not in records.columns and "theme_ids" not in records.columns:
        raise ValidationError(
            "records need a 'theme_id' (or 'theme_ids') column; run theming first. "
            f"Columns found: {list(records.columns)}."
        )
    n = len(records)
    position_parts, id_parts = [], []
    if "theme_id" in records.columns:
        primary = pd.to_numeric(records["theme_id"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        position_parts.append(np.arange(n))
        id_parts.append(primary)
    if "theme_ids" in records.columns:
        tokens = pd.Series(records["theme_ids"].astype("string").fillna("").to_numpy(), index=np.arange(n))
        exploded = tokens.str.split(";").explode()
        parsed = pd.to_numeric(exploded.astype("string").str.strip(), errors="coerce")
        position_parts.append(exploded.index.to_numpy(dtype="int64"))
        id_parts.append(parsed.to_numpy(dtype="float64", na_value=np.nan))
    positions = np.concatenate(position_parts)
    ids = np.concatenate(id_parts)
    keep = ~np.isnan(ids) & (ids >= 0)
    return positions[keep], ids[keep].astype("int64")


def _check_min_test_size(min_test_size: int) -> None:
    if isinstance(min_test_size, bool) or not isinstance(min_test_size, (int, np.integer)) or min_test_size < 1:
        raise ValidationError(f"min_test_size must be a whole number >= 1; got {min_test_size!r}.")


# --------------------------------------------------------------------------- driver table

_MODEL_COLUMNS: tuple[str, ...] = ("odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high", "odds_ratio_p_value")
# Columns that need every theme at once (q-values, model, ordering), not one theme row.
_COLUMNS_ADDED_LATER: tuple[str, ...] = (*_MODEL_COLUMNS, "lift_q_value", "priority", "rank")


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
    _check_min_test_size(min_test_size)
    scale = ces_scale or DEFAULT_CES_SCALE
    records = one_per_respondent(records)
    labels = theme_labels(records, themes)
    membership = theme_membership(records, labels.index)
    scores = usable_scores(records)
    n_themed = int(membership.any(axis=1).sum())

    rows = [
        _theme_row(theme_id, label, membership[theme_id].to_numpy(), scores, n_themed, scale, min_test_size)
        for theme_id, label in labels.items()
    ]
    table = pd.DataFrame(rows, columns=[c for c in DRIVER_COLUMNS if c not in _COLUMNS_ADDED_LATER])
    table["lift_q_value"] = _bh_q_values(table["lift_p_value"].to_numpy(dtype=float))
    model, note = key_driver_model(membership, scores, min_test_size)
    table = table.join(model, on="theme_id")
    table["priority"] = _priority(table, has_any_nps=bool(scores.has_nps.any()),
                                  has_any_rating=bool((~np.isnan(scores.rating)).any()))
    basis = _priority_basis(scores)
    table = _sort_and_rank(table, {"nps": "nps_impact", "rating": "rating_impact"}.get(basis))[list(DRIVER_COLUMNS)]
    table = _with_dtypes(table)
    table.attrs.update(
        column_descriptions=_descriptions(DRIVER_COLUMNS, min_test_size),
        model_note=note,
        ces_scale=_scale_text(scale, assumed=ces_scale is None),
        min_test_size=min_test_size,
        priority_basis=basis,
    )
    return table


def _priority_basis(scores: UsableScores) -> str:
    """What ``priority`` ranks by: "nps", "rating" (no NPS) or "volume" (neither)."""
    if scores.has_nps.any():
        return "nps"
    return "rating" if (~np.isnan(scores.rating)).any() else "volume"




def _theme_row(
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


def _nps_of(mask: np.ndarray, scores: UsableScores) -> NpsResult:
    respondents = mask & scores.has_nps
    promoters = int((respondents & scores.is_promoter).sum())
    detractors = int((respondents & scores.is_detractor).sum())
    return nps_from_counts(promoters, int(respondents.sum()) - promoters - detractors, detractors)


def _nps_figures(member: np.ndarray, scores: UsableScores, min_test_size: int) -> dict[str, float]:
    theme = _nps_of(member, scores)
    rest = _nps_of(~member, scores)
    overall = _nps_of(np.ones_like(member), scores)
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


def two_proportion_p_value(successes_a: int, n_a: int, successes_b: int, n_b: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (successes_a / n_a - successes_b / n_b) / se
    return float(2 * stats.norm.sf(abs(z)))


def _bh_q_values(p_values: np.ndarray) -> np.ndarray:
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


def _too_small(min_test_size: int) -> str:
    return f"too small (n<{min_test_size})"


# --------------------------------------------------------------------------- key-driver model


def key_driver_model(
    membership: pd.DataFrame, scores: UsableScores, min_test_size: int = 10
) -> tuple[pd.DataFrame, str]:
    """Logistic regression of detractor (0/1) on theme membership indicators.

    Fitted over every respondent with a usable NPS. Only themes with at least
    ``min_test_size`` respondents in the theme *and* outside it enter; themes
    with identical membership are merged into the first one. Returns a frame
    indexed by theme id with ``odds_ratio``, its 95 % CI and p-value, and a
    note saying how the model was fitted (or why it was not).
    """
    empty = pd.DataFrame(np.nan, index=pd.Index(membership.columns, name="theme_id"), columns=list(_MODEL_COLUMNS))
    respondents = scores.has_nps
    outcome = scores.is_detractor[respondents].astype(float)
    if outcome.size == 0:
        return empty, "No NPS scores, so no key-driver model was fitted."
    if outcome.min() == outcome.max():
        return empty, "Every NPS respondent is in the same class (all or no detractors); no model can be fitted."
    design, dropped_note = _design_matrix(membership[respondents], min_test_size)
    if design.shape[1] == 0:
        return empty, f"No theme has {min_test_size}+ NPS respondents both in and out of it; no model was fitted."
    estimates, note = _fit_logit(outcome, design)
    empty.update(estimates)
    return empty, " ".join(part for part in (note, dropped_note) if part)


def _design_matrix(membership: pd.DataFrame, min_test_size: int) -> tuple[pd.DataFrame, str]:
    counts = membership.sum(axis=0)
    eligible = membership.loc[:, (counts >= min_test_size) & (len(membership) - counts >= min_test_size)]
    # a theme whose membership column equals an earlier one's (compared as bytes:
    # DataFrame.T.duplicated() factorizes every respondent and took seconds at 10k rows)
    matrix = np.ascontiguousarray(eligible.to_numpy(dtype=np.uint8).T)
    seen: set[bytes] = set()
    duplicated = np.zeros(matrix.shape[0], dtype=bool)
    for index, column in enumerate(matrix):
        key = column.tobytes()
        duplicated[index] = key in seen
        seen.add(key)
    notes = ""
    if duplicated.any():
        notes = (
            f"Themes {', '.join(map(str, eligible.columns[duplicated]))} have exactly the same "
            "respondents as an earlier theme and were left out of the model."
        )
    return eligible.loc[:, ~duplicated].astype(float), notes


def _fit_logit(outcome: np.ndarray, design: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    outcome, design, separated = _without_separated(outcome, design)
    separated_note = (
        f"Themes {separated} have all or no detractors, so their odds ratio is unbounded: they and their "
        "respondents are left out of the model (the other themes' maximum-likelihood estimates are the same "
        "as with them in); their lift and impact columns still describe them." if separated else ""
    )
    if design.shape[1] == 0 or outcome.size == 0 or outcome.min() == outcome.max():
        empty = pd.DataFrame(np.nan, index=pd.Index([], name="theme_id"), columns=list(_MODEL_COLUMNS))
        return empty, f"{separated_note} No theme is left to model."
    estimates, note = _fit_mle(outcome, design)
    return estimates, " ".join(part for part in (note, separated_note) if part)


def _without_separated(outcome: np.ndarray, design: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, list[int]]:
    """Drop separated themes and their respondents, until none is left.

    A theme whose members are all (or no) detractors has an infinite MLE
    coefficient; in that limit its members' likelihood is 1 whatever the
    other coefficients are, so fitting without those rows and that column
    gives the other themes' MLE exactly. Dropping rows can separate another
    theme, hence the loop.
    """
    dropped: list[int] = []
    while design.shape[1]:
        separated = _separated_themes(outcome, design)
        if not separated:
            break
        dropped += separated
        keep_rows = ~(design[separated].to_numpy() > 0).any(axis=1)
        outcome, design = outcome[keep_rows], design.loc[keep_rows, [c for c in design.columns if c not in separated]]
        # a theme may now have too few respondents in or out of it to be estimable
        counts = design.sum(axis=0)
        design = design.loc[:, (counts > 0) & (len(design) - counts > 0)]
    return outcome, design, dropped


def _fit_mle(outcome: np.ndarray, design: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    exog = add_constant(design.to_numpy(), has_constant="add")
    if np.linalg.matrix_rank(exog) < exog.shape[1]:
        # Typical cause: every respondent is in exactly one modelled theme, so no
        # baseline group is left and the indicators add up to the intercept.
        return _fit_ridge(outcome, exog, design.columns, "the theme indicators are collinear (no baseline group)")
    try:
        with warnings.catch_warnings():
            for warning in (PerfectSeparationWarning, ConvergenceWarning, HessianInversionWarning, RuntimeWarning):
                warnings.simplefilter("error", warning)
            result = Logit(outcome, exog).fit(disp=0, method="newton", maxiter=100)
        standard_errors = np.asarray(result.bse)
        if not result.mle_retvals.get("converged", False) or not np.isfinite(standard_errors).all():
            raise np.linalg.LinAlgError("no finite standard errors")
    except (np.linalg.LinAlgError, PerfectSeparationError, PerfectSeparationWarning, ConvergenceWarning,
            HessianInversionWarning, RuntimeWarning, ValueError) as error:
        return _fit_ridge(outcome, exog, design.columns, f"maximum likelihood failed ({error})")
    intervals = np.asarray(result.conf_int(alpha=0.05))
    with np.errstate(over="ignore"):  # a huge but finite upper bound may overflow to inf; that is honest
        estimates = _odds_ratio_frame(result, intervals, design.columns)
    return estimates, f"Logistic regression (maximum likelihood) on {len(outcome)} respondents and {design.shape[1]} themes."


def _odds_ratio_frame(result: object, intervals: np.ndarray, theme_ids: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "odds_ratio": np.exp(np.asarray(result.params)[1:]),
            "odds_ratio_ci_low": np.exp(intervals[1:, 0]),
            "odds_ratio_ci_high": np.exp(intervals[1:, 1]),
            "odds_ratio_p_value": np.asarray(result.pvalues)[1:],
        },
        index=pd.Index(theme_ids, name="theme_id"),
    )


def _separated_themes(outcome: np.ndarray, design: pd.DataFrame) -> list[int]:
    """Themes whose members are all detractors or none: their MLE odds ratio is infinite or 0."""
    separated = []
    for theme_id in design.columns:
        member = design[theme_id].to_numpy() > 0
        if not member.any():
            continue
        rate = outcome[member].mean()
        if rate in (0.0, 1.0):
            separated.append(int(theme_id))
    return separated


def _fit_ridge(outcome: np.ndarray, exog: np.ndarray, theme_ids: pd.Index, reason: str) -> tuple[pd.DataFrame, str]:
    # The intercept is not penalised: shrinking it would bias every odds ratio.
    alpha = np.r_[0.0, np.full(exog.shape[1] - 1, FALLBACK_L2_ALPHA)]
    estimates = pd.DataFrame(np.nan, index=pd.Index(theme_ids, name="theme_id"), columns=list(_MODEL_COLUMNS))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = GLM(outcome, exog, family=Binomial()).fit_regularized(
                alpha=alpha, L1_wt=0.0
            )
        estimates["odds_ratio"] = np.exp(np.asarray(result.params)[1:])
    except (np.linalg.LinAlgError, ValueError) as error:
        return estimates, f"Key-driver model not available: {reason}, and the regularised fit failed too ({error})."
    return estimates, (
        f"Key-driver model: {reason}; odds ratios come from an L2-regularised logistic regression "
        f"(alpha={FALLBACK_L2_ALPHA}) and have no confidence interval or p-value."
    )


# --------------------------------------------------------------------------- priority and order


def _priority(table: pd.DataFrame, has_any_nps: bool, has_any_rating: bool = False) -> pd.Series:
    """``-nps_impact_ci_high`` in NPS points; without NPS ``-rating_impact_ci_high``; else comment volume."""
    if has_any_nps:
        return -table["nps_impact_ci_high"].astype(float)
    if has_any_rating:
        return -table["rating_impact_ci_high"].astype(float)
    return table["n_comments"].astype(float)


def _sort_and_rank(table: pd.DataFrame, impact: str | None = None) -> pd.DataFrame:
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


def _descriptions(columns: Sequence[str], min_test_size: int) -> dict[str, str]:
    descriptions = {column: COLUMN_DESCRIPTIONS[column] for column in columns if column in COLUMN_DESCRIPTIONS}
    if "lift_test" in descriptions:
        descriptions["lift_test"] = descriptions["lift_test"].replace("n<k", f"n<{min_test_size}")
    return descriptions


def _scale_text(scale: ScoreScale, assumed: bool) -> str:
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
    overall = _nps_of(everybody, scores)
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
    n_themed = len(np.unique(_member_pairs(records)[0])) if has_themes else 0
    return n_comments, n_themed


def _nan_mean(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else math.nan


# --------------------------------------------------------------------------- by group


def driver_table_by(
    records: pd.DataFrame,
    themes: pd.DataFrame,
    by: Literal["source", "segment", "month"],
    ces_scale: ScoreScale | None = None,
    min_test_size: int = 10,
) -> pd.DataFrame:
    """:func:`driver_table` computed within each group, stacked with a leading ``by`` column.

    ``by`` is ``"source"``, ``"segment"`` or ``"month"`` (``"2024-03"``, from
    ``date``). Rows missing the group value form a ``"(missing)"`` group, so no
    row is lost. Impact, lift and rank are relative to the group itself.
    Themes with no comment in a group are left out of that group.
    ``attrs["model_notes"]`` maps each group to its model note.
    """
    _check_min_test_size(min_test_size)
    groups = _group_keys(records, by)
    frames, notes = [], {}
    for group in _ordered_groups(groups):
        table = driver_table(records[groups.to_numpy() == group], themes, ces_scale, min_test_size)
        notes[group] = table.attrs.get("model_note", "")
        table = table[table["n_comments"] > 0]
        table.insert(0, by, group)
        frames.append(table)
    columns = [by, *DRIVER_COLUMNS]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    result = result[columns]
    group_description = {by: f"Group the row belongs to ({by}); '{MISSING_GROUP}' when the value is missing."}
    result.attrs.update(
        column_descriptions={**group_description, **_descriptions(DRIVER_COLUMNS, min_test_size)},
        model_notes=notes,
        ces_scale=_scale_text(ces_scale or DEFAULT_CES_SCALE, assumed=ces_scale is None),
        min_test_size=min_test_size,
    )
    return result


def _group_keys(records: pd.DataFrame, by: str) -> pd.Series:
    if by not in GROUPINGS:
        raise ValidationError(f"by must be one of {', '.join(GROUPINGS)}; got {by!r}.")
    column = "date" if by == "month" else by
    if column not in records.columns:
        raise ValidationError(f"Grouping by {by} needs a '{column}' column in records; it is missing.")
    if by == "month":
        keys = pd.to_datetime(records["date"]).dt.to_period("M").astype("string")
    else:
        keys = records[column].astype("string")
    return keys.fillna(MISSING_GROUP).astype(object)


def _ordered_groups(groups: pd.Series) -> list[str]:
    values = sorted(set(groups.tolist()) - {MISSING_GROUP})
    return values + ([MISSING_GROUP] if (groups == MISSING_GROUP).any() else [])


# --------------------------------------------------------------------------- trend


def theme_trend(records: pd.DataFrame, themes: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Comments and NPS per theme and calendar period, with an ``emerging`` flag.

    ``freq`` is a pandas period code ("M" month, "W" week, "Q" quarter,
    "D" day). Rows without a ``date`` are left out. Every theme gets a row for
    every period between the first and last date (0 comments when quiet).
    Columns: ``period`` (text such as "2024-03"), ``theme_id``, ``label``,
    ``n_comments``, ``n_nps``, ``nps`` (points, NaN without scores) and
    ``emerging``: comment count grew by more than :data:`EMERGING_MIN_GROWTH`
    (50 %) versus the previous period and is at least
    :data:`EMERGING_MIN_COMMENTS` (5); growth from 0 counts as growth.
    The first period is never emerging (nothing to compare with).
    """
    if "date" not in records.columns:
        raise ValidationError("theme_trend needs a 'date' column in records; it is missing.")
    records = one_per_respondent(records)
    labels = theme_labels(records, themes)
    periods = _periods(records["date"], freq)
    columns = ["period", "theme_id", "label", "n_comments", "n_nps", "nps", "emerging"]
    dated = periods.notna().to_numpy()
    if not dated.any() or labels.empty:
        return _trend_attrs(pd.DataFrame(columns=columns))
    counts = _period_counts(records, labels, periods, dated)
    counts["nps"] = np.where(
        counts["n_nps"] > 0, 100.0 * (counts["promoters"] - counts["detractors"]) / counts["n_nps"].where(counts["n_nps"] > 0), np.nan
    )
    counts["emerging"] = _emerging(counts)
    counts["label"] = counts["theme_id"].map(labels).astype(object)
    counts["period"] = counts["period"].astype(str)
    return _trend_attrs(counts[columns].reset_index(drop=True))


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    try:
        return pd.to_datetime(dates).dt.to_period(freq)
    except (ValueError, TypeError) as error:
        raise ValidationError(f"freq must be a pandas period code such as 'M', 'W' or 'Q'; got {freq!r} ({error}).") from None


def _period_counts(records: pd.DataFrame, labels: pd.Series, periods: pd.Series, dated: np.ndarray) -> pd.DataFrame:
    """Per (period, theme): comments, NPS respondents, promoters, detractors; zero-filled."""
    membership = theme_membership(records, labels.index).to_numpy()
    scores = usable_scores(records)
    period_values = periods.to_numpy()
    positions, theme_columns = np.nonzero(membership & dated[:, None])
    pairs = pd.DataFrame({
        "period": period_values[positions],
        "theme_id": labels.index.to_numpy()[theme_columns],
        "has_nps": scores.has_nps[positions],
        "promoter": scores.is_promoter[positions],
        "detractor": scores.is_detractor[positions],
    })
    grouped = pairs.groupby(["period", "theme_id"]).agg(
        n_comments=("has_nps", "size"), n_nps=("has_nps", "sum"),
        promoters=("promoter", "sum"), detractors=("detractor", "sum"),
    )
    full_range = pd.period_range(periods[dated].min(), periods[dated].max(), freq=periods.dt.freq)
    full_index = pd.MultiIndex.from_product([full_range, labels.index], names=["period", "theme_id"])
    return grouped.reindex(full_index, fill_value=0).astype("int64").reset_index()


def _emerging(counts: pd.DataFrame) -> pd.Series:
    ordered = counts.sort_values(["theme_id", "period"])
    previous = ordered.groupby("theme_id")["n_comments"].shift(1)
    current = ordered["n_comments"]
    grew = previous.notna() & (current > previous * (1 + EMERGING_MIN_GROWTH))
    return (grew & (current >= EMERGING_MIN_COMMENTS)).reindex(counts.index).astype(bool)


def _trend_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["column_descriptions"] = {
        "theme_id": COLUMN_DESCRIPTIONS["theme_id"],
        "label": COLUMN_DESCRIPTIONS["label"],
        **TREND_DESCRIPTIONS,
    }
    return frame
