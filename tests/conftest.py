"""Shared test set-up: offline model loading, and a small real comment frame."""

from __future__ import annotations

import os

import pandas as pd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Keep every test's embedding cache and analysis history out of the user's real folders."""
    monkeypatch.setenv("CXTEXT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("CXTEXT_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))


@pytest.fixture
def survey_frame() -> pd.DataFrame:
    """Eight rows in three languages, with the messy values a real export has."""
    return pd.DataFrame({
        "Response ID": ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"],
        "Comment": [
            "The app crashes every time I open it",
            "التطبيق يتوقف عن العمل بعد التحديث",
            "Am fost taxat de două ori luna asta",
            "   ",
            "Great support, thank you",
            "n/a",
            "Refund still not received after a month",
            "Waited 40 minutes on the phone",
        ],
        "NPS": ["3", "2", "1 - not likely", "8", "10", "7", "11", ""],
        "Date": ["2026-09-01", "2026-09-02", "03/09/2026", "2026-09-04", "not a date", "2026-09-06",
                 "2026-09-07", "2026-09-08"],
    })
