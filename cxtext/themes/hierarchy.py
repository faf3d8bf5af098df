"""Parent themes: group fitted themes into a handful of broader ones.

:class:`ThemeHierarchy` clusters the theme centroids (average-linkage
agglomerative clustering on cosine distance, weighted by nothing but the
centroids themselves, so a big theme does not swallow its neighbours) into
parent themes.

How many parents (``n_parents=None``): the count in ``2 .. max_parents``
(default 12, never more than half the themes) with the best silhouette of
the centroids, cosine distance. A team that wants a fixed number passes
``n_parents``. With fewer than 4 themes every theme is its own parent.

Parent labels are readable keyphrases like theme labels: the member themes'
keywords are pooled, each keyword weighted by its rank in its theme
(``1 / (rank + 1)``) times that theme's size, and the two best distinct
keywords make the label (``"bill · card"``); ``keywords_`` holds the top 10.

Input and output are plain frames: ``fit(themes, centroids)`` takes the
``themes.csv`` table (``theme_id``, ``label``, ``keywords`` "; "-joined,
``size``) and the centroid matrix in the same row order; ``parents_`` is a
frame ``theme_id, parent_id, parent_label`` and ``parent_table_`` one row
per parent (``parent_id``, ``parent_label``, ``keywords``, ``size``,
``n_themes``, ``theme_ids``).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from cxtext.errors import NotFittedError, ValidationError

__all__ = ["ThemeHierarchy", "PARENT_COLUMNS"]

PARENT_COLUMNS = ["parent_id", "parent_label", "keywords", "size", "n_themes", "theme_ids"]
_N_KEYWORDS = 10
_MIN_THEMES = 4


class ThemeHierarchy:
    """Group themes into parent themes by their centroids.

    Parameters
    ----------
    n_parents : int >= 1 or None
        Number of parent themes; ``None``: ``round(sqrt(n_themes))`` (module docstring).
    max_parents : int >= 2
        Upper bound of the automatic choice.
    random_state : int
        Unused by the (deterministic) clustering; kept for the common API.

    Fitted attributes
    -----------------
    n_parents_ : int
    silhouette_ : float or NaN, of the chosen partition (NaN when not computed).
    parents_ : DataFrame [theme_id, parent_id, parent_label], one row per theme.
    parent_table_ : DataFrame with :data:`PARENT_COLUMNS`, parents by size.
    """

    def __init__(self, n_parents: int | None = None, max_parents: int = 12, random_state: int = 0) -> None:
        self.n_parents = n_parents
        self.max_parents = max_parents
        self.random_state = random_state

    def _validate(self, n_themes: int) -> None:
        if self.n_parents is not None and (isinstance(self.n_parents, bool)
                                           or not isinstance(self.n_parents, numbers.Integral)
                                           or self.n_parents < 1):
            raise ValidationError(f"The 'n_parents' parameter must be an int >= 1 or None. Got {self.n_parents!r} "
                                  "instead.")
        if self.n_parents is not None and self.n_parents > max(n_themes, 1):
            raise ValidationError(f"--parents {self.n_parents} is more than the {n_themes} themes found; "
                                  f"pass at most {n_themes}.")
        if isinstance(self.max_parents, bool) or not isinstance(self.max_parents, numbers.Integral) \
                or self.max_parents < 2:
            raise ValidationError(f"The 'max_parents' parameter must be an int >= 2. Got {self.max_parents!r} instead.")

    def fit(self, themes: pd.DataFrame, centroids: np.ndarray) -> "ThemeHierarchy":
        missing = {"theme_id", "label", "keywords", "size"} - set(themes.columns)
        if missing:
            raise ValidationError(f"themes needs the columns {sorted(missing)} (as in themes.csv).")
        vectors = np.asarray(centroids, dtype=np.float64)
        if vectors.ndim != 2 or len(vectors) != len(themes):
            raise ValidationError(f"centroids must have one row per theme ({len(themes)}); got shape {vectors.shape}.")
        n_themes = len(themes)
        self._validate(n_themes)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        assignment, self.silhouette_ = self._cluster(vectors)
        self.n_parents_ = int(assignment.max()) + 1 if n_themes else 0
        self._describe(themes.reset_index(drop=True), assignment)
        return self

    def _cluster(self, vectors: np.ndarray) -> tuple[np.ndarray, float]:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.metrics import silhouette_score

        n_themes = len(vectors)
        if n_themes == 0:
            return np.zeros(0, dtype=int), float("nan")
        if self.n_parents is None and n_themes < _MIN_THEMES:
            return np.arange(n_themes), float("nan")
        k = int(self.n_parents) if self.n_parents is not None else \
            int(min(max(round(np.sqrt(n_themes)), 2), int(self.max_parents)))
        if k == 1 or k >= n_themes:
            labels = np.zeros(n_themes, dtype=int) if k == 1 else np.arange(n_themes)
            return _renumber_by_first_theme(labels), float("nan")
        # Ward on unit vectors: squared euclidean distance is 2 - 2 cos
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(vectors)
        score = float(silhouette_score(vectors, labels, metric="cosine"))
        return _renumber_by_first_theme(labels), score

    def _describe(self, themes: pd.DataFrame, assignment: np.ndarray) -> None:
        rows, labels_of_parent = [], {}
        for parent in range(self.n_parents_):
            members = themes[assignment == parent]
            keywords = _pooled_keywords(members)
            label = _label_from(keywords, fallback=str(members.sort_values("size", ascending=False)["label"].iloc[0]))
            labels_of_parent[parent] = label
            rows.append({"parent_id": parent, "parent_label": label, "keywords": "; ".join(keywords),
                         "size": int(members["size"].sum()), "n_themes": len(members),
                         "theme_ids": ";".join(map(str, members["theme_id"].astype(int)))})
        table = pd.DataFrame(rows, columns=PARENT_COLUMNS)
        self.parent_table_ = table.sort_values(["size", "parent_id"], ascending=[False, True]).reset_index(drop=True)
        self.parents_ = pd.DataFrame({
            "theme_id": themes["theme_id"].astype(int).to_numpy(),
            "parent_id": assignment.astype(int),
            "parent_label": [labels_of_parent[p] for p in assignment],
        })

    def check_fitted(self) -> None:
        if not hasattr(self, "parents_"):
            raise NotFittedError("ThemeHierarchy is not fitted yet; call fit(themes, centroids) first.")


def _renumber_by_first_theme(labels: np.ndarray) -> np.ndarray:
    """Parent ids in order of first appearance (themes come largest first), so ids are stable."""
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return np.array([order[int(label)] for label in labels], dtype=int)


def _pooled_keywords(members: pd.DataFrame) -> list[str]:
    weights: dict[str, float] = {}
    for _, theme in members.iterrows():
        terms = [t.strip() for t in str(theme["keywords"]).split(";") if t.strip()]
        for rank, term in enumerate(terms):
            weights[term] = weights.get(term, 0.0) + float(theme["size"]) / (rank + 1)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [term for term, _ in ranked[:_N_KEYWORDS]]


def _label_from(keywords: list[str], fallback: str) -> str:
    chosen: list[str] = []
    for term in keywords:
        # skip a keyword already inside a chosen one ("card" after "credit card")
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == 2:
            break
    return " · ".join(chosen) if chosen else fallback
