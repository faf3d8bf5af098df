"""The small-corpus rule of :meth:`ThemeModel.fit <cxtext.themes.ThemeModel.fit>`.

Step numbers are those of :mod:`cxtext.themes.steps`, which calls
:func:`small_corpus_cluster` in place of steps 2-3 when the rule applies.

**Small corpora** (``small_corpus_size``, default 275): a monthly survey of
a small product has 10-300 comments and themes of 2-5 comments, and HDBSCAN
needs ``min_cluster_size`` >= 5 comments to see a dense region at all: a
20-row survey whose three comments "delivery was late, nobody answered" (en,
ar, ro) are its main complaint got one theme at most and left them unthemed.
Below ``small_corpus_size`` comments, a language gets its own mean in step 0
from 5 comments (``SMALL_CORPUS_MIN_LANGUAGE``; ``min_language_size`` if
smaller) instead of 20, which no language of a small survey reaches, and
steps 2-3 are replaced by
**average-linkage hierarchical clustering** of the centred unit vectors
(:func:`cxtext.themes.cluster.agglomerative_labels`; without language means the
corpus mean is subtracted first), cut where the average cosine between two
groups falls below ``mean + small_corpus_z * std`` of the cosines of all
pairs of the corpus's comments (``small_corpus_z`` default 1.125; the cosine
used is ``small_corpus_cut_``, 0.15-0.22 on the e5 test surveys). A comment left on
its own is noise; a theme needs 2 comments. This replaces the default
``min_theme_size=None`` only: a given ``min_theme_size`` sizes HDBSCAN's
themes and keeps steps 2-3 whatever the corpus size. Steps 4 and 5-8
follow as usual; step 4b/4c (catch-alls) is skipped: the cut already bounds
how loose a theme can be, and there are too few themes to judge. No random
step: the same comments give the same themes for any seed.
Measured leave-one-dataset-out on 181 small samples (12-300 comments; CLINC150
banking and other domains, HWU64, SemEval ABSA aspects, the en/ar/ro parallel
set and six written en/ar/ro surveys; ``bench/results/small_surveys.md``):
NMI 0.797 / ARI 0.554 / 10% unthemed / 72% of the gold groups found, against
0.627 / 0.291 / 24% / 26% for UMAP + HDBSCAN (mean over held-out sources; z
1.125 was chosen in every fold). It beat the HDBSCAN path on (NMI + ARI) / 2
in 100% of 12- and 25-comment samples, 96% at 50, 75% at 100, 55-58% at
200-250, and lost at 300 (39%) and 500 (22%): hence 275. Language means
from 5+ comments lifted the written en/ar/ro surveys from ARI 0.687 to 0.747
(groups found 91% -> 94%) and the parallel set from 0.235 to 0.316 (43% ->
63%); English sets are unchanged. A centred-cosine cut (0.15) did as well on
NMI and worse on ARI; complete linkage and HDBSCAN with
``min_cluster_size`` 2-3 on the raw vectors did worse.
Also above ``small_corpus_size``, when HDBSCAN's themes leave more than half the comments in one (step
2-3's ``DOMINANT_THEME_SHARE`` in :mod:`cxtext.themes.recluster`, up to 3,000 distinct comments), this rule
clusters them instead: a public 318-comment survey got 2 themes, one of 288, from HDBSCAN.
``fit_rule_`` says which rule ran and why; ``tentative_`` names the themes of
fewer than ``TENTATIVE_SIZE`` (5) comments, which a reader should not lean on
alone (a small survey's themes mostly are).
What it does differently, and a reason to set ``min_theme_size`` (or merge
themes) for coarser themes: it keeps apart what e5 keeps apart. On the
31-comment dump of ``tests/feedback.py`` (3 complaints x 10 phrasings) it
gives 6 themes: "charged twice" and "extra fees on my bill" (5 comments
each, en/ar/ro) and the hold-time complaint in parts of 5, 3 and 2, where
UMAP + HDBSCAN with ``min_theme_size=4`` gave the three complaints; on the
en/ar/ro parallel set (8 pain points, 5 phrasings each) it found 63% of the
pain points, over-splitting where phrasings differ (UMAP + HDBSCAN: 8%).

Interface: :func:`small_corpus_cluster` reads ``model.language_means_`` and
``model.small_corpus_z`` and sets ``model.min_theme_size_`` (2) and
``model.small_corpus_cut_``; it returns the core labels (-1 = noise).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cxtext.themes.assign import normalize_rows
from cxtext.themes.cluster import agglomerative_labels

#: Default ``small_corpus_size``: below this many comments :meth:`ThemeModel.fit`
#: uses the small-corpus rule (bench/results/small_surveys.md).
SMALL_CORPUS_SIZE = 275
#: Default ``small_corpus_z``: the average-linkage cut, in standard deviations of
#: the corpus's pairwise centred cosines above their mean (bench/results/small_surveys.md).
SMALL_CORPUS_Z = 1.125
SMALL_CORPUS_LINKAGE = "average"
#: With the small-corpus rule a language gets its own mean from this many
#: comments (``min_language_size`` when smaller): 20 is out of reach in a small
#: survey, and with only the corpus mean removed its Arabic comments formed
#: their own themes (bench/results/small_surveys.md: "language means").
SMALL_CORPUS_MIN_LANGUAGE = 5
#: A theme built from fewer comments than this is *tentative* (``tentative_``):
#: shown, but a reader should not lean on it alone.
TENTATIVE_SIZE = 5


def small_corpus_cluster(model, E: np.ndarray, report: Callable[[str], None]) -> np.ndarray:
    """The small-corpus rule (module docstring): average-linkage
    clustering of the centred unit vectors, cut at ``mean + small_corpus_z * std``
    of all their pairwise cosines (``small_corpus_cut_``); single comments are noise.
    Reports the "reduce" stage too (nothing to reduce), so progress shows the
    same stages whichever rule runs."""
    report("reduce")
    report("cluster")
    model.min_theme_size_ = 2
    # centred vectors: without language means (no languages, or centring off)
    # centre on the corpus mean here, so the cut means the same either way
    V = E if model.language_means_ else normalize_rows(E - E.mean(axis=0))
    n = V.shape[0]
    if n < 2:
        model.small_corpus_cut_ = 1.0
        return np.full(n, -1, dtype=np.int64)
    pairs = (V @ V.T)[np.triu_indices(n, 1)]
    cut = float(pairs.mean()) + float(model.small_corpus_z) * float(max(pairs.std(), 1e-6))
    model.small_corpus_cut_ = float(np.clip(cut, -1.0, 1.0))
    return agglomerative_labels(V, model.small_corpus_cut_, SMALL_CORPUS_LINKAGE, model.min_theme_size_)

