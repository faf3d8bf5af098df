"""A rating whose best answer is 1 (the NHS Friends and Family Test: 1 = very good ... 5 = very poor).

Before, ``--rating-scale 5-1`` was refused ("a score scale needs high > low") and the only way through,
``--rating-scale 1-5``, ranked praise themes as the biggest drivers of low ratings. Now the scale is written
worst-best (``5-1``), or read from the question ("1 = very good"), and the ratings are reverse-coded
(low + high − answer) so that every output keeps "higher is better".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cxtext
from cxtext.errors import ValidationError
from cxtext.io.columns import detect_columns
from cxtext.schema import ScoreScale
from cxtext.validate import validate

REVIEWS = Path(__file__).parents[1] / "fixtures" / "regressions" / "googleplay_pt_kids_app_400.csv"


def test_a_scale_written_worst_to_best_puts_the_best_answer_at_1():
    scale = ScoreScale.parse("5-1")
    assert (scale.low, scale.high, scale.good_end) == (1, 5, "low")
    assert scale.described == "1-5, 1 = best"
    assert [scale.reverse_coded(v) for v in (1, 2, 5)] == [5, 4, 1]
    assert ScoreScale.parse("1-10").reverse_coded(3) == 3
    with pytest.raises(ValidationError, match="'5-1' when 1 is the best"):
        ScoreScale.parse("five")


@pytest.mark.parametrize("header, best_end", [
    ("FFT score (1 = Very good, 5 = Very poor)", "low"),
    ("Nota (1 = foarte bine, 5 = foarte slab)", "low"),
    ("Rating (1 = very poor, 5 = excellent)", "high"),
    ("Rating (1 = not at all likely)", "high"),
    ("stars", "high"),
])
def test_the_best_end_is_read_from_the_question(header, best_end):
    frame = pd.DataFrame({"comment": ["slow delivery and no reply", "great staff, thank you"] * 10,
                          header: [5, 1] * 10})
    decision = detect_columns(frame.columns, frame=frame, rating=header)
    assert decision.rating_scale.good_end == best_end
    if best_end == "low":
        assert "1 = best" in decision.reasons["rating"]["why"]
        assert "reverse-coded (6 − answer)" in decision.reasons["rating"]["why"]


def test_validation_stores_reverse_coded_ratings_and_rejects_answers_off_the_scale():
    frame = pd.DataFrame({"comment": ["a", "b", "c"], "score": [1, 5, 6]})
    records = validate(frame, detect_columns(frame.columns, frame=frame, text="comment", rating="score").mapping,
                       rating_scale=ScoreScale.parse("5-1"))
    assert records["rating"].tolist()[:2] == [5, 1]
    assert records["status"].tolist()[2] == "rejected"  # 6 (don't know, in the FFT) is off the scale


def test_a_reversed_file_gives_the_same_drivers_as_the_original(tmp_path):
    """Real Google Play reviews (1-5 stars) written 1 = best give the same themes' ratings once read as 5-1."""
    original = pd.read_csv(REVIEWS)
    reversed_file = original.assign(Nota=6 - original["Nota"])
    plain = cxtext.analyze(original, text="Comentário", rating="Nota", seed=0)
    flipped = cxtext.analyze(reversed_file, text="Comentário", rating="Nota", rating_scale="5-1", seed=0)
    assert flipped.summary["rating"]["mean"] == plain.summary["rating"]["mean"] == pytest.approx(
        original["Nota"].mean(), abs=0.01)
    assert flipped.summary["rating"]["best_end"] == "low" and "reverse-coded" in flipped.summary["rating"]["note"]
    assert "best_end" in plain.summary["rating"] and "note" not in plain.summary["rating"]
    columns = ["label", "n_comments", "rating_mean", "rating_impact"]
    pd.testing.assert_frame_equal(flipped.drivers[columns], plain.drivers[columns])
