"""cxtext.themes.fitcache: a fitted theme model comes back only for exactly the same fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxtext.themes.fitcache import ThemeFitCache, fit_key
from cxtext.themes import ThemeModel


def _fitted() -> tuple[ThemeModel, list[str], list[str]]:
    rng = np.random.default_rng(0)
    X = np.vstack([np.eye(8)[i] * 3 + rng.normal(0, 0.1, (20, 8)) for i in range(3)]).astype(np.float32)
    texts = [f"comment {i}" for i in range(len(X))]
    languages = ["en"] * len(X)
    return ThemeModel(min_theme_size=5, reduction="none").fit(texts, X, languages), texts, languages


def test_round_trip_and_keys(tmp_path):
    model, texts, languages = _fitted()
    key = fit_key("model-a", texts, languages, model.get_params())
    cache = ThemeFitCache(tmp_path / "themes")
    assert cache.get(key) is None
    cache.put(key, model)
    back = cache.get(key)
    np.testing.assert_array_equal(back.labels_, model.labels_)
    assert back.secondary_labels_ == model.secondary_labels_
    pd.testing.assert_frame_equal(back.themes_, model.themes_)
    # anything the fit depends on changes the key
    assert fit_key("model-b", texts, languages, model.get_params()) != key
    assert fit_key("model-a", texts[:-1] + ["other"], languages, model.get_params()) != key
    assert fit_key("model-a", texts, ["ro"] + languages[1:], model.get_params()) != key
    assert fit_key("model-a", texts, languages, {**model.get_params(), "random_state": 1}) != key
    assert [p.name for p in (tmp_path / "themes").iterdir()] == [key]  # no staging folder left behind


def test_damaged_entry_is_ignored_then_replaced(tmp_path):
    model, texts, languages = _fitted()
    key = fit_key("m", texts, languages, model.get_params())
    cache = ThemeFitCache(tmp_path)
    cache.put(key, model)
    (tmp_path / key / "labels.npy").write_bytes(b"not numpy")
    assert cache.get(key) is None
    cache.put(key, model)
    assert cache.get(key) is not None
