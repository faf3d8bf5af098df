"""The CES column's scale and easy end, read from its question and values when the user does not give them.

Before, every CES column was read on 1-7 with 7 easy: a public pandas user survey's "How easy is it for you to
upgrade ...?" answered 1-4 came out with 0% low effort, and an R community survey's "on a scale of 1 to 5, how
difficult do you expect learning R to be?" with the wrong direction, both without a warning.
"""

from __future__ import annotations

import pandas as pd
import pytest

import cxtext
from cxtext.io.profile import profile_column
from cxtext.io.scales import ces_scale_of

ONE_TO_FOUR = pd.Series([1, 2, 3, 4, 4, 3, 4, 2] * 10)
ONE_TO_SEVEN = pd.Series([1, 2, 3, 7, 6, 5, 7, 4] * 10)


@pytest.mark.parametrize("header, values, scale, easy_end, because", [
    # a public pandas (and Dask) user survey: answered 1-4, 4 by a third or more, never 5: a 1-4 scale
    ("How easy is it for you to upgrade to newer versions of Python libraries", ONE_TO_FOUR, "1-4", "high",
     "no value above 4 in 80 answers, while 38% answer 4"),
    ("How easy is it for you to upgrade?", ONE_TO_FOUR.head(24), "1-5", "high", "no value above 4"),  # too few
    ("How easy is it for you to upgrade?", pd.Series([1, 2, 3, 3, 2, 3, 4, 2] * 10), "1-5", "high",
     "no value above 4"),  # 4 rarely chosen: the top of the scale may be unused
    ("How easy was it to solve your problem today?", ONE_TO_SEVEN, "1-7", "high", "the question asks how easy"),
    ("On a scale of 1 to 5, how difficult do you expect learning R to be?", ONE_TO_FOUR, "1-5", "low",
     "stated in the question"),
    ("How much effort did you personally have to put forth to handle your request?", ONE_TO_FOUR, "1-4", "low",
     "effort or difficulty"),
    ("Effort (1 = very easy, 7 = very difficult)", ONE_TO_FOUR, "1-7", "low", "'1 = very easy"),
    ("ces", ONE_TO_SEVEN, "1-7", "high", "assumed"),
    # a negated anchor: the end named is the *other* one (both were read the wrong way round before)
    ("How easy was it? (1 = not at all easy, 7 = very easy)", ONE_TO_SEVEN, "1-7", "high", "'1 = not at all easy"),
    ("Effort: (1) no effort ... (5) a lot of effort", ONE_TO_FOUR, "1-4", "low", "'1) no effort"),
])
def test_scale_and_easy_end_come_from_the_question_and_the_values(header, values, scale, easy_end, because):
    read, why = ces_scale_of(profile_column(values), header)
    assert (read.label, read.good_end) == (scale, easy_end)
    assert because in why


def test_what_the_user_gives_wins_and_the_reason_says_what_was_read(tmp_path):
    path = tmp_path / "ces.csv"
    pd.DataFrame({"comment": [f"Upgrading broke my notebook, case {i}" for i in range(80)],
                  "How easy is it for you to upgrade?": ONE_TO_FOUR}).to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert (feedback.ces_scale.label, feedback.ces_scale.good_end) == ("1-4", "high")
    assert ("scale 1-4 (detected: no value above 4 in 80 answers, while 38% answer 4); 4 = easiest"
            in feedback.mapping_reasons["ces"]["why"])
    given = cxtext.load(path, ces_scale="1-7", ces_easy_end="low")
    assert (given.ces_scale.label, given.ces_scale.good_end) == ("1-7", "low")
    # on 1-4 with 4 easy, the share answering 3-4 has low effort (5 of every 8 answered 3 or 4)
    analysis = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite")
    assert analysis.summary["ces"]["scale"] == "1-4"
    assert analysis.summary["ces"]["low_effort_share"] == pytest.approx(5 / 8)
    # said on 1-5 by the user, the same answers: 4-5 is the easy end (3 of every 8)
    on_five = cxtext.analyze(path, cache_path=tmp_path / "cache.sqlite", ces_scale="1-5")
    assert on_five.summary["ces"]["low_effort_share"] == pytest.approx(3 / 8)
