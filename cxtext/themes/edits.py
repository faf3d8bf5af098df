"""Edits of a fitted :class:`~cxtext.themes.ThemeModel`.

**Edits** (``rename``, ``merge``, ``delete``, ``split``, ``move``) change the
model in place, are appended to ``edits_`` and saved with it. Theme ids
never change meaning silently: a merge keeps the smallest id and the others
disappear; a delete removes the id; a split keeps the id for its largest
part and numbers the other parts after the largest id ever used.

* merge: the public centroid is the size-weighted mean of the merged
  centroids, renormalised. For assignment the model keeps each fitted
  centroid with its own threshold (a *prototype*) and maps it to the merged
  id, so a comment joins the merged theme exactly when it would have joined
  one of its parts (a single widened ball would swallow comments between
  them).
* split: the theme's prototype(s) are replaced by one prototype per part
  (KMeans on its comments, each part with its own threshold by the rule of
  step 5 of :mod:`cxtext.themes.steps`), so :meth:`ThemeModel.transform`
  assigns new comments to the parts; see :func:`split` for how the number
  of parts is chosen.
* move: recorded only (``{"op": "move", "rows", "to"}``); it changes no
  prototype, so reuse on another dump is unaffected (see :func:`move`).
* delete: the deleted theme's prototype stays as a sink: a comment whose best
  match is the deleted theme becomes unthemed (``-1``) instead of drifting
  into a neighbouring theme. Fitted comments of the theme become ``-1`` in
  ``labels_``, and it is removed from ``secondary_labels_``.

Interface: each edit is a function taking the model first (``merge(model,
ids, label)``, ...); the methods of the same name on ThemeModel call them.
They change the model's theme records (``model._themes``: theme id -> dict of
label, keywords, keywords_by_language, label_language, size, languages,
quotes, and for taxonomy themes origin, parent, description), its prototypes
(``_proto``, ``_proto_theme``, ``_proto_threshold``, ``_proto_size``),
``labels_`` / ``secondary_labels_`` / ``unthemed_share_`` when the model
still has them, append to ``edits_`` and call ``model._refresh()`` (``move``
only appends its record). They use
``model._check_fitted``, ``model._check_texts``, ``model._prepare`` and
``model._theme_ids``; :func:`check_id`, :func:`check_label` and
:func:`next_id` are the checks and the id counter they share.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from cxtext.errors import ThemeEditError, ValidationError
from cxtext.themes.label import ThemeLabeler
from cxtext.themes.reduce import check_embeddings
from cxtext.themes.geometry import centroids, thresholds
from cxtext.themes.steps import N_KEYWORDS, N_QUOTES

#: Members a split's silhouette is computed on at most (it needs m x m distances).
_SPLIT_SILHOUETTE_SAMPLE = 2_000


def check_id(model, theme_id) -> int:
    """``theme_id`` as an int if the model has that theme, else ThemeEditError listing the valid ids."""
    valid = model._theme_ids()
    if isinstance(theme_id, bool) or not isinstance(theme_id, numbers.Integral) or int(theme_id) not in model._themes:
        shown = ", ".join(map(str, valid)) if valid else "none (the model has no themes)"
        raise ThemeEditError(f"Theme {theme_id!r} does not exist. Valid theme ids: {shown}.")
    return int(theme_id)

@staticmethod


def check_label(label) -> str:
    """A theme label, stripped; ValidationError when it is not a non-empty string."""
    if not isinstance(label, str) or not label.strip():
        raise ValidationError(f"A theme label must be a non-empty string. Got {label!r} instead.")
    return label.strip()


def rename(model, theme_id: int, label: str):
    """Give theme ``theme_id`` a new label."""
    model._check_fitted()
    t = check_id(model, theme_id)
    label = check_label(label)
    previous = model._themes[t]["label"]
    model._themes[t]["label"] = label
    model.edits_.append({"op": "rename", "theme_id": t, "label": label, "previous": previous})
    model._refresh()
    return model


def merge(model, theme_ids: list[int], label: str | None = None):
    """Merge themes into the smallest id; ``label`` defaults to the largest part's label.

    Sizes add up, keywords are re-ranked by size-weighted score, quotes and
    per-language keywords interleave the parts (largest first), language
    shares are size-weighted. See the module docstring for assignment.
    """
    model._check_fitted()
    if isinstance(theme_ids, (str, bytes)) or not isinstance(theme_ids, Sequence):
        raise ValidationError(f"'theme_ids' must be a list of theme ids. Got {theme_ids!r} instead.")
    ids = sorted({check_id(model, t) for t in theme_ids})
    if len(ids) < 2:
        raise ThemeEditError(f"A merge needs at least two different theme ids. Got {list(theme_ids)!r}.")
    if label is not None:
        label = check_label(label)
    parts = sorted(ids, key=lambda t: (-model._themes[t]["size"], t))
    recs = [model._themes[t] for t in parts]
    keep = ids[0]
    size = sum(r["size"] for r in recs)
    scores: dict[str, float] = {}
    for r in recs:
        for term, s in r["keywords"]:
            scores[term] = scores.get(term, 0.0) + r["size"] * float(s) / max(size, 1)
    keywords = sorted(scores.items(), key=lambda ts: (-ts[1], ts[0]))[:N_KEYWORDS]
    by_lang: dict[str, list[str]] = {}
    for lang in sorted({lang for r in recs for lang in r["keywords_by_language"]}):
        by_lang[lang] = _interleave([r["keywords_by_language"].get(lang, []) for r in recs], N_KEYWORDS)
    languages: dict[str, float] = {}
    for r in recs:
        for lang, share in r["languages"].items():
            languages[lang] = languages.get(lang, 0.0) + share * r["size"] / max(size, 1)
    languages = dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0])))
    merged = {
        "label": label if label is not None else recs[0]["label"],
        "keywords": [[t, round(float(s), 6)] for t, s in keywords],
        "keywords_by_language": by_lang,
        "label_language": recs[0].get("label_language"),
        "size": int(size),
        "languages": languages,
        "quotes": _interleave([r["quotes"] for r in recs], N_QUOTES),
        # a merge into a taxonomy theme stays the team's theme (its largest part decides)
        "origin": recs[0].get("origin", "discovered"),
        "parent": recs[0].get("parent", ""),
        "description": recs[0].get("description", ""),
    }
    for t in ids:
        del model._themes[t]
    model._themes[keep] = merged
    model._proto_theme = np.where(np.isin(model._proto_theme, ids), keep, model._proto_theme)
    if hasattr(model, "labels_"):
        model.labels_ = np.where(np.isin(model.labels_, ids), keep, model.labels_).astype(np.int64)
        model.secondary_labels_ = [
            _dedupe([keep if s in ids else s for s in sec], exclude=int(p))
            for p, sec in zip(model.labels_, model.secondary_labels_)
        ]
        model.unthemed_share_ = float(np.mean(model.labels_ < 0)) if model.labels_.size else 0.0
    model.edits_.append({"op": "merge", "theme_ids": ids, "into": keep, "label": merged["label"]})
    model._refresh()
    return model


def delete(model, theme_id: int):
    """Remove a theme: its comments become unthemed (-1), here and in :meth:`ThemeModel.transform`."""
    model._check_fitted()
    t = check_id(model, theme_id)
    label = model._themes.pop(t)["label"]
    model._proto_theme = np.where(model._proto_theme == t, -1, model._proto_theme)
    if hasattr(model, "labels_"):
        model.labels_ = np.where(model.labels_ == t, -1, model.labels_).astype(np.int64)
        model.secondary_labels_ = [
            [s for s in sec if s != t] if p >= 0 else [] for p, sec in zip(model.labels_, model.secondary_labels_)
        ]
        model.unthemed_share_ = float(np.mean(model.labels_ < 0)) if model.labels_.size else 0.0
    model.edits_.append({"op": "delete", "theme_id": t, "label": label})
    model._refresh()
    return model


def split(model, theme_id: int, embeddings_of_members: np.ndarray, texts_of_members: Sequence[str],
          languages: Sequence[str] | None = None, n: int | None = None) -> list[int]:
    """Split theme ``theme_id`` into ``n`` sub-themes by re-clustering its comments.

    ``embeddings_of_members`` / ``texts_of_members`` (/ ``languages``): the
    theme's comments, raw embeddings as given to :meth:`ThemeModel.fit` (they are
    centred and normalised the same way). Returns the ids of the parts,
    largest first; ``split_labels_`` then holds the part id of each
    member, in the order given.

    * **Parts**: KMeans (``n_init=10``, seeded by ``seed_``) on the
      members' unit vectors. ``n=None`` picks ``n`` automatically: every
      ``k`` in 2..min(5, members // 2) whose parts all hold at least two
      comments is tried, and the ``k`` with the highest cosine silhouette
      wins (ties: the smaller ``k``; themes of more than 2,000 comments
      are scored on a seeded sample of 2,000). A split needs at least 4 comments
      and an explicit ``n`` at most members // 2.
    * **Ids**: the largest part keeps ``theme_id`` (so rows that stay
      keep their id); the other parts get new ids after the largest id
      the model ever used (edits included), so a retired id is never
      reused.
    * **Assignment**: each part gets its own prototype (the mean of its
      members, normalised) and threshold by the rule of :meth:`ThemeModel.fit`
      (:mod:`cxtext.themes.steps`, step 5); the theme's old prototype(s) are
      removed, so :meth:`ThemeModel.transform` on a new dump assigns to the parts.
      Part thresholds are tighter than the whole theme's, so a comment
      on the edge of the old theme may now stay unthemed.
    * **Descriptions**: label, keywords, quotes and languages of each part
      come from :class:`cxtext.themes.label.ThemeLabeler` run on the members
      (so the keywords are those that tell the parts apart).

    Recorded in ``edits_`` as ``{"op": "split", "theme_id", "into",
    "labels", "sizes", "n", "rule", "silhouette"}``. ``labels_`` (the
    training comments) is updated when the members are exactly the
    theme's training comments in training order (same count); otherwise
    it is left as it was.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    model._check_fitted()
    t = check_id(model, theme_id)
    X = check_embeddings(embeddings_of_members, "embeddings_of_members", min_rows=0)
    texts = model._check_texts(texts_of_members, X.shape[0])
    if X.shape[1] != model.dim_:
        raise ValidationError(
            f"The embeddings have {X.shape[1]} dimensions but this ThemeModel was fitted on "
            f"{model.dim_}-dimensional embeddings from model {model.embedding_model!r}; embed with that model."
        )
    m = X.shape[0]
    if languages is not None:
        languages = ["und" if lang is None or (isinstance(lang, float) and math.isnan(lang))
                     else str(lang) for lang in languages]
        if len(languages) != m:
            raise ValidationError(
                f"'languages' must have one code per text ({m}). Got {len(languages)} instead.")
    label = model._themes[t]["label"]
    if m < 4:
        raise ThemeEditError(
            f"Theme {t} ({label!r}) has {m} comment(s); a split needs at least 4 (two per part)."
        )
    E = model._prepare(X, languages)
    distinct = np.unique(np.round(E, 6), axis=0).shape[0]
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 2 <= int(n) <= m // 2:
            raise ThemeEditError(
                f"'n' must be a whole number from 2 to {m // 2} for theme {t} ({m} comments). Got {n!r}."
            )
        n = int(n)
    if distinct < 2 or (n is not None and distinct < n):
        raise ThemeEditError(
            f"Theme {t} ({label!r}) has too few different comments ({distinct}) to split.")

    def silhouette(labels: np.ndarray) -> float:
        # O(m^2) memory: big themes are scored on a seeded sample of _SPLIT_SILHOUETTE_SAMPLE members
        size = _SPLIT_SILHOUETTE_SAMPLE if m > _SPLIT_SILHOUETTE_SAMPLE else None
        return float(silhouette_score(E, labels, metric="cosine", sample_size=size,
                                      random_state=int(model.seed_)))

    def cluster(k: int) -> np.ndarray:
        km = KMeans(n_clusters=k, n_init=10, random_state=int(model.seed_))
        # one OpenMP thread: on a busy machine threaded KMeans ran ~20x slower on 1,500 comments
        with threadpool_limits(limits=1, user_api="openmp"):
            return km.fit_predict(E).astype(np.int64)

    if n is not None:
        parts, rule = cluster(n), "given"
        score = silhouette(parts) if len(set(parts.tolist())) > 1 else float("nan")
    else:
        rule = "auto: k in 2..min(5, members // 2), every part >= 2 comments, highest cosine silhouette"
        best = None
        for k in range(2, min(5, m // 2, distinct) + 1):
            cand = cluster(k)
            counts = np.bincount(cand, minlength=k)
            if counts.min() < 2:
                continue
            s = silhouette(cand)
            if best is None or s > best[0] + 1e-12:
                best = (s, cand)
        if best is None:
            raise ThemeEditError(
                f"Theme {t} ({label!r}) has no split into parts of at least 2 comments; "
                "pass n to force one."
            )
        score, parts = best
    k = int(parts.max()) + 1
    sizes = np.bincount(parts, minlength=k)
    order = sorted(range(k), key=lambda c: (-int(sizes[c]), c))
    remap = np.empty(k, dtype=np.int64)
    for new, old in enumerate(order):
        remap[old] = new
    parts = remap[parts]
    sizes = sizes[order]
    C = centroids(E, parts, k)
    thr = thresholds(model, E, parts, C)
    labeler = ThemeLabeler(n_keywords=N_KEYWORDS, n_quotes=N_QUOTES).fit(
        texts, parts, E, languages, centroids=C)
    first_new = next_id(model)
    ids = [t] + [first_new + i for i in range(k - 1)]
    for c, tid in enumerate(ids):
        model._themes[tid] = {
            "label": labeler.theme_labels_[c],
            "keywords": [[term, round(float(s), 6)] for term, s in labeler.keyword_scores_[c]],
            "keywords_by_language": labeler.keywords_by_language_[c],
            "label_language": labeler.label_language_[c],
            "size": int(sizes[c]),
            "languages": {lang: float(v) for lang, v in labeler.languages_[c].items()},
            "quotes": list(labeler.quotes_[c]),
        }
    keep = model._proto_theme != t
    model._proto = np.concatenate([model._proto[keep], C.astype(np.float32)])
    model._proto_theme = np.concatenate([model._proto_theme[keep], np.asarray(ids, dtype=np.int64)])
    model._proto_threshold = np.concatenate(
        [model._proto_threshold[keep], np.asarray(thr, dtype=np.float64)])
    model._proto_size = np.concatenate([model._proto_size[keep], np.asarray(sizes, dtype=np.int64)])
    id_of = np.asarray(ids, dtype=np.int64)
    model.split_labels_ = id_of[parts]
    if hasattr(model, "labels_") and int(np.sum(model.labels_ == t)) == m:
        labels = model.labels_.copy()
        labels[labels == t] = model.split_labels_
        model.labels_ = labels
    model.edits_.append({
        "op": "split", "theme_id": t, "into": [int(i) for i in ids],
        "labels": [model._themes[i]["label"] for i in ids], "sizes": [int(s) for s in sizes],
        "n": k, "rule": rule, "silhouette": None if not math.isfinite(score) else round(float(score), 4),
    })
    model._refresh()
    return [int(i) for i in ids]


def move(model, rows: Sequence[int], theme_id: int):
    """Record that comments ``rows`` (1-based rows of an analysis) were moved to ``theme_id``.

    ``theme_id`` may be -1 (unthemed). Only the record is kept (``edits_``
    gets ``{"op": "move", "rows", "to", "label"}``): prototypes and
    thresholds do not change, so :meth:`ThemeModel.transform` gives exactly the same
    result before and after a move. A move corrects individual comments
    of one dump (:meth:`cxtext.analysis.Analysis.move_comments` applies
    it to its rows); it cannot move comments of another dump, and a few
    hand-moved comments should not shift a theme for everyone. To change
    how new comments are assigned, split, merge or delete instead.
    """
    model._check_fitted()
    target = -1 if (isinstance(theme_id, numbers.Integral) and not isinstance(theme_id, bool)
                    and int(theme_id) == -1) else check_id(model, theme_id)
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows or not all(
            isinstance(r, numbers.Integral) and not isinstance(r, bool) for r in rows):
        raise ValidationError(f"'rows' must be a non-empty list of row numbers. Got {rows!r} instead.")
    model.edits_.append({"op": "move", "rows": sorted({int(r) for r in rows}), "to": target,
                        "label": model._themes[target]["label"] if target >= 0 else None})
    return model


def next_id(model) -> int:
    """One more than any theme id this model ever used (current ids and those named in edits)."""
    used = set(model._themes) | {int(t) for t in model._proto_theme if t >= 0}
    for edit in model.edits_:
        for key in ("theme_id", "into", "theme_ids"):
            value = edit.get(key)
            if isinstance(value, list):
                used.update(int(v) for v in value if isinstance(v, numbers.Integral))
            elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
                used.add(int(value))
    return max(used, default=-1) + 1


def _interleave(lists: list[list[str]], limit: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for i in range(max((len(x) for x in lists), default=0)):
        for x in lists:
            if i < len(x) and x[i] not in seen:
                seen.add(x[i])
                out.append(x[i])
                if len(out) >= limit:
                    return out
    return out


def _dedupe(ids: list[int], exclude: int) -> list[int]:
    out: list[int] = []
    for t in ids:
        if t != exclude and t not in out:
            out.append(int(t))
    return out
