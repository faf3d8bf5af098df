"""Score-less feedback in the page: sentiment, comment kinds and competitor cards, when people post."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import PALETTE, _card, _fmt, _mapped, competitor_mentions, empty_figure


# --------------------------------------------------------------------------- sentiment, kinds, competitors, activity
# (cxtext.social: every analysed comment has a sentiment and a kind, scored or not)

SENTIMENTS = ("negative", "neutral", "positive")
KINDS = ("complaint", "question", "suggestion", "praise", "other")
DEFAULT_TIMEZONE = "UTC"
MAX_ACTIVITY_GROUPS = 6  # heatmaps drawn side by side; the busiest sources first


def _shares(counts: dict[str, int] | None, order: tuple[str, ...]) -> list[tuple[str, int, float]]:
    """(name, count, share 0-1) in ``order`` then any other names, from a count dict of the summary."""
    counts = {str(k): int(v) for k, v in (counts or {}).items() if v}
    total = sum(counts.values())
    names = [n for n in order if n in counts] + sorted(n for n in counts if n not in order)
    return [(n, counts[n], counts[n] / total) for n in names] if total else []


def social_cards(analysis) -> list[str]:
    """Overview cards from the library's annotations: sentiment shares, comment kinds, top competitors
    and how sentiment agrees with the NPS category. Only the cards with something to show."""
    s = analysis.summary
    cards = []
    sentiment = _shares(s.get("sentiment"), SENTIMENTS)
    if sentiment:
        share = {name: value for name, _, value in sentiment}
        detail = " · ".join(f"{html.escape(name)} {_fmt(value, 0, percent=True)} ({count:,})"
                            for name, count, value in sentiment)
        cards.append(_card("Sentiment", _fmt(share.get("negative", 0.0), 0, percent=True) + " negative",
                           detail + "<br>every analysed comment, scored or not", "sentiment"))
    kinds = _shares(s.get("kinds"), KINDS)
    if kinds:
        top_name, _, top_share = max(kinds, key=lambda item: item[1])
        cards.append(_card("Comment kinds", f"{_fmt(top_share, 0, percent=True)} {html.escape(top_name)}",
                           " · ".join(f"{html.escape(name)} {_fmt(value, 0, percent=True)}"
                                      for name, _, value in kinds), "kinds"))
    competitors = competitor_mentions(analysis)
    if competitors:
        analysed = max(1, int(s.get("rows_analyzed") or 0))
        top = list(competitors.items())[:5]
        cards.append(_card("Competitor mentions", f"{sum(competitors.values()):,}",
                           " · ".join(f"{html.escape(name)} {count:,} ({_fmt(count / analysed, 1, percent=True)})"
                                      for name, count in top), "competitors"))
    agreement = s.get("sentiment_vs_nps") or {}
    if agreement.get("n") and agreement.get("accuracy") is not None:
        cards.append(_card(
            "Sentiment vs NPS", _fmt(agreement["accuracy"], 0, percent=True) + " agree",
            f"on {agreement['n']:,} comments with an NPS: negative = detractor, neutral = passive, "
            f"positive = promoter<br>kappa {_fmt(agreement.get('kappa'), 2)} · detractors read negative "
            f"{_fmt(agreement.get('detractor_recall'), 0, percent=True)} · Spearman "
            f"{_fmt(agreement.get('spearman'), 2)}", "sentiment-nps"))
    return cards






def activity_view(analysis, timezone: str | None = DEFAULT_TIMEZONE,
                  top: int = MAX_ACTIVITY_GROUPS) -> tuple[pd.DataFrame, go.Figure, str]:
    """Mentions by weekday x hour of day in ``timezone`` (an IANA name), one heatmap per source.

    From :func:`cxtext.social.activity_table`. Returns the long table (source,
    weekday, hour, mentions), the figure and a note. Raises the library's
    ValidationError for an unknown timezone. Without a source column all
    comments form one group; a date column holding dates only gives
    mentions per weekday (no hours).
    """
    from cxtext.social import WEEKDAYS, activity_pivot, activity_table

    timezone = (timezone or "").strip() or DEFAULT_TIMEZONE
    if not _mapped(analysis, "date"):
        # no dates, but a wrong zone is still refused with the library's message
        activity_table(pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]")}), timezone=timezone, by=None)
        note = "Map a date column (with times) to see mentions by hour of day and weekday."
        return pd.DataFrame(), empty_figure(note), note
    by = "source" if _mapped(analysis, "source") else None
    table = activity_table(analysis.records, timezone=timezone, by=by)
    if table.empty:
        note = "No analysed comment has a readable date."
        return table, empty_figure(note), note
    if by is None:
        table = table.assign(source="all comments")
    totals = table.groupby("source")["mentions"].sum().sort_values(ascending=False, kind="stable")
    groups = totals.index[:top].tolist()
    has_time = bool(table.attrs.get("has_time"))
    from plotly.subplots import make_subplots

    if has_time:
        figure = make_subplots(rows=len(groups), cols=1, shared_xaxes=True, vertical_spacing=0.06,
                               subplot_titles=[f"{g} ({int(totals[g]):,} mentions)" for g in groups])
        for index, group in enumerate(groups, start=1):
            grid = activity_pivot(table, group)
            figure.add_trace(go.Heatmap(z=grid.to_numpy(), x=[f"{h:02d}" for h in grid.columns],
                                        y=[d[:3] for d in grid.index], coloraxis="coloraxis", name=str(group),
                                        hovertemplate=f"{html.escape(str(group))}<br>%{{y}} %{{x}}:00: "
                                                      "%{z} mentions<extra></extra>"),
                             row=index, col=1)
            figure.update_yaxes(autorange="reversed", row=index, col=1)
        figure.update_layout(coloraxis={"colorscale": "Blues", "colorbar": {"title": "mentions"}},
                             height=120 + 230 * len(groups), xaxis_title=None)
        figure.update_xaxes(title_text=f"hour of day ({timezone})", row=len(groups), col=1)
        note = (f"Mentions by weekday and hour of day in {timezone}, per source"
                f"{'' if len(totals) <= top else f' (the {top} busiest of {len(totals)})'}.")
    else:
        figure = go.Figure()
        for index, group in enumerate(groups):
            counts = table[table["source"] == group].groupby("weekday")["mentions"].sum().reindex(range(7),
                                                                                                  fill_value=0)
            figure.add_trace(go.Bar(x=list(WEEKDAYS), y=counts.to_numpy(), name=str(group),
                                    marker_color=PALETTE[index % len(PALETTE)]))
        figure.update_layout(barmode="group", height=380, yaxis_title="mentions")
        note = "The date column holds dates without times: mentions by weekday only, per source."
    figure.update_layout(title="When people post: mentions by weekday" + (" and hour" if has_time else ""),
                         template="plotly_white", margin={"l": 10, "r": 10, "t": 70, "b": 40})
    return table, figure, note
