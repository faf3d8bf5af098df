"""cxtext.themes.hierarchy.ThemeHierarchy: parent themes from theme centroids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.errors import ValidationError
from cxtext.themes.hierarchy import PARENT_COLUMNS, ThemeHierarchy


def _themes(groups: dict[str, list[str]], seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Themes in well-separated groups: each group's centroids scatter around one direction."""
    rng = np.random.default_rng(seed)
    rows, vectors = [], []
    for g, (group, keyword_lists) in enumerate(groups.items()):
        direction = np.eye(16)[g] * 3
        for i, keywords in enumerate(keyword_lists):
            rows.append({"theme_id": len(rows), "label": keywords.split(";")[0], "keywords": keywords,
                         "size": 50 - 5 * i})
            vectors.append(direction + rng.normal(0, 0.3, 16))
    return pd.DataFrame(rows), np.asarray(vectors)


GROUPS = {
    "billing": ["double charge; bill; card", "bill; refund; invoice", "extra fee; bill", "card; charge"],
    "app": ["app; crash; update", "login; app", "app; slow; freeze", "update; app; bug"],
    "support": ["hold; call; wait", "agent; call", "support; chat; wait", "call; queue"],
}


def test_parents_recover_the_groups_and_read_well():
    themes, centroids = _themes(GROUPS)
    hierarchy = ThemeHierarchy(n_parents=3).fit(themes, centroids)
    parents = hierarchy.parents_.set_index("theme_id")["parent_id"]
    for start in (0, 4, 8):
        assert parents.loc[start:start + 3].nunique() == 1
    assert parents.nunique() == 3
    assert parents.loc[0] == 0  # ids follow the largest themes
    labels = dict(zip(hierarchy.parents_["parent_id"], hierarchy.parents_["parent_label"]))
    assert labels[parents.loc[0]] == "bill · card"  # bill 50/2+45+40/2=90, card 50/3+35=51.7, double charge 50
    assert labels[parents.loc[4]] == "app · update"
    table = hierarchy.parent_table_
    assert list(table.columns) == PARENT_COLUMNS
    assert table["size"].sum() == themes["size"].sum() and table["n_themes"].tolist() == [4, 4, 4]
    assert table.loc[0, "theme_ids"] == "0;1;2;3"


def test_automatic_count_is_the_square_root_rule_and_deterministic():
    groups = {f"g{g}": [f"k{g}{i}; w{g}" for i in range(4)] for g in range(4)}  # 16 themes -> 4 parents
    themes, centroids = _themes(groups)
    first = ThemeHierarchy().fit(themes, centroids)
    assert first.n_parents_ == 4 and first.silhouette_ > 0.5
    again = ThemeHierarchy().fit(themes, centroids)
    pd.testing.assert_frame_equal(first.parents_, again.parents_)


def test_few_themes_are_their_own_parents_and_bad_params_are_named():
    themes, centroids = _themes({"a": ["x; y", "y; z"], "b": ["p; q"]})
    hierarchy = ThemeHierarchy().fit(themes, centroids)
    assert hierarchy.parents_["parent_id"].tolist() == [0, 1, 2]
    assert ThemeHierarchy(n_parents=1).fit(themes, centroids).parent_table_.loc[0, "n_themes"] == 3
    with pytest.raises(ValidationError, match="more than the 3 themes"):
        ThemeHierarchy(n_parents=5).fit(themes, centroids)
    with pytest.raises(ValidationError, match="'n_parents' parameter must be an int >= 1"):
        ThemeHierarchy(n_parents=0).fit(themes, centroids)
    with pytest.raises(ValidationError, match="one row per theme"):
        ThemeHierarchy().fit(themes, centroids[:2])
    empty = ThemeHierarchy().fit(themes.iloc[:0], centroids[:0])
    assert empty.n_parents_ == 0 and empty.parent_table_.empty
