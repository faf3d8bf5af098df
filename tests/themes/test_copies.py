"""Copies of one text fitted once, weighted by their rows (cxtext.themes.copies, steps.fit_all).

The model tests embed 59 real Google Play reviews of Ethiopian banks (tests/fixtures/real_exports)
with the default model, once per module, and add a block of 100 copies of one of its complaints.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxtext.themes import ThemeModel
from cxtext.themes.copies import copy_key, find_copies, place_noise
from cxtext.themes.geometry import centroids

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports"
COPY = "It's useless app downgraded."
N_COPIES = 100


def test_copies_are_compared_by_case_and_whitespace():
    assert copy_key("  App  crashes\n") == copy_key("app crashes") == "app crashes"
    found = find_copies(["b", "a", "B ", "c", "a", "A"])
    assert found.first.tolist() == [0, 1, 3] and found.counts.tolist() == [2, 3, 1]
    assert found.inverse.tolist() == [0, 1, 0, 2, 1, 1] and (found.n_rows, found.n_distinct) == (6, 3)


def test_centroids_weigh_copies():
    E = np.array([[1.0, 0.0], [0.0, 1.0]])
    plain = centroids(E, np.array([0, 0]), 1)
    weighted = centroids(E, np.array([0, 0]), 1, np.array([3, 1]))
    assert np.allclose(plain, [[2 ** -0.5, 2 ** -0.5]])
    assert weighted[0, 0] > 0.9 and np.isclose(np.linalg.norm(weighted), 1.0)


class _Rule:
    reassign_threshold = None
    small_corpus_ = False


def test_a_block_of_copies_far_from_every_theme_is_a_theme_of_its_own():
    E = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    C, thr = np.array([[1.0, 0.0, 0.0]]), np.array([0.9])
    labels, core = place_noise(_Rule(), E, np.array([0, -1, -1]), C, thr, np.array([1, 50, 1]), min_rows=5)
    # the copied text gets a new theme; a single far comment still joins its nearest theme (step 6)
    assert labels.tolist() == [0, 1, 0] and core.tolist() == [0, 1, -1]


# ------------------------------------------------------------- real model
def _reviews() -> list[str]:
    frame = pd.read_csv(FIXTURES / "ethiopian_bank_play_reviews_59.csv")
    return frame["review_text"].astype(str).tolist()


@pytest.fixture(scope="module")
def embedded() -> tuple[list[str], np.ndarray]:
    from cxtext.embed import SentenceTransformerEmbedder

    texts = _reviews()
    return texts, np.asarray(SentenceTransformerEmbedder(model="default").encode(texts), dtype=np.float32)


def _with_copies(texts: list[str], vectors: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The reviews with 100 more copies of COPY spread through them; returns (texts, vectors, is_copy)."""
    at = texts.index(COPY)
    rng = np.random.default_rng(3)
    order = rng.permutation(len(texts) + N_COPIES)
    all_texts = np.array(texts + [COPY.upper() if i % 2 else COPY for i in range(N_COPIES)], dtype=object)[order]
    all_vectors = np.concatenate([vectors, np.repeat(vectors[at:at + 1], N_COPIES, axis=0)])[order]
    return list(all_texts), all_vectors, np.array([copy_key(t) == copy_key(COPY) for t in all_texts])


def _first_row_order(texts: list[str], all_texts: list[str]) -> list[int]:
    """Positions in ``texts`` of the distinct texts, in the order they first come in ``all_texts``."""
    position = {copy_key(t): i for i, t in reversed(list(enumerate(texts)))}
    order: list[int] = []
    for text in all_texts:
        if position[copy_key(text)] not in order:
            order.append(position[copy_key(text)])
    return order


@pytest.mark.model
@pytest.mark.parametrize("min_theme_size", [
    None,  # the small-corpus rule
    3,  # UMAP + HDBSCAN
])
def test_copies_cannot_shape_the_other_themes(embedded, min_theme_size):
    texts, vectors = embedded
    all_texts, all_vectors, is_copy = _with_copies(texts, vectors)
    # Compared with the same distinct texts alone *in the order they first come in the dump with copies*:
    # UMAP's result depends on row order, and spreading the copies through the file reorders the rest
    # (with the r3 int8 vectors, these 59 reviews give 5 themes in file order and 3 in that order,
    # with or without the copies).
    order = _first_row_order(texts, all_texts)
    texts, vectors = [texts[i] for i in order], vectors[order]
    once = ThemeModel(random_state=0, min_theme_size=min_theme_size).fit(texts, vectors)
    many = ThemeModel(random_state=0, min_theme_size=min_theme_size).fit(all_texts, all_vectors)
    # the themes are found among the same distinct texts: the copies do not move them
    assert many.n_clusters_found_ == once.n_clusters_found_
    assert "59 distinct texts of 159 comments" in many.fit_rule_
    # every copy in one theme, and every row counted
    assert len(set(many.labels_[is_copy].tolist())) == 1
    assert many.labels_.shape == (len(all_texts),) and len(many.secondary_labels_) == len(all_texts)
    sizes = many.themes_.set_index("theme_id")["size"]
    assert int(sizes.sum()) == int((many.labels_ >= 0).sum()) and many.n_texts_ == len(all_texts)
    theme = int(many.labels_[is_copy][0])
    assert sizes[theme] == int((many.labels_ == theme).sum()) >= N_COPIES + 1
    assert list(many.themes_["size"]) == sorted(many.themes_["size"], reverse=True)  # ids ordered by rows
    # the other reviews are grouped as they were without the copies (centroids weigh the copies,
    # so a few noise comments may join another nearest theme)
    others = np.flatnonzero(~is_copy)
    original = [texts.index(t) for t in np.array(all_texts, dtype=object)[others]]
    same = pd.crosstab(many.labels_[others], once.labels_[original]).max(axis=1).sum() / len(others)
    assert same >= 0.9


@pytest.mark.model
def test_copies_are_deterministic_for_a_seed(embedded):
    all_texts, all_vectors, _ = _with_copies(*embedded)
    first = ThemeModel(random_state=0, min_theme_size=3).fit(all_texts, all_vectors)
    again = ThemeModel(random_state=0, min_theme_size=3).fit(all_texts, all_vectors)
    assert np.array_equal(first.labels_, again.labels_)
    pd.testing.assert_frame_equal(first.themes_, again.themes_)
