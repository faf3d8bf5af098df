"""Themes: the reduce, cluster and label stages of the flow, and what is built on them.

``center``     language centring (each language's mean vector removed)
``reduce``     UMAP / PCA to a few dimensions
``cluster``    HDBSCAN, and average-linkage clustering for small surveys
``label``      keyphrases, quotes and languages per theme
``model``      :class:`ThemeModel`: fit / transform, edits, taxonomy themes, the saved folder
``hierarchy``  parent themes;  ``taxonomy``  a team's own themes;  ``suggest``  likely merges and splits
``fitcache``   fitted models kept per (texts, languages, model, parameters)

May import ``cxtext.errors``, ``cxtext.schema``, ``cxtext.store``, ``cxtext.embed`` and ``cxtext.text``;
``suggest`` also reads an :class:`~cxtext.analysis.Analysis` it is given. Never cli or app.
"""

from cxtext.themes.model import (
    FIT_REVISION,
    SMALL_CORPUS_SIZE,
    SMALL_CORPUS_Z,
    TENTATIVE_SIZE,
    ThemeModel,
)

__all__ = ["FIT_REVISION", "SMALL_CORPUS_SIZE", "SMALL_CORPUS_Z", "TENTATIVE_SIZE", "ThemeModel"]
