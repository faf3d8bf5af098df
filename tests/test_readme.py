"""The README runs (issue 18, point 7).

Every ```python and ```bash block of README.md is either run here, in a temporary folder with
small files written by the test (an ``export.xlsx``, and ``examples/sample_feedback.csv``
copied in), or listed in ``NOT_RUN`` with the reason it cannot run in a test. A block that is
neither (a new block, or one whose first line changed) fails ``test_every_block_is_run_or_listed``.

Blocks are named by their first line. ``cxtext ...`` lines run through the installed command
(``.venv/bin/cxtext``, else ``python -m cxtext.cli``); Python blocks are executed in one
namespace, then the outputs their comments and the README's tables promise are checked; the
``gradio_client`` example runs against the real app, started as tests/app/test_serving.py starts
it (tests/app/app_server.py), behind the login it passes. The analyses embed with the real
default model (about a minute in all).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLE = ROOT / "examples" / "sample_feedback.csv"

NOT_RUN = {
    "make app    # installs everything into .venv/, then opens the web app on the bundled sample":
        "'make app' installs into .venv/ and then serves the app until stopped (it never returns); "
        "'make test' runs the whole suite, this test included",
    ".venv/bin/python -m pytest tests/app -m browser   # only the browser tests, ~4 minutes":
        "runs the browser tests, which make test already runs (about 4 minutes, needs Chromium)",
}
# README examples known to be wrong: block name -> what is wrong and the fix (the block is xfail(strict)).
WRONG: dict[str, str] = {}


def readme_blocks() -> list[tuple[str, str, str]]:
    """(language, name, code) of every ```python and ```bash block; name = the first code line
    (a Python block's first line that is not an import or blank, so the name says what it does)."""
    blocks = []
    for match in re.finditer(r"^```(\w+)[^\n]*\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S):
        language, code = match.group(1), match.group(2)
        if language not in ("python", "bash"):
            continue
        lines = [line.strip() for line in code.splitlines() if line.strip()]
        if language == "python":
            lines = [line for line in lines if not line.startswith(("import ", "from "))] or lines
        blocks.append((language, lines[0], code))
    return blocks


BLOCKS = readme_blocks()


def test_every_block_is_run_or_listed():
    run = set(RUNNERS)
    names = [name for _, name, _ in BLOCKS]
    unknown = [name for name in names if name not in run and name not in NOT_RUN]
    assert not unknown, ("README blocks neither run by tests/test_readme.py nor listed in NOT_RUN with a reason "
                         f"(add a runner or a reason): {unknown}")
    stale = sorted((run | set(NOT_RUN)) - set(names))
    assert not stale, f"tests/test_readme.py names blocks the README no longer has: {stale}"


# ------------------------------------------------------------------------ the files the blocks read
def _export_frame() -> pd.DataFrame:
    """export.xlsx and export.csv: the bundled sample's first 200 comments with the column names the
    README's examples use (comment, score), NPS and CES on 1-5 (the Python example says ces_scale="1-5");
    enough for the themes 3 and 5 and the rows 12 and 40 it edits."""
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(200)
    ces = pd.to_numeric(sample["ces"], errors="coerce").clip(1, 5)
    return pd.DataFrame({"id": sample["response_id"], "date": sample["submitted_at"],
                         "comment": sample["comment"], "score": pd.to_numeric(sample["nps"], errors="coerce"),
                         "ces": ces})


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "examples").mkdir()
    shutil.copy(SAMPLE, tmp_path / "examples" / SAMPLE.name)
    _export_frame().to_excel(tmp_path / "export.xlsx", index=False)
    _export_frame().to_csv(tmp_path / "export.csv", index=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _cxtext_command() -> list[str]:
    installed = Path(sys.executable).parent / "cxtext"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "cxtext.cli"]


def _run_shell(code: str, cwd: Path) -> None:
    for line in code.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        program, *args = words
        assert Path(program).name == "cxtext", f"README bash line not a cxtext command, cannot run it: {line}"
        result = subprocess.run(_cxtext_command() + args, cwd=cwd, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"README line failed: {line}\n{result.stderr[-3000:]}"


def _readme_table_columns(file_name: str) -> list[str]:
    """The columns the README's output table lists for ``file_name`` (values in parentheses left out)."""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{file_name}` |"):
            described = re.sub(r"\([^)]*\)", "", line.split("|")[2])
            return re.findall(r"`([a-z_]+)`", described)
    raise AssertionError(f"the README has no table row for {file_name}")


# ------------------------------------------------------------------------ runners, one per block
def run_sample_command(code: str, cwd: Path) -> None:
    _run_shell(code, cwd)
    out = cwd / "out" / "sample"
    for name in ("summary.json", "assignments.csv", "themes.csv", "drivers.csv", "analysis.xlsx", "report.html"):
        assert (out / name).exists(), f"the README says {name} is written into out/sample/"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in ("rows_in", "rows_analyzed", "rows_rejected", "rejection_reasons", "nps", "ces", "csat",
                "theme_count", "unthemed_share", "model", "seed", "parameters", "timings_seconds"):
        assert key in summary, f"summary.json lacks {key!r}, which the README's table promises"
    assert {"nps", "ci_low", "ci_high"} <= set(summary["nps"])
    for table in ("assignments.csv", "themes.csv"):
        promised = _readme_table_columns(table)
        written = list(pd.read_csv(out / table, nrows=0).columns)
        assert promised == written, f"{table}: the README lists {promised}, the file has {written}"
    assert summary["theme_count"] > 0


def run_python_api(code: str, cwd: Path) -> None:
    namespace: dict = {"__name__": "readme"}
    exec(compile(code, str(README), "exec"), namespace)
    analysis, store = namespace["analysis"], namespace["store"]
    assert {"nps", "ci_low", "ci_high", "n"} <= set(analysis.summary["nps"]), analysis.summary["nps"]
    edits = [edit.get("op") for edit in analysis.theme_model.edits_]
    assert {"rename", "split", "move"} <= set(edits), edits
    assert list(analysis.themes.columns) == _readme_table_columns("themes.csv")
    assert list(namespace["analysis"].drivers_at("parent").columns) == list(analysis.drivers.columns)
    for name in ("summary.json", "assignments.csv", "themes.csv", "drivers.csv", "analysis.xlsx", "report.html",
                 "report.pptx"):
        assert (cwd / "out" / "q3" / name).exists(), name
    listed = store.list()
    for column in ("id", "name", "created_utc", "rows_in", "theme_count", "nps"):
        assert column in listed.columns, f"AnalysisStore.list() lacks {column!r}, which the README's comment names"
    assert namespace["analysis_id"] in set(listed["id"])


def run_app_client(code: str, cwd: Path) -> None:
    """The Python client against the real app, started as tests/app/test_serving.py starts it, behind
    the login the example passes (CXTEXT_AUTH=user:password)."""
    pytest.importorskip("gradio_client", reason="gradio_client (PyPI) is not installed")
    server = _app_server_class()(cwd / "server", "--no-sample", CXTEXT_AUTH="user:password")
    try:
        url = server.wait_until_up()
        namespace: dict = {"__name__": "readme"}
        exec(compile(code.replace("http://127.0.0.1:7860/", url), str(README), "exec"), namespace)
    finally:
        log = server.stop()
    result = namespace["result"]
    for key in ("summary", "priority_basis", "drivers", "themes", "rejected", "rejected_rows"):
        assert key in result, f"the README says result holds {key!r}; it has {sorted(result)} (server log: {log[-500:]})"
    # the README's prose "(id, label, size, share, keywords, languages, parent)": id is theme_id,
    # parent is parent_id and parent_label
    for key in ("theme_id", "label", "size", "share", "keywords", "languages", "parent_id", "parent_label"):
        assert key in result["themes"][0], f"the README says each theme has {key!r}: {sorted(result['themes'][0])}"
    assert result["summary"]["nps"]["nps"] is not None and result["drivers"][0]["label"]


def _app_server_class():
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_app_server", ROOT / "tests" / "app" / "app_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Server


RUNNERS = {
    'client = Client("http://127.0.0.1:7860/", auth=("user", "password"))  # auth only when CXTEXT_AUTH is set':
        run_app_client,
    ".venv/bin/cxtext analyze examples/sample_feedback.csv --out out/sample --format xlsx --format html":
        run_sample_command,
    'feedback = cxtext.load("export.xlsx")            # read, map columns, validate every row': run_python_api,
}


def _params():
    params = []
    for language, name, code in BLOCKS:
        if name not in RUNNERS:
            continue
        marks = [pytest.mark.xfail(strict=True, reason=WRONG[name])] if name in WRONG else []
        params.append(pytest.param(name, code, id=name[:60], marks=marks))
    return params


@pytest.mark.model
@pytest.mark.parametrize("name,code", _params())
def test_readme_block_runs(workdir, name, code):
    RUNNERS[name](code, workdir)


def test_skipped_blocks_say_why():
    for name, reason in NOT_RUN.items():
        assert len(reason) > 20, f"say why {name!r} is not run"


def test_load_twice_in_one_process_after_importing_the_modules(tmp_path):
    """The README's first example used to fail the second time in one process ("'module' object
    is not callable"): the module cxtext.load shadowed the function once imported."""
    path = tmp_path / "export.csv"
    _export_frame().head(5).to_csv(path, index=False)
    script = (
        "import cxtext.io.read, cxtext.ingest\n"
        "import cxtext\n"
        "from cxtext import load\n"
        f"first = cxtext.load({str(path)!r})\n"
        f"second = cxtext.load({str(path)!r})\n"
        f"third = load({str(path)!r})\n"
        "assert callable(cxtext.load)\n"
        "print(len(first.records), len(second.records), len(third.records))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "5", "5"]
