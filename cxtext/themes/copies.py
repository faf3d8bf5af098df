"""Copies: identical comments clustered once, weighted by how many rows say them.

A dump often holds one text many times: a placeholder an export writes into empty fields, a
pre-filled form answer, a campaign's pasted complaint. UMAP and HDBSCAN take no sample weights,
and a block of 100 identical points is the densest place of any corpus: it pulls the neighbour
graph and the density estimate towards itself, and on a Booking.com review export 110 copies of
"No Negative" left a single theme for all 382 real complaints (19 with the copies removed; issue 23).

So :func:`cxtext.themes.steps.fit_all` learns the themes from the *distinct* texts (compared by
:func:`copy_key`: case folded, runs of whitespace made one) and gives every copy its text's
theme:

* language centring, calibration, UMAP, HDBSCAN, merging, dissolving catch-alls and the
  thresholds see each distinct text once (the vector of its first row), so copies cannot shape
  anyone else's theme;
* where a weight is possible the copies count: theme centroids are weighted means
  (:func:`cxtext.themes.geometry.centroids` with ``weights``), themes are ordered by their rows,
  sizes, shares and the unthemed shares count rows, and keywords, labels and language mixes are
  computed on every row (each copy once more in the c-TF-IDF counts; quotes skip exact repeats);
* a distinct text that HDBSCAN left as noise but that fills at least a theme's worth of rows
  (``min_theme_size_``) and passes no theme's threshold becomes a theme of its own
  (:func:`place_noise`): as a block of that many different comments saying one thing would
  have, without pulling unrelated comments into it, and without being forced into an
  unrelated neighbour by the "every noise comment joins its nearest theme" rule.

Every step stays deterministic for a seed: distinct texts are kept in the order of their first row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def copy_key(text: str) -> str:
    """The form copies are compared in: case folded, runs of whitespace made one space, stripped."""
    return " ".join(str(text).casefold().split())


@dataclass(frozen=True)
class Copies:
    """The distinct texts of a fit: ``first`` (row of each distinct text's first copy, in row order),
    ``inverse`` (each row's distinct text) and ``counts`` (rows per distinct text)."""

    first: np.ndarray
    inverse: np.ndarray
    counts: np.ndarray

    @property
    def n_rows(self) -> int:
        """Rows given."""
        return int(self.inverse.size)

    @property
    def n_distinct(self) -> int:
        """Distinct texts among them."""
        return int(self.first.size)


def find_copies(texts: list[str]) -> Copies:
    """Group ``texts`` by :func:`copy_key`, distinct texts in the order of their first row."""
    index: dict[str, int] = {}
    first: list[int] = []
    inverse = np.empty(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        key = copy_key(text)
        at = index.get(key)
        if at is None:
            at = index[key] = len(first)
            first.append(row)
        inverse[row] = at
    counts = np.bincount(inverse, minlength=len(first)).astype(np.int64)
    return Copies(np.asarray(first, dtype=np.int64), inverse, counts)


def place_noise(model, E: np.ndarray, core: np.ndarray, C: np.ndarray, thr: np.ndarray,
                counts: np.ndarray, min_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Step 6 on distinct texts: ``(labels, core)`` after placing the noise of ``core``.

    A noise text with at least ``min_rows`` copies that passes no theme's threshold becomes a theme
    of its own (a new id after the others, and a core member of it); every other noise text joins
    its most similar theme when it passes that theme's threshold, or always with
    ``reassign_threshold=None`` outside the small-corpus rule (steps 5-6 of
    :mod:`cxtext.themes.steps`).
    """
    labels = core.copy()
    core = core.copy()
    noise = np.flatnonzero(core < 0)
    k = C.shape[0]
    if not noise.size:
        return labels, core
    if k:
        S = E[noise] @ C.T
        best = S.argmax(axis=1)
        passes = S[np.arange(noise.size), best] >= thr[best]
    else:
        best = np.zeros(noise.size, dtype=np.int64)
        passes = np.zeros(noise.size, dtype=bool)
    own = ~passes & (counts[noise] >= max(int(min_rows), 2))
    for offset, i in enumerate(noise[own]):
        labels[i] = core[i] = k + offset
    if k:
        joins = passes.copy()
        if model.reassign_threshold is None and not model.small_corpus_:
            joins[:] = True  # step 6 without a threshold: every noise comment joins its most similar theme
        joins &= ~own
        labels[noise[joins]] = best[joins]
    return labels, core
