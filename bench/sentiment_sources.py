"""Held-out sentiment benchmark sets (English, Arabic, Romanian), extracted from public repositories.

    .venv/bin/python bench/sentiment_sources.py          # (re)write bench/data/sentiment/*.csv
    .venv/bin/python bench/sentiment_sources.py --list   # the sources as a table, nothing written

These sets are for MEASURING only: never train, calibrate or pick thresholds on
them. Several are non-commercial or carry no licence at all (see ``licence``).
``bench/sentiment_data.py`` loads the CSVs and documents what each holds.

Every set keeps only its published test split, with its natural class mix
(except ``ar_semeval2017_tweets``, which its source balanced, and
``ro_red_tweets``, whose emotions were sampled evenly), and at most
``MAX_ROWS`` rows: a bigger split is sampled per class with seed 0 so the mix
is kept. Each CSV has the columns ``text,label,language,source`` with ``label``
in negative/neutral/positive and ``source`` naming the repository file (and
line or file name) the row came from. ``SOURCES.txt`` beside the CSVs records
repository, commit, path and licence of each set.

A script cannot call the ``fetch`` tool, so this one reads the bare git
snapshots under ``/work/.mirror/<owner>+<name>/repo`` (``CXTEXT_MIRROR`` moves
the folder) at the pinned commit with ``git show``, and prints the repository
to fetch (``fetch github:<owner>/<name>``) for every snapshot that is missing.
The output folder ``bench/data/sentiment/`` is git-ignored: nothing here is
committed.

Not used, on purpose: Twitter US Airline Sentiment, SemEval-2016 Arabic hotel
reviews, HARD and every other Arabic hotel-review set, Amazon Alexa reviews,
Booking.com hotel reviews, Customer Support on Twitter and Banking77 are kept
for an independent check; LaRoSeDa and the Arabic multi-domain reviews are
already in ``../shared/data``.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "data" / "sentiment"
MIRROR = Path(os.environ.get("CXTEXT_MIRROR", "/work/.mirror"))
MAX_ROWS = 3000
SEED = 0
LABELS = ("negative", "neutral", "positive")

SOURCES: list[dict] = [
    {
        "name": "en_semeval2017_tweets",
        "language": "en",
        "repo": "cardiffnlp/tweeteval",
        "commit": "4fbd22cd78421f05b1ecdb4fc5725bc7a7bd8f66",
        "path": "datasets/sentiment/test_text.txt + test_labels.txt (mapping.txt: 0 negative, 1 neutral, 2 positive)",
        "licence": "no licence of its own: TweetEval is 'released without any restrictions but restrictions may "
                   "apply to individual tasks' (SemEval-2017 Task 4A data, Twitter terms). Benchmark only",
        "what": "SemEval-2017 Task 4A English tweets, the full test split (12,284 tweets), 3-class",
    },
    {
        "name": "ar_semeval2017_tweets",
        "language": "ar",
        "repo": "cardiffnlp/xlm-t",
        "commit": "874214d64d96599eb869a033c22ec2cc57d19256",
        "path": "data/sentiment/arabic/test_text.txt + test_labels.txt (0 negative, 1 neutral, 2 positive)",
        "licence": "repository Apache-2.0 (LICENSE); the tweets are SemEval-2017 Task 4 Arabic data under "
                   "Twitter terms, no data licence stated. Benchmark only",
        "what": "UMSAB Arabic test split: SemEval-2017 Arabic tweets, 3-class, BALANCED by UMSAB (290 per class), "
                "so not a natural mix",
    },
    {
        "name": "ar_astd_tweets",
        "language": "ar",
        "repo": "mahmoudnabil/ASTD",
        "commit": "0eac69a559bbc38a2cf06266411fa8bf47eed042",
        "path": "data/Tweets.txt rows listed in data/4class-unbalanced-test.txt (0-based)",
        "licence": "GPL-2.0 (the repository's LICENSE, data included). Benchmark only",
        "what": "ASTD Arabic (mostly Egyptian) tweets, unbalanced 4-class test split; OBJ -> neutral, POS, NEG kept, "
                "the 'NEUTRAL' class (the paper's subjective MIXED) dropped",
    },
    {
        "name": "ar_arsarcasm_v2_tweets",
        "language": "ar",
        "repo": "iabufarha/ArSarcasm-v2",
        "commit": "eb85513e133cfc67e30aca4968fadbe2594fcb42",
        "path": "ArSarcasm-v2/testing_data.csv (column sentiment: NEG/NEU/POS)",
        "licence": "MIT (LICENSE, 2021 iabufarha)",
        "what": "ArSarcasm-v2 (WANLP 2021 shared task) test split, 3,000 Arabic tweets (MSA, Gulf, Egyptian, "
                "Levantine), 3-class",
    },
    {
        "name": "ro_sent_reviews",
        "language": "ro",
        "repo": "katakonst/sentiment-analysis-tensorflow",
        "commit": "32bf0f786e18296c85e99dbdb3f350f87e4d8e87",
        "path": "datasets/ro/test/{neg,pos}/*.txt (one review per file)",
        "licence": "none stated (no LICENSE; the Hugging Face ro_sent card says 'unknown'). Benchmark only",
        "what": "ro_sent (the Romanian-Transformers 'RoSent' set) test split, binary: movie and product reviews. "
                "All negatives and 83% of positives are IMDB reviews machine-translated into Romanian without "
                "diacritics (files <id>_<stars>.txt and pos<id>_<stars>.txt); the other positives (uuid file "
                "names) are short native Romanian comments",
    },
    {
        "name": "ro_red_tweets",
        "language": "ro",
        "repo": "Alegzandra/RED-Romanian-Emotions-Dataset",
        "commit": "ec8849dc5eabf0b3b4deefb3c4e45457f6104b10",
        "path": "REDv1/data/test.csv (columns Tweet, Emotion)",
        "licence": "MIT (LICENSE, 2021 Alexandra Ciobotaru)",
        "what": "RED v1 test split, 405 native Romanian tweets labelled with one EMOTION, mapped to sentiment: "
                "Bucurie (joy) -> positive, Neutru -> neutral, Furie/Frica/Tristete (anger/fear/sadness) -> "
                "negative. The authors sampled the five emotions evenly, so the mix is not natural",
    },
]


def git_dir(repo: str) -> Path | None:
    base = MIRROR / repo.replace("/", "+") / "repo"
    for cand in (base, base / ".git"):
        if (cand / "HEAD").exists() and (cand / "objects").exists():
            return cand
    return None


def show(gd: Path, commit: str, path: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={gd}", "show", f"{commit}:{path}"],
                          capture_output=True, check=True).stdout


def lines(gd: Path, commit: str, path: str) -> list[str]:
    return show(gd, commit, path).decode("utf-8").splitlines()


def _text_label_files(gd: Path, commit: str, folder: str, tag: str) -> pd.DataFrame:
    text = lines(gd, commit, f"{folder}/test_text.txt")
    labels = lines(gd, commit, f"{folder}/test_labels.txt")
    if len(text) != len(labels):
        raise SystemExit(f"{tag}: {len(text)} texts but {len(labels)} labels")
    return pd.DataFrame({
        "text": [t.strip() for t in text],
        "label": [LABELS[int(x)] for x in labels],
        "source": [f"{tag}:{folder}/test_text.txt#{i + 1}" for i in range(len(text))],
    })


def en_semeval2017_tweets(gd: Path, commit: str) -> pd.DataFrame:
    return _text_label_files(gd, commit, "datasets/sentiment", "cardiffnlp/tweeteval")


def ar_semeval2017_tweets(gd: Path, commit: str) -> pd.DataFrame:
    return _text_label_files(gd, commit, "data/sentiment/arabic", "cardiffnlp/xlm-t")


def ar_astd_tweets(gd: Path, commit: str) -> pd.DataFrame:
    rows = [line.split("\t") for line in lines(gd, commit, "data/Tweets.txt")]
    ids = [int(x) for x in lines(gd, commit, "data/4class-unbalanced-test.txt") if x.strip()]
    mapping = {"NEG": "negative", "OBJ": "neutral", "POS": "positive"}  # "NEUTRAL" = mixed: dropped
    kept = [(i, rows[i][0].strip(), mapping[rows[i][1].strip()]) for i in ids if rows[i][1].strip() in mapping]
    return pd.DataFrame({
        "text": [t for _, t, _ in kept],
        "label": [lab for _, _, lab in kept],
        "source": [f"mahmoudnabil/ASTD:data/Tweets.txt#{i + 1}" for i, _, _ in kept],
    })


def ar_arsarcasm_v2_tweets(gd: Path, commit: str) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(show(gd, commit, "ArSarcasm-v2/testing_data.csv")))
    mapping = {"NEG": "negative", "NEU": "neutral", "POS": "positive"}
    return pd.DataFrame({
        "text": df["tweet"].astype(str).str.strip(),
        "label": df["sentiment"].map(mapping),
        "source": [f"iabufarha/ArSarcasm-v2:ArSarcasm-v2/testing_data.csv#record{i + 1}" for i in range(len(df))],
    })


def ro_sent_reviews(gd: Path, commit: str) -> pd.DataFrame:
    listing = subprocess.run(["git", f"--git-dir={gd}", "ls-tree", "-r", commit, "datasets/ro/test/"],
                             capture_output=True, check=True, text=True).stdout.splitlines()
    entries = []
    for line in listing:
        meta, path = line.split("\t", 1)
        cls = path.split("/")[3]
        if cls in ("neg", "pos") and path.endswith(".txt"):
            entries.append((meta.split()[2], path, "negative" if cls == "neg" else "positive"))
    batch = subprocess.run(["git", f"--git-dir={gd}", "cat-file", "--batch"],
                           input="".join(f"{sha}\n" for sha, _, _ in entries).encode(),
                           capture_output=True, check=True).stdout
    texts, pos = [], 0
    for _ in entries:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        texts.append(batch[header_end + 1:header_end + 1 + size].decode("utf-8", errors="replace").strip())
        pos = header_end + 1 + size + 1
    return pd.DataFrame({
        "text": texts,
        "label": [lab for _, _, lab in entries],
        "source": [f"katakonst/sentiment-analysis-tensorflow:{p}" for _, p, _ in entries],
    })


def ro_red_tweets(gd: Path, commit: str) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(show(gd, commit, "REDv1/data/test.csv")))
    mapping = {"Bucurie": "positive", "Neutru": "neutral", "Furie": "negative", "Frica": "negative",
               "Tristete": "negative"}
    return pd.DataFrame({
        "text": df["Tweet"].astype(str).str.strip(),
        "label": df["Emotion"].map(mapping),
        "source": [f"Alegzandra/RED-Romanian-Emotions-Dataset:REDv1/data/test.csv#record{i + 1}:{e}"
                   for i, e in enumerate(df["Emotion"])],
    })


def stratified_cap(df: pd.DataFrame, cap: int = MAX_ROWS, seed: int = SEED) -> pd.DataFrame:
    """At most about ``cap`` rows, every class sampled in the same proportion (seed fixed)."""
    if len(df) <= cap:
        return df.reset_index(drop=True)
    frac = cap / len(df)
    parts = [g.sample(n=max(1, round(len(g) * frac)), random_state=seed) for _, g in df.groupby("label", sort=True)]
    return pd.concat(parts).sort_index().reset_index(drop=True)


def build() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    missing, notes = [], []
    for src in SOURCES:
        gd = git_dir(src["repo"])
        if gd is None:
            missing.append(src)
            continue
        ok = subprocess.run(["git", f"--git-dir={gd}", "cat-file", "-e", f"{src['commit']}^{{commit}}"],
                            capture_output=True).returncode == 0
        if not ok:
            missing.append(src)
            continue
        df = globals()[src["name"]](gd, src["commit"])
        df = df[df["text"].str.len() > 0]
        full = len(df)
        full_mix = df["label"].value_counts().reindex(list(LABELS), fill_value=0)
        df = stratified_cap(df)
        df.insert(2, "language", src["language"])
        df = df[["text", "label", "language", "source"]]
        path = OUT / f"{src['name']}.csv"
        df.to_csv(path, index=False)
        mix = df["label"].value_counts().reindex(list(LABELS), fill_value=0)
        shares = ", ".join(f"{lab} {mix[lab] / len(df):.1%}" for lab in LABELS if mix[lab])
        print(f"{src['name']:<24} {src['language']}  {len(df):>5} rows of {full:>6}  ({shares})  -> {path.relative_to(ROOT)}")
        notes.append(
            f"{src['name']} ({src['language']}): {len(df)} rows kept of {full} in the test split "
            f"(full split: {', '.join(f'{lab} {full_mix[lab]}' for lab in LABELS)})\n"
            f"  what: {src['what']}\n"
            f"  source: github.com/{src['repo']} at {src['commit']}, {src['path']}\n"
            f"  licence: {src['licence']}\n")
    if notes:
        (OUT / "SOURCES.txt").write_text(
            "Held-out sentiment benchmark sets: for measuring only, never for training.\n"
            f"Written by bench/sentiment_sources.py (test splits only, at most {MAX_ROWS} rows, "
            f"stratified sample with seed {SEED}).\n\n" + "\n".join(notes), encoding="utf-8")
    for src in missing:
        print(f"MISSING {src['name']}: no snapshot of {src['repo']} at {src['commit'][:12]} under {MIRROR}. "
              f"Bring it with the fetch tool (fetch github:{src['repo']}), then run this script again.",
              file=sys.stderr)
    return 1 if missing else 0


def list_sources() -> None:
    for src in SOURCES:
        present = "mirror present" if git_dir(src["repo"]) else "mirror MISSING"
        print(f"{src['name']} [{src['language']}] ({present})\n  {src['what']}\n"
              f"  github.com/{src['repo']} @ {src['commit']}\n  {src['path']}\n  licence: {src['licence']}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print the sources, write nothing")
    args = ap.parse_args(argv)
    if args.list:
        list_sources()
        return 0
    return build()


if __name__ == "__main__":
    sys.exit(main())
