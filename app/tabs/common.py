"""Shared by every tab: constants (role labels, progress stages, palette) and message boxes."""

from __future__ import annotations

import html
import logging
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cxtext.errors import CxtextError
from cxtext.io.read import FORMATS


log = logging.getLogger("cxtext.app")

NONE = "(none)"
DISCOVER = "(discover new themes)"
PAGE_SIZE = 25
PREVIEW_ROWS = 10
MAP_HOVER_CHARS = 120
UPLOAD_TYPES = [f".{fmt}" for fmt in FORMATS] + [".txt", ".tab", ".ndjson", ".pq", ".xlsm", ".xls"]  # .xls: Excel 2003 XML (help desks)
SAMPLE_PATH = Path(__file__).resolve().parents[2] / "examples" / "sample_feedback.csv"
ROLE_LABELS = {
    "text": "Comment text (required)",
    "nps": "NPS score (0-10)",
    "ces": "CES score",
    "csat": "CSAT score (1-5)",
    "rating": "Rating (stars, review score)",
    "date": "Date",
    "source": "Source / channel",
    "segment": "Segment",
    "id": "Row id",
}
STAGES = {  # library progress stage -> (text shown, overall fraction when it starts)
    "load": ("Loading the file", 0.0),
    "validate": ("Checking every row", 0.03),
    "normalize": ("Cleaning text, detecting languages", 0.06),
    "embed": ("Embedding comments", 0.1),
    "annotate": ("Reading sentiment and comment kinds", 0.72),
    # "themes" starts theme finding; a new fit then reports its three steps
    "themes": ("Finding themes", 0.78),
    "reduce": ("Reducing dimensions", 0.8),
    "cluster": ("Clustering comments into themes", 0.85),
    "label": ("Labelling themes", 0.9),
    "taxonomy": ("Matching your taxonomy", 0.92),
    "drivers": ("Ranking the drivers", 0.95),
}
# Plotly's qualitative palettes joined: enough distinct colours for ~30 themes.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
    "#636363", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#969696", "#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc",
)
GREY = "#b8b8b8"


# --------------------------------------------------------------------------- messages


def error_text(exc: BaseException) -> str:
    """A message a person can act on. Library errors carry one; anything else is logged."""
    if isinstance(exc, CxtextError):
        return str(exc)
    log.exception("unexpected error in the app", exc_info=exc)
    return (f"Something unexpected went wrong ({type(exc).__name__}: {_clip(str(exc), 200)}). "
            "The details are in the server log.")


def message_html(text: str, kind: str = "info") -> str:
    """A coloured message box; ``kind`` is info, ok, warn or error."""
    if not text:
        return ""
    icon = {"ok": "✔", "warn": "⚠", "error": "✖"}.get(kind, "ℹ")
    return (f'<div class="cx-msg cx-msg-{kind}" role="{"alert" if kind == "error" else "status"}" '
            f'dir="auto">{icon} {html.escape(text)}</div>')


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})
_RTL_LETTER = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_LETTER = re.compile(r"[^\W\d_]")


def text_direction(text: Any, language: Any = None) -> str:
    """``dir`` of a comment: "rtl" when its language or most of its letters are
    right-to-left (so "[handle] خدمة العملاء…" reads right to left), else "auto"."""
    if isinstance(language, str) and language in RTL_LANGUAGES:
        return "rtl"
    letters = len(_LETTER.findall(str(text)))
    return "rtl" if letters and 2 * len(_RTL_LETTER.findall(str(text))) > letters else "auto"


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: Any, digits: int = 1, signed: bool = False, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    number = round(float(value) * (100 if percent else 1), digits) + 0.0  # no "-0.0"
    text = f"{number:+.{digits}f}" if signed and number != 0 else f"{number:.{digits}f}"
    return text + ("%" if percent else "")


def empty_figure(message: str, height: int = 260) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=html.escape(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font={"size": 15, "color": "#666"})
    figure.update_layout(height=height, xaxis={"visible": False}, yaxis={"visible": False},
                         margin={"l": 20, "r": 20, "t": 20, "b": 20}, template="plotly_white")
    return figure


def _short_label(text: Any, limit: int = 45) -> str:
    return _clip(str(text), limit)


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _card(title: str, value: str, detail: str, key: str) -> str:
    return (f'<div class="cx-card" data-testid="card-{key}"><div class="cx-card-title">{html.escape(title)}</div>'
            f'<div class="cx-card-value">{value}</div><div class="cx-card-detail">{detail}</div></div>')


def _mapped(analysis, role: str) -> bool:
    return bool((analysis.summary.get("mapping") or {}).get(role)) and analysis.records[role].notna().any()


def competitor_mentions(analysis) -> dict[str, int]:
    """Competitor name -> analysed comments naming it, most mentioned first (empty without a competitor list)."""
    from cxtext.social import competitor_counts

    return competitor_counts(analysis.records)
