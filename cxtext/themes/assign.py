"""The assignment rule: which theme a prepared comment vector belongs to.

What :meth:`ThemeModel.transform <cxtext.themes.ThemeModel.transform>` applies to
new comments, and what fitting, a sampled fit, the edits and the taxonomy themes
use for the secondary themes of their comments. The rule itself (a prototype per
fitted theme with its own cosine threshold, secondary themes within a margin of
the primary) is explained with the fit steps, :mod:`cxtext.themes.steps`
(steps 5-7), and for edited models in :mod:`cxtext.themes.edits`.

Interface: every function takes a fitted model and reads only its prototypes
(``model._proto`` (p, dim) float32 unit rows, ``model._proto_theme`` (p,) the
current theme id of each, -1 for a deleted theme's sink,
``model._proto_threshold`` (p,) cosine thresholds), ``model._theme_ids()``,
``model.secondary_margin`` and ``model.sim_std_``; nothing is written. Vectors
are *prepared* rows (``model._prepare``: centred by language, unit length).
``normalize_rows`` (unit rows) lives here because every theme module needs it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Most secondary themes per comment.
MAX_SECONDARY = 2


def normalize_rows(E: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows stay zero), as float64."""
    E = np.asarray(E, dtype=np.float64)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return E / np.where(norms > 0, norms, 1.0)


def prototype_sims(model, E: np.ndarray) -> np.ndarray:
    """Cosine of each prepared row to each prototype: (n, prototypes)."""
    if model._proto.shape[0] == 0:
        return np.zeros((E.shape[0], 0))
    return E @ model._proto.astype(np.float64).T


def theme_sims(model, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Per current theme: best prototype similarity, and whether any prototype passes."""
    ids = model._theme_ids()
    n = sims.shape[0]
    best = np.full((n, len(ids)), -np.inf)
    passed = np.zeros((n, len(ids)), dtype=bool)
    ok = sims >= model._proto_threshold[None, :]
    for col, t in enumerate(ids):
        rows = np.flatnonzero(model._proto_theme == t)
        best[:, col] = sims[:, rows].max(axis=1)
        passed[:, col] = ok[:, rows].any(axis=1)
    return best, passed, ids


def secondary(model, E: np.ndarray, labels: np.ndarray) -> list[list[int]]:
    """Secondary themes (step 7) of prepared rows ``E`` whose primary themes are ``labels``."""
    sims = prototype_sims(model, E)
    return secondary_from(model, sims, labels)


def secondary_from(model, sims: np.ndarray, labels: np.ndarray) -> list[list[int]]:
    """:func:`secondary` from prototype similarities already computed."""
    n = sims.shape[0]
    out: list[list[int]] = [[] for _ in range(n)]
    ids = model._theme_ids()
    if len(ids) < 2 or float(model.secondary_margin) < 0:
        return out
    best, passed, ids = theme_sims(model, sims)
    col = {t: i for i, t in enumerate(ids)}
    margin = float(model.secondary_margin) * model.sim_std_
    for i in np.flatnonzero(labels >= 0):
        p = col.get(int(labels[i]))
        if p is None:
            continue
        sp = best[i, p]
        cand = np.flatnonzero(passed[i] & (sp - best[i] <= margin))
        cand = [c for c in cand if c != p]
        cand.sort(key=lambda c: (-best[i, c], ids[c]))
        out[i] = [int(ids[c]) for c in cand[:MAX_SECONDARY]]
    return out


def assign(model, E: np.ndarray, with_similarity: bool = False):
    """The assignment rule on prepared rows: (labels, secondary[, similarity]); row by row."""
    n = E.shape[0]
    sims = prototype_sims(model, E)
    labels = np.full(n, -1, dtype=np.int64)
    sim_out = np.full(n, np.nan)
    if sims.shape[1]:
        ok = sims >= model._proto_threshold[None, :]
        masked = np.where(ok, sims, -np.inf)
        best = masked.argmax(axis=1)
        has = ok.any(axis=1)
        target = model._proto_theme[best]
        labels = np.where(has, target, -1).astype(np.int64)
        if with_similarity:
            sim_out = similarity(model, sims, labels)
    secondary = secondary_from(model, sims, labels)
    return (labels, secondary, sim_out) if with_similarity else (labels, secondary)


def similarity(model, sims: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine to the assigned theme (best prototype); for -1 the best cosine to any theme."""
    n = sims.shape[0]
    if not (model._proto_theme >= 0).any():
        return np.full(n, np.nan)
    best, _, ids = theme_sims(model, sims)
    col = np.array([ids.index(t) if t in ids else -1 for t in range(max(ids) + 1)], dtype=np.int64)
    lab = np.asarray(labels, dtype=np.int64)
    idx = np.where((lab >= 0) & (lab <= max(ids)), col[np.clip(lab, 0, max(ids))], -1)
    out = best.max(axis=1)
    has = idx >= 0
    out[has] = best[np.flatnonzero(has), idx[has]]
    return out


def frame(labels: np.ndarray, secondary: list[list[int]], sim: np.ndarray) -> pd.DataFrame:
    """The DataFrame :meth:`ThemeModel.transform` returns: theme_id, theme_ids, similarity."""
    ids = [";".join(str(t) for t in [int(p), *extra]) if p >= 0 else "" for p, extra in zip(labels, secondary)]
    return pd.DataFrame(
        {"theme_id": np.asarray(labels, dtype=np.int64), "theme_ids": ids, "similarity": np.asarray(sim, dtype=np.float64)}
    )

