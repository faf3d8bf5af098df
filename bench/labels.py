"""Theme labels against gold intent / aspect names: old keyword labels vs phrase labels.

Run:  .venv/bin/python bench/labels.py [--sets clinc-banking,...] [--no-write]

Sets: the labelled sets of ``bench/lodo_data.py``. On each set,
``ThemeModel(random_state=0)`` is fitted on the "default" embeddings
(``bench.themes.embed``, cached), once (its fit is cached under
``bench/cache/labels/``). Then:

* **old**: the labels the fit gave (keyword pairs, "card payment · working");
* **phrase**: :mod:`cxtext.themes.phrases` (what the library ships), a
  phrase's vector being the mean of the comments containing it (the library
  has the comment vectors, not the embedder);
* **phrase, embedded**: among the POOL (20) best candidates of each theme by
  the same score, the one whose own embedding (same model) is nearest the
  theme centre (what the library could do with the embedder at hand).

**Metric.** Each theme's gold name is the majority gold label of its
comments, made readable ("card_declined" -> "card declined",
"FOOD#QUALITY" -> "food quality"). A label is right when, among all the
set's gold names, its nearest (cosine of embeddings with the same "default"
model) is the theme's gold name. Reported: share of themes right, mean label
length in words, examples.

**Leave one dataset out.** The phrase score is a weighted sum of seven
candidate features standardised within the theme (``FEATURES``). The weights
are learned by a pairwise logistic regression: for each theme, pairs of one
candidate that is right and one that is wrong (the candidates pooled as the
POOL best by each single feature, judged by the metric above). For each set
the weights learned on the *other five* sets are applied to it (the
out-of-sample column); the weights learned on all six are shipped in
``cxtext.themes.phrases.PHRASE_WEIGHTS``.

``--whole filter|weight|off`` (default ``filter``, what the library does):
how a phrase cut inside a run of content words is treated (left out when
the theme has another candidate; a learned feature; neither). The table's
last column is the share of labels that are cut.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lodo_data  # noqa: E402
from bench.themes import embed  # noqa: E402

CACHE = ROOT / "bench" / "cache" / "labels"
#: --whole: how the ``whole`` feature (a phrase not cut inside a run of content words) is used:
#: "weight" (learned like the others), "filter" (never-whole candidates dropped when a theme has others;
#: not a weight) or "off" (neither: the labels before it).
WHOLE = "filter"
RESULTS = ROOT / "bench" / "results" / "labels.md"
POOL = 20


def readable(name: str) -> str:
    return " ".join(str(name).replace("#", " ").replace("_", " ").lower().split())


class PhraseVectors:
    """Embeddings of short strings with the "default" model, cached on disk by string."""

    def __init__(self):
        self.path = CACHE / "phrase_vectors.pkl"
        self.vecs: dict[str, np.ndarray] = pickle.loads(self.path.read_bytes()) if self.path.exists() else {}
        self._embedder = None

    def __call__(self, texts) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.vecs})
        if missing:
            if self._embedder is None:
                from cxtext.embed import SentenceTransformerEmbedder

                self._embedder = SentenceTransformerEmbedder(model="default")
            E = np.asarray(self._embedder.encode(missing), dtype=np.float64)
            E /= np.linalg.norm(E, axis=1, keepdims=True)
            self.vecs.update(zip(missing, E))
            CACHE.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.vecs))
        return np.stack([self.vecs[t] for t in texts]) if texts else np.zeros((0, 384))


def fitted(name: str) -> dict:
    """Texts, gold, embeddings and the default ThemeModel's fit of one set (cached)."""
    path = CACHE / f"{name}.pkl"
    df = lodo_data.load(name)
    texts = df["text"].astype(str).tolist()
    E = embed(texts, "default")
    if path.exists():
        fit = pickle.loads(path.read_bytes())
    else:
        from cxtext.themes import ThemeModel

        t0 = time.perf_counter()
        model = ThemeModel(random_state=0).fit(texts, E)
        ids = model.themes_["theme_id"].tolist()
        fit = {
            "labels": np.asarray(model.labels_),
            "new": dict(zip(ids, model.themes_["label"].tolist())),
            "centroids": {int(t): np.asarray(model._proto[model._proto_theme == t][0], dtype=np.float64)
                          for t in ids},
            "seconds": time.perf_counter() - t0,
        }
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(fit))
    if "old" not in fit:  # the labels before issue 19: the keyword pairs, on the fit's own themes
        from cxtext.themes.label import ThemeLabeler
        from cxtext.themes.steps import N_KEYWORDS, N_QUOTES

        ids = sorted(fit["centroids"])
        C = np.stack([fit["centroids"][k] for k in ids])
        lab = ThemeLabeler(n_keywords=N_KEYWORDS, n_quotes=N_QUOTES, max_label_phrases=2, label_style="keywords")
        lab.fit(texts, fit["labels"], E, None, centroids=C)
        fit["old"] = dict(lab.theme_labels_)
    fit.update(texts=texts, E=E, gold=df["label"].astype(str).to_numpy())
    return fit


def candidates(fit: dict, max_words: int = 6, min_repeated: int | None = None) -> dict:
    from cxtext.themes.label import ThemeLabeler
    from cxtext.themes.phrases import theme_candidates
    from cxtext.text.stopwords import guess_language

    languages = [guess_language(t) for t in fit["texts"]]
    lab = ThemeLabeler().fit(fit["texts"], fit["labels"], fit["E"], languages, centroids=None)
    cands = theme_candidates(fit["texts"], fit["labels"], fit["E"], languages, lab.label_language_,
                             fit["centroids"], max_words=max_words, min_repeated=min_repeated, whole_only=False)
    return cands


def restrict(cands: dict, max_words: int, min_repeated: int) -> dict:
    """The candidates ``theme_candidates(..., max_words, min_repeated)`` gives, from those of (6, all)."""
    out = {}
    for k, c in cands.items():
        short = np.asarray(c["words"]) <= max_words
        if WHOLE == "filter" and np.any(short & (np.asarray(c["whole"]) > 0)):
            short &= np.asarray(c["whole"]) > 0
        keep = short & (np.asarray(c["df"]) >= 2)
        if min_repeated is None or keep.sum() < min_repeated:
            keep = short
        idx = np.flatnonzero(keep)
        out[k] = {f: ([v[i] for i in idx] if isinstance(v, list) else np.asarray(v)[idx]) for f, v in c.items()}
    return out


def pool(cand: dict) -> np.ndarray:
    """Training candidates of one theme: the POOL best by each single feature (union)."""
    if not cand["keys"]:
        return np.zeros(0, dtype=int)
    idx = set()
    for f in ("rel", "kw", "cov", "prec"):
        idx.update(np.argsort(-np.asarray(cand[f]), kind="stable")[:POOL].tolist())
    idx.update(np.argsort(np.asarray(cand["red"]), kind="stable")[:POOL].tolist())
    return np.array(sorted(idx))


def zfeatures(cand: dict) -> np.ndarray:
    from cxtext.themes.phrases import FEATURES

    cols = []
    for f in FEATURES:
        x = np.asarray(cand[f], dtype=np.float64)
        sd = x.std()
        cols.append((x - x.mean()) / sd if sd > 1e-12 and (f != "whole" or WHOLE == "weight") else np.zeros(len(x)))
    return np.stack(cols, axis=1) if len(cols[0]) else np.zeros((0, len(FEATURES)))


def cut_share(labels: dict, cands: dict) -> float:
    """Share of the themes whose label is never whole (cut inside a run of content words) in its comments."""
    cut = []
    for k, label in labels.items():
        if label and label in cands[k]["surface"]:
            cut.append(float(np.asarray(cands[k]["whole"])[cands[k]["surface"].index(label)] == 0))
    return float(np.mean(cut)) if cut else 0.0


def training_rows(cands: dict, fit: dict, maj: dict, vectors: "PhraseVectors"):
    """(z-features, hit) of the pooled candidates of every theme of one set."""
    names = sorted(set(fit["gold"]))
    G = vectors([readable(g) for g in names])
    X, y = [], []
    for k, cand in cands.items():
        idx = pool(cand)
        if not len(idx) or maj.get(k) is None:
            continue
        Z = zfeatures(cand)[idx]
        near = np.argmax(vectors([cand["surface"][i] for i in idx]) @ G.T, axis=1)
        hit = np.array([names[j] == maj[k] for j in near])
        if hit.all() or not hit.any():
            continue  # no pair to learn from: every candidate right, or none
        # pairwise: (right - wrong) -> 1 and (wrong - right) -> 0, at most 200 pairs per theme
        rng = np.random.default_rng(k)
        P = np.array([(a, b) for a in np.flatnonzero(hit) for b in np.flatnonzero(~hit)])
        P = P[rng.permutation(len(P))[:200]]
        D = Z[P[:, 0]] - Z[P[:, 1]]
        X.append(np.concatenate([D, -D]))
        y.append(np.r_[np.ones(len(D)), np.zeros(len(D))])
    if not X:
        from cxtext.themes.phrases import FEATURES

        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.concatenate(X), np.concatenate(y)


def learn(X: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression

    from cxtext.themes.phrases import FEATURES

    lr = LogisticRegression(C=1.0, fit_intercept=False, max_iter=1000).fit(X, y)
    return {f: round(float(w), 3) for f, w in zip(FEATURES, lr.coef_[0])}


def embedded_choice(cands: dict, fit: dict, weights: dict, vectors: "PhraseVectors") -> dict:
    """Among the POOL best candidates of each theme (by ``weights``), the one whose own embedding is
    nearest the theme centre (unused by a larger theme)."""
    from cxtext.themes.phrases import scores

    out, used = {}, set()
    for k, cand in cands.items():
        out[k] = None
        if not cand["keys"]:
            continue
        top = np.argsort(-scores(cand, weights), kind="stable")[:POOL]
        c = fit["centroids"][k] / np.linalg.norm(fit["centroids"][k])
        rel = vectors([cand["surface"][i] for i in top]) @ c
        for r in np.argsort(-rel, kind="stable"):
            key = cand["keys"][top[r]]
            if key not in used:
                used.add(key)
                out[k] = cand["surface"][top[r]]
                break
    return out


def majority(fit: dict) -> dict:
    out = {}
    for k in fit["centroids"]:
        m = fit["labels"] == k
        out[k] = Counter(fit["gold"][m]).most_common(1)[0][0] if m.any() else None
    return out


def accuracy(labels: dict, fit: dict, vectors: PhraseVectors, maj: dict) -> tuple[float, dict]:
    names = sorted(set(fit["gold"]))
    G = vectors([readable(g) for g in names])
    ids = [k for k in labels if maj.get(k) is not None]
    # no phrase: the library falls back to the theme's first keyword phrase (the old label's first part)
    text = {k: (labels[k] or str(fit["old"][k]).split(" · ")[0]) for k in ids}
    L = vectors([text[k] for k in ids])
    nearest = np.argmax(L @ G.T, axis=1)
    hit = {k: names[j] == maj[k] for k, j in zip(ids, nearest)}
    return float(np.mean(list(hit.values()))) if hit else 0.0, hit


#: (longest phrase in words, MIN_REPEATED). Labels are kept to 4 words by design (a label, not a quote):
#: allowing 5-6 words was measured too (bench/results/labels.md) and gave no better accuracy.
CONFIGS = [(4, r) for r in (1, 5, 20, None)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default=",".join(lodo_data.SETS))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--whole", choices=("weight", "filter", "off"), default="filter")
    args = ap.parse_args()
    global WHOLE
    WHOLE = args.whole
    from cxtext.themes.phrases import MAX_WORDS, MIN_REPEATED, PHRASE_WEIGHTS, choose

    sets = args.sets.split(",")
    vectors = PhraseVectors()
    data = {}
    for name in sets:
        t0 = time.perf_counter()
        fit = fitted(name)
        full = candidates(fit)
        d = {"fit": fit, "maj": majority(fit), "cfg": {}, "full": full}
        for cfg in CONFIGS:
            cands = restrict(full, *cfg)
            X, y = training_rows(cands, fit, d["maj"], vectors)
            d["cfg"][cfg] = {"cands": cands, "X": X, "y": y}
        data[name] = d
        print(f"{name}: {len(fit['centroids'])} themes, {time.perf_counter() - t0:.0f}s", flush=True)

    def weights(cfg, train):
        return learn(np.concatenate([data[n]["cfg"][cfg]["X"] for n in train]),
                     np.concatenate([data[n]["cfg"][cfg]["y"] for n in train]))

    acc_cache = {}

    def acc(cfg, train, test):  # accuracy on ``test`` with weights learned on ``train``
        key = (cfg, tuple(train), test)
        if key not in acc_cache:
            labels = choose(data[test]["cfg"][cfg]["cands"], weights(cfg, train))
            acc_cache[key] = accuracy(labels, data[test]["fit"], vectors, data[test]["maj"])[0]
        return acc_cache[key]

    def pick(pool):  # the config with the best leave-one-out mean accuracy within ``pool``
        if len(pool) < 2:
            return CONFIGS[0]
        return max(CONFIGS, key=lambda c: np.mean([acc(c, [n for n in pool if n != t], t) for t in pool]))

    rows, chosen = [], {}
    for name in sets:
        d = data[name]
        others = [n for n in sets if n != name] or [name]
        cfg = pick(others)
        w = weights(cfg, others)
        cands = d["cfg"][cfg]["cands"]
        old_acc, old_hits = accuracy(d["fit"]["old"], d["fit"], vectors, d["maj"])
        new = choose(cands, w)
        new_acc, hits = accuracy(new, d["fit"], vectors, d["maj"])
        shipped = choose(d["cfg"][(MAX_WORDS, MIN_REPEATED)]["cands"], PHRASE_WEIGHTS)
        emb = embedded_choice(cands, d["fit"], w, vectors)
        emb_acc, _ = accuracy(emb, d["fit"], vectors, d["maj"])
        full6 = d["full"]
        row = {"set": name, "themes": len(d["fit"]["centroids"]), "old": old_acc, "new": new_acc, "emb": emb_acc,
               "cut_old": cut_share(d["fit"]["old"], full6), "cut_new": cut_share(new, full6),
               "shipped": accuracy(shipped, d["fit"], vectors, d["maj"])[0], "w": w, "cfg": cfg,
               "old_words": np.mean([len(str(x).replace(" · ", " ").split()) for x in d["fit"]["old"].values()]),
               "new_words": np.mean([len(x.split()) for x in new.values() if x]),
               "none": sum(x is None for x in new.values())}
        chosen[name] = (new, hits, old_hits, cands)
        rows.append(row)
        print(f"{name}: old {old_acc:.3f} | phrase {new_acc:.3f} (shipped {row['shipped']:.3f}) | "
              f"embedded {emb_acc:.3f} | words {row['old_words']:.1f} -> {row['new_words']:.1f} | "
              f"no phrase {row['none']} | cut {row['cut_new']:.3f} | config {cfg} {w}", flush=True)
    final_cfg = pick(sets)
    final = weights(final_cfg, sets)
    print("chosen on all sets:", final_cfg, final)
    if not args.no_write:
        write(rows, data, chosen, final_cfg, final, sets)


def write(rows, data, chosen, final_cfg, final, sets) -> None:
    from bench.machine import machine_line
    from cxtext.themes.phrases import FEATURES, MAX_WORDS, MIN_REPEATED, PHRASE_WEIGHTS

    lines = [
        "# Theme labels vs gold names (issue 19, point 5)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `bench/labels.py`.",
        "",
        machine_line(),
        "",
        "Each set: `ThemeModel(random_state=0)` on the default (multilingual-e5-small int8) embeddings. "
        "A theme's label is *right* when, among all the set's gold names made readable "
        "(\"card_declined\" -> \"card declined\", \"FOOD#QUALITY\" -> \"food quality\"), the one nearest "
        "to the label (cosine, same model) is the majority gold label of the theme's comments.",
        "",
        "* **old**: the keyword-pair labels (\"credit limit · increase\").",
        "* **phrase**: `cxtext.themes.phrases` (shipped), one phrase from the theme's comments; its score "
        "weights learned (pairwise logistic regression: right vs wrong candidate of the same theme) on the "
        "**other five sets** and applied to this one, so the column is out of sample. A theme without a "
        "candidate phrase falls back to its top keyword (as the library does).",
        f"* **phrase, embedded**: among the {POOL} best phrases of each theme by those weights, the one whose "
        "own embedding (same model) is nearest the theme centre. Needs the embedder when labelling, which "
        "the library does not have there (it has the comment vectors only); not shipped, for comparison.",
        "",
        "| set | themes | old | phrase (out of sample) | phrase, embedded | phrase, shipped weights "
        "(in sample) | words old -> phrase | themes without a phrase | phrase labels cut |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['set']} | {r['themes']} | {r['old']:.1%} | {r['new']:.1%} | {r['emb']:.1%} | "
                     f"{r['shipped']:.1%} | {r['old_words']:.1f} -> {r['new_words']:.1f} | {r['none']} | "
                     f"{r['cut_new']:.1%} |")
    mean = {k: np.mean([r[k] for r in rows]) for k in ("old", "new", "emb", "shipped", "cut_new")}
    lines.append(f"| **mean** | | {mean['old']:.1%} | {mean['new']:.1%} | {mean['emb']:.1%} | "
                 f"{mean['shipped']:.1%} | | | {mean['cut_new']:.1%} |")
    lines += [
        "",
        "Two numbers are chosen per fold among (longest phrase in words, repeated phrases needed before "
        f"phrases seen once are left out) in {CONFIGS} (None: never), by the leave-one-out mean accuracy "
        "within the fold's five sets; the weights (on features standardised over each theme's candidates: "
        + ", ".join(FEATURES) + ") are then learned on the five sets.",
        "",
        f"Chosen on all {len(sets)} sets: {final_cfg}, weights {final}; "
        f"shipped: `MAX_WORDS` {MAX_WORDS}, `MIN_REPEATED` {MIN_REPEATED}, `PHRASE_WEIGHTS` {PHRASE_WEIGHTS}.",
        "",
        "Per fold:",
        "",
    ]
    for r in rows:
        lines.append(f"* without {r['set']}: {r['cfg']}, {r['w']}")
    better = [r["set"] for r in rows if r["new"] > r["old"]]
    worse = [r["set"] for r in rows if r["new"] < r["old"]]
    how = "slightly less often than" if mean["new"] < mean["old"] else "at least as often as"
    lines += [
        "",
        "## Reading",
        "",
        f"* Out of sample the phrase labels name the gold intent {how} the keyword pairs "
        f"({mean['new']:.1%} vs {mean['old']:.1%} on average; better on {', '.join(better) or 'no set'}, "
        f"worse on {', '.join(worse) or 'no set'}), while being one readable phrase instead of two keyword "
        "fragments. The metric favours keyword-like "
        "labels (the gold names are keyword-like: \"pin change\", \"report lost card\"), so it is a floor "
        "for readability, not a measure of it.",
        "* Letting labels run to 5-6 words was measured too (same protocol, an earlier run before the "
        "clause-break and filler rules): about the same accuracy (58.7% mean) with labels of about 4.5 "
        "words that read as quotes (\"confirm john reservation at applebee\"); labels are kept to 4 words "
        "by design.",
        "* Headline rule (2026-12-06): \"be\"/\"have\" after a modal and a subject pronoun inside a segment end "
        "a phrase instead of vanishing, so \"management can be bad\" no longer gives \"management can bad\" (a "
        "label seen on a public Glassdoor export). Out of sample the mean went from 58.6% to 59.5% (better on "
        "clinc-banking and absa-restaurants, worse on hwu64 and bitext-service, the same elsewhere): within "
        "noise on this metric; adopted for readability.",
        f"* Whole phrases (2026-12-07; this run: `--whole {WHOLE}`). A label cut inside a run of content words "
        "in the comments as written (\"product arrived with undisclosed\" before \"damage\", \"violated federally "
        "protected consumer\" before \"rights\": public complaint exports) reads as broken. Measured in one run "
        "on the same fits and phrase vectors (2026-12-07, AVX-512 VNNI machine), held-out mean / with the shipped "
        "weights / labels cut: `--whole off` (before) 60.6% / 60.0% / 4.2%; `--whole weight` (the whole share as "
        "an eighth learned feature) 59.0% / 60.0% / 2.6%; `--whole filter` (a phrase never whole in its comments "
        "is not a candidate when the theme has another) 59.9% / 60.7% / 0%. The filter is shipped "
        "(`theme_candidates(whole_only=True)`), as a rule with no tuned number: held out it is 2 themes of 264 "
        "below `off` (the folds' config choices differ: absa-restaurants' fold picks (4, 5), 80.6% vs 87.1%), "
        "with the shipped weights 2 above. Read by hand, of the 18 cut labels on clinc-banking, clinc-other, "
        "hwu64 and absa-laptops about 11 read better after (\"apply for new credit\" -> \"new credit card "
        "application\", \"freeze account at bank\" -> \"freeze bank account\", \"look up what word\" -> "
        "\"meaning of word\"), 2 worse (\"good places to eat\" -> \"cleveland good places\"); on a public "
        "templated complaints file it also misses noun + verb (\"password reset link\" [expires] -> \"password "
        "reset asks\"): no part-of-speech tagger is used.",
        "* The learned weights put most on `kw` (the theme's distinctive words), then closeness to the theme "
        "centre (`rel`), against closeness to the nearest other theme (`red`, the marginal-relevance term), "
        "and slightly against coverage (phrases in many of the theme's comments are generic: \"credit card\").",
        "* Embedding each candidate phrase with the model (\"phrase, embedded\") would need the embedder at "
        "labelling time; it does no better on average here.",
        "* Lower-case names are not caught (hwu64 and CLINC are lower-cased: \"change name to fred\"); names "
        "written with a capital, as in real comments, are.",
        "* Phrase embeddings come from the int8 model in batches, so a rerun can differ by a theme or two.",
    ]
    lines += ["", "## Examples (the 10 largest themes of each set)", ""]
    for name in sets:
        d = data[name]
        labels, hits, old_hits, cands = chosen[name]
        lines += [f"**{name}**", "", "| old | right | phrase | right | gold name |", "|---|---|---|---|---|"]
        for k in list(cands)[:10]:
            fallback = "" if labels[k] else " (no phrase: keyword)"
            lines.append(f"| {d['fit']['old'][k]} | {'yes' if old_hits.get(k) else 'no'} | "
                         f"{labels[k] or str(d['fit']['old'][k]).split(' · ')[0]}{fallback} | "
                         f"{'yes' if hits.get(k) else 'no'} | {readable(d['maj'][k])} |")
        lines.append("")
    RESULTS.write_text("\n".join(lines) + "\n")
    print("wrote", RESULTS)


if __name__ == "__main__":
    main()
