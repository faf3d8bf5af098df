"""Concurrent artefact builds (cxtext.embed.artefacts.build_artefact) in one process.

The Gradio server runs several analyses at once in threads; when a backend's artefact is missing,
each may start building it. The builds must not share a temporary file, must end with an atomic
rename, and a build that finds the artefact built while it waited must use it instead of building
again. The export and the quantization are replaced by small, deliberately slow stand-ins that
write a real (tiny) ONNX model, so the test runs in a second and needs no model.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cxtext.embed import artefacts
from cxtext.embed.models import ResolvedModel

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def _tiny_onnx_bytes(scale: float) -> bytes:
    """input_ids, attention_mask -> sentence_embedding [batch, 4] (mean over tokens of ids x w)."""
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.arange(1, 5, dtype=np.float32).reshape(1, 4) * scale, "w")
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["ids_f", "axis"], ["ids_3d"]),
        helper.make_node("MatMul", ["ids_3d", "w"], ["tok"]),
        helper.make_node("ReduceMean", ["tok", "seq_axis"], ["sentence_embedding"], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", 4])],
        [weight, numpy_helper.from_array(np.array([-1], np.int64), "axis"),
         numpy_helper.from_array(np.array([1], np.int64), "seq_axis")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model.SerializeToString()


def _slow_write(out: Path, data: bytes) -> None:
    """Write in two halves with a pause, so concurrent builds overlap while a file is half written."""
    with open(out, "wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        time.sleep(0.2)
        handle.write(data[len(data) // 2:])


def _model_folder(tmp_path: Path, monkeypatch) -> Path:
    """A local model folder ``tiny-model`` (a stand-in tokenizer.json) under a temporary models dir."""
    base = tmp_path / "models" / "tiny-model"
    base.mkdir(parents=True)
    (base / "tokenizer.json").write_text('{"stand-in": "only copied, never parsed"}', encoding="utf-8")
    monkeypatch.setenv("CXTEXT_MODELS_DIR", str(base.parent))
    return base


def _resolved(base: Path) -> ResolvedModel:
    return ResolvedModel(name="tiny-model", path_or_name=str(base), model_id="tiny-model/test-1", prefix="")


@pytest.fixture
def tiny_model(tmp_path, monkeypatch):
    """A local model folder under a temporary models dir, with counting stand-in build steps."""
    base = _model_folder(tmp_path, monkeypatch)
    calls = {"onnx": 0, "onnx-int8": 0}
    lock = threading.Lock()

    def export(src: Path, out: Path) -> str:
        with lock:
            calls["onnx"] += 1
        _slow_write(out, _tiny_onnx_bytes(1.0))
        return "stand-in export"

    def quantize(src: Path, out: Path, prefix: str) -> str:
        with lock:
            calls["onnx-int8"] += 1
        assert onnx.load(str(src)).graph.name == "tiny"  # the fp32 file is complete when read
        _slow_write(out, _tiny_onnx_bytes(0.5))
        return "stand-in quantization"

    monkeypatch.setattr(artefacts, "_export_onnx", export)
    monkeypatch.setattr(artefacts, "_quantize_onnx", quantize)
    return _resolved(base), calls


def _run(session_path: Path) -> np.ndarray:
    session = ort.InferenceSession(str(session_path), providers=["CPUExecutionProvider"])
    ids = np.array([[0, 5, 7, 2], [0, 9, 2, 1]], np.int64)
    return session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]


def _build_in_threads(resolved: ResolvedModel, backends: list[str]) -> tuple[list, list]:
    barrier = threading.Barrier(len(backends))
    results, errors = [None] * len(backends), []

    def build(i: int, backend: str) -> None:
        try:
            barrier.wait()
            results[i] = artefacts.build_artefact(resolved, backend, notify=None)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(i, b)) for i, b in enumerate(backends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_builds_in_threads_build_once_and_all_get_the_same_complete_file(tiny_model):
    resolved, calls = tiny_model
    results, errors = _build_in_threads(resolved, ["onnx-int8"] * 4 + ["onnx"] * 4)
    assert not errors, errors
    folder = artefacts.artefact_dir(resolved, "onnx")
    fp32, int8 = artefacts.artefact_file(folder, "onnx"), artefacts.artefact_file(folder, "onnx-int8")
    assert results == [int8] * 4 + [fp32] * 4
    # one build each: the builders that waited found the artefact built and used it
    assert calls == {"onnx": 1, "onnx-int8": 1}
    for backend in ("onnx", "onnx-int8"):
        assert artefacts.artefact_ready(resolved, backend)
        record = json.loads((folder / f"cxtext_build.{backend}.json").read_text(encoding="utf-8"))
        assert record["bytes"] == artefacts.artefact_file(folder, backend).stat().st_size
    # the files load and compute what the stand-ins wrote
    np.testing.assert_array_equal(_run(int8), _run(fp32) * 0.5)
    assert (folder / "tokenizer.json").read_text(encoding="utf-8") == \
        (Path(resolved.path_or_name) / "tokenizer.json").read_text(encoding="utf-8")
    # no temporary file left behind
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_concurrent_forced_rebuilds_build_once_more_and_leave_one_complete_file(tiny_model):
    resolved, calls = tiny_model
    first = artefacts.build_artefact(resolved, "onnx", notify=None)
    before = _run(first)
    barrier = threading.Barrier(3)
    errors = []

    def rebuild() -> None:
        try:
            barrier.wait()
            artefacts.build_artefact(resolved, "onnx", force=True, notify=None)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=rebuild) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # a forced build that waited for another forced build uses that fresh build
    assert calls["onnx"] == 2
    assert artefacts.artefact_ready(resolved, "onnx")
    np.testing.assert_array_equal(_run(first), before)
    folder = artefacts.artefact_dir(resolved, "onnx")
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_failed_build_names_the_backend_the_free_disk_space_and_how_to_retry(tmp_path, monkeypatch):
    """A full disk once truncated a model file mid-build, and the int8 step died on "Wire format was corrupt"."""
    from cxtext.errors import ModelError

    base = _model_folder(tmp_path, monkeypatch)
    models = base.parent

    def truncated_export(src: Path, out: Path) -> str:
        out.write_bytes(_tiny_onnx_bytes(1.0)[:40])  # what a full disk leaves
        return "stand-in export, cut short"

    monkeypatch.setattr(artefacts, "_export_onnx", truncated_export)
    resolved = _resolved(base)
    with pytest.raises(ModelError) as caught:
        artefacts.build_artefact(resolved, "onnx-int8", notify=None)  # the real quantization of the cut file
    message = str(caught.value)
    assert 'Building the "onnx-int8" embedding backend for tiny-model failed' in message
    assert f"MB free in {models}" in message and "MB free in" in message.split(str(models))[-1]
    assert "python -m cxtext.embed.backends build onnx-int8" in message
    assert not artefacts.artefact_ready(resolved, "onnx-int8")
    assert not list(artefacts.artefact_dir(resolved, "onnx-int8").glob("*building*"))  # no half file left
