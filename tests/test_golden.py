"""Golden outputs: ``cxtext analyze`` writes the same CSV, JSON and XLSX content as recorded.

The recorded files (``tests/golden/``, see ``tests/golden/golden.py``) were
written before the layout refactor of issue 20; moving code must not change
them. An intended output change regenerates them with
``python tests/golden/golden.py --update`` and says so in its commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
import golden  # noqa: E402

RECORDED_SIMD = json.loads((golden.HERE / "MACHINE.json").read_text())["simd"]
SAME_CPU = golden.simd_flags() == RECORDED_SIMD


@pytest.mark.parametrize("case", sorted(golden.CASES))
def test_outputs_match_the_golden_files(case, tmp_path):
    if case in golden.UMAP_CASES and not SAME_CPU:
        pytest.skip("UMAP's numba arithmetic differs between CPU instruction sets; this case was recorded on "
                    f"a CPU with {', '.join(f for f in RECORDED_SIMD if f.startswith('avx512'))[:80]}...")
    out = golden.run_case(case, tmp_path / "out", tmp_path / "cache")
    produced = golden.normalized_outputs(out)
    expected_dir = golden.EXPECTED / case
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected_dir.iterdir())}
    assert sorted(produced) == sorted(expected), "a different set of output files"
    for name, text in expected.items():
        if SAME_CPU:
            assert produced[name] == text, f"{case}/{name} differs from tests/golden/expected/{case}/{name}"
        else:
            assert golden.same_on_another_cpu(name, produced[name], text), \
                f"{case}/{name} differs from the golden file beyond last-digit rounding (sentiment scores: " \
                f"beyond {golden.HEAD_TOLERANCE})"


def test_on_another_cpu_only_the_sentiment_heads_values_may_move():
    header = "row,comment,sentiment,sentiment_score\n"
    recorded = header + '1,"slow, crashes",negative,-0.9553\n2,fine,neutral,0.085\n'
    assert golden.same_on_another_cpu("assignments.csv", header + '1,"slow, crashes",negative,-0.9573\n'
                                      '2,fine,neutral,0.1038\n', recorded)
    assert not golden.same_on_another_cpu("assignments.csv", header + '1,"slow, crashes",negative,-0.80\n'
                                          '2,fine,neutral,0.085\n', recorded)  # beyond 0.1
    assert not golden.same_on_another_cpu("assignments.csv", header + '1,"slow, crashes",neutral,-0.9553\n'
                                          '2,fine,neutral,0.085\n', recorded)  # a label changed
    sheet = "## assignments\n'row'\t'sentiment'\t'sentiment_score'\n1\t'negative'\t-0.9553\n## summary\n'n'\t7\n"
    assert golden.same_on_another_cpu("analysis.xlsx.txt", sheet.replace("-0.9553", "-0.9573"), sheet)
    assert not golden.same_on_another_cpu("analysis.xlsx.txt", sheet.replace("\t7", "\t8"), sheet)
    key = "'sentiment_model.held_out_vader.accuracy'\t0.7338\n"
    assert golden.same_on_another_cpu("analysis.xlsx.txt", sheet + key.replace("0.7338", "0.7383"), sheet + key)
    summary = '{"sentiment_model": {"held_out_vader": {"accuracy": 0.7338, "macro_f1": 0.685, "n": 9}}}'
    assert golden.same_on_another_cpu("summary.json", summary.replace("0.7338", "0.7383"), summary)
    assert not golden.same_on_another_cpu("summary.json", summary.replace('"n": 9', '"n": 8'), summary)


def test_the_comparison_tolerates_rounding_only():
    assert golden.same_up_to_rounding("a,0.30000000000000004,7\n", "a,0.3,7\n")
    assert not golden.same_up_to_rounding("a,0.31,7\n", "a,0.3,7\n")
    assert not golden.same_up_to_rounding("a,0.3,8\n", "a,0.3,7\n")
    assert not golden.same_up_to_rounding("b,0.3,7\n", "a,0.3,7\n")
