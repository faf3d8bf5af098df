"""EmbeddingCache: a real SQLite file in a temp folder, real vectors."""

from __future__ import annotations

import hashlib
import sqlite3
import threading

import numpy as np
import pytest

from cxtext.errors import InputError, ValidationError
from cxtext.store import CACHE_FILE, EmbeddingCache, default_cache_path, text_hash

MODEL = "test-model/v1"


def unit_rows(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture()
def cache(tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as opened:
        yield opened


def test_text_hash_is_sha256_of_utf8():
    assert text_hash("hello") == hashlib.sha256(b"hello").hexdigest()
    assert text_hash("مرحبا ă") == hashlib.sha256("مرحبا ă".encode("utf-8")).hexdigest()
    assert len(text_hash("")) == 64


def test_round_trip_keeps_float32_bits(cache):
    texts = ["late delivery", "rude agent", "app crashes"]
    hashes = [text_hash(t) for t in texts]
    vectors = unit_rows(3)
    assert cache.put_many(MODEL, hashes, vectors) == 3
    got = cache.get_many(MODEL, hashes)
    assert set(got) == set(hashes)
    for key, row in zip(hashes, vectors):
        assert got[key].dtype == np.float32
        assert np.array_equal(got[key], row)


def test_missing_keys_and_other_models_are_absent(cache):
    cache.put_many(MODEL, ["a"], unit_rows(1))
    assert cache.get_many(MODEL, ["a", "b"]).keys() == {"a"}
    assert cache.get_many("other-model", ["a"]) == {}


def test_more_keys_than_one_in_query_chunk(cache):
    hashes = [text_hash(f"comment {i}") for i in range(1234)]
    vectors = unit_rows(1234, dim=4)
    cache.put_many(MODEL, hashes, vectors)
    got = cache.get_many(MODEL, hashes + ["absent"])
    assert len(got) == 1234
    assert np.array_equal(np.stack([got[h] for h in hashes]), vectors)


def test_put_replaces_existing_row(cache):
    cache.put_many(MODEL, ["a"], unit_rows(1, seed=1))
    newer = unit_rows(1, seed=2)
    cache.put_many(MODEL, ["a"], newer)
    assert np.array_equal(cache.get_many(MODEL, ["a"])["a"], newer[0])
    assert cache.stats()["entries"] == 1


def test_shape_mismatch_is_rejected(cache):
    with pytest.raises(ValidationError, match="one vector row per hash"):
        cache.put_many(MODEL, ["a", "b"], unit_rows(3))
    with pytest.raises(ValidationError):
        cache.put_many(MODEL, ["a"], np.ones(8, dtype=np.float32))


def test_failed_batch_writes_nothing(cache):
    # the second row breaks the NOT NULL key: the whole transaction rolls back
    with pytest.raises(sqlite3.IntegrityError):
        cache.put_many(MODEL, ["a", None], unit_rows(2))  # type: ignore[list-item]
    assert cache.get_many(MODEL, ["a"]) == {}
    cache.put_many(MODEL, ["a"], unit_rows(1))  # the connection is still usable
    assert cache.stats()["entries"] == 1


def test_stats_and_clear(cache):
    cache.put_many(MODEL, ["a", "b"], unit_rows(2))
    cache.put_many("other", ["a"], unit_rows(1))
    stats = cache.stats()
    assert stats["entries"] == 3
    assert stats["models"] == {MODEL: 2, "other": 1}
    assert stats["bytes"] > 0 and stats["path"] == str(cache.path)
    assert cache.clear("other") == 1
    assert cache.clear() == 2
    assert cache.stats()["entries"] == 0


def test_wal_mode_and_second_reader_sees_commits(tmp_path):
    path = tmp_path / "shared.sqlite"
    with EmbeddingCache(path) as writer, EmbeddingCache(path) as reader:
        mode = writer._conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        writer.put_many(MODEL, ["a"], unit_rows(1))
        assert reader.get_many(MODEL, ["a"]).keys() == {"a"}


def test_threads_share_one_instance(cache):
    def work(start: int) -> None:
        keys = [f"{start}-{i}" for i in range(50)]
        cache.put_many(MODEL, keys, unit_rows(50, seed=start))
        assert len(cache.get_many(MODEL, keys)) == 50

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.stats()["entries"] == 200


def test_default_path_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_CACHE_DIR", str(tmp_path / "cx"))
    assert default_cache_path() == tmp_path / "cx" / CACHE_FILE
    with EmbeddingCache() as opened:
        assert opened.path == tmp_path / "cx" / CACHE_FILE
        assert opened.path.is_file()


def test_unreadable_file_gives_input_error(tmp_path):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="Delete that file"):
        EmbeddingCache(bad)


def _open_and_write(path: str, worker: int) -> int:
    cache = EmbeddingCache(path)
    try:
        return cache.put_many("m", [f"{worker}-{i}" for i in range(20)], np.full((20, 4), worker, np.float32))
    finally:
        cache.close()


def test_many_processes_open_one_new_cache_at_once(tmp_path):
    # the app starts several analyses at once: each opens the cache (WAL switch, schema) and writes
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "shared.sqlite")
    with ProcessPoolExecutor(max_workers=8) as pool:
        written = list(pool.map(_open_and_write, [path] * 16, range(16)))
    assert written == [20] * 16
    cache = EmbeddingCache(path)
    assert cache.stats()["entries"] == 16 * 20
    assert cache.get_many("m", ["15-19"])["15-19"][0] == 15


def test_label_cache_round_trip_namespaces_and_shared_file(tmp_path):
    from cxtext.store import EmbeddingCache, LabelCache

    path = tmp_path / "cache.sqlite"
    with EmbeddingCache(path) as vectors:
        vectors.put_many("m", ["h1"], np.ones((1, 3), dtype=np.float32))
    with LabelCache(path) as labels:
        assert labels.put_many("language:r1", {"h1": "en", "h2": "ar"}) == 2
        assert labels.put_many("language:r1", {}) == 0
        assert labels.get_many("language:r1", ["h1", "h2", "h3", "h1"]) == {"h1": "en", "h2": "ar"}
        assert labels.get_many("language:r2", ["h1"]) == {}
        labels.put_many("language:r1", {"h1": "ro"})  # replaced, not duplicated
        assert labels.get_many("language:r1", ["h1"]) == {"h1": "ro"}
    with EmbeddingCache(path) as vectors:  # the embeddings in the same file are untouched
        assert set(vectors.get_many("m", ["h1"])) == {"h1"}
