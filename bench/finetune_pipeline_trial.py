"""The registry fine-tune (variant a) through cxtext's own theme pipeline, over seeds, with and without a term
that keeps Arabic and Romanian near their base vectors (issue 19, point 2).

    .venv/bin/python bench/finetune_pipeline_trial.py [--steps 400] [--threads 1] [--variants base,a,a+keep]
    .venv/bin/python bench/finetune_pipeline_trial.py --from-runs      # rewrite the report from the runs csv

``bench/finetune_registry_trial.py`` measured its tuned models with KMeans at the true k only, and did not keep
them. Here:

* **Training** (1 torch thread by default), models saved to ``bench/cache/finetune_pipeline/`` (git-ignored)
  in folders named ``e5-small-<variant>`` so that ``cxtext.embed`` gives them the e5 "query: " prefix the way it
  gives any local folder whose name holds "e5":

  - ``a``: convlab only, the *same* ``steps`` batches as finetune_registry_trial's variant a (its data builder
    and ``make_batches``, seed 0) and ``finetune_trial.train_on_batches`` (MultipleNegativesRankingLoss, AdamW
    lr 2e-5, token embeddings and the lower 6 of 12 layers frozen, torch seed 0);
  - ``a+keep``: the same batches and the same loop, plus on every step a *keep* batch of 12 sentences (4 Home
    Assistant Arabic, 4 Home Assistant Romanian, 2 Arabic and 2 Romanian sides of the Django / Oscar / Wagtail
    translation anchors; drawn with their own seed, 1, so the convlab batches are unchanged) embedded by the
    model being trained and by the frozen base model; the loss adds ``LAMBDA * mean(1 - cos(tuned, base))``.
    ``LAMBDA = 1.0`` fixed a priori (the MNRL loss's per-sentence gradient is of the order of its scale 20 /
    batch 32 ~ 0.6 x (1 - p), the keep term's 1 / 12 ~ 0.08 per sentence; not tuned on any evaluation set).
    None of the keep sentences is in an evaluation set.
  - ``a:1``, ``a+keep:1`` (``--variants a:1,a+keep:1``): the same two with batches drawn with seed 1 (keep
    batches with seed 2), a second training run of each to show how much of a difference is training noise.

* **Evaluation through the product**, float32 vectors from ``cxtext.embed.SentenceTransformerEmbedder`` with
  ``backend="torch"`` (the base is ``model="default"``; the shipped default runs int8 ONNX, not measured here),
  cached per variant in ``bench/cache/finetune_pipeline/vectors/``:

  - the six LODO sets of ``bench/lodo_data.py``: ``ThemeModel(embedding_model="default", random_state=seed)``
    at its defaults (``bench/lodo_seeds.library_labels``, as ``cxtext analyze`` fits them) and plain
    UMAP(5)+HDBSCAN(10)+nearest (``bench/lodo.plain_labels``), seeds 0, 1, 2, NMI / ARI against gold with
    unthemed as one more label (``bench/lodo.score``);
  - beside them, KMeans at the true number of labels (n_init 3, seeds 0-2) on the same vectors, the measure of
    finetune_registry_trial, to tie the two trials together;
  - the en/ar/ro parallel set as ``bench/multilingual.py`` fits it (``ThemeModel(min_theme_size=5,
    center_languages=True, min_language_size=20, random_state=seed)``): NMI / ARI against the pain point, share of
    Arabic / Romanian comments themed with their English twin, and (seed-free) twins in the centred space the
    model clusters.

Nothing is chosen on these sets (the pipeline runs at its defaults; LAMBDA, the keep mix and the step count
were fixed before any evaluation), so every number is out of sample.
Writes bench/results/finetune_pipeline_trial.md and finetune_pipeline_trial_runs.csv.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: another job times CPU work on the other
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import finetune_registry_trial as frt  # noqa: E402
import finetune_trial as ft  # noqa: E402
from bench import lodo, lodo_data  # noqa: E402
from bench.lodo_seeds import library_labels  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.multilingual import PARALLEL, twins, with_english_twin  # noqa: E402

CACHE = ROOT / "bench" / "cache" / "finetune_pipeline"
RESULTS = ROOT / "bench" / "results"
LAMBDA = 1.0
KEEP_MIX = {"ha_ar": 4, "ha_ro": 4, "anchor_ar": 2, "anchor_ro": 2}
DESCRIBE = {"base": "base", "a": "a: convlab only",
            "a+keep": f"a+keep: a + {LAMBDA:g}·(1−cos) to base on ar/ro",
            "a:1": "a, training seed 1", "a+keep:1": "a+keep, training seed 1"}


def folder(variant: str) -> Path:
    return CACHE / f"e5-small-{slug(variant)}"


def slug(variant: str) -> str:
    return variant.replace("+", "-").replace(":", "-s")


# ---------------------------------------------------------------- training


def build_data() -> dict:
    """finetune_registry_trial's training text, built in the same order with the same seed (same batches)."""
    packages = frt.fetch()
    rng = random.Random(0)
    convlab, _ = frt.convlab_groups(packages["convlab"]["path"], rng)
    archive = packages["home-assistant-intents"]["path"]
    ha = {lang: frt.ha_groups(archive, lang, rng) for lang in ("en", "ar", "ro")}
    po = [packages[n]["path"] for n in ("django", "django-oscar", "wagtail")]
    anchors = {lang: frt.anchor_pairs(po, lang) for lang in ("ar", "ro")}
    return {"convlab": convlab, "ha": ha, "anchors": anchors}


def keep_batches(data: dict, steps: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    pools = {f"ha_{lang}": [t for texts in data["ha"][lang].values() for t in texts] for lang in ("ar", "ro")}
    pools.update({f"anchor_{lang}": [target for _, target in data["anchors"][lang]] for lang in ("ar", "ro")})
    return [[t for key, n in KEEP_MIX.items() for t in rng.sample(pools[key], n)] for _ in range(steps)]


def train_keep(batches: list[list[list[str]]], keep: list[list[str]], out: Path,
               lam: float = LAMBDA) -> float:
    """finetune_trial.train_on_batches plus lam * mean(1 - cos(tuned, frozen base)) on each step's keep batch."""
    import torch
    from sentence_transformers import SentenceTransformer, losses

    torch.manual_seed(0)
    model = SentenceTransformer(str(ft.BASE), device="cpu")
    base = SentenceTransformer(str(ft.BASE), device="cpu").eval()
    for parameter in base.parameters():
        parameter.requires_grad = False
    encoder = model[0].auto_model
    for part in [encoder.embeddings, *encoder.encoder.layer[:ft.FROZEN_LAYERS]]:
        for parameter in part.parameters():
            parameter.requires_grad = False
    loss = losses.MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=ft.LR)
    model.train()
    start = time.perf_counter()
    for step, (pairs, kept) in enumerate(zip(batches, keep)):
        anchors = model.tokenize([ft.PREFIX + a for a, _ in pairs])
        positives = model.tokenize([ft.PREFIX + b for _, b in pairs])
        features = model.tokenize([ft.PREFIX + t for t in kept])
        with torch.no_grad():
            target = base(dict(features))["sentence_embedding"]
        model.eval()  # dropout off for the keep pass: the term measures the model's own drift, not dropout noise
        tuned = model(dict(features))["sentence_embedding"]
        model.train()
        drift = (1 - torch.nn.functional.cosine_similarity(tuned, target, dim=1)).mean()
        total = loss([anchors, positives], None) + lam * drift
        total.backward()
        optimiser.step()
        optimiser.zero_grad()
        if step % 50 == 0:
            print(f"  step {step}: loss {total.item():.3f}, keep drift {drift.item():.4f}", flush=True)
    seconds = time.perf_counter() - start
    model.eval()
    model.save(str(out))
    return seconds


def train(variants: list[str], steps: int) -> dict[str, float]:
    log = CACHE / "training.json"
    seconds = json.loads(log.read_text()) if log.exists() else {}
    todo = [v for v in variants if v != "base" and not (folder(v) / "modules.json").exists()]
    if todo:
        data = build_data()
        for variant in todo:
            print(f"training {variant} ({steps} steps)", flush=True)
            name, _, seed = variant.partition(":")  # "a+keep:1": training seed 1 (batches drawn with seed 1)
            batches = frt.make_batches("a", steps, data, seed=int(seed or 0))
            if name == "a":
                seconds[variant] = ft.train_on_batches(batches, folder(variant))
            else:
                keep = keep_batches(data, steps, seed=int(seed or 0) + 1)
                seconds[variant] = train_keep(batches, keep, folder(variant))
            seconds[f"{variant} steps"] = steps
            log.write_text(json.dumps(seconds, indent=1))
            print(f"{variant}: trained in {seconds[variant] / 60:.1f} min", flush=True)
    return seconds


# ---------------------------------------------------------------- evaluation


def vectors(variant: str, tag: str, texts: list[str]) -> np.ndarray:
    from cxtext.embed import SentenceTransformerEmbedder

    path = CACHE / "vectors" / f"{slug(variant)}-{tag}-{len(texts)}.npy"
    if path.exists():
        return np.load(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = "default" if variant == "base" else str(folder(variant))
    embedder = SentenceTransformerEmbedder(model=model, backend="torch")
    assert embedder.prefix == ft.PREFIX, embedder.prefix
    start = time.perf_counter()
    X = np.asarray(embedder.encode(texts), dtype=np.float32)
    print(f"  embedded {tag} ({len(texts)}) with {variant} in {time.perf_counter() - start:.0f}s", flush=True)
    np.save(path, X)
    return X


def evaluate(variant: str, seeds: int, done: set) -> list[dict]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score as ari, normalized_mutual_info_score as nmi

    from cxtext.themes import ThemeModel

    rows = []
    for name in lodo_data.SETS:
        df = lodo_data.load(name)
        texts, gold = df["text"].astype(str).tolist(), df["label"].to_numpy()
        X, k = vectors(variant, name, texts), len(set(gold))
        for seed in range(seeds):
            for system, fit in (("library", lambda: library_labels(texts, X, "default", seed)),
                                ("plain", lambda: lodo.plain_labels(X, seed)),
                                ("kmeans", lambda: KMeans(k, n_init=3, random_state=seed).fit_predict(X))):
                if (variant, name, seed, system) in done:
                    continue
                start = time.perf_counter()
                rows.append({"variant": variant, "set": name, "seed": seed, "system": system,
                             **lodo.score(gold, fit()), "seconds": time.perf_counter() - start})
                print(f"  {variant}/{name}/{seed}/{system}: {rows[-1]['nmi']:.3f} / {rows[-1]['ari']:.3f}",
                      flush=True)
    frame = pd.read_csv(PARALLEL)
    texts, gold, languages = frame["text"].tolist(), frame["pain_point"].to_numpy(), frame["lang"].tolist()
    X = vectors(variant, "parallel", texts)
    for seed in range(seeds):
        if (variant, "parallel", seed, "library") in done:
            continue
        themes = ThemeModel(min_theme_size=5, center_languages=True, embedding_model="default",
                            min_language_size=20, random_state=seed)
        labels = np.asarray(themes.fit(texts, X, languages).labels_)
        space = themes._prepare(X, languages)  # the centred vectors the model clusters
        rows.append({"variant": variant, "set": "parallel", "seed": seed, "system": "library",
                     "nmi": nmi(gold, labels), "ari": ari(gold, labels), "themes": themes.n_themes_,
                     "unthemed": themes.unthemed_share_,
                     "ar with en twin": with_english_twin(labels, frame, "ar"),
                     "ro with en twin": with_english_twin(labels, frame, "ro"),
                     "ar twins": twins(space, frame, "ar"), "ro twins": twins(space, frame, "ro"),
                     "ar twins raw": twins(X, frame, "ar"), "ro twins raw": twins(X, frame, "ro")})
        print(f"  {variant}/parallel/{seed}: {rows[-1]}", flush=True)
    return rows


# ---------------------------------------------------------------- report


def report(runs: pd.DataFrame, seconds: dict, args) -> str:
    variants = [v for v in DESCRIBE if v in set(runs["variant"])]
    tuned = [v for v in variants if v != "base"]
    runs = runs.assign(obj=(runs["nmi"] + runs["ari"]) / 2)
    lines = [
        "# The registry fine-tune through cxtext's theme pipeline, over seeds, with a keep-near-base term", "",
        machine_line(), "",  # it starts with the date
        f"Commands: `.venv/bin/python bench/finetune_pipeline_trial.py --steps {args.steps} --threads "
        f"{args.threads}` (base, a, a+keep), then the same with `--variants a:1,a+keep:1` (second training runs) "
        f"(training below; {runs['seconds'].sum() / 60:.0f} min of clustering fits in all, plus about 2 min of "
        "embedding per variant; models and vectors already in bench/cache/finetune_pipeline are reused, so "
        "`--from-runs` or a second run only adds what is missing). Method in the script's docstring. All "
        "vectors float32 from sentence-transformers (`backend=\"torch\"`, \"query: \" prefix as cxtext adds "
        "it); the shipped default runs the int8 ONNX export, which is not measured here.", "",
        "## Training", "", "| variant | batches | training minutes (1 thread, shared machine) |",
        "| --- | ---: | ---: |"]
    for v in tuned:
        keep = " + 12 keep sentences" if "keep" in v else ""
        lines.append(f"| {DESCRIBE[v]} | {seconds.get(f'{v} steps', args.steps)} × 32 pairs{keep} | "
                     f"{seconds.get(v, float('nan')) / 60:.1f} |")
    for system, title in (("library", "cxtext ThemeModel at its defaults"),
                          ("plain", "plain UMAP+HDBSCAN+nearest"),
                          ("kmeans", "KMeans at the true k (n_init 3), the last trial's measure, same vectors")):
        sub = runs[(runs["system"] == system) & (runs["set"] != "parallel")]
        if sub.empty:
            continue
        lines += ["", f"## LODO sets: {title}", "",
                  "Mean NMI / ARI over seeds; change = mean of (NMI+ARI)/2 minus base's, paired by seed, with "
                  "the number of seeds where the variant scored higher than base at that seed.", "",
                  "| set | " + " | ".join(DESCRIBE[v] for v in variants) + " | " +
                  " | ".join(f"{v} change (wins)" for v in tuned) + " |",
                  "| --- |" + " --- |" * len(variants) + " ---: |" * len(tuned)]
        for name in lodo_data.SETS:
            s = sub[sub["set"] == name]
            w = s.pivot(index="seed", columns="variant", values="obj")
            cells = [f"{s[s['variant'] == v]['nmi'].mean():.3f} / {s[s['variant'] == v]['ari'].mean():.3f}"
                     for v in variants]
            diffs = []
            for v in tuned:
                if v in w and "base" in w:
                    d = (w[v] - w["base"]).dropna()
                    diffs.append(f"{d.mean():+.3f} ({int((d > 0).sum())}/{len(d)})")
                else:
                    diffs.append("–")
            lines.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(diffs) + " |")
        means = sub.groupby("variant")["obj"].mean()
        lines += ["", "Mean (NMI+ARI)/2 over the six sets: " +
                  ", ".join(f"{v} {means[v]:.3f}" for v in variants if v in means) + "."]
    par = runs[runs["set"] == "parallel"]
    if not par.empty:
        cols = ["nmi", "ari", "themes", "unthemed", "ar with en twin", "ro with en twin", "ar twins", "ro twins",
                "ar twins raw", "ro twins raw"]
        lines += ["", "## Parallel en/ar/ro set (120 comments) through the fit, as bench/multilingual.py", "",
                  "Means over seeds. *with en twin*: share of the 40 Arabic / Romanian comments put in the same "
                  "theme as their English twin; *twins*: share whose nearest English comment is their twin, in the "
                  "centred space the model clusters (raw: before centring); seed-free.", "",
                  "| variant | " + " | ".join(c if c in ("themes", "unthemed") or "twin" in c else c.upper()
                                              for c in cols) + " |", "| --- |" + " ---: |" * len(cols)]
        for v in variants:
            m = par[par["variant"] == v][cols].mean()
            lines.append(f"| {DESCRIBE[v]} | " + " | ".join(f"{m[c]:.1f}" if c == "themes" else f"{m[c]:.3f}"
                                                           for c in cols) + " |")
    return "\n".join(lines) + "\n"


def write(text: str) -> str:
    """Write the report, keeping a hand-written "## Reading" section of the existing file."""
    md = RESULTS / "finetune_pipeline_trial.md"
    old = md.read_text(encoding="utf-8") if md.exists() else ""
    if "\n## Reading" in old:
        text += old[old.index("\n## Reading"):]
    md.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--variants", default="base,a,a+keep")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--train-only", action="store_true")
    parser.add_argument("--from-runs", action="store_true")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    CACHE.mkdir(parents=True, exist_ok=True)
    csv = RESULTS / "finetune_pipeline_trial_runs.csv"
    variants = [v for v in args.variants.split(",") if v]
    log = CACHE / "training.json"
    seconds = json.loads(log.read_text()) if args.from_runs else train(variants, args.steps)
    if args.train_only:
        return 0
    runs = pd.read_csv(csv) if csv.exists() else pd.DataFrame()
    for variant in [] if args.from_runs else variants:
        done = set() if runs.empty else set(zip(runs["variant"], runs["set"], runs["seed"], runs["system"]))
        runs = pd.concat([runs, pd.DataFrame(evaluate(variant, args.seeds, done))], ignore_index=True)
        runs.to_csv(csv, index=False, float_format="%.4f")
        write(report(runs, seconds, args))
    print(write(report(runs, seconds, args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
