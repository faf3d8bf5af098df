"""Issue 22 on a CPU without AVX-512 / VNNI, emulated: the int8 default's work and vectors under valgrind.

    .venv/bin/python bench/avx2_emulated.py                    # e5 and MiniLM, 64 texts each, ~35-45 min
    .venv/bin/python bench/avx2_emulated.py --models minilm --n 16 --no-write    # smoke test, ~5 min
    .venv/bin/python bench/avx2_emulated.py --keep DIR         # keep vectors and callgrind dumps
    .venv/bin/python bench/avx2_emulated.py --render-only DIR  # rewrite the results from a kept run

Needs valgrind (``apt-get install -y valgrind``; 3.19 used here) and gcc.

We have no AVX2-only machine. valgrind's VEX CPU presents the program it runs a synthetic CPUID (an
"Intel Core i7-4910MQ", Haswell: AVX2 and FMA, no AVX-512, no AVX-VNNI, no AMX) and cannot execute
any EVEX / VNNI / AMX instruction at all. So under valgrind onnxruntime's MLAS dispatches to its
AVX2 kernels (the u8s8 GEMM with ``vpmaddubsw`` int16 pair sums, FMA3 SGEMM, AVX2 activations),
exactly what a Haswell-to-Zen2 laptop runs. The script checks that first: it reads CPUID with a few
bytes of machine code natively and under valgrind and prints both (``/proc/cpuinfo`` would show the
host's flags in both cases). That onnxruntime runs under valgrind at all is a second check: an
AVX-512 or VNNI instruction would stop valgrind with SIGILL.

For each model (multilingual-e5-small, the default; all-MiniLM-L6-v2, the English model) one worker
process embeds the same N texts (e5: the 40% English / 30% Arabic / 30% Romanian comment mix of
``bench/embedding.py``; MiniLM: English CLINC150 queries) with

* **dynamic int8, 1/call**: the r2 default (``model_qint8_avx2.onnx``, one text per call);
* **static int8, batched**: the r3 default (``model_qint8_static.onnx``, length-bucketed batches of
  ``cxtext.embed.runners._TEXTS_PER_CALL[False]`` texts, the no-VNNI entry, under valgrind;
  ``[True]`` natively: both 32 today; under valgrind ``/proc/cpuinfo`` is still the host's, so the
  runner's own lookup would pick the VNNI entry);
* **static int8, 1/call**: the same file one text per call (batching's share of the work);
* **fp32, batch 32**: the ``onnx`` backend through the same runner, on every 4th text only
  (valgrind runs FMA through a software helper, so fp32 is ~10x slower to emulate),

once natively (VNNI/AMX kernels) and once under ``valgrind --tool=callgrind --instr-atstart=no``.
The worker switches callgrind's instrumentation on only around each embed call (client requests
from a small C helper compiled here with gcc and ``valgrind/callgrind.h``; no-ops natively), after a
warm-up call on other texts, so model loading, graph optimisation and first-call allocations are
not counted (each dump is one embed call: ``--keep`` keeps them for ``callgrind_annotate``;
onnxruntime's library is stripped, so its functions show as addresses). Counted: every guest
instruction executed in the call (tokenising, onnxruntime, numpy pooling and the Python around them). onnxruntime runs with one intra-op thread and
``TOKENIZERS_PARALLELISM=false`` in both modes: valgrind serialises threads, and a thread pool's
spin-waiting would be counted as work.

Limits. (1) Instruction counts are a proxy for time only where the instruction mix is similar:
fair between the two int8 runs (both spend most of their instructions in MLAS's u8s8 AVX2 GEMM and
the same float operators), weaker against fp32 (an 8-lane FMA and a 16-pair ``vpmaddubsw`` are one
instruction each but not the same work per cycle). Cache misses, memory bandwidth and frequency are
not modelled. (2) The guest CPU is Haswell-like: MLAS has no separate kernels for later AVX2 chips
(Zen 2/3 run the same code), but AVX-VNNI laptops (Alder Lake and later) take the VNNI path, not
this one. (3) Natively ``perf stat -e instructions`` is "not supported" in this VM, so the native
side is single-thread wall time (interleaved rounds, best and median), not instructions. (4) valgrind
computes SSE/AVX/FMA arithmetic to IEEE (its known inexactness is x87 80-bit, not used by these
kernels), so the emulated vectors should be what AVX2 hardware computes with them; assumed, not
checked on hardware. (5) N is small (64 texts): length buckets hold fewer texts than in a large
dump, which understates batching's gain natively (bench/results/int8_batching.md: 1,000 texts).

Vectors: the emulated (AVX2) vectors against the native (VNNI/AMX) ones (cosine mean / min, rows
bitwise equal, largest difference), each against the fp32 vectors, and batch independence under
AVX2 (the static vectors at 32 per call vs one per call vs 32 per call in another order). Natively, also whether the
default thread count gives the same static vectors as one thread.
Writes bench/results/avx2_emulated.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "avx2_emulated.md"
OLD_INT8 = "model_qint8_avx2.onnx"
WARM_TEXTS = 8
RUNS = ("dynamic int8, 1/call (r2)", "static int8, batched, pad 8 (r3)", "static int8, 1/call (r3)", "fp32, batch 32",
        "static int8, batched, the CPU's padding (default)")
# valgrind runs FMA through a software helper, so fp32 is ~10x slower to emulate than int8: fp32 is
# counted (and timed) on every FP32_STRIDE-th text only, and reported per text and per token.
FP32_STRIDE = 4

_CPUID_CODE = bytes([
    0x53,                    # push rbx
    0x49, 0x89, 0xD0,        # mov r8, rdx
    0x89, 0xF8,              # mov eax, edi
    0x89, 0xF1,              # mov ecx, esi
    0x0F, 0xA2,              # cpuid
    0x41, 0x89, 0x00,        # mov [r8], eax
    0x41, 0x89, 0x58, 0x04,  # mov [r8+4], ebx
    0x41, 0x89, 0x48, 0x08,  # mov [r8+8], ecx
    0x41, 0x89, 0x50, 0x0C,  # mov [r8+12], edx
    0x5B,                    # pop rbx
    0xC3,                    # ret
])

_HELPER_C = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(const char *label) { CALLGRIND_DUMP_STATS_AT(label); CALLGRIND_STOP_INSTRUMENTATION; }
int on_valgrind(void) { return RUNNING_ON_VALGRIND; }
"""


# ------------------------------------------------------------------ CPUID as a program sees it


def cpuid_features() -> dict:
    """CPUID leaves 1 and 7 read by machine code (what MLAS's dispatch reads), not /proc/cpuinfo."""
    import ctypes
    import mmap
    import struct

    buf = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    buf.write(_CPUID_CODE)
    fn = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32 * 4))(
        ctypes.addressof(ctypes.c_char.from_buffer(buf)))

    def cpuid(leaf: int, sub: int = 0) -> tuple[int, int, int, int]:
        out = (ctypes.c_uint32 * 4)()
        fn(leaf, sub, ctypes.byref(out))
        return tuple(out)

    def bit(value: int, b: int) -> bool:
        return bool(value >> b & 1)

    brand = b"".join(struct.pack("<4I", *cpuid(leaf)) for leaf in (0x80000002, 0x80000003, 0x80000004))
    max_leaf = cpuid(0)[0]
    _, _, c1, _ = cpuid(1)
    _, b7, c7, d7 = cpuid(7, 0)
    a71 = cpuid(7, 1)[0] if max_leaf >= 7 else 0
    return {"brand": brand.split(b"\0")[0].decode(errors="replace").strip(),
            "avx": bit(c1, 28), "fma": bit(c1, 12), "avx2": bit(b7, 5), "avx512f": bit(b7, 16),
            "avx512bw": bit(b7, 30), "avx512_vnni": bit(c7, 11), "avx_vnni": bit(a71, 4),
            "amx_tile": bit(d7, 24), "amx_int8": bit(d7, 25)}


def _cpuid_line(features: dict) -> str:
    have = [k for k, v in features.items() if k != "brand" and v]
    lacks = [k for k, v in features.items() if k != "brand" and not v]
    return f"{features['brand']}: has {' '.join(have) or '-'}; lacks {' '.join(lacks) or '-'}"


# ------------------------------------------------------------------ worker (natively or under valgrind)


def _texts(model: str, n: int) -> list[str]:
    from int8_batching import timed_texts

    return timed_texts(model, n + WARM_TEXTS)  # the first WARM_TEXTS warm up, the rest are measured


def _single_thread_options() -> None:
    """Every onnxruntime session made from here on: one intra-op thread, no spinning (see docstring)."""
    import onnxruntime as ort

    if getattr(ort.SessionOptions, "_cxtext_single", False):
        return
    original = ort.SessionOptions

    def single() -> ort.SessionOptions:
        options = original()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return options

    single._cxtext_single = True
    single._original = original
    ort.SessionOptions = single


def worker(model: str, n: int, out: Path, helper: Path | None, rounds: int) -> None:
    import ctypes

    from int8_batching import old_runner

    from cxtext.embed.artefacts import artefact_dir, artefact_file
    from cxtext.embed.models import resolve_model
    from cxtext.embed.runners import _TEXTS_PER_CALL, int8_pad_multiple, onnx_runner

    lib = ctypes.CDLL(str(helper)) if helper else None
    emulated = bool(lib and lib.on_valgrind())
    info: dict = {"cpuid": cpuid_features(), "emulated": emulated, "instructions": {}, "seconds": {}}
    resolved = resolve_model(model)
    folder = artefact_dir(resolved, "onnx")
    tok = folder / "tokenizer.json"
    texts = [resolved.prefix + t for t in _texts(model, n)]
    warm, texts = texts[:WARM_TEXTS], texts[WARM_TEXTS:]
    per_call = _TEXTS_PER_CALL[not emulated]
    if not emulated:  # the default thread count (what a user runs), for the thread-count check below
        default_static = onnx_runner(artefact_file(folder, "onnx-int8"), "onnx-int8", tok, texts_per_call=per_call)
    _single_thread_options()
    fp32 = onnx_runner(artefact_file(folder, "onnx"), "onnx", tok)
    one = onnx_runner(artefact_file(folder, "onnx-int8"), "onnx-int8", tok, texts_per_call=1)
    # the padding the runtime picks on the CPU the program sees (under valgrind: no int8 dot product;
    # the runner's own lookup reads the host's /proc/cpuinfo, so it is passed here)
    cpu_pad = int8_pad_multiple(set() if emulated else None)
    static_cpu = onnx_runner(artefact_file(folder, "onnx-int8"), "onnx-int8", tok, texts_per_call=per_call,
                             pad_multiple=cpu_pad)
    static = onnx_runner(artefact_file(folder, "onnx-int8"), "onnx-int8", tok, texts_per_call=per_call,
                         pad_multiple=8)
    runs = {RUNS[0]: old_runner(folder / OLD_INT8, tok),
            RUNS[1]: lambda t: static.encode_batch(t, 32),
            RUNS[2]: lambda t: one.encode_batch(t, 32),
            RUNS[3]: lambda t: fp32.encode_batch(t, 32),
            RUNS[4]: lambda t: static_cpu.encode_batch(t, 32)}
    info["cpu_pad"] = cpu_pad
    subset = texts[::FP32_STRIDE]
    vectors = {}
    for label, encode in runs.items():
        encode(warm)
    for _ in range(1 if emulated else rounds):
        for label, encode in runs.items():
            these = subset if label == RUNS[3] else texts
            if lib:
                lib.cg_start()
            start = time.perf_counter()
            vectors[label] = encode(these)
            seconds = time.perf_counter() - start
            if lib:
                lib.cg_stop(label.encode())
            info["seconds"].setdefault(label, []).append(seconds)
            print(f"  {label}: {seconds:.2f} s", flush=True)
    # batch independence on this CPU: 32 per call with other batch-mates (one per call is RUNS[2])
    order = np.random.default_rng(0).permutation(len(texts))
    mixed = static.encode_batch([texts[i] for i in order] + warm, 32)[: len(texts)]
    vectors["static, other batch-mates"] = mixed[np.argsort(order)]
    if not emulated:
        vectors["static, default threads"] = default_static.encode_batch(texts, 32)
    tokenizer = _tokenizer(tok)
    info["tokens"] = int(sum(len(e.ids) for e in tokenizer.encode_batch([t.strip() for t in texts])))
    info["tokens_subset"] = int(sum(len(e.ids) for e in tokenizer.encode_batch([t.strip() for t in subset])))
    info["per_call"] = per_call
    np.savez(out.with_suffix(".npz"), labels=np.array(list(vectors)),
             **{f"v{i}": v for i, v in enumerate(vectors.values())})
    out.with_suffix(".json").write_text(json.dumps(info, indent=1), encoding="utf-8")


def _tokenizer(path: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(512)
    tokenizer.no_padding()
    return tokenizer


def _load(out: Path) -> tuple[dict, dict]:
    info = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    data = np.load(out.with_suffix(".npz"))
    return info, {label: data[f"v{i}"] for i, label in enumerate(data["labels"].tolist())}


# ------------------------------------------------------------------ driver


def build_helper(work: Path) -> Path:
    if not Path("/usr/include/valgrind/callgrind.h").is_file() or not shutil.which("gcc"):
        raise SystemExit("needs gcc and valgrind's headers (/usr/include/valgrind/callgrind.h)")
    src = work / "cg_helper.c"
    src.write_text(_HELPER_C, encoding="utf-8")
    lib = work / "cg_helper.so"
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    return lib


def callgrind_counts(work: Path, model: str) -> dict[str, int]:
    """label -> instructions (Ir) from the dumps of one model's callgrind run."""
    counts = {}
    for dump in sorted(work.glob(f"{model}-cg.out.*")):
        text = dump.read_text(encoding="utf-8", errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            counts[label.group(1).strip()] = int(total.group(1))
    return counts


def run_model(model: str, n: int, work: Path, helper: Path, rounds: int) -> None:
    """Both workers for one model; their outputs and callgrind dumps stay in ``work`` (``{model}-*``)."""
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    me = [sys.executable, str(Path(__file__).resolve()), "--worker", model, "--n", str(n), "--helper", str(helper),
          "--rounds", str(rounds)]
    print(f"{model}: native", flush=True)
    subprocess.run([*me, "--out", str(work / f"{model}-native")], check=True, env=env, cwd=ROOT)
    print(f"{model}: under callgrind (AVX2 kernels)", flush=True)
    start = time.perf_counter()
    subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-instr=no",
                    "--collect-jumps=no", f"--callgrind-out-file={work}/{model}-cg.out.%p", "-q",
                    *me, "--out", str(work / f"{model}-avx2")], check=True, env=env, cwd=ROOT)
    print(f"  {time.perf_counter() - start:.0f} s under valgrind", flush=True)


def load_model(model: str, work: Path) -> tuple[dict, dict, dict, dict]:
    n_info, n_vec = _load(work / f"{model}-native")
    e_info, e_vec = _load(work / f"{model}-avx2")
    e_info["instructions"] = callgrind_counts(work, model)
    return n_info, n_vec, e_info, e_vec


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _cm(a: np.ndarray, b: np.ndarray) -> str:
    c = _cos(a, b)
    return f"{c.mean():.5f} / {c.min():.5f}"


def _bitwise(a: np.ndarray, b: np.ndarray) -> str:
    same = int(np.sum(np.all(a == b, axis=1)))
    return f"{same}/{len(a)}"


def padded_tokens(model: str, n: int) -> tuple[int, int]:
    """(tokens, tokens after padding each text to a multiple of PAD_MULTIPLE): the rows the
    static runner's GEMMs multiply, at any batch size."""
    from cxtext.embed.artefacts import artefact_dir
    from cxtext.embed.models import resolve_model
    from cxtext.embed.runners import PAD_MULTIPLE

    resolved = resolve_model(model)
    tokenizer = _tokenizer(artefact_dir(resolved, "onnx") / "tokenizer.json")
    texts = [(resolved.prefix + t).strip() for t in _texts(model, n)[WARM_TEXTS:]]
    lengths = np.array([len(e.ids) for e in tokenizer.encode_batch(texts)])
    return int(lengths.sum()), int((-(-lengths // PAD_MULTIPLE) * PAD_MULTIPLE).sum())


def render_model(model: str, n: int, n_info: dict, n_vec: dict, e_info: dict, e_vec: dict) -> list[str]:
    tokens, counts = n_info["tokens"], e_info["instructions"]
    _, padded = padded_tokens(model, n)
    n_sub = len(range(0, n, FP32_STRIDE))

    def per(label: str) -> tuple[int, int]:  # texts and tokens the run embedded
        return (n_sub, n_info["tokens_subset"]) if label == RUNS[3] else (n, tokens)

    def ms(label: str, how) -> float:
        return float(how(n_info["seconds"][label])) / per(label)[0] * 1e3

    base_ins = counts[RUNS[0]] / n if RUNS[0] in counts else None
    out = [f"\n## {model}: {n} texts, {tokens} tokens ({tokens / n:.1f}/text; {padded} after padding each "
           f"text to a multiple of 8, +{padded / tokens - 1:.0%})\n",
           "| run | AVX2 (valgrind): instructions / text | instructions / token | work vs dynamic 1/call "
           "| VNNI/AMX (native, 1 thread): ms / text, best (median) of "
           f"{len(n_info['seconds'][RUNS[0]])} | time vs dynamic 1/call, best (median) |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label in RUNS:
        texts_, tokens_ = per(label)
        ins = counts.get(label)
        ins_cells = (f"{ins / texts_ / 1e6:.1f} M | {ins / tokens_ / 1e6:.2f} M | {ins / texts_ / base_ins:.2f}x"
                     if ins and base_ins else "– | – | –")
        name = f"{label} (every {FP32_STRIDE}th text: {texts_}, {tokens_} tokens)" if label == RUNS[3] else label
        out.append(f"| {name} | {ins_cells} | {ms(label, min):.1f} ({ms(label, np.median):.1f}) | "
                   f"{ms(label, min) / ms(RUNS[0], min):.2f}x ({ms(label, np.median) / ms(RUNS[0], np.median):.2f}x) |")
    out += ["", "(\"vs dynamic 1/call\": instructions or time per text relative to the r2 default; < 1 = less.)", "",
            "| vectors | AVX2 vs VNNI: cos mean / min | max abs. difference | bitwise equal rows "
            "| cos to fp32 on AVX2 | cos to fp32 on VNNI |",
            "| --- | --- | ---: | ---: | --- | --- |"]
    for label in RUNS:
        sub = slice(None) if label == RUNS[3] else slice(None, None, FP32_STRIDE)
        out.append(f"| {label} | {_cm(e_vec[label], n_vec[label])} | {np.abs(e_vec[label] - n_vec[label]).max():.1e} | "
                   f"{_bitwise(e_vec[label], n_vec[label])} | "
                   f"{_cm(e_vec[label][sub], e_vec[RUNS[3]])} | {_cm(n_vec[label][sub], n_vec[RUNS[3]])} |")
    out += ["", f"(cosine to fp32 on the {n_sub} texts fp32 embedded, with fp32 run on the same CPU kind.)", ""]
    static = RUNS[1]
    out += ["Batch independence of the static vectors (rows bitwise equal to the batched default run):", "",
            "| check | AVX2 (valgrind) | VNNI/AMX (native) |", "| --- | ---: | ---: |",
            f"| one text per call | {_bitwise(e_vec[RUNS[2]], e_vec[static])} | "
            f"{_bitwise(n_vec[RUNS[2]], n_vec[static])} |",
            f"| {e_info['per_call']} per call, shuffled order (other batch-mates) | "
            f"{_bitwise(e_vec['static, other batch-mates'], e_vec[static])} | "
            f"{_bitwise(n_vec['static, other batch-mates'], n_vec[static])} |",
            f"| the CPU's padding ({e_info.get('cpu_pad', '?')} under valgrind, {n_info.get('cpu_pad', '?')} "
            f"natively) instead of 8 | {_bitwise(e_vec[RUNS[4]], e_vec[static])} | "
            f"{_bitwise(n_vec[RUNS[4]], n_vec[static])} |",
            f"| default thread count instead of 1 | – | "
            f"{_bitwise(n_vec['static, default threads'], n_vec[static])} |"]
    return out


def render(line: str, models: list[str], n: int, work: Path, minutes: float | None) -> str:
    sections = []
    cpus = {}
    for model in models:
        n_info, n_vec, e_info, e_vec = load_model(model, work)
        if e_info["cpuid"]["avx512f"] or not e_info["emulated"]:
            raise SystemExit("the valgrind worker did not run on an AVX2-only guest CPU")
        cpus = {"native": n_info["cpuid"], "guest": e_info["cpuid"]}
        sections += render_model(model, n, n_info, n_vec, e_info, e_vec)
    took = f"{minutes:.0f} min on a shared machine; " if minutes else ""
    return "\n".join([
        "# The int8 default on a CPU without AVX-512 / VNNI (AVX2 kernels under valgrind)\n",
        f"Date: {dt.date.today().isoformat()}\n",
        f"Machine: {line}\n",
        f"Command: `.venv/bin/python bench/avx2_emulated.py --n {n} --models {' '.join(models)}` "
        f"({took}run by hand, not by `make bench`: it needs valgrind and gcc). Method and limits in the "
        "script's docstring.\n",
        "CPUID as a program reads it (machine code, not /proc/cpuinfo):\n",
        f"* natively: {_cpuid_line(cpus['native'])}",
        f"* under valgrind 3.19: {_cpuid_line(cpus['guest'])}\n",
        "Instructions: callgrind's count of every instruction executed inside the embed call "
        "(tokenising, onnxruntime with one thread, pooling), warm-up excluded. A proxy for time only "
        "where the instruction mix is alike: fair between the int8 runs, rough against fp32. Native: "
        "wall time, one onnxruntime thread, interleaved rounds on a shared machine "
        "(`perf stat -e instructions` is not supported in this VM).",
        *sections, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", default=["default", "minilm"])
    parser.add_argument("--n", type=int, default=64, help="texts per model (default 64)")
    parser.add_argument("--rounds", type=int, default=3, help="native timing rounds")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write the results file")
    parser.add_argument("--keep", type=Path, help="keep the workers' vectors and callgrind dumps in this folder")
    parser.add_argument("--render-only", type=Path, metavar="KEPT",
                        help="write the results from a folder kept by an earlier --keep run; run nothing")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--helper", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.n, args.out, args.helper, args.rounds)
        return 0
    from machine import machine_line

    line = machine_line()
    print(line, flush=True)

    def write(text: str) -> None:
        if args.no_write:
            print(text)
        else:
            RESULTS.write_text(text, encoding="utf-8")
            print(f"wrote {RESULTS}", flush=True)

    if args.render_only:
        write(render(line, args.models, args.n, args.render_only, None))
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("needs valgrind (apt-get install -y valgrind)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="avx2-emulated-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        helper = build_helper(Path(tmp))
        guest = subprocess.run(["valgrind", "--tool=none", "-q", sys.executable, "-c",
                                "import json, sys; sys.path.insert(0, 'bench'); "
                                "from avx2_emulated import cpuid_features; print(json.dumps(cpuid_features()))"],
                               cwd=ROOT, capture_output=True, text=True, check=True)
        guest_cpu = json.loads(guest.stdout.strip().splitlines()[-1])
        print("native CPUID:  ", _cpuid_line(cpuid_features()), "\nvalgrind CPUID:", _cpuid_line(guest_cpu),
              flush=True)
        done = []
        for model in args.models:
            run_model(model, args.n, work, helper, args.rounds)
            done.append(model)
            # written after each model, so a long run that is stopped keeps what it measured
            text = render(line, done, args.n, work, (time.perf_counter() - started) / 60)
            print(text, flush=True)
            write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
