"""analyze end to end on a small real three-language dump, with the real default model."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import cxtext

from feedback import COMPLAINTS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def dump() -> pd.DataFrame:
    rows = []
    for theme, texts in COMPLAINTS.items():
        for index, text in enumerate(texts):
            score = {"crash": 6, "billing": 1, "wait": 3}[theme] + (index % 3)
            rows.append({"id": f"{theme}-{index}", "comment": text, "nps": score, "channel": "nps_survey"})
    rows += [
        {"id": "empty", "comment": "  ", "nps": 10, "channel": "nps_survey"},
        {"id": "bad", "comment": "fine", "nps": "11", "channel": "nps_survey"},
        {"id": "na", "comment": "n/a", "nps": 9, "channel": "nps_survey"},
        {"id": "blank", "comment": "", "nps": None, "channel": "nps_survey"},  # an optional question skipped
        {"id": "rt1", "comment": "Charged twice AGAIN #fail", "nps": None, "channel": "twitter"},
        {"id": "rt2", "comment": "RT @bob: Charged twice AGAIN #fail", "nps": None, "channel": "twitter"},
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory):
    return tmp_path_factory.mktemp("cache") / "embeddings.sqlite"


@pytest.fixture(scope="module")
def analysis(dump, cache_path):
    return cxtext.analyze(dump, min_theme_size=4, seed=0, cache_path=cache_path)


def test_every_row_is_accounted_for(analysis, dump):
    assignments = analysis.assignments
    assert len(assignments) == len(dump)
    assert assignments["row"].tolist() == list(range(1, len(dump) + 1))
    summary = analysis.summary
    assert summary["rows_in"] == summary["rows_analyzed"] + summary["rows_left_out"] == len(dump)
    assert summary["rows_left_out"] == summary["rows_rejected"] + summary["rows_blank"] + summary["rows_score_only"]
    by_id = assignments.set_index("id")
    assert by_id.loc["bad", "reason"] == "NPS '11' is outside 0-10"
    assert by_id.loc["empty", "status"] == "score_only" and by_id.loc["empty", "theme_id"] == -3
    assert by_id.loc["na", "theme_id"] == -2 and by_id.loc["na", "theme_label"] == "no comment"
    # a row with nothing in it is left out and counted apart from the rows rejected for what they hold
    assert by_id.loc["blank", "reason"] == "empty comment and no score" and by_id.loc["blank", "status"] == "blank"
    assert summary["rows_blank"] == 1 and summary["rows_score_only"] == 1 and summary["rows_rejected"] == 1
    # a retweet lands with the post it copies
    assert by_id.loc["rt2", "theme_id"] == by_id.loc["rt1", "theme_id"]


def test_themes_follow_the_planted_complaints_across_languages(analysis):
    records = analysis.records.set_index("id")
    for theme, texts in COMPLAINTS.items():
        ids = records.loc[[f"{theme}-{i}" for i in range(len(texts))], "theme_id"]
        majority = ids.mode()[0]
        assert majority >= 0
        assert (ids == majority).mean() >= 0.8, (theme, ids.tolist())
    assert analysis.summary["theme_count"] >= 3


def test_summary_counts_scores_of_empty_comments_but_not_invalid_ones(analysis, dump):
    nps = analysis.summary["nps"]
    # 30 themed survey rows + the empty comment (10) + the non-answer (9); the invalid 11 is out
    assert nps["n"] == 32
    json.dumps(analysis.summary)  # JSON-ready


def test_rerun_hits_the_cache_and_is_identical(analysis, dump, cache_path):
    again = cxtext.analyze(dump, min_theme_size=4, seed=0, cache_path=cache_path)
    assert again.summary["embedding_cache"]["misses"] == 0
    assert analysis.summary["embedding_cache"]["theme_fit"] == "fitted"
    assert again.summary["embedding_cache"]["theme_fit"] == "cached"
    assert again.summary["embedding_cache"]["hits"] > 0
    pd.testing.assert_frame_equal(again.assignments, analysis.assignments)
    assert again.themes["label"].tolist() == analysis.themes["label"].tolist()


def test_drivers_put_the_all_detractor_themes_above_the_mixed_one(analysis):
    drivers = analysis.drivers.set_index("theme_id")
    assert set(drivers.index) <= set(analysis.themes["theme_id"])
    records = analysis.records.set_index("id")
    billing, crash = records.loc["billing-0", "theme_id"], records.loc["crash-0", "theme_id"]
    # billing comments all score 1-3; a stray passive may join the theme
    assert drivers.loc[billing, "nps"] <= -80
    assert drivers.loc[billing, "nps"] < drivers.loc[crash, "nps"]
    assert drivers.loc[billing, "rank"] < drivers.loc[crash, "rank"]


def test_edits_recompute_without_embedding(analysis):
    first = int(analysis.themes["theme_id"].iloc[0])
    renamed = analysis.rename_theme(first, "Renamed theme")
    assert "Renamed theme" in renamed.themes["label"].tolist()
    assert "Renamed theme" in renamed.drivers["label"].tolist()
    ids = analysis.themes["theme_id"].tolist()[:2]
    merged = analysis.merge_themes(ids, "Merged")
    assert merged.summary["theme_count"] == analysis.summary["theme_count"] - 1
    assert (merged.records["theme_id"] == ids[1]).sum() == 0
    deleted = analysis.delete_theme(first)
    assert (deleted.records["theme_id"] == first).sum() == 0


def test_cli_writes_the_contract(dump, tmp_path):
    source = tmp_path / "dump.csv"
    dump.to_csv(source, index=False)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "cxtext.cli", "analyze", str(source), "--out", str(out), "--min-theme-size", "4",
         "--format", "xlsx", "--quiet", "--save-themes", str(tmp_path / "themes")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert (f"{len(dump)} rows: {len(dump) - 3} analyzed, 1 with a score but no comment (scores counted), 1 blank "
            "(no comment, no score), 1 rejected;") in result.stdout
    for name in ("summary.json", "assignments.csv", "themes.csv", "drivers.csv", "analysis.xlsx"):
        assert (out / name).is_file(), name
    assignments = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig")
    assert list(assignments.columns) == ["row", "id", "status", "reason", "theme_id", "theme_ids", "theme_label",
                                         "sentiment", "sentiment_score", "kind", "competitors"]
    assert len(assignments) == len(dump)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["themes"]["min_theme_size"] == 4
    assert str(tmp_path) not in (out / "summary.json").read_text(encoding="utf-8")
    # reuse the saved theme model on the same dump: same ids and labels
    reused = tmp_path / "reused"
    result = subprocess.run(
        [sys.executable, "-m", "cxtext.cli", "analyze", str(source), "--out", str(reused), "--quiet",
         "--themes", str(tmp_path / "themes")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    before = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
    after = pd.read_csv(reused / "themes.csv", encoding="utf-8-sig")
    assert set(after["label"]) <= set(before["label"])


def test_every_analysed_comment_gets_sentiment_and_kind(analysis):
    records = analysis.records.set_index("id")
    analysed = records[(records["status"] == "analyzed") & (records["theme_id"] != -2)]
    assert analysed["sentiment"].isin(["negative", "neutral", "positive"]).all()
    assert analysed["sentiment_score"].between(-1, 1).all()
    assert analysed["kind"].isin(["complaint", "question", "suggestion", "praise", "other"]).all()
    # the planted complaints read as negative complaints
    planted = records.loc[[f"{t}-{i}" for t in COMPLAINTS for i in range(10)]]
    # 24+/30 with the r2 dynamic int8 vectors, 23/30 with the r3 static ones (issue 22; the heads'
    # held-out VADER accuracy is the same, 0.734 vs 0.735): 0.75 keeps the point, 3 of 4 negative
    assert (planted["sentiment"] == "negative").mean() >= 0.75
    assert (planted["kind"] == "complaint").mean() >= 0.8
    assert records.loc["bad", "sentiment"] is pd.NA or pd.isna(records.loc["bad", "sentiment"])
    assert {"negative_share", "net_sentiment", "sentiment_impact"} <= set(analysis.drivers.columns)
    assert analysis.summary["sentiment_vs_nps"]["n"] > 0


def test_social_only_dump_ranks_themes_by_negative_impact(dump, cache_path):
    social = dump.drop(columns=["nps"])
    competitors = {"Vodafone": ["vodafone", "#VodafoneRO"]}
    social.loc[0, "comment"] = social.loc[0, "comment"] + " - switching to #VodafoneRO"
    config = cxtext.load_pipeline("social_mentions").with_overrides(
        {"social": {"competitors": competitors}})
    result = cxtext.analyze(social, min_theme_size=4, seed=0, cache_path=cache_path, pipeline=config)
    drivers = result.drivers
    assert drivers.attrs["priority_basis"] == "sentiment"
    assert drivers["rank"].tolist() == list(range(1, len(drivers) + 1))
    ranked = drivers.dropna(subset=["priority"])
    assert ranked["priority"].is_monotonic_decreasing
    assert (ranked["priority"] == ranked["sentiment_priority"]).all()
    assert result.records.set_index("id").loc["crash-0", "competitors"] == "Vodafone"


def test_cli_parents_report_competitors_and_history(dump, tmp_path):
    source = tmp_path / "dump.csv"
    dump.assign(comment=dump["comment"].where(dump["id"] != "crash-1", "Vodafone app crashes too")).to_csv(
        source, index=False)
    out = tmp_path / "out"
    env = {**__import__("os").environ, "CXTEXT_DATA_DIR": str(tmp_path / "data")}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cxtext.cli", *args], capture_output=True, text=True,
                              timeout=600, env=env)

    result = cli("analyze", str(source), "--out", str(out), "--min-theme-size", "4", "--quiet", "--parents", "2",
                 "--level", "parent", "--format", "html", "--competitors", "Vodafone: vodafone ro")
    assert result.returncode == 0, result.stderr
    themes = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
    assert themes["parent_id"].nunique() == 2 and themes["parent_label"].notna().all()
    drivers = pd.read_csv(out / "drivers.csv", encoding="utf-8-sig")
    assert set(drivers["theme_id"]) == set(themes["parent_id"])  # one row per parent theme
    assert (out / "report.html").stat().st_size > 10_000
    assignments = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig").set_index("id")
    assert assignments.loc["crash-1", "competitors"] == "Vodafone"

    listed = cli("history", "list")
    assert listed.returncode == 0 and "dump.csv" in listed.stdout, listed.stderr
    analysis_id = listed.stdout.split()[0]
    again = cli("history", "export", analysis_id, "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "again" / "drivers.csv", encoding="utf-8-sig"), drivers)
    assert cli("history", "delete", analysis_id).returncode == 0
    assert "no past analyses" in cli("history", "list").stdout
    missing = cli("history", "delete", analysis_id)
    assert missing.returncode == 2 and "cxtext history list" in missing.stderr


# ------------------------------------------------------------ split and move
import numpy as np  # noqa: E402

from cxtext.errors import ThemeEditError  # noqa: E402


def _theme_of(result, row_id: str) -> int:
    return int(result.records.set_index("id").loc[row_id, "theme_id"])


def test_split_theme_separates_a_merged_theme_and_recomputes_drivers(analysis, tmp_path):
    from cxtext.history import AnalysisStore

    crash, billing = _theme_of(analysis, "crash-0"), _theme_of(analysis, "billing-0")
    merged = analysis.merge_themes([crash, billing], "Crash and billing")
    kept = min(crash, billing)
    split = merged.split_theme(kept)
    assert split.summary["theme_count"] == analysis.summary["theme_count"]
    assert [e["op"] for e in split.summary["edits"]] == ["merge", "split"]
    edit = split.summary["edits"][-1]
    assert edit["theme_id"] == kept and edit["into"][0] == kept and edit["n"] == 2
    new_id = edit["into"][1]
    assert new_id == max(analysis.themes["theme_id"]) + 1
    records = split.records.set_index("id")
    for theme in ("crash", "billing"):
        ids = records.loc[[f"{theme}-{i}" for i in range(10)], "theme_id"]
        assert (ids == ids.mode()[0]).mean() >= 0.8, (theme, ids.tolist())
    assert records.loc["crash-0", "theme_id"] != records.loc["billing-0", "theme_id"]
    assert {records.loc["crash-0", "theme_id"], records.loc["billing-0", "theme_id"]} == {kept, new_id}
    assert records.loc["rt2", "theme_id"] == records.loc["rt1", "theme_id"]  # duplicates follow their first copy
    assert set(split.drivers["theme_id"]) <= set(split.themes["theme_id"])
    assert new_id in set(split.themes["theme_id"])
    drivers = split.drivers.set_index("theme_id")
    assert drivers.loc[records.loc["billing-0", "theme_id"], "nps"] <= -80
    for ids_text, primary in zip(split.records["theme_ids"], split.records["theme_id"]):
        assert (ids_text.split(";")[0] == str(primary)) if primary >= 0 else ids_text == ""
    # the analysis round-trips through the history, split parts included
    store = AnalysisStore(tmp_path / "analyses.sqlite")
    reopened = store.load(store.save(split))
    pd.testing.assert_frame_equal(reopened.records, split.records.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(reopened.drivers, split.drivers.reset_index(drop=True), check_dtype=False)
    assert reopened.summary["edits"] == split.summary["edits"] == reopened.theme_model.edits_
    # the saved model assigns new comments near a part to that part
    texts = ["The app crashed when I opened it this morning", "They charged my card twice for one order"]
    vectors = analysis.embeddings[[records.index.get_loc("crash-1"), records.index.get_loc("billing-1")]]
    out = reopened.theme_model.transform(texts, vectors, languages=["en", "en"])
    expected = [records.loc["crash-1", "theme_id"], records.loc["billing-1", "theme_id"]]
    assert out["theme_id"].tolist() == expected
    with pytest.raises(ThemeEditError, match="Valid theme ids"):
        split.split_theme(99)


def test_move_comments_recomputes_and_is_recorded(analysis, tmp_path):
    from cxtext.history import AnalysisStore

    records = analysis.records.set_index("id")
    crash, billing = int(records.loc["crash-0", "theme_id"]), int(records.loc["billing-0", "theme_id"])
    rows = [int(records.loc["crash-0", "row"]), int(records.loc["rt1", "row"])]
    moved = analysis.move_comments(rows, billing)
    after = moved.records.set_index("id")
    assert after.loc["crash-0", "theme_id"] == billing and after.loc["crash-0", "theme_label"] == \
        moved.themes.set_index("theme_id").loc[billing, "label"]
    assert after.loc["crash-0", "theme_ids"].split(";")[0] == str(billing)
    assert str(crash) not in after.loc["crash-0", "theme_ids"].split(";")
    assert after.loc["rt2", "theme_id"] == after.loc["rt1", "theme_id"] == billing  # the duplicate moves along
    sizes = moved.themes.set_index("theme_id")["size"]
    old_sizes = analysis.themes.set_index("theme_id")["size"]
    assert sizes[crash] == old_sizes[crash] - 1
    assert moved.drivers.set_index("theme_id").loc[billing, "n_comments"] >= \
        analysis.drivers.set_index("theme_id").loc[billing, "n_comments"]
    label = moved.theme_model.themes_.set_index("theme_id").loc[billing, "label"]
    assert moved.summary["edits"][-1] == {"op": "move", "rows": sorted(rows), "to": billing, "label": label}
    # the saved model keeps the record but assigns exactly as before
    vectors = analysis.embeddings[np.isfinite(analysis.embeddings).all(axis=1)]
    pd.testing.assert_frame_equal(moved.theme_model.transform(None, vectors),
                                  analysis.theme_model.transform(None, vectors))
    unthemed = moved.move_comments([int(records.loc["wait-0", "row"])], -1)
    assert _theme_of(unthemed, "wait-0") == -1
    assert unthemed.records.set_index("id").loc["wait-0", "theme_ids"] == ""
    assert unthemed.summary["rows_unthemed"] == moved.summary["rows_unthemed"] + 1
    store = AnalysisStore(tmp_path / "analyses.sqlite")
    reopened = store.load(store.save(unthemed))
    assert [e["op"] for e in reopened.theme_model.edits_] == ["move", "move"]
    assert _theme_of(reopened, "wait-0") == -1
    # bad rows and ids name what is valid
    bad_row = int(records.loc["bad", "row"])
    with pytest.raises(ThemeEditError, match=rf"Row\(s\) {bad_row}, 999 cannot be moved.*Rows that can be "
                                                     r"moved: 1-30"):
        analysis.move_comments([bad_row, 999], billing)
    with pytest.raises(ThemeEditError, match="Valid theme ids"):
        analysis.move_comments(rows, 42)
