"""Merge and split suggestions on a small real three-language dump, with the default model."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

import cxtext
from cxtext.errors import CxtextError, ValidationError
from cxtext.themes.suggest import (
    SUGGESTION_COLUMNS,
    apply_numbered,
    apply_suggestion,
    keyword_jaccard,
    suggest_edits,
    suggestion_command,
)
from cxtext.drivers import two_proportion_p_value
from cxtext.themes.split_outcome import outcome_of

from feedback import COMPLAINTS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    rows = [{"id": f"{theme}-{i}", "comment": text, "nps": {"crash": 6, "billing": 1, "wait": 3}[theme] + i % 3}
            for theme, texts in COMPLAINTS.items() for i, text in enumerate(texts)]
    cache = tmp_path_factory.mktemp("cache") / "embeddings.sqlite"
    return cxtext.analyze(pd.DataFrame(rows), min_theme_size=4, seed=0, cache_path=cache)


def _theme_of(analysis, row_id: str) -> int:
    return int(analysis.records.set_index("id").loc[row_id, "theme_id"])


def _planted(analysis) -> dict[str, int]:
    """Each planted complaint -> the theme most of its ten comments are in (at least 8 of them)."""
    records = analysis.records.set_index("id")
    out = {}
    for theme in COMPLAINTS:
        ids = records.loc[[f"{theme}-{i}" for i in range(10)], "theme_id"].astype(int)
        out[theme] = int(ids.mode()[0])
        assert (ids == out[theme]).sum() >= 8, (theme, ids.tolist())
    return out


def test_sound_themes_get_no_suggestion(analysis):
    assert sorted(_planted(analysis).values()) == sorted(analysis.themes["theme_id"])
    suggestions = suggest_edits(analysis)
    assert list(suggestions.columns) == SUGGESTION_COLUMNS
    assert suggestions.empty, suggestions.to_dict("records")


def test_two_themes_of_one_complaint_are_suggested_for_merge(analysis):
    crash = _theme_of(analysis, "crash-0")
    halves = analysis.split_theme(crash, n=2)
    parts = sorted(halves.summary["edits"][-1]["into"])
    suggestions = suggest_edits(halves)
    merges = suggestions[suggestions["kind"] == "merge"]
    assert [sorted(ids) for ids in merges["theme_ids"]] == [parts], suggestions.to_dict("records")
    merge = merges.iloc[0]
    assert merge["cosine"] >= 0.4 and merge["score"] >= 1 and merge["suggestion"] == 1
    assert "centroid cosine" in merge["evidence"]
    assert suggestion_command(merge, "abc123") == f"cxtext themes merge abc123 {parts[0]} {parts[1]}"
    # applying it gives back one theme holding every crash comment
    merged = apply_suggestion(halves, merge)
    assert merged.summary["theme_count"] == analysis.summary["theme_count"]
    assert _planted(merged)["crash"] == parts[0]
    assert merged.summary["edits"][-1]["op"] == "merge"


def test_a_theme_of_two_complaints_is_suggested_for_split(analysis):
    crash, billing = _theme_of(analysis, "crash-0"), _theme_of(analysis, "billing-0")
    merged = analysis.merge_themes([crash, billing], "Crash and billing")
    kept = min(crash, billing)
    suggestions = suggest_edits(merged)
    splits = suggestions[suggestions["kind"] == "split"]
    assert splits["theme_ids"].tolist() == [[kept]], suggestions.to_dict("records")
    split = splits.iloc[0]
    assert split["silhouette"] >= 0.24 and split["cosine"] <= 0.3 and split["language_ami"] <= 0.5
    assert sum(split["part_sizes"]) == len(merged.split_members(kept)[2])
    assert len(split["part_keywords"]) == 2 and all(split["part_keywords"])
    assert suggestion_command(split, "abc123") == f"cxtext themes split abc123 {kept} --n 2"
    # applying it separates the two complaints again, with the parts the suggestion showed
    again = apply_suggestion(merged, split)
    edit = again.summary["edits"][-1]
    planted = _planted(again)
    assert planted["crash"] != planted["billing"] and {planted["crash"], planted["billing"]} <= set(edit["into"])
    assert edit["op"] == "split" and edit["sizes"] == split["part_sizes"] and edit["labels"] == split["part_labels"]
    assert again.summary["theme_count"] == analysis.summary["theme_count"]
    # by number, as the CLI and the app do; the same list every time (seeded)
    pd.testing.assert_frame_equal(suggest_edits(merged), suggestions)
    by_number = apply_numbered(merged, int(split["suggestion"]))
    pd.testing.assert_frame_equal(by_number.themes, again.themes)
    with pytest.raises(CxtextError, match="There is no suggestion 7. Suggestions: 1."):
        apply_numbered(merged, 7)


def test_a_split_whose_parts_differ_in_detractors_is_suggested_by_score(analysis):
    """crash (NPS 6-8: 4 of 10 detractors) merged with billing (NPS 1-3: all detractors)."""
    crash, billing = _theme_of(analysis, "crash-0"), _theme_of(analysis, "billing-0")
    merged = analysis.merge_themes([crash, billing], "Crash and billing")
    kept = min(crash, billing)
    # 20 comments: parts of 10 are too few for the default; the silhouette rule switched off (no 2-way
    # split reaches 1.0), so only the score evidence can suggest it
    assert suggest_edits(merged, split_silhouette=1.0).empty
    by_score = suggest_edits(merged, split_silhouette=1.0, min_scored_part=8)
    split = by_score[by_score["kind"] == "split"].iloc[0]
    assert split["theme_ids"] == [kept] and len(by_score) == 1
    # the same numbers from the parts the split gives, by the drivers' own two-proportion test
    parts = apply_suggestion(merged, split).records.set_index("id")
    into = parts.loc[[f"{t}-{i}" for t in ("crash", "billing") for i in range(10)]]
    counts = into.assign(detractor=into["nps"] <= 6).groupby("theme_id")["detractor"].agg(["sum", "count"])
    first, second = (counts.loc[t] for t in sorted(counts.index, key=lambda t: -counts.loc[t, "count"]))
    assert split["outcome"] == "detractors"
    assert split["part_outcomes"] == pytest.approx([first["sum"] / first["count"], second["sum"] / second["count"]],
                                                   abs=1e-4)
    expected = two_proportion_p_value(int(first["sum"]), int(first["count"]), int(second["sum"]), int(second["count"]))
    assert split["outcome_p"] == pytest.approx(expected) and expected < 0.05
    assert split["score"] == pytest.approx(1 + math.log10(0.05 / expected), abs=1e-3)
    assert "after testing 1 theme)" in split["evidence"] and "detractors" in split["evidence"]
    assert suggest_edits(merged, split_silhouette=1.0, min_scored_part=8, max_split_p=0.0).empty
    with pytest.raises(ValidationError, match="'max_split_p' must be a number from 0 to 1"):
        suggest_edits(merged, max_split_p=5)
    with pytest.raises(ValidationError, match="'min_scored_part'"):
        suggest_edits(merged, min_scored_part=1)


def test_parts_with_alike_scores_are_not_suggested_by_score(tmp_path):
    """The same merged theme when both complaints score alike: tested, not significant, not suggested."""
    rows = [{"id": f"{theme}-{i}", "comment": text, "nps": (2, 9)[i % 2]}
            for theme, texts in COMPLAINTS.items() for i, text in enumerate(texts)]
    alike = cxtext.analyze(pd.DataFrame(rows), min_theme_size=4, seed=0, cache_path=tmp_path / "e.sqlite")
    merged = alike.merge_themes([_theme_of(alike, "crash-0"), _theme_of(alike, "billing-0")])
    lenient = suggest_edits(merged, split_silhouette=1.0, max_split_p=0.5, min_scored_part=8, max_suggestions=None)
    assert lenient.query("kind == 'split'").empty  # not even at a family-wise 0.5
    listed = suggest_edits(merged, split_silhouette=-1, max_parts_cosine=1, max_language_ami=1,
                           min_part_share=0, min_scored_part=8, max_suggestions=None).query("kind == 'split'")
    tested = listed[listed["outcome_p"].notna()].iloc[0]
    assert all(0.3 <= share <= 0.7 for share in tested["part_outcomes"]) and tested["outcome_p"] > 0.5


def test_without_nps_the_parts_mean_ratings_are_compared(tmp_path):
    """An app-store-like file: 1-5 stars, no NPS. crash reviews 1-2 stars, billing 4-5, merged into one theme."""
    rows = [{"id": f"{theme}-{i}", "review": text, "stars": {"crash": 1, "billing": 4, "wait": 3}[theme] + i % 2}
            for theme, texts in COMPLAINTS.items() for i, text in enumerate(texts)]
    rated = cxtext.analyze(pd.DataFrame(rows), text="review", rating="stars", rating_scale="1-5", min_theme_size=4,
                           seed=0, cache_path=tmp_path / "e.sqlite")
    crash, billing = _theme_of(rated, "crash-0"), _theme_of(rated, "billing-0")
    merged = rated.merge_themes([crash, billing])
    split = suggest_edits(merged, split_silhouette=1.0, min_scored_part=8).query("kind == 'split'").iloc[0]
    parts = apply_suggestion(merged, split).records.set_index("id")
    into = parts.loc[[f"{t}-{i}" for t in ("crash", "billing") for i in range(10)]]
    by_part = into.groupby("theme_id")["rating"].agg(["mean", "count"]).sort_values("count", ascending=False)
    assert split["outcome"] == "rating"
    assert split["part_outcomes"] == pytest.approx(by_part["mean"].tolist(), abs=1e-4)
    groups = [into.loc[into["theme_id"] == t, "rating"].astype(float) for t in by_part.index]
    assert split["outcome_p"] == pytest.approx(stats.ttest_ind(*groups, equal_var=False).pvalue)
    assert "mean rating" in split["evidence"] and split["outcome_p"] < 0.05


def test_no_score_means_no_score_evidence(analysis):
    records = analysis.records.drop(columns=["nps"])
    outcome = outcome_of(records)
    assert outcome.measure == "none" and not outcome.scored.any()


def test_thresholds_are_checked_and_can_be_loosened(analysis):
    with pytest.raises(ValidationError, match="'merge_cosine' must be a number from 0 to 1"):
        suggest_edits(analysis, merge_cosine=2)
    with pytest.raises(ValidationError, match="'min_split_size'"):
        suggest_edits(analysis, min_split_size=2)
    everything = suggest_edits(analysis, merge_cosine=0, merge_jaccard=0, split_silhouette=-1, max_parts_cosine=1,
                               max_language_ami=1, min_part_share=0, max_suggestions=None)
    n = analysis.summary["theme_count"]
    assert (everything["kind"] == "merge").sum() == n * (n - 1) // 2
    assert (everything["kind"] == "split").sum() == n
    assert everything["suggestion"].tolist() == list(range(1, len(everything) + 1))
    assert everything["score"].is_monotonic_decreasing
    assert len(suggest_edits(analysis, merge_cosine=0, merge_jaccard=0, max_suggestions=1)) == 1


def test_keyword_jaccard_compares_words():
    assert keyword_jaccard(["charged twice", "bill"], ["charged", "twice", "bill"]) == 1.0
    assert keyword_jaccard(["app crashes"], ["bill"]) == 0.0
    assert keyword_jaccard([], []) == 0.0
    assert keyword_jaccard(["Fee", "card"], ["fee", "phone"]) == pytest.approx(1 / 3)


def test_compare_parts_counts_scored_rows_only():
    from cxtext.themes import split_outcome

    cut = outcome_of(pd.DataFrame({"nps": pd.array([6, 7], dtype="Int64"), "scores_valid": [True, True]}))
    assert cut.values.tolist() == [1.0, 0.0]  # 6 is a detractor, 7 a passive: NPS's own cut-off
    records = pd.DataFrame({"nps": pd.array([6, 9] * 5 + [2] * 10 + [None] * 3, dtype="Int64"),
                            "scores_valid": [True] * 23})
    outcome = outcome_of(records)
    assert outcome.measure == "detractors" and outcome.scored.sum() == 20 and outcome.values.sum() == 15
    rows = pd.RangeIndex(23).to_numpy()
    parts = (rows >= 10).astype(int)  # part 0: 5 of 10 detractors; part 1: 10 of 10 (+3 without NPS)
    test = split_outcome.compare_parts(outcome, rows, parts)
    assert test.scored == (10, 10) and test.values == (0.5, 1.0)
    assert test.p_value == pytest.approx(two_proportion_p_value(5, 10, 10, 10))
    assert split_outcome.compare_parts(outcome, rows, parts, min_scored=11) is None
    # a rejected score does not count
    invalid = records.assign(scores_valid=[False] * 10 + [True] * 13)
    assert split_outcome.compare_parts(outcome_of(invalid), rows, parts) is None
    # NPS comes first; a rating is read only when no row has a usable NPS
    assert outcome_of(records.assign(rating=4.0)).measure == "detractors"
    assert outcome_of(records.assign(nps=pd.NA, rating=[5.0] * 23)).measure == "rating"
    # every rating the same: nothing to test
    flat = outcome_of(records.assign(nps=pd.NA, rating=[5.0] * 23))
    assert split_outcome.compare_parts(flat, rows, parts) is None


def test_a_significant_but_tiny_gap_is_not_material():
    from cxtext.themes import split_outcome

    # 200 fans: 120 all five stars, 80 with four stars now and then (mean 4.8): significant, 0.2 stars apart
    ratings = [5.0] * 120 + [5.0, 5.0, 5.0, 4.0] * 20 + [1.0]
    records = pd.DataFrame({"rating": ratings})
    outcome = outcome_of(records)
    assert outcome.measure == "rating" and outcome.span == 4.0
    rows = pd.RangeIndex(200).to_numpy()
    test = split_outcome.compare_parts(outcome, rows, (rows >= 120).astype(int))
    assert test.values == (5.0, 4.75) and test.p_value < 0.001  # no warning for the all-equal part either
    assert not split_outcome.is_material(test, outcome)  # 0.25 < 0.1 x 4 stars
    wide = split_outcome.PartTest("rating", (5.0, 4.5), (120, 80), 1e-6)
    assert split_outcome.is_material(wide, outcome)
