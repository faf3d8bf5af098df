"""Run every benchmark and assemble bench/RESULTS.md (what ``make bench`` runs).

Run:  .venv/bin/python bench/run_all.py [--only themes,drivers] [--assemble-only]

Each benchmark is its own script writing ``bench/results/<name>.md`` with its
date, machine and command; this runner calls them one after another (never
in parallel: they would slow each other down) and concatenates their result
files, in the order below, under a header naming the machine. A benchmark
that fails is reported in RESULTS.md with its error instead of stopping the
others. ``--assemble-only`` rebuilds RESULTS.md from the existing result
files without running anything.

The full run takes about 1.5-2 hours on 2 cores, most of it embedding the
100k-comment scale set once with the default model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
RESULTS = ROOT / "bench" / "RESULTS.md"

#: name -> (script and arguments, what it answers)
BENCHMARKS: dict[str, tuple[list[str], str]] = {
    "targets": ([], "each issue's target against what was measured (written by hand from the sections below)"),
    "themes": (["bench/themes.py"], "theme quality vs BERTopic on CLINC150 and HWU64, same embeddings"),
    "multilingual": (["bench/multilingual.py"], "Arabic, Romanian and English comments in one theme"),
    "drivers": (["bench/drivers.py"], "do the worst-rated hotel aspects come out as top drivers?"),
    "embedding": (["bench/embedding.py"], "embedding backends: speed against quality"),
    "int8_batching": (["bench/int8_batching.py"],
                      "issue 22: static int8 in length-bucketed batches vs dynamic int8 one text per call, "
                      "against the CPU's int8 and fp32 GEMM rates"),
    "avx2_emulated": ([], "issue 22 on a CPU without AVX-512/VNNI: the int8 default's instructions and vectors with "
                          "onnxruntime's AVX2 kernels under valgrind (run by hand: bench/avx2_emulated.py)"),
    "int8_batching_avx2": ([], "issue 22 on a real AVX2-only CPU (AMD EPYC): bench/int8_batching.py's run there, "
                                 "static int8 vs float32 speed and quality (run by hand; its output moved aside)"),
    "avx2_cpuid": ([], "issue 22 on AVX2 kernels in wall time: onnxruntime's AVX2 path forced by CPUID faulting on "
                       "this core, the int8 default vs the r2 default (run by hand: bench/avx2_cpuid.py)"),
    "scale": (["bench/scale.py"], "1k / 10k / 100k comments end to end, cold and warm"),
    "scale_m2v": (["bench/scale.py", "--sizes", "100000", "--backend", "model2vec", "--out",
                   "bench/results/scale_m2v.md"], "100k comments end to end with the fastest backend (model2vec)"),
    "scale_peer": (["bench/scale_peer.py"],
                   "10k comments cold beside BERTopic's default pipeline end to end (English and en/ar/ro dumps)"),
    "scale_fit": (["bench/scale_fit.py"], "themes fitted on a sample vs on everything"),
    "hierarchy": (["bench/hierarchy.py"], "do parent themes match CLINC150's domains?"),
    "taxonomy": (["bench/taxonomy.py"], "a team's own taxonomy on CLINC150: assignment accuracy, what it pulls in"),
    "suggest": (["bench/suggest.py"], "are the merge and split suggestions right on CLINC150 banking?"),
    "sentiment": (["bench/sentiment.py"], "sentiment accuracy per language against the majority baseline"),
    "kinds": ([], "comment kinds on a held-out en/ar/ro set (written by bench/sentiment.py)"),
    "sentiment_heads": (["bench/sentiment_heads.py"],
                        "issue 21: trained sentiment heads vs the seed classifier per language, natural and balanced mixes"),
    "report_size": (["bench/report_size.py"], "size of report.html / report.pptx for 600 and 10k comments"),
    "real_exports": (["bench/real_exports.py"], "public exports nobody here wrote: roles found vs expected, rows, themes"),
    "small_surveys": (["bench/small_surveys.py"], "10-300 comments: the small-survey rule vs the default, held out"),
    "lodo": (["bench/lodo.py", "--reuse-bertopic"],
             "theme settings chosen leave-one-dataset-out on six labelled sets, vs plain UMAP+HDBSCAN and BERTopic"),
    "english_model": (["bench/english_model.py"], "MiniLM int8 vs float32, vs e5, and non-English comments in an English dump"),
    "planted_drivers": (["bench/planted_drivers.py", "--sets", "clinc-banking,hwu64,bitext-service", "--seeds", "5"],
                        "NPS planted on 5 intents: do the top-5 driver themes carry them?"),
    "refine_trial": (["bench/refine_trial.py"],
                     "issue 19: merging near-duplicate themes or splitting mixed ones, chosen leave one dataset out"),
    "lodo_seeds": (["bench/lodo_seeds.py"],
                   "issue 19: the library's defaults vs plain UMAP+HDBSCAN+nearest over 5 seeds, with intervals"),
    "stranger_sets": (["bench/stranger_sets.py"],
                      "issue 19: three labelled sets no setting was chosen on (HINT3 chatbot queries): the defaults "
                      "vs plain and BERTopic over 5 seeds"),
    "plain_steps": (["bench/plain_steps.py"],
                    "issue 19: the library's differences from plain UMAP+HDBSCAN+nearest, switched one at a time"),
    "granularity_trial": (["bench/granularity_trial.py"],
                          "issue 19: can a dump choose its own theme size by silhouette? (leave one dataset out)"),
    "size_selection_trial": (["bench/size_selection_trial.py"],
                             "issue 19: the theme size picked per dump by DBCV or silhouette, and UMAP ensembles, "
                             "chosen leave one dataset out, checked on HINT3"),
    "driver_dedupe_trial": (["bench/driver_dedupe_trial.py"],
                            "issue 19: finer themes plus near-duplicate grouping of the top drivers, chosen leave one "
                            "dataset out"),
    "outcome_split_trial": (["bench/outcome_split_trial.py"],
                            "issue 19: split a theme when its parts' detractor rates differ, planted drivers chosen "
                            "leave one dataset out, with false splits on unplanted NPS"),
    "fine_merge_trial": (["bench/fine_merge_trial.py"],
                         "issue 19: finer themes, then merging close themes, against plain, chosen leave one dataset "
                         "out"),
    "taxonomy_prune_trial": (["bench/taxonomy_prune_trial.py"],
                             "issue 19: the neighbour vote's prune, fixed or by the theme's size (six sets, small "
                             "dumps, HINT3, the bundled sample)"),
    "taxonomy_vote_trial": (["bench/taxonomy_vote_trial.py"],
                            "issue 19: growing a taxonomy theme's matches by neighbour votes, cluster share or "
                            "rectified prototypes, chosen leave one dataset out"),
    "taxonomy_vote_trial_minilm": ([], "the same trial on all-MiniLM-L6-v2 vectors (written by "
                                       "bench/taxonomy_vote_trial.py --model minilm)"),
    "taxonomy_small": (["bench/taxonomy_small.py"],
                       "issue 19: the relative and the cluster taxonomy rule on dumps of 150-600 comments, chosen leave "
                       "one dataset out"),
    "taxonomy_cap": (["bench/taxonomy_cap.py"],
                     "issue 19: the cap on a taxonomy theme's threshold, chosen leave one dataset out on examples from "
                     "the set and written by hand"),
    "taxonomy_expand_trial": (["bench/taxonomy_expand_trial.py"],
                              "issue 19: a taxonomy theme whose examples agree closely widened by its nearest comments, "
                              "chosen leave one dataset out"),
    "taxonomy_expand_trial_minilm": ([], "the same trial on all-MiniLM-L6-v2 vectors (written by "
                                         "bench/taxonomy_expand_trial.py --model minilm)"),
    "taxonomy_joint": (["bench/taxonomy_joint.py"],
                       "issue 19: the taxonomy rule's parameters and its cap chosen together, leave one dataset out, "
                       "on names, example rows and hand-written examples"),
    "taxonomy_handwritten": (["bench/taxonomy_handwritten.py"],
                             "issue 19: a taxonomy whose examples are written by hand, as a team writes them: what each "
                             "rule matches"),
    "labels": (["bench/labels.py"], "theme labels against gold intent and aspect names, old vs new, held out"),
    "taxonomy_lodo": (["bench/taxonomy_lodo.py"], "a taxonomy's matching rule chosen leave-one-dataset-out: matched vs pulled in"),
    "mentions": (["bench/mentions.py"],
                 "issue 23: themes per mention vs per comment (SemEval ABSA aspects per review, TripAdvisor drivers, "
                 "short texts unchanged)"),
    "finetune_trial": (["bench/finetune_trial.py"],
                       "issue 19: does one pass of fine-tuning on English intents help on held-out sets?"),
    "finetune_registry_trial": ([], "issue 19: the fine-tuning trial on registry data only (MultiWOZ from convlab, Home "
                                    "Assistant intents en/ar/ro), every set held out (74 min: run by hand; its "
                                    "reading is written by hand)"),
    "finetune_pipeline_trial": ([], "issue 19: the registry fine-tune through cxtext's own theme pipeline, 3 seeds, with "
                                    "and without a keep-near-base term for Arabic and Romanian (training 12-16 min a "
                                    "variant: run by hand)"),
    "review_exports": ([], "issue 23: public review exports with placeholders and multi-topic complaints, as a new user "
                           "runs them (run by hand with the commands in its file)"),
    "real_exports_heldout2": ([], "second held-out batch of public exports: roles expected before the run vs found, "
                                  "defects and fixes (bench/real_exports_heldout2.py scores the roles)"),
    "real_exports_heldout3": ([], "third held-out batch (help-desk tickets, workbooks, Excel 2003 XML): roles expected vs "
                                  "found, defects and fixes (bench/real_exports_heldout3.py)"),
}


def run(name: str) -> tuple[bool, float, str]:
    command, _ = BENCHMARKS[name]
    if not command:  # its result file is written by another benchmark
        return True, 0.0, ""
    script = ROOT / command[0]
    if not script.is_file():
        return False, 0.0, f"{command[0]} does not exist yet"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return False, seconds, (proc.stderr or proc.stdout)[-2000:]
    return True, seconds, ""


def assemble(statuses: dict[str, tuple[bool, float, str]]) -> str:
    parts = [
        "# cxtext benchmark results\n",
        f"Assembled {dt.date.today().isoformat()} by `make bench` (`bench/run_all.py`). "
        "Each section below is one benchmark's own result file (`bench/results/<name>.md`), with "
        "the date and machine it ran on; re-run one with its command to refresh it.\n",
        f"This machine now: {machine_line()}\n",
        "| benchmark | question | this run |\n| --- | --- | --- |",
    ]
    for name, (_, question) in BENCHMARKS.items():
        if name in statuses:
            ok, seconds, _ = statuses[name]
            state = f"ran in {seconds / 60:.1f} min" if ok else "FAILED (see below)"
        else:
            state = "not re-run; result file from its own date"
        parts.append(f"| [{name}](#{name}) | {question} | {state} |")
    parts.append("")
    for name in BENCHMARKS:
        parts.append(f'<a id="{name}"></a>\n')
        status = statuses.get(name)
        if status and not status[0]:
            parts.append(f"## {name}: failed\n\n```\n{status[2].strip()}\n```\n")
        path = RESULTS_DIR / f"{name}.md"
        if path.is_file():
            body = path.read_text(encoding="utf-8").strip()
            # demote the file's headings one level under this document's title
            body = "\n".join("#" + line if line.startswith("#") else line for line in body.splitlines())
            parts.append(body + "\n")
        elif not status:
            script = BENCHMARKS[name][0][0] if BENCHMARKS[name][0] else "bench/run_all.py"
            parts.append(f"## {name}\n\nNo result yet: run `.venv/bin/python {script}`.\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--assemble-only", action="store_true")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    statuses: dict[str, tuple[bool, float, str]] = {}
    if not args.assemble_only:
        for name in names:
            print(f"running {name} ...", flush=True)
            statuses[name] = run(name)
            ok, seconds, error = statuses[name]
            print(f"  {'ok' if ok else 'FAILED'} in {seconds / 60:.1f} min" + ("" if ok else f"\n{error}"), flush=True)
            if ok and (RESULTS_DIR / f"{name}.md").is_file():
                print((RESULTS_DIR / f"{name}.md").read_text(encoding="utf-8"), flush=True)
    RESULTS.write_text(assemble(statuses), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if all(ok for ok, _, _ in statuses.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
