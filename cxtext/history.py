"""Past analyses, kept in one SQLite file so they can be listed and reopened.

:class:`AnalysisStore` saves an :class:`~cxtext.analysis.Analysis` whole
(mapping and parameters via the summary and pipeline config, the records
with their theme assignments, themes, drivers, the fitted theme model with
its edits, and the embeddings, so a reopened analysis can still be edited
without embedding again) and loads it back.

Why SQLite, beside the embedding cache: it ships with Python, needs no
server and gives atomic transactions. Each :meth:`AnalysisStore.save` is one
transaction: a process killed in the middle of a save leaves the file as it
was before (the half-written analysis simply does not exist), and every
earlier analysis stays readable. The file runs in WAL mode, so the app can
list analyses while another session saves one.

Stored text never holds an absolute path of the user's machine: any string
in the summary, the parameters or the theme model that is an absolute path
(a local model folder, for instance) is stored as its last component.

Tables (documented for anyone who opens the file with the sqlite3 tool):

* ``analyses``: one row per analysis: ``id`` (text), ``name``,
  ``created_utc`` (ISO 8601), ``input_name`` (file name only), ``rows_in``,
  ``rows_analyzed``, ``theme_count``, ``nps`` (NPS points, -100..100, NULL
  without scores), ``cxtext_version``, ``summary`` / ``config`` / ``extra``
  (JSON).
* ``parts``: ``(analysis_id, part, data)``: ``records``, ``themes``,
  ``drivers`` as Parquet bytes; ``embeddings`` as ``.npy`` bytes;
  ``theme_model/model.json`` and ``theme_model/centroids.npy``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sqlite3
import tempfile
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import CxtextError
from cxtext.store import open_wal

__all__ = ["AnalysisStore", "HistoryError", "default_store_path"]

STORE_FILE = "analyses.sqlite"
ENV_DATA_DIR = "CXTEXT_DATA_DIR"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    input_name TEXT,
    rows_in INTEGER,
    rows_analyzed INTEGER,
    theme_count INTEGER,
    nps REAL,
    cxtext_version TEXT,
    summary TEXT NOT NULL,
    config TEXT NOT NULL,
    extra TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    analysis_id TEXT NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (analysis_id, part)
);
"""


def _setup_store(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(_SCHEMA)


LIST_COLUMNS = ["id", "name", "created_utc", "input_name", "rows_in", "rows_analyzed", "theme_count", "nps"]
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")


class HistoryError(CxtextError):
    """A saved analysis is missing or cannot be read."""


def default_store_path() -> Path:
    """``$CXTEXT_DATA_DIR/analyses.sqlite``, else the per-user data dir."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser() / STORE_FILE
    import platformdirs

    return Path(platformdirs.user_data_dir("cxtext")) / STORE_FILE


def strip_paths(value: Any) -> Any:
    """``value`` with every absolute-path string replaced by its last component."""
    if isinstance(value, dict):
        return {key: strip_paths(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [strip_paths(item) for item in value]
    if isinstance(value, str):
        if value.startswith("/") and len(value) > 1:
            return PurePosixPath(value).name
        if _WINDOWS_ABSOLUTE.match(value) or value.startswith("\\\\"):
            return PureWindowsPath(value).name
        if value.startswith("~/"):
            return PurePosixPath(value).name
    return value


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


class AnalysisStore:
    """Save, list, reopen and delete analyses in one SQLite file.

    ``path``: the database file (created with its folder when missing);
    default :func:`default_store_path`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    def __repr__(self) -> str:
        return f"AnalysisStore({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = open_wal(self.path, _setup_store)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(
                f"Cannot open the analysis store {str(self.path)!r} ({exc}). Check that the folder is "
                f"writable, or set {ENV_DATA_DIR} to another folder."
            ) from exc
        return conn

    # ------------------------------------------------------------------ save
    def save(self, analysis, name: str | None = None) -> str:
        """Store ``analysis`` in one transaction; returns its new id."""
        analysis_id = uuid.uuid4().hex[:12]
        summary = strip_paths(analysis.summary)
        input_name = (summary.get("input") or {}).get("name")
        nps = (summary.get("nps") or {}).get("nps")
        config = analysis.config
        config_json = {"name": config.name, "stages": list(config.stages),
                       "params": strip_paths(config.params), "description": config.description}
        scale = analysis.ces_scale
        extra = {
            "ces_scale": None if scale is None else {"low": scale.low, "high": scale.high, "good_end": scale.good_end},
            "timings": dict(analysis.timings),
        }
        parts: list[tuple[str, bytes]] = [
            ("records", _parquet(analysis.records)),
            ("themes", _parquet(analysis.themes)),
            ("drivers", _parquet(analysis.drivers)),
        ]
        if analysis.embeddings is not None:
            parts.append(("embeddings", _npy(np.asarray(analysis.embeddings, dtype=np.float32))))
        if analysis.theme_model is not None:
            parts += self._theme_model_parts(analysis.theme_model)
        row = (analysis_id, name or input_name or "analysis", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               input_name, summary.get("rows_in"), summary.get("rows_analyzed"), summary.get("theme_count"),
               nps, summary.get("cxtext_version"), json.dumps(summary, ensure_ascii=False, default=str),
               json.dumps(config_json, ensure_ascii=False, default=str), json.dumps(extra))
        conn = self._connect()
        try:
            with conn:  # one transaction: all of it or nothing
                conn.execute("INSERT INTO analyses VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)
                conn.executemany("INSERT INTO parts VALUES (?,?,?)",
                                 [(analysis_id, part, sqlite3.Binary(data)) for part, data in parts])
        except sqlite3.Error as exc:
            raise HistoryError(f"Could not save the analysis to {str(self.path)!r} ({exc}); nothing was "
                               "stored. Check free disk space and try again.") from exc
        finally:
            conn.close()
        return analysis_id

    @staticmethod
    def _theme_model_parts(model) -> list[tuple[str, bytes]]:
        with tempfile.TemporaryDirectory() as folder:
            model.save(folder)
            meta = json.loads((Path(folder) / "model.json").read_text(encoding="utf-8"))
            centroids = (Path(folder) / "centroids.npy").read_bytes()
        meta = strip_paths(meta)
        return [("theme_model/model.json", json.dumps(meta, ensure_ascii=False).encode("utf-8")),
                ("theme_model/centroids.npy", centroids)]

    # ------------------------------------------------------------ list/load
    def list(self) -> pd.DataFrame:
        """One row per stored analysis, newest first (columns ``LIST_COLUMNS``)."""
        conn = self._connect()
        try:
            rows = conn.execute(f"SELECT {', '.join(LIST_COLUMNS)} FROM analyses "
                                "ORDER BY created_utc DESC, rowid DESC").fetchall()
        finally:
            conn.close()
        return pd.DataFrame(rows, columns=LIST_COLUMNS)

    def load(self, analysis_id: str):
        """The stored analysis ``analysis_id`` as an :class:`~cxtext.analysis.Analysis`."""
        from cxtext.analysis import Analysis
        from cxtext.pipeline import PipelineConfig
        from cxtext.schema import ScoreScale
        from cxtext.themes import ThemeModel

        conn = self._connect()
        try:
            head = conn.execute("SELECT summary, config, extra FROM analyses WHERE id = ?", (analysis_id,)).fetchone()
            parts = dict(conn.execute("SELECT part, data FROM parts WHERE analysis_id = ?", (analysis_id,)).fetchall())
        finally:
            conn.close()
        if head is None:
            known = ", ".join(self.list()["id"].head(10)) or "none yet"
            raise HistoryError(f"No saved analysis {analysis_id!r} in {str(self.path)!r}. Saved ids: {known}.")
        try:
            summary, config_json, extra = (json.loads(text) for text in head)
            config = PipelineConfig(config_json["name"], tuple(config_json["stages"]), config_json["params"],
                                    config_json.get("description", ""))
            frames = {key: pd.read_parquet(io.BytesIO(parts[key])) for key in ("records", "themes", "drivers")}
            embeddings = np.load(io.BytesIO(parts["embeddings"]), allow_pickle=False) if "embeddings" in parts else None
            model = None
            if "theme_model/model.json" in parts:
                with tempfile.TemporaryDirectory() as folder:
                    (Path(folder) / "model.json").write_bytes(parts["theme_model/model.json"])
                    (Path(folder) / "centroids.npy").write_bytes(parts["theme_model/centroids.npy"])
                    model = ThemeModel.load(folder)
            scale = extra.get("ces_scale")
        except (KeyError, ValueError, OSError) as exc:
            raise HistoryError(f"Saved analysis {analysis_id!r} in {str(self.path)!r} is damaged ({exc!r}); "
                               "delete it and run the analysis again.") from exc
        return Analysis(summary, frames["records"], frames["themes"], frames["drivers"], config, model, embeddings,
                        ScoreScale(**scale) if scale else None, extra.get("timings", {}))

    def delete(self, analysis_id: str) -> bool:
        """Remove one analysis; True when it existed."""
        conn = self._connect()
        try:
            with conn:
                conn.execute("DELETE FROM parts WHERE analysis_id = ?", (analysis_id,))
                deleted = conn.execute("DELETE FROM analyses WHERE id = ?", (analysis_id,)).rowcount
        finally:
            conn.close()
        return bool(deleted)
