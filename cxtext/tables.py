"""The result tables built from the themed records: themes.csv and drivers.csv.

``theme_table``     one row per theme: label, keywords, size and share counted on the rows, parent theme,
                    origin (taxonomy or discovered), tentative
``theme_labels``    each row's primary theme label (the special groups named)
``drivers_for``     the theme-driver table at the pipeline's level (theme or parent), with the social
                    columns when the comments are annotated; ``at_parent_level`` and ``empty_drivers``

Shared by :func:`cxtext.analysis.finish_analysis` (both engines) and the theme edits of
:class:`cxtext.analysis.Analysis`. May import ``cxtext.schema``, ``cxtext.pipeline`` (the
configuration), ``cxtext.themes``, ``cxtext.drivers`` and ``cxtext.social``; never the faces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxtext.pipeline import PipelineConfig
from cxtext.schema import NO_COMMENT, NO_COMMENT_LABEL, NOT_THEMED, UNTHEMED, UNTHEMED_LABEL, ScoreScale


def theme_table(records: pd.DataFrame, theme_model: Any, n_parents: int | None = None) -> pd.DataFrame:
    """themes.csv: labels and keywords from the model, sizes counted on the rows.

    ``size`` counts every row whose primary theme it is (folded duplicates
    included); ``share`` is size over all themed rows (0-1). A theme of size 0 is
    left out, unless a taxonomy's or, when themes are learnt from mentions, in some row's ``theme_ids``. ``parent_id`` /
    ``parent_label``: the theme's parent theme (:class:`cxtext.themes.hierarchy.ThemeHierarchy`
    with ``n_parents``; ``None`` = automatic; a taxonomy theme's own ``parent`` when its file gives one).
    ``origin``: "taxonomy" (a theme of the team's taxonomy, listed even with
    size 0) or "discovered". ``tentative``: the theme was built from few
    comments (``theme_model.tentative_``; fewer than
    :data:`cxtext.themes.TENTATIVE_SIZE` without it): shown, not to be leant on alone.
    """
    columns = ["theme_id", "label", "keywords", "size", "share", "languages", "quotes", "parent_id", "parent_label",
               "origin", "tentative"]
    if theme_model is None or not len(getattr(theme_model, "themes_", [])):
        return pd.DataFrame(columns=columns)
    themes = theme_model.themes_[["theme_id", "label", "keywords", "languages", "quotes"]].copy()
    counts = records.loc[records["theme_id"] >= 0, "theme_id"].value_counts()
    themed_total = int(counts.sum())
    themes["size"] = [int(counts.get(t, 0)) for t in themes["theme_id"]]
    themes["share"] = [round(s / themed_total, 4) if themed_total else 0.0 for s in themes["size"]]
    origins = theme_model.origins() if hasattr(theme_model, "origins") else {}
    themes["origin"] = [origins.get(int(t), "discovered") for t in themes["theme_id"]]
    themes["tentative"] = _tentative(themes, theme_model)
    # a taxonomy theme nobody mentioned is news too: it stays listed with size 0
    keep = (themes["size"] > 0) | (themes["origin"] == "taxonomy")
    if getattr(theme_model, "themed_unit_", "comment") == "mention":
        # themes of mentions (themes.mentions): a theme no comment has as its primary one is still the
        # theme of some comments' other mentions, and a driver of theirs (theme_ids)
        mentioned = {int(t) for ids in records["theme_ids"] for t in str(ids).split(";") if t not in ("", "nan")}
        keep = keep | themes["theme_id"].isin(mentioned)
    themes = themes[keep] if themed_total else themes
    themes = themes.sort_values(["size", "theme_id"], ascending=[False, True]).reset_index(drop=True)
    themes = _with_parents(themes, theme_model, n_parents)
    if hasattr(theme_model, "taxonomy_parents"):
        themes = _taxonomy_parents(themes, theme_model.taxonomy_parents())
    return themes[columns]


def _tentative(themes: pd.DataFrame, theme_model: Any) -> list[bool]:
    from cxtext.themes import TENTATIVE_SIZE

    tentative = getattr(theme_model, "tentative_", None)
    if tentative is None:
        return [int(size) < TENTATIVE_SIZE for size in themes["size"]]
    return [int(t) in tentative for t in themes["theme_id"]]


def _taxonomy_parents(themes: pd.DataFrame, parent_names: dict[int, str]) -> pd.DataFrame:
    """Taxonomy themes with a ``parent`` get it as ``parent_label``, with ids after the automatic parents'."""
    if not parent_names:
        return themes
    themes = themes.copy()
    used = [int(p) for p in themes["parent_id"].dropna()]
    first = max(used, default=-1) + 1
    names = list(dict.fromkeys(parent_names[t] for t in themes["theme_id"] if int(t) in parent_names))
    id_of = {name: first + i for i, name in enumerate(names)}
    for i, t in enumerate(themes["theme_id"]):
        name = parent_names.get(int(t))
        if name:
            themes.loc[i, "parent_id"] = id_of[name]
            themes.loc[i, "parent_label"] = name
    return themes


def _with_parents(themes: pd.DataFrame, theme_model: Any, n_parents: int | None) -> pd.DataFrame:
    from cxtext.themes.hierarchy import ThemeHierarchy

    row_of = {int(t): i for i, t in enumerate(theme_model.themes_["theme_id"])}
    centroids = np.asarray(theme_model.centroids_)[[row_of[int(t)] for t in themes["theme_id"]]] \
        if len(themes) else np.zeros((0, 1))
    if n_parents is not None:
        n_parents = min(int(n_parents), len(themes))  # an edit may leave fewer themes than asked for
    hierarchy = ThemeHierarchy(n_parents=n_parents or None).fit(themes, centroids)
    return themes.merge(hierarchy.parents_, on="theme_id", how="left")


def theme_labels(theme_ids: pd.Series, themes: pd.DataFrame) -> list[str]:
    """Each row's primary theme label; unthemed and 'no comment' rows get their group's name, rejected rows ''."""
    labels = dict(zip(themes["theme_id"], themes["label"]))
    special = {UNTHEMED: UNTHEMED_LABEL, NO_COMMENT: NO_COMMENT_LABEL, NOT_THEMED: ""}
    return [labels.get(int(t), special.get(int(t), UNTHEMED_LABEL)) for t in theme_ids]


def drivers_for(records: pd.DataFrame, themes: pd.DataFrame, config: PipelineConfig,
                scale: ScoreScale | None) -> pd.DataFrame:
    """The driver table at ``config``'s ``drivers.level``, plus the social columns when annotated."""
    from cxtext.drivers import driver_table

    if themes.empty:
        return empty_drivers()
    min_test_size = config.params["drivers"]["min_test_size"]
    if config.params["drivers"]["level"] == "parent":
        records, themes = at_parent_level(records, themes)
    table = driver_table(records, themes[["theme_id", "label"]], ces_scale=scale, min_test_size=min_test_size)
    if "sentiment" in records.columns:
        from cxtext.social import add_social_columns

        table = add_social_columns(table, records, themes[["theme_id", "label"]], min_test_size)
    from cxtext.drivers.outcome import rank_by_outcome

    # the social stage ranks a file without NPS or rating by sentiment; a CSAT or CES it has comes first
    return rank_by_outcome(table)


def at_parent_level(records: pd.DataFrame, themes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records and themes with every theme replaced by its parent (``theme_id`` := ``parent_id``).

    Used for the parent-level driver table (``drivers.level: parent``,
    ``--level parent``): same columns, one row per parent theme.
    """
    parent_of = {int(t): int(p) for t, p in zip(themes["theme_id"], themes["parent_id"])}
    records = records.copy()
    records["theme_id"] = [parent_of.get(int(t), int(t)) if int(t) >= 0 else int(t) for t in records["theme_id"]]
    records["theme_ids"] = [";".join(dict.fromkeys(str(parent_of.get(int(t), int(t))) for t in str(ids).split(";")))
                            if ids else ids for ids in records["theme_ids"]]
    parents = (themes[["parent_id", "parent_label"]].drop_duplicates("parent_id")
               .rename(columns={"parent_id": "theme_id", "parent_label": "label"}))
    return records, parents.reset_index(drop=True)


def empty_drivers() -> pd.DataFrame:
    """The driver table of an analysis without themes (or without the drivers stage): no row, the columns of
    :data:`cxtext.drivers.columns.DRIVER_COLUMNS` with their descriptions."""
    from cxtext.drivers.columns import DRIVER_COLUMNS
    from cxtext.drivers.table import described_columns

    table = pd.DataFrame(columns=list(DRIVER_COLUMNS))
    table.attrs["column_descriptions"] = described_columns(DRIVER_COLUMNS, 10)
    return table
