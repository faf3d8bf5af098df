"""Drivers tab: the driver grid (rounded, CIs as text), its notes and its charts."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import GREY, _missing, _short_label, competitor_mentions, empty_figure


# --------------------------------------------------------------------------- drivers

# cxtext.social's columns, shown when the analysis has sentiment (every analysis with the annotate stage)
SENTIMENT_VIEW = ["negative_share", "net_sentiment", "sentiment_impact", "sentiment_impact_95ci",
                  "competitor_share"]

DRIVER_VIEW = ["rank", "label", "tentative", "n_comments", "share", "nps", "nps_95ci", "detractor_share", "nps_impact",
               "nps_impact_95ci", *SENTIMENT_VIEW, "detractor_lift", "lift_q_value", "odds_ratio", "ces_mean", "ces_gap",
               "ces_gap_p_value", "csat_mean", "csat_gap", "rating_mean", "rating_gap", "rating_impact",
               "rating_impact_95ci", "priority", "theme_id"]
_ROUND = {"share": 3, "detractor_share": 3, "negative_share": 3, "competitor_share": 3, "lift_q_value": 4, "ces_gap_p_value": 4, "odds_ratio": 2,
          "detractor_lift": 2, "ces_mean": 2, "ces_gap": 2, "csat_mean": 2, "csat_gap": 2, "rating_mean": 2,
          "rating_gap": 2, "rating_impact": 3}
_CI_COLUMNS = {"nps_95ci": ("nps_ci_low", "nps_ci_high"),
               "nps_impact_95ci": ("nps_impact_ci_low", "nps_impact_ci_high"),
               "sentiment_impact_95ci": ("sentiment_impact_ci_low", "sentiment_impact_ci_high"),
               "rating_impact_95ci": ("rating_impact_ci_low", "rating_impact_ci_high")}
_CI_DESCRIPTIONS = {"nps_95ci": "95% confidence interval of the theme's NPS (nps_ci_low to nps_ci_high), in points.",
                    "nps_impact_95ci": "95% confidence interval of nps_impact (nps_impact_ci_low to "
                                       "nps_impact_ci_high), in points; entirely below 0 means a clear drag.",
                    "sentiment_impact_95ci": "95% confidence interval of sentiment_impact (sentiment_impact_ci_low "
                                             "to sentiment_impact_ci_high), in points; entirely below 0 means a "
                                             "clear drag on overall sentiment.",
                    "rating_impact_95ci": "95% confidence interval of rating_impact (rating_impact_ci_low to "
                                          "rating_impact_ci_high), in rating points; entirely below 0 means a clear "
                                          "drag on the average rating."}


DRIVER_LEVELS = [("each theme", "theme"), ("parent themes", "parent")]


def _level_drivers(analysis, level: str | None) -> tuple[pd.DataFrame, str]:
    """The driver table at ``level`` ("theme", "parent" or None: the analysis's own), ranked by the file's
    own outcome (:func:`cxtext.drivers.outcome.rank_by_outcome`), and the noun the charts use for its rows."""
    from cxtext.drivers.outcome import rank_by_outcome

    if level is None:
        return rank_by_outcome(analysis.drivers), "theme"
    return rank_by_outcome(analysis.drivers_at(level)), "parent theme" if level == "parent" else "theme"


def outcome(analysis, level: str | None = None):
    """The :class:`cxtext.drivers.outcome.Outcome` the analysis is judged by (NPS, rating, CSAT, CES, sentiment)."""
    from cxtext.drivers.outcome import outcome_of

    return outcome_of(_level_drivers(analysis, level)[0], analysis.summary)


def with_outcome_ranking(analysis):
    """The analysis with its driver table ranked by the file's own outcome (in place; a no-op when it already
    is), so the theme picker, the Drivers tab and the exports agree."""
    from cxtext.drivers.outcome import rank_by_outcome

    ranked = rank_by_outcome(analysis.drivers)
    if ranked is not analysis.drivers:
        analysis.drivers = ranked
    return analysis


def drivers_frame(analysis, level: str | None = None) -> pd.DataFrame:
    """The driver table as shown: the library's columns, rounded, each CI as one "low to high" cell,
    all-empty columns left out. The exported files keep every column.

    ``level``: "theme" or "parent" (:meth:`cxtext.analysis.Analysis.drivers_at`); None: the analysis's own."""
    drivers = _level_drivers(analysis, level)[0].copy()
    for name, (low, high) in _CI_COLUMNS.items():
        if low in drivers and high in drivers:
            digits = 2 if name.startswith("rating") else 1  # rating points are small numbers
            drivers[name] = [None if _missing(a) or _missing(b) else _ci_text(a, b, digits)
                             for a, b in zip(drivers[low], drivers[high])]
    tentative = set(analysis.summary.get("tentative_themes") or []) if level in (None, "theme") else set()
    if tentative and "theme_id" in drivers:
        drivers["tentative"] = ["few comments" if int(t) in tentative else "" for t in drivers["theme_id"]]
    view = drivers[[c for c in DRIVER_VIEW if c in drivers.columns]].copy()
    if "competitor_share" in view and not competitor_mentions(analysis):  # 0 everywhere says nothing
        view = view.drop(columns="competitor_share")
    for column in view.columns:
        if column in ("label", "rank", "theme_id", "n_comments", "tentative", *_CI_COLUMNS):
            continue
        view[column] = pd.to_numeric(view[column], errors="coerce").round(_ROUND.get(column, 1))
    view = view.loc[:, [c for c in view.columns if view[c].notna().any() or c in ("rank", "label")]]
    return view


def drivers_widths(frame: pd.DataFrame) -> list[str]:
    """Pixel widths for the driver grid: a wide theme label, compact numbers."""
    special = {"label": "250px", "rank": "70px", "nps_95ci": "150px", "nps_impact_95ci": "150px",
               "sentiment_impact_95ci": "170px"}
    return [special.get(c, f"{max(90, 9 * len(c) + 24)}px") for c in frame.columns]


def drivers_note(analysis, level: str | None = None) -> str:
    drivers = _level_drivers(analysis, level)[0]
    descriptions = {**drivers.attrs.get("column_descriptions", {}), **_CI_DESCRIPTIONS}
    shown = drivers_frame(analysis, level).columns
    out = outcome(analysis, level)
    plain = ["", "The table shows plain columns; **Show technical columns** adds every library column, described "
             "below.", "", "- **Comments**: comments listed under the theme (a comment can be in several themes); the "
             "same count as in the theme picker, the theme tree and the report.",
             "- **Share of themed (%)**: the theme's comments as a percentage of all themed comments."]
    if out.impact is not None:
        plain.append(f"- **Drag ({out.unit})**: the theme's {out.drag_name}, how much it pulls "
                     f"the file's overall {out.name} down (overall minus everyone not in the theme); negative is a "
                     "drag. **95% interval**: the range it lies in with 95% confidence; wholly below 0 is a clear drag.")
    lines = plain + [""] + [f"- **{c}**: {descriptions[c]}" for c in shown if c in descriptions]
    basis = drivers.attrs.get("priority_basis")
    if basis in ("sentiment", "rating", "csat", "ces"):
        lines.insert(0, {"sentiment": SENTIMENT_RANKING_NOTE, "rating": RATING_RANKING_NOTE,
                         "csat": CSAT_RANKING_NOTE, "ces": CES_RANKING_NOTE}[basis])
    if len(drivers) and _missing(drivers.iloc[0].get("priority")):
        lines.insert(0, TENTATIVE_LEAD_NOTE.format(k=drivers.attrs.get("min_test_size", 10)))
    keys = ("model_note", "ces_scale") if "ces_mean" in shown else ("model_note",)  # only what is mapped
    if drivers.attrs.get("priority_basis") not in (None, "nps"):
        keys = keys[1:]  # the key-driver model is about detractors: nothing to say without NPS
    extra = [drivers.attrs.get(k) for k in keys if drivers.attrs.get(k)]
    return "\n".join(lines + ([""] + [f"*{html.escape(str(e))}*" for e in extra] if extra else []))


def _colour(values: list[float], good: str = "#2e8540", bad: str = "#c62828") -> list[str]:
    return [GREY if v is None or math.isnan(v) else (bad if v > 0 else good) for v in values]




def _bar_height(n: int) -> int:
    return max(260, 120 + 28 * n)




def drivers_heading(analysis) -> str:
    """The line above the driver table: the file's outcome as a title and what the ranking is by."""
    out = outcome(analysis)
    return (f"### {out.title}\n{out.order_text} Sort by any column with the ⋮ button in its header.")


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


def _ci_text(low: Any, high: Any, digits: int = 1) -> str:
    if _missing(low) or _missing(high):
        return "not computed (too few scored comments in the theme)"
    return f"{_signed(low, digits)} to {_signed(high, digits)}"


def _signed(value: float, digits: int = 1) -> str:
    """``digits`` decimals with a sign; a value that rounds to zero shows as 0.0, never -0.0."""
    rounded = round(float(value), digits) + 0.0
    return f"{0:.{digits}f}" if rounded == 0 else f"{rounded:+.{digits}f}"


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


CSAT_RANKING_NOTE = ("**No row has an NPS score or a rating, so themes are ranked by their drag on average "
                     "satisfaction (CSAT)** that holds with 95% confidence.")
CES_RANKING_NOTE = ("**No row has an NPS score, a rating or CSAT, so themes are ranked by the extra effort (CES) "
                    "they cost** that holds with 95% confidence.")
RATING_RANKING_NOTE = ("**No row has an NPS score, so themes are ranked by their drag on the average rating** "
                       "(the rating_impact that holds with 95% confidence; a rating is never read as NPS).")


SENTIMENT_RANKING_NOTE = ("**No row has an NPS score, so themes are ranked by their drag on sentiment** "
                          "(sentiment_priority: the sentiment_impact that holds with 95% confidence).")


TENTATIVE_LEAD_NOTE = ("**No theme's drag is statistically clear**: the first themes have fewer than {k} scored "
                       "respondents each, so they are ranked by their estimated drag, the likeliest leads to check "
                       "with their quotes first, not measured effects.")


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


# --------------------------------------------------------------------------- the view a product manager reads

_MEAN_COLUMN = {"nps": ("nps", "Theme NPS", 0), "rating": ("rating_mean", "Mean rating", 2),
                "csat": ("csat_mean", "Mean CSAT", 2), "ces": ("ces_mean", "Mean CES", 2),
                "sentiment": ("net_sentiment", "Net sentiment", 0)}
FRIENDLY_WIDTHS = {"#": "56px", "Theme": "280px", "Note": "120px"}


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
        view["95% interval"] = [None if math.isnan(d[1]) or math.isnan(d[2]) else
                                f"{_signed(d[1], out.digits)} to {_signed(d[2], out.digits)}" for d in drags]
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
    return [FRIENDLY_WIDTHS.get(c, f"{max(90, 8 * len(c) + 20)}px") for c in frame.columns]


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
