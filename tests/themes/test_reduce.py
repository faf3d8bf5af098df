"""cxtext.themes.reduce: Reducer parameters, fallbacks on tiny corpora, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.errors import NotFittedError, ValidationError
from cxtext.themes.reduce import Reducer, exact_knn, resolve_seed


def blobs(n_per=20, k=3, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(k, dim)) * 4
    X = np.concatenate([c + rng.normal(size=(n_per, dim)) for c in centers])
    y = np.repeat(np.arange(k), n_per)
    return X.astype(np.float32), y


def test_init_only_stores_params():
    r = Reducer(method="bogus", n_components=-3, random_state="x")
    assert r.method == "bogus" and r.n_components == -3 and r.random_state == "x"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "tsne"}, "The 'method' parameter must be one of"),
        ({"n_components": 0}, "The 'n_components' parameter must be an int >= 1. Got 0 instead."),
        ({"n_neighbors": 1}, "The 'n_neighbors' parameter must be an int >= 2. Got 1 instead."),
        ({"metric": "manhattan"}, "The 'metric' parameter must be one of"),
        ({"random_state": -1}, "The 'random_state' parameter must be None or an int >= 0"),
        ({"min_dist": 2.0}, "The 'min_dist' parameter must be a float in [0, 1]"),
    ],
)
def test_bad_params_raise_on_fit(kwargs, message):
    X, _ = blobs()
    with pytest.raises(ValidationError) as err:
        Reducer(**kwargs).fit(X)
    assert message in str(err.value)


def test_bad_input():
    with pytest.raises(ValidationError, match="2-D"):
        Reducer().fit(np.zeros(5))
    X, _ = blobs()
    X[0, 0] = np.nan
    with pytest.raises(ValidationError, match="NaN"):
        Reducer().fit(X)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        Reducer().transform(np.zeros((2, 3)))


def test_pca_and_none():
    X, _ = blobs()
    Z = Reducer(method="pca", n_components=4).fit_transform(X)
    assert Z.shape == (60, 4)
    r = Reducer(method="none").fit(X)
    assert r.effective_method_ == "none" and r.embedding_.shape == X.shape
    np.testing.assert_allclose(np.linalg.norm(r.embedding_, axis=1), 1.0)  # cosine: rows normalised
    np.testing.assert_allclose(r.transform(X), r.embedding_)


def test_umap_deterministic_and_separates():
    X, y = blobs()
    a = Reducer(random_state=3).fit_transform(X)
    b = Reducer(random_state=3).fit_transform(X)
    assert a.shape == (60, 5)
    np.testing.assert_array_equal(a, b)
    centers = np.stack([a[y == k].mean(0) for k in range(3)])
    spread = max(np.linalg.norm(a[y == k] - centers[k], axis=1).mean() for k in range(3))
    gaps = min(np.linalg.norm(centers[i] - centers[j]) for i in range(3) for j in range(i + 1, 3))
    assert gaps > 2 * spread


@pytest.mark.parametrize("n, method", [(1, "none"), (2, "none"), (6, "pca"), (9, "pca"), (14, "umap")])
def test_small_corpora_fall_back(n, method):
    X, _ = blobs(n_per=n, k=1)
    r = Reducer(n_components=5, n_neighbors=15)
    Z = r.fit_transform(X)
    assert r.effective_method_ == method
    assert Z.shape[0] == n and np.all(np.isfinite(Z))
    if method == "umap":
        assert r.n_neighbors_ == n - 1
    if method == "pca":
        assert Z.shape[1] == min(5, n - 1)


def test_exact_knn_matches_brute_force():
    X, _ = blobs(n_per=30)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    idx, dist = exact_knn(X, 7, block=16)
    D = 1 - X @ X.T
    assert np.all(idx[:, 0] == np.arange(len(X))) and np.all(dist[:, 0] == 0)
    for i in range(len(X)):
        expected = np.sort(D[i][np.arange(len(X)) != i])[:6]
        np.testing.assert_allclose(dist[i, 1:], expected, atol=1e-5)


def test_resolve_seed():
    assert resolve_seed(5) == 5
    assert resolve_seed(np.random.RandomState(0)) == resolve_seed(np.random.RandomState(0))
    assert isinstance(resolve_seed(None), int)
    with pytest.raises(ValidationError):
        resolve_seed("seed")
