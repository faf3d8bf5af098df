"""Themes whose two halves differ in detractor rate or rating are said after every analysis (summary.json's
``split_hints`` and a warning in every face), so a user sees the split ``cxtext themes suggest`` would offer."""

from __future__ import annotations

from pathlib import Path

import pytest

import cxtext
from cxtext.io.warnings import summary_warnings
from cxtext.themes import split_hints as hints_module
from cxtext.themes.split_hints import split_hints
from cxtext.themes.suggest import suggest_edits


def test_every_analysis_with_a_score_says_which_themes_it_checked_and_agrees_with_suggest(tmp_path):
    analysis = cxtext.analyze("examples/sample_feedback.csv", cache_path=tmp_path / "cache.sqlite")
    hints = analysis.summary["split_hints"]
    assert hints["checked"] and hints["measure"] == "detractor rate" and "Bonferroni" in hints["why"]
    # the same splits 'cxtext themes suggest' lists for the score test
    suggested = suggest_edits(analysis, max_suggestions=None)
    by_score = suggested[(suggested["kind"] == "split") & suggested["evidence"].str.contains("after testing")]
    listed = {h["theme_id"] for h in hints["themes"]}
    assert listed <= {int(t[0]) for t in by_score["theme_ids"]}
    kinds = [w["kind"] for w in analysis.summary["warnings"]]
    assert kinds.count("split_hint") == len(hints["themes"])


def test_a_big_analysis_is_not_checked_and_says_so(tmp_path, monkeypatch):
    analysis = cxtext.analyze("examples/sample_feedback.csv", cache_path=tmp_path / "cache.sqlite")
    monkeypatch.setattr(hints_module, "MAX_COMMENTS", 100)
    hints = split_hints(analysis)
    assert not hints["checked"] and hints["themes"] == [] and "cxtext themes suggest" in hints["why"]


def test_no_score_no_check(tmp_path):
    path = tmp_path / "comments.csv"
    path.write_text("comment\n" + "\n".join(f"{text} try {i}" for i in range(20) for text in (
        "The app crashes when I pay", "Delivery was late again")) + "\n")
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite")
    assert "split_hints" not in analysis.summary


def test_the_warning_names_both_halves_and_their_scores():
    summary = {"rows_in": 364, "rows_themed": 364, "split_hints": {"checked": True, "measure": "mean rating", "themes": [
        {"theme_id": 0, "label": "app per allenarsi", "size": 169, "part_labels": ["allenamenti live",
         "aggiornamento l'app per iphone"], "part_sizes": [102, 67], "part_outcomes": [4.7059, 2.3284],
         "evidence": "..."}]}}
    (warning,) = [w for w in summary_warnings(summary) if w.kind == "split_hint"]
    assert warning.message.startswith("Theme 'app per allenarsi' (169 comments) holds two groups whose scores "
                                      "differ: 'allenamenti live' (102, mean rating 4.71) and 'aggiornamento l'app "
                                      "per iphone' (67, mean rating 2.33).")
    assert "cxtext themes suggest ID" in warning.message


def test_hints_are_said_again_after_an_edit_and_a_split_theme_is_no_longer_named(tmp_path):
    analysis = cxtext.analyze("examples/sample_feedback.csv", cache_path=tmp_path / "cache.sqlite")
    largest = int(analysis.themes.sort_values("size").iloc[-1]["theme_id"])
    edited = analysis.split_theme(largest, n=2)
    hints = edited.summary["split_hints"]
    assert hints["checked"] and edited.summary is not analysis.summary
    assert {h["theme_id"] for h in hints["themes"]} <= set(edited.themes["theme_id"].astype(int))
    assert [w["kind"] for w in edited.summary["warnings"]].count("split_hint") == len(hints["themes"])


def test_a_theme_of_copies_with_one_score_is_no_hint_and_no_crash(tmp_path):
    # a public Google Play export (a scraper wrote many rows twice): a theme of "otimo" and "Lindo" copies, all 5
    # stars, split on words alone with silhouette 1.0 and no score test, ended every analysis in a TypeError
    path = Path(__file__).parents[1] / "fixtures" / "regressions" / "googleplay_pt_kids_app_400.csv"
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite")
    hints = analysis.summary["split_hints"]
    assert hints["checked"] and hints["measure"] == "mean rating"
    assert all(len(h["part_outcomes"]) == 2 for h in hints["themes"])
    assert analysis.summary["rating"]["mean"] == pytest.approx(4.225, abs=1e-3)
