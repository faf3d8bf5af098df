"""Small surveys (cxtext.themes small-corpus rule, cxtext.themes.cluster.agglomerative_labels, the report's top driver).

A monthly NPS survey of a small product: 20 rows, 13 usable comments, three
of them the same complaint ("delivery was late, nobody answered") in
English, Arabic and Romanian. The model tests embed them with the default
model (multilingual-e5-small, int8 ONNX) once per module.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cxtext import report
from cxtext.themes.cluster import agglomerative_labels
from cxtext.drivers import driver_table
from cxtext.errors import ValidationError
from cxtext.themes import SMALL_CORPUS_SIZE, TENTATIVE_SIZE, ThemeModel

LATE = [
    ("Delivery was late, nobody answered.", "en"),
    ("التوصيل تأخر ولم يرد علينا أحد.", "ar"),
    ("Livrarea a întârziat și nu a răspuns nimeni.", "ro"),
]
OTHERS = [
    ("Great prices and friendly staff.", "en"),
    ("Prețuri foarte bune, recomand.", "ro"),
    ("The app crashes when I try to pay.", "en"),
    ("Aplicația se blochează la plată.", "ro"),
    ("الموظفون لطفاء جداً", "ar"),
    ("Please add more colours.", "en"),
    ("The website is hard to use on my phone.", "en"),
    ("Packaging was nice.", "en"),
    ("المنتج جيد لكن السعر مرتفع", "ar"),
    ("Am primit alt produs decât cel comandat.", "ro"),
]
COMMENTS = LATE + OTHERS
TEXTS = [t for t, _ in COMMENTS]
LANGS = [lang for _, lang in COMMENTS]
LATE_SCORES = [1, 0, 2]
OTHER_SCORES = [10, 9, 6, 5, 9, 8, 7, 9, 7, 3]
NON_ANSWERS = ["", "   ", "n/a", "-", "nothing", "no comment", "N/A"]


def survey() -> pd.DataFrame:
    """20 rows: the 13 comments and 7 rows that give no usable comment (all scored)."""
    rows = [{"id": f"c{i}", "comment": text, "nps": score}
            for i, (text, score) in enumerate(zip(TEXTS, LATE_SCORES + OTHER_SCORES))]
    rows += [{"id": f"x{i}", "comment": text, "nps": 8 + i % 3} for i, text in enumerate(NON_ANSWERS)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    from cxtext.embed import SentenceTransformerEmbedder

    return np.asarray(SentenceTransformerEmbedder(model="default").encode(TEXTS), dtype=np.float32)


@pytest.fixture(scope="module")
def fitted(vectors) -> ThemeModel:
    return ThemeModel(random_state=0).fit(TEXTS, vectors, LANGS)


# ------------------------------------------------------------- real model
@pytest.mark.model
def test_the_three_language_complaint_is_one_theme(fitted):
    late = fitted.labels_[:3]
    assert late[0] >= 0 and len(set(late.tolist())) == 1
    members = np.flatnonzero(fitted.labels_ == late[0])
    # the theme is the complaint, not a catch-all of the survey
    assert set(members.tolist()) == {0, 1, 2}
    assert fitted.small_corpus_ and fitted.fit_rule_.startswith("small-corpus")
    assert f"n=13 < small_corpus_size {SMALL_CORPUS_SIZE}" in fitted.fit_rule_
    assert fitted.reducer_method_ == "none" and fitted.min_theme_size_ == 2
    # small surveys: a language gets its own mean from 5 comments (6 English, 4 Romanian, 3 Arabic here)
    assert set(fitted.language_means_) == {"*", "en"}
    langs = fitted.themes_.set_index("theme_id").loc[int(late[0]), "languages"]
    assert all(code in langs for code in ("en", "ar", "ro"))


@pytest.mark.model
def test_small_themes_are_tentative(fitted):
    sizes = fitted.themes_.set_index("theme_id")["size"]
    assert fitted.n_themes_ >= 1
    assert fitted.tentative_ == frozenset(int(t) for t, size in sizes.items() if size < TENTATIVE_SIZE)
    assert int(fitted.labels_[0]) in fitted.tentative_


@pytest.mark.model
def test_deterministic_for_a_seed(vectors, fitted):
    again = ThemeModel(random_state=0).fit(TEXTS, vectors, LANGS)
    assert np.array_equal(again.labels_, fitted.labels_)
    assert again.secondary_labels_ == fitted.secondary_labels_
    pd.testing.assert_frame_equal(again.themes_, fitted.themes_)
    assert again.fit_rule_ == fitted.fit_rule_
    # the rule has no random step: another seed gives the same themes
    other = ThemeModel(random_state=7).fit(TEXTS, vectors, LANGS)
    assert np.array_equal(other.labels_, fitted.labels_)


@pytest.mark.model
def test_the_default_rule_still_runs_when_asked(vectors):
    old = ThemeModel(random_state=0, small_corpus_size=None).fit(TEXTS, vectors, LANGS)
    assert not old.small_corpus_ and old.fit_rule_.startswith("default:")
    assert "small_corpus_size None" in old.fit_rule_


@pytest.mark.model
def test_save_load_keeps_the_rule_and_tentative_and_reads_old_folders(fitted, vectors, tmp_path):
    fitted.save(tmp_path / "m")
    back = ThemeModel.load(tmp_path / "m")
    assert back.fit_rule_ == fitted.fit_rule_ and back.small_corpus_
    assert back.tentative_ == fitted.tentative_
    data = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert data["fit_rule"] == fitted.fit_rule_ and data["tentative_size"] == TENTATIVE_SIZE
    assert [t["tentative"] for t in data["themes"]] == [t in fitted.tentative_ for t in sorted(fitted._themes)]
    # a folder written before these fields existed still loads, with defaults
    for key in ("fit_rule", "small_corpus", "tentative_size"):
        del data[key]
    for theme in data["themes"]:
        del theme["tentative"]
    for key in ("small_corpus_size", "small_corpus_z"):
        del data["params"][key]
    (tmp_path / "m" / "model.json").write_text(json.dumps(data), encoding="utf-8")
    old = ThemeModel.load(tmp_path / "m")
    assert "not recorded" in old.fit_rule_ and not old.small_corpus_
    assert old.tentative_ == fitted.tentative_  # recomputed from the sizes
    assert old.transform(TEXTS, vectors, LANGS)["theme_id"].tolist() == \
        back.transform(TEXTS, vectors, LANGS)["theme_id"].tolist()


@pytest.mark.model
def test_report_of_the_small_survey_names_its_top_driver(tmp_path):
    import cxtext

    analysis = cxtext.analyze(survey(), seed=0, cache_path=tmp_path / "embeddings.sqlite")
    records = analysis.records.set_index("id")
    late_theme = records.loc["c0", "theme_id"]
    assert late_theme >= 0 and records.loc["c1", "theme_id"] == records.loc["c2", "theme_id"] == late_theme
    assert int((records["theme_id"] >= 0).sum() + (records["theme_id"] == -1).sum()) == 13
    label = analysis.themes.set_index("theme_id").loc[late_theme, "label"]
    data = report.ReportData.from_analysis(analysis)
    top = data.top_driver()
    assert top is not None and int(top["theme_id"]) == late_theme
    assert top["tentative"] and not top["testable"]
    findings = " ".join(report.key_findings(data))
    assert "Top driver of detractors" in findings and f"“{label}”" in findings
    assert report.TENTATIVE_TAG in findings and "fewer than 10 scored respondents" in findings
    html = report.render_html(analysis)
    assert "Top driver of detractors" in html and report.TENTATIVE_TAG in html
    assert "Tentative</dt>" in html and "small survey" in html


# ------------------------------------------------------------ no model
def _blobs(sizes, dim=16, spread=0.15, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.linalg.qr(rng.normal(size=(dim, dim)))[0][: len(sizes)]
    X = np.vstack([c + rng.normal(0, spread, (s, dim)) for c, s in zip(centres, sizes)])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(len(sizes)), sizes)


def test_agglomerative_labels_finds_pairs_and_leaves_one_offs():
    X, y = _blobs([4, 3, 2, 1, 1])
    labels = agglomerative_labels(X, 0.5)
    # the three groups of 2+ are themes, largest first; the two one-offs are noise
    assert labels[:4].tolist() == [0] * 4 and labels[4:7].tolist() == [1] * 3 and labels[7:9].tolist() == [2] * 2
    assert labels[9:].tolist() == [-1, -1]
    assert agglomerative_labels(X, 0.5, min_size=3)[7:].tolist() == [-1] * 4
    assert (agglomerative_labels(X, 0.99) == -1).all()
    assert agglomerative_labels(X[:1], 0.5).tolist() == [-1]
    # zero rows (the same comment twice, centred) are one group, orthogonal to the rest
    zeros = np.vstack([np.zeros((2, X.shape[1])), X[:3]])
    assert agglomerative_labels(zeros, 0.5).tolist() == [1, 1, 0, 0, 0]
    assert agglomerative_labels(np.zeros((2, 4)), 0.5).tolist() == [0, 0]
    with pytest.raises(ValidationError, match="linkage"):
        agglomerative_labels(X, 0.5, linkage="ward")
    with pytest.raises(ValidationError, match="min_similarity"):
        agglomerative_labels(X, 1.5)


def test_small_corpus_rule_is_used_below_the_size_unless_min_theme_size_is_given():
    X, y = _blobs([6, 4, 3, 2, 1])
    texts = [f"comment {i}" for i in range(len(X))]
    m = ThemeModel(random_state=0).fit(texts, X)
    assert m.small_corpus_ and m.n_themes_ == 4 and m.labels_[-1] == -1
    assert m.tentative_ == frozenset(t for t, s in zip(m.themes_["theme_id"], m.themes_["size"]) if s < 5)
    # an explicit min_theme_size sizes HDBSCAN's themes: the default path is kept
    sized = ThemeModel(random_state=0, min_theme_size=3).fit(texts, X)
    assert not sized.small_corpus_ and "min_theme_size 3 given" in sized.fit_rule_
    assert "sqrt" not in sized.fit_rule_  # a size the user gave needs no explanation
    # the same comment twice and nothing else: centring leaves two zero rows, one theme
    twice = ThemeModel(random_state=0).fit(["same", "same"], np.vstack([X[0], X[0]]), ["en", "en"])
    assert twice.labels_.tolist() == [0, 0] and twice.tentative_ == frozenset({0})
    off = ThemeModel(random_state=0, small_corpus_size=len(X)).fit(texts, X)
    assert not off.small_corpus_ and off.fit_rule_.startswith("default:")
    # the scaled size is named with its formula and the lever for finer themes (5 = 0.35 x sqrt(16), clipped)
    n = len(X)
    assert "min_cluster_size 5 (" in off.fit_rule_ and f"0.35 x sqrt({n}) rounded, within 5-100" in off.fit_rule_
    assert "a smaller min_theme_size gives finer themes" in off.fit_rule_


def test_small_corpus_parameters_are_checked():
    X, _ = _blobs([3, 3])
    for kwargs, word in (({"small_corpus_size": -1}, "small_corpus_size"), ({"small_corpus_size": 2.5}, "small_corpus_size"),
                         ({"small_corpus_z": float("nan")}, "small_corpus_z"),
                         ({"small_corpus_z": "high"}, "small_corpus_z")):
        with pytest.raises(ValidationError, match=word):
            ThemeModel(**kwargs).fit(["a"] * len(X), X)


def test_report_names_a_tentative_top_driver_when_every_theme_is_too_small():
    """Three small themes, none testable: the report still says which one costs the most."""
    theme_id = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, -1, -1, -1])
    scores = np.array([0, 1, 2, 9, 10, 9, 8, 6, 7, 9, 10, 8])
    records = pd.DataFrame({"theme_id": theme_id, "theme_ids": [str(t) if t >= 0 else "" for t in theme_id],
                            "nps": pd.array(scores, dtype="Int64"), "scores_valid": True, "status": "analyzed"})
    themes = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["late delivery", "friendly staff", "app crash"],
                           "keywords": [["late"], ["staff"], ["app"]], "size": [3, 4, 2],
                           "share": [3 / 9, 4 / 9, 2 / 9], "languages": ["ar, en, ro", "en", "en"],
                           "quotes": [["Delivery was late, nobody answered."], ["Friendly staff"], ["App crashes"]]})
    drivers = driver_table(records, themes[["theme_id", "label"]])
    assert drivers["nps_impact_ci_high"].isna().all()  # every theme below min_test_size
    data = report.ReportData(summary={"rows_in": 12, "rows_analyzed": 12, "theme_count": 3,
                                      "nps": {"n": 12, "nps": 25.0, "ci_low": -20.0, "ci_high": 60.0}},
                             themes=report.themes_frame(themes), drivers=drivers,
                             fit_rule="small-corpus: average-linkage clustering cut at centred cosine >= 0.14")
    top = data.top_driver()
    assert top["label"] == "late delivery" and top["tentative"] and not top["testable"]
    findings = report.key_findings(data)
    assert any(line.startswith(f"Top driver of detractors ({report.TENTATIVE_TAG}; fewer than 10")
               and "“late delivery”" in line for line in findings)
    html = report.render_html(data)
    assert html.count(report.TENTATIVE_TAG) >= 3  # finding, table rows, cards, how to read
    assert "Rule: small-corpus" in html
    # with a clear driver, nothing tentative is named in its place
    assert report.ReportData(summary=data.summary, themes=data.themes,
                             drivers=drivers.assign(nps_impact_ci_high=-1.0)).top_driver() is None


@pytest.mark.model
def test_one_theme_of_most_comments_falls_back_to_the_small_corpus_rule(tmp_path):
    # a public Google Forms survey (tests/fixtures/real_exports/spack_user_survey_2022.csv, 318 comments in 3
    # columns): HDBSCAN found 2 themes, one of 288 comments ("use spack to build"), which names nothing
    import cxtext
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports" / "spack_user_survey_2022.csv"
    # the three columns read then (the pain-points question, read since, makes 445 comments HDBSCAN splits well)
    text = ["Tell us briefly about your use case and your usual Spack workflow.",
            "What's the biggest thing we could do to improve Spack over the next year?",
            "Do you have any other comments for us?"]
    analysis = cxtext.analyze(fixture, text=text, cache_path=tmp_path / "cache.sqlite")
    rule = analysis.summary["theme_fit_rule"]
    assert rule.startswith("small-corpus rule as a fallback: HDBSCAN (min_cluster_size 6) found 2 theme(s)"), rule
    sizes = analysis.themes["size"]
    assert len(sizes) >= 10 and sizes.max() < 0.5 * sizes.sum()
