"""Trends & sources tab: theme volume and NPS by period, sources or segments side by side."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import PALETTE, _mapped, _short_label, empty_figure


# --------------------------------------------------------------------------- trends and sources

MIN_MONTH_NPS = 5  # a theme's monthly NPS is drawn only from this many scored comments on
COMPARE_KIND, COMPARE_SOURCE, COMPARE_SEGMENT = "kind", "source", "segment"
COMPARE_CHOICES = [("survey vs social", COMPARE_KIND), ("each source / channel", COMPARE_SOURCE),
                   ("each segment", COMPARE_SEGMENT)]




def trend_figures(analysis, top: int = 8) -> tuple[go.Figure | None, go.Figure | None, str]:
    """Monthly comment volume and the file's own outcome (NPS, rating, CSAT, CES, sentiment) of the biggest
    themes (``cxtext.drivers.theme_trend``, ``theme_score_trend``); None for a chart with nothing to show."""
    if not _mapped(analysis, "date"):
        note = "Map a date column to see theme volume and scores by month."
        return None, None, note
    if analysis.themes.empty:
        note = "No themes were found, so there is no trend to show."
        return None, None, note
    from cxtext.drivers import theme_trend

    trend = theme_trend(analysis.records, analysis.themes, freq="M")
    if trend.empty:
        note = "No readable dates in the date column."
        return None, None, note
    keep = analysis.themes.sort_values("size", ascending=False)["theme_id"].head(top).tolist()
    shown = trend[trend["theme_id"].isin(keep)]
    volume, nps = go.Figure(), go.Figure()
    for index, theme_id in enumerate(keep):
        part = shown[shown["theme_id"] == theme_id]
        if part.empty:
            continue
        name = _short_label(part["label"].iloc[0], 32)
        colour = PALETTE[index % len(PALETTE)]
        emerging = part["emerging"].astype(bool)
        volume.add_trace(go.Scatter(x=part["period"], y=part["n_comments"], name=name, mode="lines+markers",
                                    line={"color": colour},
                                    marker={"size": [14 if e else 6 for e in emerging],
                                            "symbol": ["star" if e else "circle" for e in emerging]}))
        monthly = part["nps"].where(part["n_nps"] >= MIN_MONTH_NPS)
        if monthly.notna().any():
            nps.add_trace(go.Scatter(x=part["period"], y=monthly, name=name, mode="lines+markers",
                                     line={"color": colour}, customdata=part["n_nps"],
                                     hovertemplate="%{x}: NPS %{y:.0f} (n = %{customdata})"))
    layout = {"height": 420, "template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
              "xaxis": {"type": "category"}}
    volume.update_layout(title=f"Comments per month, {len(keep)} biggest themes (★ = emerging: share of the month +50% and ≥ 5)",
                         yaxis_title="comments", **layout)
    nps.update_layout(title=f"NPS per month by theme (months with ≥ {MIN_MONTH_NPS} scored comments)",
                      yaxis_title="NPS (points)", **layout)
    out = _outcome(analysis)
    if out.key != "nps":
        nps = _score_trend_figure(analysis, keep, out, layout)
    elif not nps.data:
        nps = None  # no theme has enough NPS scores per month: the panel is hidden
    latest = trend["period"].max()
    emerging_now = trend[trend["emerging"].astype(bool) & (trend["period"] == latest)]
    note = (f"Emerging in {latest}: " + "; ".join(str(label) for label in emerging_now["label"])
            if not emerging_now.empty else
            f"No theme is emerging in {latest} (its share of the month's comments up 50% on the month before, "
            "with at least 5 comments).")
    return volume, nps, note


def _outcome(analysis):
    from cxtext.drivers.outcome import outcome_of

    return outcome_of(analysis.drivers, analysis.summary)


def _score_trend_figure(analysis, keep: list, out, layout: dict) -> go.Figure | None:
    """The file's own outcome per month by theme (mean rating, CSAT, CES or net sentiment), or None."""
    from cxtext.drivers import theme_score_trend

    if not out.score_column:
        return None
    trend = theme_score_trend(analysis.records, analysis.themes, out.score_column, freq="M")
    factor, name = (100.0, "net sentiment (points)") if out.key == "sentiment" else (1.0, f"mean {out.name}")
    figure = go.Figure()
    for index, theme_id in enumerate(keep):
        part = trend[(trend["theme_id"] == theme_id) & (trend["n"] >= MIN_MONTH_NPS)]
        if part.empty:
            continue
        figure.add_trace(go.Scatter(x=part["period"], y=part["mean"] * factor, mode="lines+markers",
                                    name=_short_label(part["label"].iloc[0], 32),
                                    line={"color": PALETTE[index % len(PALETTE)]}, customdata=part["n"],
                                    hovertemplate=f"%{{x}}: {name} %{{y:.2f}} (n = %{{customdata}})"))
    if not figure.data:
        return None
    figure.update_layout(title=f"{name[0].upper() + name[1:]} per month by theme (months with ≥ {MIN_MONTH_NPS} scored "
                               "comments)", yaxis_title=name, **layout)
    return figure


def compare_choices(analysis) -> list[tuple[str, str]]:
    """The groupings the page can compare, given what was mapped."""
    choices = []
    if "is_social" in analysis.records:
        choices.append(COMPARE_CHOICES[0])
    if _mapped(analysis, "source"):
        choices.append(COMPARE_CHOICES[1])
    if _mapped(analysis, "segment"):
        choices.append(COMPARE_CHOICES[2])
    return choices


def source_view(analysis, compare: str = COMPARE_KIND, top: int = 15) -> tuple[pd.DataFrame, go.Figure, str]:
    """Theme drivers per group side by side (``cxtext.drivers.driver_table_by``).

    ``compare``: "kind" (survey vs social, from the library's ``is_social``
    flag), "source" (each channel) or "segment".
    """
    if analysis.themes.empty:
        note = "No themes were found."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    try:
        from cxtext.drivers import driver_table_by
    except ImportError:
        note = "Per-source driver tables are not available in this version of cxtext."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    records, by = analysis.records, "source"
    if compare == COMPARE_SEGMENT:
        by = "segment"
        if not _mapped(analysis, "segment"):
            note = "Map a segment column to compare segments."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    elif compare == COMPARE_SOURCE:
        if not _mapped(analysis, "source"):
            note = "Map a source/channel column to compare sources."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    else:
        if "is_social" not in records:
            note = "This analysis does not say which comments are social posts."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
        records = records.assign(source=np.where(records["is_social"].astype(bool), "social", "survey"))
    table = driver_table_by(records, analysis.themes[["theme_id", "label"]], by=by, ces_scale=analysis.ces_scale)
    if table.empty:
        note = "No themed comments to compare."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    groups = list(dict.fromkeys(table[by]))
    order = [label for label in analysis.drivers["label"] if label in set(table["label"])]
    wide = pd.DataFrame({"theme": order})
    for group in groups:
        part = table[table[by] == group].set_index("label").reindex(order)
        wide[f"{group} n"] = part["n_comments"].fillna(0).astype(int).to_numpy()
        if part["nps"].notna().any():
            wide[f"{group} NPS"] = part["nps"].round(1).to_numpy()
            wide[f"{group} impact"] = part["nps_impact"].round(1).to_numpy()
    biggest = (table.groupby("label")["n_comments"].sum().sort_values(ascending=False).head(top).index)
    plotted = [label for label in order if label in set(biggest)]
    figure = go.Figure()
    for index, group in enumerate(groups):
        part = table[table[by] == group].set_index("label").reindex(plotted)
        figure.add_trace(go.Bar(y=[_short_label(v) for v in plotted][::-1], x=part["share"].iloc[::-1],
                                name=str(group), orientation="h", marker_color=PALETTE[index % len(PALETTE)],
                                hovertemplate=f"{html.escape(str(group))}: %{{x:.0%}} of its themed comments"
                                              "<extra></extra>"))
    figure.update_layout(barmode="group", title=f"Share of each {'group' if by == 'segment' else 'source'}'s "
                                                f"themed comments, {len(plotted)} biggest themes",
                         xaxis={"tickformat": ".0%"}, template="plotly_white",
                         height=max(340, 130 + 12 * len(plotted) * max(1, min(len(groups), 4))),
                         legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                         margin={"l": 10, "r": 10, "t": 80, "b": 40})
    note = ("Per group: comments, the theme's NPS and its NPS impact within that group (empty where the group "
            "has no NPS scores, e.g. social posts). Themes are in overall driver order.")
    return wide, figure, note
