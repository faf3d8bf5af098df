"""Driver tables per group (source, segment, month, comment column) and theme volume and NPS per period."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from cxtext.drivers.columns import (
    COLUMN_DESCRIPTIONS,
    DRIVER_COLUMNS,
    EMERGING_MIN_COMMENTS,
    EMERGING_MIN_GROWTH,
    GROUPINGS,
    MISSING_GROUP,
    TREND_DESCRIPTIONS,
)
from cxtext.drivers.membership import check_min_test_size, theme_labels, theme_membership, usable_scores
from cxtext.drivers.respondents import one_per_respondent
from cxtext.drivers.table import ces_scale_label, described_columns, driver_table, overall_row
from cxtext.errors import ValidationError
from cxtext.schema import DEFAULT_CES_SCALE, ScoreScale

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
    check_min_test_size(min_test_size)
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
        column_descriptions={**group_description, **described_columns(DRIVER_COLUMNS, min_test_size)},
        model_notes=notes,
        ces_scale=ces_scale_label(ces_scale or DEFAULT_CES_SCALE, assumed=ces_scale is None),
        min_test_size=min_test_size,
    )
    return result


#: The columns of :func:`score_table_by` after its group column: :func:`overall_row`'s score figures.
SCORE_COLUMNS: tuple[str, ...] = ("n_rows", "n_nps", "nps", "nps_ci_low", "nps_ci_high", "detractor_share",
                                  "passive_share", "promoter_share", "n_ces", "ces_mean", "n_csat", "csat_mean",
                                  "n_rating", "rating_mean")


def score_table_by(records: pd.DataFrame, by: Literal["source", "segment", "month"]) -> pd.DataFrame:
    """NPS (with its 95% CI), CES, CSAT and rating per group, without themes: the breakdown of a score-only
    export. One row per group (``"(missing)"`` last, so no row is lost), a leading ``by`` column, then
    :data:`SCORE_COLUMNS` in :func:`overall_row`'s units; only analysed rows count."""
    groups = _group_keys(records, by)
    frames = [overall_row(records[groups.to_numpy() == group]).assign(**{by: group})
              for group in _ordered_groups(groups)]
    columns = [by, *SCORE_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    descriptions = frames[0].attrs["column_descriptions"]
    result = pd.concat(frames, ignore_index=True)[columns]
    result.attrs["column_descriptions"] = {
        by: f"Group the row belongs to ({by}); '{MISSING_GROUP}' when the value is missing.",
        **{c: descriptions[c] for c in SCORE_COLUMNS if c in descriptions}}
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
    ``emerging``: the theme's share of the period's comments grew by more than
    :data:`EMERGING_MIN_GROWTH` (50 %) versus its share of the previous period,
    and it has at least :data:`EMERGING_MIN_COMMENTS` (5) comments; growth from
    0 counts as growth.
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
    counts = counts.merge(_period_totals(records, periods, dated), on="period", how="left")
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


def _period_totals(records: pd.DataFrame, periods: pd.Series, dated: np.ndarray) -> pd.DataFrame:
    """Per period: the comments of that period (themed or not; non-answers and rejected rows left out)."""
    comment = np.ones(len(records), dtype=bool)
    if "theme_id" in records.columns:
        comment = (pd.to_numeric(records["theme_id"], errors="coerce") >= -1).to_numpy()
    elif "status" in records.columns:
        comment = (records["status"] == "analyzed").to_numpy()
    totals = pd.Series(periods.to_numpy()[dated & comment]).value_counts()
    return pd.DataFrame({"period": totals.index, "period_comments": totals.to_numpy(dtype="int64")})


def _emerging(counts: pd.DataFrame) -> pd.Series:
    """A theme's SHARE of its period's comments grew by more than EMERGING_MIN_GROWTH over the previous
    period's share, with at least EMERGING_MIN_COMMENTS comments: a month when every theme grows because
    more people answered is not news."""
    total = counts["period_comments"].fillna(0).astype(float) if "period_comments" in counts else None
    share = counts["n_comments"] / total.where(total > 0) if total is not None else counts["n_comments"].astype(float)
    ordered = counts.assign(_share=share.fillna(0.0)).sort_values(["theme_id", "period"])
    previous = ordered.groupby("theme_id")["_share"].shift(1)
    current = ordered["_share"]
    grew = previous.notna() & (current > previous * (1 + EMERGING_MIN_GROWTH))
    return (grew & (ordered["n_comments"] >= EMERGING_MIN_COMMENTS)).reindex(counts.index).astype(bool)


def _trend_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["column_descriptions"] = {
        "theme_id": COLUMN_DESCRIPTIONS["theme_id"],
        "label": COLUMN_DESCRIPTIONS["label"],
        **TREND_DESCRIPTIONS,
    }
    return frame


def theme_score_trend(records: pd.DataFrame, themes: pd.DataFrame, column: str, freq: str = "M") -> pd.DataFrame:
    """Mean of a score column (``rating``, ``csat``, ``ces`` or ``sentiment_score``) per theme and period.

    The counterpart of :func:`theme_trend`'s NPS for files judged by another outcome. Only usable scores
    count (``scores_valid``); rows without a date are left out. Columns: ``period``, ``theme_id``,
    ``label``, ``n`` (scored comments in the theme and period) and ``mean`` (NaN when ``n`` is 0).
    """
    columns = ["period", "theme_id", "label", "n", "mean"]
    if "date" not in records.columns or column not in records.columns:
        return pd.DataFrame(columns=columns)
    records = one_per_respondent(records)
    labels = theme_labels(records, themes)
    periods = _periods(records["date"], freq)
    values = pd.to_numeric(records[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if "scores_valid" in records.columns and column != "sentiment_score":
        values = np.where(records["scores_valid"].fillna(False).astype(bool).to_numpy(), values, np.nan)
    usable = periods.notna().to_numpy() & ~np.isnan(values)
    if not usable.any() or labels.empty:
        return pd.DataFrame(columns=columns)
    membership = theme_membership(records, labels.index).to_numpy()
    positions, theme_columns = np.nonzero(membership & usable[:, None])
    pairs = pd.DataFrame({"period": periods.to_numpy()[positions],
                          "theme_id": labels.index.to_numpy()[theme_columns], "value": values[positions]})
    grouped = pairs.groupby(["period", "theme_id"])["value"].agg(n="size", mean="mean").reset_index()
    grouped["label"] = grouped["theme_id"].map(labels).astype(object)
    grouped["period"] = grouped["period"].astype(str)
    grouped["n"] = grouped["n"].astype("int64")
    return grouped[columns].sort_values(["theme_id", "period"]).reset_index(drop=True)
