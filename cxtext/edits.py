"""Theme edits on the records table: split a theme, move comments, follow merged or deleted ids.

:class:`cxtext.themes.ThemeModel` records an edit and changes its themes; these functions
change the rows to match (each row's ``theme_id`` and ``theme_ids``), from the stored
embeddings, nothing embedded again. :class:`cxtext.analysis.Analysis` calls them on a copy
of its model, then rebuilds its tables (:mod:`cxtext.tables`) and summary.

May import ``cxtext.errors`` and ``cxtext.schema``; the model is passed in. Never the faces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import ThemeEditError
from cxtext.schema import NO_COMMENT, STATUS_ANALYZED, UNTHEMED


def split_records(model: Any, records: pd.DataFrame, embeddings: np.ndarray | None, theme_id: int,
                  n: int | None = None) -> pd.DataFrame:
    """Split theme ``theme_id`` of ``records`` into ``n`` parts (automatic when ``None``) with ``model``.

    Returns the new records (``model`` is changed in place: :meth:`cxtext.themes.ThemeModel.split`,
    the largest part keeps the id). Folded duplicates follow their first copy; secondary themes of
    the rows that mention the theme are worked out again with the new parts.
    """
    t = model._check_id(theme_id)
    records = records.copy()
    vectors, languages, fit_rows = split_members(records, embeddings, t)
    in_theme = (records["theme_id"] == t).to_numpy()
    if fit_rows.size < 4:
        raise ThemeEditError(f"Theme {t} has {fit_rows.size} comment(s) here; a split needs at least 4.")
    ids = model.split(t, vectors[fit_rows], records["clean_text"].iloc[fit_rows].tolist(),
                      [languages[i] for i in fit_rows], n=n)
    part_of = dict(zip(fit_rows.tolist(), model.split_labels_.tolist()))
    # other rows of the theme (folded duplicates): the part of their first copy, else the nearest part
    rest = [i for i in np.flatnonzero(in_theme) if i not in part_of]
    if rest:
        E = model._prepare(np.nan_to_num(vectors[rest]), [languages[i] for i in rest])
        best, _, theme_ids = model._theme_sims(model._prototype_sims(E))
        cols = [theme_ids.index(p) for p in ids]
        for j, i in enumerate(rest):
            part_of[i] = ids[int(np.argmax(best[j, cols]))]
    theme_col = records["theme_id"].to_numpy().copy()
    for i, p in part_of.items():
        theme_col[i] = p
    records["theme_id"] = theme_col
    affected = [i for i, ids_text in enumerate(records["theme_ids"])
                if int(theme_col[i]) >= 0 and str(t) in str(ids_text).split(";") or i in part_of]
    records["theme_ids"] = secondary_ids(model, records, vectors, languages, affected)
    return records


def move_records(model: Any, records: pd.DataFrame, rows: list[int], theme_id: int) -> pd.DataFrame:
    """Move comments (1-based ``row`` numbers) to ``theme_id`` (-1 unthemes them); returns the new records.

    Folded duplicates of a moved row move with it; a moved comment's primary theme becomes
    ``theme_id`` (its other themes stay, its old primary is dropped). Recorded in ``model``'s
    ``edits_`` (:meth:`cxtext.themes.ThemeModel.move`), which is changed in place.
    """
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise ThemeEditError(f"'rows' must be a list of row numbers. Got {rows!r} instead.")
    rows = list(rows)
    if not rows or not all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) for r in rows):
        raise ThemeEditError(f"'rows' must be a non-empty list of row numbers. Got {rows!r} instead.")
    is_int = isinstance(theme_id, (int, np.integer)) and not isinstance(theme_id, bool)
    target = int(theme_id) if is_int else None
    if target != UNTHEMED:
        target = model._check_id(theme_id)
    records = records.copy()
    movable = ((records["status"] == STATUS_ANALYZED) & (records["theme_id"] != NO_COMMENT)).to_numpy()
    index_of = {int(r): i for i, r in enumerate(records["row"])}
    valid_rows = [int(r) for r, ok in zip(records["row"], movable) if ok]
    bad = sorted({int(r) for r in rows if int(r) not in index_of or not movable[index_of[int(r)]]})
    if bad:
        raise ThemeEditError(
            f"Row(s) {', '.join(map(str, bad))} cannot be moved: not in this analysis, rejected or "
            f"without a comment. Rows that can be moved: {_ranges(valid_rows) or 'none'}."
        )
    wanted = {int(r) for r in rows}
    dup_of = (records["duplicate_of"] if "duplicate_of" in records.columns
              else pd.Series([pd.NA] * len(records)))
    chosen = [i for i, (r, first) in enumerate(zip(records["row"], dup_of))
              if int(r) in wanted or (not pd.isna(first) and int(first) in wanted and movable[i])]
    theme_col = records["theme_id"].to_numpy().copy()
    ids_col = records["theme_ids"].astype(object).tolist()
    for i in chosen:
        old = int(theme_col[i])
        others = [p for p in str(ids_col[i] or "").split(";") if p and int(p) not in (old, target)]
        theme_col[i] = target
        ids_col[i] = ";".join([str(target), *others]) if target >= 0 else ""
    records["theme_id"] = theme_col
    records["theme_ids"] = ids_col
    model.move(sorted(wanted), target)
    return records


def remap_records(records: pd.DataFrame, id_map: dict[int, int]) -> pd.DataFrame:
    """A copy of ``records`` with theme ids renamed by ``id_map`` (merged into another, or -1 when deleted)."""
    records = records.copy()
    records["theme_id"] = [id_map.get(int(t), int(t)) for t in records["theme_id"]]
    records["theme_ids"] = [_remap_ids(ids, id_map) for ids in records["theme_ids"]]
    return records


def split_members(records: pd.DataFrame, embeddings: np.ndarray | None,
                  theme_id: int) -> tuple[np.ndarray, list, np.ndarray]:
    """What a split re-clusters: ``(vectors, languages, rows)``; see :meth:`cxtext.analysis.Analysis.split_members`."""
    if embeddings is None:
        raise ThemeEditError("this analysis has no stored embeddings, so its themes cannot be split.")
    vectors = row_vectors(records, embeddings)
    in_theme = (records["theme_id"] == int(theme_id)).to_numpy()
    members = np.flatnonzero(in_theme & np.isfinite(vectors).all(axis=1))
    own = np.isfinite(np.asarray(embeddings, dtype=np.float64)).all(axis=1)
    rows = np.array([i for i in members if own[i]], dtype=np.int64)
    languages = records["language"].astype(object).where(records["language"].notna(), None).tolist()
    return vectors, languages, rows


def row_vectors(records: pd.DataFrame, embeddings: np.ndarray) -> np.ndarray:
    """Each row's embedding; a folded duplicate without its own takes its first copy's."""
    vectors = np.asarray(embeddings, dtype=np.float64).copy()
    if "duplicate_of" in records.columns:
        index_of = {int(r): i for i, r in enumerate(records["row"])}
        for i, first in enumerate(records["duplicate_of"]):
            if not pd.isna(first) and not np.isfinite(vectors[i]).all() and int(first) in index_of:
                vectors[i] = vectors[index_of[int(first)]]
    return vectors


def secondary_ids(model: Any, records: pd.DataFrame, vectors: np.ndarray, languages: list,
                  rows: list[int]) -> list:
    """``theme_ids`` with the secondary themes of ``rows`` worked out again by the model's rule."""
    out = records["theme_ids"].astype(object).tolist()
    rows = [i for i in rows if np.isfinite(vectors[i]).all()]
    if rows:
        E = model._prepare(vectors[rows], [languages[i] for i in rows])
        primary = records["theme_id"].to_numpy()[rows].astype(np.int64)
        secondary = model._secondary_from(model._prototype_sims(E), primary)
        for i, p, sec in zip(rows, primary, secondary):
            out[i] = ";".join(map(str, [int(p), *sec])) if p >= 0 else ""
    return out


def _ranges(rows: list[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` -> ``"1-3, 7, 9-10"``."""
    runs: list[list[int]] = []  # [first, last] of each run of consecutive rows
    for r in sorted(set(rows)):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _remap_ids(ids: str, id_map: dict[int, int]) -> str:
    if not ids:
        return ids
    out: list[int] = []
    for part in str(ids).split(";"):
        new = id_map.get(int(part), int(part))
        if new >= 0 and new not in out:
            out.append(new)
    return ";".join(map(str, out))
