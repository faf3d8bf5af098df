"""Themes tab: the theme tree, one theme in full (keywords, quotes, scores) and its comments, a page at a time."""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import PAGE_SIZE, _fmt, _missing, empty_figure, message_html, text_direction


# --------------------------------------------------------------------------- themes


def theme_count_table(analysis) -> pd.DataFrame:
    """Per theme id: ``comments`` (every comment listed under the theme: the one count every view, the
    driver table, the exports and the report show) and ``main_theme`` (comments whose first theme it is)."""
    from cxtext.drivers.outcome import theme_counts

    return theme_counts(analysis.records, [int(t) for t in analysis.themes["theme_id"]])


def theme_choices(analysis) -> list[tuple[str, int]]:
    """(label, theme_id) for the theme pickers, in driver-rank order; the count in brackets is the comments
    listed under the theme (the driver table's n_comments)."""
    order = analysis.drivers["theme_id"].tolist() if not analysis.drivers.empty else []
    themes = analysis.themes.set_index("theme_id")
    counts = theme_count_table(analysis)["comments"]
    ids = [t for t in order if t in themes.index] + [t for t in themes.index if t not in order]
    return [(f"{themes.loc[t, 'label']} ({int(counts.get(int(t), 0))})", int(t)) for t in ids]


def theme_tree_html(analysis) -> str:
    """Themes as a tree under their parent themes (themes.csv ``parent_id``/``parent_label``): each parent
    with its comment count, NPS and NPS impact (parent-level drivers), then its themes, biggest first."""
    themes = analysis.themes
    if themes.empty or "parent_id" not in themes or themes["parent_id"].isna().all():
        return message_html("No parent themes: this analysis has no themes to group.")
    by_theme = analysis.drivers_at("theme").set_index("theme_id")
    by_parent = analysis.drivers_at("parent").set_index("theme_id")
    counts = theme_count_table(analysis)["comments"]
    themes = themes.assign(size=[int(counts.get(int(t), 0)) for t in themes["theme_id"]])

    def stats(drivers: pd.DataFrame, key: int, size: int) -> str:
        parts = [f"{size:,} comments"]
        if key in drivers.index:
            row = drivers.loc[key]
            if not _missing(row.get("nps")):
                parts.append(f"NPS {_fmt(row.get('nps'), 1, signed=True)}")
            if not _missing(row.get("nps_impact")):
                parts.append(f"impact {_fmt(row.get('nps_impact'), 1, signed=True)}")
        return " · ".join(parts)

    # a parent's count: comments listed under any of its themes, each once (its parent-level n_comments)
    sizes = pd.Series({p: int(by_parent.loc[p, "n_comments"]) if p in by_parent.index else int(group["size"].sum())
                       for p, group in themes.groupby("parent_id")}).sort_values(ascending=False, kind="stable")
    blocks = []
    for parent_id, size in sizes.items():
        children = themes[themes["parent_id"] == parent_id].sort_values(["size", "theme_id"],
                                                                       ascending=[False, True])
        label = str(children["parent_label"].iloc[0])
        items = "".join(
            f"<li data-testid='tree-theme' data-theme-id='{int(t.theme_id)}'><span dir='auto'>"
            f"{html.escape(str(t.label))}</span> "
            + ("<span class='cx-chip' data-testid='origin-taxonomy'>taxonomy</span> "
               if getattr(t, "origin", "") == "taxonomy" else "")
            + "<span class='cx-tree-stats'>"
            f"{stats(by_theme, int(t.theme_id), int(t.size))}</span></li>"
            for t in children.itertuples())
        blocks.append(
            f"<details open class='cx-tree-parent' data-testid='tree-parent'><summary><b dir='auto'>"
            f"{html.escape(label)}</b> <span class='cx-tree-stats'>{len(children)} theme"
            f"{'s' if len(children) != 1 else ''} · {stats(by_parent, int(parent_id), int(size))}</span>"
            f"</summary><ul>{items}</ul></details>")
    return (f"<div class='cx-tree' data-testid='theme-tree'><div class='cx-tree-title'>{len(sizes)} parent "
            f"themes over {len(themes)} themes</div>{''.join(blocks)}</div>")


def _theme_row(analysis, theme_id: int) -> pd.Series | None:
    match = analysis.themes[analysis.themes["theme_id"] == int(theme_id)]
    return None if match.empty else match.iloc[0]


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r";|\|", value) if part.strip()]
    if isinstance(value, dict):
        return [f"{k} {v:.0%}" if isinstance(v, float) and v <= 1 else f"{k} {v}" for k, v in value.items()]
    return [str(v) for v in value]


def theme_members(analysis, theme_id: int) -> pd.DataFrame:
    """Records of every comment listed under the theme (the drivers' membership rule)."""
    from cxtext.drivers import theme_membership

    member = theme_membership(analysis.records, [int(theme_id)])[int(theme_id)].to_numpy()
    return analysis.records[member]


def theme_detail_html(analysis, theme_id: int | None) -> str:
    if theme_id is None:
        return message_html("Pick a theme.")
    theme = _theme_row(analysis, theme_id)
    if theme is None:
        return message_html("That theme no longer exists (it was merged or deleted). Pick another.", "warn")
    driver = analysis.drivers[analysis.drivers["theme_id"] == int(theme_id)]
    stats = ""
    if not driver.empty:
        d = driver.iloc[0]
        main = int(theme_count_table(analysis)["main_theme"].get(int(theme_id), 0))
        both = (f" <span data-testid='main-theme-count'>({main} with it as their main theme)</span>"
                if main != int(d["n_comments"]) else "")
        stats = (f"<div class='cx-theme-stats'>rank {int(d['rank'])} · <span data-testid='theme-comments-count'>"
                 f"{int(d['n_comments'])}</span> comments{both} "
                 f"({_fmt(d.get('share'), 0, percent=True)} of themed) · {_outcome_stats(analysis, d)}"
                 + (f" · CES gap {_fmt(d.get('ces_gap'), 2, signed=True)}" if not _missing(d.get("ces_gap")) else "")
                 + "</div>")
    keywords = "".join(f"<span class='cx-chip' dir='auto'>{html.escape(k)}</span>"
                       for k in _as_list(theme.get("keywords")))
    languages = ", ".join(html.escape(x) for x in _as_list(theme.get("languages"))) or "–"
    in_comments = analysis.mention_quotes().get(int(theme_id), [])
    quotes = "".join(f"<blockquote class='cx-quote' dir='{text_direction(q)}'>"
                     f"{_mention_html(in_comments[i]) if i < len(in_comments) else html.escape(html.unescape(q))}"
                     "</blockquote>"
                     for i, q in enumerate(_as_list_quotes(theme.get("quotes"))))
    return (f"<div class='cx-theme' data-testid='theme-detail'>"
            f"<h3 dir='auto' data-testid='theme-label'>{html.escape(str(theme['label']))}</h3>{stats}"
            f"<div class='cx-row'><b>Keywords</b> {keywords or '–'}</div>"
            f"<div class='cx-row'><b>Languages</b> {languages}</div>"
            f"<div class='cx-row'><b>Representative quotes</b><div class='cx-quotes' data-testid='quotes'>"
            f"{quotes or '–'}</div></div></div>")


def _outcome_stats(analysis, d: pd.Series) -> str:
    """The theme's numbers on the file's own outcome: NPS with its interval, impact and detractor lift; or,
    without NPS, the theme's rating / CSAT / sentiment and its drag (a rating file shows no empty NPS)."""
    from cxtext.drivers.outcome import outcome_of

    out = outcome_of(analysis.drivers, analysis.summary)
    if out.key == "nps":
        return (f"NPS {_fmt(d.get('nps'), 1, signed=True)} [{_fmt(d.get('nps_ci_low'), 1, signed=True)}, "
                f"{_fmt(d.get('nps_ci_high'), 1, signed=True)}] · NPS impact {_fmt(d.get('nps_impact'), 1, signed=True)}"
                f" · detractor lift {_fmt(d.get('detractor_lift'), 2)}")
    means = {"rating": ("mean rating", "rating_mean"), "csat": ("mean CSAT", "csat_mean"),
             "ces": ("mean CES", "ces_mean"), "sentiment": ("net sentiment", "net_sentiment")}
    parts = []
    if out.key in means and not _missing(d.get(means[out.key][1])):
        parts.append(f"{means[out.key][0]} {_fmt(d.get(means[out.key][1]), 2)}")
    if out.impact and out.key != "ces":  # the CES gap follows on its own
        interval = (f" [{_fmt(d.get(out.ci[0]), out.digits, signed=True)}, "
                    f"{_fmt(d.get(out.ci[1]), out.digits, signed=True)}]") if out.ci else ""
        parts.append(f"{out.drag_name} {_fmt(d.get(out.impact), out.digits, signed=True)}{interval}")
    return " · ".join(parts) or "no scores"


def _mention_html(quote) -> str:
    """A quote that is a mention (themes learnt from mentions), marked inside its comment."""
    def text(part: str) -> str:
        return html.escape(html.unescape(part))

    if not quote.before and not quote.after:
        return text(quote.mention)
    return (f"<span class='cx-context'>{text(quote.before)}</span><mark class='cx-mention'>{text(quote.mention)}</mark>"
            f"<span class='cx-context'>{text(quote.after)}</span>")


def _as_list_quotes(value: Any) -> list[str]:
    if isinstance(value, str):  # a CSV round trip flattens quotes with " | "
        return [q.strip() for q in value.split(" | ") if q.strip()]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [str(q) for q in value]


def theme_score_figure(analysis, theme_id: int | None) -> go.Figure | None:
    """The distribution of the file's own outcome in the theme: 0-10 NPS answers, ratings, CSAT or CES
    answers, or negative/neutral/positive comments. None when the theme has none (the panel is hidden)."""
    from cxtext.drivers.outcome import outcome_of

    if theme_id is None or _theme_row(analysis, theme_id) is None:
        return None
    members = theme_members(analysis, theme_id)
    out = outcome_of(analysis.drivers, analysis.summary)
    if out.key != "nps":
        return _outcome_distribution(members, out)
    scores = members.loc[members["scores_valid"].astype(bool), "nps"].dropna().astype(int)
    if scores.empty:
        return None
    counts = scores.value_counts().reindex(range(11), fill_value=0)
    colours = ["#c62828"] * 7 + ["#f9a825"] * 2 + ["#2e8540"] * 2
    figure = go.Figure(go.Bar(x=list(range(11)), y=counts.tolist(), marker_color=colours,
                              hovertemplate="score %{x}: %{y} respondents<extra></extra>"))
    figure.update_layout(title=f"NPS answers in this theme (n = {len(scores)})",
                         xaxis={"dtick": 1, "title": "0-6 detractors · 7-8 passives · 9-10 promoters"},
                         yaxis_title="respondents", height=280, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                         template="plotly_white", bargap=0.15)
    return figure


def _outcome_distribution(members: pd.DataFrame, out) -> go.Figure | None:
    layout = {"yaxis_title": "comments", "height": 280, "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
              "template": "plotly_white", "bargap": 0.15}
    if out.key == "sentiment" and "sentiment" in members:
        counts = members["sentiment"].dropna().astype(str).value_counts().reindex(
            ["negative", "neutral", "positive"], fill_value=0)
        if not counts.sum():
            return None
        figure = go.Figure(go.Bar(x=counts.index.tolist(), y=counts.tolist(),
                                  marker_color=["#c62828", GREY_BAR, "#2e8540"]))
        figure.update_layout(title=f"Sentiment of this theme's comments (n = {int(counts.sum())})", **layout)
        return figure
    if not out.score_column or out.score_column not in members:
        return None
    valid = members["scores_valid"].astype(bool) if "scores_valid" in members else True
    scores = pd.to_numeric(members.loc[valid, out.score_column], errors="coerce").dropna()
    if scores.empty:
        return None
    counts = scores.round(1).value_counts().sort_index()
    figure = go.Figure(go.Bar(x=[f"{v:g}" for v in counts.index], y=counts.tolist(), marker_color="#1f77b4",
                              hovertemplate=f"{out.name} %{{x}}: %{{y}} comments<extra></extra>"))
    figure.update_layout(title=f"{out.name[0].upper() + out.name[1:]} answers in this theme (n = {len(scores)})",
                         xaxis={"type": "category", "title": out.name}, **layout)
    return figure


GREY_BAR = "#9e9e9e"


def theme_comments(analysis, theme_id: int | None, page: int, per_page: int = PAGE_SIZE) -> tuple[str, str, int]:
    """One page of the theme's comments as an HTML table; returns (html, "page x of y", clamped page)."""
    if theme_id is None or _theme_row(analysis, theme_id) is None:
        return "", "", 0
    members = theme_members(analysis, theme_id)
    pages = max(1, math.ceil(len(members) / per_page))
    page = min(max(0, int(page)), pages - 1)
    chunk = members.iloc[page * per_page:(page + 1) * per_page]
    score_columns = [c for c in ("nps", "ces", "csat") if members[c].notna().any()]
    extra_columns = [c for c in ("source", "date") if c in members and members[c].notna().any()]
    header = "".join(f"<th>{c}</th>" for c in ["row", "comment", *score_columns, "language", *extra_columns])
    rows = []
    for record in chunk.itertuples(index=False):
        direction = text_direction(record.text, record.language)
        cells = [f"<td>{int(record.row)}</td>",
                 f"<td dir='{direction}' class='cx-text'>{html.escape(html.unescape(str(record.text)))}</td>"]
        cells += [f"<td>{'' if _missing(getattr(record, c)) else int(getattr(record, c))}</td>" for c in score_columns]
        cells.append(f"<td>{html.escape(str(record.language))}</td>")
        for column in extra_columns:
            value = getattr(record, column)
            text = "" if _missing(value) else (value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value)
            cells.append(f"<td>{html.escape(str(text))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = (f"<table class='cx-comments' data-testid='theme-comments'><thead><tr>{header}</tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>")
    first = page * per_page + 1 if len(members) else 0
    label = (f"Comments {first}-{page * per_page + len(chunk)} of {len(members)} · page {page + 1} of {pages}")
    return table, label, page
