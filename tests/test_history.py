"""cxtext.history: saved analyses survive a killed process and reopen whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

import cxtext
from cxtext.embed import minilm_dir
from cxtext.history import AnalysisStore, HistoryError, strip_paths

pytestmark = pytest.mark.model

COMMENTS = {
    "refund": ["Still waiting for my refund", "Refund has not arrived after three weeks",
               "Where is my refund money", "They promised a refund and never paid",
               "My refund is late again", "No refund yet for the returned item"],
    "crash": ["The app crashes when I open it", "App keeps crashing after the update",
              "The app freezes and closes", "Crashes every time I try to pay in the app",
              "The mobile app crashed twice today", "App crash on login screen"],
}


@pytest.fixture(scope="module")
def dump() -> pd.DataFrame:
    rows = [{"id": f"{theme}-{i}", "comment": text, "nps": (2 if theme == "refund" else 8) + i % 2}
            for theme, texts in COMMENTS.items() for i, text in enumerate(texts)]
    rows.append({"id": "bad", "comment": "fine", "nps": "eleven"})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def analysis(dump, tmp_path_factory):
    # a local model folder given by absolute path: it must not leak into the store
    cache = tmp_path_factory.mktemp("cache") / "embeddings.sqlite"
    return cxtext.analyze(dump, model=str(minilm_dir()), min_theme_size=3, cache_path=cache)


def test_round_trip_reopens_the_whole_analysis(analysis, tmp_path):
    store = AnalysisStore(tmp_path / "analyses.sqlite")
    first = store.save(analysis, name="March survey")
    listed = store.list()
    assert listed["id"].tolist() == [first]
    assert listed.loc[0, "name"] == "March survey" and listed.loc[0, "rows_in"] == 13
    assert listed.loc[0, "theme_count"] == analysis.summary["theme_count"]

    reopened = store.load(first)
    pd.testing.assert_frame_equal(reopened.records, analysis.records.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(reopened.drivers, analysis.drivers.reset_index(drop=True), check_dtype=False)
    assert reopened.themes["label"].tolist() == analysis.themes["label"].tolist()
    assert np.array_equal(reopened.embeddings, analysis.embeddings, equal_nan=True)
    assert reopened.summary["rows_rejected"] == 1
    assert reopened.ces_scale == analysis.ces_scale
    # still editable without re-embedding, and the edit can be saved as a new analysis
    theme = int(reopened.themes["theme_id"].iloc[0])
    renamed = reopened.rename_theme(theme, "Refund delays")
    assert "Refund delays" in renamed.drivers["label"].tolist()
    second = store.save(renamed)
    assert store.list()["id"].tolist() == [second, first]
    assert store.load(second).summary["edits"][0]["op"] == "rename"
    assert store.delete(first) and not store.delete(first)
    with pytest.raises(HistoryError, match="No saved analysis"):
        store.load(first)


def test_no_absolute_path_is_stored(analysis, tmp_path):
    folder = str(minilm_dir())
    assert folder in str(analysis.summary) or folder in str(analysis.config.params)  # the input did carry it
    store = AnalysisStore(tmp_path / "analyses.sqlite")
    store.save(analysis)
    for name in os.listdir(tmp_path):
        assert folder.encode() not in (tmp_path / name).read_bytes(), name
    assert strip_paths({"a": ["/home/u/x.csv", "C:\\Users\\u\\m", "rel/ok"]}) == {"a": ["x.csv", "m", "rel/ok"]}


def test_killed_save_leaves_earlier_analyses_intact(analysis, tmp_path):
    """Kill -9 a process that keeps saving; every analysis listed afterwards opens."""
    seed_store = AnalysisStore(tmp_path / "seed.sqlite")
    seed_id = seed_store.save(analysis)
    target = tmp_path / "analyses.sqlite"
    script = textwrap.dedent(f"""
        from cxtext.history import AnalysisStore
        analysis = AnalysisStore({str(seed_store.path)!r}).load({seed_id!r})
        store = AnalysisStore({str(target)!r})
        while True:
            store.save(analysis)
    """)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        before = len(AnalysisStore(target).list()) if target.exists() else 0
        while time.monotonic() < deadline:
            if target.exists() and len(AnalysisStore(target).list()) >= before + 2:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        time.sleep(np.random.default_rng(len(str(target))).uniform(0.0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    store = AnalysisStore(target)
    saved = store.list()
    assert len(saved) >= 6
    for analysis_id in saved["id"]:
        reopened = store.load(analysis_id)
        assert len(reopened.records) == len(analysis.records)
