"""Embedders: :class:`SentenceTransformerEmbedder` (offline, any backend of :mod:`cxtext.embed.backends`) and
:class:`CachedEmbedder` (each distinct text embedded once per model, vectors in the SQLite cache).

Every embedder returns float32 rows of unit L2 norm, one per input text, in input order.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cxtext.embed.models import MODEL_CHOICES, Embedder, Progress, ResolvedModel, resolve_model
from cxtext.errors import InputError, ModelError
from cxtext.store import text_hash

if TYPE_CHECKING:
    from cxtext.store import EmbeddingCache


# --------------------------------------------------------------- embedders


def _check_texts(texts: Sequence[str]) -> list[str]:
    """Texts as a list of str, or InputError naming the first bad item."""
    items = list(texts) if not isinstance(texts, str) else None
    if items is None:
        raise InputError("encode() takes a list of texts, got a single string. Wrap it: [text].")
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise InputError(
                f"Every text must be a string; item {i} is {type(text).__name__} ({text!r}). "
                "Replace missing comments with '' before embedding."
            )
    return items


class SentenceTransformerEmbedder:
    """Embeds texts with a sentence-transformers model, offline, on ``device``.

    Parameters are only stored here (scikit-learn style); the model loads on
    the first :meth:`encode` (importing sentence-transformers takes ~9 s; the
    ONNX backends do not import it).
    ``batch_size`` is in texts.

    ``backend`` picks how the same model is run (see :mod:`cxtext.embed.backends`
    and bench/results/embedding.md): ``"auto"`` (default: ``"onnx-int8"``
    for the bundled default model, ``"torch"`` for any other), ``"torch"``
    (float32, the reference), ``"torch-int8"`` (Linear layers quantized to int8 on load),
    ``"onnx"`` / ``"onnx-int8"`` (onnxruntime, float32 / int8) or
    ``"model2vec"`` (static distillation: far faster, clearly less accurate,
    weak across languages). The ONNX and Model2Vec backends need a file built
    once from the model folder; it is built on first use with a message on
    stderr, or ahead with ``python -m cxtext.embed.backends build BACKEND``. The
    backend is part of :attr:`model_id`, so cached vectors never mix.
    """

    def __init__(self, model: str = "default", batch_size: int = 32, device: str = "cpu",
                 backend: str = "auto") -> None:
        from cxtext.embed.recipes import check_backend

        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.backend = check_backend(backend)
        self._loaded: Any = None
        self._resolved: ResolvedModel | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        backend = "" if self.backend == "auto" else f", backend={self.backend!r}"
        return (f"SentenceTransformerEmbedder(model={self.model!r}, "
                f"batch_size={self.batch_size}, device={self.device!r}{backend})")

    @property
    def model_id(self) -> str:
        """Cache key of the model and backend; never triggers a build or a load.

        The model's own id when it runs on ``"torch"``; ``<id>+<backend>-<recipe>`` otherwise
        (``"auto"`` is resolved first: ``...+onnx-int8-r3`` for the default model).
        """
        from cxtext.embed.recipes import backend_model_id, resolve_backend

        base = self._resolved or resolve_model(self.model, build_missing=False)
        return backend_model_id(base.model_id, resolve_backend(base, self.backend))

    @property
    def prefix(self) -> str:
        """Text prepended before embedding ("query: " for e5 models; none for "model2vec")."""
        from cxtext.embed.recipes import backend_prefix

        return backend_prefix((self._resolved or resolve_model(self.model, build_missing=False)).prefix,
                              self.backend)

    def _load(self) -> tuple[Any, ResolvedModel]:
        """Load the model once (thread-safe); wrap any failure in ModelError.

        Returns the backend's :class:`~cxtext.embed.backends.Runner` and the resolved model.
        """
        with self._lock:
            if self._loaded is None:
                resolved = resolve_model(self.model)
                from cxtext.embed.backends import load_runner

                try:
                    self._loaded = load_runner(resolved, self.backend, self.device)
                except ModelError:
                    raise
                except Exception as exc:  # many libraries, many exception types
                    raise ModelError(
                        f"Cannot load embedding model {self.model!r} (backend {self.backend!r}) from "
                        f"{resolved.path_or_name} ({type(exc).__name__}: {exc}). Nothing is downloaded "
                        f"at run time: pass {MODEL_CHOICES}."
                    ) from exc
                self._resolved = resolved
        assert self._resolved is not None
        return self._loaded, self._resolved

    @property
    def dim(self) -> int:
        """Vector length; loads the model (384 for the default, 256 with "model2vec")."""
        runner, _ = self._load()
        return runner.dim

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Float32 (len(texts), dim), unit rows, input order; progress after each batch.

        Texts are sorted by length before batching so each batch pads little
        (2-3x faster on mixed-length comments), then put back in order.
        """
        items = _check_texts(texts)
        runner, _ = self._load()
        total = len(items)
        out = np.empty((total, runner.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in items], kind="stable")
        prefix = self.prefix
        step = max(1, int(self.batch_size))
        for start in range(0, total, step):
            idx = order[start : start + step]
            out[idx] = runner.encode_batch([prefix + items[i] for i in idx], step)
            if progress is not None:
                progress(min(start + step, total), total)
        return out


class CachedEmbedder:
    """Wraps an :class:`Embedder` with an :class:`~cxtext.store.EmbeddingCache`.

    Looks texts up by ``(embedder.model_id, sha256(text))``, embeds only the
    distinct texts not found, stores them, and returns the full matrix.
    After each :meth:`encode`: ``last_hits_`` = rows served from the cache,
    ``last_misses_`` = rows that were not (``hits + misses == len(texts)``),
    ``last_embedded_`` = distinct texts actually embedded. New vectors are
    written every ``flush_every`` distinct texts, so an interrupted run
    resumes from the cache.
    """

    def __init__(self, embedder: Embedder, cache: "EmbeddingCache", flush_every: int = 512) -> None:
        self.embedder = embedder
        self.cache = cache
        self.flush_every = max(1, int(flush_every))
        self.last_hits_ = 0
        self.last_misses_ = 0
        self.last_embedded_ = 0

    def __repr__(self) -> str:
        return f"CachedEmbedder(embedder={self.embedder!r}, cache={self.cache!r})"

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Same contract as :meth:`Embedder.encode`; progress counts all rows."""
        items = _check_texts(texts)
        if not items:
            return self.embedder.encode([], progress)
        model_id = self.embedder.model_id
        hashes = [text_hash(t) for t in items]
        found = self.cache.get_many(model_id, hashes)
        # one text per distinct missing hash, in first-seen order
        missing: dict[str, str] = {}
        for key, text in zip(hashes, items):
            if key not in found and key not in missing:
                missing[key] = text
        total = len(items)
        hit_rows = sum(key in found for key in hashes)
        if progress is not None:
            progress(hit_rows, total)
        if missing:
            keys, texts_to_embed = list(missing), list(missing.values())
            done_rows = hit_rows
            # stored chunk by chunk, so a run killed mid-way keeps what it embedded
            for start in range(0, len(keys), self.flush_every):
                chunk_keys = keys[start : start + self.flush_every]
                new = self._embed_missing(texts_to_embed[start : start + self.flush_every], done_rows, total,
                                          progress, len(texts_to_embed) - start)
                self.cache.put_many(model_id, chunk_keys, new)
                found.update(zip(chunk_keys, new))
                # advance by the rows this chunk stood for (duplicates included), as its progress did,
                # so the next chunk starts where this one ended and the bar never goes back
                left = len(texts_to_embed) - start
                done_rows += int((total - done_rows) * len(chunk_keys) / max(left, 1))
        out = np.stack([found[key] for key in hashes]).astype(np.float32, copy=False)
        self.last_hits_, self.last_misses_, self.last_embedded_ = hit_rows, total - hit_rows, len(missing)
        return out

    def _embed_missing(self, texts: list[str], done_rows: int, total: int,
                       progress: Progress | None, distinct_left: int) -> np.ndarray:
        """Embed one chunk of the distinct misses, mapping its progress onto all rows.

        Rows still to do are shared out over the distinct texts left, so the
        bar reaches ``total`` when the last chunk finishes.
        """
        rows_left = total - done_rows
        share = len(texts) / max(distinct_left, 1)

        def inner(done: int, n: int) -> None:
            if progress is not None:
                progress(done_rows + int(rows_left * share * done / max(n, 1)), total)

        return np.asarray(self.embedder.encode(texts, inner), dtype=np.float32)
