"""End-to-end speed and memory of ``cxtext.analyze`` at 1k, 10k and 100k comments.

Run:  .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--backend auto]

Writes bench/results/scale.md. Each size is analysed twice, each time in a
fresh Python process (so imports, model loading and numba compilation are
paid like a user pays them):

* **cold**: an empty embedding cache, every comment is embedded;
* **warm**: the same file again with the cache the cold run filled.

Reported per run: wall time of the process (start to outputs written, from
``time`` of the parent, less the in-process re-run below, which comes after), ``analyze`` time and each stage's share of it
(``Analysis.timings``), for the warm run also ``analyze again`` (the same
file analysed a second time in that process, imports and model objects
already loaded: what a re-run in the app costs), embedding throughput (distinct comments embedded
per second of the embed stage, cold), peak resident memory of the process
(``ru_maxrss``), theme count and unthemed share.

Data (from ../shared/data, never committed): a mix like our users' dumps,
40% English (CLINC150 and HWU64 queries, SemEval restaurant/laptop review
sentences), 30% Arabic (arabic-multidomain-reviews) and 30% Romanian
(LaRoSeDa reviews), every text cut to its first 40 words (survey-comment
length; long reviews would otherwise dominate embedding time). The distinct
pool holds ~80k texts; larger sizes are filled with *variations*: two
random texts of the same language joined by ". ", which keeps every comment
distinct (exact duplicates would be folded and embedded once, flattering
the numbers). NPS is drawn at random (seeded), 0-10, so the drivers stage
runs on every theme. Seeded: the same sizes give the same files.

Beside the peer: bench/scale_peer.py runs cxtext cold and BERTopic's default
pipeline end to end (sentence-transformers float32 with the same model, then
its UMAP + HDBSCAN) on 10k comments of this dump and of an English-only one,
and reports the ratio (bench/results/scale_peer.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "scale.md"
MAX_WORDS = 40
SHARES = {"en": 0.4, "ar": 0.3, "ro": 0.3}


def _cut(text: str) -> str:
    return " ".join(str(text).split()[:MAX_WORDS])


def pool() -> dict[str, list[str]]:
    """Distinct texts per language, cut to MAX_WORDS words."""
    english = pd.concat([
        pd.read_csv(DATA / "clinc150" / "clinc150.csv")["text"],
        pd.read_csv(DATA / "hwu64" / "hwu64.csv")["text"],
        pd.read_csv(DATA / "semeval-absa" / "semeval_absa_sentences.csv").query("lang == 'en'")["text"],
    ])
    arabic = pd.read_csv(DATA / "arabic-multidomain-reviews" / "arabic_multidomain_reviews.csv")["text"]
    romanian = pd.read_csv(DATA / "laroseda" / "laroseda.csv")["content"]
    out = {}
    for code, texts in (("en", english), ("ar", arabic), ("ro", romanian)):
        cut = texts.dropna().map(_cut)
        out[code] = sorted(set(t for t in cut if len(t) >= 3))
    return out


def make_dump(size: int, texts_by_language: dict[str, list[str]], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    counts = {"en": round(size * SHARES["en"]), "ar": round(size * SHARES["ar"])}
    counts["ro"] = size - counts["en"] - counts["ar"]
    for code, want in counts.items():
        texts = texts_by_language[code]
        picked = [texts[i] for i in rng.permutation(len(texts))[:want]]
        while len(picked) < want:  # variations once the distinct pool is used up
            a, b = rng.integers(0, len(texts), 2)
            picked.append(f"{texts[a]}. {texts[b]}")
        rows += [(code, t) for t in picked]
    order = rng.permutation(len(rows))
    frame = pd.DataFrame([rows[i] for i in order], columns=["lang", "comment"])
    frame.insert(0, "id", [f"c{i}" for i in range(len(frame))])
    frame["nps"] = rng.choice(11, size=len(frame), p=np.r_[np.full(7, 0.04), [0.1, 0.14], [0.24, 0.24]])
    return frame[["id", "comment", "nps"]]


def embedding_floor(texts: list[str], gflops: float) -> dict:
    """Least time the default model's transformer needs for ``texts`` at ``gflops``.

    Counts the tokens the model sees ("query: " + text, its own tokenizer) and
    the multiply-adds of its 12 encoder layers per token (the attention
    projections 4·h², the feed-forward 2·h·i; the attention scores add ~1% at
    these lengths and are left out, so this is a lower bound), at the
    machine's measured fp32 matrix-multiply rate. No backend of this model
    can embed faster in fp32; int8 kernels can gain at most ~2x on AVX2.
    """
    from tokenizers import Tokenizer

    from cxtext.embed import resolve_model

    folder = Path(resolve_model("default").path_or_name)
    config = json.loads((folder / "config.json").read_text())
    hidden, inner, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokens = sum(len(e.ids) for e in tokenizer.encode_batch(["query: " + t for t in texts]))
    flop_per_token = 2 * layers * (4 * hidden * hidden + 2 * hidden * inner)
    return {"tokens": tokens, "tokens_per_comment": tokens / len(texts), "gflop_per_token": flop_per_token / 1e9,
            "tflop": tokens * flop_per_token / 1e12, "gemm_gflops": gflops,
            "floor_s": tokens * flop_per_token / (gflops * 1e9)}


def worker(path: str, cache: str, backend: str, out: str) -> None:
    import resource

    import cxtext
    from cxtext.embed import SentenceTransformerEmbedder

    start = time.perf_counter()
    analysis = cxtext.analyze(path, cache_path=cache, embedder=SentenceTransformerEmbedder(backend=backend))
    seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        written = time.perf_counter()
        analysis.write(folder)
        write_seconds = time.perf_counter() - written
    # the app's case: the same file analysed again in a process that has
    # already imported everything (only for the warm run: the cache is full).
    # It runs after the outputs are written; the parent subtracts it from the wall time.
    again_s = None
    if not analysis.summary["embedding_cache"]["misses"]:
        again = time.perf_counter()
        cxtext.analyze(path, cache_path=cache, embedder=SentenceTransformerEmbedder(backend=backend))
        again_s = time.perf_counter() - again
    summary = analysis.summary
    Path(out).write_text(json.dumps({
        "analyze_s": seconds, "again_s": again_s, "write_s": write_seconds, "timings": analysis.timings,
        "hits": summary["embedding_cache"]["hits"], "misses": summary["embedding_cache"]["misses"],
        "themes": summary["theme_count"], "unthemed": summary["unthemed_share"],
        "rows": summary["rows_in"], "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def run(path: Path, cache: Path, backend: str, folder: Path, label: str) -> dict:
    out = folder / f"{label}.json"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--worker", str(path), str(cache), backend, str(out)],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    # start of the process to outputs written: the in-process re-run came after
    result["wall_s"] = wall - (result["again_s"] or 0.0)
    return result


def row(size: int, kind: str, result: dict) -> dict:
    timings = result["timings"]
    total = sum(timings.values())
    embed_s = timings.get("embed", 0.0)
    out = {
        "comments": size, "run": kind, "wall s": result["wall_s"], "analyze s": result["analyze_s"],
        "analyze again s": result.get("again_s"),
        "embedded": result["misses"], "comments/s embedded": result["misses"] / embed_s if result["misses"] else None,
        "peak RSS MB": result["peak_rss_mb"], "themes": result["themes"], "unthemed": result["unthemed"],
    }
    for stage in ("load", "validate", "normalize", "embed", "annotate", "themes", "drivers"):
        out[f"{stage} %"] = 100 * timings.get(stage, 0.0) / total if total else 0.0
    return out


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def markdown(table: pd.DataFrame) -> str:
    head = "| " + " | ".join(table.columns) + " |\n|" + " --- |" * len(table.columns) + "\n"
    return head + "".join("| " + " | ".join(_fmt(v) for v in r) + " |\n" for r in table.itertuples(index=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backend", default="auto", help="embedding backend (cxtext.embed.backends; auto = the default)")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    machine = machine_line()
    print(machine, flush=True)
    texts = pool()
    print("distinct pool: " + ", ".join(f"{k} {len(v)}" for k, v in texts.items()), flush=True)
    rows = []
    floors = []
    from bench.machine import gemm_gflops

    gflops = gemm_gflops()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"dump_{size}.csv"
            dump = make_dump(size, texts)
            dump.to_csv(path, index=False)
            floors.append({"comments": size, **embedding_floor(dump["comment"].tolist(), gflops)})
            cache = folder / f"cache_{size}.sqlite"
            for kind in ("cold", "warm"):
                result = run(path, cache, args.backend, folder, f"{size}-{kind}")
                rows.append(row(size, kind, result))
                print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    text = (
        f"# End to end at scale (backend `{args.backend}`)\n\nDate: {dt.date.today().isoformat()}\n\n"
        f"Machine: {machine}\n\nCommand: `.venv/bin/python bench/scale.py --sizes {args.sizes} "
        f"--backend {args.backend}` (data and definitions in its docstring).\n\n"
        f"Distinct text pool: {', '.join(f'{k} {len(v):,}' for k, v in texts.items())}.\n\n"
        + markdown(table)
        + "\n### Embedding floor of the default model on this machine\n\n"
        "The least time multilingual-e5-small's 12 layers need for these comments at this machine's "
        "measured fp32 matrix-multiply rate (`embedding_floor` in bench/scale.py: tokens × multiply-adds "
        "per token ÷ GEMM rate; attention scores left out, so a lower bound). No fp32 backend of this model "
        "embeds faster here; int8 kernels (AVX2, no VNNI) gain well under 2x.\n\n"
        + markdown(pd.DataFrame([{
            "comments": f["comments"], "tokens": f["tokens"], "tokens/comment": f["tokens_per_comment"],
            "GFLOP/token": f["gflop_per_token"], "TFLOP": f["tflop"], "GEMM GFLOP/s": f["gemm_gflops"],
            "fp32 floor s": f["floor_s"]} for f in floors]))
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
