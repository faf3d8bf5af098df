"""A score-only export (no comment column, only scores): metrics, breakdowns and rejected rows, no theme.

The layout is that of a public in-app NPS survey export (julioverdugo/NPS ``nps_survey.csv``, held-out
batch 2, file E): ``is_admin,id,score,created_at,surveyed_at,sessions,messages``; the rows are written for
this test. 7 promoters, 1 passive and 2 detractors among the 10 valid scores give NPS 50.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cxtext
from cxtext.drivers import DRIVER_COLUMNS
from cxtext.errors import ColumnMappingError
from cxtext.report import write_report

ROWS = [  # is_admin, id, score, created_at, surveyed_at, sessions, messages
    (0, 1474, "9", "2017-01-01T00:46:09Z", "2017-02-01T00:46:09Z", 4, 8),
    (0, 5121, "10", "2017-01-01T18:26:36Z", "2017-02-01T18:26:36Z", 30, 46),
    (1, 3743, "9", "2017-01-02T13:13:17Z", "2017-02-02T13:13:17Z", 59, 222),
    (0, 6215, "10", "2017-01-05T08:01:44Z", "2017-02-05T08:01:44Z", 3, 0),
    (0, 7340, "9", "2017-01-09T21:12:05Z", "2017-02-09T21:12:05Z", 12, 31),
    (0, 8122, "10", "2017-02-03T10:40:51Z", "2017-03-03T10:40:51Z", 7, 15),
    (1, 9001, "9", "2017-02-11T16:05:00Z", "2017-03-11T16:05:00Z", 81, 310),
    (0, 9233, "7", "2017-02-14T09:30:12Z", "2017-03-14T09:30:12Z", 5, 9),
    (0, 9876, "3", "2017-02-20T19:22:47Z", "2017-03-20T19:22:47Z", 22, 64),
    (0, 10444, "6", "2017-02-27T07:14:33Z", "2017-03-27T07:14:33Z", 9, 12),
    (0, 10871, "12", "2017-02-28T11:00:00Z", "2017-03-28T11:00:00Z", 2, 1),  # outside 0-10: rejected
    (0, 11002, "", "2017-02-28T12:00:00Z", "2017-03-28T12:00:00Z", 1, 0),  # no score: rejected
]


@pytest.fixture()
def nps_only(tmp_path):
    path = tmp_path / "nps_survey.csv"
    lines = ["is_admin,id,score,created_at,surveyed_at,sessions,messages"]
    lines += [",".join(map(str, row)) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check_nps(nps: dict) -> None:
    assert nps["n"] == 10
    assert nps["nps"] == pytest.approx(50.0)
    assert nps["promoter_share"] == pytest.approx(0.7) and nps["detractor_share"] == pytest.approx(0.2)
    assert nps["ci_low"] < 50 < nps["ci_high"]


def test_the_api_analyses_the_scores_without_themes(nps_only, tmp_path):
    analysis = cxtext.analyze(nps_only)
    s = analysis.summary
    assert s["mapping"]["text"] is None and s["mapping"]["nps"] == "score" and s["mapping"]["id"] == "id"
    _check_nps(s["nps"])
    assert (s["rows_in"], s["rows_analyzed"], s["rows_rejected"]) == (12, 10, 2)
    assert s["themes_skipped"]["reason"] == "no comment column found"
    assert s["themes_skipped"]["score_columns"] == {"nps": "score"}
    assert set(s["themes_skipped"]["columns_seen"]) == {"is_admin", "id", "score", "created_at", "surveyed_at",
                                                        "sessions", "messages"}
    assert "no column holds free-text comments" in s["no_themes_reason"]
    # themes and drivers are empty, with their documented columns
    assert analysis.themes.empty and "label" in analysis.themes.columns
    assert analysis.drivers.empty and list(analysis.drivers.columns) == list(DRIVER_COLUMNS)
    assert set(analysis.records["theme_id"]) == {-3}
    rejected = analysis.rejected.set_index("id")["reason"]
    assert rejected["10871"] == "NPS '12' is outside 0-10"
    assert rejected["11002"].startswith("no score")
    by_month = analysis.scores_by("month").set_index("month")
    assert list(by_month.index) == ["2017-01", "2017-02"]
    assert by_month.loc["2017-01", "nps"] == pytest.approx(100.0)  # five promoters
    assert by_month.loc["2017-02", "n_nps"] == 5 and by_month.loc["2017-02", "nps"] == pytest.approx(0.0)

    written = {p.name for p in analysis.write(tmp_path / "out", ["csv", "xlsx"])}
    assert {"summary.json", "themes.csv", "drivers.csv", "assignments.csv", "scores_by_month.csv",
            "analysis.xlsx"} <= written
    assert "trends.csv" not in written
    html = write_report(analysis, tmp_path / "out", ["html"])[0].read_text(encoding="utf-8")
    assert "Scores by month" in html and "+50.0" in html
    assert 'id="drivers"' not in html and 'id="themes"' not in html and "Rows by outcome" not in html
    assert "Themes skipped: no column holds free-text comments" in html


def test_the_cli_says_themes_were_skipped(nps_only, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "cxtext", "analyze", str(nps_only), "--out", str(out),
                             "--no-history", "--format", "html"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "no column holds free-text comments" in notes[0] and "score (whole numbers" in notes[0]
    assert "themes skipped (no comment column); NPS +50.0" in result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    _check_nps(summary["nps"])
    assert summary["theme_count"] == 0 and summary["themes_skipped"]["reason"] == "no comment column found"
    assert (out / "scores_by_month.csv").is_file() and (out / "report.html").is_file()
    assert (out / "themes.csv").read_text(encoding="utf-8-sig").startswith("theme_id,label")


def test_neither_comments_nor_scores_is_an_error_naming_the_file_and_columns(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text("is_admin,id,sessions\n0,1,4\n1,2,30\n0,3,59\n", encoding="utf-8")
    with pytest.raises(ColumnMappingError) as info:
        cxtext.analyze(path)
    message = str(info.value)
    assert message.startswith("usage.csv: no column holds free-text comments. Columns found: is_admin (0/1 flags)")
    assert "sessions" in message and "--text" in message and "--nps" in message
