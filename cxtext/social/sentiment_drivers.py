"""Sentiment as the score of score-less feedback: per theme ``negative_share``, ``net_sentiment`` and
``sentiment_impact`` (with its CI), computed exactly like ``nps_impact`` in :mod:`cxtext.drivers` with
positive / neutral / negative in the roles of promoter / passive / detractor, plus ``competitor_share``.
:func:`add_social_columns` joins them to a driver table and, when no row has an NPS or a rating, ranks
themes by sentiment drag. :func:`sentiment_nps_agreement`: how well sentiment agrees with the NPS
category on rows that have both.

Net sentiment is in points (-100..100): % positive - % negative among the theme's comments that have a
sentiment. ``sentiment_impact`` = overall net sentiment - net sentiment of every sentiment-bearing
comment not in the theme; negative means the theme pulls overall sentiment down.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import ValidationError

SOCIAL_COLUMNS: tuple[str, ...] = (
    "n_sentiment", "negative_share", "neutral_share", "positive_share", "net_sentiment",
    "net_sentiment_ci_low", "net_sentiment_ci_high", "sentiment_impact", "sentiment_impact_se",
    "sentiment_impact_ci_low", "sentiment_impact_ci_high", "sentiment_priority", "competitor_share",
)
SOCIAL_DESCRIPTIONS: dict[str, str] = {
    "n_sentiment": "Comments in the theme with a sentiment (every analysed comment, scored or not).",
    "negative_share": "Fraction (0-1) of the theme's comments whose sentiment is negative.",
    "neutral_share": "Fraction (0-1) of the theme's comments whose sentiment is neutral.",
    "positive_share": "Fraction (0-1) of the theme's comments whose sentiment is positive.",
    "net_sentiment": "% positive minus % negative comments in the theme, in points (-100 to 100).",
    "net_sentiment_ci_low": "Lower end of the 95% confidence interval of net_sentiment, in points.",
    "net_sentiment_ci_high": "Upper end of the 95% confidence interval of net_sentiment, in points.",
    "sentiment_impact": "Overall net sentiment minus the net sentiment of comments not in the theme, in points; negative means the theme pulls overall sentiment down.",
    "sentiment_impact_se": "Standard error of sentiment_impact in points.",
    "sentiment_impact_ci_low": "Lower end of the 95% confidence interval of sentiment_impact, in points.",
    "sentiment_impact_ci_high": "Upper end of the 95% confidence interval of sentiment_impact, in points; below 0 means the drag is statistically clear.",
    "sentiment_priority": "Sentiment drag that holds with 95% confidence (minus sentiment_impact_ci_high), in points; higher is more urgent. Used as priority when no row has an NPS.",
    "competitor_share": "Fraction (0-1) of the theme's comments that name a competitor (empty when no competitor list was given).",
}


def _sentiment_counts(mask: np.ndarray, sentiment: np.ndarray):
    from cxtext.metrics import nps_from_counts

    positive = int((mask & (sentiment == "positive")).sum())
    neutral = int((mask & (sentiment == "neutral")).sum())
    negative = int((mask & (sentiment == "negative")).sum())
    # positive/neutral/negative play promoter/passive/detractor: net sentiment is an NPS of sentiments
    return nps_from_counts(positive, neutral, negative)


def social_driver_columns(records: pd.DataFrame, themes: pd.DataFrame, min_test_size: int = 10) -> pd.DataFrame:
    """Per theme (``theme_id`` plus :data:`SOCIAL_COLUMNS`), from ``records["sentiment"]``.

    Membership follows :func:`cxtext.drivers.theme_membership` (primary
    ``theme_id`` and every id in ``theme_ids``). The rest of a theme is every
    row with a sentiment that is not in it, themed or not. Intervals need
    ``min_test_size`` comments in the theme, else NaN (as in the driver
    table). ``competitor_share`` needs a ``competitors`` column.
    """
    from cxtext.drivers import check_min_test_size, nps_impact, theme_labels, theme_membership
    from cxtext.metrics import Z_95

    check_min_test_size(min_test_size)
    if "sentiment" not in records.columns:
        raise ValidationError("records have no 'sentiment' column; run annotate_records first.")
    labels = theme_labels(records, themes)
    membership = theme_membership(records, labels.index)
    sentiment = records["sentiment"].astype("string").fillna("").to_numpy(dtype=object)
    has_sentiment = np.isin(sentiment, ("negative", "neutral", "positive"))
    overall = _sentiment_counts(has_sentiment, sentiment)
    mentions = None
    if "competitors" in records.columns:
        mentions = records["competitors"].astype("string").fillna("").str.strip().ne("").to_numpy(dtype=bool)
    rows = []
    for theme_id in labels.index:
        member = membership[theme_id].to_numpy()
        theme = _sentiment_counts(member & has_sentiment, sentiment)
        rest = _sentiment_counts(~member & has_sentiment, sentiment)
        impact, impact_se = nps_impact(theme, rest, overall)
        testable = theme.n >= min_test_size
        ci_high = impact + Z_95 * impact_se if testable else math.nan
        n_member = int(member.sum())
        rows.append({
            "theme_id": int(theme_id),
            "n_sentiment": theme.n,
            "negative_share": theme.detractor_share,
            "neutral_share": theme.passive_share,
            "positive_share": theme.promoter_share,
            "net_sentiment": theme.nps,
            "net_sentiment_ci_low": theme.ci_low if testable else math.nan,
            "net_sentiment_ci_high": theme.ci_high if testable else math.nan,
            "sentiment_impact": impact,
            "sentiment_impact_se": impact_se if testable else math.nan,
            "sentiment_impact_ci_low": impact - Z_95 * impact_se if testable else math.nan,
            "sentiment_impact_ci_high": ci_high,
            "sentiment_priority": -ci_high,
            "competitor_share": (float(mentions[member].mean()) if mentions is not None and n_member
                                 else math.nan),
        })
    table = pd.DataFrame(rows, columns=["theme_id", *SOCIAL_COLUMNS])
    table["theme_id"] = table["theme_id"].astype("int64")
    table["n_sentiment"] = table["n_sentiment"].astype("int64")
    table.attrs["column_descriptions"] = dict(SOCIAL_DESCRIPTIONS)
    return table


def add_social_columns(drivers: pd.DataFrame, records: pd.DataFrame, themes: pd.DataFrame,
                       min_test_size: int = 10) -> pd.DataFrame:
    """The driver table with :data:`SOCIAL_COLUMNS` appended (joined on ``theme_id``).

    When no theme has an NPS or rating respondent (a social-only dump), ``priority``
    becomes ``sentiment_priority`` and the table is re-sorted and re-ranked the
    way :func:`cxtext.drivers.driver_table` ranks by NPS drag; otherwise the
    NPS ranking is kept. ``attrs`` are kept, with the new descriptions added
    and ``attrs["priority_basis"]`` = ``"nps"``, ``"rating"`` (no NPS, ranked by rating drag)
    or ``"sentiment"``.
    """
    from cxtext.drivers import sort_and_rank

    social = social_driver_columns(records, themes, min_test_size)
    attrs = dict(drivers.attrs)
    table = drivers.drop(columns=[c for c in SOCIAL_COLUMNS if c in drivers.columns])
    table = table.merge(social, on="theme_id", how="left")
    has_nps = "n_nps" in table.columns and bool((table["n_nps"].fillna(0) > 0).any())
    has_rating = "n_rating" in table.columns and bool((table["n_rating"].fillna(0) > 0).any())
    by_sentiment = not has_nps and not has_rating
    if by_sentiment and len(table) and {"priority", "rank"} <= set(table.columns):
        table["priority"] = table["sentiment_priority"]
        table = sort_and_rank(table, "sentiment_impact")
    descriptions = dict(attrs.get("column_descriptions", {}))
    descriptions.update(SOCIAL_DESCRIPTIONS)
    if by_sentiment:
        descriptions["priority"] = ("How urgent the theme is: no row has an NPS or a rating, so this is the "
                                    "sentiment drag in points that holds with 95% confidence (sentiment_priority); "
                                    "higher is more urgent.")
    attrs.update(column_descriptions=descriptions,
                 priority_basis="nps" if has_nps else "rating" if has_rating else "sentiment")
    table.attrs = attrs
    return table


def competitor_counts(records: pd.DataFrame, column: str = "competitors") -> dict[str, int]:
    """Competitor name -> analysed comments naming it (each comment counts a name once), most named first.

    ``records[column]`` holds names joined by ``"; "`` (as written by
    :func:`annotate_records`); rejected rows are left out. Empty when the
    column is missing or no comment names a competitor.
    """
    from cxtext.social.competitors import split_names

    if column not in records.columns:
        return {}
    cells = records[column]
    if "status" in records.columns:
        cells = cells[records["status"] == "analyzed"]
    counts: dict[str, int] = {}
    for cell in cells:
        for name in dict.fromkeys(split_names(cell)):
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# --------------------------------------------------------------------------- agreement with NPS

_CATEGORY_OF_SENTIMENT = {"negative": "detractor", "neutral": "passive", "positive": "promoter"}


def sentiment_nps_agreement(records: pd.DataFrame) -> dict[str, Any]:
    """How well ``sentiment`` agrees with the NPS category on rows that have both.

    negative <-> detractor (0-6), neutral <-> passive (7-8), positive <->
    promoter (9-10). Returns ``n``, ``accuracy`` (0-1), Cohen's ``kappa``
    (chance-corrected, -1..1), ``detractor_recall`` (share of detractors
    whose comment reads negative), ``spearman`` between ``sentiment_score`` and
    the 0-10 score, and ``confusion`` (nested dict NPS category -> sentiment ->
    count). Values are None when fewer than 2 rows have both.
    """
    from scipy import stats
    from sklearn.metrics import cohen_kappa_score

    from cxtext.drivers import usable_scores
    from cxtext.metrics import nps_class

    empty = {"n": 0, "accuracy": None, "kappa": None, "detractor_recall": None, "spearman": None, "confusion": {}}
    if "sentiment" not in records.columns:
        return empty
    scores = usable_scores(records).nps
    sentiment = records["sentiment"].astype("string")
    both = ~np.isnan(scores) & sentiment.isin(list(_CATEGORY_OF_SENTIMENT)).fillna(False).to_numpy(dtype=bool)
    n = int(both.sum())
    if n < 2:
        return {**empty, "n": n}
    category = nps_class(pd.Series(scores[both])).astype(str).to_numpy()
    predicted = sentiment.to_numpy(dtype=object)[both].astype(str)
    mapped = np.array([_CATEGORY_OF_SENTIMENT[s] for s in predicted])
    order = ["detractor", "passive", "promoter"]
    kappa = cohen_kappa_score(category, mapped, labels=order)
    detractors = category == "detractor"
    spearman = math.nan
    if "sentiment_score" in records.columns:
        score = pd.to_numeric(records["sentiment_score"], errors="coerce").to_numpy(dtype=float)[both]
        if np.nanstd(score) > 0 and np.std(scores[both]) > 0:
            spearman = float(stats.spearmanr(score, scores[both], nan_policy="omit").statistic)
    confusion = {c: {s: int(((category == c) & (predicted == s)).sum()) for s in _CATEGORY_OF_SENTIMENT}
                 for c in order}
    return {
        "n": n,
        "accuracy": round(float(np.mean(mapped == category)), 4),
        "kappa": None if math.isnan(kappa) else round(float(kappa), 4),
        "detractor_recall": round(float(np.mean(predicted[detractors] == "negative")), 4) if detractors.any() else None,
        "spearman": None if math.isnan(spearman) else round(spearman, 4),
        "confusion": confusion,
    }


# --------------------------------------------------------------------------- activity
