"""The CLI as a new user meets it on a review export: the mapping printed before the analysis, ratings
ranked without NPS, two comment columns (issue 18, points 1, 3 and 4). Real model, small files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.model

README = Path(__file__).resolve().parents[1] / "README.md"
BROKEN = ["The speaker stopped working after a week and support never replied",
          "Stopped working after two weeks, the light just spins forever",
          "It broke after ten days and the return took a month",
          "Died after a week, it will not turn on any more"]
HAPPY = ["Love it, the sound is great for such a small speaker",
         "Great sound and easy to set up in the kitchen",
         "Works well with my phone and the sound is clear",
         "Easy to set up and the alarms work every morning"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cxtext.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> Path:
    """An Amazon-style export: the 0/1 'feedback' flag must not be the comment; stars are a rating."""
    folder = tmp_path_factory.mktemp("reviews")
    rows = []
    for i in range(15):
        rows.append({"rating": 1 + i % 2, "date": f"{i % 28 + 1}-Jul-18", "variation": "Charcoal Fabric",
                     "verified_reviews": f"{BROKEN[i % 4]} ({i})", "feedback": 0})
        rows.append({"rating": 4 + i % 2, "date": f"{i % 28 + 1}-Jul-18", "variation": "Walnut Finish",
                     "verified_reviews": f"{HAPPY[i % 4]} ({i})", "feedback": 1})
    pd.DataFrame(rows).to_csv(folder / "reviews.csv", index=False)
    return folder


def test_the_mapping_is_printed_before_the_analysis_as_the_readme_shows(reviews):
    result = _run("analyze", "reviews.csv", "--out", "out", "--no-history", "--cache", "cache.sqlite", cwd=reviews)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    readme_block = re.search(r"```text\n(reviews\.csv: 30 rows\..*?)```", README.read_text(encoding="utf-8"), re.S)
    assert readme_block, "README's mapping example is missing"
    for expected in readme_block.group(1).strip().splitlines():
        # word counts depend on the file; the rest of each line is what the README promises
        pattern = re.escape(expected).replace(r"12\.3", r"[\d.]+")
        assert any(re.fullmatch(pattern, line) for line in lines), (expected, lines)
    assert lines.index(next(l for l in lines if l.startswith("reviews.csv"))) < \
        lines.index(next(l for l in lines if l.startswith("30 rows")))
    summary = json.loads((reviews / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["mapping"]["text"] == "verified_reviews" and summary["mapping"]["nps"] is None
    assert summary["mapping_reasons"]["rating"]["column"] == "rating"
    assert summary["column_contents"]["feedback"] == "0/1 flags"
    assert summary["rating"]["mean"] == pytest.approx(89 / 30, abs=1e-4) and summary["rating"]["scale"] == "1-5"
    drivers = pd.read_csv(reviews / "out" / "drivers.csv")
    assert drivers.iloc[0]["rating_mean"] < 2.5  # the broken-speaker theme drags the rating most
    assert drivers.iloc[0]["rating_impact"] < 0


def test_two_comment_columns_give_one_comment_per_cell_and_drivers_by_column(tmp_path):
    pd.DataFrame({
        "Negative_Review": [f"{BROKEN[i % 4]}, room {i}" if i % 3 else "" for i in range(24)],
        "Positive_Review": [f"{HAPPY[i % 4]}, room {i}" for i in range(24)],
        "Reviewer_Score": [2.5 + (i % 8) for i in range(24)],
    }).to_csv(tmp_path / "hotel.csv", index=False)
    result = _run("analyze", "hotel.csv", "--out", "out", "--no-history", "--cache", "cache.sqlite",
                  "--by", "text_column", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 free-text columns whose headers read as comments (Negative_Review, Positive_Review)" in result.stdout
    assignments = pd.read_csv(tmp_path / "out" / "assignments.csv")
    assert len(assignments) == 16 + 24 and assignments["row"].nunique() == 24
    assert set(assignments["text_column"]) == {"Negative_Review", "Positive_Review"}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == 24 and summary["comments_in"] == 40
    assert summary["mapping"]["rating"] == "Reviewer_Score" and summary["rating"]["scale"] == "1-10"
    assert summary["rating"]["n"] == 24  # each respondent's score once
    by_column = pd.read_csv(tmp_path / "out" / "drivers_by_text_column.csv")
    assert set(by_column["text_column"]) <= {"Negative_Review", "Positive_Review"}


def test_a_wrong_guess_can_be_switched_off_with_none(tmp_path):
    # a public GP survey: a sentiment model's 'positive' / 'neutral' / 'negative' column was read as CSAT and
    # '--csat none' failed with "names column 'none', which is not in the file"
    import json

    import pandas as pd

    from cxtext.cli import main

    path = tmp_path / "fft.csv"
    pd.DataFrame({"free_text": [f"The nurse was kind and the wait was short, visit {i}" for i in range(30)],
                  "rating_score": [1 + i % 5 for i in range(30)],
                  "satisfaction": [1 + i % 5 for i in range(30)]}).to_csv(path, index=False)
    assert main(["analyze", str(path), "--out", str(tmp_path / "auto"), "--quiet"]) == 0
    guessed = json.loads((tmp_path / "auto" / "summary.json").read_text(encoding="utf-8"))
    assert guessed["mapping"]["csat"] == "satisfaction"
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--csat", "none", "--quiet"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["mapping"]["csat"] is None and summary["mapping"]["rating"] == "rating_score"
    assert summary["mapping_reasons"]["csat"]["why"] == "switched off by you (--csat none)"
