"""Static int8 quantization of the ONNX export: every text's vector is a function of the text alone.

Dynamic int8 quantization (the old ``onnx-int8`` recipe) computes one activation scale per call over
the whole input, so a text batched with others got a slightly different vector (cosine ~0.996) and
had to run alone. Here the activation ranges are fixed once at build time, so texts can be batched
(and length-bucketed, see :mod:`cxtext.embed.runners`) without changing any vector:

1. **Calibration set** (:func:`calibration_texts`): the 480 unique texts of the seed files shipped
   inside the package (so a wheel and a checkout calibrate alike), available offline and used by no
   embedding-quality benchmark: ``cxtext/data/sentiment_seed.csv`` and ``cxtext/data/kinds_seed.csv``
   (hand-written customer comments, 160 each in English, Arabic and Romanian), in file order. Each
   text is run alone (no padding in the statistics).
2. **Smoothing** (SmoothQuant, Xiao et al. 2023): a few activation channels (after LayerNorm and
   GELU) are far larger than the rest, so one per-tensor uint8 scale wastes most of its 256 steps on
   them. Each weight MatMul input ``x`` is divided per channel by ``s = max|x|^a / max|W|^(1-a)``
   (a = :data:`SMOOTH_ALPHA`, a Mul node) and the weight rows multiplied by ``s``: the float model is
   unchanged, the outliers move into the (per-channel quantized) weights.
3. **Quantization**: ``onnxruntime.quantization.quantize_static`` in QDQ format on the weight
   MatMuls only (72 in e5-small, 36 in MiniLM; attention score products stay float32): weights int8
   per output channel with reduce_range (7 bits, so AVX2 kernels without VNNI cannot overflow their
   int16 sums and every CPU computes the same integers), activations uint8 per tensor with ranges
   from a moving average (constant :data:`MOVING_AVERAGE`) of each calibration text's min/max (a
   plain min/max over all texts let one outlier text set a scale too coarse for the rest: cosine to
   fp32 0.9947 vs 0.9952 mean on the benchmark comments). MatMul outputs stay float32 (quantizing
   them too cost cosine 0.97).

Imports only numpy, onnx, onnxruntime, tokenizers and pandas (build time only).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Part of recipe "r3" of onnx-int8: change any of them and bump the recipe.
SMOOTH_ALPHA = 0.5
MOVING_AVERAGE = 0.01
CALIBRATION_FILES = ("sentiment_seed.csv", "kinds_seed.csv")  # in cxtext/data
TOKEN_OUTPUT = "token_embeddings"


def calibration_texts() -> list[str]:
    """The fixed calibration texts (see the module docstring): stripped, unique, in file order."""
    import pandas as pd

    data = Path(__file__).resolve().parents[1] / "data"
    texts = [t for name in CALIBRATION_FILES for t in pd.read_csv(data / name)["text"].tolist()]
    return list(dict.fromkeys(t for t in (str(x).strip() for x in texts) if t))


def _feeds(tokenizer_json: Path, texts: list[str], prefix: str, max_tokens: int) -> list[dict]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()  # each text alone, unpadded: pad tokens' activations stay out of the ranges
    feeds = []
    for text in texts:
        enc = tokenizer.encode(prefix + text)
        feeds.append({"input_ids": np.asarray([enc.ids], np.int64),
                      "attention_mask": np.asarray([enc.attention_mask], np.int64)})
    return feeds


def _weight_matmuls(model) -> dict[str, list]:
    """Weight MatMul nodes grouped by their activation input (Q, K and V share one)."""
    inits = {i.name for i in model.graph.initializer}
    groups: dict[str, list] = {}
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and node.input[0] not in inits:
            groups.setdefault(node.input[0], []).append(node)
    return groups


def _channel_max(model_path: Path, names: list[str], feeds: list[dict]) -> dict[str, np.ndarray]:
    """max |x| per channel (last axis) of each named tensor over the calibration feeds."""
    import onnx
    import onnxruntime as ort

    model = onnx.load(str(model_path))
    known = {o.name for o in model.graph.output}
    for name in names:
        if name not in known:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    peaks = {name: None for name in names}
    for feed in feeds:
        for name, value in zip(names, session.run(names, feed)):
            m = np.abs(value.reshape(-1, value.shape[-1])).max(axis=0)
            peaks[name] = m if peaks[name] is None else np.maximum(peaks[name], m)
    return peaks


def smooth(src: Path, out: Path, feeds: list[dict], alpha: float = SMOOTH_ALPHA) -> int:
    """Write ``src`` with SmoothQuant scaling (same float function) to ``out``; returns the number of
    inputs smoothed."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    groups = _weight_matmuls(model)
    peaks = _channel_max(src, list(groups), feeds)
    inits = {i.name: i for i in model.graph.initializer}
    new_nodes = []
    for index, (name, nodes) in enumerate(groups.items()):
        weights = [numpy_helper.to_array(inits[n.input[1]]) for n in nodes]
        w_peak = np.max([np.abs(w).max(axis=1) for w in weights], axis=0)
        # clamp so a dead channel cannot give a zero or infinite factor
        s = np.maximum(peaks[name], 1e-5) ** alpha / np.maximum(w_peak, 1e-5) ** (1 - alpha)
        s = np.clip(s, 1e-2, 1e2).astype(np.float32)
        for node, w in zip(nodes, weights):
            inits[node.input[1]].CopyFrom(numpy_helper.from_array((w * s[:, None]).astype(np.float32),
                                                                  node.input[1]))
        smoothed = f"{name}_smoothed_{index}"
        model.graph.initializer.append(numpy_helper.from_array(1.0 / s, f"{smoothed}_inv_scale"))
        new_nodes.append(onnx.helper.make_node("Mul", [name, f"{smoothed}_inv_scale"], [smoothed],
                                               name=f"smooth_{index}"))
        for node in nodes:
            node.input[0] = smoothed
    # each Mul goes right before the first MatMul that reads it (the graph stays topologically sorted)
    ordered = []
    pending = {n.output[0]: n for n in new_nodes}
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[0] in pending:
            ordered.append(pending.pop(node.input[0]))
        ordered.append(node)
    del model.graph.node[:]
    model.graph.node.extend(ordered)
    onnx.save(model, str(out))
    return len(groups)


def _expose_token_embeddings(path: Path) -> None:
    """Add the last LayerNorm's output (the token vectors before pooling) as a second graph output,
    :data:`TOKEN_OUTPUT`: onnxruntime's pooling reductions round differently with the batch size
    (1 ulp), while these token vectors are bitwise the same in any batch, so the runner pools them."""
    import onnx

    model = onnx.load(str(path))
    last = [n for n in model.graph.node if n.op_type == "LayerNormalization"][-1]
    model.graph.node.append(onnx.helper.make_node("Identity", [last.output[0]], [TOKEN_OUTPUT],
                                                  name="expose_token_embeddings"))
    model.graph.output.append(onnx.helper.make_tensor_value_info(TOKEN_OUTPUT, onnx.TensorProto.FLOAT,
                                                                 ["batch", "seq", None]))
    onnx.save(model, str(path))


def quantize(src: Path, out: Path, tokenizer_json: Path, prefix: str, max_tokens: int,
             work_dir: Path) -> str:
    """Smooth, calibrate and statically quantize ``src`` (fp32 ONNX) into ``out``; returns a
    one-line description for the build record."""
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)

    texts = calibration_texts()
    feeds = _feeds(tokenizer_json, texts, prefix, max_tokens)
    smoothed = work_dir / "smoothed.onnx"
    n_inputs = smooth(src, smoothed, feeds)
    nodes = [n.name for g in _weight_matmuls(onnx.load(str(smoothed))).values() for n in g]

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._feeds = iter(feeds)

        def get_next(self) -> dict | None:
            return next(self._feeds, None)

    quantize_static(str(smoothed), str(out), Reader(), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True,
                    reduce_range=True, op_types_to_quantize=["MatMul"], nodes_to_quantize=nodes,
                    calibrate_method=CalibrationMethod.MinMax,
                    extra_options={"OpTypesToExcludeOutputQuantization": ["MatMul"],
                                   "CalibMovingAverage": True, "CalibMovingAverageConstant": MOVING_AVERAGE})
    _expose_token_embeddings(out)
    return (f"static int8 (onnxruntime quantize_static, QDQ) of model.onnx: {len(nodes)} weight MatMuls, "
            f"int8 per-channel reduce_range weights, uint8 per-tensor activations calibrated on "
            f"{len(texts)} texts of cxtext/data/{{{','.join(CALIBRATION_FILES)}}} (each alone; "
            f"moving-average min/max {MOVING_AVERAGE}) after SmoothQuant (alpha {SMOOTH_ALPHA}) "
            f"of {n_inputs} MatMul inputs")
