"""Issue 22 on AVX2 kernels in wall time: onnxruntime made to take its AVX2 path by CPUID faulting.

    .venv/bin/python bench/avx2_cpuid.py                    # e5 500 texts, MiniLM 1000, 5 rounds, ~25 min
    .venv/bin/python bench/avx2_cpuid.py --models minilm --n 100 --rounds 2 --no-write    # smoke test, ~1 min
    .venv/bin/python bench/avx2_cpuid.py --valgrind-kept DIR   # also compare with avx2_emulated.py --keep DIR

Needs gcc, x86-64 Linux and CPUID faulting (``cpuid_fault`` in /proc/cpuinfo). bench/avx2_emulated.py
counted instructions under valgrind; this times the same ``RUNS`` (same texts) on the real core.
An LD_PRELOAD shim (C, built here) turns CPUID faulting on in its constructor
(``arch_prctl(ARCH_SET_CPUID, 0)``: per thread, inherited by new threads, reset by exec). Each CPUID
then raises SIGSEGV; the handler checks the bytes at RIP are 0F A2 (si_code SI_KERNEL), runs the real
CPUID with faulting briefly off, clears AVX-512 (leaf 7), AVX-VNNI, AVX512_BF16, AVX-IFMA,
AVX-VNNI-INT8/16 (leaf 7.1), AMX (leaf 7, 0x1D, 0x1E) and their XCR0 bits in leaf 0xD, and steps
over the instruction. Any other SIGSEGV goes to the program's own handler (the shim wraps
``sigaction``/``signal`` to stay first) or kills as usual. glibc picks its string functions in ld.so
before any constructor, so shimmed workers also get ``GLIBC_TUNABLES`` with its AVX-512 variants
off. MLAS, numpy and OpenBLAS read CPUID later and see AVX2 + FMA only: MLAS runs its AVX2 kernels
(u8s8 GEMM with ``vpmaddubsw``, FMA3 SGEMM), what valgrind ran and a Haswell-to-Zen2 CPU runs.

Evidence per worker: CPUID by machine code, the shim's count of answered CPUIDs, numpy's dispatch,
whether MLAS asked the kernel for AMX state (``ARCH_GET_XCOMP_PERM`` bit 18), ``AVX512_elapsed_ms``
in /proc/self/arch_status; and a one-thread GEMM probe natively, shimmed keeping AVX-VNNI, shimmed
to AVX2 (three int8 speeds: MLAS follows the bits). onnxruntime logs no kernel names. Where valgrind
is installed, the few texts whose vectors differ most between AVX2 and native are embedded again
under valgrind (its own Haswell CPUID) and compared bitwise with the shimmed ones.

cxtext's padding lookup reads /proc/cpuinfo (unchanged by the shim), so a shimmed worker passes the
flags its CPUID shows: none under the AVX2 shim (``int8_pad_multiple(set())``, 1 token, as
avx2_emulated.py does), ``avx_vnni`` under the shim keeping AVX-VNNI (an Alder Lake-like path, 8).
One intra-op thread; each round is a fresh native, AVX2 and AVX-VNNI worker in rotating order, run
order rotated too. Limits are in the results file (bench/results/avx2_cpuid.md).
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import os
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
from avx2_emulated import (FP32_STRIDE, OLD_INT8, RUNS, WARM_TEXTS, _bitwise, _cm, _cpuid_line, _load,  # noqa: E402
                           _single_thread_options, _texts, _tokenizer, cpuid_features)

RESULTS = ROOT / "bench" / "results" / "avx2_cpuid.md"
DEFAULT_N = {"default": 500, "minilm": 1000}
GLIBC_OFF = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD"
MODES = ("native", "avx2", "vnni")  # vnni: the shim keeping AVX-VNNI (no AVX-512, no AMX), Alder Lake-like
NAMES = {"avx2": "AVX2 kernels (shim)", "vnni": "AVX-VNNI kernels (shim)", "native": "VNNI/AMX (native)"}

SHIM_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#define ARCH_SET_CPUID 0x1012
typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
static sigaction_fn real_sigaction;
static struct sigaction chained;      /* the SIGSEGV action the program asked for (or had before) */
static volatile int active, keep_avx_vnni;
static volatile unsigned long trapped;

static void mask(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    if (leaf == 7 && sub == 0) {      /* AVX-512: F DQ IFMA PF ER CD BW VL; VBMI VBMI2 VNNI BITALG VPOPCNTDQ; */
        r[1] &= ~(1u<<16 | 1u<<17 | 1u<<21 | 1u<<26 | 1u<<27 | 1u<<28 | 1u<<30 | 1u<<31);
        r[2] &= ~(1u<<1 | 1u<<6 | 1u<<11 | 1u<<12 | 1u<<14);
        r[3] &= ~(1u<<2 | 1u<<3 | 1u<<8 | 1u<<22 | 1u<<23 | 1u<<24 | 1u<<25);  /* ...VP2INTERSECT, AMX, FP16 */
    } else if (leaf == 7 && sub == 1) {  /* AVX-VNNI, AVX512_BF16, AMX-FP16, AVX-IFMA; VNNI-INT8/16, NE-CONVERT */
        r[0] &= ~((keep_avx_vnni ? 0u : 1u<<4) | 1u<<5 | 1u<<21 | 1u<<23);
        r[3] &= ~(1u<<4 | 1u<<5 | 1u<<10);
    } else if (leaf == 0xD && sub == 0) {
        r[0] &= ~(7u<<5 | 3u<<17);      /* XCR0 components: opmask, ZMM, AMX tiles */
    } else if (leaf == 0x1D || leaf == 0x1E) {
        r[0] = r[1] = r[2] = r[3] = 0;
    }
}

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    const unsigned char *ip = (const unsigned char *)g[REG_RIP];
    if (info->si_code == SI_KERNEL && ip[0] == 0x0F && ip[1] == 0xA2) {
        uint32_t r[4], leaf = (uint32_t)g[REG_RAX], sub = (uint32_t)g[REG_RCX];
        syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
        __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
        syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
        mask(leaf, sub, r);
        g[REG_RAX] = r[0]; g[REG_RBX] = r[1]; g[REG_RCX] = r[2]; g[REG_RDX] = r[3];
        g[REG_RIP] += 2;
        trapped++;
        return;
    }
    struct sigaction prev = chained;  /* not ours: the program's handler, or the default (re-fault, die) */
    if (prev.sa_handler == SIG_DFL || prev.sa_handler == SIG_IGN) {
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        real_sigaction(sig, &dfl, NULL);
    } else if (prev.sa_flags & SA_SIGINFO) {
        prev.sa_sigaction(sig, info, ctx);
    } else {
        prev.sa_handler(sig);
    }
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
    if (!real_sigaction) real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    if (sig != SIGSEGV || !active) return real_sigaction(sig, act, old);
    if (old) *old = chained;
    if (act) chained = *act;
    return 0;
}

sighandler_t signal(int sig, sighandler_t handler) {  /* glibc's signal() would bypass the wrapper above */
    struct sigaction act = {.sa_handler = handler, .sa_flags = SA_RESTART}, old;
    return sigaction(sig, &act, &old) ? SIG_ERR : old.sa_handler;
}

unsigned long cpuid_shim_trapped(void) { return trapped; }
int cpuid_shim_active(void) { return active; }

__attribute__((constructor)) static void install(void) {
    struct sigaction act = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
    keep_avx_vnni = getenv("CPUID_SHIM_KEEP_AVX_VNNI") != NULL;
    if (real_sigaction(SIGSEGV, &act, &chained) != 0) return;
    if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) { real_sigaction(SIGSEGV, &chained, NULL); return; }
    active = 1;
}
"""


def build_shim(work: Path) -> Path:
    if not shutil.which("gcc"):
        raise SystemExit("needs gcc")
    src, lib = work / "cpuid_shim.c", work / "cpuid_shim.so"
    src.write_text(SHIM_C, encoding="utf-8")
    subprocess.run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", str(lib), str(src), "-ldl"], check=True)
    return lib


def shim_env(shim: Path | None, keep_avx_vnni: bool = False) -> dict:
    ours = ("LD_PRELOAD", "GLIBC_TUNABLES", "CPUID_SHIM_KEEP_AVX_VNNI")
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update(TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1")
    if shim:
        env.update(LD_PRELOAD=str(shim), GLIBC_TUNABLES=GLIBC_OFF)
        env.update({"CPUID_SHIM_KEEP_AVX_VNNI": "1"} if keep_avx_vnni else {})
    return env


def process_state() -> dict:
    """What this process's CPU looks like to its code, and whether AVX-512 / AMX state was used."""
    libc = ctypes.CDLL(None, use_errno=True)
    perm = ctypes.c_uint64(0)
    libc.syscall(158, 0x1022, ctypes.byref(perm))  # SYS_arch_prctl, ARCH_GET_XCOMP_PERM
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # numpy 1.x
        from numpy.core._multiarray_umath import __cpu_features__
    trapped = libc.cpuid_shim_trapped() if hasattr(libc, "cpuid_shim_active") and libc.cpuid_shim_active() else None
    status = Path("/proc/self/arch_status")
    elapsed = status.read_text().split()[-1] if status.is_file() else "?"
    return {"cpuid": cpuid_features(), "cpuid_trapped": trapped, "numpy_avx512f": bool(__cpu_features__["AVX512F"]),
            "amx_permission": bool(perm.value >> 18 & 1),
            "avx512_elapsed_ms": int(elapsed) if elapsed != "?" else None}


def gemm_probe(m: int = 256, k: int = 384, n: int = 1536, repeats: int = 20) -> dict:
    """One-thread onnxruntime MatMulInteger (u8 x s8) and fp32 MatMul at an FFN-like shape, GOP/s."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    out = {}
    for name, op, a_type, y_type, w in (("int8 MatMulInteger", "MatMulInteger", TensorProto.UINT8, TensorProto.INT32,
                                         rng.integers(-64, 64, (k, n), dtype=np.int8)),
                                        ("fp32 MatMul", "MatMul", TensorProto.FLOAT, TensorProto.FLOAT,
                                         rng.standard_normal((k, n), np.float32))):
        graph = helper.make_graph([helper.make_node(op, ["a", "b"], ["y"])], "g",
                                  [helper.make_tensor_value_info("a", a_type, [m, k])],
                                  [helper.make_tensor_value_info("y", y_type, [m, n])],
                                  [numpy_helper.from_array(w, "b")])
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
                                       .SerializeToString(), options, providers=["CPUExecutionProvider"])
        a = (rng.integers(0, 255, (m, k), dtype=np.uint8) if a_type == TensorProto.UINT8
             else rng.standard_normal((m, k), np.float32))
        session.run(None, {"a": a})
        best = min(_timed(lambda: session.run(None, {"a": a})) for _ in range(repeats))
        out[name] = 2 * m * k * n / best / 1e9
    return {**out, **process_state()}


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ------------------------------------------------------------------ worker


def worker(model: str, n: int, out: Path, round_: int, vectors_too: bool) -> None:
    from int8_batching import old_runner

    from cxtext.embed.artefacts import artefact_dir, artefact_file
    from cxtext.embed.models import resolve_model
    from cxtext.embed.runners import int8_pad_multiple, int8_texts_per_call, onnx_runner

    seen = process_state()  # /proc/cpuinfo is the host's, so a shimmed worker passes the flags it sees: see docstring
    shimmed = seen["cpuid_trapped"] is not None
    flags = ({"avx_vnni"} if seen["cpuid"]["avx_vnni"] else set()) if shimmed else None
    started = time.perf_counter()
    resolved = resolve_model(model)
    folder = artefact_dir(resolved, "onnx")
    tok, int8 = folder / "tokenizer.json", artefact_file(folder, "onnx-int8")
    texts = [resolved.prefix + t for t in _texts(model, n)]
    warm, texts = texts[:WARM_TEXTS], texts[WARM_TEXTS:]
    per_call, cpu_pad = int8_texts_per_call(flags), int8_pad_multiple(flags)
    _single_thread_options()
    fp32 = onnx_runner(artefact_file(folder, "onnx"), "onnx", tok)
    one = onnx_runner(int8, "onnx-int8", tok, texts_per_call=1)
    static_cpu = onnx_runner(int8, "onnx-int8", tok, texts_per_call=per_call, pad_multiple=cpu_pad)
    static = onnx_runner(int8, "onnx-int8", tok, texts_per_call=per_call, pad_multiple=8)
    runs = {RUNS[0]: old_runner(folder / OLD_INT8, tok), RUNS[1]: lambda t: static.encode_batch(t, 32),
            RUNS[2]: lambda t: one.encode_batch(t, 32), RUNS[3]: lambda t: fp32.encode_batch(t, 32),
            RUNS[4]: lambda t: static_cpu.encode_batch(t, 32)}
    for encode in runs.values():
        encode(warm)
    timed_from = time.perf_counter()
    order = RUNS[round_ % len(RUNS):] + RUNS[:round_ % len(RUNS)]
    seconds, vectors = {}, {}
    for label in order:
        start = time.perf_counter()
        vectors[label] = runs[label](texts)
        seconds[label] = time.perf_counter() - start
        print(f"  {label}: {seconds[label] / len(texts) * 1e3:.2f} ms/text", flush=True)
    timed = time.perf_counter() - timed_from
    info = {"seconds": seconds, "shimmed": shimmed, "cpu_pad": cpu_pad, "per_call": per_call, "timed_s": timed,
            "worker_s": time.perf_counter() - started, "load": os.getloadavg()[0], **process_state()}
    if vectors_too:
        shuffle = np.random.default_rng(0).permutation(len(texts))
        mixed = static.encode_batch([texts[i] for i in shuffle] + warm, 32)[: len(texts)]
        vectors["static, other batch-mates"] = mixed[np.argsort(shuffle)]
        np.savez(out.with_suffix(".npz"), labels=np.array(list(vectors)),
                 **{f"v{i}": v for i, v in enumerate(vectors.values())})
        tokenizer = _tokenizer(tok)
        info["tokens"] = int(sum(len(e.ids) for e in tokenizer.encode_batch([t.strip() for t in texts])))
    out.with_suffix(".json").write_text(json.dumps(info, indent=1), encoding="utf-8")


def embed_rows(model: str, n: int, rows: list[int], out: Path) -> None:
    """The default run's vectors of some of the texts (one per call: batch-independent), for valgrind."""
    from cxtext.embed.artefacts import artefact_dir, artefact_file
    from cxtext.embed.models import resolve_model
    from cxtext.embed.runners import onnx_runner

    resolved = resolve_model(model)
    folder = artefact_dir(resolved, "onnx")
    texts = [resolved.prefix + t for t in _texts(model, n)][WARM_TEXTS:]
    _single_thread_options()
    one = onnx_runner(artefact_file(folder, "onnx-int8"), "onnx-int8", folder / "tokenizer.json", texts_per_call=1)
    np.save(out, one.encode_batch([texts[i] for i in rows], 32))


def valgrind_rows(model: str, n: int, rounds: int, work: Path, k: int = 4) -> None:
    """Under valgrind, the k texts whose default vectors differ most between the AVX2 shim and native."""
    (_, a_vec), (_, n_vec) = (_load(work / f"{model}-{m}-r{rounds - 1}") for m in ("avx2", "native"))
    diff = np.abs(a_vec[RUNS[4]] - n_vec[RUNS[4]]).max(axis=1)
    rows = [int(i) for i in np.argsort(-diff)[:k] if diff[i] > 1e-6]
    if rows and shutil.which("valgrind"):
        print(f"{model}: {len(rows)} rows under valgrind", flush=True)
        subprocess.run(["valgrind", "--tool=none", "-q", sys.executable, str(Path(__file__).resolve()), "--worker",
                        model, "--n", str(n), "--rows", json.dumps(rows), "--out", str(work / f"{model}-vg.npy")],
                       check=True, cwd=ROOT, env=shim_env(None))
        (work / f"{model}-vg.json").write_text(json.dumps(rows), encoding="utf-8")


def valgrind_line(model: str, work: Path, a_vec: dict, n_vec: dict) -> list[str]:
    if not (work / f"{model}-vg.npy").is_file():
        return []
    rows, vg = json.loads((work / f"{model}-vg.json").read_text(encoding="utf-8")), np.load(work / f"{model}-vg.npy")
    same = [int(np.sum(np.all(vg == x[RUNS[4]][rows], axis=1))) for x in (a_vec, n_vec)]
    return [f"The {len(rows)} texts whose default vectors differ most between AVX2 and native, embedded again under "
            f"valgrind (its Haswell CPUID, every instruction emulated): bitwise equal to the shimmed AVX2 vectors on "
            f"{same[0]}, to the native ones on {same[1]}.", ""]


# ------------------------------------------------------------------ driver and report


def run_model(model: str, n: int, rounds: int, work: Path, shim: Path) -> dict:
    """mode -> list of per-round worker infos; the last round's vectors are kept in ``work``."""
    infos: dict[str, list] = {}
    for r, mode in [(r, mode) for r in range(rounds) for mode in MODES[r % 3:] + MODES[:r % 3]]:
        out = work / f"{model}-{mode}-r{r}"
        print(f"{model} round {r + 1}/{rounds}: {mode}", flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", model, "--n", str(n), "--round", str(r),
               "--out", str(out)] + (["--vectors"] if r == rounds - 1 else [])
        env = shim_env(None) if mode == "native" else shim_env(shim, keep_avx_vnni=mode == "vnni")
        subprocess.run(cmd, check=True, cwd=ROOT, env=env)
        infos.setdefault(mode, []).append(json.loads(out.with_suffix(".json").read_text(encoding="utf-8")))
    return infos


def _ms(infos: list, label: str, n: int) -> np.ndarray:
    return np.array([i["seconds"][label] for i in infos]) / n * 1e3


def _ratio(infos: list, label: str, n: int) -> str:
    """time per text vs the r2 default: best over best, and the median of per-round (same worker) ratios."""
    t, base = _ms(infos, label, n), _ms(infos, RUNS[0], n)
    return f"{t.min() / base.min():.2f}x ({np.median(t / base):.2f}x)"


def against_valgrind(model: str, n: int, a_vec: dict, n_vec: dict, kept: Path) -> list[str]:
    """Rows bitwise equal to the AVX2 vectors avx2_emulated.py computed under valgrind (its --keep folder),
    for the texts both runs embedded: the shimmed run's and, as a contrast, the native run's."""
    if not (kept / f"{model}-avx2.npz").is_file():
        return []
    _, v_vec = _load(kept / f"{model}-avx2")
    v_texts = _texts(model, len(v_vec[RUNS[0]]))[WARM_TEXTS:]
    where = {t: i for i, t in enumerate(_texts(model, n)[WARM_TEXTS:])}
    rows = [(j, where[t]) for j, t in enumerate(v_texts) if t in where]
    cells = []
    for label in RUNS:
        # valgrind embedded fp32 on every FP32_STRIDE-th of its texts only
        pairs = [(j // FP32_STRIDE, i) for j, i in rows if j % FP32_STRIDE == 0] if label == RUNS[3] else rows
        v = v_vec[label][[j for j, _ in pairs]]
        same = [int(np.sum(np.all(x[label][[i for _, i in pairs]] == v, axis=1))) for x in (a_vec, n_vec)]
        cells.append(f"| {label} | {same[0]}/{len(pairs)} | {same[1]}/{len(pairs)} |")
    return ["", f"Against the AVX2 vectors valgrind computed (bench/avx2_emulated.py --keep, {len(rows)} of its texts "
            "are in this run): rows bitwise equal", "", "| run | shimmed (AVX2) vs valgrind | native vs valgrind |",
            "| --- | ---: | ---: |", *cells, ""]


def vnni_lines(model: str, n: int, infos: dict, work: Path, a_vec: dict, n_vec: dict) -> list[str]:
    """Where the AVX2 and native default vectors differ, which side the AVX-VNNI shim's vectors fall on (AVX2
    float kernels, int8 dot products without AVX2's int16 pair sums)."""
    _, v_vec = _load(work / f"{model}-vnni-r{len(infos['native']) - 1}")
    label = RUNS[4]
    rows = np.where(np.abs(a_vec[label] - n_vec[label]).max(axis=1) > 1e-6)[0]
    same = [int(np.sum(np.all(v_vec[label][rows] == x[label][rows], axis=1))) for x in (a_vec, n_vec)]
    where = "float" if same[0] > same[1] else "int8 GEMM" if same[1] > same[0] else "?"
    return [f"Rows of the default run where AVX2 and native differ by more than 1e-6: {len(rows)}/{n}" + (
            f"; on these the shim keeping AVX-VNNI (AVX2 float kernels, VNNI int8 dot products) gives the AVX2 "
            f"vectors bitwise on {same[0]}, the native ones on {same[1]} (so the difference comes from the {where} "
            "kernels)." if len(rows) else "."), ""]


def render_model(model: str, n: int, infos: dict, work: Path, kept: Path | None) -> tuple[list[str], dict]:
    rounds = len(infos["native"])
    (n_info, n_vec), (a_info, a_vec) = (_load(work / f"{model}-{m}-r{rounds - 1}") for m in ("native", "avx2"))
    tokens, order = n_info["tokens"], ("avx2", "vnni", "native")
    key = {m: (np.median(_ms(infos[m], RUNS[4], n) / _ms(infos[m], RUNS[0], n))) for m in MODES}
    out = [f"\n## {model}: {n} texts, {tokens} tokens ({tokens / n:.1f}/text)\n",
           "| run | " + " | ".join(f"{NAMES[m]}: ms / text, best (median) of {rounds} | vs dynamic 1/call" for m in order)
           + " | AVX2 / native time |", "| --- |" + " ---: |" * 7]
    for label in RUNS:
        cells = [f"{_ms(infos[m], label, n).min():.2f} ({np.median(_ms(infos[m], label, n)):.2f}) | "
                 f"{_ratio(infos[m], label, n)}" for m in order]
        ratio = np.median(_ms(infos["avx2"], label, n)) / np.median(_ms(infos["native"], label, n))
        out.append(f"| {label} | {' | '.join(cells)} | {ratio:.2f}x |")
    pads = ", ".join(f"{NAMES[m]} {infos[m][-1]['cpu_pad']}" for m in order)
    out += ["", "(\"vs dynamic 1/call\": time per text relative to the r2 default in the same worker, best over best "
            "(median of the per-round ratios); < 1 = faster. Padding of the default run, in tokens: "
            f"{pads} (the shimmed workers pass the flags they see, /proc/cpuinfo is the host's); "
            f"{a_info['per_call']} texts per call in all.)", "",
            "| vectors | AVX2 vs native: cos mean / min | max abs. difference | bitwise equal rows "
            "| cos to fp32, AVX2 | cos to fp32, native |", "| --- | --- | ---: | ---: | --- | --- |"]
    for label in RUNS:
        out.append(f"| {label} | {_cm(a_vec[label], n_vec[label])} | {np.abs(a_vec[label] - n_vec[label]).max():.1e} "
                   f"| {_bitwise(a_vec[label], n_vec[label])} | {_cm(a_vec[label], a_vec[RUNS[3]])} | "
                   f"{_cm(n_vec[label], n_vec[RUNS[3]])} |")
    static = RUNS[1]
    out += ["", "Batch independence of the static vectors (rows bitwise equal to the batched pad-8 run, same mode):",
            "", "| check | AVX2 kernels (shim) | VNNI/AMX (native) |", "| --- | ---: | ---: |",
            f"| one text per call | {_bitwise(a_vec[RUNS[2]], a_vec[static])} | "
            f"{_bitwise(n_vec[RUNS[2]], n_vec[static])} |",
            f"| shuffled order (other batch-mates) | {_bitwise(a_vec['static, other batch-mates'], a_vec[static])} | "
            f"{_bitwise(n_vec['static, other batch-mates'], n_vec[static])} |",
            f"| the CPU's padding instead of 8 | {_bitwise(a_vec[RUNS[4]], a_vec[static])} | "
            f"{_bitwise(n_vec[RUNS[4]], n_vec[static])} |", ""]
    out += vnni_lines(model, n, infos, work, a_vec, n_vec) + valgrind_line(model, work, a_vec, n_vec)
    out += against_valgrind(model, n, a_vec, n_vec, kept) if kept else []
    ev = []
    for mode in order:
        last = infos[mode][-1]
        ev.append(f"* {mode} worker (last round): CPUID {_cpuid_line(last['cpuid'])}; CPUID instructions answered "
                  f"by the shim: {last['cpuid_trapped'] if last['cpuid_trapped'] is not None else 'no shim'}; numpy "
                  f"AVX512F dispatch {'on' if last['numpy_avx512f'] else 'off'}; AMX permission requested "
                  f"{'yes' if last['amx_permission'] else 'no'}; AVX512_elapsed_ms {last['avx512_elapsed_ms']} at the end of"
                  f" {last['timed_s']:.0f} s of timed runs ({last['worker_s']:.0f} s since loading began)")
    return out + ["Evidence of the kernel path, per mode:", "", *ev], key


def render(line: str, models: list[str], ns: dict, rounds: int, work: Path, infos: dict, probe: dict,
           minutes: float, kept: Path | None) -> str:
    sections, keys = [], {}
    for model in models:
        body, keys[model] = render_model(model, ns[model], infos[model], work, kept)
        sections += body
    summary = "; ".join(f"{m} {k['avx2']:.2f}x on AVX2 kernels ({1 / k['avx2']:.2f}x as fast), "
                        f"{k['native']:.2f}x natively on VNNI/AMX ({1 / k['native']:.2f}x as fast), "
                        f"{k['vnni']:.2f}x on AVX-VNNI kernels ({1 / k['vnni']:.2f}x as fast)" for m, k in keys.items())
    probe_rows = [f"| {label} | " + " | ".join(f"{probe[m][name]:.0f}" for name in ("int8 MatMulInteger", "fp32 MatMul"))
                  + f" | {'yes' if probe[m]['amx_permission'] else 'no'} | {probe[m]['cpuid_trapped'] or '-'} |"
                  for m, label in (("native", "native (AMX / AVX-512 VNNI)"),
                                   ("vnni", "shim keeping AVX-VNNI (no AVX-512, no AMX)"),
                                   ("avx2", "shim, AVX2 (as the benchmark)"))]
    load = [i["load"] for model in models for mode in MODES for i in infos[model][mode]]
    return "\n".join([
        "# The int8 default on onnxruntime's AVX2 kernels, timed (CPUID faulting)\n",
        f"Date: {dt.date.today().isoformat()}\n", f"Machine: {line}\n",
        f"Command: `.venv/bin/python bench/avx2_cpuid.py {' '.join(sys.argv[1:])}`".rstrip() + " "
        f"(texts: {', '.join(f'{m} {ns[m]}' for m in models)}; {rounds} rounds; "
        f"{minutes:.0f} min on a shared 2-core machine, 1-min load average {min(load):.1f}-{max(load):.1f} at the "
        "workers' ends; run by hand, not by `make bench`: it needs gcc and CPUID "
        "faulting). Method and limits in the script's docstring.\n",
        "Method: an LD_PRELOAD shim turns on CPUID faulting (`arch_prctl(ARCH_SET_CPUID, 0)`) and answers each CPUID "
        "from a SIGSEGV handler with AVX-512, AVX-VNNI and AMX cleared (glibc's own AVX-512 string functions, chosen "
        "before the shim loads, are switched off with `GLIBC_TUNABLES`), so onnxruntime's MLAS dispatches to its AVX2 "
        "kernels, which then run for real on this core. The same texts and runs as avx2_emulated.py (more texts), "
        "one onnxruntime thread. cxtext's padding lookup reads /proc/cpuinfo (the host's, which the shim cannot "
        "change), so a shimmed worker passes the runtime the flags its CPUID shows: none under the AVX2 shim "
        "(padding 1, the no-VNNI choice, as avx2_emulated.py does), `avx_vnni` under the AVX-VNNI one (padding 8).\n",
        "Limits: the AVX2 code runs on a Sapphire-Rapids-class server core, not on a Haswell or Zen 2: the same "
        "instructions on another microarchitecture (ports, load width, caches, memory, clock), so the absolute times "
        "are not a laptop's; what carries over is the ratio between runs on the same kernels, and even that can "
        "shift where a laptop's smaller caches or slower memory weigh on one run more than another. AVX-VNNI "
        "laptops (Alder Lake on) take MLAS's AVX-VNNI path: a third worker keeps that bit (AVX2 float kernels, "
        "AVX-VNNI int8 dot products, the runtime's padding for avx_vnni), the same caveats. The machine is shared "
        "(2 cores): each round is a fresh native, AVX2 and AVX-VNNI worker, in rotating order, with the "
        "run order rotated; ratios are taken within a worker and their median over rounds is reported.\n",
        f"**Default static int8 (the CPU's padding) vs the r2 dynamic int8 one text per call, time per text, median "
        f"of per-round ratios: {summary}.** (Issue 22: never slower on AVX2; ≥ 1.4x as fast on VNNI.)\n",
        "CPUID as a program reads it (machine code, not /proc/cpuinfo):\n",
        f"* natively: {_cpuid_line(probe['native']['cpuid'])}",
        f"* under the shim: {_cpuid_line(probe['avx2']['cpuid'])}\n",
        "onnxruntime follows the bits: one-thread GEMM 256x384 @ 384x1536 (GOP/s, best of 20), each in a fresh "
        "process:\n",
        "| CPU as onnxruntime sees it | int8 MatMulInteger | fp32 MatMul | AMX permission requested | CPUIDs answered "
        "by the shim |", "| --- | ---: | ---: | --- | ---: |", *probe_rows,
        *sections, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", default=["default", "minilm"])
    parser.add_argument("--n", type=int, help="texts per model (default: e5 500, MiniLM 1000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; do not write the results file")
    parser.add_argument("--keep", type=Path, help="keep the workers' outputs in this folder")
    parser.add_argument("--valgrind-kept", type=Path, metavar="DIR",
                        help="also compare with the AVX2 vectors of a `bench/avx2_emulated.py --keep DIR` run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--vectors", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(gemm_probe()))
        return 0
    if args.worker and args.rows:
        embed_rows(args.worker, args.n, json.loads(args.rows), args.out)
        return 0
    if args.worker:
        worker(args.worker, args.n, args.out, args.round, args.vectors)
        return 0
    from machine import machine_line

    line = machine_line()
    print(line, flush=True)
    if "cpuid_fault" not in Path("/proc/cpuinfo").read_text(encoding="utf-8"):
        raise SystemExit("this CPU / VM has no CPUID faulting (no cpuid_fault flag in /proc/cpuinfo)")
    started = time.perf_counter()
    ns = {m: args.n or DEFAULT_N.get(m, 500) for m in args.models}
    with tempfile.TemporaryDirectory(prefix="avx2-cpuid-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        shim = build_shim(Path(tmp))
        probe = {}
        for mode, env in (("native", shim_env(None)), ("vnni", shim_env(shim, keep_avx_vnni=True)),
                          ("avx2", shim_env(shim))):
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe"], env=env, cwd=ROOT,
                                  capture_output=True, text=True, check=True)
            probe[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{mode:6} CPUID: {_cpuid_line(probe[mode]['cpuid'])}; one-thread GEMM GOP/s int8 "
                  f"{probe[mode]['int8 MatMulInteger']:.0f}, fp32 {probe[mode]['fp32 MatMul']:.0f}", flush=True)
        seen = probe["avx2"]
        if seen["cpuid"]["avx512f"] or not seen["cpuid"]["avx2"] or not seen["cpuid_trapped"]:
            raise SystemExit("the shim did not take effect: CPUID under it still reports AVX-512 (or lost AVX2)")
        infos = {}
        for model in args.models:
            infos[model] = run_model(model, ns[model], args.rounds, work, shim)
            valgrind_rows(model, ns[model], args.rounds, work)
            text = render(line, list(infos), ns, args.rounds, work, infos, probe, (time.perf_counter() - started) / 60,
                          args.valgrind_kept)
            print(text, flush=True)
            if not args.no_write:  # after each model, so a stopped run keeps what it measured
                RESULTS.write_text(text, encoding="utf-8")
                print(f"wrote {RESULTS}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
