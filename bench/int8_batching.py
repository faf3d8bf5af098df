"""Static int8 in length-bucketed batches vs the old dynamic int8 one text per call, against the CPU's peak.

    .venv/bin/python bench/int8_batching.py              # both models, 1000 texts, best of 3 rounds
    .venv/bin/python bench/int8_batching.py --quick      # 200 texts, 1 round, no results file

For each model (multilingual-e5-small, the default; all-MiniLM-L6-v2, the English model), in one
process with the runs interleaved round by round (the machine is shared: best of the rounds):

* **dynamic int8, 1/call**: what cxtext ran until recipe r3 (``model_qint8_avx2.onnx``, built by
  ``quantize_dynamic``; one text per onnxruntime call, the old runner's session options);
* **static int8, batch b**: the new ``onnx-int8`` (recipe r3) runner at b texts per call, texts
  sorted by token count and padded to a multiple of 8 tokens within a batch;
* **fp32, batch 32**: the ``onnx`` backend through the same runner.

Printed beside tokens/s: the machine (CPU flags, numpy fp32 GEMM GFLOP/s, onnxruntime int8 GEMM
GOP/s) and each run's GOP/s-equivalent (tokens/s x 2 x the weight-matrix multiply-adds per token),
so the distance to the hardware's rate is visible. Quality against fp32 on sets not used for
calibration: cosine (mean / min) on the timed texts, KMeans NMI (mean and sd over KMeans seeds 0-4)
on CLINC150 banking + credit cards (k = 30) and SemEval-2014 restaurants (k = 4), and for e5 the ar
/ ro twins of bench/data/parallel_painpoints.csv. Also checks that the static vectors are bitwise
the same at every batch size.
Writes bench/results/int8_batching.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "int8_batching.md"
OLD_INT8 = "model_qint8_avx2.onnx"
BATCHES = (1, 8, 32, 64)


def old_runner(path: Path, tokenizer_json: Path):
    """The r2 runner: dynamic int8, one text per call, default session options."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(512)
    tokenizer.no_padding()  # one text per call: no padding (MiniLM's tokenizer.json pads to 128)

    def encode(texts: list[str]) -> np.ndarray:
        out = []
        for text in texts:
            enc = tokenizer.encode(text.strip())
            feed = {"input_ids": np.asarray([enc.ids], np.int64),
                    "attention_mask": np.asarray([enc.attention_mask], np.int64)}
            out.append(session.run(None, feed)[0][0])
        vectors = np.asarray(out, np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    return encode


def weight_macs_per_token(model_onnx: Path) -> int:
    """Multiply-adds per token of the weight MatMuls (attention's score products excluded)."""
    import onnx

    model = onnx.load(str(model_onnx), load_external_data=False)
    dims = {i.name: list(i.dims) for i in model.graph.initializer}
    return sum(int(np.prod(dims[n.input[1]])) for n in model.graph.node
               if n.op_type == "MatMul" and n.input[1] in dims)


def timed_texts(model: str, n: int) -> list[str]:
    import pandas as pd

    from embedding import DATA, comment_mix

    if model == "default":
        return comment_mix(n)
    clinc = pd.read_csv(DATA / "clinc150" / "clinc150.csv")  # English model: English texts (train split)
    return clinc[clinc["split"] == "train"]["text"].sample(n, random_state=0).tolist()


def quality(encode, prefix: str, model: str) -> dict:
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.metrics import normalized_mutual_info_score as nmi

    import lodo_data
    from embedding import PARALLEL

    out = {}
    for name, k in (("clinc-banking", 30), ("absa-restaurants", 4)):
        df = lodo_data.load(name)
        vectors = encode([prefix + t for t in df["text"]])
        # KMeans seeds 0-4: the spread between seeds is the noise a backend's difference is read against
        scores = [nmi(df["label"], KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors))
                  for seed in range(5)]
        out[f"nmi_{name}"], out[f"nmi_{name}_sd"] = float(np.mean(scores)), float(np.std(scores))
    if model == "default":
        par = pd.read_csv(PARALLEL)
        vec = encode([prefix + t for t in par["text"]])
        en = (par["lang"] == "en").to_numpy()
        for lang in ("ar", "ro"):
            mask = (par["lang"] == lang).to_numpy()
            hits = par["group_id"].to_numpy()[en][np.argmax(vec[mask] @ vec[en].T, axis=1)] == \
                par["group_id"].to_numpy()[mask]
            out[f"twins_{lang}"] = f"{int(hits.sum())}/{int(mask.sum())}"
    return out


def bench_model(model: str, n: int, rounds: int) -> tuple[list[dict], str]:
    from tokenizers import Tokenizer

    from cxtext.embed.artefacts import artefact_dir, artefact_file, build_artefact
    from cxtext.embed.models import resolve_model
    from cxtext.embed.runners import onnx_runner

    resolved = resolve_model(model)
    for backend in ("onnx", "onnx-int8"):
        build_artefact(resolved, backend)
    folder = artefact_dir(resolved, "onnx")
    tok_json = folder / "tokenizer.json"
    texts = [resolved.prefix + t for t in timed_texts(model, n)]
    tokenizer = Tokenizer.from_file(str(tok_json))
    tokenizer.enable_truncation(512)
    tokenizer.no_padding()
    tokens = sum(len(e.ids) for e in tokenizer.encode_batch([t.strip() for t in texts]))
    macs = weight_macs_per_token(artefact_file(folder, "onnx"))
    runs: dict[str, object] = {}
    if (folder / OLD_INT8).is_file():
        runs["dynamic int8, 1/call (r2, today)"] = old_runner(folder / OLD_INT8, tok_json)
    static = artefact_file(folder, "onnx-int8")
    for b in BATCHES:
        runner = onnx_runner(static, "onnx-int8", tok_json, texts_per_call=b)
        runs[f"static int8, batch {b} (r3)"] = lambda t, r=runner: r.encode_batch(t, 32)
    fp32 = onnx_runner(artefact_file(folder, "onnx"), "onnx", tok_json)
    runs["fp32, batch 32"] = lambda t: fp32.encode_batch(t, 32)
    seconds = {label: [] for label in runs}
    vectors = {}
    for label, encode in runs.items():  # warm-up: thread pools, first-call allocations
        encode(texts[:64])
    for _ in range(rounds):
        for label, encode in runs.items():
            start = time.perf_counter()
            vectors[label] = encode(texts)
            seconds[label].append(time.perf_counter() - start)
        print(f"  round done, load average {os.getloadavg()[0]:.1f}", flush=True)
    ref = vectors["fp32, batch 32"]
    static_1 = vectors[f"static int8, batch {BATCHES[0]} (r3)"]
    rows = []
    for label, encode in runs.items():
        best = min(seconds[label])
        cos = np.sum(vectors[label] * ref, axis=1)
        row = {"model": model, "run": label, "texts_s": len(texts) / best, "tokens_s": tokens / best,
               "gops": tokens / best * 2 * macs / 1e9, "cos_mean": float(cos.mean()),
               "cos_min": float(cos.min()), "all_s": [round(s, 2) for s in seconds[label]]}
        if label.startswith("static"):
            row["bitwise_vs_batch1"] = bool(np.array_equal(vectors[label], static_1))
        with_quality = (f"static int8, batch {BATCHES[2]} (r3)", "fp32, batch 32")
        if label.startswith("dynamic") or label in with_quality:
            row.update(quality(encode, resolved.prefix, model))
        rows.append(row)
        print(f"  {label:36s} {row['texts_s']:6.1f} texts/s {row['tokens_s']:7.0f} tok/s "
              f"{row['gops']:6.1f} GOP/s  cos {row['cos_mean']:.4f}/{row['cos_min']:.4f} "
              f"{ {k: v for k, v in row.items() if k.startswith(('nmi', 'twins', 'bitwise'))} }", flush=True)
    note = (f"{len(texts)} texts, {tokens} tokens ({tokens / len(texts):.1f}/text), "
            f"{macs / 1e6:.2f} M weight MACs/token")
    return rows, note


def _nmi(row: dict, name: str) -> str:
    return f"{row[f'nmi_{name}']:.3f} ± {row[f'nmi_{name}_sd']:.3f}" if f"nmi_{name}" in row else "–"


def render(line: str, notes: dict, rows: list[dict], rounds: int) -> str:
    import datetime as dt

    out = [f"# Static int8 in batches vs dynamic int8 one text per call\n",
           f"Date: {dt.date.today().isoformat()}\n", f"Machine: {line}\n",
           f"Command: `.venv/bin/python bench/int8_batching.py` (runs interleaved, best of {rounds} "
           "rounds; the machine is shared, load average in the console log).\n"]
    for model in notes:
        out += [f"\n## {model}: {notes[model]}\n",
                "| run | texts/s | tokens/s | GOP/s-equiv. | vs today | cos to fp32 mean / min "
                "| NMI CLINC bank (k=30, seeds 0-4) | NMI ABSA rest. (k=4) | ar / ro twins "
                "| bitwise = batch 1 |",
                "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |"]
        model_rows = [r for r in rows if r["model"] == model]
        base = next((r["texts_s"] for r in model_rows if r["run"].startswith("dynamic")), None)
        for r in model_rows:
            twins = f"{r['twins_ar']} / {r['twins_ro']}" if "twins_ar" in r else "–"
            out.append(
                f"| {r['run']} | {r['texts_s']:.1f} | {r['tokens_s']:.0f} | {r['gops']:.0f} | "
                f"{(r['texts_s'] / base) if base else float('nan'):.2f}x | "
                f"{r['cos_mean']:.4f} / {r['cos_min']:.4f} | "
                f"{_nmi(r, 'clinc-banking')} | {_nmi(r, 'absa-restaurants')} | "
                f"{twins} | {r.get('bitwise_vs_batch1', '–')} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", nargs="*", default=["default", "minilm"])
    parser.add_argument("--rounds", type=int, default=None, help="timing rounds (default 3; 1 with --quick)")
    args = parser.parse_args(argv)
    n, rounds = (200, 1) if args.quick else (1000, 3)
    rounds = args.rounds or rounds
    from machine import machine_line

    line = machine_line()
    print(line, flush=True)
    rows, notes = [], {}
    for model in args.models:
        print(model, flush=True)
        model_rows, notes[model] = bench_model(model, n, rounds)
        rows += model_rows
    if not args.quick:
        RESULTS.write_text(render(line, notes, rows, rounds), encoding="utf-8")
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
