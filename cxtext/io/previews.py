"""A comment column that is only the first part of another: a preview cut at a few hundred characters.

A public Şikayetvar scrape held ``description_preview`` (the first ~300 characters of each complaint, 38.8 words)
beside ``full_text`` (122.6 words); the header "description" made the preview the comment column, and about 70%
of every complaint was left out without a word. :func:`full_text_of` finds the column holding the whole text, so
:mod:`cxtext.io.columns` reads it instead and says why.

Imports :mod:`cxtext.io.profile` (a column's words on average) and pandas.
"""

from __future__ import annotations

import pandas as pd

from cxtext.io.profile import ColumnProfile

#: Rows compared (with both cells filled), and the share of them whose longer cell starts with the shorter one.
PREVIEW_ROWS = 200
PREVIEW_SHARE = 0.8
#: Characters of the preview compared (its end may be cut inside a word or end in "...").
PREVIEW_PREFIX = 40


def full_text_of(column: str, frame: pd.DataFrame, candidates: list[str]) -> str | None:
    """The candidate whose values start with ``column``'s values (and are longer) in most rows, else None."""
    shown = frame[column].astype("string").str.strip()
    for other in candidates:
        full = frame[other].astype("string").str.strip()
        both = (shown.fillna("").str.len() >= 20) & full.notna()
        pairs = list(zip(shown[both].head(PREVIEW_ROWS), full[both].head(PREVIEW_ROWS)))
        if len(pairs) < 5:
            continue
        starts = sum(len(f) > len(s) and f.startswith(s[:PREVIEW_PREFIX]) for s, f in pairs)
        if starts >= PREVIEW_SHARE * len(pairs):
            return other
    return None


def read_whole_text(chosen: dict, reasons: dict, columns: list[str], frame: pd.DataFrame | None,
                     profiles: dict[str, ColumnProfile], taken: set[str]) -> None:
    """When the comment column is a preview of another column's text, read the whole text instead
    (:mod:`cxtext.io.previews`); the preview stays out of the comment columns."""
    preview = chosen["text"]
    if frame is None or preview not in profiles:
        return
    longer = [c for c in columns if c not in taken and c in profiles and profiles[c].words > profiles[preview].words]
    full = full_text_of(preview, frame, longer)
    if full is None:
        return
    chosen["text"] = full
    taken.update((full, preview))  # the preview is not a second comment column either
    passed = [p for p in reasons["text"]["passed_over"] if p["column"] != full]
    reasons["text"] = {"column": full, "passed_over": [{"column": preview, "why": (
        f"{reasons['text']['why']}, but its values are the first part of '{full}' ({profiles[preview].words:.0f} "
        f"of {profiles[full].words:.0f} words on average): a preview")}] + passed,
        "why": f"found by content: its values are text, {profiles[full].words:.1f} words on average, of which "
               f"'{preview}' holds only the first part"}
