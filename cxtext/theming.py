"""The theme stage on the records table: which rows are themed, the model that themes them, each row's codes.

:mod:`cxtext.themes` learns themes from texts and vectors and knows nothing of the records; this
module is the glue between the two, shared by both engines (:func:`cxtext.analysis.run_pipeline`
and :mod:`cxtext.engines.dask_engine`):

``rows_to_embed``           analysed real answers, first copies only: what themes are learnt from
``theme_model_from_params`` an unfitted :class:`~cxtext.themes.ThemeModel` from a pipeline's parameters
``fit_themes``              that model fitted, or the same fit again from the theme-fit cache
``with_taxonomy``           a fitted model whose matched themes are the team's taxonomy's
``attach_themes``           ``theme_id`` / ``theme_ids`` on every row (folded duplicates inherit)
``scores_only_records``     a file without a comment column: the text and theme columns, empty (nothing themed)
``fit_mention_themes``      opt-in (``themes.mentions``): themes learnt from the comments' mentions, rolled up
``assign_mention_themes``   a saved model learnt from mentions, applied to new comments' mentions
``embed_mentions``          the comments split into mentions and embedded (shared by the two above)
``roll_up``                 a comment's themes from its mentions': all of them, primary its strongest mention's

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
                  languages: list, report: Callable[[str, int, int], None], rule: str = "auto") -> Any:
    """A copy of the fitted model whose matched themes are the taxonomy's (cxtext.themes.taxonomy).

    ``rule``: the pipeline's ``themes.taxonomy_rule``: "auto" (:func:`~cxtext.themes.taxonomy.default_rule`
    by the number of comments), "relative" or "cluster" (a :class:`~cxtext.themes.taxonomy.TaxonomyMatcher` rule).
    """
    from cxtext.themes.taxonomy import apply_taxonomy, embed_taxonomy

    report("taxonomy", 0, 1)
    model = copy.deepcopy(theme_model)  # the fit cache keeps the plain fit
    phrase_vectors, owner, phrase_languages = embed_taxonomy(taxonomy, embedder)
    apply_taxonomy(model, taxonomy, texts, vectors, languages, phrase_vectors, owner, phrase_languages, rule=rule)
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


def scores_only_records(records: pd.DataFrame) -> pd.DataFrame:
    """The records of a score-only file (no comment column) with the columns normalize and the theme
    stage add, empty: no text, language or copy, ``theme_id`` -3 (not themed) on every row."""
    out = records.copy()
    out["is_social"] = False
    out["clean_text"] = ""
    out["non_answer"] = False
    out["non_answer_reason"] = ""
    out["text_hash"] = ""
    out["language"] = pd.array([pd.NA] * len(out), dtype="string")
    out["duplicate_of"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["theme_id"] = np.full(len(out), NOT_THEMED, dtype=np.int64)
    out["theme_ids"] = ""
    return out


def fit_mention_themes(params: dict[str, Any], model_name: str, model_id: str | None, records: pd.DataFrame,
                       embedded: np.ndarray, vectors: np.ndarray, embedder: Any, cache_path: str | Path | None,
                       report: Callable[[str, int, int], None], taxonomy: Any = None
                       ) -> tuple[Any, np.ndarray, list[str], pd.DataFrame, bool]:
    """``(model, primary, all_ids, mentions, reused)``: themes learnt from mentions, rolled up per comment.

    The comments to theme (``embedded`` rows of ``records``, whose ``vectors`` are given) are split
    into mentions (:func:`embed_mentions`). The same ThemeModel as for comments (:func:`fit_themes`,
    the fit cache, a taxonomy when given) is fitted on the mentions, each in its comment's language.
    ``primary`` / ``all_ids`` are per embedded comment (:func:`roll_up`), ready for
    :func:`attach_themes`. ``mentions``: the columns of :data:`cxtext.text.mentions.MENTION_COLUMNS`
    (offsets in the comment's ``clean_text``, the analysed text), plus ``theme_id`` (-1 unthemed)
    and ``similarity`` (cosine to its theme).
    """
    mentions, comment_of, mention_vectors, mention_languages = embed_mentions(records, embedded, vectors,
                                                                              embedder, report)
    mention_texts = mentions["text"].tolist()
    model, reused = fit_themes(params, model_name, model_id, mention_texts, mention_vectors, mention_languages,
                               cache_path, report)
    if taxonomy is not None:
        model = with_taxonomy(model, taxonomy, embedder, mention_texts, mention_vectors, mention_languages, report,
                              params["themes"].get("taxonomy_rule", "auto"))
    model.themed_unit_ = "mention"  # saved with the model; cxtext.tables.theme_table lists every mentioned theme
    labels = np.asarray(model.labels_, dtype=np.int64)
    strength = mention_similarity(model, mention_vectors, mention_languages, labels)
    primary, all_ids = roll_up(comment_of, int(embedded.sum()), labels, model.secondary_labels_, strength)
    mentions["theme_id"] = labels
    mentions["similarity"] = np.round(strength, 4)
    return model, primary, all_ids, mentions, reused


def assign_mention_themes(model: Any, records: pd.DataFrame, embedded: np.ndarray, vectors: np.ndarray,
                          embedder: Any, report: Callable[[str, int, int], None]
                          ) -> tuple[np.ndarray, list[str], pd.DataFrame]:
    """``(primary, all_ids, mentions)``: a saved model learnt from mentions, applied to new comments.

    The comments are split and embedded as when the model was fitted (:func:`embed_mentions`), each
    mention is assigned with :meth:`cxtext.themes.ThemeModel.transform` and the comment gets its
    mentions' themes (:func:`roll_up`), as in :func:`fit_mention_themes`.
    """
    mentions, comment_of, mention_vectors, mention_languages = embed_mentions(records, embedded, vectors,
                                                                              embedder, report)
    assigned = model.transform(mentions["text"].tolist(), mention_vectors, languages=mention_languages)
    labels = assigned["theme_id"].to_numpy(dtype=np.int64)
    secondary = [[int(t) for t in str(ids).split(";")[1:] if t] for ids in assigned["theme_ids"]]
    strength = np.where(labels >= 0, assigned["similarity"].to_numpy(dtype=np.float64), np.nan)
    primary, all_ids = roll_up(comment_of, int(embedded.sum()), labels, secondary, strength)
    mentions["theme_id"] = labels
    mentions["similarity"] = np.round(strength, 4)
    return primary, all_ids, mentions


def embed_mentions(records: pd.DataFrame, embedded: np.ndarray, vectors: np.ndarray, embedder: Any,
                   report: Callable[[str, int, int], None]
                   ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list]:
    """``(mentions, comment_of, mention_vectors, mention_languages)`` of the ``embedded`` comments.

    Each comment is split (:func:`cxtext.text.mentions.mentions_frame`; ``row`` is the comment's
    input row, ``text_column`` is added when there are several comment columns). A comment that
    stays one mention keeps its own vector; the others' mentions are embedded with ``embedder``
    (cached like the comments). ``comment_of``: each mention's comment, as a position among the
    embedded comments; a mention's language is its comment's.
    """
    from cxtext.text.mentions import mentions_frame

    texts = records.loc[embedded, "clean_text"].tolist()
    languages = records.loc[embedded, "language"].tolist()
    mentions = mentions_frame(texts)  # "row" is the comment's position among the embedded ones for now
    comment_of = mentions["row"].to_numpy(dtype=np.int64)
    mentions["row"] = records.loc[embedded, "row"].to_numpy()[comment_of]
    if "text_column" in records.columns and records["text_column"].nunique() > 1:  # several comment columns
        mentions.insert(1, "text_column", records.loc[embedded, "text_column"].to_numpy()[comment_of])
    mention_texts = mentions["text"].tolist()
    whole = np.array([m == texts[c] for m, c in zip(mention_texts, comment_of)], dtype=bool)
    mention_vectors = np.zeros((len(mentions), vectors.shape[1]), dtype=np.float32)
    mention_vectors[whole] = vectors[comment_of[whole]]
    if (~whole).any():
        parts = [t for t, w in zip(mention_texts, whole) if not w]
        mention_vectors[~whole] = embedder.encode(parts, progress=lambda done, total: report("embed", done, total))
    return mentions, comment_of, mention_vectors, [languages[c] for c in comment_of]


def mention_similarity(model: Any, vectors: np.ndarray, languages: list, labels: np.ndarray) -> np.ndarray:
    """Cosine of each mention to its theme (as :meth:`ThemeModel.transform` reports it)."""
    from cxtext.themes import assign

    prepared = model._prepare(np.asarray(vectors), languages)
    return np.asarray(assign.similarity(model, assign.prototype_sims(model, prepared), labels), dtype=np.float64)


def roll_up(comment_of: np.ndarray, n_comments: int, labels: np.ndarray, secondary: list[list[int]],
            strength: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per comment: ``primary`` theme and ``theme_ids`` (";"-joined, primary first) from its mentions.

    A comment belongs to every theme one of its mentions belongs to. Its primary theme is its
    strongest themed mention's: the one closest to its theme's centre (``strength``), i.e. the
    mention most typical of a theme, the assignment the model is surest of (the longest mention
    would favour a rambling sentence that touches everything). Then come the other mentions'
    themes, strongest first, then the mentions' secondary themes. A comment of one mention gets
    exactly what the comment alone would get (its theme, then its secondary themes); a comment
    with no themed mention is unthemed (-1, "").
    """
    primary = np.full(n_comments, -1, dtype=np.int64)
    all_ids = [""] * n_comments
    order = np.argsort(comment_of, kind="stable")
    bounds = np.searchsorted(comment_of[order], np.arange(n_comments + 1))
    for comment in range(n_comments):
        members = order[bounds[comment]:bounds[comment + 1]]
        themed = [int(i) for i in members if labels[i] >= 0]
        if not themed:
            continue
        themed.sort(key=lambda i: -strength[i] if np.isfinite(strength[i]) else np.inf)
        ids: list[int] = []
        for theme in [int(labels[i]) for i in themed] + [int(t) for i in themed for t in secondary[i]]:
            if theme not in ids:
                ids.append(theme)
        primary[comment] = ids[0]
        all_ids[comment] = ";".join(map(str, ids))
    return primary, all_ids
