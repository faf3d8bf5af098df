"""The team's own taxonomy: file formats, bad files, matching, outputs and reuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxtext
from cxtext.errors import CxtextError, TaxonomyError
from cxtext.themes.taxonomy import Taxonomy, TaxonomyMatcher, TaxonomyTheme, load_taxonomy
from cxtext.themes import ThemeModel

from feedback import COMPLAINTS

ROOT = Path(__file__).resolve().parents[1]

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
def _blobs(seed: int = 0):
    """Three tight, far-apart groups of 40 unit vectors in 16 dimensions, and their directions."""
    rng = np.random.default_rng(seed)
    centres = np.eye(16)[:3]
    X = np.concatenate([c + 0.15 * rng.standard_normal((40, 16)) for c in centres])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(3), 40), centres


def test_cluster_rule_matches_the_right_cluster_and_leaves_the_rest():
    X, clusters, centres = _blobs()
    # theme 0 points at group 1; theme 1 at a direction no group has
    P = np.stack([centres[1] + 0.3 * np.eye(16)[5], np.eye(16)[9]])
    matcher = TaxonomyMatcher().fit(P)
    pred = matcher.predict(X, clusters)
    assert matcher.cluster_matches_ == {1: 0}
    assert (pred[clusters == 1] == 0).all() and (pred[clusters != 1] == -1).all()
    assert matcher.scores_.shape == (120, 2)
    # unthemed comments of group 1 are matched one by one
    loose = clusters.copy()
    loose[40:45] = -1
    again = TaxonomyMatcher().fit(P).predict(X, loose)
    assert (again[40:45] == 0).all()


def test_fixed_and_centred_cosine_rules():
    X, clusters, centres = _blobs()
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
        TaxonomyMatcher().fit(np.ones((1, 3))).predict(np.ones((2, 3)))
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
def test_comments_in_three_languages_join_the_taxonomy_theme(analysis, dump):
    by_id = analysis.assignments.assign(id=dump["id"].to_numpy()).set_index("id")
    billing = by_id.loc[[f"billing-{i}" for i in range(10)], "theme_label"]
    # en (0-5), ar (6-7) and ro (8-9) billing complaints all carry the team's exact name
    assert (billing == "Double billing").all(), billing.to_dict()
    others = by_id.loc[[i for i in by_id.index if not i.startswith("billing")], "theme_label"]
    assert (others == "Double billing").sum() <= 1  # "Crashed again while paying my bill" may join it
    assert not (by_id["theme_label"] == "Delivery delays").any()


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
    # reuse on the next dump: the billing complaints go to the taxonomy theme again
    again = cxtext.analyze(dump, seed=0, cache_path=cache_path, themes=tmp_path / "model")
    labels = again.assignments.assign(id=dump["id"].to_numpy()).set_index("id")["theme_label"]
    assert (labels[[f"billing-{i}" for i in range(10)]] == "Double billing").mean() >= 0.8
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
