"""Taxonomy themes on the model side: a fitted model whose themes are a team's own.

:mod:`cxtext.themes.taxonomy` reads a taxonomy file, :mod:`cxtext.themes.taxonomy_match` decides which
comments belong to which taxonomy theme (:class:`~cxtext.themes.taxonomy_match.TaxonomyMatcher`);
:func:`~cxtext.themes.taxonomy.apply_taxonomy` then calls
:meth:`ThemeModel.set_taxonomy_themes <cxtext.themes.ThemeModel.set_taxonomy_themes>`,
i.e. :func:`set_taxonomy_themes` here, which rebuilds the model's themes around them.
Kept beside ``taxonomy`` rather than in it: this part edits a fitted model's
prototypes and theme records like :mod:`cxtext.themes.edits` does.

Interface: :func:`set_taxonomy_themes` replaces ``model._themes`` and the
prototypes (``_proto``, ``_proto_theme``, ``_proto_threshold``,
``_proto_size``), sets ``labels_``, ``secondary_labels_`` and
``unthemed_share_``, appends ``{"op": "taxonomy"}`` to ``edits_`` and calls
``model._refresh()``. :func:`origins` and :func:`taxonomy_parents` read the
theme records. A theme record's ``origin`` ("taxonomy" or "discovered"),
``parent`` and ``description`` are saved with the model
(:mod:`cxtext.themes.persist`) and kept through merges.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.errors import ValidationError
from cxtext.themes.assign import secondary
from cxtext.themes.label import ThemeLabeler
from cxtext.themes.geometry import centroids, thresholds
from cxtext.themes.steps import N_KEYWORDS, N_QUOTES


def set_taxonomy_themes(model, taxonomy, assigned: np.ndarray, prototypes: np.ndarray,
                        texts: Sequence[str], prepared: np.ndarray, languages: Sequence[str] | None,
                        matched_clusters: set[int]):
    """Replace matched themes by a team's taxonomy themes (:func:`cxtext.themes.taxonomy.apply_taxonomy`).

    ``assigned``: taxonomy index per fitted comment (-1: none), as
    :class:`cxtext.themes.taxonomy_match.TaxonomyMatcher` predicts it; ``prototypes``
    (k, dim) the taxonomy prototypes; ``prepared``: the fitted comments'
    vectors after ``model._prepare``; ``matched_clusters``: the fitted
    theme ids claimed by a taxonomy theme (they disappear; their comments
    went to taxonomy themes, and those the matcher left out become
    unthemed).

    New ids: taxonomy themes ``0..k-1`` in taxonomy order, labelled with
    their exact names, ``origin="taxonomy"``; then the remaining
    discovered themes (``origin="discovered"``) by size. A taxonomy theme
    with comments gets the centroid of its comments as prototype, with
    the usual per-theme threshold (:mod:`cxtext.themes.steps`, step 5), so
    :meth:`ThemeModel.transform` assigns the next dump's comments to it. A theme
    with no comment keeps the taxonomy prototype with a threshold above
    any cosine: it is listed (size 0) but only a new run with the
    taxonomy can fill it. Recorded in ``edits_`` as ``{"op": "taxonomy"}``.
    """
    model._check_fitted()
    E = np.asarray(prepared, dtype=np.float64)
    assigned = np.asarray(assigned, dtype=np.int64)
    old = np.asarray(model.labels_, dtype=np.int64)
    if E.shape[0] != old.shape[0] or assigned.shape != old.shape:
        raise ValidationError("set_taxonomy_themes needs one assignment and one vector per fitted comment.")
    k = len(taxonomy)
    kept = [t for t in model._theme_ids() if t not in matched_clusters]
    rest = np.where(assigned >= 0, -1, np.where(np.isin(old, kept), old, -1))
    sizes = {t: int(np.sum(rest == t)) for t in kept}
    order = sorted(kept, key=lambda t: (-sizes[t], t))
    new_id = {t: k + i for i, t in enumerate(order)}
    labels = np.where(assigned >= 0, assigned, -1)
    for t in order:
        labels[rest == t] = new_id[t]
    labels = labels.astype(np.int64)

    tax_sizes = np.bincount(labels[(labels >= 0) & (labels < k)], minlength=k)
    C = np.asarray(prototypes, dtype=np.float64).copy()
    filled = [t for t in range(k) if tax_sizes[t] > 0]
    thr = np.full(k, 1.01)  # no cosine reaches it: an empty taxonomy theme takes nobody on reuse
    for t in filled:
        own = np.where(labels == t, 0, -1)
        C[t] = centroids(E, own, 1)[0]
        thr[t] = thresholds(model, E, own, C[[t]])[0]
    labeler = None
    if filled:
        labeler = ThemeLabeler(n_keywords=N_KEYWORDS, n_quotes=N_QUOTES).fit(
            list(texts), np.where(labels < k, labels, -1), E, languages, centroids=C)
    themes: dict[int, dict] = {}
    for t, spec in enumerate(taxonomy.themes):
        has = labeler is not None and t in labeler.keyword_scores_
        themes[t] = {
            "label": spec.theme,
            "keywords": [[term, round(float(s), 6)] for term, s in labeler.keyword_scores_[t]] if has else [],
            "keywords_by_language": labeler.keywords_by_language_[t] if has else {},
            "label_language": labeler.label_language_[t] if has else None,
            "size": int(tax_sizes[t]),
            "languages": {lang: float(v) for lang, v in labeler.languages_[t].items()} if has else {},
            "quotes": list(labeler.quotes_[t]) if has else [],
            "origin": "taxonomy",
            "parent": spec.parent,
            "description": spec.description,
        }
    for t in order:
        rec = dict(model._themes[t])
        rec["size"] = sizes[t]
        rec["origin"] = "discovered"
        themes[new_id[t]] = rec
    keep_proto = np.isin(model._proto_theme, order)
    remap = np.array([new_id.get(int(t), -1) for t in model._proto_theme], dtype=np.int64)
    model._proto = np.concatenate([C.astype(np.float32), model._proto[keep_proto]])
    model._proto_theme = np.concatenate([np.arange(k, dtype=np.int64), remap[keep_proto]])
    model._proto_threshold = np.concatenate([thr, model._proto_threshold[keep_proto]])
    model._proto_size = np.concatenate([tax_sizes.astype(np.int64),
                                       model._proto_size[keep_proto].astype(np.int64)])
    model._themes = themes
    model.labels_ = labels
    model.secondary_labels_ = secondary(model, E, labels)
    model.unthemed_share_ = float(np.mean(labels < 0)) if labels.size else 0.0
    model.edits_.append({"op": "taxonomy", "themes": list(taxonomy.names),
                        "source": getattr(taxonomy, "source", None),
                        "matched_clusters": sorted(int(c) for c in matched_clusters),
                        "sizes": [int(s) for s in tax_sizes]})
    model._refresh()
    return model


def origins(model) -> dict[int, str]:
    """Theme id -> "taxonomy" (a team's own theme) or "discovered"."""
    model._check_fitted()
    return {t: model._themes[t].get("origin", "discovered") for t in model._theme_ids()}


def taxonomy_parents(model) -> dict[int, str]:
    """Theme id -> parent name given in the taxonomy (only taxonomy themes with a parent)."""
    model._check_fitted()
    return {t: model._themes[t]["parent"] for t in model._theme_ids() if model._themes[t].get("parent")}

