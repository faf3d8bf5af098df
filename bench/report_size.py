"""How big are report.html and report.pptx, and how long do they take to write?

Run:  .venv/bin/python bench/report_size.py       (writes bench/results/report_size.md)

Two analyses: the bundled sample (600 rows) with the default settings, and a
10,000-comment dump built like bench/scale.py's (en/ar/ro from ../shared/data,
random NPS, a date and a channel so trends and sources appear). The 10k one
is embedded with the ``model2vec`` backend to keep this benchmark to a few
minutes; the report's size depends on the number of themes and quotes, not
on how the vectors were made. Both use the embedding cache in bench/cache/.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "report_size.md"
CACHE = ROOT / "bench" / "cache" / "embeddings.sqlite"


def ten_thousand() -> pd.DataFrame:
    from bench.scale import make_dump, pool

    frame = make_dump(10_000, pool())
    rng = np.random.default_rng(1)
    start = pd.Timestamp("2026-01-01")
    frame["date"] = [(start + pd.Timedelta(days=int(d))).date().isoformat() for d in rng.integers(0, 180, len(frame))]
    frame["channel"] = rng.choice(["nps_survey", "twitter", "app_store"], len(frame), p=[0.6, 0.25, 0.15])
    return frame


def measure(name: str, analysis) -> dict:
    from cxtext.report import write_report

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        html_path, pptx_path = write_report(analysis, folder, ["html", "pptx"])
        seconds = time.perf_counter() - start
        return {"analysis": name, "rows": analysis.summary["rows_in"], "themes": analysis.summary["theme_count"],
                "report.html KB": round(Path(html_path).stat().st_size / 1024),
                "report.pptx KB": round(Path(pptx_path).stat().st_size / 1024),
                "write both s": round(seconds, 1)}


def main() -> int:
    import cxtext
    from cxtext.embed import SentenceTransformerEmbedder

    machine = machine_line()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    rows = [measure("bundled sample", cxtext.analyze(ROOT / "examples" / "sample_feedback.csv", cache_path=CACHE))]
    print(rows[-1], flush=True)
    big = cxtext.analyze(ten_thousand(), text="comment", nps="nps", date="date", source="channel",
                         cache_path=CACHE, embedder=SentenceTransformerEmbedder(backend="model2vec"))
    rows.append(measure("10k comments (model2vec vectors)", big))
    print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    lines = ["| " + " | ".join(table.columns) + " |", "|" + " --- |" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in table.itertuples(index=False)]
    text = (f"# Report size\n\nDate: {dt.date.today().isoformat()}\n\nMachine: {machine}\n\n"
            "Command: `.venv/bin/python bench/report_size.py` (data in its docstring). The HTML holds the top "
            "8 themes in full and a compact table of the rest (at most 300 rows).\n\n" + "\n".join(lines) + "\n")
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
