"""The scale a rating column is on (1-5, 0-5, 1-10, 0-10 or 0-100), read from its values' profile.

Used by :mod:`cxtext.io.columns` (the reason a rating column was taken) and by the app (the scale of a
column the user picked). Imports :mod:`cxtext.io.profile` and :mod:`cxtext.schema` only.
"""

from __future__ import annotations

import pandas as pd

from cxtext.io.profile import ColumnProfile, profile_column
from cxtext.schema import ScoreScale

#: Scales a rating may be on, smallest first: the first that holds every value is taken.
RATING_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (0, 5), (1, 10), (0, 10), (0, 100))


def rating_scale_of(values: pd.Series) -> ScoreScale:
    """The smallest of :data:`RATING_SCALES` holding every value of a rating column (1-5 when unknown)."""
    return scale_of_profile(profile_column(values))


def scale_of_profile(profile: ColumnProfile | None) -> ScoreScale:
    """The smallest of :data:`RATING_SCALES` holding every value.

    When only 0-100 (or none) does: the smallest holding the values from the smallest non-negative
    one to the 99th percentile, so that a -3 or a 15 among 0-10 scores (a public Portuguese hotel
    table) leaves the scale 0-10 and validation rejects those rows, instead of the column being
    refused or read on 0-100.
    """
    if profile is None or profile.low is None or profile.high is None:
        return ScoreScale(1, 5)
    for low, high in RATING_SCALES[:-1]:
        if profile.low >= low and profile.high <= high:
            return ScoreScale(low, high)
    if profile.low_nonneg is not None and profile.high_99 is not None:
        for low, high in RATING_SCALES[:-1]:
            if profile.low_nonneg >= low and profile.high_99 <= high:
                return ScoreScale(low, high)
    return ScoreScale(0, 100)
