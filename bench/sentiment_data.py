"""Held-out sentiment benchmark sets in English, Arabic and Romanian (issue 21): loaders.

    from bench.sentiment_data import load_sets
    sets = load_sets()          # {"en_semeval2017_tweets": DataFrame[text, label, language, source], ...}

    .venv/bin/python bench/sentiment_data.py    # the table of the sets present

FOR MEASURING ONLY. Never train, calibrate or choose thresholds on these rows;
several sets are non-commercial in spirit or carry no licence, so nothing
trained on them could ship. ``bench/sentiment_sources.py`` writes the CSVs into
``bench/data/sentiment/`` (git-ignored) from public git snapshots; run it first.
``label`` is negative/neutral/positive (``ro_sent_reviews`` is binary: no neutral rows);
``source`` names the repository file (line, record or file name) of each row.
Every set is its source's published test split; above 3,000 rows it is a
stratified sample (seed 0) that keeps the class mix.

=======================  ====  =====  ===========================  =================  ==========================================
set                      lang  rows   class mix neg/neu/pos        licence            source (repo @ commit : path)
=======================  ====  =====  ===========================  =================  ==========================================
en_semeval2017_tweets    en    3,000  32.3% / 48.3% / 19.3%        none of its own    cardiffnlp/tweeteval @ 4fbd22cd7842 :
                                      (970 / 1,450 / 580;           (TweetEval: "no    datasets/sentiment/test_{text,labels}.txt
                                      natural, from 12,284)         restrictions" but  (SemEval-2017 Task 4A test)
                                                                    task/Twitter
                                                                    terms apply)
ar_semeval2017_tweets    ar      870  33.3% / 33.3% / 33.3%        repo Apache-2.0;   cardiffnlp/xlm-t @ 874214d64d96 :
                                      (290 each: BALANCED by        tweets: Twitter    data/sentiment/arabic/test_{text,labels}.txt
                                      UMSAB, not a natural mix)     terms, no data     (UMSAB = SemEval-2017 Arabic)
                                                                    licence
ar_astd_tweets           ar    1,833  18.3% / 73.0% / 8.7%         GPL-2.0            mahmoudnabil/ASTD @ 0eac69a559bb :
                                      (336 / 1,338 / 159; natural;                    data/Tweets.txt rows in
                                      OBJ -> neutral, the 165                         data/4class-unbalanced-test.txt
                                      "mixed" tweets dropped)
ar_arsarcasm_v2_tweets   ar    3,000  55.9% / 24.9% / 19.2%        MIT                iabufarha/ArSarcasm-v2 @ eb85513e133c :
                                      (1,677 / 748 / 575; natural)                    ArSarcasm-v2/testing_data.csv
ro_sent_reviews          ro    3,000  43.9% / - / 56.1%            none stated        katakonst/sentiment-analysis-tensorflow
                                      (1,316 / 1,684; natural,      ("unknown" on the  @ 32bf0f786e18 : datasets/ro/test/{neg,pos}/
                                      from 11,005)                  HF ro_sent card)
ro_red_tweets            ro      405  58.0% / 20.0% / 22.0%        MIT                Alegzandra/RED-Romanian-Emotions-Dataset
                                      (235 / 81 / 89; EMOTION       @ ec8849dc5eab : REDv1/data/test.csv
                                      labels mapped, emotions
                                      sampled evenly: not natural)
=======================  ====  =====  ===========================  =================  ==========================================

Full commits: tweeteval 4fbd22cd78421f05b1ecdb4fc5725bc7a7bd8f66, xlm-t
874214d64d96599eb869a033c22ec2cc57d19256, ASTD 0eac69a559bbc38a2cf06266411fa8bf47eed042,
ArSarcasm-v2 eb85513e133cfc67e30aca4968fadbe2594fcb42, sentiment-analysis-tensorflow
32bf0f786e18296c85e99dbdb3f350f87e4d8e87, RED ec8849dc5eabf0b3b4deefb3c4e45457f6104b10.

Read before trusting a number:

* ``ro_sent_reviews`` is mostly machine translation: every negative and 83% of
  the positives are IMDB movie reviews translated into Romanian without
  diacritics (long texts, median 676 characters); the rest (288 of the 3,000
  rows, all positive, file names that are uuids) are short native Romanian
  comments. Style and length leak the label, so report it beside LaRoSeDa
  (``../shared/data/laroseda``, native product reviews), never alone. The
  ``source`` column tells the two kinds apart. 8 texts occur twice.
* ``ro_red_tweets`` is the only native Romanian three-class set here, and it
  is small and indirect: RED labels one emotion per tweet, mapped as joy ->
  positive, neutral -> neutral, anger/fear/sadness -> negative (a fearful news
  headline counts as negative). The ``source`` column ends with the original
  emotion. RED is MIT: if its train/val splits are used for training, this
  test split stays out.
* ``ar_semeval2017_tweets`` is balanced, so its majority baseline is 33.3%;
  the natural Arabic mixes are ``ar_astd_tweets`` (neutral-heavy) and
  ``ar_arsarcasm_v2_tweets`` (negative-heavy).
* ASTD's "NEUTRAL" class is the paper's *subjective mixed* (both polarities),
  not neutral, so it is left out; its objective tweets are the neutral class.
* Overlap with ArSarcasm-v2's TRAINING split (MIT, so a candidate for training
  an Arabic model): ArSarcasm-v1 re-annotated SemEval-2017 and ASTD tweets, so
  the training split holds 70% of the ``ar_semeval2017_tweets`` test tweets
  and 20% of the ``ar_astd_tweets`` test tweets by :func:`benchmark_key` (74%
  and 25% with a key of Arabic letters only), and 1% of its own test split
  (30 near-duplicates). Anyone training on it must first drop every training
  row whose key is in :func:`benchmark_keys`, or those benchmarks are
  inflated. ArSarcasm-v2's test split shares no tweet with ASTD or SemEval
  test.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "sentiment"
COLUMNS = ["text", "label", "language", "source"]
LABELS = ("negative", "neutral", "positive")

# name -> (language, licence, source); the same facts as bench/sentiment_sources.py SOURCES, short
SETS: dict[str, tuple[str, str, str]] = {
    "en_semeval2017_tweets": ("en", "none (TweetEval: no restrictions; SemEval/Twitter terms)",
                              "cardiffnlp/tweeteval@4fbd22cd7842:datasets/sentiment/test_*.txt"),
    "ar_semeval2017_tweets": ("ar", "repo Apache-2.0; tweets: Twitter terms",
                              "cardiffnlp/xlm-t@874214d64d96:data/sentiment/arabic/test_*.txt"),
    "ar_astd_tweets": ("ar", "GPL-2.0",
                       "mahmoudnabil/ASTD@0eac69a559bb:data/Tweets.txt x 4class-unbalanced-test.txt"),
    "ar_arsarcasm_v2_tweets": ("ar", "MIT",
                               "iabufarha/ArSarcasm-v2@eb85513e133c:ArSarcasm-v2/testing_data.csv"),
    "ro_sent_reviews": ("ro", "none stated",
                        "katakonst/sentiment-analysis-tensorflow@32bf0f786e18:datasets/ro/test/{neg,pos}/"),
    "ro_red_tweets": ("ro", "MIT",
                      "Alegzandra/RED-Romanian-Emotions-Dataset@ec8849dc5eab:REDv1/data/test.csv"),
}


def load_sets(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The benchmark sets whose CSV is present: name -> DataFrame[text, label, language, source].

    A set asked for by name and missing raises FileNotFoundError; with ``names=None`` the
    missing ones are left out (``bench/sentiment_sources.py`` writes them).
    """
    wanted = list(SETS) if names is None else names
    out: dict[str, pd.DataFrame] = {}
    for name in wanted:
        path = DATA / f"{name}.csv"
        if not path.exists():
            if names is not None:
                raise FileNotFoundError(f"{path} is missing: run .venv/bin/python bench/sentiment_sources.py")
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(df.columns) != COLUMNS or not df["label"].isin(LABELS).all():
            raise ValueError(f"{path}: expected columns {COLUMNS} and labels in {LABELS}")
        out[name] = df
    return out


_URL_OR_USER = re.compile(r"https?://\S+|@\w+|\bRT\b|\bhttp\b")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_AR_FOLD = str.maketrans({"إ": "ا", "أ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})


def benchmark_key(text: str) -> str:
    """A loose key for spotting a benchmark text inside training data.

    Lower-cased, links, @users and RT removed, Arabic alef/ta marbuta/alef maqsura folded,
    everything but letters dropped, first 60 letters kept (tweets were re-cleaned differently
    by different releases). Keys shorter than 15 letters match too much and are not used.
    """
    t = _URL_OR_USER.sub(" ", str(text)).lower().translate(_AR_FOLD)
    return _NOT_LETTER.sub("", t)[:60]


def benchmark_keys(sets: dict[str, pd.DataFrame] | None = None) -> set[str]:
    """Keys (:func:`benchmark_key`, 15+ letters) of every benchmark text: drop these from training data."""
    sets = load_sets() if sets is None else sets
    return {k for df in sets.values() for k in map(benchmark_key, df["text"]) if len(k) >= 15}


def table(sets: dict[str, pd.DataFrame]) -> str:
    lines = [f"{'set':<24} {'lang':<4} {'rows':>5}  {'negative':>8} {'neutral':>8} {'positive':>8}  "
             f"{'majority':>8}  licence | source"]
    for name, df in sets.items():
        mix = df["label"].value_counts(normalize=True).reindex(list(LABELS), fill_value=0.0)
        lang, licence, source = SETS.get(name, ("?", "?", "?"))
        cells = " ".join(f"{mix[lab]:>8.1%}" if mix[lab] else f"{'-':>8}" for lab in LABELS)
        lines.append(f"{name:<24} {lang:<4} {len(df):>5}  {cells}  {mix.max():>8.1%}  {licence} | {source}")
    return "\n".join(lines)


def main() -> int:
    sets = load_sets()
    missing = [n for n in SETS if n not in sets]
    if sets:
        print(table(sets))
    for name in missing:
        print(f"missing: {name} (run .venv/bin/python bench/sentiment_sources.py)", file=sys.stderr)
    return 0 if sets else 1


if __name__ == "__main__":
    sys.exit(main())
