"""cxtext.themes.cluster: HDBSCAN wrapper, size rule, noise reassignment."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from cxtext.themes.cluster import Clusterer, auto_min_cluster_size, auto_min_samples, relabel_by_size
from cxtext.errors import NotFittedError, ValidationError


def blobs(sizes=(40, 30, 20), spread=0.3, seed=0, noise=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0, 0], [6, 0], [0, 6], [6, 6], [-6, 0]], dtype=float)[: len(sizes)]
    X = np.concatenate([c + rng.normal(scale=spread, size=(s, 2)) for c, s in zip(centers, sizes)])
    y = np.repeat(np.arange(len(sizes)), sizes)
    if noise:
        X = np.concatenate([X, rng.uniform(-10, 12, size=(noise, 2))])
        y = np.concatenate([y, -np.ones(noise, dtype=int)])
    return X, y


def test_auto_sizes():
    assert auto_min_cluster_size(0) == 5
    assert auto_min_cluster_size(100) == 5
    assert auto_min_cluster_size(3000) == 19
    assert auto_min_cluster_size(8600) == 32
    assert auto_min_cluster_size(10**7) == 100
    assert auto_min_samples(5) == 2 and auto_min_samples(19) == 5


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"min_cluster_size": 1}, "The 'min_cluster_size' parameter must be an int >= 2. Got 1 instead."),
        ({"min_cluster_size": 2.5}, "The 'min_cluster_size' parameter must be an int >= 2. Got 2.5 instead."),
        ({"min_samples": 0}, "The 'min_samples' parameter must be an int >= 1. Got 0 instead."),
        ({"cluster_selection_method": "best"}, "The 'cluster_selection_method' parameter must be one of"),
        ({"reassign_quantile": 1.5}, "The 'reassign_quantile' parameter must be a float in (0, 1] or None"),
    ],
)
def test_bad_params(kwargs, message):
    X, _ = blobs()
    with pytest.raises(ValidationError) as err:
        Clusterer(**kwargs).fit(X)
    assert message in str(err.value)


def test_recovers_blobs_and_orders_by_size():
    X, y = blobs()
    c = Clusterer(min_cluster_size=8).fit(X)
    assert c.n_clusters_ == 3
    assert adjusted_rand_score(y, c.labels_) > 0.95
    sizes = [np.sum(c.labels_ == k) for k in range(3)]
    assert sizes == sorted(sizes, reverse=True)
    assert c.labels_.dtype == np.int64 and c.probabilities_.shape == (len(X),)


def test_deterministic():
    X, _ = blobs(noise=15)
    a = Clusterer(random_state=1).fit(X)
    b = Clusterer(random_state=1).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.raw_labels_, b.raw_labels_)


def test_noise_reassignment_only_moves_close_points():
    X, y = blobs(noise=0)
    # two points on the edge of blob 0, one far away from everything
    extra = np.array([[0.9, 0.0], [0.0, -0.9], [30.0, 30.0]])
    X2 = np.concatenate([X, extra])
    c = Clusterer(min_cluster_size=8, min_samples=8).fit(X2)
    far = len(X2) - 1
    assert c.labels_[far] == -1
    assert c.unthemed_share_ <= c.raw_unthemed_share_
    moved = (c.raw_labels_ < 0) & (c.labels_ >= 0)
    for i in np.flatnonzero(moved):
        k = c.labels_[i]
        assert np.linalg.norm(X2[i] - c.centroids_[k]) <= c.radii_[k] + 1e-12
    off = Clusterer(min_cluster_size=8, min_samples=8, reassign_quantile=None).fit(X2)
    np.testing.assert_array_equal(off.labels_, off.raw_labels_)
    assert off.unthemed_share_ == off.raw_unthemed_share_


def test_tiny_inputs_are_all_noise():
    c = Clusterer().fit(np.zeros((3, 2)))
    assert c.n_clusters_ == 0 and np.all(c.labels_ == -1) and c.unthemed_share_ == 1.0
    assert np.all(c.predict(np.ones((2, 2))) == -1)


def test_predict():
    X, _ = blobs()
    c = Clusterer(min_cluster_size=8).fit(X)
    pred = c.predict(np.array([[0.05, 0.0], [50.0, 50.0]]))
    assert pred[0] == c.labels_[0] and pred[1] == -1
    with pytest.raises(NotFittedError):
        Clusterer().predict(X)
    with pytest.raises(ValidationError, match="columns"):
        c.predict(np.zeros((1, 3)))


def test_relabel_by_size():
    out = relabel_by_size(np.array([3, 3, -1, 7, 7, 7, 3, 3]))
    np.testing.assert_array_equal(out, [0, 0, -1, 1, 1, 1, 0, 0])


def test_a_theme_of_most_comments_is_clustered_again_on_its_own():
    """HDBSCAN put 98% of 10,480 Indonesian Google Play reviews in one theme (every one-star review in it); in a
    corpus too large for the small-corpus fallback that theme is clustered again alone and its parts replace it."""
    from cxtext.themes import ThemeModel
    from cxtext.themes.recluster import DOMINANT_THEME_SHARE, split_dominant

    rng = np.random.default_rng(0)
    centres = np.eye(16)[:3]
    E = np.concatenate([c + 0.1 * rng.standard_normal((60, 16)) for c in centres])
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    truth = np.repeat(np.arange(3), 60)
    model = ThemeModel(random_state=0)
    model.min_theme_size_, model.seed_ = 10, 0
    one_theme = np.zeros(len(E), dtype=np.int64)
    one_theme[:4] = -1  # noise stays noise
    core, rounds = split_dominant(model, E, one_theme, np.ones(len(E)))
    assert rounds == 1
    assert np.bincount(core[core >= 0]).max() <= DOMINANT_THEME_SHARE * len(E)
    assert (core[:4] == -1).all()
    themed = core >= 0
    assert adjusted_rand_score(truth[themed], core[themed]) > 0.95
    # themes below the share are left alone
    kept, rounds = split_dominant(model, E, truth.copy(), np.ones(len(E)))
    assert rounds == 0 and (kept == truth).all()
