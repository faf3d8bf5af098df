"""The team's own taxonomy: file formats, bad files, matching, outputs and reuse."""

from __future__ import annotations

import json

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxtext
from cxtext.errors import ConfigError, CxtextError, TaxonomyError
from cxtext.themes.taxonomy import Taxonomy, TaxonomyMatcher, TaxonomyTheme, load_taxonomy
from cxtext.themes import ThemeModel

from feedback import COMPLAINTS
from vectors import unit_blobs

ROOT = Path(__file__).resolve().parents[2]

YAML_MAPPING = """\
Double billing:
  description: charged more than once for the same thing
  examples: [Mi-au luat banii de două ori, تم خصم المبلغ مرتين, I paid twice for one order]
  parent: Money
Delivery delays:
  examples: "my parcel is late | the courier never came"
"""


# ------------------------------------------------------------------ formats
def test_csv_with_every_column(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text("Theme,Description,Examples,Parent\n"
                    "Double billing,charged twice,I paid twice | تم خصم المبلغ مرتين,Money\n"
                    "Delivery delays,,,\n", encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ["Double billing", "Delivery delays"]
    first, second = taxonomy.themes
    assert first == TaxonomyTheme("Double billing", "charged twice", ("I paid twice", "تم خصم المبلغ مرتين"), "Money")
    assert second == TaxonomyTheme("Delivery delays")
    assert first.phrases() == ["Double billing: charged twice", "I paid twice", "تم خصم المبلغ مرتين"]
    frame = taxonomy.frame
    assert list(frame.columns) == ["theme", "description", "examples", "parent"]
    assert frame.loc[0, "examples"] == ["I paid twice", "تم خصم المبلغ مرتين"]
    assert taxonomy.source == "tax.csv"


def test_tsv_with_only_a_theme_column(tmp_path):
    path = tmp_path / "tax.tsv"
    path.write_text("theme\nRefunds\nLogin problems\n", encoding="utf-8")
    assert load_taxonomy(path).names == ["Refunds", "Login problems"]


def test_xlsx(tmp_path):
    path = tmp_path / "tax.xlsx"
    pd.DataFrame({"theme": ["Refunds", "Rambursări lente"], "examples": ["money back | refund late", None],
                  "parent": ["Money", "Money"]}).to_excel(path, index=False)
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ["Refunds", "Rambursări lente"]
    assert taxonomy.themes[0].examples == ("money back", "refund late")
    assert taxonomy.themes[1].examples == () and taxonomy.themes[1].parent == "Money"


def test_yaml_mapping_and_list(tmp_path):
    mapping = tmp_path / "tax.yaml"
    mapping.write_text(YAML_MAPPING, encoding="utf-8")
    taxonomy = load_taxonomy(mapping)
    assert taxonomy.names == ["Double billing", "Delivery delays"]
    assert taxonomy.themes[0].examples[1] == "تم خصم المبلغ مرتين" and taxonomy.themes[0].parent == "Money"
    assert taxonomy.themes[1].examples == ("my parcel is late", "the courier never came")
    listed = tmp_path / "tax.yml"
    listed.write_text("- theme: Refunds\n  examples: [money back]\n- theme: Login problems\n", encoding="utf-8")
    assert load_taxonomy(listed).names == ["Refunds", "Login problems"]
    assert load_taxonomy(taxonomy) is taxonomy  # a Taxonomy passes through


# ------------------------------------------------------------------ bad files
def test_missing_theme_column_lists_the_columns_found(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,examples\nRefunds,money back\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.csv: no 'theme' column \(columns found: 'name', 'examples'\)"):
        load_taxonomy(path)


def test_duplicate_theme_names_give_both_rows(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("theme\nRefunds\nLogin\nrefunds\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"dup\.csv, column 'theme': 'refunds' appears twice \(rows 2 and 4\)"):
        load_taxonomy(path)
    yaml_path = tmp_path / "dup.yaml"
    yaml_path.write_text("- theme: A\n- theme: A\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"dup\.yaml, column 'theme': 'A' appears twice \(items 1 and 2\)"):
        load_taxonomy(yaml_path)


def test_empty_theme_cell_names_row_and_column(tmp_path):
    path = tmp_path / "hole.csv"
    path.write_text("theme,examples\nRefunds,money back\n,late parcel\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"hole\.csv, row 3, column 'theme': the theme name is empty"):
        load_taxonomy(path)


@pytest.mark.parametrize("name, content", [("empty.csv", ""), ("empty.yaml", "  \n"), ("empty.yml", "[]\n"),
                                           ("header.csv", "theme\n")])
def test_empty_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=rf"{name.replace('.', '[.]')}.*(empty|no rows)"):
        load_taxonomy(path)


def test_unreadable_and_unknown_files(tmp_path):
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nowhere.csv")
    odd = tmp_path / "tax.docx"
    odd.write_bytes(b"PK\x03\x04")
    with pytest.raises(TaxonomyError, match=r"tax\.docx: a taxonomy must be a \.csv"):
        load_taxonomy(odd)
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [unclosed\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"broken\.yaml: not valid YAML"):
        load_taxonomy(broken)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just a sentence\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="scalar.yaml: a YAML taxonomy must be a list"):
        load_taxonomy(scalar)
    assert issubclass(TaxonomyError, CxtextError)


def test_cli_reports_a_bad_taxonomy_in_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nRefunds\n", encoding="utf-8")
    data = tmp_path / "in.csv"
    data.write_text("comment,nps\nslow refund,3\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cxtext.cli", "analyze", str(data), "--out", str(tmp_path / "o"),
                           "--taxonomy", str(bad), "--no-history", "--quiet"], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "bad.csv: no 'theme' column (columns found: 'name')" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ matcher
def test_cluster_rule_matches_the_right_cluster_and_leaves_the_rest():
    X, clusters, centres = unit_blobs()
    # theme 0 points at group 1; theme 1 at a direction no group has
    P = np.stack([centres[1] + 0.3 * np.eye(16)[5], np.eye(16)[9]])
    matcher = TaxonomyMatcher("cluster").fit(P)
    pred = matcher.predict(X, clusters)
    assert matcher.cluster_matches_ == {1: 0}
    assert (pred[clusters == 1] == 0).all() and (pred[clusters != 1] == -1).all()
    assert matcher.scores_.shape == (120, 2)
    # unthemed comments of group 1 are matched one by one
    loose = clusters.copy()
    loose[40:45] = -1
    again = TaxonomyMatcher("cluster").fit(P).predict(X, loose)
    assert (again[40:45] == 0).all()


def test_relative_rule_takes_each_themes_threshold_from_its_examples():
    from cxtext.themes.taxonomy import prototypes

    rng = np.random.default_rng(1)
    name = np.eye(8)[0]
    # theme 0: a name and three examples close to it; theme 1: a name alone
    V = np.vstack([name, name + 0.2 * rng.standard_normal((3, 8)), np.eye(8)[1]])
    owner = np.array([0, 0, 0, 0, 1])
    matcher = TaxonomyMatcher(example_margin=0.05, name_cos=0.4, max_threshold=None).fit(
        prototypes(V, owner, 2), V, owner)
    unit = V / np.linalg.norm(V, axis=1, keepdims=True)
    loo = []
    for i in (1, 2, 3):  # each example against the mean of the theme's other phrases, name included
        rest = unit[[j for j in range(4) if j != i]].sum(axis=0)
        loo.append(unit[i] @ rest / np.linalg.norm(rest))
    assert matcher.thresholds_[0] == pytest.approx(np.mean(loo) - 0.05)
    assert matcher.thresholds_[1] == pytest.approx(0.4)
    # examples that agree this closely would ask for a cosine of ~0.9: the default cap (0.5) keeps the bar reachable
    assert np.mean(loo) - 0.05 > 0.8
    capped = TaxonomyMatcher(example_margin=0.05, name_cos=0.4).fit(prototypes(V, owner, 2), V, owner)
    assert capped.max_threshold == 0.5 and capped.thresholds_.tolist() == pytest.approx([0.5, 0.4])
    # without the phrases every theme is treated as a name
    assert (TaxonomyMatcher(name_cos=0.4).fit(prototypes(V, owner, 2)).thresholds_ == 0.4).all()


def test_relative_rule_matches_a_group_and_leaves_the_others():
    X, clusters, centres = unit_blobs()
    P = np.stack([centres[1], np.eye(16)[9]])
    matcher = TaxonomyMatcher().fit(P)
    pred = matcher.predict(X, clusters)
    assert (pred[clusters == 1] == 0).mean() > 0.9
    assert (pred[clusters != 1] == -1).all()
    assert matcher.cluster_matches_ == {1: 0}
    alone = TaxonomyMatcher(n_neighbours=1).fit(P).predict(X)  # each comment alone, no clusters needed
    assert (alone[clusters == 1] == 0).mean() > 0.9 and (alone[clusters != 1] == -1).all()


def test_fixed_and_centred_cosine_rules():
    X, clusters, centres = unit_blobs()
    P = np.stack([centres[0], centres[2]])
    pred = TaxonomyMatcher("cosine", threshold=0.7).fit(P).predict(X)
    assert (pred[clusters == 0] == 0).mean() > 0.9 and (pred[clusters == 1] == -1).all()
    centred = TaxonomyMatcher("centred", threshold=0.5).fit(P).predict(X)
    assert (centred[clusters == 2] == 1).mean() > 0.9 and (centred[clusters == 1] == -1).all()


def test_matcher_checks_its_input():
    with pytest.raises(CxtextError, match="not fitted"):
        TaxonomyMatcher().predict(np.ones((2, 3)))
    with pytest.raises(CxtextError, match="'rule'"):
        TaxonomyMatcher(rule="fuzzy").fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="needs the discovered theme"):
        TaxonomyMatcher("cluster").fit(np.ones((1, 3))).predict(np.ones((2, 3)))
    with pytest.raises(CxtextError, match="max_threshold"):
        TaxonomyMatcher(max_threshold=1.5).fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="n_neighbours"):
        TaxonomyMatcher(n_neighbours=0).fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="neighbour_index"):
        TaxonomyMatcher(n_neighbours=5).fit(np.ones((1, 3))).predict(np.eye(3), neighbour_index=np.zeros((3, 1)))
    with pytest.raises(TaxonomyError, match="listed twice"):
        Taxonomy((TaxonomyTheme("A"), TaxonomyTheme("a")))


# ------------------------------------------------------------------ end to end (real model)
@pytest.fixture(scope="module")
def dump() -> pd.DataFrame:
    rows = []
    for theme, texts in COMPLAINTS.items():
        for index, text in enumerate(texts):
            rows.append({"id": f"{theme}-{index}", "comment": text,
                         "nps": {"crash": 6, "billing": 1, "wait": 3}[theme] + index % 3})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def taxonomy_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("taxonomy") / "team.yaml"
    path.write_text(YAML_MAPPING, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory):
    return tmp_path_factory.mktemp("cache") / "embeddings.sqlite"


@pytest.fixture(scope="module")
def analysis(dump, taxonomy_file, cache_path):
    return cxtext.analyze(dump, min_theme_size=4, seed=0, cache_path=cache_path, taxonomy=taxonomy_file)


@pytest.mark.model
def test_the_taxonomy_theme_takes_billing_complaints_only(analysis, dump):
    by_id = analysis.assignments.assign(id=dump["id"].to_numpy()).set_index("id")
    billing = by_id.loc[[f"billing-{i}" for i in range(10)], "theme_label"]
    # a 30-comment dump is below RELATIVE_RULE_MIN_COMMENTS, so the 'cluster' rule matches: it takes the
    # billing complaints' cluster whole (the relative rule, measured on 1,171+ comments, took one of them here)
    assert analysis.summary["taxonomy"]["rule"].startswith("cxtext.themes.taxonomy.TaxonomyMatcher(rule='cluster')")
    assert (billing == "Double billing").sum() >= 8, billing.to_dict()
    others = by_id.loc[[i for i in by_id.index if not i.startswith("billing")], "theme_label"]
    assert (others == "Double billing").sum() <= 1, others[others == "Double billing"].to_dict()
    assert not (by_id["theme_label"] == "Delivery delays").any()


@pytest.mark.model
def test_the_previous_cluster_rule_stays_available(dump, cache_path):
    """rule='cluster' still matches whole clusters: all ten billing complaints in en, ar and ro."""
    from cxtext.embed import SentenceTransformerEmbedder
    from cxtext.text.normalize import detect_language
    from cxtext.themes.taxonomy import TaxonomyMatcher, apply_taxonomy, embed_taxonomy

    texts = dump["comment"].tolist()
    embedder = SentenceTransformerEmbedder(model="default")
    X = np.asarray(embedder.encode(texts), dtype=np.float64)
    langs = [detect_language(t) for t in texts]
    taxonomy = Taxonomy.from_records([{"theme": "Double billing",
                                       "description": "charged more than once for the same thing",
                                       "examples": ["Mi-au luat banii de două ori", "تم خصم المبلغ مرتين",
                                                    "I paid twice for one order"]}])
    model = ThemeModel(min_theme_size=4, random_state=0).fit(texts, X, langs)
    vectors, owner, phrase_langs = embed_taxonomy(taxonomy, embedder)
    apply_taxonomy(model, taxonomy, texts, X, langs, vectors, owner, phrase_langs, TaxonomyMatcher("cluster"))
    billing = dump["id"].str.startswith("billing").to_numpy()
    assert (np.asarray(model.labels_)[billing] == 0).all()


@pytest.mark.model
def test_themes_csv_lists_origin_parent_and_the_empty_taxonomy_theme(analysis, tmp_path):
    themes = analysis.themes.set_index("label")
    assert themes.loc["Double billing", "origin"] == "taxonomy"
    assert themes.loc["Double billing", "parent_label"] == "Money"
    assert themes.loc["Delivery delays", "size"] == 0 and themes.loc["Delivery delays", "origin"] == "taxonomy"
    discovered = themes[themes["origin"] == "discovered"]
    assert len(discovered) >= 2 and (discovered["size"] > 0).all()
    assert themes["size"].sum() == int((analysis.assignments["theme_id"] >= 0).sum())
    summary = analysis.summary["taxonomy"]
    assert summary["source"] == "team.yaml" and summary["themes"] == 2 and summary["themes_with_comments"] == 1
    assert summary["empty_themes"] == ["Delivery delays"]
    assert summary["rows_in_taxonomy_themes"] == themes.loc["Double billing", "size"]
    # the empty taxonomy theme is said in the warnings every face shows, by name
    thin = [w for w in analysis.summary["warnings"] if w["kind"] == "taxonomy_thin"]
    assert len(thin) == 1 and "'Delivery delays' (0)" in thin[0]["message"]
    # drivers cover every theme with comments, taxonomy ones included
    assert "Double billing" in set(analysis.drivers["label"])
    analysis.write(tmp_path)
    written = pd.read_csv(tmp_path / "themes.csv")
    assert "origin" in written.columns and set(written["origin"]) == {"taxonomy", "discovered"}
    assert (written.loc[written["label"] == "Delivery delays", "size"] == 0).all()


@pytest.mark.model
def test_without_a_taxonomy_every_theme_is_discovered(dump, cache_path):
    plain = cxtext.analyze(dump, min_theme_size=4, seed=0, cache_path=cache_path)
    assert set(plain.themes["origin"]) == {"discovered"}
    assert "Double billing" not in set(plain.themes["label"])


@pytest.mark.model
def test_saved_model_keeps_the_taxonomy_themes(analysis, dump, tmp_path, cache_path):
    model = analysis.theme_model
    model.save(tmp_path / "model")
    loaded = ThemeModel.load(tmp_path / "model")
    assert loaded.origins() == model.origins()
    assert loaded.taxonomy_parents() == {0: "Money"}
    assert list(loaded.themes_["label"][:2]) == ["Double billing", "Delivery delays"]
    assert loaded.edits_[-1]["op"] == "taxonomy"
    # reuse on the next dump: the billing complaints of the taxonomy theme go to it again
    again = cxtext.analyze(dump, seed=0, cache_path=cache_path, themes=tmp_path / "model")
    labels = again.assignments.assign(id=dump["id"].to_numpy()).set_index("id")["theme_label"]
    first = analysis.assignments.assign(id=dump["id"].to_numpy()).set_index("id")["theme_label"]
    matched = first.index[first == "Double billing"]
    assert len(matched) >= 1 and (labels[matched] == "Double billing").any()
    assert labels[labels == "Double billing"].index.str.startswith("billing").mean() >= 0.85
    assert again.themes.set_index("label").loc["Double billing", "origin"] == "taxonomy"
    with pytest.raises(CxtextError, match="not both"):
        cxtext.analyze(dump, seed=0, cache_path=cache_path, themes=tmp_path / "model",
                       taxonomy=Taxonomy((TaxonomyTheme("A"),)))


@pytest.mark.model
def test_cli_writes_origin(dump, taxonomy_file, tmp_path):
    data = tmp_path / "dump.csv"
    dump.to_csv(data, index=False)
    proc = subprocess.run([sys.executable, "-m", "cxtext.cli", "analyze", str(data), "--out", str(tmp_path / "out"),
                           "--taxonomy", str(taxonomy_file), "--min-theme-size", "4", "--no-history", "--quiet"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    themes = pd.read_csv(tmp_path / "out" / "themes.csv")
    assert themes.set_index("label").loc["Double billing", "origin"] == "taxonomy"
    chosen = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["taxonomy"]
    # a small dump: the cluster rule, chosen by size, and summary.json says so
    assert "rule='cluster'" in chosen["rule"] and chosen["rule_choice"].startswith("auto")


@pytest.mark.model
def test_cli_taxonomy_rule_is_the_users_choice_and_needs_a_taxonomy(dump, taxonomy_file, tmp_path):
    data = tmp_path / "dump.csv"
    dump.to_csv(data, index=False)
    base = [sys.executable, "-m", "cxtext.cli", "analyze", str(data), "--out", str(tmp_path / "out"),
            "--min-theme-size", "4", "--no-history", "--quiet"]
    proc = subprocess.run([*base, "--taxonomy", str(taxonomy_file), "--taxonomy-rule", "relative"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    asked = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["taxonomy"]
    assert "rule='relative'" in asked["rule"] and asked["rule_choice"].startswith("asked for")
    proc = subprocess.run([*base, "--taxonomy-rule", "cluster"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "give the taxonomy with --taxonomy FILE" in proc.stderr


@pytest.mark.model
def test_python_taxonomy_rule_is_the_users_choice_and_needs_a_taxonomy(dump, taxonomy_file, tmp_path):
    analysis = cxtext.analyze(dump, seed=0, cache_path=tmp_path / "c.sqlite", min_theme_size=4,
                              taxonomy=taxonomy_file, taxonomy_rule="relative")
    asked = analysis.summary["taxonomy"]
    assert "rule='relative'" in asked["rule"] and asked["rule_choice"].startswith("asked for")
    with pytest.raises(ConfigError, match="give the taxonomy with taxonomy=FILE"):
        cxtext.analyze(dump, cache_path=tmp_path / "c.sqlite", taxonomy_rule="cluster")
    with pytest.raises(ConfigError, match="themes.taxonomy_rule must be one of auto, relative, cluster"):
        cxtext.analyze(dump, cache_path=tmp_path / "c.sqlite", taxonomy=taxonomy_file, taxonomy_rule="nearest")


# ------------------------------------------------------------------ the default rule on real sentences
CARD_AND_APP = {
    "declined": ["My card was declined at the supermarket", "Why did my card payment get declined?",
                 "The shop said my card was refused", "Card declined again when I tried to pay online",
                 "my debit card keeps getting declined at checkout", "Payment rejected even though I have money",
                 "why was my transaction declined yesterday", "The terminal declined my card twice"],
    "lost": ["I lost my card, please block it", "My wallet was stolen with my card in it",
             "How do I report a lost card?", "I can't find my credit card anywhere", "someone stole my bank card",
             "Please freeze my card, I think I lost it", "I left my card at a restaurant and it's gone",
             "need to report my card as stolen"],
    "refund": ["I still haven't received my refund", "Where is the refund for my returned order?",
               "Refund promised two weeks ago, nothing yet", "how long does a refund take to arrive",
               "The merchant says they refunded me but I don't see it", "still waiting for my money back",
               "my refund is missing from my account", "when will I get the refund for the cancelled purchase"],
    "crash": ["The app crashes every time I open it", "App keeps closing by itself after the update",
              "the mobile app freezes and shuts down", "Your app crashed while I was paying",
              "app won't open, it just crashes", "Banking app force closes on login",
              "the application crashes on my phone", "every time I tap transfers the app crashes"],
    "pin": ["How do I change my PIN?", "I want to set a new PIN for my card", "Can I reset my PIN number in the app?",
            "I forgot my PIN, how do I get a new one", "change the pin code on my debit card",
            "update my card PIN please", "where can I change my pin", "my PIN is blocked after three wrong tries"],
    "delivery": ["My new card still hasn't arrived", "When will my replacement card be delivered?",
                 "It's been 10 days and no card in the mail", "how long does card delivery take",
                 "the card you sent never arrived", "Still waiting for my card to come in the post",
                 "card delivery is taking forever", "has my card been shipped yet?"],
}


@pytest.mark.model
def test_relative_rule_on_real_sentences_matches_without_pulling_in_siblings():
    """Six banking-app complaints, three about a card: 'app crashes' (name only) takes its own comments; neither
    it nor 'card declined' (name + 3 examples written by hand, not rows of the dump) takes any of the
    lost-card, card-delivery, PIN or refund ones."""
    from cxtext.embed import SentenceTransformerEmbedder
    from cxtext.themes.taxonomy import TaxonomyMatcher, apply_taxonomy, embed_taxonomy

    texts = [t for group in CARD_AND_APP.values() for t in group]
    gold = np.repeat(list(CARD_AND_APP), 8)
    embedder = SentenceTransformerEmbedder(model="default")
    X = np.asarray(embedder.encode(texts), dtype=np.float64)
    langs = ["en"] * len(texts)
    taxonomy = Taxonomy((TaxonomyTheme("card declined", examples=("my card got declined in a shop",
                                                                  "payment refused at the till",
                                                                  "card was rejected online")),
                         TaxonomyTheme("app crashes")))
    model = ThemeModel(random_state=0).fit(texts, X, langs)
    vectors, owner, phrase_langs = embed_taxonomy(taxonomy, embedder)
    # the relative rule named: 48 sentences are below the size at which it is the default
    apply_taxonomy(model, taxonomy, texts, X, langs, vectors, owner, phrase_langs, TaxonomyMatcher("relative"))
    labels = np.asarray(model.labels_)
    assert (labels[gold == "crash"] == 1).sum() >= 7
    # hand-written examples that agree closely set a high bar: the rule may miss declined payments ...
    assert not (labels[gold == "declined"] == 1).any()
    # the siblings sharing the word "card", and the rest, stay out of both taxonomy themes
    others = ~np.isin(gold, ["crash", "declined"])
    # at most one of the 32: with float32 vectors and the static int8 ones (r3, issue 22) one
    # lost-card sentence joins 'card declined'; the r2 dynamic int8 vectors kept all 32 out
    assert np.isin(labels[others], [0, 1]).sum() <= 1, dict(zip(np.array(texts)[others], labels[others]))


@pytest.mark.model
def test_examples_that_agree_closely_are_widened_by_the_nearest_comments():
    """Three near-identical hand-written examples set the capped threshold, which most declined-card sentences do
    not reach; taking the theme's 8 nearest sentences as further examples lets them match, and no lost-card,
    delivery, PIN, refund or crash sentence joins (the vote is off: 48 sentences are too few for it)."""
    from cxtext.embed import SentenceTransformerEmbedder
    from cxtext.themes.taxonomy import TaxonomyMatcher, embed_taxonomy, prototypes

    texts = [t for group in CARD_AND_APP.values() for t in group]
    gold = np.repeat(list(CARD_AND_APP), 8)
    embedder = SentenceTransformerEmbedder(model="default")
    X = np.asarray(embedder.encode(texts), dtype=np.float64)
    taxonomy = Taxonomy((TaxonomyTheme("card declined", examples=("my card was declined", "card declined",
                                                                  "my card got declined")),
                         TaxonomyTheme("app crashes")))
    model = ThemeModel(random_state=0).fit(texts, X, ["en"] * len(texts))
    vectors, owner, langs = embed_taxonomy(taxonomy, embedder)
    P, E = model._prepare(vectors, langs), model._prepare(X, ["en"] * len(texts))
    found = {}
    for widen in (0, 8):
        matcher = TaxonomyMatcher("relative", widen=widen, vote_neighbours=0).fit(prototypes(P, owner, 2), P, owner)
        found[widen] = matcher.predict(E, np.asarray(model.labels_))
        assert matcher.capped_.tolist() == [True, False]  # the examples agree more closely than the cap
    assert matcher.widened_.keys() == {0} and len(matcher.widened_[0]) == 8
    declined = gold == "declined"
    assert (found[0][declined] == 0).sum() <= 2 and (found[8][declined] == 0).sum() >= 5
    assert not (found[8][~declined] == 0).any()  # nothing else joins 'card declined'


def test_small_dumps_keep_the_cluster_rule():
    """The relative rule was measured on 1,171-3,000 comments; a few dozen keep the previous rule."""
    from cxtext.themes.taxonomy import RELATIVE_RULE_MIN_COMMENTS, default_rule

    assert default_rule(59) == "cluster"
    assert default_rule(RELATIVE_RULE_MIN_COMMENTS - 1) == "cluster"
    assert default_rule(RELATIVE_RULE_MIN_COMMENTS) == "relative"
