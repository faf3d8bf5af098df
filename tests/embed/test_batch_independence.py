"""The static int8 backend (onnx-int8 recipe r3) gives every text the same vector, bit for bit,
whatever batch it is embedded in and wherever it sits in it.

Why bitwise is possible: activation scales are fixed at build time, the integer GEMMs are exact,
and a text's padded length is a function of the text alone (rounded up to PAD_MULTIPLE tokens), so
every float operation on its rows sees the same shapes and values in any batch.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.embed.backends import load_runner
from cxtext.embed.models import resolve_model
from cxtext.embed.runners import PAD_MULTIPLE, bucket_batches

TEXTS = [
    "The app crashes every time I try to pay",
    "ok",
    "المبلغ اللي انخصم بالغلط ما رجع لي لين الحين",
    "Livrarea a întârziat trei zile și cutia era deteriorată, iar serviciul clienți nu răspunde.",
    "Support answered quickly and fixed my billing problem, thank you!",
    "I was charged twice",
    "The delivery was late " * 12,
    "Great",
]


@pytest.mark.parametrize("model", ["default", "minilm"])
def test_vector_is_independent_of_batch_and_position(model: str) -> None:
    resolved = resolve_model(model)
    runner = load_runner(resolved, "onnx-int8", build_missing=False)
    texts = [resolved.prefix + t for t in TEXTS]
    alone = np.stack([runner.encode_batch([t], 32)[0] for t in texts])
    together = runner.encode_batch(texts, 32)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    shuffled = runner.encode_batch([texts[i] for i in order] + texts[:3], 32)[: len(texts)]
    in_pairs = np.concatenate([runner.encode_batch(texts[i : i + 2], 32) for i in range(0, len(texts), 2)])
    assert np.array_equal(alone, together)
    assert np.array_equal(alone[order], shuffled)
    assert np.array_equal(alone, in_pairs)
    # and it is the model's vector, not a degenerate one
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-5)
    assert float(alone[0] @ alone[5]) > float(alone[0] @ alone[1])  # two payment complaints vs "ok"


def test_bucket_batches_group_by_padded_length() -> None:
    lengths = [3, 17, 8, 9, 16, 600, 1]
    batches = bucket_batches(lengths, batch_size=2)
    seen = sorted(int(i) for idx, _ in batches for i in idx)
    assert seen == list(range(len(lengths)))
    for idx, width in batches:
        assert len(idx) <= 2 and width % PAD_MULTIPLE == 0 or width == 512
        assert all(lengths[i] <= width < lengths[i] + PAD_MULTIPLE or width == 512 for i in idx)


def test_texts_per_call_is_chosen_from_the_cpu_flags() -> None:
    from cxtext.embed.runners import int8_texts_per_call

    for flags in ({"avx2", "fma"}, {"avx2", "avx512f", "avx512_vnni"}, {"avx_vnni"}, set()):
        assert int8_texts_per_call(flags) >= 1
    assert int8_texts_per_call() >= 1  # this machine's /proc/cpuinfo (or none)


@pytest.mark.parametrize("model", ["default", "minilm"])
def test_padding_chosen_per_cpu_changes_no_vector(model: str) -> None:
    """CPUs without int8 dot-product instructions pad to 1 token, others to 8: same vectors, bit for bit."""
    from pathlib import Path

    from cxtext.embed.runners import onnx_runner

    resolved = resolve_model(model)
    default_runner = load_runner(resolved, "onnx-int8", build_missing=False)
    path = Path(default_runner.source)
    texts = [resolved.prefix + t for t in TEXTS]
    tokenizer = path.parent / "tokenizer.json"
    by_pad = {pad: onnx_runner(path, "onnx-int8", tokenizer, pad_multiple=pad).encode_batch(texts, 32)
              for pad in (1, PAD_MULTIPLE)}
    assert np.array_equal(by_pad[1], by_pad[PAD_MULTIPLE])
    assert np.array_equal(by_pad[1], default_runner.encode_batch(texts, 32))


def test_padding_is_chosen_from_the_cpu_flags() -> None:
    from cxtext.embed.runners import int8_pad_multiple

    assert int8_pad_multiple({"avx2", "fma"}) == 1  # AVX2 only: padding costs more than batching saves
    assert int8_pad_multiple({"avx2", "avx512f", "avx512_vnni"}) == PAD_MULTIPLE
    assert int8_pad_multiple({"avx2", "avx_vnni"}) == PAD_MULTIPLE
    assert int8_pad_multiple() in (1, PAD_MULTIPLE)  # this machine's /proc/cpuinfo (or none)


def test_bucket_batches_with_no_padding_group_equal_lengths() -> None:
    lengths = [3, 17, 8, 9, 16, 3, 1]
    for idx, width in bucket_batches(lengths, batch_size=32, pad_multiple=1):
        assert all(lengths[i] == width for i in idx)
