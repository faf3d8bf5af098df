"""Loaded backends: a :class:`Runner` per backend (sentence-transformers on torch or torch-int8,
onnxruntime, Model2Vec) and the process-wide cache that shares file-backed runners.

:func:`cxtext.embed.backends.load_runner` picks and, when needed, builds first. Imports
:mod:`cxtext.embed.recipes` and ``cxtext.errors``.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cxtext.embed.recipes import MAX_TOKENS
from cxtext.embed.static_int8 import TOKEN_OUTPUT
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


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    """:func:`_unit` one row at a time, so a row's rounding does not depend on the others."""
    return np.stack([v / max(float(np.linalg.norm(v)), 1e-12) for v in vectors]).astype(np.float32) \
        if len(vectors) else vectors


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


# Padded lengths are rounded up to a multiple of this many tokens, so a text's padded
# length (and so every shape its arithmetic sees) is a function of the text alone, not of
# its batch-mates: with static int8 the vectors are then bitwise the same in any batch
# (tests/embed/test_batch_independence.py). 8 wastes ~3.5 tokens per text (~11% at the
# benchmark comments' mean of 31 tokens). This is the multiple on CPUs with int8 dot-product
# instructions; without them padding costs more than batching saves (int8_pad_multiple).
PAD_MULTIPLE = 8
# ORT's fused SkipLayerNormalization kernel measured ~3x slower than LayerNormalization plus
# Add on this VNNI machine (60 vs ~20 ms of a 170-270 ms batch of 32x32 tokens, int8 and fp32
# alike), so that one fusion is switched off.
_DISABLED_FUSIONS = ["SkipLayerNormFusion"]


@functools.lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """This CPU's feature flags from /proc/cpuinfo (empty where there is none), read once per process."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            line = next((ln for ln in stream if ln.startswith("flags")), "")
    except OSError:
        line = ""
    return frozenset(line.split(":", 1)[-1].split())


def has_int8_dot(flags: set[str] | None = None) -> bool:
    """Whether the CPU has int8 dot-product instructions (AVX-512 VNNI, AVX-VNNI, AMX)."""
    return bool((cpu_flags() if flags is None else flags) & {"avx512_vnni", "avx_vnni", "amx_int8"})


def int8_texts_per_call(flags: set[str] | None = None) -> int:
    """Texts per onnxruntime call for the static int8 backend on this CPU (from /proc/cpuinfo flags).

    Only speed depends on it, never a vector (see :data:`PAD_MULTIPLE`). With int8 dot-product
    instructions (AVX-512 VNNI, AVX-VNNI, AMX) 32 texts per call measured 2-3x one per call
    (bench/results/int8_batching.md): one short text leaves the kernels idle between ~200 small
    operator calls. Without them (AVX2) batching was measured neutral for the old dynamic int8
    (85 vs 84 texts/s) and static scales only remove per-call work, so 32 as well: a CPU kind
    that measures otherwise gets its own entry here.
    """
    return _TEXTS_PER_CALL[has_int8_dot(flags)]


# texts per call by "has int8 dot-product instructions"
_TEXTS_PER_CALL = {True: 32, False: 32}


def int8_pad_multiple(flags: set[str] | None = None) -> int:
    """Token multiple the static int8 backend pads each text to on this CPU (speed only).

    Padding to a multiple of 8 lets texts of nearby lengths share a call, which pays with int8
    dot-product instructions (2.65x one text per call, bench/results/int8_batching.md). Without
    them (AVX2) the padded rows cost more than batching saves: counted under valgrind's AVX2 CPU
    (bench/results/avx2_emulated.md), padding to 8 did 1.07x (e5) and 1.23x (MiniLM) the
    instructions per text of the previous one-text-per-call default, padding to 1 (each call
    holds texts of one length) 0.99x and 0.94x. The vectors are bitwise the same either way
    (tests/embed/test_batch_independence.py), so the choice changes no result.
    """
    return _PAD_MULTIPLE_BY_INT8_DOT[has_int8_dot(flags)]


_PAD_MULTIPLE_BY_INT8_DOT = {True: PAD_MULTIPLE, False: 1}


def bucket_batches(lengths: list[int], batch_size: int,
                   pad_multiple: int = PAD_MULTIPLE) -> list[tuple[np.ndarray, int]]:
    """(indices, padded length) per call: texts sorted by token count, grouped by their padded
    length (a multiple of ``pad_multiple`` tokens), at most ``batch_size`` per group."""
    lengths_arr = np.asarray(lengths, dtype=np.int64)
    padded = np.minimum(-(-lengths_arr // pad_multiple) * pad_multiple, MAX_TOKENS)
    order = np.argsort(lengths_arr, kind="stable")
    batches = []
    start = 0
    while start < len(order):
        width = int(padded[order[start]])
        stop = start
        while stop < len(order) and stop - start < batch_size and padded[order[stop]] == width:
            stop += 1
        batches.append((order[start:stop], width))
        start = stop
    return batches


def onnx_runner(path: Path, backend: str, tokenizer_json: Path, texts_per_call: int | None = None,
                pad_multiple: int | None = None) -> Runner:
    """onnxruntime on ``path``; ``texts_per_call`` and ``pad_multiple`` override the int8 batch size
    and padding chosen for this CPU (benchmarks, tests)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"],
                                   disabled_optimizers=_DISABLED_FUSIONS)
    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()  # some tokenizer.json files pad every text (MiniLM's to 128): padding is done here
    pad_id = tokenizer.token_to_id("<pad>")
    pad_id = pad_id if pad_id is not None else (tokenizer.token_to_id("[PAD]") or 0)
    dim = int(session.get_outputs()[0].shape[-1])
    # Static int8 activations have fixed scales, so batching changes no vector; the
    # batch size is then a speed choice for this CPU. Float32 keeps the caller's.
    fixed_batch = texts_per_call or (int8_texts_per_call() if backend == "onnx-int8" else None)
    pad = pad_multiple or (int8_pad_multiple() if backend == "onnx-int8" else PAD_MULTIPLE)
    # The static int8 file also outputs the token vectors; pooling them here row by row
    # keeps vectors bitwise batch-independent (onnxruntime's pooling sums round with the batch).
    pool_here = any(o.name == TOKEN_OUTPUT for o in session.get_outputs())

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        # sentence-transformers strips each text before tokenizing; do the same
        encs = tokenizer.encode_batch([t.strip() for t in texts])
        out = np.empty((len(texts), dim), np.float32)
        for idx, width in bucket_batches([len(e.ids) for e in encs], fixed_batch or batch_size, pad):
            ids = np.full((len(idx), width), pad_id, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if pool_here:
                tokens = session.run([TOKEN_OUTPUT], feed)[0]
                for row, i in enumerate(idx):  # one row at a time: the same sums in any batch
                    out[i] = tokens[row, : len(encs[i].ids)].sum(axis=0) / np.float32(len(encs[i].ids))
            else:
                out[idx] = session.run(None, feed)[0]
        return _unit_rows(out) if pool_here else _unit(out)

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
