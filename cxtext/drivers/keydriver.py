"""The key-driver model: a logistic regression of "is a detractor" on every theme's membership at once.

See :mod:`cxtext.drivers.table` for how its odds ratios join the driver table.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
# statsmodels' submodules, not statsmodels.api: the api module imports time
# series, formulas and plotting too (~0.3 s more on every run).
from statsmodels.discrete.discrete_model import Logit
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.tools import add_constant
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from cxtext.drivers.columns import FALLBACK_L2_ALPHA, MODEL_COLUMNS
from cxtext.drivers.membership import UsableScores

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
    empty = pd.DataFrame(np.nan, index=pd.Index(membership.columns, name="theme_id"), columns=list(MODEL_COLUMNS))
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
        empty = pd.DataFrame(np.nan, index=pd.Index([], name="theme_id"), columns=list(MODEL_COLUMNS))
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
    estimates = pd.DataFrame(np.nan, index=pd.Index(theme_ids, name="theme_id"), columns=list(MODEL_COLUMNS))
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
