"""Cell helpers and the trend and per-group sections of ``report.html`` (kept apart from the page's frame).

Used by :mod:`cxtext.report.html_report`; imports only the report's data, format and chart modules.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cxtext.report.charts import _data_uri, trend_chart
from cxtext.report.data import GROUP_THEMES, MAX_GROUPS, TREND_THEMES, ReportData
from cxtext.report.fmt import DASH, _f, _int, esc, fmt_num


def _td_num(value: str, css: str = "") -> str:
    cls = "n" + (f" {css}" if css else "")
    return f'<td class="{cls}">{esc(value)}</td>'


def _sign_class(value: Any) -> str:
    x = _f(value)
    return "" if math.isnan(x) else ("neg" if x < 0 else "pos" if x > 0 else "")


def _impact_class(row: Any) -> str:
    hi, lo = _f(row.get("nps_impact_ci_high")), _f(row.get("nps_impact_ci_low"))
    if not math.isnan(hi) and hi < 0:
        return "neg"
    if not math.isnan(lo) and lo > 0:
        return "pos"
    return ""


def _label_html(label: Any) -> str:
    return f'<span dir="auto">{esc(label)}</span>'


def _trend_html(data: ReportData, ranked: pd.DataFrame) -> str:
    trend = data.trend
    unit = {"W": "week", "M": "month"}.get(data.trend_freq or "M", "period")
    out = [f'<section id="trends"><h2>Trends by {unit}</h2>']
    chart = trend_chart(data, "svg")
    if chart:
        out.append(f'<figure><img alt="Comments per {unit} for the most urgent themes" src="{_data_uri(chart, "svg")}">'
                   f"<figcaption>Comments per {esc(unit)} in the {TREND_THEMES} most urgent themes; a ring marks an "
                   "emerging period.</figcaption></figure>")
    periods = sorted(trend["period"].astype(str).unique())[-12:]
    ids = [int(t) for t in ranked["theme_id"].head(TREND_THEMES)]
    out.append("<table><thead><tr><th>Theme</th>" + "".join(f'<th class="n">{esc(p)}</th>' for p in periods) +
               "</tr></thead><tbody>")
    for theme_id in ids:
        rows = trend[trend["theme_id"].astype(int) == theme_id]
        if rows.empty:
            continue
        by_period = rows.set_index(rows["period"].astype(str))
        cells = []
        for p in periods:
            if p not in by_period.index:
                cells.append(_td_num(DASH))
                continue
            r = by_period.loc[p]
            text = f"{_int(r['n_comments'])}"
            if "nps" in r and not math.isnan(_f(r["nps"])):
                text += f" · {fmt_num(r['nps'], 0, True)}"
            emerging = bool(r.get("emerging", False)) and str(r.get("emerging")).lower() not in ("false", "0")
            cells.append(f'<td class="n{" emerging" if emerging else ""}">{esc(text)}{" ▲" if emerging else ""}</td>')
        out.append(f"<tr><td>{_label_html(rows['label'].iloc[0])}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    out.append(f'<p class="note">Each cell: comments · theme NPS in that {esc(unit)}; ▲ emerging. '
               f"{'Only the last 12 periods are listed; the chart shows all.' if trend['period'].nunique() > 12 else ''}</p>")
    out.append("</section>")
    return "".join(out)


def _groups_html(data: ReportData, by: str, table: pd.DataFrame, ranked: pd.DataFrame) -> str:
    title = {"source": "Sources side by side", "segment": "Segments side by side"}.get(by, by)
    counts = table.groupby(by)["n_comments"].sum().sort_values(ascending=False)
    groups = [str(g) for g in counts.index[:MAX_GROUPS]]
    out = [f'<section id="{esc(by)}s"><h2>{esc(title)}</h2>']
    out.append(f'<p class="note">Each cell: comments in the theme from that {esc(by)} · theme NPS there · NPS impact '
               f"within that {esc(by)} (relative to its own respondents). {DASH} = no comment.</p>")
    head = "".join(f'<th class="n" dir="auto">{esc(g)}</th>' for g in groups)
    out.append(f"<table><thead><tr><th>Theme</th>{head}</tr></thead><tbody>")
    totals = data.group_totals.get(by)
    if totals is not None and not totals.empty:
        t = totals.set_index(totals[by].astype(str))
        cells = []
        for g in groups:
            if g in t.index:
                r = t.loc[g]
                text = f"{_int(r['rows']):,} rows" + (f" · NPS {fmt_num(r['nps'], 0, True)}" if _int(r["n_nps"]) else "")
                cells.append(_td_num(text))
            else:
                cells.append(_td_num(DASH))
        out.append(f"<tr><td><b>All comments</b></td>{''.join(cells)}</tr>")
    keyed = table.assign(_g=table[by].astype(str), _t=table["theme_id"].astype(int)).set_index(["_t", "_g"])
    for _, theme in ranked.head(GROUP_THEMES).iterrows():
        cells = []
        for g in groups:
            key = (int(theme["theme_id"]), g)
            if key not in keyed.index:
                cells.append(_td_num(DASH))
                continue
            r = keyed.loc[key]
            r = r.iloc[0] if isinstance(r, pd.DataFrame) else r
            text = f"{_int(r['n_comments'])}"
            if not math.isnan(_f(r.get("nps"))):
                text += f" · {fmt_num(r['nps'], 0, True)} · {fmt_num(r.get('nps_impact'), 1, True)}"
            cells.append(_td_num(text, _impact_class(r)))
        out.append(f"<tr><td>{_label_html(theme['label'])}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    if counts.size > len(groups):
        out.append(f'<p class="note">The {len(groups)} largest of {counts.size} {esc(by)} values are shown.</p>')
    out.append("</section>")
    return "".join(out)
