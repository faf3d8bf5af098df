"""How the ONNX and Model2Vec artefacts are made from a model folder: ONNX export (transformer + mean
pooling + L2), static int8 quantization, Model2Vec distillation. Where they live, whether they are
current and the safe build around these steps are in :mod:`cxtext.embed.artefacts`. Imports
:mod:`cxtext.embed.recipes`, :mod:`cxtext.embed.static_int8` and ``cxtext.errors``; torch,
transformers, onnx and model2vec only inside the functions.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from cxtext.embed.recipes import MAX_TOKENS, ONNX_OPSET
from cxtext.errors import ModelError

__all__ = ["M2V_PCA_DIMS", "M2V_SEED", "distill_m2v", "export_onnx", "quantize_onnx"]

# Distillation settings (part of recipe "r1" of model2vec).
M2V_PCA_DIMS = 256
M2V_SEED = 0


def _need(module: str, package: str, backend: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelError(
            f'Building the "{backend}" backend needs the package {package}: run '
            f"'pip install {package}', or use backend=\"torch\" or \"torch-int8\", which need nothing extra."
        ) from None


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


def export_onnx(base: Path, out: Path) -> str:
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


def quantize_onnx(src: Path, out: Path, prefix: str) -> str:
    """Static int8 quantization of ``src`` (see :mod:`cxtext.embed.static_int8`), so a text's
    vector does not depend on the texts batched with it."""
    _need("onnx", "onnx", "onnx-int8")
    from cxtext.embed.static_int8 import quantize

    with tempfile.TemporaryDirectory(prefix=".quantizing-", dir=out.parent) as work:
        return quantize(src, out, src.parent / "tokenizer.json", prefix, MAX_TOKENS, Path(work))


def distill_m2v(base: Path, out_dir: Path) -> str:
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
