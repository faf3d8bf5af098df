"""The command line: help, exit codes and one-line errors (no model needed here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cxtext.cli import main


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cxtext.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_help_documents_every_command_and_column(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("analyze", "run", "themes", "app", "build-model", "nps (0-10)", "csat (1-5)"):
        assert word in out


def test_analyze_help_lists_the_contract(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    for flag in ("--out", "--text", "--nps", "--ces", "--ces-scale", "--ces-low-is-easy", "--ces-high-is-easy",
                 "--csat", "--rating", "--rating-scale", "--date", "--source", "--segment", "--id", "--model", "--min-theme-size", "--seed",
                 "--themes", "--format"):
        assert flag in out


@pytest.mark.parametrize("content,args,message", [
    (None, [], "file not found"),
    ("comment,nps\nfine,3\n", ["--nps", "Score"], "--nps names column 'Score', which is not in the file. "
                                                  "Columns found: comment, nps."),
    ("a,b\n1,2\n", [], "dump.csv: no column holds free-text comments. Columns found: a (0/1 flags), "
                      "b (whole numbers from 2 to 2). Name the comment column with --text COLUMN"),
    ("comment,nps\nfine,3\n", ["--ces-scale", "0-10"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, content, args, message):
    path = tmp_path / "dump.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _run("analyze", str(path), "--out", str(tmp_path / "out"), "--quiet", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_out_is_usage_error(tmp_path):
    result = _run("analyze", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "--out" in result.stderr and "Traceback" not in result.stderr


def test_the_headline_says_what_the_themes_are_ranked_by_without_nps(capsys):
    from cxtext.cli.printing import print_headline

    summary = {"rows_in": 120, "rows_analyzed": 118, "rows_rejected": 2, "rows_blank": 2, "theme_count": 9,
               "priority_basis": "sentiment"}
    print_headline(summary, "out", [])
    printed = capsys.readouterr().out
    assert "120 rows: 118 analyzed, 2 blank (no comment, no score), 0 rejected; 9 themes" in printed
    assert "note: themes are ranked by negative sentiment in the comments (no NPS, rating" in printed
    print_headline(summary | {"priority_basis": "nps"}, "out", [])
    assert "ranked by" not in capsys.readouterr().out  # NPS impact: what the README leads with
