"""Recurring issue themes in customer comments: :class:`ThemeModel`.

Pipeline of :meth:`ThemeModel.fit` (every step deterministic for a seed):

0. **Centre by language** (``center_languages=True`` and ``languages``
   given): subtract each language's mean vector
   (:class:`cxtext.themes.center.LanguageCenterer`), so a mixed en/ar/ro dump is
   grouped by pain point rather than by language. The means are saved with
   the model and applied again in :meth:`transform`. All later steps,
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
   *core* comments; HDBSCAN noise is the *raw* unthemed share.
4. **Merge near-duplicate themes**: while the two most similar theme
   centroids (mean of core comments, L2-normalised, in embedding space) have
   ``z > merge_threshold`` they become one theme. Default 7.0, deliberately
   conservative: measured on CLINC150/HWU64 with both models, centroids of
   themes holding *different* gold intents reach z 4.5-5.3 at their 99th
   percentile and 6.2-7.3 at the very top, while themes that split one gold
   intent sit at z 1-6; no threshold separates the two, so merging is kept
   for near-identical themes only (at 7.0: 0 merges with e5 on all three
   sets, 5 of 137 themes with MiniLM on all of CLINC150, NMI -0.001; at 6.0
   MiniLM merged 22 and lost 0.014 NMI). z grows with how broad the corpus
   is (a one-product survey has a higher ``sim_mean_``), so on narrow
   corpora merges are rarer still; use :meth:`merge` for editorial merges.
4b. **Dissolve catch-all themes** (``min_relative_coherence``, default
   0.65; ``None`` keeps every theme): HDBSCAN sometimes gathers the
   odd-ones-out of a corpus (off-topic questions, one-off remarks) into one
   big loose cluster. Its *coherence* (mean cosine of its comments to their
   centroid, after removing the corpus mean; :meth:`theme_coherence`) is far
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
5. **Assignment thresholds** (the rule :meth:`transform` uses, also used to
   reassign the noise of step 3): a comment belongs to theme ``k`` when its
   cosine to the theme centroid is at least ``threshold_k``, the
   ``reassign_threshold`` quantile (default 0.05) of the cosines of the
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
   centroid if it passes that theme's threshold, else stays ``-1``.
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
embedding space); they and the thresholds are what :meth:`transform` and a
saved model use, so ``transform`` on the training comments reproduces
``labels_`` for reassigned comments; overall it agreed with ``labels_`` on
90-93% of benchmark comments (the rest are core comments less typical than
the 5% threshold, or nearer another theme's centroid).

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

**Fitting at scale** (``max_fit_size``, default 20,000): UMAP, HDBSCAN
and the c-TF-IDF labels cost more than linear time and memory in the number
of comments, so when ``fit`` gets more than ``max_fit_size`` comments it runs
steps 0-8 on a *sample* of exactly ``max_fit_size`` of them and assigns every
other comment with the :meth:`transform` rule (cosine to the theme
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
:meth:`sample_indices` and :meth:`finish_sampled_fit` expose the two halves
so :mod:`cxtext.engines.dask_engine` fits on its client and assigns on its workers
with the same result.

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
  step 5), so :meth:`transform` assigns new comments to the parts; see
  :meth:`split` for how the number of parts is chosen.
* move: recorded only (``{"op": "move", "rows", "to"}``); it changes no
  prototype, so reuse on another dump is unaffected (see :meth:`move`).
* delete: the deleted theme's prototype stays as a sink: a comment whose best
  match is the deleted theme becomes unthemed (``-1``) instead of drifting
  into a neighbouring theme. Fitted comments of the theme become ``-1`` in
  ``labels_``, and it is removed from ``secondary_labels_``.

**Saved folder** (:meth:`save` / :meth:`load`, no pickle): ``model.json``
(format, cxtext version, parameters, embedding model and dimension,
calibration, themes with labels, keywords, quotes, languages, prototypes with
thresholds and current theme ids, edits) and ``centroids.npy`` (float32, one
row per prototype, i.e. per fitted theme including merged/deleted ones, with
a split theme's prototypes replaced by its parts'; with no edits it equals
``centroids_``). ``labels_`` and ``secondary_labels_``
describe the training comments and are not saved.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.themes.center import LanguageCenterer
from cxtext.themes.cluster import Clusterer, agglomerative_labels
from cxtext.errors import ModelError, NotFittedError, ThemeEditError, ValidationError
from cxtext.themes.label import THEME_COLUMNS, ThemeLabeler, format_languages
from cxtext.themes.reduce import Reducer, check_embeddings, resolve_seed

__all__ = ["ThemeModel", "FORMAT_VERSION"]

FORMAT_VERSION = 1
MODEL_FILE = "model.json"
CENTROIDS_FILE = "centroids.npy"
_CALIBRATION_PAIRS = 20_000
_MIN_ASSIGN_Z = 2.0
_MAX_SECONDARY = 2
_N_KEYWORDS = 10
_N_QUOTES = 5
#: Default ``max_fit_size``: above it ``fit`` learns the themes from a
#: stratified sample (measured in bench/results/scale_fit.md).
MAX_FIT_SIZE = 20_000
_MIN_FIT_SIZE = 10
#: Rows assigned per block when the rest of a sampled fit is assigned (bounds
#: the n x themes similarity matrix).
_ASSIGN_BLOCK = 50_000
#: Members a split's silhouette is computed on at most (it needs m x m distances).
_SPLIT_SILHOUETTE_SAMPLE = 2_000
_PARAMS = (
    "min_theme_size",
    "reduction",
    "n_components",
    "n_neighbors",
    "reassign_threshold",
    "merge_threshold",
    "secondary_margin",
    "center_languages",
    "min_language_size",
    "embedding_model",
    "random_state",
    "max_fit_size",
    "min_relative_coherence",
    "small_corpus_size",
    "small_corpus_z",
)
#: Fewer themes than this and no theme is judged diffuse: the spread of
#: coherence needs a few themes to be estimated.
# Bump when fit's rule changes its result for the same input and parameters:
# cached fits (cxtext.themes.fitcache) of an older rule are then not reused.
# 2: step 4c (dissolved catch-alls clustered again).
# 3: small corpora (fewer than small_corpus_size comments) clustered by the small-corpus rule.
# 4: the small-corpus rule centres languages of 5+ comments.
FIT_REVISION = 4
_MIN_THEMES_FOR_DIFFUSE = 8
# A dissolved theme is clustered again on its own only when it could hold a few themes.
_RECLUSTER_MIN_SIZES = 4
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
_OLD_FIT_RULE = "not recorded (saved by an older cxtext)"


def _version() -> str:
    try:
        from cxtext import __version__

        return str(__version__)
    except Exception:  # pragma: no cover
        return "unknown"


def _normalize_rows(E: np.ndarray) -> np.ndarray:
    E = np.asarray(E, dtype=np.float64)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return E / np.where(norms > 0, norms, 1.0)


def _real(name: str, value, low: float | None = None, high: float | None = None,
          low_open: bool = False, high_open: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok and low is not None:
        ok = float(value) > low if low_open else float(value) >= low
    if ok and high is not None:
        ok = float(value) < high if high_open else float(value) <= high
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low}"
        hi = "" if high is None else f"{high}" + (")" if high_open else "]")
        rng = f" in {lo}, {hi}" if low is not None and high is not None else (f" >= {low}" if low is not None else "")
        raise ValidationError(f"The '{name}' parameter must be a float{rng}. Got {value!r} instead.")
    return float(value)


class ThemeModel:
    """Find recurring themes in comment embeddings; reuse them on new comments.

    Parameters
    ----------
    min_theme_size : int >= 2 or None
        Smallest theme (HDBSCAN ``min_cluster_size``). ``None`` scales with
        the corpus (:func:`cxtext.themes.cluster.auto_min_cluster_size`), and below
        ``small_corpus_size`` comments uses the small-corpus rule instead.
    reduction : {"umap", "pca", "none"}
    n_components, n_neighbors : int
        Reducer settings (see :class:`cxtext.themes.reduce.Reducer`).
    reassign_threshold : float in [0, 1)
        Quantile of a theme's core-comment similarities used as its
        assignment threshold (default 0.05; see the module docstring).
    merge_threshold : float
        Themes whose centroids have z-scored cosine above this merge
        (default 7.0; ``inf`` disables merging).
    secondary_margin : float >= 0
        Secondary-theme margin in corpus similarity standard deviations
        (default 0.25; 0 disables secondary themes except exact ties).
    center_languages : bool
        Subtract each language's mean vector before clustering (default
        True; :class:`cxtext.themes.center.LanguageCenterer`). Needs ``languages`` in
        :meth:`fit`; without them nothing is centred. Without it, e5 groups a
        mixed dump by language before pain point (bench/RESULTS.md).
    min_language_size : int >= 1
        Fewest comments for a language to get its own mean (default 20);
        smaller languages and "und" are shifted by the overall mean.
    embedding_model : str
        Name of the embedding model the embeddings come from ("default",
        "minilm" or a path); stored so a saved model is used with the same
        model.
    random_state : None, int or numpy generator
        Stored as given; resolved in :meth:`fit` (``seed_``).
    max_fit_size : int >= 10 or None
        Most comments the themes are learnt from (default 20,000). With more,
        :meth:`fit` learns them from a language-stratified seeded sample of
        this size and assigns the rest with the :meth:`transform` rule, so
        time and memory grow linearly (module docstring, "Fitting at scale").
        ``None``: always fit on every comment.
    min_relative_coherence : float in [0, 1] or None
        A theme whose coherence is below this fraction of the median theme's
        is a catch-all and is dissolved (module docstring, step 4b).
        ``None``: never.
    small_corpus_size : int >= 0 or None
        With fewer comments than this (default 275) and ``min_theme_size=None``,
        :meth:`fit` clusters with the small-corpus rule instead of UMAP +
        HDBSCAN (module docstring, "Small corpora"). ``None`` or 0: never.
        An explicit ``min_theme_size`` always keeps UMAP + HDBSCAN.
    small_corpus_z : float
        The small-corpus rule's cut: two groups of comments join while their
        average centred cosine is at least ``mean + small_corpus_z * std`` of
        the cosines of all pairs of the corpus's comments (default 1.125).

    Fitted attributes
    -----------------
    labels_ : int64 (n,), primary theme per comment, -1 unthemed.
    secondary_labels_ : list[list[int]], other themes per comment.
    themes_ : DataFrame [theme_id, label, keywords, size, share, languages, quotes].
    centroids_ : (n_themes, dim) float32, L2-normalised, rows in themes_ order.
    thresholds_ : (n_themes,) float64 cosine assignment threshold per theme.
    n_themes_, raw_unthemed_share_, unthemed_share_, sim_mean_, sim_std_,
    keywords_by_language_ ({theme_id: {lang: [terms]}}), edits_ (list of dicts),
    fit_rule_ (str: which clustering rule fit used and why, e.g. "small-corpus: average-linkage
    clustering, centred cosine >= 0.40 (n=13 < 150)"), small_corpus_ (bool: the small-corpus rule was used),
    tentative_ (frozenset of theme ids built from fewer than ``TENTATIVE_SIZE`` = 5 comments: a reader should
    not lean on them alone; recomputed from theme sizes after edits),
    n_texts_, fit_sample_size_ (comments the themes were learnt from), dim_, language_means_ ({lang: (dim,) float32}, "*" = overall;
    empty when nothing was centred), n_merged_, n_dissolved_ and n_reclustered_ (themes merged /
    dissolved as catch-alls / found again inside those in fit), split_labels_ (after :meth:`split`: the part id of each member given).
    """

    def __init__(
        self,
        min_theme_size: int | None = None,
        reduction: str = "umap",
        n_components: int = 5,
        n_neighbors: int = 15,
        reassign_threshold: float = 0.05,
        merge_threshold: float = 7.0,
        secondary_margin: float = 0.25,
        center_languages: bool = True,
        min_language_size: int = 20,
        embedding_model: str = "default",
        random_state=0,
        max_fit_size: int | None = MAX_FIT_SIZE,
        min_relative_coherence: float | None = 0.65,
        small_corpus_size: int | None = SMALL_CORPUS_SIZE,
        small_corpus_z: float = SMALL_CORPUS_Z,
    ):
        self.min_theme_size = min_theme_size
        self.reduction = reduction
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.reassign_threshold = reassign_threshold
        self.merge_threshold = merge_threshold
        self.secondary_margin = secondary_margin
        self.center_languages = center_languages
        self.min_language_size = min_language_size
        self.embedding_model = embedding_model
        self.random_state = random_state
        self.max_fit_size = max_fit_size
        self.min_relative_coherence = min_relative_coherence
        self.small_corpus_size = small_corpus_size
        self.small_corpus_z = small_corpus_z

    def get_params(self) -> dict:
        return {name: getattr(self, name) for name in _PARAMS}

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != ThemeModel().__dict__.get(k, object())}
        return "ThemeModel(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    # ------------------------------------------------------------ validation
    def _validate_params(self) -> None:
        if self.min_theme_size is not None and (
            isinstance(self.min_theme_size, bool)
            or not isinstance(self.min_theme_size, numbers.Integral)
            or self.min_theme_size < 2
        ):
            raise ValidationError(
                f"The 'min_theme_size' parameter must be an int >= 2 or None. Got {self.min_theme_size!r} instead."
            )
        _real("reassign_threshold", self.reassign_threshold, 0.0, 1.0, high_open=True)
        if not (isinstance(self.merge_threshold, numbers.Real) and not isinstance(self.merge_threshold, bool)
                and not math.isnan(float(self.merge_threshold))):
            raise ValidationError(
                f"The 'merge_threshold' parameter must be a float (z-score; inf disables merging). "
                f"Got {self.merge_threshold!r} instead."
            )
        _real("secondary_margin", self.secondary_margin, 0.0)
        if self.min_relative_coherence is not None:
            _real("min_relative_coherence", self.min_relative_coherence, 0.0, 1.0)
        if not isinstance(self.center_languages, bool):
            raise ValidationError(
                f"The 'center_languages' parameter must be True or False. Got {self.center_languages!r} instead."
            )
        if isinstance(self.min_language_size, bool) or not isinstance(self.min_language_size, numbers.Integral) \
                or self.min_language_size < 1:
            raise ValidationError(
                f"The 'min_language_size' parameter must be an int >= 1. Got {self.min_language_size!r} instead."
            )
        if not isinstance(self.embedding_model, str) or not self.embedding_model:
            raise ValidationError(
                f"The 'embedding_model' parameter must be a non-empty string. Got {self.embedding_model!r} instead."
            )
        if self.max_fit_size is not None and (
            isinstance(self.max_fit_size, bool)
            or not isinstance(self.max_fit_size, numbers.Integral)
            or self.max_fit_size < _MIN_FIT_SIZE
        ):
            raise ValidationError(
                f"The 'max_fit_size' parameter must be an int >= {_MIN_FIT_SIZE} or None (never sample). "
                f"Got {self.max_fit_size!r} instead."
            )
        if self.small_corpus_size is not None and (
            isinstance(self.small_corpus_size, bool)
            or not isinstance(self.small_corpus_size, numbers.Integral)
            or self.small_corpus_size < 0
        ):
            raise ValidationError(
                f"The 'small_corpus_size' parameter must be an int >= 0 or None (never use the small-corpus rule). "
                f"Got {self.small_corpus_size!r} instead."
            )
        _real("small_corpus_z", self.small_corpus_z)
        # reducer parameters are checked by the Reducer itself, with the same messages
        Reducer(self.reduction, self.n_components, self.n_neighbors)._validate_params()

    def _check_fitted(self) -> None:
        if not hasattr(self, "_proto"):
            raise NotFittedError("This ThemeModel is not fitted yet. Call 'fit' or 'ThemeModel.load' first.")

    @staticmethod
    def _check_texts(texts, n: int | None = None) -> list[str]:
        if isinstance(texts, str) or texts is None:
            raise ValidationError("'texts' must be a sequence of strings (one per comment), not a single string.")
        out = ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t) for t in texts]
        if n is not None and len(out) != n:
            raise ValidationError(
                f"'texts' and 'embeddings' must have the same length. Got {len(out)} texts and {n} embedding rows."
            )
        return out

    # ------------------------------------------------------------------- fit
    def fit(self, texts: Sequence[str], embeddings: np.ndarray, languages: Sequence[str] | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> "ThemeModel":
        """Learn themes; ``progress(stage, done, total)`` hears "reduce", "cluster" and "label"."""
        self._validate_params()
        X = check_embeddings(embeddings, "embeddings")
        texts = self._check_texts(texts, X.shape[0])
        n, dim = X.shape
        if languages is not None:
            languages = [None if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
                         for lang in languages]
            if len(languages) != n:
                raise ValidationError(f"'languages' must have one code per text ({n}). Got {len(languages)} instead.")
        seed = resolve_seed(self.random_state)
        sample = self._sample_indices(n, languages, seed)
        if sample is None:
            self._fit_all(texts, X, languages, seed, progress)
            self.fit_sample_size_ = n
            return self
        in_sample = np.zeros(n, dtype=bool)
        in_sample[sample] = True
        rest = np.flatnonzero(~in_sample)
        self._fit_all([texts[i] for i in sample], X[sample],
                      None if languages is None else [languages[i] for i in sample], seed, progress)
        rest_labels, rest_secondary = [], []
        for start in range(0, rest.size, _ASSIGN_BLOCK):
            block = rest[start:start + _ASSIGN_BLOCK]
            E = self._prepare(X[block], None if languages is None else [languages[i] for i in block])
            labels, secondary = self._assign(E)
            rest_labels.append(labels)
            rest_secondary.extend(secondary)
        rest_labels = np.concatenate(rest_labels) if rest_labels else np.zeros(0, dtype=np.int64)
        return self.finish_sampled_fit(n, sample, rest_labels, rest_secondary)

    def sample_indices(self, languages: Sequence[str] | None, n: int | None = None) -> np.ndarray | None:
        """Rows :meth:`fit` learns the themes from, or ``None`` when it uses all of them.

        ``None`` when ``n <= max_fit_size`` (or ``max_fit_size`` is None);
        else ``max_fit_size`` sorted row indices, stratified by language (see
        the class docstring). ``languages``: one code per comment, as given to
        :meth:`fit` (``None``: one stratum; then ``n`` is required). Used by
        the distributed engine to fit on the client exactly what :meth:`fit`
        would fit on, with the same ``random_state``.
        """
        self._validate_params()
        if languages is not None:
            languages = ["und" if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
                         for lang in languages]
            n = len(languages) if n is None else n
        if n is None:
            raise ValidationError("sample_indices needs 'languages' or 'n'.")
        return self._sample_indices(int(n), languages, resolve_seed(self.random_state))

    def _sample_indices(self, n: int, languages: Sequence[str] | None, seed: int) -> np.ndarray | None:
        size = self.max_fit_size
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

    def finish_sampled_fit(self, n: int, sample: np.ndarray, rest_labels: np.ndarray,
                           rest_secondary: list[list[int]]) -> "ThemeModel":
        """Extend a model fitted on rows ``sample`` of ``n`` to all of them.

        ``rest_labels`` / ``rest_secondary``: the assignment (the
        :meth:`transform` rule) of the other rows, in row order. Afterwards
        ``labels_`` and ``secondary_labels_`` cover all ``n`` rows, sizes and
        shares count all of them, and theme ids are renumbered by their size
        over all rows. :meth:`fit` calls this itself; the distributed engine
        calls it after assigning the rest on its workers.
        """
        self._check_fitted()
        sample = np.asarray(sample, dtype=np.int64)
        k = self._proto.shape[0]
        if self.edits_ or self.n_texts_ != sample.size or len(rest_labels) != n - sample.size \
                or len(rest_secondary) != n - sample.size:
            raise ValidationError("finish_sampled_fit needs the unedited model fitted on 'sample' and one "
                                  "assignment per row outside it.")
        in_sample = np.zeros(n, dtype=bool)
        in_sample[sample] = True
        labels = np.full(n, -1, dtype=np.int64)
        labels[sample] = self.labels_
        labels[~in_sample] = np.asarray(rest_labels, dtype=np.int64)
        secondary: list[list[int]] = [[] for _ in range(n)]
        for i, sec in zip(sample.tolist(), self.secondary_labels_):
            secondary[i] = sec
        for i, sec in zip(np.flatnonzero(~in_sample).tolist(), rest_secondary):
            secondary[i] = [int(t) for t in sec]
        sizes = np.bincount(labels[labels >= 0], minlength=k) if k else np.zeros(0, dtype=np.int64)
        order = sorted(range(k), key=lambda c: (-int(sizes[c]), c))
        remap = np.full(k + 1, -1, dtype=np.int64)
        for new, old in enumerate(order):
            remap[old] = new
        self.labels_ = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)
        self.secondary_labels_ = [[int(remap[t]) for t in sec] for sec in secondary]
        self._proto = self._proto[order] if k else self._proto
        self._proto_threshold = self._proto_threshold[order] if k else self._proto_threshold
        self._proto_size = np.asarray(sizes[order] if k else sizes, dtype=np.int64)
        themes = {}
        for new, old in enumerate(order):
            rec = self._themes[old]
            rec["size"] = int(sizes[old])
            themes[new] = rec
        self._themes = themes
        self.fit_sample_size_ = int(sample.size)
        self.fit_rule_ = f"{self.fit_rule_}; learnt from a sample of {int(sample.size)} of {int(n)} comments"
        self.n_texts_ = int(n)
        self.unthemed_share_ = float(np.mean(self.labels_ < 0)) if n else 0.0
        self._refresh()
        return self

    def _fit_all(self, texts: list[str], X: np.ndarray, languages: list[str | None] | None, seed: int,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        """Steps 0-8 of the module docstring on every given row."""
        def report(stage: str) -> None:
            if progress is not None:
                progress(stage, 0, 1)

        n, dim = X.shape
        self.seed_ = seed
        size = self.small_corpus_size
        # an explicit min_theme_size sizes HDBSCAN's themes: that path is kept
        self.small_corpus_ = size is not None and n < int(size) and self.min_theme_size is None
        self.language_means_ = {}
        if self.center_languages and languages is not None:
            codes = [lang or "und" for lang in languages]
            min_language = int(self.min_language_size)
            if self.small_corpus_:  # no language of a small survey reaches 20 comments
                min_language = min(min_language, SMALL_CORPUS_MIN_LANGUAGE)
            self.language_means_ = LanguageCenterer(min_language).fit(X, codes).means_
        E = self._prepare(X, languages)

        mu, sd = self._calibrate(E, seed)
        self.sim_mean_, self.sim_std_ = mu, sd

        if self.small_corpus_:
            core = self._small_corpus_cluster(E, report)
            self.reducer_method_ = "none"
            self.n_clusters_found_ = int(core.max()) + 1 if (core >= 0).any() else 0
            self.fit_rule_ = (
                f"small-corpus: {SMALL_CORPUS_LINKAGE}-linkage clustering cut at centred cosine >= "
                f"{self.small_corpus_cut_:.2f} (z >= {float(self.small_corpus_z):g} over this corpus's comment pairs), "
                f"themes of 2+ comments (n={n} < small_corpus_size {int(size)})")
        else:
            core, reducer, clusterer = self._reduce_and_cluster(E, self.min_theme_size, seed, report)
            self.reducer_method_ = reducer.effective_method_
            self.small_corpus_cut_ = None
            self.min_theme_size_ = clusterer.min_cluster_size_
            self.n_clusters_found_ = clusterer.n_clusters_
            why = ("small_corpus_size None" if size is None else f"n={n} >= small_corpus_size {int(size)}"
                   if n >= int(size) else f"min_theme_size {self.min_theme_size} given")
            self.fit_rule_ = (f"default: {reducer.effective_method_} {reducer.n_components_}-d + HDBSCAN "
                              f"min_cluster_size {clusterer.min_cluster_size_} ({why})")

        core = self._merge_duplicates(E, core)
        self.n_merged_ = self.n_clusters_found_ - (int(core.max()) + 1 if (core >= 0).any() else 0)
        if self.small_corpus_:
            # a similarity cut bounds how loose a theme can be; there are too few themes to judge a catch-all
            self.n_dissolved_ = self.n_reclustered_ = 0
        else:
            core = self._dissolve_diffuse(E, core)
        k = int(core.max()) + 1 if (core >= 0).any() else 0
        C = self._centroids(E, core, k)
        thr = self._thresholds(E, core, C)

        labels = core.copy()
        noise = np.flatnonzero(core < 0)
        if k and noise.size:
            S = E[noise] @ C.T
            best = S.argmax(axis=1)
            ok = S[np.arange(noise.size), best] >= thr[best]
            labels[noise[ok]] = best[ok]

        # order by final size (ties: smaller core id, which is larger core size)
        sizes = np.bincount(labels[labels >= 0], minlength=k) if k else np.zeros(0, int)
        order = sorted(range(k), key=lambda c: (-int(sizes[c]), c))
        remap = np.full(k + 1, -1, dtype=np.int64)
        for new, old in enumerate(order):
            remap[old] = new
        labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)
        core = np.where(core >= 0, remap[np.maximum(core, 0)], -1).astype(np.int64)
        C = C[order] if k else C
        thr = thr[order] if k else thr

        self.dim_ = dim
        self.n_texts_ = n
        self._proto = C.astype(np.float32)
        self._proto_theme = np.arange(k, dtype=np.int64)
        self._proto_threshold = np.asarray(thr, dtype=np.float64)
        self._proto_size = np.array([int(np.sum(labels == c)) for c in range(k)], dtype=np.int64)
        self.labels_ = labels
        self.raw_unthemed_share_ = float(np.mean(core < 0)) if n else 0.0
        self.unthemed_share_ = float(np.mean(labels < 0)) if n else 0.0
        self.secondary_labels_ = self._secondary(E, labels)

        report("label")
        labeler = ThemeLabeler(n_keywords=_N_KEYWORDS, n_quotes=_N_QUOTES).fit(
            texts, labels, E, languages, centroids=self._proto.astype(np.float64)
        )
        self._themes = {}
        for c in range(k):
            self._themes[c] = {
                "label": labeler.theme_labels_[c],
                "keywords": [[t, round(float(s), 6)] for t, s in labeler.keyword_scores_[c]],
                "keywords_by_language": labeler.keywords_by_language_[c],
                "label_language": labeler.label_language_[c],
                "size": int(labeler.sizes_[c]),
                "languages": {lang: float(v) for lang, v in labeler.languages_[c].items()},
                "quotes": list(labeler.quotes_[c]),
            }
        self.edits_ = []
        self._refresh()

    def fit_transform(self, texts, embeddings, languages=None) -> pd.DataFrame:
        """Fit, then describe the training comments like :meth:`transform` (from ``labels_``)."""
        self.fit(texts, embeddings, languages)
        E = self._prepare(np.asarray(embeddings), languages)
        sims = self._prototype_sims(E)
        sim = self._similarity(sims, self.labels_)
        return self._frame(self.labels_, self.secondary_labels_, sim)

    # --------------------------------------------------------------- steps
    def _prepare(self, X: np.ndarray, languages: Sequence[str] | None) -> np.ndarray:
        """Unit rows, centred by language when the model learned language means.

        Comments without a language code (``languages=None``, None, "und") and
        languages unseen at fit time are shifted by the overall mean, so new
        comments are treated like the training ones as far as they can be.
        """
        means = getattr(self, "language_means_", {})
        if not means:
            return _normalize_rows(X)
        codes = ["und"] * X.shape[0] if languages is None else [
            "und" if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
            for lang in languages
        ]
        if len(codes) != X.shape[0]:
            raise ValidationError(f"'languages' must have one code per text ({X.shape[0]}). Got {len(codes)} instead.")
        centerer = LanguageCenterer(int(self.min_language_size))
        centerer.means_ = means
        return _normalize_rows(centerer.transform(X, codes))

    @staticmethod
    def _calibrate(E: np.ndarray, seed: int) -> tuple[float, float]:
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

    def _z(self, cos):
        return (np.asarray(cos) - self.sim_mean_) / self.sim_std_

    @staticmethod
    def _centroids(E: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
        if k == 0:
            return np.zeros((0, E.shape[1]))
        C = np.stack([E[labels == c].mean(axis=0) for c in range(k)])
        return _normalize_rows(C)

    @staticmethod
    def theme_coherence(E: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
        """Per theme ``0..k-1``: mean cosine of its comments to their centroid, after
        removing the corpus mean (e5-style embeddings share one big direction
        that would make every theme look tight). 1 = identical comments."""
        if k == 0:
            return np.zeros(0)
        centred = _normalize_rows(E - E.mean(axis=0))
        coherence = np.zeros(k)
        for c in range(k):
            members = centred[labels == c]
            centroid = members.mean(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
            coherence[c] = float((members @ centroid).mean())
        return coherence

    def _dissolve_diffuse(self, E: np.ndarray, core: np.ndarray) -> np.ndarray:
        """Step 4b: a theme far less coherent than the others is a catch-all; its
        comments become noise (then step 6 may still place them one by one).
        Step 4c: a big catch-all is clustered again and its coherent parts kept."""
        self.n_dissolved_ = 0
        self.n_reclustered_ = 0
        k = int(core.max()) + 1 if (core >= 0).any() else 0
        if self.min_relative_coherence is None or k < _MIN_THEMES_FOR_DIFFUSE:
            return core
        coherence = self.theme_coherence(E, core, k)
        floor = float(self.min_relative_coherence) * float(np.median(coherence))
        diffuse = coherence < floor
        if not diffuse.any() or diffuse.all():
            return core
        self.n_dissolved_ = int(diffuse.sum())
        labels = np.where(np.isin(core, np.flatnonzero(diffuse)), -1, core).astype(np.int64)
        # 4c: a big catch-all often holds real themes the first pass could not
        # separate from each other (e.g. every Romanian product review in one).
        next_id = k
        for c in np.flatnonzero(diffuse):
            members = np.flatnonzero(core == c)
            if members.size < _RECLUSTER_MIN_SIZES * int(self.min_theme_size_):
                continue
            parts = self._reduce_and_cluster(E[members], int(self.min_theme_size_), self.seed_)[0]
            found = parts >= 0
            labels[members[found]] = next_id + parts[found]
            next_id += int(parts.max()) + 1 if found.any() else 0
        if next_id > k:  # keep the parts as coherent as a real theme, by the first pass's median
            part_coherence = self.theme_coherence(E, np.where(labels >= k, labels - k, -1), next_id - k)
            labels[np.isin(labels, k + np.flatnonzero(part_coherence < floor))] = -1
        kept = sorted(int(c) for c in np.unique(labels) if c >= 0)
        self.n_reclustered_ = sum(1 for c in kept if c >= k)
        remap = np.full(next_id, -1, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        return np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)

    def _small_corpus_cluster(self, E: np.ndarray, report: Callable[[str], None]) -> np.ndarray:
        """The small-corpus rule (module docstring, "Small corpora"): average-linkage
        clustering of the centred unit vectors, cut at ``mean + small_corpus_z * std``
        of all their pairwise cosines (``small_corpus_cut_``); single comments are noise.
        Reports the "reduce" stage too (nothing to reduce), so progress shows the
        same stages whichever rule runs."""
        report("reduce")
        report("cluster")
        self.min_theme_size_ = 2
        # centred vectors: without language means (no languages, or centring off)
        # centre on the corpus mean here, so the cut means the same either way
        V = E if self.language_means_ else _normalize_rows(E - E.mean(axis=0))
        n = V.shape[0]
        if n < 2:
            self.small_corpus_cut_ = 1.0
            return np.full(n, -1, dtype=np.int64)
        pairs = (V @ V.T)[np.triu_indices(n, 1)]
        cut = float(pairs.mean()) + float(self.small_corpus_z) * float(max(pairs.std(), 1e-6))
        self.small_corpus_cut_ = float(np.clip(cut, -1.0, 1.0))
        return agglomerative_labels(V, self.small_corpus_cut_, SMALL_CORPUS_LINKAGE, self.min_theme_size_)

    def _reduce_and_cluster(self, E: np.ndarray, min_cluster_size: int | None, seed: int,
                            report: Callable[[str], None] | None = None) -> tuple[np.ndarray, Any, Any]:
        """Steps 2-3 on ``E``: HDBSCAN labels (-1 = noise) of its reduced rows,
        with the fitted Reducer and Clusterer."""
        if report is not None:
            report("reduce")
        reducer = Reducer(self.reduction, self.n_components, self.n_neighbors, "cosine", seed)
        Z = reducer.fit_transform(E)
        if report is not None:
            report("cluster")
        clusterer = Clusterer(min_cluster_size=min_cluster_size, reassign_quantile=None, random_state=seed)
        return clusterer.fit(Z).raw_labels_.astype(np.int64), reducer, clusterer

    def _merge_duplicates(self, E: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Agglomerate themes while the closest centroid pair has z > merge_threshold."""
        labels = labels.copy()
        if not math.isfinite(float(self.merge_threshold)) and float(self.merge_threshold) > 0:
            return labels
        ids = sorted(int(c) for c in np.unique(labels) if c >= 0)
        if len(ids) < 2:
            return labels
        sums = {c: E[labels == c].sum(axis=0) for c in ids}
        while len(sums) > 1:
            keys = sorted(sums)
            C = _normalize_rows(np.stack([sums[c] for c in keys]))
            S = C @ C.T
            np.fill_diagonal(S, -np.inf)
            a, b = np.unravel_index(int(np.argmax(S)), S.shape)
            if not self._z(S[a, b]) > float(self.merge_threshold):
                break
            keep, drop = min(keys[a], keys[b]), max(keys[a], keys[b])
            sums[keep] = sums[keep] + sums.pop(drop)
            labels[labels == drop] = keep
        # renumber 0..k-1 keeping relative order
        out = np.full_like(labels, -1)
        for new, old in enumerate(sorted(sums)):
            out[labels == old] = new
        return out

    def _thresholds(self, E: np.ndarray, core: np.ndarray, C: np.ndarray) -> np.ndarray:
        floor = self.sim_mean_ + _MIN_ASSIGN_Z * self.sim_std_
        thr = np.zeros(C.shape[0])
        for c in range(C.shape[0]):
            sims = E[core == c] @ C[c]
            # the corpus floor keeps loose themes from absorbing everything, but it
            # must not shut out the theme's own typical member (e.g. when the corpus
            # holds a few far-apart themes, so its similarity spread is wide)
            capped_floor = min(floor, float(np.median(sims)))
            thr[c] = max(float(np.quantile(sims, float(self.reassign_threshold))), capped_floor)
        return thr

    def _prototype_sims(self, E: np.ndarray) -> np.ndarray:
        if self._proto.shape[0] == 0:
            return np.zeros((E.shape[0], 0))
        return E @ self._proto.astype(np.float64).T

    def _theme_sims(self, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """Per current theme: best prototype similarity, and whether any prototype passes."""
        ids = self._theme_ids()
        n = sims.shape[0]
        best = np.full((n, len(ids)), -np.inf)
        passed = np.zeros((n, len(ids)), dtype=bool)
        ok = sims >= self._proto_threshold[None, :]
        for col, t in enumerate(ids):
            rows = np.flatnonzero(self._proto_theme == t)
            best[:, col] = sims[:, rows].max(axis=1)
            passed[:, col] = ok[:, rows].any(axis=1)
        return best, passed, ids

    def _secondary(self, E: np.ndarray, labels: np.ndarray) -> list[list[int]]:
        sims = self._prototype_sims(E)
        return self._secondary_from(sims, labels)

    def _secondary_from(self, sims: np.ndarray, labels: np.ndarray) -> list[list[int]]:
        n = sims.shape[0]
        out: list[list[int]] = [[] for _ in range(n)]
        ids = self._theme_ids()
        if len(ids) < 2 or float(self.secondary_margin) < 0:
            return out
        best, passed, ids = self._theme_sims(sims)
        col = {t: i for i, t in enumerate(ids)}
        margin = float(self.secondary_margin) * self.sim_std_
        for i in np.flatnonzero(labels >= 0):
            p = col.get(int(labels[i]))
            if p is None:
                continue
            sp = best[i, p]
            cand = np.flatnonzero(passed[i] & (sp - best[i] <= margin))
            cand = [c for c in cand if c != p]
            cand.sort(key=lambda c: (-best[i, c], ids[c]))
            out[i] = [int(ids[c]) for c in cand[:_MAX_SECONDARY]]
        return out

    # ------------------------------------------------------------- transform
    def transform(self, texts: Sequence[str] | None, embeddings: np.ndarray,
                  languages: Sequence[str] | None = None) -> pd.DataFrame:
        """Assign comments to the fitted themes.

        ``languages`` (one code per comment, as given to :meth:`fit`) lets a
        model fitted with language centring shift each comment by its own
        language's mean; without it every comment gets the overall mean.

        Returns a DataFrame with one row per comment: ``theme_id`` (-1 when no
        theme passes its threshold, or when the best match is a deleted
        theme), ``theme_ids`` (";"-joined, primary first, secondary themes by
        the same rule as ``secondary_labels_``; "" when unthemed) and
        ``similarity`` (cosine to the assigned theme's centroid; for
        unthemed comments the highest cosine to any theme).
        """
        self._check_fitted()
        X = check_embeddings(embeddings, "embeddings", min_rows=0)
        if texts is not None:
            self._check_texts(texts, X.shape[0])
        if X.shape[1] != self.dim_:
            raise ValidationError(
                f"The embeddings have {X.shape[1]} dimensions but this ThemeModel was fitted on "
                f"{self.dim_}-dimensional embeddings from model {self.embedding_model!r}; embed with that model."
            )
        E = self._prepare(X, languages)
        labels, secondary, sim_out = self._assign(E, with_similarity=True)
        return self._frame(labels, secondary, sim_out)

    def _assign(self, E: np.ndarray, with_similarity: bool = False):
        """The assignment rule on prepared rows: (labels, secondary[, similarity]); row by row."""
        n = E.shape[0]
        sims = self._prototype_sims(E)
        labels = np.full(n, -1, dtype=np.int64)
        sim_out = np.full(n, np.nan)
        if sims.shape[1]:
            ok = sims >= self._proto_threshold[None, :]
            masked = np.where(ok, sims, -np.inf)
            best = masked.argmax(axis=1)
            has = ok.any(axis=1)
            target = self._proto_theme[best]
            labels = np.where(has, target, -1).astype(np.int64)
            if with_similarity:
                sim_out = self._similarity(sims, labels)
        secondary = self._secondary_from(sims, labels)
        return (labels, secondary, sim_out) if with_similarity else (labels, secondary)

    def _similarity(self, sims: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Cosine to the assigned theme (best prototype); for -1 the best cosine to any theme."""
        n = sims.shape[0]
        if not (self._proto_theme >= 0).any():
            return np.full(n, np.nan)
        best, _, ids = self._theme_sims(sims)
        col = np.array([ids.index(t) if t in ids else -1 for t in range(max(ids) + 1)], dtype=np.int64)
        lab = np.asarray(labels, dtype=np.int64)
        idx = np.where((lab >= 0) & (lab <= max(ids)), col[np.clip(lab, 0, max(ids))], -1)
        out = best.max(axis=1)
        has = idx >= 0
        out[has] = best[np.flatnonzero(has), idx[has]]
        return out

    @staticmethod
    def _frame(labels: np.ndarray, secondary: list[list[int]], sim: np.ndarray) -> pd.DataFrame:
        ids = [";".join(str(t) for t in [int(p), *extra]) if p >= 0 else "" for p, extra in zip(labels, secondary)]
        return pd.DataFrame(
            {"theme_id": np.asarray(labels, dtype=np.int64), "theme_ids": ids, "similarity": np.asarray(sim, dtype=np.float64)}
        )

    # --------------------------------------------------------------- state
    def _theme_ids(self) -> list[int]:
        """Current theme ids (those an active prototype maps to)."""
        return sorted({int(t) for t in self._proto_theme if t >= 0})

    def _refresh(self) -> None:
        """Rebuild the public attributes from the internal theme records."""
        ids = self._theme_ids()
        rows = []
        centroids = []
        thresholds = []
        for t in ids:
            rec = self._themes[t]
            rows.append(
                {
                    "theme_id": t,
                    "label": rec["label"],
                    "keywords": "; ".join(term for term, _ in rec["keywords"]),
                    "size": int(rec["size"]),
                    "share": rec["size"] / self.n_texts_ if self.n_texts_ else 0.0,
                    "languages": format_languages(rec["languages"]),
                    "quotes": list(rec["quotes"]),
                }
            )
            parts = np.flatnonzero(self._proto_theme == t)
            w = self._proto_size[parts].astype(np.float64)
            w = w if w.sum() > 0 else np.ones_like(w)
            c = (self._proto[parts].astype(np.float64) * w[:, None]).sum(axis=0)
            centroids.append(c / (np.linalg.norm(c) or 1.0))
            thresholds.append(float(self._proto_threshold[parts].min()))
        self.themes_ = pd.DataFrame(rows, columns=THEME_COLUMNS)
        self.themes_["theme_id"] = self.themes_["theme_id"].astype(np.int64)
        self.themes_["size"] = self.themes_["size"].astype(np.int64)
        self.themes_["share"] = self.themes_["share"].astype(np.float64)
        self.centroids_ = (np.stack(centroids) if centroids else np.zeros((0, self.dim_))).astype(np.float32)
        self.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        self.n_themes_ = len(ids)
        self.tentative_ = frozenset(t for t in ids if int(self._themes[t]["size"]) < TENTATIVE_SIZE)
        self.keywords_by_language_ = {t: dict(self._themes[t]["keywords_by_language"]) for t in ids}

    def _check_id(self, theme_id) -> int:
        valid = self._theme_ids()
        if isinstance(theme_id, bool) or not isinstance(theme_id, numbers.Integral) or int(theme_id) not in self._themes:
            shown = ", ".join(map(str, valid)) if valid else "none (the model has no themes)"
            raise ThemeEditError(f"Theme {theme_id!r} does not exist. Valid theme ids: {shown}.")
        return int(theme_id)

    @staticmethod
    def _check_label(label) -> str:
        if not isinstance(label, str) or not label.strip():
            raise ValidationError(f"A theme label must be a non-empty string. Got {label!r} instead.")
        return label.strip()

    # ---------------------------------------------------------------- edits
    def rename(self, theme_id: int, label: str) -> "ThemeModel":
        """Give theme ``theme_id`` a new label."""
        self._check_fitted()
        t = self._check_id(theme_id)
        label = self._check_label(label)
        previous = self._themes[t]["label"]
        self._themes[t]["label"] = label
        self.edits_.append({"op": "rename", "theme_id": t, "label": label, "previous": previous})
        self._refresh()
        return self

    def merge(self, theme_ids: list[int], label: str | None = None) -> "ThemeModel":
        """Merge themes into the smallest id; ``label`` defaults to the largest part's label.

        Sizes add up, keywords are re-ranked by size-weighted score, quotes and
        per-language keywords interleave the parts (largest first), language
        shares are size-weighted. See the module docstring for assignment.
        """
        self._check_fitted()
        if isinstance(theme_ids, (str, bytes)) or not isinstance(theme_ids, Sequence):
            raise ValidationError(f"'theme_ids' must be a list of theme ids. Got {theme_ids!r} instead.")
        ids = sorted({self._check_id(t) for t in theme_ids})
        if len(ids) < 2:
            raise ThemeEditError(f"A merge needs at least two different theme ids. Got {list(theme_ids)!r}.")
        if label is not None:
            label = self._check_label(label)
        parts = sorted(ids, key=lambda t: (-self._themes[t]["size"], t))
        recs = [self._themes[t] for t in parts]
        keep = ids[0]
        size = sum(r["size"] for r in recs)
        scores: dict[str, float] = {}
        for r in recs:
            for term, s in r["keywords"]:
                scores[term] = scores.get(term, 0.0) + r["size"] * float(s) / max(size, 1)
        keywords = sorted(scores.items(), key=lambda ts: (-ts[1], ts[0]))[:_N_KEYWORDS]
        by_lang: dict[str, list[str]] = {}
        for lang in sorted({lang for r in recs for lang in r["keywords_by_language"]}):
            by_lang[lang] = _interleave([r["keywords_by_language"].get(lang, []) for r in recs], _N_KEYWORDS)
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
            "quotes": _interleave([r["quotes"] for r in recs], _N_QUOTES),
            # a merge into a taxonomy theme stays the team's theme (its largest part decides)
            "origin": recs[0].get("origin", "discovered"),
            "parent": recs[0].get("parent", ""),
            "description": recs[0].get("description", ""),
        }
        for t in ids:
            del self._themes[t]
        self._themes[keep] = merged
        self._proto_theme = np.where(np.isin(self._proto_theme, ids), keep, self._proto_theme)
        if hasattr(self, "labels_"):
            self.labels_ = np.where(np.isin(self.labels_, ids), keep, self.labels_).astype(np.int64)
            self.secondary_labels_ = [
                _dedupe([keep if s in ids else s for s in sec], exclude=int(p))
                for p, sec in zip(self.labels_, self.secondary_labels_)
            ]
            self.unthemed_share_ = float(np.mean(self.labels_ < 0)) if self.labels_.size else 0.0
        self.edits_.append({"op": "merge", "theme_ids": ids, "into": keep, "label": merged["label"]})
        self._refresh()
        return self

    def delete(self, theme_id: int) -> "ThemeModel":
        """Remove a theme: its comments become unthemed (-1), here and in :meth:`transform`."""
        self._check_fitted()
        t = self._check_id(theme_id)
        label = self._themes.pop(t)["label"]
        self._proto_theme = np.where(self._proto_theme == t, -1, self._proto_theme)
        if hasattr(self, "labels_"):
            self.labels_ = np.where(self.labels_ == t, -1, self.labels_).astype(np.int64)
            self.secondary_labels_ = [
                [s for s in sec if s != t] if p >= 0 else [] for p, sec in zip(self.labels_, self.secondary_labels_)
            ]
            self.unthemed_share_ = float(np.mean(self.labels_ < 0)) if self.labels_.size else 0.0
        self.edits_.append({"op": "delete", "theme_id": t, "label": label})
        self._refresh()
        return self

    def split(self, theme_id: int, embeddings_of_members: np.ndarray, texts_of_members: Sequence[str],
              languages: Sequence[str] | None = None, n: int | None = None) -> list[int]:
        """Split theme ``theme_id`` into ``n`` sub-themes by re-clustering its comments.

        ``embeddings_of_members`` / ``texts_of_members`` (/ ``languages``): the
        theme's comments, raw embeddings as given to :meth:`fit` (they are
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
          members, normalised) and threshold by the rule of :meth:`fit`
          (module docstring, step 5); the theme's old prototype(s) are
          removed, so :meth:`transform` on a new dump assigns to the parts.
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

        self._check_fitted()
        t = self._check_id(theme_id)
        X = check_embeddings(embeddings_of_members, "embeddings_of_members", min_rows=0)
        texts = self._check_texts(texts_of_members, X.shape[0])
        if X.shape[1] != self.dim_:
            raise ValidationError(
                f"The embeddings have {X.shape[1]} dimensions but this ThemeModel was fitted on "
                f"{self.dim_}-dimensional embeddings from model {self.embedding_model!r}; embed with that model."
            )
        m = X.shape[0]
        if languages is not None:
            languages = ["und" if lang is None or (isinstance(lang, float) and math.isnan(lang))
                         else str(lang) for lang in languages]
            if len(languages) != m:
                raise ValidationError(
                    f"'languages' must have one code per text ({m}). Got {len(languages)} instead.")
        label = self._themes[t]["label"]
        if m < 4:
            raise ThemeEditError(
                f"Theme {t} ({label!r}) has {m} comment(s); a split needs at least 4 (two per part)."
            )
        E = self._prepare(X, languages)
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
                                          random_state=int(self.seed_)))

        def cluster(k: int) -> np.ndarray:
            km = KMeans(n_clusters=k, n_init=10, random_state=int(self.seed_))
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
        C = self._centroids(E, parts, k)
        thr = self._thresholds(E, parts, C)
        labeler = ThemeLabeler(n_keywords=_N_KEYWORDS, n_quotes=_N_QUOTES).fit(
            texts, parts, E, languages, centroids=C)
        first_new = self._next_id()
        ids = [t] + [first_new + i for i in range(k - 1)]
        for c, tid in enumerate(ids):
            self._themes[tid] = {
                "label": labeler.theme_labels_[c],
                "keywords": [[term, round(float(s), 6)] for term, s in labeler.keyword_scores_[c]],
                "keywords_by_language": labeler.keywords_by_language_[c],
                "label_language": labeler.label_language_[c],
                "size": int(sizes[c]),
                "languages": {lang: float(v) for lang, v in labeler.languages_[c].items()},
                "quotes": list(labeler.quotes_[c]),
            }
        keep = self._proto_theme != t
        self._proto = np.concatenate([self._proto[keep], C.astype(np.float32)])
        self._proto_theme = np.concatenate([self._proto_theme[keep], np.asarray(ids, dtype=np.int64)])
        self._proto_threshold = np.concatenate(
            [self._proto_threshold[keep], np.asarray(thr, dtype=np.float64)])
        self._proto_size = np.concatenate([self._proto_size[keep], np.asarray(sizes, dtype=np.int64)])
        id_of = np.asarray(ids, dtype=np.int64)
        self.split_labels_ = id_of[parts]
        if hasattr(self, "labels_") and int(np.sum(self.labels_ == t)) == m:
            labels = self.labels_.copy()
            labels[labels == t] = self.split_labels_
            self.labels_ = labels
        self.edits_.append({
            "op": "split", "theme_id": t, "into": [int(i) for i in ids],
            "labels": [self._themes[i]["label"] for i in ids], "sizes": [int(s) for s in sizes],
            "n": k, "rule": rule, "silhouette": None if not math.isfinite(score) else round(float(score), 4),
        })
        self._refresh()
        return [int(i) for i in ids]

    def move(self, rows: Sequence[int], theme_id: int) -> "ThemeModel":
        """Record that comments ``rows`` (1-based rows of an analysis) were moved to ``theme_id``.

        ``theme_id`` may be -1 (unthemed). Only the record is kept (``edits_``
        gets ``{"op": "move", "rows", "to", "label"}``): prototypes and
        thresholds do not change, so :meth:`transform` gives exactly the same
        result before and after a move. A move corrects individual comments
        of one dump (:meth:`cxtext.analysis.Analysis.move_comments` applies
        it to its rows); it cannot move comments of another dump, and a few
        hand-moved comments should not shift a theme for everyone. To change
        how new comments are assigned, split, merge or delete instead.
        """
        self._check_fitted()
        target = -1 if (isinstance(theme_id, numbers.Integral) and not isinstance(theme_id, bool)
                        and int(theme_id) == -1) else self._check_id(theme_id)
        if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows or not all(
                isinstance(r, numbers.Integral) and not isinstance(r, bool) for r in rows):
            raise ValidationError(f"'rows' must be a non-empty list of row numbers. Got {rows!r} instead.")
        self.edits_.append({"op": "move", "rows": sorted({int(r) for r in rows}), "to": target,
                            "label": self._themes[target]["label"] if target >= 0 else None})
        return self

    def _next_id(self) -> int:
        """One more than any theme id this model ever used (current ids and those named in edits)."""
        used = set(self._themes) | {int(t) for t in self._proto_theme if t >= 0}
        for edit in self.edits_:
            for key in ("theme_id", "into", "theme_ids"):
                value = edit.get(key)
                if isinstance(value, list):
                    used.update(int(v) for v in value if isinstance(v, numbers.Integral))
                elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
                    used.add(int(value))
        return max(used, default=-1) + 1

    # ------------------------------------------------------------- taxonomy
    def set_taxonomy_themes(self, taxonomy, assigned: np.ndarray, prototypes: np.ndarray, texts: Sequence[str],
                            prepared: np.ndarray, languages: Sequence[str] | None,
                            matched_clusters: set[int]) -> "ThemeModel":
        """Replace matched themes by a team's taxonomy themes (:func:`cxtext.themes.taxonomy.apply_taxonomy`).

        ``assigned``: taxonomy index per fitted comment (-1: none), as
        :class:`cxtext.themes.taxonomy.TaxonomyMatcher` predicts it; ``prototypes``
        (k, dim) the taxonomy prototypes; ``prepared``: the fitted comments'
        vectors after :meth:`_prepare`; ``matched_clusters``: the fitted
        theme ids claimed by a taxonomy theme (they disappear; their comments
        went to taxonomy themes).

        New ids: taxonomy themes ``0..k-1`` in taxonomy order, labelled with
        their exact names, ``origin="taxonomy"``; then the remaining
        discovered themes (``origin="discovered"``) by size. A taxonomy theme
        with comments gets the centroid of its comments as prototype, with
        the usual per-theme threshold (module docstring, step 5), so
        :meth:`transform` assigns the next dump's comments to it. A theme
        with no comment keeps the taxonomy prototype with a threshold above
        any cosine: it is listed (size 0) but only a new run with the
        taxonomy can fill it. Recorded in ``edits_`` as ``{"op": "taxonomy"}``.
        """
        self._check_fitted()
        E = np.asarray(prepared, dtype=np.float64)
        assigned = np.asarray(assigned, dtype=np.int64)
        old = np.asarray(self.labels_, dtype=np.int64)
        if E.shape[0] != old.shape[0] or assigned.shape != old.shape:
            raise ValidationError("set_taxonomy_themes needs one assignment and one vector per fitted comment.")
        k = len(taxonomy)
        kept = [t for t in self._theme_ids() if t not in matched_clusters]
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
            C[t] = self._centroids(E, own, 1)[0]
            thr[t] = self._thresholds(E, own, C[[t]])[0]
        labeler = None
        if filled:
            labeler = ThemeLabeler(n_keywords=_N_KEYWORDS, n_quotes=_N_QUOTES).fit(
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
            rec = dict(self._themes[t])
            rec["size"] = sizes[t]
            rec["origin"] = "discovered"
            themes[new_id[t]] = rec
        keep_proto = np.isin(self._proto_theme, order)
        remap = np.array([new_id.get(int(t), -1) for t in self._proto_theme], dtype=np.int64)
        self._proto = np.concatenate([C.astype(np.float32), self._proto[keep_proto]])
        self._proto_theme = np.concatenate([np.arange(k, dtype=np.int64), remap[keep_proto]])
        self._proto_threshold = np.concatenate([thr, self._proto_threshold[keep_proto]])
        self._proto_size = np.concatenate([tax_sizes.astype(np.int64),
                                           self._proto_size[keep_proto].astype(np.int64)])
        self._themes = themes
        self.labels_ = labels
        self.secondary_labels_ = self._secondary(E, labels)
        self.unthemed_share_ = float(np.mean(labels < 0)) if labels.size else 0.0
        self.edits_.append({"op": "taxonomy", "themes": list(taxonomy.names),
                            "source": getattr(taxonomy, "source", None),
                            "matched_clusters": sorted(int(c) for c in matched_clusters),
                            "sizes": [int(s) for s in tax_sizes]})
        self._refresh()
        return self

    def origins(self) -> dict[int, str]:
        """Theme id -> "taxonomy" (a team's own theme) or "discovered"."""
        self._check_fitted()
        return {t: self._themes[t].get("origin", "discovered") for t in self._theme_ids()}

    def taxonomy_parents(self) -> dict[int, str]:
        """Theme id -> parent name given in the taxonomy (only taxonomy themes with a parent)."""
        self._check_fitted()
        return {t: self._themes[t]["parent"] for t in self._theme_ids() if self._themes[t].get("parent")}

    # ------------------------------------------------------------ save/load
    def to_dict(self) -> dict:
        """Everything :meth:`save` writes to ``model.json``."""
        self._check_fitted()
        params = self.get_params()
        rs = params["random_state"]
        params["random_state"] = rs if rs is None or isinstance(rs, numbers.Integral) else self.seed_
        if isinstance(params["merge_threshold"], float) and math.isinf(params["merge_threshold"]):
            params["merge_threshold"] = "inf" if params["merge_threshold"] > 0 else "-inf"
        return {
            "format": "cxtext.ThemeModel",
            "format_version": FORMAT_VERSION,
            "cxtext_version": _version(),
            "params": params,
            "embedding_model": self.embedding_model,
            "embedding_dim": int(self.dim_),
            "seed": int(self.seed_),
            "n_texts": int(self.n_texts_),
            "raw_unthemed_share": float(self.raw_unthemed_share_),
            "unthemed_share": float(self.unthemed_share_),
            "calibration": {"sim_mean": float(self.sim_mean_), "sim_std": float(self.sim_std_)},
            "fit_rule": str(getattr(self, "fit_rule_", _OLD_FIT_RULE)),
            "small_corpus": bool(getattr(self, "small_corpus_", False)),
            "small_corpus_cut": getattr(self, "small_corpus_cut_", None),
            "tentative_size": TENTATIVE_SIZE,
            "thresholds": {
                "rule": "cosine to a prototype >= its threshold; threshold = quantile(reassign_threshold) "
                "of the theme's core-comment cosines, floored at min(sim_mean + 2 * sim_std, median core cosine)",
                "secondary_margin_cosine": float(self.secondary_margin) * float(self.sim_std_),
                "min_assign_z": _MIN_ASSIGN_Z,
            },
            "themes": [
                {
                    "theme_id": t,
                    "label": r["label"],
                    "keywords": r["keywords"],
                    "keywords_by_language": r["keywords_by_language"],
                    "label_language": r.get("label_language"),
                    "size": int(r["size"]),
                    "languages": r["languages"],
                    "quotes": r["quotes"],
                    "origin": r.get("origin", "discovered"),
                    "parent": r.get("parent", ""),
                    "description": r.get("description", ""),
                    "tentative": t in self.tentative_,
                }
                for t, r in sorted(self._themes.items())
            ],
            "prototypes": [
                {
                    "row": i,
                    "theme_id": int(self._proto_theme[i]) if self._proto_theme[i] >= 0 else None,
                    "threshold": float(self._proto_threshold[i]),
                    "size": int(self._proto_size[i]),
                }
                for i in range(self._proto.shape[0])
            ],
            "edits": list(self.edits_),
            "language_means": {code: [float(v) for v in mean] for code, mean in self.language_means_.items()},
        }

    def save(self, path) -> Path:
        """Write the model to folder ``path`` (created if needed): model.json + centroids.npy."""
        self._check_fitted()
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"Cannot save a ThemeModel to {str(folder)!r}: it is a file, not a folder.")
        folder.mkdir(parents=True, exist_ok=True)
        data = self.to_dict()
        np.save(folder / CENTROIDS_FILE, self._proto.astype(np.float32), allow_pickle=False)
        (folder / MODEL_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, path) -> "ThemeModel":
        """Read a folder written by :meth:`save`. Raises ModelError if it is missing or damaged."""
        folder = Path(path)
        meta_path, cent_path = folder / MODEL_FILE, folder / CENTROIDS_FILE
        if not folder.is_dir() or not meta_path.is_file() or not cent_path.is_file():
            raise ModelError(
                f"No saved theme model in {str(folder)!r}: expected a folder with {MODEL_FILE} and "
                f"{CENTROIDS_FILE}, as written by ThemeModel.save."
            )
        try:
            data = json.loads(meta_path.read_text(encoding="utf-8"))
            proto = np.load(cent_path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise ModelError(f"The theme model in {str(folder)!r} cannot be read ({exc}). Save it again.") from exc
        if data.get("format") != "cxtext.ThemeModel" or int(data.get("format_version", -1)) > FORMAT_VERSION:
            raise ModelError(
                f"{str(meta_path)!r} is not a theme model this cxtext ({_version()}) can read "
                f"(format {data.get('format')!r}, version {data.get('format_version')!r})."
            )
        try:
            params = dict(data["params"])
            if isinstance(params.get("merge_threshold"), str):
                params["merge_threshold"] = float(params["merge_threshold"])
            model = cls(**{k: params[k] for k in _PARAMS if k in params})
            protos = data["prototypes"]
            if proto.ndim != 2 or proto.shape[0] != len(protos) or proto.shape[1] != int(data["embedding_dim"]):
                raise ModelError(
                    f"{CENTROIDS_FILE} has shape {proto.shape} but {MODEL_FILE} describes "
                    f"{len(protos)} prototypes of dimension {data['embedding_dim']}."
                )
            model.seed_ = int(data["seed"])
            model.dim_ = int(data["embedding_dim"])
            model.n_texts_ = int(data["n_texts"])
            model.raw_unthemed_share_ = float(data["raw_unthemed_share"])
            model.unthemed_share_ = float(data["unthemed_share"])
            model.sim_mean_ = float(data["calibration"]["sim_mean"])
            model.sim_std_ = float(data["calibration"]["sim_std"])
            # folders saved before the small-corpus rule have neither: defaults
            model.fit_rule_ = str(data.get("fit_rule", _OLD_FIT_RULE))
            model.small_corpus_ = bool(data.get("small_corpus", False))
            cut = data.get("small_corpus_cut")
            model.small_corpus_cut_ = None if cut is None else float(cut)
            model._proto = proto.astype(np.float32)
            model._proto_theme = np.array(
                [-1 if p["theme_id"] is None else int(p["theme_id"]) for p in protos], dtype=np.int64
            )
            model._proto_threshold = np.array([float(p["threshold"]) for p in protos], dtype=np.float64)
            model._proto_size = np.array([int(p["size"]) for p in protos], dtype=np.int64)
            model._themes = {
                int(t["theme_id"]): {
                    "label": t["label"],
                    "keywords": [[str(a), float(b)] for a, b in t["keywords"]],
                    "keywords_by_language": {k: list(v) for k, v in t["keywords_by_language"].items()},
                    "label_language": t.get("label_language"),
                    "size": int(t["size"]),
                    "languages": {k: float(v) for k, v in t["languages"].items()},
                    "quotes": list(t["quotes"]),
                    "origin": t.get("origin", "discovered"),
                    "parent": t.get("parent", ""),
                    "description": t.get("description", ""),
                }
                for t in data["themes"]
            }
            model.edits_ = list(data.get("edits", []))
            model.language_means_ = {
                str(code): np.asarray(mean, dtype=np.float32) for code, mean in data.get("language_means", {}).items()
            }
            if any(mean.shape != (model.dim_,) for mean in model.language_means_.values()):
                raise ModelError(f"The language means in {str(meta_path)!r} do not have {model.dim_} dimensions.")
        except ModelError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{str(meta_path)!r} is incomplete or damaged ({exc!r}). Save the model again.") from exc
        model._refresh()
        return model


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
