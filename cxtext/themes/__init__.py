"""Themes: the reduce, cluster and label stages of the flow, and what is built on them.

``center``     language centring (each language's mean vector removed)
``reduce``     UMAP / PCA to a few dimensions
``cluster``    HDBSCAN, and average-linkage clustering for small surveys
``label``      keyphrases, quotes and languages per theme
``model``      :class:`ThemeModel`: parameters, fit / transform, the model's state; its methods
               delegate to functions taking the model, in:
``steps``      the fit steps 0-8 (explained there);  ``small_corpus``  the small-corpus rule
``geometry``   calibration, centroids, coherence and assignment thresholds (fit, edits, taxonomy themes)
``copies``     identical comments clustered once, weighted by their rows
``sampled``    fitting at scale (a language-stratified sample, the rest assigned)
``assign``     the assignment rule (prototypes, thresholds, secondary themes)
``edits``      rename, merge, delete, split, move;  ``taxonomy_themes``  taxonomy themes in a model
``persist``    the saved folder (model.json + centroids.npy);  ``params``  parameter names and checks
``hierarchy``  parent themes;  ``suggest``  likely merges and splits;  ``split_outcome``  whether a split's
               parts differ in detractor rate (score evidence for ``suggest``);  ``split_hints``  after an
               analysis, the themes whose halves differ in score (for the summary's warnings)
``taxonomy``   a team's own themes: the file, and giving a fitted model its themes;
               ``taxonomy_match``  the matching rule (:class:`TaxonomyMatcher`; re-exported by ``taxonomy``);
               ``taxonomy_neighbours``  nearest comments and the neighbour vote that finishes a match
``fitcache``   fitted models kept per (texts, languages, model, parameters)

May import ``cxtext.errors``, ``cxtext.schema``, ``cxtext.stats``, ``cxtext.store``, ``cxtext.embed`` and ``cxtext.text``;
``suggest`` also reads an :class:`~cxtext.analysis.Analysis` it is given. Never cli or app.
"""

from cxtext.themes.model import ThemeModel
from cxtext.themes.small_corpus import SMALL_CORPUS_SIZE, SMALL_CORPUS_Z, TENTATIVE_SIZE
from cxtext.themes.steps import FIT_REVISION

__all__ = ["FIT_REVISION", "SMALL_CORPUS_SIZE", "SMALL_CORPUS_Z", "TENTATIVE_SIZE", "ThemeModel"]
