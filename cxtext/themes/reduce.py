"""Dimension reduction of sentence embeddings before clustering.

HDBSCAN works poorly on 384-dimensional embeddings (distances concentrate), so
:class:`Reducer` projects them to a few dimensions first: UMAP by default,
PCA as a fast linear alternative, or nothing.

Small corpora fall back gracefully (``effective_method_`` says what ran):

* ``n < 3`` rows: no reduction at all (the input is returned as float64).
* ``n < n_components + 3`` rows, or ``n < 10``: PCA with
  ``min(n_components, n - 1, dim)`` components instead of UMAP (UMAP's
  spectral initialisation needs more points than components).
* ``n <= n_neighbors``: UMAP with ``n_neighbors`` lowered to ``n - 1``
  (``n_neighbors_`` is the value used).
* PCA never keeps more than ``min(n, dim)`` components.
* Up to 60,000 rows the UMAP neighbour graph is computed exactly by cxtext
  (:func:`exact_knn`, blocked matrix products) and handed to UMAP, instead of
  UMAP's own search (all pairwise distances through a numba metric below
  4,096 rows, pynndescent above): the same exact neighbours, and no
  minute-long numba compilation in a fresh process (measured: a cold
  550-comment fit fell from 68 s to 15 s; warm from 2.1 s to 1.3 s).
  :meth:`Reducer.transform` then places new points at the weighted mean of
  their nearest training points.

UMAP is run with ``random_state`` set, which makes it deterministic (and
single-threaded) for a given seed. ``min_dist=0.0`` packs neighbours tightly,
the usual choice when the projection is only used for clustering.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from cxtext.errors import NotFittedError, ValidationError

__all__ = ["Reducer", "check_embeddings", "resolve_seed"]

_METHODS = ("umap", "pca", "none")
#: Up to this many rows cxtext computes the exact neighbour graph itself
#: (blocked matrix products, a few seconds for 10k rows) and hands it to UMAP,
#: which otherwise compiles numba code for a minute or two per process (its
#: pairwise metric below 4,096 rows, pynndescent above). Above it, UMAP's own
#: approximate search is used.
EXACT_KNN_MAX = 60_000
_METRICS = ("cosine", "euclidean")


def resolve_seed(random_state) -> int:
    """An int seed from ``None``, an int or a ``numpy.random.RandomState``/``Generator``."""
    if random_state is None:
        return int(np.random.randint(0, 2**31 - 1))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValidationError(
                f"The 'random_state' parameter must be None or an int >= 0. Got {random_state} instead."
            )
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**31 - 1))
    raise ValidationError(
        "The 'random_state' parameter must be None, an int >= 0 or a numpy random "
        f"generator. Got {random_state!r} instead."
    )


def check_embeddings(X, name: str = "embeddings", min_rows: int = 1) -> np.ndarray:
    """Validate a 2-D finite float matrix and return it as a numpy array."""
    try:
        arr = np.asarray(X)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise ValidationError(f"'{name}' must be a 2-D numeric array. Got {type(X).__name__}.") from exc
    if arr.ndim != 2:
        raise ValidationError(
            f"'{name}' must be a 2-D array (rows = texts, columns = dimensions). "
            f"Got an array with shape {arr.shape} instead."
        )
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValidationError(f"'{name}' must hold real numbers. Got dtype {arr.dtype} instead.")
    if arr.shape[0] < min_rows:
        raise ValidationError(
            f"'{name}' needs at least {min_rows} row(s). Got {arr.shape[0]} instead."
        )
    if arr.shape[1] < 1:
        raise ValidationError(f"'{name}' needs at least one column. Got shape {arr.shape} instead.")
    if not np.all(np.isfinite(arr)):
        raise ValidationError(f"'{name}' contains NaN or infinite values; re-embed the texts.")
    return arr


def exact_knn(X: np.ndarray, k: int, metric: str = "cosine", block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``k`` nearest neighbours of every row (itself first), as UMAP expects.

    ``X`` must be L2-normalised for ``metric="cosine"``. Returns
    ``(indices int32 (n, k), distances float32 (n, k))``; ties are broken by
    the smaller index, so the result is deterministic.
    """
    n = X.shape[0]
    k = min(k, n)
    idx = np.empty((n, k), dtype=np.int32)
    dist = np.empty((n, k), dtype=np.float32)
    sq = np.einsum("ij,ij->i", X, X) if metric == "euclidean" else None
    for start in range(0, n, block):
        stop = min(n, start + block)
        G = X[start:stop] @ X.T
        if metric == "cosine":
            D = 1.0 - G
        else:
            D = np.sqrt(np.maximum(sq[start:stop, None] + sq[None, :] - 2.0 * G, 0.0))
        rows = np.arange(stop - start)
        D[rows, rows + start] = -1.0  # the point itself always comes first
        part = np.argpartition(D, k - 1, axis=1)[:, :k]
        pd_ = np.take_along_axis(D, part, axis=1)
        order = np.lexsort((part, pd_), axis=1)
        idx[start:stop] = np.take_along_axis(part, order, axis=1)
        dd = np.take_along_axis(pd_, order, axis=1)
        dd[:, 0] = 0.0
        dist[start:stop] = np.maximum(dd, 0.0)
    return idx, dist


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValidationError(
            f"The '{name}' parameter must be an int >= {low}. Got {value!r} instead."
        )
    return int(value)


class Reducer:
    """Project embeddings to ``n_components`` dimensions for clustering.

    Parameters
    ----------
    method : {"umap", "pca", "none"}
        ``"umap"`` (default) keeps local neighbourhoods, which is what
        density clustering needs; ``"pca"`` is linear and fast; ``"none"``
        passes embeddings through (rows L2-normalised when
        ``metric="cosine"``).
    n_components : int >= 1
    n_neighbors : int >= 2
        UMAP neighbourhood size (lowered automatically on tiny corpora).
    metric : {"cosine", "euclidean"}
        UMAP input metric. For PCA with ``"cosine"`` the rows are
        L2-normalised first.
    random_state : None, int or numpy generator
        Stored as given, resolved to an int seed in :meth:`fit`.
    min_dist : float in [0, 1]
        UMAP ``min_dist``; 0.0 packs clusters tightly.

    Fitted attributes
    -----------------
    effective_method_ : str, what actually ran (see the module docstring).
    n_components_ : int, output dimension.
    n_neighbors_ : int or None, UMAP neighbourhood actually used.
    embedding_ : ndarray (n, n_components_), the reduced training data.
    n_features_in_ : int
    """

    def __init__(
        self,
        method: str = "umap",
        n_components: int = 5,
        n_neighbors: int = 15,
        metric: str = "cosine",
        random_state=0,
        min_dist: float = 0.0,
    ):
        self.method = method
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.random_state = random_state
        self.min_dist = min_dist

    # ------------------------------------------------------------------
    def _validate_params(self) -> None:
        if self.method not in _METHODS:
            raise ValidationError(
                f"The 'method' parameter must be one of {list(_METHODS)}. Got {self.method!r} instead."
            )
        _check_int("n_components", self.n_components, 1)
        _check_int("n_neighbors", self.n_neighbors, 2)
        if self.metric not in _METRICS:
            raise ValidationError(
                f"The 'metric' parameter must be one of {list(_METRICS)}. Got {self.metric!r} instead."
            )
        if (
            isinstance(self.min_dist, bool)
            or not isinstance(self.min_dist, numbers.Real)
            or not 0.0 <= float(self.min_dist) <= 1.0
        ):
            raise ValidationError(
                f"The 'min_dist' parameter must be a float in [0, 1]. Got {self.min_dist!r} instead."
            )

    def _prepare(self, X: np.ndarray) -> np.ndarray:
        X = X.astype(np.float64, copy=True)
        if self.metric == "cosine":
            norms = np.linalg.norm(X, axis=1, keepdims=True)
            X = X / np.where(norms > 0, norms, 1.0)
        return X

    def fit(self, X, y=None) -> "Reducer":
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        self._validate_params()
        X = check_embeddings(X, "X")
        seed = resolve_seed(self.random_state)
        n, dim = X.shape
        self.n_features_in_ = dim
        self.seed_ = seed
        self.n_neighbors_ = None
        self._model = None
        Xp = self._prepare(X)
        method = self.method
        if method != "none" and n < 3:
            method = "none"
        if method == "umap" and (n < self.n_components + 3 or n < 10):
            method = "pca"
        if method == "none":
            out = Xp if self.metric == "cosine" else X.astype(np.float64)
        elif method == "pca":
            from sklearn.decomposition import PCA

            k = max(1, min(self.n_components, n - 1, dim))
            self._model = PCA(n_components=k, random_state=seed)
            out = self._model.fit_transform(Xp)
        else:
            import umap

            k = min(self.n_neighbors, n - 1)
            self.n_neighbors_ = k
            knn = (None, None, None)
            self.exact_knn_ = n <= EXACT_KNN_MAX
            if self.exact_knn_:
                knn = exact_knn(Xp, k, self.metric)
            self._model = umap.UMAP(
                n_components=self.n_components,
                n_neighbors=k,
                min_dist=float(self.min_dist),
                metric=self.metric,
                random_state=seed,
                # small graphs: the default spectral init can fail on disconnected data
                init="spectral" if n > 4 * self.n_components + 10 else "random",
                transform_seed=seed,
                precomputed_knn=knn,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = self._model.fit_transform(Xp)
        self.effective_method_ = method
        if method != "umap":
            self.exact_knn_ = False
        elif self.exact_knn_:
            self._train = Xp.astype(np.float32)
        out = np.asarray(out, dtype=np.float64)
        self.n_components_ = out.shape[1]
        self.embedding_ = out
        return out

    def transform(self, X) -> np.ndarray:
        if not hasattr(self, "effective_method_"):
            raise NotFittedError("This Reducer is not fitted yet. Call 'fit' with embeddings first.")
        X = check_embeddings(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {X.shape[1]} columns but the Reducer was fitted on {self.n_features_in_}; "
                "use the same embedding model."
            )
        Xp = self._prepare(X)
        if self.effective_method_ == "none":
            return Xp if self.metric == "cosine" else X.astype(np.float64)
        if self.effective_method_ == "umap" and self.exact_knn_:
            return self._knn_transform(Xp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self._model.transform(Xp), dtype=np.float64)

    def _knn_transform(self, Xp: np.ndarray) -> np.ndarray:
        """New points at the weighted mean of their nearest training points' positions.

        Used when UMAP was fitted on an exact neighbour graph (no search index
        to transform with); it is UMAP's own initial placement for new points,
        weights ``exp(-(d - d_min) / (mean(d) - d_min))`` over the
        ``n_neighbors_`` nearest training points.
        """
        train = self._train.astype(np.float64)
        k = min(self.n_neighbors_, train.shape[0])
        out = np.empty((Xp.shape[0], self.n_components_))
        for start in range(0, Xp.shape[0], 1024):
            block = Xp[start : start + 1024]
            G = block @ train.T
            if self.metric == "cosine":
                D = 1.0 - G
            else:
                sq = np.einsum("ij,ij->i", train, train)
                D = np.sqrt(np.maximum(np.einsum("ij,ij->i", block, block)[:, None] + sq[None, :] - 2 * G, 0))
            part = np.argpartition(D, k - 1, axis=1)[:, :k]
            d = np.take_along_axis(D, part, axis=1)
            dmin = d.min(axis=1, keepdims=True)
            scale = np.maximum(d.mean(axis=1, keepdims=True) - dmin, 1e-12)
            w = np.exp(-(d - dmin) / scale)
            w /= w.sum(axis=1, keepdims=True)
            out[start : start + 1024] = np.einsum("ij,ijk->ik", w, self.embedding_[part])
        return out
