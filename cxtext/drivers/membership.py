"""Who is in which theme, and whose scores count: the inputs of every driver figure.

May import ``cxtext.errors``, ``cxtext.metrics`` and pandas/numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxtext.errors import ValidationError
from cxtext.metrics import DETRACTOR_MAX, PROMOTER_MIN

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
    seen = member_pairs(records)[1]
    extra = sorted(set(seen.tolist()) - set(labels.index))
    labels = pd.concat([labels, pd.Series([f"theme {i}" for i in extra], index=extra, dtype=object)])
    return labels.sort_index()


def theme_membership(records: pd.DataFrame, theme_ids: Sequence[int]) -> pd.DataFrame:
    """Boolean frame: row position x theme id, True when the row belongs to the theme.

    Membership is ``theme_ids`` (";"-separated) plus the primary ``theme_id``
    when it is >= 0. The index is ``records.index``.
    """
    positions, ids = member_pairs(records)
    columns = pd.Index(list(theme_ids), dtype="int64")
    matrix = np.zeros((len(records), len(columns)), dtype=bool)
    column_of = columns.get_indexer(ids)
    known = column_of >= 0
    matrix[positions[known], column_of[known]] = True
    return pd.DataFrame(matrix, index=records.index, columns=columns)


def member_pairs(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
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


def check_min_test_size(min_test_size: int) -> None:
    if isinstance(min_test_size, bool) or not isinstance(min_test_size, (int, np.integer)) or min_test_size < 1:
        raise ValidationError(f"min_test_size must be a whole number >= 1; got {min_test_size!r}.")
