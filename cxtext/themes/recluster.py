"""Steps 2-4c of :mod:`cxtext.themes.steps` that cluster again: UMAP + HDBSCAN (:func:`reduce_and_cluster`), the
catch-all themes dissolved and re-clustered (steps 4b-4c, :func:`dissolve_diffuse`), and a theme holding most
comments of a large corpus clustered again on its own (:func:`split_dominant`).

Imports :mod:`cxtext.themes.reduce`, :mod:`cxtext.themes.cluster` and :mod:`cxtext.themes.geometry`; used by
:mod:`cxtext.themes.steps` only. Functions take the :class:`~cxtext.themes.ThemeModel` being fitted (its
parameters and the fitted ``min_theme_size_``, ``seed_``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cxtext.themes.cluster import Clusterer
from cxtext.themes.geometry import theme_coherence
from cxtext.themes.reduce import Reducer

#: Fewer themes than this and no theme is judged diffuse: the spread of
#: coherence needs a few themes to be estimated.
_MIN_THEMES_FOR_DIFFUSE = 8
# A dissolved theme is clustered again on its own only when it could hold a few themes.
_RECLUSTER_MIN_SIZES = 4
#: HDBSCAN's themes are replaced by the small-corpus rule's when one holds more than this share of the
#: comments (a rule, not a tuned number: a theme of most comments names nothing) ...
DOMINANT_THEME_SHARE = 0.5
#: ... in a corpus of at most this many distinct comments (the rule's all-pairs cosines: 3,000 x 3,000).
DOMINANT_FALLBACK_MAX = 3000


def largest_share(core: np.ndarray, weights: np.ndarray) -> float:
    """The largest theme's share of all comments (copies counted; noise counted in the total)."""
    if not (core >= 0).any():
        return 0.0
    return float(np.bincount(core[core >= 0], weights=weights[core >= 0]).max() / weights.sum())


def dissolve_diffuse(model, E: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Step 4b: a theme far less coherent than the others is a catch-all; its
    comments become noise (then step 6 may still place them one by one).
    Step 4c: a big catch-all is clustered again and its coherent parts kept."""
    model.n_dissolved_ = 0
    model.n_reclustered_ = 0
    k = int(core.max()) + 1 if (core >= 0).any() else 0
    if model.min_relative_coherence is None or k < _MIN_THEMES_FOR_DIFFUSE:
        return core
    coherence = theme_coherence(E, core, k)
    floor = float(model.min_relative_coherence) * float(np.median(coherence))
    diffuse = coherence < floor
    if not diffuse.any() or diffuse.all():
        return core
    model.n_dissolved_ = int(diffuse.sum())
    labels = np.where(np.isin(core, np.flatnonzero(diffuse)), -1, core).astype(np.int64)
    # 4c: a big catch-all often holds real themes the first pass could not
    # separate from each other (e.g. every Romanian product review in one).
    next_id = k
    for c in np.flatnonzero(diffuse):
        members = np.flatnonzero(core == c)
        if members.size < _RECLUSTER_MIN_SIZES * int(model.min_theme_size_):
            continue
        parts = reduce_and_cluster(model, E[members], int(model.min_theme_size_), model.seed_)[0]
        found = parts >= 0
        labels[members[found]] = next_id + parts[found]
        next_id += int(parts.max()) + 1 if found.any() else 0
    if next_id > k:  # keep the parts as coherent as a real theme, by the first pass's median
        part_coherence = theme_coherence(E, np.where(labels >= k, labels - k, -1), next_id - k)
        labels[np.isin(labels, k + np.flatnonzero(part_coherence < floor))] = -1
    kept = sorted(int(c) for c in np.unique(labels) if c >= 0)
    model.n_reclustered_ = sum(1 for c in kept if c >= k)
    remap = np.full(next_id, -1, dtype=np.int64)
    remap[kept] = np.arange(len(kept))
    return np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)


#: At most this many times the largest theme is clustered again on its own (each pass: a UMAP and an HDBSCAN fit
#: of its members).
DOMINANT_SPLIT_ROUNDS = 3


def split_dominant(model, E: np.ndarray, core: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, int]:
    """A theme holding most comments of a large corpus is clustered again on its own (its members' own UMAP and
    HDBSCAN at the same theme size), its parts taking its place, while one holds more than DOMINANT_THEME_SHARE.

    (10,480 Indonesian Google Play reviews of a game: two themes, one of 98% of the comments with every one-star
    review in it; the small-corpus fallback's all-pairs cosines do not fit such a corpus.) Returns the labels
    and how many passes split something.
    """
    core = core.copy()
    rounds = 0
    for _ in range(DOMINANT_SPLIT_ROUNDS):
        if largest_share(core, weights) <= DOMINANT_THEME_SHARE:
            break
        biggest = int(np.bincount(core[core >= 0], weights=weights[core >= 0]).argmax())
        members = np.flatnonzero(core == biggest)
        parts = reduce_and_cluster(model, E[members], int(model.min_theme_size_), model.seed_)[0]
        if int(parts.max()) < 1:  # one part or none: the theme does not split
            break
        next_id = int(core.max()) + 1
        core[members] = np.where(parts >= 0, next_id + parts, -1)
        kept = sorted(int(c) for c in np.unique(core) if c >= 0)
        remap = np.full(int(core.max()) + 1, -1, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        core = np.where(core >= 0, remap[np.maximum(core, 0)], -1).astype(np.int64)
        rounds += 1
    return core, rounds


def reduce_and_cluster(model, E: np.ndarray, min_cluster_size: int | None, seed: int,
                       report: Callable[[str], None] | None = None) -> tuple[np.ndarray, Any, Any]:
    """Steps 2-3 on ``E``: HDBSCAN labels (-1 = noise) of its reduced rows,
    with the fitted Reducer and Clusterer."""
    if report is not None:
        report("reduce")
    reducer = Reducer(model.reduction, model.n_components, model.n_neighbors, "cosine", seed)
    Z = reducer.fit_transform(E)
    if report is not None:
        report("cluster")
    clusterer = Clusterer(min_cluster_size=min_cluster_size, min_samples=model.min_samples, reassign_quantile=None,
                          random_state=seed)
    return clusterer.fit(Z).raw_labels_.astype(np.int64), reducer, clusterer
