"""Golden outputs of ``cxtext analyze``: what the layout refactor must not change.

Three cases, each a CLI run with a fixed seed and a committed embedding cache
(``cache/<case>.sqlite``, so no vector is recomputed and the outputs depend
on the code alone, not on the CPU's embedding arithmetic):

* ``sample``: the bundled ``examples/sample_feedback.csv`` (600 rows, the
  UMAP + HDBSCAN path), CSV + XLSX + JSON;
* ``taxonomy``: a public Google Play export (59 bank-app reviews) with the
  three-theme ``bank_taxonomy.csv``;
* ``social``: 41 public Romanian tweets through ``pipelines/social_mentions.yaml``.

``expected/<case>/`` holds every CSV and JSON output byte for byte, except
``summary.json``, whose run-dependent keys (``timings_seconds``,
``embedding_cache``) are removed, and ``analysis.xlsx``, stored as the text of
its cells (``analysis.xlsx.txt``) because the file itself carries a creation
time. ``MACHINE.json`` records the SIMD flags of the machine that wrote them.

Regenerate (only when an output change is intended, and say so in the
commit message)::

    python tests/golden/golden.py --update
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXPECTED = HERE / "expected"
CACHES = HERE / "cache"
FIXTURES = "tests/fixtures/real_exports"

CASES: dict[str, list[str]] = {
    "sample": ["analyze", "examples/sample_feedback.csv"],
    "taxonomy": ["analyze", f"{FIXTURES}/ethiopian_bank_play_reviews_59.csv",
                 "--taxonomy", "tests/golden/bank_taxonomy.csv"],
    "social": ["run", "pipelines/social_mentions.yaml", f"{FIXTURES}/red_v1_tweets_ro_41.csv"],
}
# Cases that reach UMAP (numba float arithmetic may differ between CPU
# instruction sets); the others cluster below the small-corpus size.
UMAP_CASES = {"sample"}
RUN_DEPENDENT_KEYS = ("timings_seconds", "embedding_cache")


def simd_flags() -> list[str]:
    """The CPU's vector-instruction flags that change float arithmetic (Linux; [] elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    wanted = ("avx", "fma", "sse4", "amx")
    return sorted({f for f in line.split(":", 1)[-1].split() if f.startswith(wanted)})


def run_case(case: str, out: Path, cache_dir: Path) -> Path:
    """Run one golden case into ``out`` with a copy of its committed cache; returns ``out``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_dir / "emb.sqlite"
    committed = CACHES / f"{case}.sqlite"
    if committed.exists():
        shutil.copyfile(committed, cache)
    cmd = [sys.executable, "-m", "cxtext", *CASES[case], "--out", str(out), "--no-history", "--quiet",
           "--seed", "0", "--cache", str(cache), "--format", "xlsx", "--format", "json"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return out


def normalized_outputs(out: Path) -> dict[str, str]:
    """Each output file of a run as the text that is compared (see the module docstring)."""
    texts: dict[str, str] = {}
    for path in sorted(out.iterdir()):
        if path.suffix in (".csv", ".json") and path.name != "summary.json":
            texts[path.name] = path.read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in RUN_DEPENDENT_KEYS:
        summary.pop(key, None)
    texts["summary.json"] = json.dumps(summary, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if (out / "analysis.xlsx").exists():
        texts["analysis.xlsx.txt"] = xlsx_text(out / "analysis.xlsx")
    return texts


def xlsx_text(path: Path) -> str:
    """Every sheet's cells as tab-separated text (values as written, types kept by repr)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else repr(v) for v in row]
            if cells and cells[0].strip("'").split(".")[0] in RUN_DEPENDENT_KEYS:
                continue  # the summary sheet's copy of the run-dependent keys
            lines.append("\t".join(cells))
    book.close()
    return "\n".join(lines) + "\n"


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def same_up_to_rounding(a: str, b: str, rel: float = 1e-6) -> bool:
    """True when two texts differ at most in the last digits of their numbers.

    Used only on a machine whose SIMD flags differ from the one that wrote the
    golden files: BLAS and numpy reductions may then round the last bit
    differently, which shows in full-precision floats and nowhere else.
    """
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return False
    for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b)):
        if x == y:
            continue
        fx, fy = float(x), float(y)
        if abs(fx - fy) > rel * max(abs(fx), abs(fy), 1e-3):
            return False
    return True


def update() -> None:
    """Rewrite the committed caches and expected outputs from the current code."""
    import tempfile

    CACHES.mkdir(exist_ok=True)
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            cache_dir = Path(tmp) / "cache"
            out = run_case(case, Path(tmp) / "out", cache_dir)
            shutil.copyfile(cache_dir / "emb.sqlite", CACHES / f"{case}.sqlite")
            target = EXPECTED / case
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for name, text in normalized_outputs(out).items():
                (target / name).write_text(text, encoding="utf-8")
        print(f"{case}: {len(list(target.iterdir()))} files")
    (HERE / "MACHINE.json").write_text(json.dumps({"simd": simd_flags()}, indent=1) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the golden files from the current code")
    if parser.parse_args().update:
        update()
    else:
        parser.print_help()
