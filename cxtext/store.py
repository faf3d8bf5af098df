"""On-disk cache of text embeddings, so a comment is embedded once per model.

Storage is one SQLite file (Python's stdlib ``sqlite3``: no server, nothing to
install). Rows are keyed by ``(model_id, text_hash)`` and hold the vector as
raw little-endian float32 bytes plus its dimension.

Concurrency: the database runs in WAL (write-ahead log) mode, so any number of
processes or threads may read while one writes, and readers never see a half
written batch: every :meth:`EmbeddingCache.put_many` is one transaction.
Writers queue on SQLite's lock (busy timeout 30 s). WAL needs a local disk;
do not put the cache on a network share.

Location: ``$CXTEXT_CACHE_DIR/embeddings.sqlite`` when that variable is set,
else ``platformdirs.user_cache_dir("cxtext")/embeddings.sqlite``. Deleting the
file is always safe; it only costs re-embedding.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from cxtext.errors import InputError, ValidationError

CACHE_FILE = "embeddings.sqlite"
ENV_CACHE_DIR = "CXTEXT_CACHE_DIR"
# SQLite's default limit on "?" parameters was 999 before 3.32; 500 per IN
# query stays far below it on every build.
CHUNK = 500
_BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id   TEXT    NOT NULL,
    text_hash  TEXT    NOT NULL,
    dim        INTEGER NOT NULL,
    vector     BLOB    NOT NULL,
    created_at REAL    NOT NULL DEFAULT (unixepoch('subsec')),
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID
"""
# unixepoch('subsec') needs SQLite >= 3.42; older builds get julianday math.
_SCHEMA_OLD_SQLITE = _SCHEMA.replace("unixepoch('subsec')", "(julianday('now') - 2440587.5) * 86400.0")


def text_hash(text: str) -> str:
    """sha256 hex digest (64 chars) of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_cache_path() -> Path:
    """``$CXTEXT_CACHE_DIR/embeddings.sqlite``, else the per-user cache dir."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser() / CACHE_FILE
    import platformdirs

    return Path(platformdirs.user_cache_dir("cxtext")) / CACHE_FILE


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_wal(path: Path, setup: Callable[[sqlite3.Connection], None] | None = None,
             timeout_s: float = _BUSY_TIMEOUT_S, **connect_args) -> sqlite3.Connection:
    """Open ``path`` in WAL mode and run ``setup`` on it, retrying while another
    process holds the lock.

    Switching to WAL and creating tables can fail at once with "database is
    locked" while another connection opens or checkpoints the same file: SQLite
    does not always call the busy handler there (seen with 8 analyses started at
    once in the app). Those steps are retried for up to ``timeout_s`` seconds.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        conn = sqlite3.connect(path, timeout=timeout_s, **connect_args)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            if setup is not None:
                setup(conn)
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except BaseException:
            conn.close()
            raise


class _CacheFile:
    """One SQLite connection to the cache file, shared by threads under a lock.

    Subclasses give ``_setup`` (their tables), ``_holds`` (what the error
    message says the file holds) and use :meth:`_write` for every write.
    Use as a context manager or call :meth:`close`.
    """

    _what = "cache"
    _holds = "recomputable results"

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._conn = self._connect()

    def _setup(self, conn: sqlite3.Connection) -> None:
        raise NotImplementedError

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we open transactions explicitly in _write
            return open_wal(self.path, self._setup, isolation_level=None, check_same_thread=False)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise InputError(
                f"The {self._what} {self.path} cannot be opened ({exc}). Delete that file "
                f"(it only holds {self._holds}) or set {ENV_CACHE_DIR} to another folder."
            ) from exc

    def close(self) -> None:
        """Close the connection; the instance cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={str(self.path)!r})"

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """Run ``executemany`` inside one IMMEDIATE transaction (all or nothing)."""
        if not rows:
            return
        with self._lock:
            # IMMEDIATE takes the write lock up front, so two writers queue on
            # the busy timeout instead of failing with "database is locked"
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(sql, rows)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")


class EmbeddingCache(_CacheFile):
    """SQLite store of float32 embedding vectors keyed by (model_id, text hash).

    One connection per instance, shared by threads under a lock; open one
    instance per process. Use as a context manager or call :meth:`close`.
    """

    _what = "embedding cache"
    _holds = "recomputable vectors"

    def _setup(self, conn: sqlite3.Connection) -> None:
        # NORMAL is durable to application crashes in WAL mode; a power cut
        # may lose the last batch, which is only recomputed.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(_SCHEMA if sqlite3.sqlite_version_info >= (3, 42) else _SCHEMA_OLD_SQLITE)

    # ---------------------------------------------------------------- reads

    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for ``hashes`` under ``model_id``, as {hash: float32 (dim,)}.

        Hashes not in the cache are simply absent from the result.
        """
        unique = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for chunk in _chunks(unique):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT text_hash, dim, vector FROM embeddings "
                    f"WHERE model_id = ? AND text_hash IN ({marks})",
                    (model_id, *chunk),
                ).fetchall()
                for key, dim, blob in rows:
                    vector = np.frombuffer(blob, dtype="<f4")
                    if vector.size == dim:  # a damaged row counts as a miss
                        found[key] = vector.astype(np.float32, copy=True)
        return found

    def stats(self) -> dict[str, object]:
        """Summary: ``path``, ``entries`` (rows), ``models`` ({model_id: rows}), ``bytes`` on disk."""
        with self._lock:
            per_model = dict(self._conn.execute(
                "SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id ORDER BY model_id"
            ).fetchall())
        size = sum(p.stat().st_size for p in self._db_files())
        return {"path": str(self.path), "entries": sum(per_model.values()),
                "models": per_model, "bytes": size}

    def _db_files(self) -> list[Path]:
        names = (self.path.name, self.path.name + "-wal", self.path.name + "-shm")
        return [self.path.with_name(n) for n in names if self.path.with_name(n).exists()]

    # --------------------------------------------------------------- writes

    def put_many(self, model_id: str, hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store ``vectors[i]`` under ``hashes[i]`` in one transaction; returns rows written.

        ``vectors`` is a (len(hashes), dim) array; it is stored as float32.
        An existing row for the same key is replaced.
        """
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(hashes):
            raise ValidationError(
                f"put_many needs one vector row per hash: got {len(hashes)} hashes and an array "
                f"of shape {vectors.shape}. Pass a 2-D array of shape (len(hashes), dim)."
            )
        data = np.ascontiguousarray(vectors, dtype="<f4")
        dim = int(data.shape[1])
        rows = [(model_id, key, dim, data[i].tobytes()) for i, key in enumerate(hashes)]
        self._write(
            "INSERT OR REPLACE INTO embeddings (model_id, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
            rows,
        )
        return len(rows)

    def clear(self, model_id: str | None = None) -> int:
        """Delete every row (or only ``model_id``'s); returns rows deleted."""
        with self._lock:
            if model_id is None:
                cursor = self._conn.execute("DELETE FROM embeddings")
            else:
                cursor = self._conn.execute("DELETE FROM embeddings WHERE model_id = ?", (model_id,))
            return cursor.rowcount


_LABEL_SCHEMA = """
CREATE TABLE IF NOT EXISTS text_labels (
    namespace  TEXT NOT NULL,
    text_hash  TEXT NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (namespace, text_hash)
) WITHOUT ROWID
"""


class LabelCache(_CacheFile):
    """Short per-text results (a language code) keyed by (namespace, text hash).

    Lives in the embedding cache's SQLite file (table ``text_labels``), so
    one file holds everything recomputable about a text and deleting it
    resets all. ``namespace`` names the producer and its version (e.g.
    ``language:py3langid-0.3.0:r1:all``): a new version is a new namespace,
    so stale labels are never read. Same concurrency rules as
    :class:`EmbeddingCache`.
    """

    def _setup(self, conn: sqlite3.Connection) -> None:
        conn.execute(_LABEL_SCHEMA)

    def get_many(self, namespace: str, hashes: Sequence[str]) -> dict[str, str]:
        """Stored labels for ``hashes`` as {hash: label}; unknown hashes are absent."""
        unique = list(dict.fromkeys(hashes))
        found: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(unique):
                marks = ",".join("?" * len(chunk))
                found.update(self._conn.execute(
                    f"SELECT text_hash, label FROM text_labels WHERE namespace = ? AND text_hash IN ({marks})",
                    (namespace, *chunk),
                ).fetchall())
        return found

    def put_many(self, namespace: str, labels: dict[str, str]) -> int:
        """Store {hash: label} in one transaction; returns rows written."""
        rows = [(namespace, key, str(value)) for key, value in labels.items()]
        self._write("INSERT OR REPLACE INTO text_labels (namespace, text_hash, label) VALUES (?, ?, ?)", rows)
        return len(rows)
