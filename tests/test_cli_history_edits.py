"""``cxtext history split|move``: edit a past analysis from the command line, saved as a new entry."""

from __future__ import annotations

import os
import subprocess
import sys

from pathlib import Path

import pandas as pd
import pytest

from cxtext.history import AnalysisStore

from feedback import COMPLAINTS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("history_edits")
    return {**os.environ, "CXTEXT_DATA_DIR": str(base / "data"), "CXTEXT_CACHE_DIR": str(base / "cache"),
            "HF_HUB_OFFLINE": "1"}


def _cli(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cxtext.cli", *args], capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.fixture(scope="module")
def past(env, tmp_path_factory):
    """The three-language dump analysed once and kept in the history: (id, themes, assignments)."""
    folder = tmp_path_factory.mktemp("dump")
    base = {"crash": 7, "billing": 1, "wait": 3}
    rows = [{"id": f"{theme}-{i}", "comment": text, "nps": base[theme] + i % 3}
            for theme, texts in COMPLAINTS.items() for i, text in enumerate(texts)]
    rows.append({"id": "bad", "comment": "fine", "nps": "11"})
    pd.DataFrame(rows).to_csv(folder / "dump.csv", index=False)
    result = _cli(env, "analyze", str(folder / "dump.csv"), "--out", str(folder / "out"),
                  "--min-theme-size", "4", "--model", "minilm", "--quiet")
    assert result.returncode == 0, result.stderr
    listed = _cli(env, "history", "list")
    assert listed.returncode == 0, listed.stderr
    themes = pd.read_csv(folder / "out" / "themes.csv", encoding="utf-8-sig")
    assignments = pd.read_csv(folder / "out" / "assignments.csv", encoding="utf-8-sig")
    return listed.stdout.split()[0], themes, assignments


def _export(env, analysis_id: str, out) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    result = _cli(env, "history", "export", analysis_id, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return tuple(pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
                 for name in ("themes", "assignments", "drivers"))


def test_history_split_saves_a_new_analysis(env, past, tmp_path):
    analysis_id, themes, _ = past
    largest = themes.sort_values("size", ascending=False).iloc[0]
    result = _cli(env, "history", "split", analysis_id, str(int(largest["theme_id"])), "--n", "2")
    assert result.returncode == 0, result.stderr
    new_id = result.stdout.split()[0]
    assert new_id != analysis_id
    listed = _cli(env, "history", "list").stdout
    assert new_id in listed and f"split theme {int(largest['theme_id'])}" in listed
    after, assignments, drivers = _export(env, new_id, tmp_path / "split")
    assert len(after) == len(themes) + 1
    new_theme = int(themes["theme_id"].max()) + 1
    assert new_theme in set(after["theme_id"]) and new_theme in set(drivers["theme_id"])
    assert after["size"].sum() == themes["size"].sum()  # every themed row still has one theme
    assert set(assignments["theme_id"][assignments["theme_id"] >= 0]) == set(after["theme_id"])


def test_history_move_saves_a_new_analysis(env, past, tmp_path):
    analysis_id, themes, assignments = past
    themed = assignments[assignments["theme_id"] >= 0]
    target = int(themes["theme_id"].iloc[-1])
    rows = themed.loc[themed["theme_id"] != target, "row"].head(3).tolist()
    result = _cli(env, "history", "move", analysis_id, "--rows", ",".join(map(str, rows)),
                  "--to", str(target))
    assert result.returncode == 0, result.stderr
    new_id = result.stdout.split()[0]
    _, moved, _ = _export(env, new_id, tmp_path / "moved")
    store = AnalysisStore(Path(env["CXTEXT_DATA_DIR"]) / "analyses.sqlite")
    assert store.load(new_id).theme_model.edits_[-1] == {
        "op": "move", "rows": sorted(rows), "to": target, "label": themes["label"].iloc[-1]}
    moved = moved.set_index("row")
    assert (moved.loc[rows, "theme_id"] == target).all()
    unthemed = _cli(env, "history", "move", analysis_id, "--rows", str(rows[0]), "--to", "-1")
    assert unthemed.returncode == 0, unthemed.stderr
    _, after, _ = _export(env, unthemed.stdout.split()[0], tmp_path / "unthemed")
    assert after.set_index("row").loc[rows[0], "theme_id"] == -1


def test_history_edit_errors_name_what_is_valid(env, past, tmp_path):
    analysis_id, themes, assignments = past
    valid = ", ".join(map(str, sorted(themes["theme_id"])))
    bad_theme = _cli(env, "history", "split", analysis_id, "99")
    assert bad_theme.returncode == 2 and f"Valid theme ids: {valid}." in bad_theme.stderr
    assert "Traceback" not in bad_theme.stderr
    bad_row = int(assignments.loc[assignments["status"] != "analyzed", "row"].iloc[0])
    bad_rows = _cli(env, "history", "move", analysis_id, "--rows", f"{bad_row},500", "--to", "0")
    assert bad_rows.returncode == 2 and f"Row(s) {bad_row}, 500 cannot be moved" in bad_rows.stderr
    assert "Rows that can be moved: 1-30" in bad_rows.stderr
    assert _cli(env, "history", "move", analysis_id, "--rows", "1", "--to", "77").returncode == 2
    not_rows = _cli(env, "history", "move", analysis_id, "--rows", "a,b", "--to", "0")
    assert not_rows.returncode == 2 and "--rows must be row numbers" in not_rows.stderr
    missing = _cli(env, "history", "split", "nosuchid", "0")
    assert missing.returncode == 2 and "No saved analysis 'nosuchid'" in missing.stderr
    model_dir = _cli(env, "themes", "split", str(tmp_path), "0")
    assert model_dir.returncode == 2 and "cxtext history split" in model_dir.stderr


def test_themes_commands_edit_a_past_analysis(env, past, tmp_path):
    """``cxtext themes ACTION ID``: the same edits as ``history split|move`` (and rename/merge/delete),
    each saved as a new entry."""
    analysis_id, themes, assignments = past
    largest = int(themes.sort_values("size", ascending=False).iloc[0]["theme_id"])
    split = _cli(env, "themes", "split", analysis_id, str(largest), "--n", "2")
    assert split.returncode == 0, split.stderr
    after, _, _ = _export(env, split.stdout.split()[0], tmp_path / "split")
    assert len(after) == len(themes) + 1
    themed = assignments[assignments["theme_id"] >= 0]
    target = int(themes["theme_id"].iloc[-1])
    row = int(themed.loc[themed["theme_id"] != target, "row"].iloc[0])
    moved = _cli(env, "themes", "move", analysis_id, "--rows", str(row), "--to", str(target))
    assert moved.returncode == 0, moved.stderr
    _, rows, _ = _export(env, moved.stdout.split()[0], tmp_path / "moved")
    assert rows.set_index("row").loc[row, "theme_id"] == target
    renamed = _cli(env, "themes", "rename", analysis_id, str(largest), "Top theme")
    assert renamed.returncode == 0 and "Top theme" in renamed.stdout, renamed.stderr
    shown = _cli(env, "themes", "show", renamed.stdout.split()[0])
    assert shown.returncode == 0 and "Top theme" in shown.stdout, shown.stderr
    listed = _cli(env, "history", "list").stdout
    assert f"renamed theme {largest}" in listed and f"moved 1 row(s) to {target}" in listed
    unknown = _cli(env, "themes", "suggest", "nosuchid")
    assert unknown.returncode == 2 and "No saved analysis 'nosuchid'" in unknown.stderr
    model_dir = _cli(env, "themes", "suggest", str(tmp_path))
    assert model_dir.returncode == 2 and "cxtext themes suggest ID" in model_dir.stderr


def test_themes_suggest_lists_evidence_and_applies(env, past, tmp_path):
    analysis_id, themes, assignments = past
    theme_of = assignments.set_index("id")["theme_id"]
    crash, billing = int(theme_of["crash-0"]), int(theme_of["billing-0"])
    kept = min(crash, billing)
    merged = _cli(env, "themes", "merge", analysis_id, str(crash), str(billing), "--label", "Crash and billing")
    assert merged.returncode == 0, merged.stderr
    merged_id = merged.stdout.split()[0]
    listed = _cli(env, "themes", "suggest", merged_id)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    number = next(int(line.split(".")[0]) for line in lines if f"split {kept} 'Crash and billing'" in line)
    assert "silhouette" in listed.stdout and listed.stdout.count("part '") >= 2
    command = f"cxtext themes split {merged_id} {kept} --n 2"
    assert command in listed.stdout
    applied = _cli(env, "themes", "suggest", merged_id, "--apply", str(number))
    assert applied.returncode == 0, applied.stderr
    by_command = _cli(env, *command.split()[1:])
    assert by_command.returncode == 0, by_command.stderr
    from_apply, _, _ = _export(env, applied.stdout.split()[0], tmp_path / "applied")
    from_command, _, _ = _export(env, by_command.stdout.split()[0], tmp_path / "command")
    assert len(from_apply) == len(themes)
    pd.testing.assert_frame_equal(from_apply, from_command)
    assert f"applied suggestion {number}" in _cli(env, "history", "list").stdout
    missing = _cli(env, "themes", "suggest", merged_id, "--apply", "99")
    assert missing.returncode == 2 and "There is no suggestion 99" in missing.stderr
