"""The theme stage on the records table: which rows are themed, the model that themes them, each row's codes.

:mod:`cxtext.themes` learns themes from texts and vectors and knows nothing of the records; this
module is the glue between the two, shared by both engines (:func:`cxtext.analysis.run_pipeline`
and :mod:`cxtext.engines.dask_engine`):

``rows_to_embed``           analysed real answers, first copies only: what themes are learnt from
``theme_model_from_params`` an unfitted :class:`~cxtext.themes.ThemeModel` from a pipeline's parameters
``fit_themes``              that model fitted, or the same fit again from the theme-fit cache
``with_taxonomy``           a fitted model whose matched themes are the team's taxonomy's
``attach_themes``           ``theme_id`` / ``theme_ids`` on every row (folded duplicates inherit)

May import ``cxtext.schema``, ``cxtext.store`` and ``cxtext.themes``; never the faces (analysis, cli, app).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.schema import NO_COMMENT, NOT_THEMED, STATUS_ANALYZED, UNTHEMED


def rows_to_embed(records: pd.DataFrame) -> np.ndarray:
    """Analysed, real answers, first copies only: what the themes are learnt from."""
    return ((records["status"] == STATUS_ANALYZED) & ~records["non_answer"]
            & records["duplicate_of"].isna()).to_numpy()


def theme_model_from_params(params: dict[str, Any], model_name: str) -> Any:
    """An unfitted ThemeModel configured from a pipeline's parameters."""
    from cxtext.themes import ThemeModel

    return ThemeModel(
        min_theme_size=params["themes"]["min_theme_size"],
        reduction=params["themes"]["reduction"],
        n_components=params["themes"]["n_components"],
        center_languages=params["themes"]["center_languages"],
        min_relative_coherence=params["themes"]["min_relative_coherence"],
        reassign_threshold=params["themes"].get("reassign_threshold"),
        merge_threshold=float("inf") if params["themes"].get("merge_threshold") is None
        else float(params["themes"]["merge_threshold"]),
        embedding_model=model_name,
        random_state=params["seed"],
    )


def fit_themes(params: dict[str, Any], model_name: str, model_id: str | None, texts: list[str],
               vectors: np.ndarray, languages: list, cache_path: str | Path | None,
               report: Callable[[str, int, int], None]) -> tuple[Any, bool]:
    """``(model, reused)``: a ThemeModel fitted on ``texts``, or the cached fit of the same texts.

    The same texts, embedding model and parameters always give the same fit, so a fit is kept
    in a :class:`~cxtext.themes.fitcache.ThemeFitCache` next to the embedding cache and reused.
    """
    from cxtext.store import default_cache_path
    from cxtext.themes.fitcache import ThemeFitCache, fit_key

    theme_model = theme_model_from_params(params, model_name)
    fits = ThemeFitCache(Path(cache_path or default_cache_path()).parent / "themes")
    key = fit_key(model_id, texts, languages, theme_model.get_params())
    cached_fit = fits.get(key)
    if cached_fit is not None:
        return cached_fit, True
    theme_model.fit(texts, vectors, languages=languages, progress=report)
    fits.put(key, theme_model)
    return theme_model, False


def with_taxonomy(theme_model: Any, taxonomy: Any, embedder: Any, texts: list[str], vectors: np.ndarray,
                  languages: list, report: Callable[[str, int, int], None]) -> Any:
    """A copy of the fitted model whose matched themes are the taxonomy's (cxtext.themes.taxonomy)."""
    from cxtext.themes.taxonomy import apply_taxonomy, embed_taxonomy

    report("taxonomy", 0, 1)
    model = copy.deepcopy(theme_model)  # the fit cache keeps the plain fit
    phrase_vectors, owner, phrase_languages = embed_taxonomy(taxonomy, embedder)
    apply_taxonomy(model, taxonomy, texts, vectors, languages, phrase_vectors, owner, phrase_languages)
    return model


def attach_themes(records: pd.DataFrame, embedded: np.ndarray, primary: np.ndarray,
                  all_ids: list[str]) -> pd.DataFrame:
    """Give every row a theme code; folded duplicates inherit their first copy's."""
    out = records.copy()
    theme_id = np.full(len(out), NOT_THEMED, dtype=np.int64)
    theme_ids = np.array([""] * len(out), dtype=object)
    analysed = (out["status"] == STATUS_ANALYZED).to_numpy()
    theme_id[analysed] = UNTHEMED
    theme_id[analysed & out["non_answer"].to_numpy()] = NO_COMMENT
    theme_id[embedded] = primary
    theme_ids[embedded] = all_ids
    by_row = dict(zip(out["row"], zip(theme_id, theme_ids)))
    for index, first in enumerate(out["duplicate_of"]):
        if not pd.isna(first) and analysed[index]:
            theme_id[index], theme_ids[index] = by_row[int(first)]
    out["theme_id"] = theme_id
    out["theme_ids"] = [ids if ids else (str(t) if t >= 0 else "") for t, ids in zip(theme_id, theme_ids)]
    return out
