"""Theme geometry on unit embedding rows: the corpus's cosine calibration (step 1 of
:mod:`cxtext.themes.steps`), theme centroids, their coherence, and the assignment thresholds (step 5).

Shared by the fit (:mod:`cxtext.themes.steps`), edits (:mod:`cxtext.themes.edits`) and taxonomy themes.
Imports :mod:`cxtext.themes.assign` (row normalisation) and numpy only.
"""

from __future__ import annotations

import numpy as np

from cxtext.themes.assign import normalize_rows

_CALIBRATION_PAIRS = 20_000
#: Step 5's floor: a threshold is at least ``sim_mean_ + MIN_ASSIGN_Z * sim_std_``.
MIN_ASSIGN_Z = 2.0


def calibrate(E: np.ndarray, seed: int) -> tuple[float, float]:
    """Step 1: mean and standard deviation of the cosine of random pairs of rows."""
    n = E.shape[0]
    if n < 2:
        return 0.0, 1.0
    rng = np.random.default_rng(seed)
    if n * (n - 1) // 2 <= _CALIBRATION_PAIRS:
        i, j = np.triu_indices(n, 1)
    else:
        i = rng.integers(0, n, _CALIBRATION_PAIRS)
        j = rng.integers(0, n - 1, _CALIBRATION_PAIRS)
        j = j + (j >= i)  # j != i
    s = np.einsum("ij,ij->i", E[i], E[j])
    mu, sd = float(s.mean()), float(s.std())
    return mu, max(sd, 1e-6)


def centroids(E: np.ndarray, labels: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Unit mean of the rows of each theme ``0..k-1``, weighted by ``weights`` (copies) when given: (k, dim)."""
    if k == 0:
        return np.zeros((0, E.shape[1]))
    if weights is None:
        C = np.stack([E[labels == c].mean(axis=0) for c in range(k)])
    else:
        C = np.stack([np.average(E[labels == c], axis=0, weights=weights[labels == c]) for c in range(k)])
    return normalize_rows(C)


def theme_coherence(E: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Per theme ``0..k-1``: mean cosine of its comments to their centroid, after
    removing the corpus mean (e5-style embeddings share one big direction
    that would make every theme look tight). 1 = identical comments."""
    if k == 0:
        return np.zeros(0)
    centred = normalize_rows(E - E.mean(axis=0))
    coherence = np.zeros(k)
    for c in range(k):
        members = centred[labels == c]
        centroid = members.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        coherence[c] = float((members @ centroid).mean())
    return coherence


#: The thresholds' quantile when ``reassign_threshold`` is None (they still decide secondary themes and
#: which new comments :meth:`ThemeModel.transform` places).
THRESHOLD_QUANTILE = 0.05


def thresholds(model, E: np.ndarray, core: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Step 5: the assignment threshold of each centroid ``C[c]`` from the rows ``core == c``."""
    quantile = THRESHOLD_QUANTILE if model.reassign_threshold is None else float(model.reassign_threshold)
    floor = model.sim_mean_ + MIN_ASSIGN_Z * model.sim_std_
    thr = np.zeros(C.shape[0])
    for c in range(C.shape[0]):
        sims = E[core == c] @ C[c]
        # the corpus floor keeps loose themes from absorbing everything, but it
        # must not shut out the theme's own typical member (e.g. when the corpus
        # holds a few far-apart themes, so its similarity spread is wide)
        capped_floor = min(floor, float(np.median(sims)))
        thr[c] = max(float(np.quantile(sims, quantile)), capped_floor)
    return thr
