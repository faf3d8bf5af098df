"""Recurring issue themes in customer comments: :class:`ThemeModel`.

A scikit-learn style estimator: parameters in ``__init__`` (``get_params``),
:meth:`ThemeModel.fit` learns themes from comment embeddings, fitted attributes
end in ``_``, :meth:`ThemeModel.transform` assigns new comments. The class keeps
the model's state (prototypes, theme records, the public attributes rebuilt from
them by ``_refresh``) and the vector preparation; the work lives beside it, in
functions that take the model as their first argument (each module's docstring
lists what of the model it reads and writes):

``steps``         the fit steps 0-8, explained there (calibrate, reduce, cluster,
                  merge duplicates, dissolve catch-alls, thresholds, assign, label)
``small_corpus``  the small-corpus rule (average-linkage clustering below 275 comments)
``copies``        identical comments clustered once, weighted by their rows
``sampled``       fitting at scale: a language-stratified sample, the rest assigned
``assign``        the assignment rule (prototypes, thresholds, secondary themes)
``edits``         rename, merge, delete, split, move
``taxonomy_themes``  a team's taxonomy themes in place of matched discovered ones
``persist``       the saved folder (model.json + centroids.npy): to_dict, save, load
``params``        parameter names and checks

Every public method of :class:`ThemeModel` is one of these, or a one-line call to one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.errors import NotFittedError, ValidationError
from cxtext.themes import assign, edits, geometry, persist, sampled, steps, taxonomy_themes
from cxtext.themes.center import LanguageCenterer
from cxtext.themes.label import THEME_COLUMNS, format_languages
from cxtext.themes.params import PARAMS, check_params
from cxtext.themes.reduce import check_embeddings, resolve_seed
from cxtext.themes.sampled import MAX_FIT_SIZE
from cxtext.themes.small_corpus import SMALL_CORPUS_SIZE, SMALL_CORPUS_Z, TENTATIVE_SIZE

__all__ = ["ThemeModel"]


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
    reassign_threshold : float in [0, 1) or None
        Quantile of a theme's core-comment similarities used as its
        assignment threshold (:mod:`cxtext.themes.steps`, step 5).
        ``None`` (the default): in :meth:`fit`, every comment HDBSCAN left as noise joins its most
        similar theme (the small-corpus rule keeps its threshold); the thresholds, at the 0.05 quantile,
        still decide secondary themes and which new comments :meth:`transform` places. Chosen
        leave-one-dataset-out on six labelled sets (bench/results/lodo.md).
    min_samples : int >= 1 or None
        HDBSCAN's density smoothing; ``None`` scales it with the theme size
        (:func:`cxtext.themes.cluster.auto_min_samples`).
    merge_threshold : float
        Themes whose centroids have z-scored cosine above this merge
        (default ``inf``: no merging, which did as well out of sample; 7.0 was the old default).
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
        time and memory grow linearly (:mod:`cxtext.themes.sampled`).
        ``None``: always fit on every comment.
    min_relative_coherence : float in [0, 1] or None
        A theme whose coherence is below this fraction of the median theme's
        is a catch-all and is dissolved (:mod:`cxtext.themes.steps`, step 4b).
        ``None``: never.
    small_corpus_size : int >= 0 or None
        With fewer comments than this (default 275) and ``min_theme_size=None``,
        :meth:`fit` clusters with the small-corpus rule instead of UMAP +
        HDBSCAN (:mod:`cxtext.themes.small_corpus`). ``None`` or 0: never.
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
        reassign_threshold: float | None = None,
        merge_threshold: float = float("inf"),
        secondary_margin: float = 0.25,
        center_languages: bool = True,
        min_language_size: int = 20,
        embedding_model: str = "default",
        random_state=0,
        max_fit_size: int | None = MAX_FIT_SIZE,
        min_relative_coherence: float | None = 0.65,
        small_corpus_size: int | None = SMALL_CORPUS_SIZE,
        small_corpus_z: float = SMALL_CORPUS_Z,
        min_samples: int | None = None,
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
        self.min_samples = min_samples

    def get_params(self) -> dict:
        return {name: getattr(self, name) for name in PARAMS}

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != ThemeModel().__dict__.get(k, object())}
        return "ThemeModel(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

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
            progress: Callable[[str, int, int], None] | None = None) -> ThemeModel:
        """Learn themes; ``progress(stage, done, total)`` hears "reduce", "cluster" and "label".

        Steps 0-8 of :mod:`cxtext.themes.steps`; with more than ``max_fit_size``
        comments on a sample, the rest assigned (:mod:`cxtext.themes.sampled`)."""
        check_params(self)
        X = check_embeddings(embeddings, "embeddings")
        texts = self._check_texts(texts, X.shape[0])
        n = X.shape[0]
        if languages is not None:
            languages = [None if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
                         for lang in languages]
            if len(languages) != n:
                raise ValidationError(f"'languages' must have one code per text ({n}). Got {len(languages)} instead.")
        seed = resolve_seed(self.random_state)
        sample = sampled.draw_sample(self, n, languages, seed)
        if sample is None:
            steps.fit_all(self, texts, X, languages, seed, progress)
            self.fit_sample_size_ = n
            return self
        return sampled.fit_on_sample(self, texts, X, languages, seed, sample, progress)

    def sample_indices(self, languages: Sequence[str] | None, n: int | None = None) -> np.ndarray | None:
        """Rows :meth:`fit` learns the themes from, or ``None`` when it uses all of them
        (:func:`cxtext.themes.sampled.sample_indices`)."""
        return sampled.sample_indices(self, languages, n)

    def finish_sampled_fit(self, n: int, sample: np.ndarray, rest_labels: np.ndarray,
                           rest_secondary: list[list[int]]) -> ThemeModel:
        """Extend a model fitted on rows ``sample`` of ``n`` to all of them
        (:func:`cxtext.themes.sampled.finish_sampled_fit`)."""
        return sampled.finish_sampled_fit(self, n, sample, rest_labels, rest_secondary)

    def fit_transform(self, texts, embeddings, languages=None) -> pd.DataFrame:
        """Fit, then describe the training comments like :meth:`transform` (from ``labels_``)."""
        self.fit(texts, embeddings, languages)
        E = self._prepare(np.asarray(embeddings), languages)
        sim = assign.similarity(self, assign.prototype_sims(self, E), self.labels_)
        return assign.frame(self.labels_, self.secondary_labels_, sim)

    # ----------------------------------------------------------- transform
    def _prepare(self, X: np.ndarray, languages: Sequence[str] | None) -> np.ndarray:
        """Unit rows, centred by language when the model learned language means.

        Comments without a language code (``languages=None``, None, "und") and
        languages unseen at fit time are shifted by the overall mean, so new
        comments are treated like the training ones as far as they can be.
        """
        means = getattr(self, "language_means_", {})
        if not means:
            return assign.normalize_rows(X)
        codes = ["und"] * X.shape[0] if languages is None else [
            "und" if lang is None or (isinstance(lang, float) and math.isnan(lang)) else str(lang)
            for lang in languages
        ]
        if len(codes) != X.shape[0]:
            raise ValidationError(f"'languages' must have one code per text ({X.shape[0]}). Got {len(codes)} instead.")
        centerer = LanguageCenterer(int(self.min_language_size))
        centerer.means_ = means
        return assign.normalize_rows(centerer.transform(X, codes))

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
        labels, secondary, sim_out = assign.assign(self, E, with_similarity=True)
        return assign.frame(labels, secondary, sim_out)

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

    # pieces of the assignment rule and the id check, for the analysis's own edits of its rows
    def _prototype_sims(self, E: np.ndarray) -> np.ndarray:
        return assign.prototype_sims(self, E)

    def _theme_sims(self, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
        return assign.theme_sims(self, sims)

    def _secondary_from(self, sims: np.ndarray, labels: np.ndarray) -> list[list[int]]:
        return assign.secondary_from(self, sims, labels)

    def _check_id(self, theme_id) -> int:
        return edits.check_id(self, theme_id)

    @staticmethod
    def theme_coherence(E: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
        """Per theme ``0..k-1``: mean centred cosine of its comments to their centroid
        (:func:`cxtext.themes.geometry.theme_coherence`)."""
        return geometry.theme_coherence(E, labels, k)

    # ---------------------------------------------------------------- edits
    # cxtext.themes.edits: the rules, ids and what is recorded in edits_
    def rename(self, theme_id: int, label: str) -> ThemeModel:
        """Give theme ``theme_id`` a new label."""
        return edits.rename(self, theme_id, label)

    def merge(self, theme_ids: list[int], label: str | None = None) -> ThemeModel:
        """Merge themes into the smallest id; ``label`` defaults to the largest part's label."""
        return edits.merge(self, theme_ids, label)

    def delete(self, theme_id: int) -> ThemeModel:
        """Remove a theme: its comments become unthemed (-1), here and in :meth:`transform`."""
        return edits.delete(self, theme_id)

    def split(self, theme_id: int, embeddings_of_members: np.ndarray, texts_of_members: Sequence[str],
              languages: Sequence[str] | None = None, n: int | None = None) -> list[int]:
        """Split theme ``theme_id`` into ``n`` sub-themes (``None``: chosen) by re-clustering its
        comments; returns the parts' ids, largest first (:func:`cxtext.themes.edits.split`)."""
        return edits.split(self, theme_id, embeddings_of_members, texts_of_members, languages, n)

    def move(self, rows: Sequence[int], theme_id: int) -> ThemeModel:
        """Record that comments ``rows`` (1-based rows of an analysis) were moved to ``theme_id``."""
        return edits.move(self, rows, theme_id)

    # ------------------------------------------------------------- taxonomy
    def set_taxonomy_themes(self, taxonomy, assigned: np.ndarray, prototypes: np.ndarray, texts: Sequence[str],
                            prepared: np.ndarray, languages: Sequence[str] | None,
                            matched_clusters: set[int]) -> ThemeModel:
        """Replace matched themes by a team's taxonomy themes (:mod:`cxtext.themes.taxonomy_themes`)."""
        return taxonomy_themes.set_taxonomy_themes(self, taxonomy, assigned, prototypes, texts, prepared,
                                                   languages, matched_clusters)

    def origins(self) -> dict[int, str]:
        """Theme id -> "taxonomy" (a team's own theme) or "discovered"."""
        return taxonomy_themes.origins(self)

    def taxonomy_parents(self) -> dict[int, str]:
        """Theme id -> parent name given in the taxonomy (only taxonomy themes with a parent)."""
        return taxonomy_themes.taxonomy_parents(self)

    # ------------------------------------------------------------ save/load
    def to_dict(self) -> dict:
        """Everything :meth:`save` writes to ``model.json`` (:mod:`cxtext.themes.persist`)."""
        return persist.to_dict(self)

    def save(self, path) -> Path:
        """Write the model to folder ``path`` (created if needed): model.json + centroids.npy."""
        return persist.save(self, path)

    @classmethod
    def load(cls, path) -> ThemeModel:
        """Read a folder written by :meth:`save`. Raises ModelError if it is missing or damaged."""
        return persist.load(cls, path)
