"""The fit steps of :class:`~cxtext.themes.ThemeModel`.

:meth:`ThemeModel.fit <cxtext.themes.ThemeModel.fit>` runs :func:`fit_all`:
steps 0-8 below on every row it is given (every step deterministic for a
seed). This is the one place that explains them; the other theme modules
refer to these step numbers. Below ``small_corpus_size`` comments steps 2-3
(and 4b-4c) are replaced by the small-corpus rule
(:mod:`cxtext.themes.small_corpus`); above ``max_fit_size`` the steps run on a
sample and the rest is assigned (:mod:`cxtext.themes.sampled`). Copies of one text
are fitted once, weighted by their rows (:mod:`cxtext.themes.copies`): steps 0-6
see each distinct text once, centroids and sizes count every row.

0. **Centre by language** (``center_languages=True`` and ``languages``
   given): subtract each language's mean vector
   (:class:`cxtext.themes.center.LanguageCenterer`), so a mixed en/ar/ro dump is
   grouped by pain point rather than by language. The means are saved with
   the model and applied again in :meth:`ThemeModel.transform`. All later steps,
   calibration included, work on the centred unit vectors.
1. **Calibrate.** Embedding models differ in how similar *unrelated* comments
   look: all-MiniLM-L6-v2 gives random pairs cosine ~0.1 ± 0.1, while
   multilingual-e5-small gives ~0.8 ± 0.03 (translations ~0.9). So no
   threshold here is an absolute cosine. The model measures the corpus's own
   similarity distribution (``sim_mean_``, ``sim_std_``: mean and standard
   deviation of the cosine of up to 20,000 random pairs of comments) and
   expresses cosines as ``z = (cos - sim_mean_) / sim_std_``.
2. **Reduce** the embeddings with :class:`cxtext.themes.reduce.Reducer` (UMAP to
   ``n_components`` dimensions by default).
3. **Cluster** the reduced points with :class:`cxtext.themes.cluster.Clusterer`
   (HDBSCAN; ``min_theme_size=None`` scales with the corpus, see
   :func:`cxtext.themes.cluster.auto_min_cluster_size`). Its members are a theme's
   *core* comments; HDBSCAN noise is the *raw* unthemed share. When one theme holds more than
   half of the comments (it names nothing) and ``min_theme_size`` was not given: up to 3,000 distinct
   comments the small-corpus rule replaces HDBSCAN's themes; above, that theme is clustered again on its
   own, its parts taking its place (:mod:`cxtext.themes.recluster`; 10,480 Indonesian Google Play reviews
   gave 2 themes, one of 98%, then 44).
4. **Merge near-duplicate themes**: while the two most similar theme
   centroids (mean of core comments, L2-normalised, in embedding space) have
   ``z > merge_threshold`` they become one theme. **Off by default** (``inf``)
   since issue 19: leave-one-dataset-out on six labelled sets (bench/results/lodo.md)
   it never beat leaving themes apart (mean (NMI+ARI)/2 within 0.006 either way; it
   did not fire on 4 of the 6 sets). The old default 7.0 was deliberately
   conservative: measured on CLINC150/HWU64 with both models, centroids of
   themes holding *different* gold intents reach z 4.5-5.3 at their 99th
   percentile and 6.2-7.3 at the very top, while themes that split one gold
   intent sit at z 1-6; no threshold separates the two, so merging is kept
   for near-identical themes only (at 7.0: 0 merges with e5 on all three
   sets, 5 of 137 themes with MiniLM on all of CLINC150, NMI -0.001; at 6.0
   MiniLM merged 22 and lost 0.014 NMI). z grows with how broad the corpus
   is (a one-product survey has a higher ``sim_mean_``), so on narrow
   corpora merges are rarer still; use :meth:`ThemeModel.merge` for editorial merges.
4b. **Dissolve catch-all themes** (``min_relative_coherence``, default
   0.65; ``None`` keeps every theme): HDBSCAN sometimes gathers the
   odd-ones-out of a corpus (off-topic questions, one-off remarks) into one
   big loose cluster. Its *coherence* (mean cosine of its comments to their
   centroid, after removing the corpus mean; :func:`theme_coherence`) is far
   below the other themes'. A theme whose coherence is below 0.65 x the median
   theme's is dissolved: its comments become noise, step 4c may find real
   themes among them, and step 6 places each of the rest in a real theme
   only if it passes that theme's threshold. Needs at least 8 themes.
   Measured on CLINC150 and HWU64 with both models (coherence / median):
   the themes made of out-of-scope queries sat at 0.44-0.60 (0.59 for one
   with the int8 default backend, which 0.6 kept: 17.8% of the out-of-scope
   rows in one theme; 4.0% at 0.65, in-scope NMI unchanged), the loosest
   real themes (a few related intents in one, e.g. pay bill + bill due +
   minimum payment) at 0.63-0.72. A real theme dissolved by mistake is
   found again by step 4c when it is big, or its comments rejoin their
   nearest themes in step 6: at 0.65 the NMI on all three sets moved by at
   most 0.001. A robust z-score (median and MAD) did not separate them:
   real broad themes reached z -3.2 while MiniLM's catch-alls sat at -2.5
   to -2.8.
4c. **Cluster a dissolved theme again**: a catch-all may also hold real
   themes the first pass could not tell apart (on a 10,000-comment en/ar/ro
   dump, 2,957 of the ~3,000 Romanian product reviews formed one theme at
   0.04 x the median coherence). A dissolved theme with at least 4 x
   ``min_theme_size_`` comments is reduced and clustered again on its own
   (same settings and seed); each part as coherent as step 4b demands of
   any theme becomes a theme, the rest stays noise. On that dump: 22 new
   themes (battery, speakers, headphones, broke after months, worth the
   money...), unthemed 31.5% -> 9.3%.
5. **Assignment thresholds** (the rule :meth:`ThemeModel.transform` uses, also used to
   reassign the noise of step 3): a comment belongs to theme ``k`` when its
   cosine to the theme centroid is at least ``threshold_k``, the
   ``reassign_threshold`` quantile (0.05 when ``None``, the default) of the cosines of the
   theme's own core comments to that centroid, and never less than
   ``sim_mean_ + 2 * sim_std_`` unless that floor is above the theme's
   median core cosine (then the median: the floor must not shut out a
   theme's own typical comment). In words: a new comment joins a theme if it
   is at least as typical as the 5% least typical comments the theme was
   built from. This is relative per theme and per model. Measured on the
   benchmark sets it reassigned about half of the HDBSCAN noise and raised
   NMI by 0.004-0.02 over leaving noise unthemed (quantiles 0.02 and 0.10
   were within 0.005 NMI of 0.05).
6. **Reassign noise**: each HDBSCAN noise comment goes to its most similar
   centroid. With ``reassign_threshold=None`` (the default since issue 19) it always
   does; with a number, only if it passes that theme's threshold, else stays ``-1``.
   Leave one dataset out on six labelled sets, "every noise comment to its nearest
   theme" was chosen on every fold for both models; against the 0.05 threshold it
   gained (NMI + ARI) / 2 on 5 of 6 sets with e5 (+0.005 to +0.022) and 4 of 6 with
   MiniLM, and lost 0.010 on SemEval restaurants (bench/results/lodo.md). The small-corpus rule keeps its threshold
   (it was chosen with it, bench/results/small_surveys.md).
   (Assignment in embedding space beat reassignment in the UMAP space of
   :class:`~cxtext.themes.cluster.Clusterer` on every benchmark set.)
7. **Secondary themes**: a themed comment also speaks of theme ``k`` (≠ its
   primary ``p``) when ``cos(x, c_k) >= threshold_k`` *and*
   ``cos(x, c_p) - cos(x, c_k) <= secondary_margin * sim_std_`` (default
   0.25 standard deviations of the corpus similarity: 0.025 cosine for
   MiniLM, 0.008 for e5); at most 2, most similar first. On single-intent
   benchmark queries this flags 2-5% of comments with MiniLM, 6-9% with e5.
8. **Order and describe**: theme ids ``0..k-1`` by size (after reassignment)
   descending; keywords, label, quotes and languages from
   :class:`cxtext.themes.label.ThemeLabeler`.

``centroids_`` are the mean of each theme's core comments (L2-normalised,
embedding space); they and the thresholds are what :meth:`ThemeModel.transform` and a
saved model use, so ``transform`` on the training comments reproduces
``labels_`` for reassigned comments; overall it agreed with ``labels_`` on
90-93% of benchmark comments (the rest are core comments less typical than
the 5% threshold, or nearer another theme's centroid).

Interface: :func:`fit_all` sets the model's fitted attributes (``seed_``,
``language_means_``, ``sim_mean_``/``sim_std_``, ``fit_rule_``,
``small_corpus_``, ``small_corpus_cut_``, ``min_theme_size_``,
``reducer_method_``, ``n_clusters_found_``, ``n_merged_``, ``n_dissolved_``,
``n_reclustered_``, ``dim_``, ``n_texts_``, ``labels_``,
``secondary_labels_``, ``raw_unthemed_share_``, ``unthemed_share_``,
``edits_``), its prototypes (``_proto``, ``_proto_theme``,
``_proto_threshold``, ``_proto_size``) and theme records (``_themes``), then
calls ``model._refresh()``; it reads the parameters and calls
``model._prepare``. The step helpers take arrays (and the model for its
parameters and calibration): :func:`merge_duplicates` here, and in :mod:`cxtext.themes.recluster`
the steps that cluster again (:func:`reduce_and_cluster`, :func:`dissolve_diffuse`,
:func:`split_dominant`); the geometry they share with edits and taxonomy themes (calibration,
centroids, coherence, thresholds) is in :mod:`cxtext.themes.geometry`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from cxtext.themes.assign import normalize_rows, secondary
from cxtext.themes.center import LanguageCenterer
from cxtext.themes.cluster import AUTO_MCS_FACTOR
from cxtext.themes.copies import find_copies, place_noise
from cxtext.themes.geometry import calibrate, centroids, thresholds
from cxtext.themes.label import ThemeLabeler
from cxtext.themes.recluster import (DOMINANT_FALLBACK_MAX, DOMINANT_THEME_SHARE, dissolve_diffuse, largest_share,
                                     reduce_and_cluster, split_dominant)
from cxtext.themes.small_corpus import SMALL_CORPUS_LINKAGE, SMALL_CORPUS_MIN_LANGUAGE, small_corpus_cluster

# Bump when fit's rule changes its result for the same input and parameters:
# cached fits (cxtext.themes.fitcache) of an older rule are then not reused.
# 2: step 4c (dissolved catch-alls clustered again).
# 3: small corpora (fewer than small_corpus_size comments) clustered by the small-corpus rule.
# 4: the small-corpus rule centres languages of 5+ comments.
# 5: copies of a text fitted once, weighted by their rows (cxtext.themes.copies).
# 6: keywords and labels of languages beyond en/ar/ro drop their stop words (stopwords-iso).
# 7: Turkish text keeps its own ş in keywords and labels (no Romanian ş -> ș).
# 8: fit_rule_ says how the scaled theme size was set and that a smaller min_theme_size gives finer themes.
# 9: redaction masks ("XXXX") are never keywords nor inside a label phrase.
# 10: a label's language has 2+ of the theme's comments; a theme without a repeated keyword gets a short quote.
# 11: a label phrase is never one cut inside a run of content words when the theme has another.
# 12: Gulf-dialect fillers are Arabic stop words (keywords and labels).
# 13: HDBSCAN's fit with one theme of more than half the comments falls back to the small-corpus rule.
# 14: German nouns (capitalised) are no longer taken for names and left out of label phrases.
# 15: in a corpus over 3,000 comments, a theme of more than half of them is clustered again on its own.
FIT_REVISION = 15
#: Keywords and quotes kept per theme (fit, edits and taxonomy themes alike).
N_KEYWORDS = 10
N_QUOTES = 5
def fit_all(model, texts: list[str], X: np.ndarray, languages: list[str | None] | None, seed: int,
            progress: Callable[[str, int, int], None] | None = None) -> None:
    """Steps 0-8 of the module docstring on every given row, copies of a text once (:mod:`cxtext.themes.copies`)."""
    def report(stage: str) -> None:
        if progress is not None:
            progress(stage, 0, 1)

    n_rows, dim = X.shape
    copies = find_copies(texts)
    first, weights, n = copies.first, copies.counts, copies.n_distinct
    model.seed_ = seed
    size = model.small_corpus_size
    # an explicit min_theme_size sizes HDBSCAN's themes: that path is kept
    model.small_corpus_ = size is not None and n < int(size) and model.min_theme_size is None
    model.language_means_ = {}
    if model.center_languages and languages is not None:
        codes = [lang or "und" for lang in languages]
        min_language = int(model.min_language_size)
        if model.small_corpus_:  # no language of a small survey reaches 20 comments
            min_language = min(min_language, SMALL_CORPUS_MIN_LANGUAGE)
        model.language_means_ = LanguageCenterer(min_language).fit(X[first], [codes[i] for i in first]).means_
    E_rows = model._prepare(X, languages)
    E = E_rows[first]

    mu, sd = calibrate(E, seed)
    model.sim_mean_, model.sim_std_ = mu, sd

    if model.small_corpus_:
        core = small_corpus_cluster(model, E, report)
        model.reducer_method_ = "none"
        model.n_clusters_found_ = int(core.max()) + 1 if (core >= 0).any() else 0
        model.fit_rule_ = (
            f"small-corpus: {SMALL_CORPUS_LINKAGE}-linkage clustering cut at centred cosine >= "
            f"{model.small_corpus_cut_:.2f} (z >= {float(model.small_corpus_z):g} over this corpus's comment pairs), "
            f"themes of 2+ comments (n={n} < small_corpus_size {int(size)})")
    else:
        core, reducer, clusterer = reduce_and_cluster(model, E, model.min_theme_size, seed, report)
        model.reducer_method_ = reducer.effective_method_
        model.small_corpus_cut_ = None
        model.min_theme_size_ = clusterer.min_cluster_size_
        model.n_clusters_found_ = clusterer.n_clusters_
        why = ("small_corpus_size None" if size is None else f"n={n} >= small_corpus_size {int(size)}"
               if n >= int(size) else f"min_theme_size {model.min_theme_size} given")
        if model.min_theme_size is None:  # the size matters most and depends on the data: say how it was set
            why += (f"; size {AUTO_MCS_FACTOR:g} x sqrt({n}) rounded, within 5-100: a smaller min_theme_size "
                    "gives finer themes")
        model.fit_rule_ = (f"default: {reducer.effective_method_} {reducer.n_components_}-d + HDBSCAN "
                          f"min_cluster_size {clusterer.min_cluster_size_} ({why})")
        share = largest_share(core, weights)
        if model.min_theme_size is None and size is not None and share > DOMINANT_THEME_SHARE \
                and n <= DOMINANT_FALLBACK_MAX:  # (small_corpus_size None: HDBSCAN always, as asked)
            # one density region holding most comments names nothing (a public survey of 318 comments: one
            # theme of 288): the small-corpus rule, which cannot put most comments together, instead
            found = model.n_clusters_found_
            core = small_corpus_cluster(model, E, report)
            model.small_corpus_, model.reducer_method_ = True, "none"
            model.n_clusters_found_ = int(core.max()) + 1 if (core >= 0).any() else 0
            model.fit_rule_ = (
                f"small-corpus rule as a fallback: HDBSCAN (min_cluster_size {clusterer.min_cluster_size_}) found "
                f"{found} theme(s), one of them {share:.0%} of the comments, which names nothing; so "
                f"{SMALL_CORPUS_LINKAGE}-linkage clustering cut at centred cosine >= {model.small_corpus_cut_:.2f} "
                f"(z >= {float(model.small_corpus_z):g}), themes of 2+ comments (n={n})")
        elif model.min_theme_size is None and size is not None and share > DOMINANT_THEME_SHARE:
            core, rounds = split_dominant(model, E, core, weights)
            if rounds:
                model.n_clusters_found_ = int(core.max()) + 1 if (core >= 0).any() else 0
                model.fit_rule_ += (
                    f"; HDBSCAN put {share:.0%} of the comments in one theme, which names nothing, so that theme "
                    f"was clustered again on its own ({rounds} time(s)): the largest theme now holds "
                    f"{largest_share(core, weights):.0%}")

    if n < n_rows:
        model.fit_rule_ += f"; {n} distinct texts of {n_rows} comments, copies fitted once"
    core = merge_duplicates(model, E, core)
    model.n_merged_ = model.n_clusters_found_ - (int(core.max()) + 1 if (core >= 0).any() else 0)
    if model.small_corpus_:
        # a similarity cut bounds how loose a theme can be; there are too few themes to judge a catch-all
        model.n_dissolved_ = model.n_reclustered_ = 0
    else:
        core = dissolve_diffuse(model, E, core)
    k = int(core.max()) + 1 if (core >= 0).any() else 0
    C = centroids(E, core, k, weights)
    thr = thresholds(model, E, core, C)
    labels, core = place_noise(model, E, core, C, thr, weights, model.min_theme_size_)  # step 6
    if (core >= 0).any() and int(core.max()) + 1 > k:  # copies that became themes of their own
        k = int(core.max()) + 1
        C = centroids(E, core, k, weights)
        thr = thresholds(model, E, core, C)

    # order by final size (ties: smaller core id, which is larger core size)
    sizes = (np.bincount(labels[labels >= 0], weights=weights[labels >= 0], minlength=k).astype(np.int64)
             if k else np.zeros(0, int))
    order = sorted(range(k), key=lambda c: (-int(sizes[c]), c))
    remap = np.full(k + 1, -1, dtype=np.int64)
    for new, old in enumerate(order):
        remap[old] = new
    labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)
    core = np.where(core >= 0, remap[np.maximum(core, 0)], -1).astype(np.int64)
    C = C[order] if k else C
    thr = thr[order] if k else thr
    labels, core = labels[copies.inverse], core[copies.inverse]  # every row gets its text's theme

    model.dim_ = dim
    model.n_texts_ = n_rows
    model._proto = C.astype(np.float32)
    model._proto_theme = np.arange(k, dtype=np.int64)
    model._proto_threshold = np.asarray(thr, dtype=np.float64)
    model._proto_size = np.asarray(sizes[order] if k else sizes, dtype=np.int64)
    model.labels_ = labels
    model.raw_unthemed_share_ = float(np.mean(core < 0)) if n_rows else 0.0
    model.unthemed_share_ = float(np.mean(labels < 0)) if n_rows else 0.0
    distinct_secondary = secondary(model, E, labels[first])
    model.secondary_labels_ = [list(distinct_secondary[i]) for i in copies.inverse]

    report("label")
    labeler = ThemeLabeler(n_keywords=N_KEYWORDS, n_quotes=N_QUOTES).fit(  # on every row: copies count
        texts, labels, E_rows, languages, centroids=model._proto.astype(np.float64)
    )
    model._themes = {}
    for c in range(k):
        model._themes[c] = {
            "label": labeler.theme_labels_[c],
            "keywords": [[t, round(float(s), 6)] for t, s in labeler.keyword_scores_[c]],
            "keywords_by_language": labeler.keywords_by_language_[c],
            "label_language": labeler.label_language_[c],
            "size": int(labeler.sizes_[c]),
            "languages": {lang: float(v) for lang, v in labeler.languages_[c].items()},
            "quotes": list(labeler.quotes_[c]),
        }
    model.edits_ = []
    model._refresh()


def merge_duplicates(model, E: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Agglomerate themes while the closest centroid pair has z > merge_threshold."""
    labels = labels.copy()
    if not math.isfinite(float(model.merge_threshold)) and float(model.merge_threshold) > 0:
        return labels
    ids = sorted(int(c) for c in np.unique(labels) if c >= 0)
    if len(ids) < 2:
        return labels
    sums = {c: E[labels == c].sum(axis=0) for c in ids}
    while len(sums) > 1:
        keys = sorted(sums)
        C = normalize_rows(np.stack([sums[c] for c in keys]))
        S = C @ C.T
        np.fill_diagonal(S, -np.inf)
        a, b = np.unravel_index(int(np.argmax(S)), S.shape)
        if not (np.asarray(S[a, b]) - model.sim_mean_) / model.sim_std_ > float(model.merge_threshold):
            break
        keep, drop = min(keys[a], keys[b]), max(keys[a], keys[b])
        sums[keep] = sums[keep] + sums.pop(drop)
        labels[labels == drop] = keep
    # renumber 0..k-1 keeping relative order
    out = np.full_like(labels, -1)
    for new, old in enumerate(sorted(sums)):
        out[labels == old] = new
    return out
