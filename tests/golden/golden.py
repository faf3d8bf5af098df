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
On a machine with other flags the comparison allows last-digit rounding and,
for the sentiment heads that ``make`` trains on the machine itself (their
scores and held-out accuracy), a gap of :data:`HEAD_TOLERANCE`
(:func:`same_on_another_cpu`); the ``sample`` case, which reaches UMAP, is
skipped there.

Regenerate (only when an output change is intended, and say so in the
commit message)::

    python tests/golden/golden.py --update
"""

from __future__ import annotations

import argparse
import csv
import io
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


#: Values the sentiment heads write. ``make`` trains the heads on this machine from the int8 model's
#: vectors, and those follow the CPU's int8 kernels (AVX2 vs AVX-512 VNNI: up to 6.5e-3 apart,
#: bench/results/avx2_cpuid.md), so on a CPU other than the recording one these move by a few
#: hundredths while every label, theme and driver stays the same (seen on an AMD EPYC, AVX2 only:
#: sentiment scores up to 0.056 apart on the Romanian tweets, 0.025 on the bank reviews; the heads'
#: held-out accuracy 0.7383 vs 0.7338). The labels themselves are still compared exactly.
HEAD_COLUMNS = ("sentiment_score",)
HEAD_SUMMARY = ("sentiment_model", "held_out_vader", ("accuracy", "macro_f1"))
HEAD_TOLERANCE = 0.1


def head_values(name: str, text: str) -> tuple[str, list[float]]:
    """``text`` with the sentiment heads' values (see HEAD_COLUMNS) replaced by ``H``, and those values."""
    values: list[float] = []
    if name == "summary.json":
        data = json.loads(text)
        node = data
        for key in HEAD_SUMMARY[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        for key in HEAD_SUMMARY[-1] if isinstance(node, dict) else ():
            if isinstance(node.get(key), (int, float)):
                values.append(float(node[key]))
                node[key] = "H"
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", values
    if name.endswith(".json"):
        rows = json.loads(text)
        for row in rows if isinstance(rows, list) else []:
            for column in HEAD_COLUMNS:
                if isinstance(row, dict) and isinstance(row.get(column), (int, float)):
                    values.append(float(row[column]))
                    row[column] = "H"
        return json.dumps(rows, ensure_ascii=False, sort_keys=True), values
    if name.endswith(".csv"):  # quoted commas: the csv module splits the cells
        rows = list(csv.reader(io.StringIO(text)))
        at = [i for i, c in enumerate(rows[0]) if c in HEAD_COLUMNS] if rows else []
        for row in rows[1:]:
            for i in at:
                if i < len(row) and _NUMBER.fullmatch(row[i]):
                    values.append(float(row[i]))
                    row[i] = "H"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue(), values
    separator = "\t"  # analysis.xlsx.txt: one line per row, cells as Python literals (a tab is escaped)
    out, masked = [], set()
    for line in text.split("\n"):
        cells = line.split(separator)
        names = [c.strip("'\"") for c in cells]
        summary_key = ".".join([*HEAD_SUMMARY[:-1], ""])
        if len(cells) == 2 and names[0].startswith(summary_key) and names[0][len(summary_key):] in HEAD_SUMMARY[-1] \
                and _NUMBER.fullmatch(cells[1]):  # the summary sheet's key / value row of the heads' accuracy
            values.append(float(cells[1]))
            cells[1] = "H"
        elif any(column in names for column in HEAD_COLUMNS):  # a header row: remember where the heads write
            masked = {i for i, c in enumerate(names) if c in HEAD_COLUMNS}
        elif line.startswith("## ") or not line:
            masked = set() if line.startswith("## ") else masked
        else:
            for i in masked:
                if i < len(cells) and _NUMBER.fullmatch(cells[i]):
                    values.append(float(cells[i]))
                    cells[i] = "H"
        out.append(separator.join(cells))
    return "\n".join(out), values


def same_on_another_cpu(name: str, a: str, b: str) -> bool:
    """:func:`same_up_to_rounding`, except the sentiment heads' values may differ by HEAD_TOLERANCE."""
    masked_a, values_a = head_values(name, a)
    masked_b, values_b = head_values(name, b)
    return (len(values_a) == len(values_b)
            and all(abs(x - y) <= HEAD_TOLERANCE for x, y in zip(values_a, values_b))
            and same_up_to_rounding(masked_a, masked_b))


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
