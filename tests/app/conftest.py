"""Fixtures of the app tests."""

from __future__ import annotations

import pandas as pd
import pytest
from feedback_data import feedback_frame


@pytest.fixture(scope="session")
def small_frame() -> pd.DataFrame:
    """56 rows: 3 x 14 complaints, 10 praise, 4 edge cases (empty, invalid score, n/a, HTML)."""
    return feedback_frame()
