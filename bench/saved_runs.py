"""The trial scripts' shared command line (``--models``, ``--sets``, ``--seeds``, ``--from-runs``) and their
"measure, or reload the runs saved last time" step."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bench import lodo_data
from bench.machine import machine_line


def trial_parser(doc: str, seeds: int | None = None) -> argparse.ArgumentParser:
    """``--models``, ``--sets`` (the six labelled sets), ``--seeds`` when ``seeds`` is given, ``--from-runs``."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--models", default="default,minilm")
    parser.add_argument("--sets", default=",".join(lodo_data.SETS))
    if seeds is not None:
        parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--from-runs", action="store_true")
    return parser


def runs_or_saved(csv: Path, from_runs: bool, measure: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The saved runs in ``csv`` when ``from_runs``; else print the machine, measure, save them there."""
    if from_runs:
        return pd.read_csv(csv)
    print(machine_line(), flush=True)
    runs = measure()
    runs.to_csv(csv, index=False, float_format="%.4f")
    return runs
