"""One record per respondent, for figures that must count each person once.

With several comment columns (``Negative_Review`` and ``Positive_Review``)
one input row gives one record per comment, all sharing the row's ``row``
number and scores. NPS, CES, CSAT and ratings are the respondent's, so
metrics and drivers count them once per row: :func:`one_per_respondent`
folds the records of a row into one, whose theme memberships are every theme
any of its comments belongs to. Sentiment and comment kinds stay per comment.
"""

from __future__ import annotations

import pandas as pd


def one_per_respondent(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with one record per ``row``: the first comment's fields, every comment's themes.

    ``theme_ids`` becomes the union (";"-separated, in order) of the row's
    primary and secondary themes, ``theme_id`` the first themed comment's
    primary theme (else the first record's), ``scores_valid`` true when any
    record's is. Returns ``records`` itself when every ``row`` is unique.
    """
    if "row" not in records.columns or records["row"].is_unique:
        return records
    first = records.groupby("row", sort=False).head(1).set_index("row")
    if "scores_valid" in records.columns:
        first["scores_valid"] = records.groupby("row", sort=False)["scores_valid"].any()
    if "theme_id" in records.columns:
        first["theme_id"] = records.groupby("row", sort=False)["theme_id"].agg(_primary)
        first["theme_ids"] = records.groupby("row", sort=False).apply(_all_theme_ids, include_groups=False)
    return first.reset_index()[records.columns]


def _primary(theme_ids: pd.Series) -> int:
    themed = theme_ids[theme_ids >= 0]
    return int(themed.iloc[0]) if len(themed) else int(theme_ids.iloc[0])


def _all_theme_ids(group: pd.DataFrame) -> str:
    ids: list[str] = []
    for primary, listed in zip(group["theme_id"], group.get("theme_ids", [""] * len(group))):
        for token in [str(primary), *str(listed or "").split(";")]:
            token = token.strip()
            if token and token.lstrip("-").isdigit() and int(token) >= 0 and token not in ids:
                ids.append(token)
    return ";".join(ids)
