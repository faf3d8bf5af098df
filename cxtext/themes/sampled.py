"""Sampled fitting: learning the themes from a sample of a large dump.

**Fitting at scale** (``max_fit_size``, default 20,000): UMAP, HDBSCAN
and the c-TF-IDF labels cost more than linear time and memory in the number
of comments, so when ``fit`` gets more than ``max_fit_size`` comments it runs
steps 0-8 on a *sample* of exactly ``max_fit_size`` of them and assigns every
other comment with the :meth:`ThemeModel.transform` rule (cosine to the theme
prototypes, per-theme thresholds, secondary themes likewise), in blocks of
50,000 rows; that part is linear in time and memory. The sample is
stratified by language (the ``languages`` given to ``fit``; ``None`` is one
stratum): each language gets its proportional share, rounded by largest
remainder, drawn without replacement from a generator seeded by
``random_state``, so the same data and seed give the same sample and the
same themes. Afterwards ``labels_``, ``secondary_labels_``, sizes and shares
cover all comments, theme ids are ordered by their size over all comments,
``n_texts_`` is the full count and ``fit_sample_size_`` the sample size
(equal to ``n_texts_`` when nothing was sampled). Language means,
calibration, ``min_theme_size=None`` scaling, keywords, quotes and language
shares come from the sample; ``raw_unthemed_share_`` is the HDBSCAN noise
share of the sample. Comments outside the sample are held to the assignment
threshold (core comments of the sample are not), so the unthemed share is
somewhat higher than a full fit's. Measured on CLINC150 (8,600 queries, e5):
see ``bench/results/scale_fit.md``. ``max_fit_size=None`` never samples.
:meth:`ThemeModel.sample_indices` and :meth:`ThemeModel.finish_sampled_fit` expose the two halves
so :mod:`cxtext.engines.dask_engine` fits on its client and assigns on its workers
with the same result.

Interface: :func:`draw_sample` / :func:`sample_indices` read
``model.max_fit_size`` and ``model.random_state``. :func:`fit_on_sample` runs
the fit steps (:func:`cxtext.themes.steps.fit_all`) on the sample, assigns the
other rows with :func:`cxtext.themes.assign.assign` and calls
:func:`finish_sampled_fit`, which needs the unedited model fitted on the
sample and rewrites its ``labels_``, ``secondary_labels_``, prototypes and
theme records to cover (and be ordered by) all rows, then ``model._refresh()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from cxtext.errors import ValidationError
from cxtext.themes.assign import assign
from cxtext.themes.params import check_params
from cxtext.themes.reduce import resolve_seed
from cxtext.themes.steps import fit_all

#: Default ``max_fit_size``: above it ``fit`` learns the themes from a
#: stratified sample (measured in bench/results/scale_fit.md).
MAX_FIT_SIZE = 20_000
#: Rows assigned per block when the rest of a sampled fit is assigned (bounds
#: the n x themes similarity matrix).
ASSIGN_BLOCK = 50_000


def sample_indices(model, languages: Sequence[str] | None, n: int | None = None) -> np.ndarray | None:
    """Rows :meth:`ThemeModel.fit` learns the themes from, or ``None`` when it uses all of them.

    ``None`` when ``n <= max_fit_size`` (or ``max_fit_size`` is None);
    else ``max_fit_size`` sorted row indices, stratified by language (see
    the module docstring). ``languages``: one code per comment, as given to
    :meth:`ThemeModel.fit` (``None``: one stratum; then ``n`` is required). Used by
    the distributed engine to fit on the client exactly what :meth:`ThemeModel.fit`
    would fit on, with the same ``random_state``.
    """
    check_params(model)
    if languages is not None:
        languages = ["und" if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
                     for lang in languages]
        n = len(languages) if n is None else n
    if n is None:
        raise ValidationError("sample_indices needs 'languages' or 'n'.")
    return draw_sample(model, int(n), languages, resolve_seed(model.random_state))


def draw_sample(model, n: int, languages: Sequence[str | None] | None, seed: int) -> np.ndarray | None:
    """:func:`sample_indices` for a resolved ``seed`` (codes None count as "und")."""
    size = model.max_fit_size
    if size is None or n <= int(size):
        return None
    size = int(size)
    codes = np.array(["und" if lang is None else str(lang) for lang in languages], dtype=object) \
        if languages is not None else np.full(n, "und", dtype=object)
    strata = sorted(set(codes.tolist()))
    members = {code: np.flatnonzero(codes == code) for code in strata}
    # proportional allocation, largest remainder (Hamilton) so the total is exactly size
    quota = {code: members[code].size * size / n for code in strata}
    take = {code: int(math.floor(q)) for code, q in quota.items()}
    short = size - sum(take.values())
    for code in sorted(strata, key=lambda c: (-(quota[c] - take[c]), c))[:short]:
        take[code] += 1
    # a stream of its own, so the sample does not shift the fit's random numbers
    rng = np.random.default_rng([seed, 0x5A3])
    chosen = [rng.choice(members[code], size=take[code], replace=False) for code in strata if take[code]]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def fit_on_sample(model, texts: list[str], X: np.ndarray, languages: list[str | None] | None,
                  seed: int, sample: np.ndarray,
                  progress: Callable[[str, int, int], None] | None = None):
    """The fit steps on rows ``sample`` of ``X``, then the other rows assigned by the transform rule
    (in blocks of ``ASSIGN_BLOCK`` rows) and :func:`finish_sampled_fit`. Inputs as checked by
    :meth:`ThemeModel.fit`."""
    n = X.shape[0]
    in_sample = np.zeros(n, dtype=bool)
    in_sample[sample] = True
    rest = np.flatnonzero(~in_sample)
    fit_all(model, [texts[i] for i in sample], X[sample],
            None if languages is None else [languages[i] for i in sample], seed, progress)
    rest_labels, rest_secondary = [], []
    for start in range(0, rest.size, ASSIGN_BLOCK):
        block = rest[start:start + ASSIGN_BLOCK]
        E = model._prepare(X[block], None if languages is None else [languages[i] for i in block])
        labels, secondary = assign(model, E)
        rest_labels.append(labels)
        rest_secondary.extend(secondary)
    rest_labels = np.concatenate(rest_labels) if rest_labels else np.zeros(0, dtype=np.int64)
    return finish_sampled_fit(model, n, sample, rest_labels, rest_secondary)


def finish_sampled_fit(model, n: int, sample: np.ndarray, rest_labels: np.ndarray,
                       rest_secondary: list[list[int]]):
    """Extend a model fitted on rows ``sample`` of ``n`` to all of them.

    ``rest_labels`` / ``rest_secondary``: the assignment (the
    :meth:`ThemeModel.transform` rule) of the other rows, in row order. Afterwards
    ``labels_`` and ``secondary_labels_`` cover all ``n`` rows, sizes and
    shares count all of them, and theme ids are renumbered by their size
    over all rows. :meth:`ThemeModel.fit` calls this itself; the distributed engine
    calls it after assigning the rest on its workers.
    """
    model._check_fitted()
    sample = np.asarray(sample, dtype=np.int64)
    k = model._proto.shape[0]
    if model.edits_ or model.n_texts_ != sample.size or len(rest_labels) != n - sample.size \
            or len(rest_secondary) != n - sample.size:
        raise ValidationError("finish_sampled_fit needs the unedited model fitted on 'sample' and one "
                              "assignment per row outside it.")
    in_sample = np.zeros(n, dtype=bool)
    in_sample[sample] = True
    labels = np.full(n, -1, dtype=np.int64)
    labels[sample] = model.labels_
    labels[~in_sample] = np.asarray(rest_labels, dtype=np.int64)
    secondary: list[list[int]] = [[] for _ in range(n)]
    for i, sec in zip(sample.tolist(), model.secondary_labels_):
        secondary[i] = sec
    for i, sec in zip(np.flatnonzero(~in_sample).tolist(), rest_secondary):
        secondary[i] = [int(t) for t in sec]
    sizes = np.bincount(labels[labels >= 0], minlength=k) if k else np.zeros(0, dtype=np.int64)
    order = sorted(range(k), key=lambda c: (-int(sizes[c]), c))
    remap = np.full(k + 1, -1, dtype=np.int64)
    for new, old in enumerate(order):
        remap[old] = new
    model.labels_ = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)
    model.secondary_labels_ = [[int(remap[t]) for t in sec] for sec in secondary]
    model._proto = model._proto[order] if k else model._proto
    model._proto_threshold = model._proto_threshold[order] if k else model._proto_threshold
    model._proto_size = np.asarray(sizes[order] if k else sizes, dtype=np.int64)
    themes = {}
    for new, old in enumerate(order):
        rec = model._themes[old]
        rec["size"] = int(sizes[old])
        themes[new] = rec
    model._themes = themes
    model.fit_sample_size_ = int(sample.size)
    model.fit_rule_ = f"{model.fit_rule_}; learnt from a sample of {int(sample.size)} of {int(n)} comments"
    model.n_texts_ = int(n)
    model.unthemed_share_ = float(np.mean(model.labels_ < 0)) if n else 0.0
    model._refresh()
    return model

