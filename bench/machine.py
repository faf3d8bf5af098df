"""What machine a benchmark ran on: CPU, SIMD flags, cores, memory, a GEMM figure.

Machines of the same kind differ a lot (AVX2 vs AVX-512), so every result
file prints this beside its numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import time

import numpy as np


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            for line in stream:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def simd_flags() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            flags = next(line for line in stream if line.startswith("flags")).split(":", 1)[1].split()
    except (OSError, StopIteration):
        return "unknown"
    wanted = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_int8")
    return " ".join(f for f in wanted if f in flags) or "none of avx2/avx512"


def gemm_gflops(size: int = 1024, repeats: int = 5) -> float:
    """fp32 matrix multiply throughput on this process's threads (GFLOP/s)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    a @ b
    seconds = float("inf")
    for _ in range(repeats):  # best single run: the machine may be shared
        start = time.perf_counter()
        a @ b
        seconds = min(seconds, time.perf_counter() - start)
    return 2 * size**3 / seconds / 1e9


def int8_gemm_gops(size: int = 1024, repeats: int = 5) -> float:
    """uint8 x int8 matrix multiply throughput of onnxruntime's MatMulInteger (the kernel family
    the int8 backends run; VNNI / AMX where the CPU has them), in GOP/s (2 ops per multiply-add)."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weight = rng.integers(-64, 64, (size, size), dtype=np.int8)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"])], "gemm",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [size, size])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [size, size])],
        [numpy_helper.from_array(weight, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    a = rng.integers(0, 255, (size, size), dtype=np.uint8)
    session.run(None, {"a": a})
    best = float("inf")
    for _ in range(repeats):  # best single run: the machine may be shared
        start = time.perf_counter()
        session.run(None, {"a": a})
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_line() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{dt.date.today().isoformat()} · {cpu_model()} · {os.cpu_count()} cores · "
            f"{memory_gb:.0f} GiB · SIMD: {simd_flags()} · "
            f"fp32 GEMM {gemm_gflops():.0f} GFLOP/s (numpy) · "
            f"int8 GEMM {int8_gemm_gops():.0f} GOP/s (onnxruntime MatMulInteger)")


if __name__ == "__main__":
    print(machine_line())


def result_head(title: str) -> list[str]:
    """The first lines of a result file: its title, today's date and :func:`machine_line`."""
    return [f"# {title}", "", f"Date: {dt.date.today().isoformat()}", "", f"Machine: {machine_line()}", ""]
