"""No file shape crashes (issue 18, point 6): every shape of tests/file_shapes.py, written as a
real file, through the command line, ``cxtext.load`` and ``cxtext.analyze``.

Each ends either in one actionable error line naming the file (CLI: exit code 2, one line on
stderr, no traceback; Python: a CxtextError) or in valid outputs, every row accounted for, whose
summary.json says why there is no theme when there is none. The analyses embed with the real
default model (the shapes are a few rows each).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from file_shapes import BY_NAME, SHAPES, Shape, params

import cxtext
from cxtext.cli import main
from cxtext.errors import CxtextError

pytestmark = pytest.mark.model

ERRORS = [s for s in SHAPES if s.outcome == "error"]
OUTPUTS = [s for s in SHAPES if s.outcome == "outputs"]


def _file(tmp_path, shape: Shape):
    path = tmp_path / shape.filename
    shape.write(path)
    return path


def _analyze_cli(path, out, shape: Shape, capsys) -> tuple[int, str]:
    code = main(["analyze", str(path), "--out", str(out), "--no-history", "--quiet",
                 "--cache", str(out.parent / "cache.sqlite"), *shape.cli_args()])
    return code, capsys.readouterr().err


def _check_error(message: str, shape: Shape) -> None:
    assert shape.filename in message, f"the message does not name the file: {message}"
    for phrase in shape.says:
        assert phrase in message, f"{phrase!r} not in: {message}"


@pytest.mark.parametrize("shape", params(ERRORS))
def test_cli_refuses_with_one_line(tmp_path, shape, capsys):
    code, err = _analyze_cli(_file(tmp_path, shape), tmp_path / "out", shape, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("cxtext: error: ")
    _check_error(err, shape)
    assert not (tmp_path / "out" / "summary.json").exists()


@pytest.mark.parametrize("name", ["header-only csv", "xlsx of formulas only", "JSON number", "ragged rows"])
def test_cli_process_prints_no_traceback(tmp_path, name):
    """The same through a real process, as a user runs it: nothing but the one line on stderr."""
    shape = BY_NAME[name]
    result = subprocess.run([sys.executable, "-m", "cxtext.cli", "analyze", str(_file(tmp_path, shape)),
                             "--out", str(tmp_path / "out"), "--no-history", "--quiet",
                             "--cache", str(tmp_path / "cache.sqlite")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    _check_error(result.stderr, shape)


@pytest.mark.parametrize("shape", params(ERRORS))
def test_python_api_raises_a_cxtext_error(tmp_path, shape):
    path = _file(tmp_path, shape)
    with pytest.raises(CxtextError) as loading:
        cxtext.load(path, **shape.args)
    _check_error(str(loading.value), shape)
    with pytest.raises(CxtextError) as analysing:
        cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite", **shape.args)
    _check_error(str(analysing.value), shape)


def _accounted(assignments: pd.DataFrame, summary: dict, rows: int) -> None:
    """Every input row is in the assignments with a status, and the summary counts them all.

    A row with several comment columns gives one assignment per comment (same ``row``), so
    analysed + left out (rejected, blank, score only) counts assignments and ``rows_in`` the file's rows.
    """
    assert summary["rows_in"] == rows
    assert summary["rows_analyzed"] + summary["rows_left_out"] == len(assignments)
    assert summary["rows_left_out"] == summary["rows_rejected"] + summary["rows_blank"] + summary["rows_score_only"]
    assert sorted(set(assignments["row"])) == list(range(1, rows + 1))
    assert set(assignments["status"]) <= {"analyzed", "rejected", "blank", "score_only"}
    rejected = assignments[assignments["status"] != "analyzed"]
    assert rejected["reason"].fillna("").astype(str).str.len().gt(0).all()


@pytest.mark.parametrize("shape", params(OUTPUTS))
def test_cli_writes_outputs_that_say_why_there_is_no_theme(tmp_path, shape, capsys):
    out = tmp_path / "out"
    code, err = _analyze_cli(_file(tmp_path, shape), out, shape, capsys)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assignments = pd.read_csv(out / "assignments.csv", keep_default_na=False)
    _accounted(assignments, summary, shape.rows)
    for table in ("themes.csv", "drivers.csv"):
        assert (out / table).exists()
    if summary["theme_count"] == 0:
        reason = summary.get("no_themes_reason")
        assert reason, "summary.json has no theme and does not say why"
        for phrase in shape.says:
            assert phrase in reason, f"{phrase!r} not in: {reason}"
    else:
        assert "no_themes_reason" not in summary


@pytest.mark.parametrize("shape", params(OUTPUTS))
def test_python_api_loads_and_analyses(tmp_path, shape):
    path = _file(tmp_path, shape)
    feedback = cxtext.load(path, **shape.args)
    assert sorted(set(feedback.records["row"])) == list(range(1, shape.rows + 1))
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite", **shape.args)
    _accounted(analysis.assignments, analysis.summary, shape.rows)
    json.dumps(analysis.summary, default=str)
    written = analysis.write(tmp_path / "out", formats=["csv", "xlsx", "json", "parquet"])
    assert all(p.exists() for p in written)


def test_python_summary_says_why_there_is_no_theme(tmp_path):
    shape = BY_NAME["every row rejected"]
    analysis = cxtext.analyze(_file(tmp_path, shape), cache_path=tmp_path / "cache.sqlite", **shape.args)
    assert "every row was rejected" in analysis.summary["no_themes_reason"]


@pytest.mark.parametrize("args", [[], ["--text", "comment"]], ids=["detected", "named"])
def test_dask_engine_refuses_files_without_rows(tmp_path, args, capsys):
    """Each file of a dask glob may be a header alone (read_table(allow_empty=True)); all of them
    at once is one error line, not a traceback from scattering nothing."""
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    for day in ("monday", "tuesday"):
        (tmp_path / f"{day}.csv").write_text("comment,nps\n", encoding="utf-8")
    code = main(["analyze", str(tmp_path / "*.csv"), "--engine", "dask", "--workers", "1", "--out",
                 str(tmp_path / "out"), "--no-history", "--quiet", "--cache", str(tmp_path / "cache.sqlite"), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "*.csv: none of the files has data rows" in err


def test_social_mentions_that_are_only_links_and_handles(tmp_path, capsys):
    """Mentions empty once the social clean-up strips links, @handles and RT prefixes: valid
    outputs whose summary.json says there was nothing left to group."""
    path = tmp_path / "mentions.csv"
    path.write_text("tweet,channel\nhttps://t.co/abc123,twitter\n@nuvio_help @nuvio,twitter\n"
                    "RT @nuvio: https://nuvio.example/promo,twitter\n🙂🙂,facebook\n", encoding="utf-8")
    pipeline = Path(__file__).resolve().parents[2] / "pipelines" / "social_mentions.yaml"
    out = tmp_path / "out"
    code = main(["run", str(pipeline), str(path), "--out", str(out), "--no-history", "--quiet",
                 "--cache", str(tmp_path / "cache.sqlite"), "--text", "tweet"])
    assert code == 0, capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == 4 and summary["theme_count"] == 0
    assert "none of the 4 analysed comments has content" in summary["no_themes_reason"]
    analysis = cxtext.analyze(path, pipeline="social_mentions", text="tweet", cache_path=tmp_path / "cache.sqlite")
    assert "none of the 4 analysed comments has content" in analysis.summary["no_themes_reason"]


DASK_SHAPES = ["one row", "one column, commas unquoted", "every row rejected", "only non-answers",
               "duplicate headers", "JSON records nested two levels down"]


@pytest.mark.parametrize("name", DASK_SHAPES)
def test_dask_engine_writes_the_same_kind_of_outputs(tmp_path, name, capsys):
    """The dask engine on the small shapes: it crashed on every file without a social post (it
    scattered an empty dict of posts to fold)."""
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    shape = BY_NAME[name]
    out = tmp_path / "out"
    code = main(["analyze", str(_file(tmp_path, shape)), "--engine", "dask", "--workers", "1", "--out", str(out),
                 "--no-history", "--quiet", "--cache", str(tmp_path / "cache.sqlite"), *shape.cli_args()])
    assert code == 0, capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    _accounted(pd.read_csv(out / "assignments.csv", keep_default_na=False), summary, shape.rows)
    assert summary["theme_count"] > 0 or summary["no_themes_reason"]


def test_a_file_cut_short_keeps_its_whole_rows_and_says_which_line_was_not_read(tmp_path, capsys):
    path = _file(tmp_path, BY_NAME["cut short inside its last row"])
    table = cxtext.load(path).table
    assert len(table.frame) == 4 and table.truncated_line == 6
    assert "the row starting on line 6 is unfinished" in table.note
    code, err = _analyze_cli(path, tmp_path / "out", BY_NAME["cut short inside its last row"], capsys)
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["truncated_line"] == 6 and summary["rows_in"] == 4
    cut = [w for w in summary["warnings"] if w["kind"] == "truncated_file"]
    assert len(cut) == 1
    assert cut[0]["message"].startswith("cut_short.csv ends in the middle of a row: the row starting on line 6 is "
                                        "unfinished and was not read; the 4 rows above it were.")
    assert cut[0]["message"] in err  # the command line prints it (stderr), as the app and the report show it


def test_json_lines_cut_short_keep_their_whole_records_and_warn(tmp_path):
    path = _file(tmp_path, BY_NAME["JSON Lines cut short inside its last record"])
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite")
    assert analysis.summary["rows_in"] == 3 and analysis.summary["input"]["truncated_line"] == 4
    assert [w["kind"] for w in analysis.summary["warnings"]][0] == "truncated_file"


def test_excel_sep_hint_names_the_delimiter_and_is_not_a_header(tmp_path):
    path = _file(tmp_path, BY_NAME["excel sep= hint line"])
    feedback = cxtext.load(path)
    assert feedback.table.delimiter == ";" and list(feedback.table.frame.columns) == ["comment", "nps"]
    assert feedback.mapping.text_columns == ("comment",) and feedback.mapping.nps == "nps"
    assert "'sep=;' is Excel's delimiter hint" in feedback.table.note


def test_title_rows_above_the_header_are_not_the_header(tmp_path):
    sheet = cxtext.load(_file(tmp_path, BY_NAME["xlsx with title rows above the header"]))
    assert list(sheet.table.frame.columns) == ["date", "score", "feedback"] and len(sheet.table.frame) == 5
    assert sheet.mapping.text_columns == ("feedback",) and sheet.mapping.nps == "score"
    assert sheet.table.note.startswith("rows 1-3 above the header ('NPS responses export'; 'Generated 2026-10-31') "
                                       "are a title, not data: the header is row 4")
    lines = cxtext.load(_file(tmp_path, BY_NAME["csv with a title line above the header"]))
    assert list(lines.table.frame.columns) == ["comment", "nps"] and lines.mapping.nps == "nps"
    assert "line 1 above the header ('NPS responses - October 2026') is a title" in lines.table.note


def test_one_column_of_comments_keeps_its_first_rows():
    from cxtext.io.titles import title_rows

    comments = [["comment"], ["App crashes"], ["Too slow"], [None], ["Great support, thanks"]]
    assert title_rows(comments) == 0  # no row of the table has two cells: nothing is a title
    # a header of numbers is data under a one-cell line, not a header under a title
    assert title_rows([["Scores"], ["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]) == 0
    # blank rows alone are not a title (the readers already skip them)
    assert title_rows([[None], ["", ""], ["comment", "nps"], ["a", "1"], ["b", "2"]]) == 0
    assert title_rows([["Report"], [None], ["comment", "nps"], ["a", "1"], ["b", "2"]]) == 2
    # a header naming only its first column over a row of answers: an id like the ids under it is data, so
    # the first row is not taken for the header (hypothesis found that row lost under a "title")
    ids = [["comment", None, None], [None, "Android", "fcbd04c3-4021-2ef7-cca5-a5a19e4d6e3c"]] + [
        ["The app crashes", "iOS", f"b4862b21-fb97-d435-8856-1712e8e5216{i}"] for i in range(6)]
    assert title_rows(ids) == 0
    assert title_rows([["Report"], ["comment", "NPS 2024"], ["a", "1"], ["b", "2"]]) == 1  # a name with digits
    # a header with an unnamed column ("comment,") is no title, and a row of answers is no header
    rows = [["comment", ""], ["yes", "I was charged twice"], ["yes", "The app crashes"], ["no", "Slow"]]
    assert title_rows(rows, one_cell=True) == 0 and title_rows(rows) == 0
    # a header naming only its first column over answers: "yes" over "no" is a row of answers, not a header
    # (hypothesis found it: the first answer was read as the header under a 'title')
    assert title_rows([["comment", None, None], ["yes", None, "GB"], ["no", None, "RO"], ["no", None, "RO"]]) == 0


def test_old_mac_line_endings_are_line_breaks_and_the_note_says_so(tmp_path):
    # Excel for Mac's "CSV (Macintosh)" ends lines in CR alone: a public survey export saved so failed with
    # "new-line character seen in unquoted field ... check that every quoted cell is closed"
    import cxtext

    path = tmp_path / "mac.csv"
    path.write_bytes(b"id,score,comment\r1,9,Great support\r2,3,App crashes when I pay\r3,10,\"Fast, friendly\"\r")
    feedback = cxtext.load(path)
    assert feedback.records["text"].tolist() == ["Great support", "App crashes when I pay", "Fast, friendly"]
    assert "old Mac line endings" in feedback.table.note
