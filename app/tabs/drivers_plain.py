"""Drivers tab, what a product manager reads first: the "fix first" box and the driver table in plain words
(shares in %, the drag with its interval in one cell, no ids or test statistics)."""

from __future__ import annotations

import html
import math

import pandas as pd

from app.tabs.drivers import _level_drivers, _signed, outcome


_MEAN_COLUMN = {"nps": ("nps", "Theme NPS", 0), "rating": ("rating_mean", "Mean rating", 2),
                "csat": ("csat_mean", "Mean CSAT", 2), "ces": ("ces_mean", "Mean CES", 2),
                "sentiment": ("net_sentiment", "Net sentiment", 0)}
# Column widths as percentages of the grid, so the plain table fits the page at any width (1,024 px and up, issue
# 24): the numbers get compact columns whose headers wrap, the theme label takes what is left (at least THEME_MIN).
FRIENDLY_WIDTHS = {"#": 4, "Note": 9, "95% interval": 12}
NUMBER_WIDTH, THEME_MIN = 9, 20


def drivers_view(analysis, level: str | None = None) -> pd.DataFrame:
    """The driver table as a product manager reads it: plain column names, shares in %, the drag on the file's
    own outcome with its 95% interval in one compact cell, no ids or test statistics (those are in
    :func:`drivers_frame`, shown by the "technical columns" toggle)."""
    from cxtext.drivers.outcome import drag_of

    drivers, _ = _level_drivers(analysis, level)
    out = outcome(analysis, level)
    if drivers.empty:
        return pd.DataFrame({"#": [], "Theme": [], "Comments": []})
    tentative = set(analysis.summary.get("tentative_themes") or []) if level in (None, "theme") else set()
    view = pd.DataFrame({
        "#": drivers["rank"].astype(int).to_numpy(),
        "Theme": [str(label) for label in drivers["label"]],
        "Comments": drivers["n_comments"].astype(int).to_numpy(),
        "Share of themed (%)": (pd.to_numeric(drivers["share"], errors="coerce") * 100).round(0).to_numpy(),
    })
    if tentative:
        view.insert(2, "Note", ["few comments" if int(t) in tentative else None for t in drivers["theme_id"]])
    if out.impact is not None:
        drags = [drag_of(row, out, drivers) for _, row in drivers.iterrows()]
        view[f"Drag ({out.unit})"] = [None if math.isnan(d[0]) else round(d[0], out.digits) for d in drags]
        # a drag without an interval comes from a theme below the test size: say so rather than leave a blank
        view["95% interval"] = [None if math.isnan(d[0]) else "too few to test" if math.isnan(d[1]) or math.isnan(d[2])
                                else f"{_signed(d[1], out.digits)} to {_signed(d[2], out.digits)}" for d in drags]
    if out.key in _MEAN_COLUMN and _MEAN_COLUMN[out.key][0] in drivers:
        column, title, digits = _MEAN_COLUMN[out.key]
        view[title] = pd.to_numeric(drivers[column], errors="coerce").round(digits).to_numpy()
    if out.key == "nps" and "detractor_share" in drivers:
        view["Detractors (%)"] = (pd.to_numeric(drivers["detractor_share"], errors="coerce") * 100).round(0).to_numpy()
    if "negative_share" in drivers and pd.to_numeric(drivers["negative_share"], errors="coerce").notna().any():
        view["Negative (%)"] = (pd.to_numeric(drivers["negative_share"], errors="coerce") * 100).round(0).to_numpy()
    if out.key not in ("ces",) and "ces_gap" in drivers and pd.to_numeric(drivers["ces_gap"], errors="coerce").notna().any():
        view["Extra effort (CES points)"] = pd.to_numeric(drivers["ces_gap"], errors="coerce").round(2).to_numpy()
    view = view.loc[:, [c for c in view.columns if view[c].notna().any() or c in ("#", "Theme")]]
    return view.astype(object).where(view.notna(), None)  # noqa: the grid shows None as an empty cell


def drivers_view_widths(frame: pd.DataFrame) -> list[str]:
    """Percent widths that add up to 100: compact numbers, the theme label wide."""
    widths = {c: FRIENDLY_WIDTHS.get(c, NUMBER_WIDTH) for c in frame.columns if c != "Theme"}
    numbers = sum(widths.values())
    if numbers > 100 - THEME_MIN:  # many columns: shrink the numbers in proportion
        widths = {c: w * (100 - THEME_MIN) / numbers for c, w in widths.items()}
    theme = 100 - sum(widths.values())
    return [f"{theme if c == 'Theme' else widths[c]:.4g}%" for c in frame.columns]


def fix_first_html(analysis, n: int = 3) -> str:
    """The "fix first" summary above the driver table: the top ``n`` drags on the file's own outcome with their
    size, the drag and its interval, and one quote each (:func:`cxtext.drivers.outcome.fix_first`); the
    analysis's warnings come first."""
    from cxtext.drivers.outcome import fix_first

    from app.tabs.common import text_direction
    from app.tabs.overview import warnings_html

    drivers, _ = _level_drivers(analysis, None)
    out = outcome(analysis)
    items = fix_first(drivers, analysis.themes, analysis.summary, n=n)
    warnings = warnings_html(analysis.summary)
    if not items:
        return warnings + ("<div class='cx-fix' data-testid='fix-first'><b>Fix first</b>: no theme drags the "
                           f"{html.escape(out.name)} down in this file.</div>")
    cards = []
    for number, item in enumerate(items, 1):
        share = "" if math.isnan(item["share"]) else f" · {item['share']:.0%} of themed comments"
        sure = ("" if "too few" in item["drag_text"] else
                " (clear drag)" if item["clear"] else " (not statistically clear)")
        quote = (f"<blockquote class='cx-quote' dir='{text_direction(item['quote'])}'>"
                 f"{html.escape(html.unescape(item['quote']))}</blockquote>" if item["quote"] else "")
        what = (f"{html.escape(out.drag_name)}: <b>{html.escape(item['drag_text'])}</b>{sure}"
                if out.impact else f"<b>{item['comments']:,} comments</b>")
        cards.append(f"<div class='cx-fix-item' data-testid='fix-first-item'><div><b>{number}. "
                     f"<span dir='auto'>{html.escape(item['label'])}</span></b></div>"
                     f"<div class='cx-fix-stats'>{item['comments']:,} comments{share} · {what}</div>{quote}</div>")
    return (warnings + f"<div class='cx-fix' data-testid='fix-first'><div class='cx-fix-title'><b>Fix first</b>: the "
            f"{len(items)} theme{'s' if len(items) != 1 else ''} with the biggest {html.escape(out.drag_name)}"
            f"</div><div class='cx-fix-items'>{''.join(cards)}</div></div>")
