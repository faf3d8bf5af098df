"""The report's charts (matplotlib, SVG for HTML and PNG for the deck): the driver chart and the trend chart."""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd

from cxtext.report.data import CHART_THEMES, ReportData, TREND_THEMES, _ACCENT, _CLEAR_DRAG, _CLEAR_LIFT, _UNCLEAR
from cxtext.report.fmt import _int, _short


# --------------------------------------------------------------------------- charts


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _save(fig, fmt: str) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cxtext"}):
        if fmt == "svg":
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        else:
            fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def driver_chart(data: ReportData, fmt: str = "svg", top: int = CHART_THEMES) -> bytes | None:
    """The drag of each theme on the file's own outcome (NPS impact, rating, CSAT, CES or sentiment drag) with its
    95% CI, most urgent at the top; comment counts when there is no outcome.

    Red: the whole interval is below 0 (a clear drag); green: above 0; grey: unclear.
    """
    ranked = data.ranked().head(top)
    if ranked.empty:
        return None
    labels = [f"{_int(r['rank']) if 'rank' in r else i + 1}. {_short(r['label'], 42)}"
              for i, r in ranked.iterrows()]
    y = np.arange(len(ranked))[::-1]
    fig = _figure(8.5, 0.9 + 0.36 * len(ranked))
    ax = fig.add_subplot(111)
    from cxtext.drivers.outcome import drag_of

    out = data.outcome
    if out.impact is not None:
        drags = np.array([drag_of(r, out, data.drivers) for _, r in ranked.iterrows()], dtype=float).reshape(-1, 3)
        impact, low, high = drags[:, 0], drags[:, 1], drags[:, 2]
    if out.impact is not None and not np.isnan(impact).all():
        colors = [_CLEAR_DRAG if h < 0 else _CLEAR_LIFT if lo > 0 else _UNCLEAR for lo, h in zip(low, high)]
        has_ci = ~np.isnan(low) & ~np.isnan(high)
        for yi, x, lo, hi, color, ok in zip(y, impact, low, high, colors, has_ci):
            if ok:
                ax.plot([lo, hi], [yi, yi], color=color, linewidth=2.2, solid_capstyle="butt", alpha=0.55)
            ax.plot([x], [yi], "o", color=color, markersize=7, markerfacecolor=color if ok else "white")
        ax.axvline(0, color="#333333", linewidth=0.8)
        if out.key == "nps":
            ax.set_xlabel("NPS impact, points (overall NPS minus NPS without the theme; negative = drags NPS down)")
            ax.set_title("What moves NPS: impact of each theme with its 95% confidence interval", loc="left",
                         fontsize=11)
        else:
            ax.set_xlabel(f"{out.drag_name}, {out.unit} (overall mean minus the mean without the theme; "
                          "negative = a drag)")
            ax.set_title(f"{out.title}: {out.drag_name} of each theme with its 95% confidence interval",
                         loc="left", fontsize=11)
    else:
        counts = pd.to_numeric(ranked["n_comments"], errors="coerce").fillna(0).to_numpy()
        ax.barh(y, counts, color=_ACCENT)
        ax.set_xlabel("comments in the theme")
        ax.set_title("Themes by volume (no scores and no sentiment in this data)", loc="left", fontsize=11)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(-0.7, len(ranked) - 0.3)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _save(fig, fmt)


def trend_chart(data: ReportData, fmt: str = "svg", top: int = TREND_THEMES) -> bytes | None:
    """Comments per period for the most urgent themes; emerging periods ringed."""
    trend = data.trend
    if trend is None or trend.empty:
        return None
    ids = [int(t) for t in data.ranked()["theme_id"].head(top)]
    periods = sorted(trend["period"].astype(str).unique())
    if not ids or len(periods) < 1:
        return None
    fig = _figure(8.5, 3.6)
    ax = fig.add_subplot(111)
    x = np.arange(len(periods))
    for theme_id in ids:
        rows = trend[trend["theme_id"].astype(int) == theme_id]
        rows = rows.set_index(rows["period"].astype(str))
        if rows.empty:
            continue
        counts = [float(rows["n_comments"].get(p, 0)) for p in periods]
        label = _short(str(rows["label"].iloc[0]), 36)
        line, = ax.plot(x, counts, marker="o", markersize=3, linewidth=1.6, label=label)
        emerging = [bool(rows["emerging"].get(p, False)) if "emerging" in rows else False for p in periods]
        ex = [xi for xi, e in zip(x, emerging) if e]
        ey = [c for c, e in zip(counts, emerging) if e]
        if ex:
            ax.plot(ex, ey, "o", markersize=10, markerfacecolor="none", markeredgecolor=line.get_color())
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(periods[::step], fontsize=8, rotation=0 if len(periods) <= 12 else 45)
    ax.set_ylabel("comments")
    ax.set_title("Comments per period, most urgent themes (ringed: emerging)", loc="left", fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _save(fig, fmt)


def _data_uri(image: bytes, fmt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"
