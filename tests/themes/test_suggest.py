"""Merge and split suggestions on a small real three-language dump, with the default model."""

from __future__ import annotations

import pandas as pd
import pytest

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
