"""Labelled sets for the leave-one-dataset-out theme benchmark (bench/lodo.py).

Each loader returns a DataFrame ``[text, label]``: one row per comment and
its gold theme (intent or aspect category). None of these sets is committed:
the shared ones are read from ``../shared/data``, the Bitext set is extracted
from a public GitHub snapshot into ``bench/data/lodo/`` (git-ignored) by
:func:`bitext_csv`, which records its source and licence beside it.

========================  =====  ======  =============================================
set                       rows   labels  what
========================  =====  ======  =============================================
clinc-banking             1,500  30      CLINC150 test+val, banking + credit_cards
clinc-other               3,000  120     CLINC150 test+val, the other 8 domains, 25 per intent
hwu64                     2,152  64      HWU64 test+valid (assistant commands)
bitext-service            2,700  27      Bitext customer-service sample, 100 per intent
absa-restaurants          1,892  4       SemEval-2014 restaurant sentences with one category
                                         (food, service, ambience, price; "misc" left out)
absa-laptops              ~1,250 ~12     SemEval-2016 laptop sentences with one category
                                         (ENTITY#ATTRIBUTE with >= 10 sentences)
========================  =====  ======  =============================================

Samples are stratified by label with seed 0, so every run sees the same rows.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LOCAL = ROOT / "bench" / "data" / "lodo"

BITEXT_MIRROR = Path("/work/.mirror/shxunxk+Chatbot/repo")
BITEXT_COMMIT = "beabdeda6adb5bb1347666fc946793520ab4b84a"
BITEXT_PATH = "Data/archive/Bitext_Sample_Customer_Service_Training_Dataset/Training/"
BITEXT_NOTE = f"""Bitext Sample Customer Service Training Dataset (English, 27 intents in 11 categories, 8,175 utterances)
Source: github.com/shxunxk/Chatbot at {BITEXT_COMMIT}, {BITEXT_PATH}Bitext_Sample_Customer_Service_Training_Dataset.csv
(a copy of Bitext's public sample; the same LICENSE.txt as github.com/bitext/customer-support-llm-chatbot-training-dataset)
Licence: Community Data License Agreement - Sharing - Version 1.0 (LICENSE.txt beside this file). Used for benchmarks only; not committed.
"""


def _stratified(df: pd.DataFrame, per_label: int, seed: int = 0) -> pd.DataFrame:
    parts = [g.sample(min(len(g), per_label), random_state=seed) for _, g in df.groupby("label", sort=True)]
    return pd.concat(parts).sort_index().reset_index(drop=True)


def clinc(domains_in: bool) -> pd.DataFrame:
    df = pd.read_csv(SHARED / "clinc150" / "clinc150.csv")
    df = df[df["split"].isin(["test", "val"]) & (df["label"] != "oos")]
    banking = df["domain"].isin(["banking", "credit_cards"])
    if domains_in:
        return df.loc[banking, ["text", "label"]].reset_index(drop=True)
    return _stratified(df.loc[~banking, ["text", "label"]], 25)


def hwu64() -> pd.DataFrame:
    df = pd.read_csv(SHARED / "hwu64" / "hwu64.csv")
    return df.loc[df["split"].isin(["test", "valid"]), ["text", "label"]].reset_index(drop=True)


def bitext_csv() -> Path:
    """The Bitext CSV in bench/data/lodo/, extracted from the GitHub snapshot on first use."""
    target = LOCAL / "bitext_customer_service.csv"
    if target.exists():
        return target
    if not BITEXT_MIRROR.exists():
        raise SystemExit("Bitext set missing: fetch github:shxunxk/Chatbot (the 'fetch' tool) and run again")
    LOCAL.mkdir(parents=True, exist_ok=True)
    for name, out in (("Bitext_Sample_Customer_Service_Training_Dataset.csv", target),
                      ("LICENSE.txt", LOCAL / "LICENSE_bitext.txt")):
        blob = subprocess.run(["git", "-C", str(BITEXT_MIRROR), "show", f"{BITEXT_COMMIT}:{BITEXT_PATH}{name}"],
                              check=True, capture_output=True).stdout
        out.write_bytes(blob)
    (LOCAL / "README_bitext.txt").write_text(BITEXT_NOTE)
    return target


def bitext() -> pd.DataFrame:
    df = pd.read_csv(bitext_csv(), encoding="utf-8-sig")
    df = df.rename(columns={"utterance": "text", "intent": "label"})[["text", "label"]]
    return _stratified(df.dropna(), 100)


def _absa(files: list[str], label_of, min_count: int) -> pd.DataFrame:
    s = pd.read_csv(SHARED / "semeval-absa" / "semeval_absa_sentences.csv")
    s = s[s["file"].isin(files) & s["categories"].notna()]
    s = s[~s["categories"].str.contains("|", regex=False)]
    s = s.assign(label=s["categories"].map(label_of)).dropna(subset=["label"])
    counts = s["label"].value_counts()
    s = s[s["label"].isin(counts[counts >= min_count].index)]
    return s[["text", "label"]].drop_duplicates("text").reset_index(drop=True)


def absa_restaurants() -> pd.DataFrame:
    return _absa(["Restaurants_Train_v2.xml", "Restaurants_Test_Data_phaseB.xml"],
                 lambda c: None if c == "anecdotes/miscellaneous" else c, 50)


def absa_laptops() -> pd.DataFrame:
    return _absa(["ABSA16_Laptops_Train_SB1_v2.xml"], lambda c: c, 10)


SETS = {
    "clinc-banking": lambda: clinc(True),
    "clinc-other": lambda: clinc(False),
    "hwu64": hwu64,
    "bitext-service": bitext,
    "absa-restaurants": absa_restaurants,
    "absa-laptops": absa_laptops,
}


def load(name: str) -> pd.DataFrame:
    return SETS[name]()


if __name__ == "__main__":
    for name in SETS:
        df = load(name)
        print(f"{name:18s} {len(df):5d} rows {df['label'].nunique():4d} labels")
