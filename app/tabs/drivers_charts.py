"""Drivers tab, the charts: each theme's drag on the file's own outcome with its 95% CI, theme volume against
its score, and the CES gap (plotly figures; None hides a panel)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import GREY, _short_label
from app.tabs.drivers import _ci_text, _level_drivers, outcome


def _colour(values: list[float], good: str = "#2e8540", bad: str = "#c62828") -> list[str]:
    return [GREY if v is None or math.isnan(v) else (bad if v > 0 else good) for v in values]


def _bar_height(n: int) -> int:
    return max(260, 120 + 28 * n)


def impact_figure(analysis, level: str | None = None) -> go.Figure | None:
    """The drag of each theme (or parent theme, ``level="parent"``) on the file's own outcome with its 95% CI,
    most urgent on top: NPS impact, rating impact, CSAT or CES drag, sentiment impact. None when the file has
    no outcome to measure a drag on (the panel is hidden)."""
    drivers, noun = _level_drivers(analysis, level)
    out = outcome(analysis, level)
    if out.key == "sentiment":
        return sentiment_impact_figure(analysis, level)
    if out.key in ("rating", "csat", "ces"):
        return _mean_drag_figure(drivers, noun, out)
    if drivers.empty or "nps_impact" not in drivers or drivers["nps_impact"].isna().all():
        return None
    table = drivers.dropna(subset=["nps_impact"]).iloc[::-1]
    return _impact_bars(
        table, "nps_impact", extra=[], hover_extra="",
        hover_name="NPS impact", title=f"What drives detractors: NPS impact per {noun} (points of overall NPS, "
                                       "95% CI); red = clear drag",
        xaxis_title=f"overall NPS minus NPS without the {noun}")


def _mean_drag_figure(drivers: pd.DataFrame, noun: str, out) -> go.Figure | None:
    """The drag on the average rating, CSAT or effort per theme with its 95% CI (cxtext.drivers.outcome.drag_of)."""
    from cxtext.drivers.outcome import drag_of

    if drivers.empty:
        return None
    drags = [drag_of(row, out, drivers) for _, row in drivers.iterrows()]
    table = drivers.assign(_drag=[d[0] for d in drags], _drag_ci_low=[d[1] for d in drags],
                           _drag_ci_high=[d[2] for d in drags]).dropna(subset=["_drag"])
    if table.empty:
        return None
    what = {"rating": "the average rating", "csat": "average satisfaction (CSAT)",
            "ces": "effort (CES, negative = more effort)"}[out.key]
    return _impact_bars(
        table.iloc[::-1], "_drag", extra=[], hover_extra="", hover_name=out.drag_name,
        title=f"{out.title}: drag on {what} per {noun} ({out.unit}, 95% CI); red = clear drag",
        xaxis_title=f"overall mean minus the mean without the {noun}, in {out.unit}", digits=out.digits)


def _impact_bars(table: pd.DataFrame, column: str, extra: list, hover_extra: str, hover_name: str,
                 title: str, xaxis_title: str, digits: int = 1) -> go.Figure:
    """Horizontal bars of ``column`` per theme with its ``_ci_low``/``_ci_high`` as error bars, red when
    the whole CI is below 0. ``extra``: more customdata columns (from index 3) for ``hover_extra``."""
    low = table[f"{column}_ci_low"].astype(float)
    high = table[f"{column}_ci_high"].astype(float)
    impact = table[column].astype(float)
    colours = ["#c62828" if h < 0 else ("#2e8540" if lo > 0 else GREY) for lo, h in zip(low.fillna(-1e9),
                                                                                        high.fillna(1e9))]
    figure = go.Figure(go.Bar(
        x=impact, y=[_short_label(v) for v in table["label"]], orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (high - impact).fillna(0),
                 "arrayminus": (impact - low).fillna(0), "color": "#444", "thickness": 1.2},
        customdata=np.stack([table["n_comments"], [_ci_text(a, b, digits) for a, b in zip(low, high)],
                             table["label"], *extra], axis=1),
        hovertemplate=f"<b>%{{customdata[2]}}</b><br>{hover_name} %{{x:.{digits}f}}<br>95% CI %{{customdata[1]}}"
                      f"<br>%{{customdata[0]}} comments{hover_extra}<extra></extra>",
    ))
    figure.add_vline(x=0, line_color="#333", line_width=1)
    figure.update_layout(title=title, xaxis_title=xaxis_title, height=_bar_height(len(table)),
                         margin={"l": 10, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure


_OUTCOME_MEAN = {"rating": ("rating_mean", "mean rating", "rating"), "csat": ("csat_mean", "mean CSAT", "csat"),
                 "ces": ("ces_mean", "mean CES", "ces"),
                 "sentiment": ("net_sentiment", "net sentiment", None)}


def volume_nps_figure(analysis, level: str | None = None) -> go.Figure | None:
    """Theme (or parent theme) size against its score in the file's outcome (NPS, mean rating, CSAT, CES,
    net sentiment): big ones low on the chart hurt most. None when there is no score (the panel is hidden)."""
    drivers, noun = _level_drivers(analysis, level)
    out = outcome(analysis, level)
    if out.key in _OUTCOME_MEAN:
        return _volume_mean_figure(analysis, drivers, noun, out)
    if drivers.empty or "nps" not in drivers or drivers["nps"].isna().all():
        return None
    table = drivers.dropna(subset=["nps"])
    overall = (analysis.summary.get("nps") or {}).get("nps")
    named = set(table["theme_id"].head(6)) | set(table.nlargest(3, "n_comments")["theme_id"])
    figure = go.Figure(go.Scatter(
        x=table["n_comments"], y=table["nps"], mode="markers+text",
        text=[_short_label(v, 28) if t in named else "" for v, t in zip(table["label"], table["theme_id"])],
        textposition="top center",
        marker={"size": 12, "color": _colour((-table["nps_impact"]).tolist()), "line": {"width": 1, "color": "#333"}},
        error_y={"type": "data", "symmetric": False, "array": (table["nps_ci_high"] - table["nps"]).fillna(0),
                 "arrayminus": (table["nps"] - table["nps_ci_low"]).fillna(0), "color": "#999", "thickness": 1},
        customdata=np.stack([table["label"], table["n_nps"]], axis=1),
        hovertemplate="<b>%{customdata[0]}</b><br>%{x} comments<br>NPS %{y:.1f} (n = %{customdata[1]})"
                      "<extra></extra>",
    ))
    if overall is not None:
        figure.add_hline(y=overall, line_dash="dash", line_color="#555",
                         annotation_text=f"overall NPS {overall:+.1f}", annotation_position="bottom right")
    figure.update_layout(title=f"{noun.capitalize()} volume vs {noun} NPS (95% CI; the 6 most urgent and 3 biggest "
                               f"{noun}s named)", xaxis_title=f"comments in the {noun}",
                         yaxis_title=f"NPS of the {noun}'s respondents", height=460,
                         margin={"l": 10, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure


def _volume_mean_figure(analysis, drivers: pd.DataFrame, noun: str, out) -> go.Figure | None:
    column, name, summary_key = _OUTCOME_MEAN[out.key]
    if drivers.empty or column not in drivers or pd.to_numeric(drivers[column], errors="coerce").isna().all():
        return None
    table = drivers.assign(_y=pd.to_numeric(drivers[column], errors="coerce")).dropna(subset=["_y"])
    named = set(table["theme_id"].head(6)) | set(table.nlargest(3, "n_comments")["theme_id"])
    figure = go.Figure(go.Scatter(
        x=table["n_comments"], y=table["_y"], mode="markers+text",
        text=[_short_label(v, 28) if t in named else "" for v, t in zip(table["label"], table["theme_id"])],
        textposition="top center", marker={"size": 12, "color": "#1f77b4", "line": {"width": 1, "color": "#333"}},
        customdata=table[["label"]].to_numpy(),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>%{{x}} comments<br>{name} %{{y:.2f}}<extra></extra>"))
    overall = (analysis.summary.get(summary_key) or {}).get("mean") if summary_key else None
    if overall is not None:
        figure.add_hline(y=overall, line_dash="dash", line_color="#555",
                         annotation_text=f"overall {name} {overall:.2f}", annotation_position="bottom right")
    figure.update_layout(title=f"{noun.capitalize()} volume vs {noun} {name} (the 6 most urgent and 3 biggest "
                               f"{noun}s named)", xaxis_title=f"comments in the {noun}",
                         yaxis_title=f"{name} of the {noun}'s comments", height=460,
                         margin={"l": 10, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure


def ces_figure(analysis, level: str | None = None) -> go.Figure | None:
    """ces_gap per theme (or parent theme): extra effort of its customers versus the rest. None without CES
    scores, or when effort already is the outcome the impact chart shows (the panel is hidden)."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.empty or "ces_gap" not in drivers or drivers["ces_gap"].isna().all():
        return None
    if outcome(analysis, level).key == "ces":
        return None
    table = drivers.dropna(subset=["ces_gap"]).sort_values("ces_gap")
    p_values = table.get("ces_gap_p_value", pd.Series(np.nan, index=table.index)).astype(float)
    colours = [("#c62828" if g > 0 else "#2e8540") if p < 0.05 else GREY
               for g, p in zip(table["ces_gap"], p_values.fillna(1.0))]
    figure = go.Figure(go.Bar(
        x=table["ces_gap"], y=[_short_label(v) for v in table["label"]], orientation="h", marker_color=colours,
        customdata=np.stack([table["label"], table["ces_mean"].round(2), p_values.round(4)], axis=1),
        hovertemplate="<b>%{customdata[0]}</b><br>CES gap %{x:.2f} scale points<br>theme mean "
                      "%{customdata[1]}<br>p = %{customdata[2]}<extra></extra>",
    ))
    figure.add_vline(x=0, line_color="#333", line_width=1)
    scale = analysis.drivers.attrs.get("ces_scale", "")
    figure.update_layout(title=f"CES gap per {noun} (positive = more effort; coloured when p < 0.05) · {scale}",
                         xaxis_title=f"{noun} mean effort minus the rest, in scale points",
                         height=_bar_height(len(table)), margin={"l": 10, "r": 20, "t": 50, "b": 40},
                         template="plotly_white")
    return figure


def sentiment_impact_figure(analysis, level: str | None = None) -> go.Figure:
    """sentiment_impact per theme (or parent theme) with its 95% CI, in driver order (most urgent on top)."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.empty or "sentiment_impact" not in drivers or drivers["sentiment_impact"].isna().all():
        return None
    table = drivers.dropna(subset=["sentiment_impact"]).iloc[::-1]
    return _impact_bars(
        table, "sentiment_impact", extra=[table["negative_share"].astype(float)],
        hover_extra=", %{customdata[3]:.0%} negative", hover_name="sentiment impact",
        title=f"What drives negative sentiment: sentiment impact per {noun} (points of net sentiment, 95% CI); "
              "red = clear drag",
        xaxis_title=f"overall net sentiment minus net sentiment without the {noun}")
