"""Each comment's nearest comments (:func:`neighbours`), the neighbour vote that finishes a taxonomy
match (:func:`grow_by_votes`) and a theme's nearest comments taken as its examples (:func:`nearest_members`).

:func:`neighbours` serves the matching rule twice: a comment's similarity to a theme is averaged over
its nearest comments of the same discovered cluster, and the vote below asks its nearest comments of
the whole dump.

The matching rule of :mod:`cxtext.themes.taxonomy_match` is strict by design (a comment must reach
its theme's threshold): it rarely pulls other comments in, but it leaves many of a theme's own
comments out, because a theme's comments are spread wider than its few examples. The comments it did
match are mostly right, so they can speak for the rest: a comment most of whose nearest comments in
the dump went to one taxonomy theme is most likely about it too, while a sibling complaint with the
same words, whose comments sit among themselves, gets few votes.

1. *prune*: a matched comment whose own ``n`` nearest comments give its theme less than half of
   ``share`` leaves it (a lone pull-in among other comments); of a theme with fewer members than
   ``n`` + 1 only what its size allows is asked (half of ``share`` times (members - 1) / ``n``): a
   fixed half emptied every theme of fewer than 7 members, as on the bundled sample's "Refund delays"
   (``bench/results/taxonomy_prune_trial.md``);
2. *grow*, ``rounds`` times: an unmatched comment joins the theme that at least ``share`` of its
   ``n`` nearest comments belong to; each round's members vote in the next.

Chosen leave-one-dataset-out in ``bench/taxonomy_lodo.py`` (first tried in
``bench/taxonomy_vote_trial.py``).

Examples that agree more closely than the matcher's cap (as hand-written ones do) sit apart from the
comments; :func:`nearest_members` picks each such theme's most similar comments, among those nearest to
it of all themes, so the matcher can take them as further examples (``TaxonomyMatcher(widen=8)``,
chosen leave one dataset out in ``bench/taxonomy_expand_trial.py``).

This module works on vectors, labels and neighbour indices only;
:class:`cxtext.themes.taxonomy_match.TaxonomyMatcher` calls it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["grow_by_votes", "nearest_members", "neighbours", "vote_shares"]

#: Above this many comments, neighbours are looked for in a seeded sample of this size.
_MAX_REFERENCE = 20_000


def neighbours(X: np.ndarray, k: int, groups: np.ndarray | None = None, max_reference: int = _MAX_REFERENCE,
               seed: int = 0) -> np.ndarray:
    """(n, k) indices of each row's ``k`` nearest rows by cosine, itself first, -1 where there are fewer.

    Rows are unit vectors. With ``groups`` (one id per row, -1: none) the
    neighbours are looked for within the row's own group only, and a row of
    group -1 has none but itself. Above ``max_reference`` rows (in all, or in
    a group) they are looked for in a seeded sample of that many rows.
    """
    n = X.shape[0]
    k = max(1, int(k))
    out = np.full((n, k), -1, dtype=np.int64)
    out[:, 0] = np.arange(n)
    if k == 1 or n == 0:
        return out
    if groups is None:
        members = [np.arange(n)]
    else:
        groups = np.asarray(groups, dtype=np.int64)
        members = [np.flatnonzero(groups == g) for g in np.unique(groups) if g >= 0]
    rng = np.random.default_rng(seed)
    for rows_all in members:
        if rows_all.size < 2:
            continue
        ref = rows_all if rows_all.size <= max_reference else np.sort(rng.choice(rows_all, max_reference,
                                                                                  replace=False))
        take = min(k - 1, ref.size - 1 if ref.size == rows_all.size else ref.size)
        if take <= 0:
            continue
        R = X[ref]
        for start in range(0, rows_all.size, 1024):
            rows = rows_all[start:start + 1024]
            G = X[rows] @ R.T
            G[ref[None, :] == rows[:, None]] = -np.inf  # the row itself is already first
            part = np.argpartition(-G, take - 1, axis=1)[:, :take]
            order = np.argsort(-np.take_along_axis(G, part, axis=1), axis=1)
            out[rows, 1:1 + take] = ref[np.take_along_axis(part, order, axis=1)]
    return out


def vote_shares(labels: np.ndarray, index: np.ndarray, n_themes: int) -> np.ndarray:
    """(n, n_themes): the share of each row's neighbours (``index``, -1 pads; no row itself) in each theme.

    ``labels``: theme per row, -1 for none.
    """
    n = labels.size
    valid = index >= 0
    onehot = np.zeros((n + 1, n_themes))  # row n: the padding, in no theme
    member = np.flatnonzero(labels >= 0)
    onehot[member, labels[member]] = 1.0
    counts = valid.sum(axis=1).clip(min=1)
    return onehot[np.where(valid, index, n)].sum(axis=1) / counts[:, None]


def grow_by_votes(labels: np.ndarray, index: np.ndarray, n_themes: int, share: float = 0.6,
                  rounds: int = 1, prune_by_size: bool = True) -> np.ndarray:
    """Taxonomy theme per row after pruning and growing ``labels`` by neighbour votes (module docstring).

    ``index``: (n, m) each row's nearest rows (itself left out), -1 where there are fewer;
    ``share``: the share of neighbours (0-1) a theme needs to take a row; ``rounds``: growing rounds.
    ``prune_by_size``: a theme of fewer members than neighbours asked of its rows what its size allows
    (a theme of 6 cannot give a row more than 5 of 20 neighbours; without it, every theme under 7 members
    lost them all). Rows not in any theme are -1.
    """
    labels = np.asarray(labels, dtype=np.int64).copy()
    rows = np.arange(labels.size)
    if labels.size == 0 or n_themes == 0 or index.shape[1] == 0:
        return labels
    own = vote_shares(labels, index, n_themes)[rows, labels.clip(min=0)]
    needed = np.full(labels.size, share / 2)
    if prune_by_size:
        members = np.bincount(labels[labels >= 0], minlength=n_themes)
        # the share of its neighbours a row's own theme could give at most
        possible = np.minimum(1.0, (members[labels.clip(min=0)] - 1) / index.shape[1])
        needed *= possible
    labels[(labels >= 0) & (own < needed)] = -1
    for _ in range(int(rounds)):
        votes = vote_shares(labels, index, n_themes)
        best = votes.argmax(axis=1)
        join = (labels < 0) & (votes[rows, best] >= share)
        if not join.any():
            break
        labels[join] = best[join]
    return labels


def nearest_members(S: np.ndarray, themes: np.ndarray, m: int) -> dict[int, list[int]]:
    """``{theme: rows}``: for each of ``themes``, its ``m`` most similar rows of ``S`` (n, k: similarity of each
    comment to each theme) among the rows whose most similar theme it is (ties by row order)."""
    best = S.argmax(axis=1)
    out = {}
    for t in themes:
        rows = np.flatnonzero(best == t)
        top = rows[np.argsort(-S[rows, t], kind="stable")[:int(m)]]
        if top.size:
            out[int(t)] = top.tolist()
    return out
