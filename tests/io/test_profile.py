"""What a column holds, as the mapping's reasons describe it to the user (cxtext.io.profile)."""

from __future__ import annotations

import pandas as pd

from cxtext.io.profile import SAMPLE_SIZE, profile_column


def test_a_sampled_numeric_column_is_described_by_its_whole_range():
    # 10,001 counts: the profile reads 2,000 evenly spaced values, which skip the largest one
    values = pd.Series([str(7 * i) for i in range(10_000)] + ["1409680"], name="views")
    profile = profile_column(values)
    assert profile.n == SAMPLE_SIZE and profile.high < 1_409_680  # the roles are judged on the sample
    assert profile.describe() == "whole numbers from 0 to 1409680"


def test_a_small_column_is_described_from_all_its_values():
    profile = profile_column(pd.Series(["9", "10", "n/a", "7"] * 5, name="nps"))
    assert profile.full_low is None and profile.describe() == "whole numbers from 7 to 10"


def test_codes_of_a_digit_and_letters_are_not_read_as_numbers():
    # Carpentries' UniqueID column ('2joche', '7mabry', ...) was described as "whole numbers from 0 to 9"
    codes = pd.Series(["2joche", "7mabry", "3kthom", "9ddias", "1srose"] * 4)
    profile = profile_column(codes, "UniqueID")
    assert profile.numeric == 0.0
    assert profile.code == 1.0
