"""Run a benchmark's measurements, or reload the ones it saved (``--from-runs``), for the trial scripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bench.machine import machine_line


def runs_or_saved(csv: Path, from_runs: bool, measure: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The saved runs in ``csv`` when ``from_runs``; else print the machine, measure, save them there."""
    if from_runs:
        return pd.read_csv(csv)
    print(machine_line(), flush=True)
    runs = measure()
    runs.to_csv(csv, index=False, float_format="%.4f")
    return runs
