"""bench/avx2_cpuid.py's CPUID shim: it builds, a program under it sees an AVX2-only CPU (in new
threads too, not after an exec without it), and a real segmentation fault still kills."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = [
    pytest.mark.skipif(platform.system() != "Linux" or platform.machine() != "x86_64", reason="x86-64 Linux only"),
    pytest.mark.skipif(not shutil.which("gcc"), reason="needs gcc to build the shim"),
]

# in the child: CPUID read by machine code in the main thread and in a new thread, the per-thread
# faulting flag (ARCH_GET_CPUID: 0 = faulting), and the same read by a child exec'd without the shim
PROBE = r"""
import ctypes, json, os, subprocess, sys, threading
sys.path.insert(0, 'bench')
from avx2_emulated import cpuid_features
flag = lambda: ctypes.CDLL(None).syscall(158, 0x1011, 0)
seen = {}
def read(): seen['thread'] = (cpuid_features(), flag())
t = threading.Thread(target=read); t.start(); t.join()
env = {k: v for k, v in os.environ.items() if k != 'LD_PRELOAD'}
child = subprocess.run([sys.executable, '-c', "import sys; sys.path.insert(0, 'bench'); import json; "
                        "from avx2_emulated import cpuid_features; print(json.dumps(cpuid_features()))"],
                       env=env, capture_output=True, text=True, check=True).stdout
print(json.dumps({'main': (cpuid_features(), flag()), 'thread': seen['thread'], 'exec': json.loads(child)}))
"""


def _has_cpuid_fault() -> bool:
    try:
        return "cpuid_fault" in Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return False


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    from avx2_cpuid import build_shim

    return build_shim(tmp_path_factory.mktemp("shim"))


def _env(shim: Path) -> dict:
    return {**os.environ, "LD_PRELOAD": str(shim)}


def test_shim_builds(shim):
    assert shim.is_file() and shim.stat().st_size > 0


@pytest.mark.skipif(not _has_cpuid_fault(), reason="this CPU / VM has no CPUID faulting (cpuid_fault)")
def test_cpuid_under_the_shim_is_avx2_only(shim):
    from avx2_emulated import cpuid_features

    host = cpuid_features()
    out = subprocess.run([sys.executable, "-c", PROBE], env=_env(shim), cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    for where in ("main", "thread"):
        features, flag = seen[where]
        assert flag == 0, f"CPUID faulting is off in the {where} thread"
        assert features["avx2"] == host["avx2"] and features["fma"] == host["fma"]
        later = ("avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_tile", "amx_int8")
        assert not any(features[k] for k in later), features
    assert seen["exec"] == host, "an exec without LD_PRELOAD should see the real CPU again"


@pytest.mark.skipif(not _has_cpuid_fault(), reason="this CPU / VM has no CPUID faulting (cpuid_fault)")
def test_a_real_crash_still_crashes_and_reaches_faulthandler(shim):
    code = "import faulthandler, ctypes; faulthandler.enable(); ctypes.string_at(0)"
    out = subprocess.run([sys.executable, "-c", code], env=_env(shim), capture_output=True, text=True, timeout=60)
    assert out.returncode == -11  # SIGSEGV
    assert "Segmentation fault" in out.stderr  # faulthandler's handler ran (chained behind the shim's)
