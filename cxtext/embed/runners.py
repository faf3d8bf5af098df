"""Loaded backends: a :class:`Runner` per backend (sentence-transformers on torch or torch-int8,
onnxruntime, Model2Vec) and the process-wide cache that shares file-backed runners.

:func:`cxtext.embed.backends.load_runner` picks and, when needed, builds first. Imports
:mod:`cxtext.embed.recipes` and ``cxtext.errors``.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cxtext.embed.recipes import MAX_TOKENS
from cxtext.errors import ModelError

if TYPE_CHECKING:
    from cxtext.embed.models import ResolvedModel


@dataclass
class Runner:
    """A loaded backend: ``encode(texts, batch_size)`` -> unit float32 rows."""

    backend: str
    dim: int
    encode_batch: Callable[[list[str], int], np.ndarray]
    source: str


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def st_runner(resolved: ResolvedModel, backend: str, device: str) -> Runner:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolved.path_or_name, device=device, local_files_only=True)
    if backend == "torch-int8":
        import torch

        if device != "cpu":
            raise ModelError('backend="torch-int8" runs on the CPU only: pass device="cpu".')
        with warnings.catch_warnings():  # torch.ao quantized tensors are deprecated upstream
            warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
            warnings.filterwarnings("ignore", message=".*torch.ao.quantization is deprecated.*",
                                    category=DeprecationWarning)
            # in place: a copy would keep the fp32 weights alive too (+1 GB peak)
            torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        return model.encode(texts, batch_size=batch_size, show_progress_bar=False,
                            convert_to_numpy=True, normalize_embeddings=True)

    return Runner(backend, int(getter()), encode, resolved.path_or_name)


def onnx_runner(path: Path, backend: str, tokenizer_json: Path) -> Runner:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(MAX_TOKENS)
    pad_id = tokenizer.token_to_id("<pad>")
    tokenizer.enable_padding(pad_id=pad_id if pad_id is not None else 0,
                             pad_token="<pad>" if pad_id is not None else "[PAD]")
    dim = int(session.get_outputs()[0].shape[-1])

    # Int8 activations are quantized with one scale per call, computed over the
    # whole input: in a batch, a text's vector would depend on its batch-mates
    # (cosine ~0.996 between batchings). One text per call keeps every vector a
    # function of its text alone, and measured as fast here (85 vs 84 texts/s
    # at batch 32 on 2 cores: no padding to compute).
    texts_per_call = 1 if backend == "onnx-int8" else None

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        out = []
        batch_size = texts_per_call or batch_size
        for start in range(0, len(texts), batch_size):
            # sentence-transformers strips each text before tokenizing; do the same
            encs = tokenizer.encode_batch([t.strip() for t in texts[start : start + batch_size]])
            ids = np.asarray([e.ids for e in encs], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in encs], dtype=np.int64)
            out.append(session.run(None, {"input_ids": ids, "attention_mask": mask})[0])
        return _unit(np.concatenate(out)) if out else np.empty((0, dim), np.float32)

    return Runner(backend, dim, encode, str(path))


def m2v_runner(folder: Path) -> Runner:
    try:
        from model2vec import StaticModel
    except ImportError:
        raise ModelError(
            "backend=\"model2vec\" needs the package model2vec: run 'pip install model2vec'."
        ) from None
    model = StaticModel.from_pretrained(str(folder))

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        return _unit(model.encode([t.strip() for t in texts], batch_size=max(batch_size, 1024),
                                  show_progress_bar=False))

    return Runner("model2vec", int(model.dim), encode, str(folder))


# File-backed runners (ONNX sessions, Model2Vec tables) are read-only and safe
# to call from several threads, so one per file serves every analysis in the
# process: the app's concurrent analyses share one session instead of loading
# it again (2.5 s and ~150 MB each). Keyed by the file's path, size and mtime,
# so a rebuilt artefact is loaded afresh. PyTorch runners are not shared.
_SHARED_RUNNERS: dict[tuple, Runner] = {}
_SHARED_LOCK = threading.Lock()
MAX_SHARED_RUNNERS = 4


def shared_runner(path: Path, backend: str, make: Callable[[], Runner]) -> Runner:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, backend)
    with _SHARED_LOCK:  # held while loading, so two analyses starting together load once
        runner = _SHARED_RUNNERS.get(key)
        if runner is None:
            while len(_SHARED_RUNNERS) >= MAX_SHARED_RUNNERS:
                _SHARED_RUNNERS.pop(next(iter(_SHARED_RUNNERS)))  # the oldest
            runner = _SHARED_RUNNERS[key] = make()
        return runner
