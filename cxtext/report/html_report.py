"""The self-contained ``report.html``: no script, a Content-Security-Policy, every text escaped, RTL where needed."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxtext import __version__
from cxtext.report.data import _write_atomic
from cxtext.report.charts import _data_uri, driver_chart
from cxtext.report.data import CHART_THEMES, HTML_QUOTES, OTHER_THEMES_MAX, ReportData, TENTATIVE_TAG, TOP_THEMES, _as_data, _missing
from cxtext.report.fmt import _f, _int, _short, esc, fmt_ci, fmt_num, fmt_p, fmt_pct, is_rtl
from cxtext.report.html_sections import _groups_html, _impact_class, _label_html, _sign_class, _td_num, _trend_html
from cxtext.report.prose import headline_facts, how_to_read, key_findings, methods_lines

if TYPE_CHECKING:
    from cxtext.analysis import Analysis


# --------------------------------------------------------------------------- HTML

_CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--bg:#f6f7f9;--accent:#1f4e79;--bad:#c0392b;--good:#1e8449}
*{box-sizing:border-box}
.warning{background:#fff8e1;border:1px solid #f0d58a;color:#5c4400;border-radius:6px;padding:8px 12px}
body{margin:0;background:var(--bg);color:var(--ink);
 font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","DejaVu Sans",Arial,sans-serif,
 "Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
main{max-width:1040px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 10px;border-bottom:2px solid var(--accent);padding-bottom:4px}
h3{font-size:17px;margin:0 0 6px}
.sub{color:var(--muted);margin:0 0 18px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(175px,1fr));gap:12px;margin:16px 0}
.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.tile .k{color:var(--muted);font-size:13px}.tile .v{font-size:26px;font-weight:650}.tile .d{color:var(--muted);font-size:12.5px}
.findings{background:#fff;border-left:4px solid var(--accent);padding:10px 18px;margin:14px 0}
.findings li{margin:4px 0}
figure{margin:10px 0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px}
figure img{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.neg{color:var(--bad)}.pos{color:var(--good)}.muted{color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:14px 0}
.card .meta{color:var(--muted);font-size:13px;margin-bottom:8px}
.nums{display:flex;flex-wrap:wrap;gap:6px 20px;margin:6px 0 10px;font-size:14px}
.nums b{font-variant-numeric:tabular-nums}
blockquote{margin:6px 0;padding:6px 12px;border-inline-start:3px solid #b7c4d3;background:#f8f9fb;
 unicode-bidi:plaintext;white-space:pre-wrap;overflow-wrap:anywhere}
blockquote .ctx{color:var(--muted)}
blockquote mark{background:#fdf1c4;color:inherit;padding:0 1px}
.rank{display:inline-block;min-width:26px;padding:0 6px;border-radius:12px;background:var(--accent);color:#fff;
 font-size:13px;text-align:center;margin-inline-end:6px}
.note{font-size:13px;color:var(--muted)}
.tag{display:inline-block;margin-inline-start:8px;padding:0 7px;border-radius:10px;background:#fff3cd;color:#6b4f00;
 font-size:12px;font-weight:500;vertical-align:middle}
dl.read dt{font-weight:650;margin-top:8px}dl.read dd{margin:2px 0 0 0}
.emerging{font-weight:650;color:var(--bad)}
[dir=auto]{unicode-bidi:isolate}
@media print{
 body{background:#fff;font-size:11pt}main{max-width:none;padding:0}
 .tile,.card,figure,table,.findings{box-shadow:none;border-color:#bbb}
 .card,figure,.tile,tr{break-inside:avoid;page-break-inside:avoid}
 h2{break-after:avoid;page-break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def render_html(source: "Analysis | ReportData", top: int = TOP_THEMES) -> str:
    """The whole report as one HTML string (no external resource, no script)."""
    data = _as_data(source)
    s = data.summary
    name = (s.get("input") or {}).get("name") or "feedback"
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add(f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    title = "Scores" if data.scores_only else data.outcome.title
    add(f"<title>{esc(title)}: {esc(name)}</title>")
    add(f"<style>{_CSS}</style></head><body><main>")
    add(f"<h1>{esc(title)}</h1>")
    period = ""
    if data.trend is not None and not data.trend.empty:
        periods = sorted(data.trend["period"].astype(str).unique())
        period = f" · {esc(periods[0])} to {esc(periods[-1])}"
    add(f'<p class="sub">{esc(name)}{period} · {_int(s.get("rows_in")):,} rows · report made '
        f'{esc(dt.date.today().isoformat())} by cxtext {esc(s.get("cxtext_version", __version__))}. '
        'Definitions of every number are in <a href="#how-to-read">How to read this</a>.</p>')

    # overview
    add('<section id="overview">')
    from cxtext.io.warnings import summary_warnings

    for warning in summary_warnings(s):  # the same sentences as the app's and the command line's
        add(f'<p class="warning" data-kind="{esc(warning.kind)}">⚠ {esc(warning.message)}</p>')
    add('<div class="tiles">')
    for key, value, detail in headline_facts(data):
        add(f'<div class="tile"><div class="k">{esc(key)}</div><div class="v">{esc(value)}</div>'
            f'<div class="d">{esc(detail)}</div></div>')
    add("</div>")
    add(_fix_first_html(data))
    findings = key_findings(data)
    if findings:
        add('<div class="findings"><strong>Key findings</strong><ul>')
        for line in findings:
            add(f'<li dir="auto">{esc(line)}</li>')
        add("</ul></div>")
    reasons = s.get("rejection_reasons") or {}
    if reasons:
        items = "; ".join(f"{esc(reason)}: {int(count)}" for reason, count in reasons.items())
        add(f'<p class="note">Rejected rows by reason: {items}.</p>')
    if not data.scores_only:
        add(_kinds_html(data))
    add("</section>")

    if data.scores_only:  # no comment column: the scores per group instead of the theme sections
        for by, table in data.score_groups.items():
            add(_score_group_html(by, table))
        parts.extend(_closing_sections(data))
        add("</main></body></html>")
        return "\n".join(parts)

    ranked = data.ranked()
    # driver chart and table
    add('<section id="drivers"><h2>Drivers</h2>')
    chart = driver_chart(data, "svg")
    if chart:
        shown = min(len(ranked), CHART_THEMES)
        out = data.outcome
        caption = ("Each dot is a theme's NPS impact, the line its 95% confidence interval; red = clearly drags NPS "
                   "down, grey = not conclusive, green = clearly lifts it." if out.key == "nps" else
                   f"Each dot is a theme's {out.drag_name} in {out.unit}, the line its 95% confidence interval; red "
                   "= a clear drag, grey = not conclusive, green = a clear lift." if out.impact else
                   "Comments per theme.")
        caption = f"{out.order_text} {caption}"
        if len(ranked) > shown:
            caption += f" The {shown} most urgent of {len(ranked)} themes are drawn; all are in the table below."
        add(f'<figure><img alt="Driver chart: {esc(out.drag_name)} of the {shown} most urgent themes" '
            f'src="{_data_uri(chart, "svg")}"><figcaption>{esc(caption)}</figcaption></figure>')
    add(_driver_table_html(data, ranked))
    if data.has_nps and not ranked.empty and pd.to_numeric(ranked["nps_impact_ci_high"], errors="coerce").isna().all():
        leader = data.top_driver()
        add(f'<p class="note">Every theme has fewer than {data.min_test_size} scored respondents, so none gets a '
            "confidence interval or test; the table puts first the themes whose estimated drag is a drag, "
            "biggest drag first, then the rest by size"
            + (f'; the theme with the largest estimated drag is <span dir="auto">“{esc(leader["label"])}”</span> '
               "(see the key findings)" if leader is not None else "") + ".</p>")
    add("</section>")

    # top themes in full
    if not ranked.empty:
        add(f'<section id="themes"><h2>Top {min(top, len(ranked))} themes in detail</h2>')
        for _, row in ranked.head(top).iterrows():
            add(_theme_card_html(data, row))
        rest = ranked.iloc[top:]
        if len(rest):
            add(_other_themes_html(rest))
        add("</section>")

    if data.trend is not None and not data.trend.empty:
        add(_trend_html(data, ranked))
    for by, table in data.groups.items():
        add(_groups_html(data, by, table, ranked))
    for note in data.missing_notes:
        add(f'<p class="note">{esc(note)}</p>')

    parts.extend(_closing_sections(data))
    add("</main></body></html>")
    return "\n".join(parts)


def _closing_sections(data: ReportData) -> list[str]:
    """"How to read this" and "Methods"."""
    parts = ['<section id="how-to-read"><h2>How to read this</h2><dl class="read">']
    parts += [f"<dt>{esc(term)}</dt><dd>{esc(definition)}</dd>" for term, definition in how_to_read(data)]
    parts.append("</dl></section>")
    parts.append('<section id="methods"><h2>Methods</h2><ul>')
    parts += [f'<li dir="auto">{esc(line)}</li>' for line in methods_lines(data)]
    parts.append("</ul></section>")
    return parts


def _score_group_html(by: str, table: pd.DataFrame) -> str:
    """A score-only export's scores per source, segment or month (``scores_by_<by>.csv``), one row per group."""
    title = {"source": "Scores by source", "segment": "Scores by segment", "month": "Scores by month"}.get(by, by)
    shown = [(column, name, digits) for column, name, digits in
             (("n_rows", "rows", 0), ("nps", "NPS", 1), ("nps_ci_low", "CI low", 1), ("nps_ci_high", "CI high", 1),
              ("ces_mean", "CES mean", 2), ("csat_mean", "CSAT mean", 2), ("rating_mean", "rating mean", 2))
             if column in table and pd.to_numeric(table[column], errors="coerce").notna().any()]
    head = "".join(f'<th class="n">{esc(name)}</th>' for _, name, _ in shown)
    rows = []
    for _, row in table.iterrows():
        cells = "".join(_td_num(f"{_int(row[c]):,}" if d == 0 else fmt_num(row[c], d, sign=c.startswith("nps")))
                        for c, _, d in shown)
        rows.append(f'<tr><td dir="auto">{esc(row[by])}</td>{cells}</tr>')
    return (f'<section id="scores-by-{esc(by)}"><h2>{esc(title)}</h2><table><thead><tr><th>{esc(by)}</th>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table><p class="note">NPS with its 95% CI per {esc(by)}; '
            f"every row counts once.</p></section>")


def _fix_first_html(data: ReportData, n: int = 3) -> str:
    """The app's "fix first" box: the top drags on the file's own outcome, size, drag with interval, a quote."""
    from cxtext.drivers.outcome import fix_first

    items = fix_first(data.drivers, data.themes, data.summary, n=n)
    if not items:
        return ""
    out = data.outcome
    rows = []
    for number, item in enumerate(items, 1):
        share = "" if item["share"] != item["share"] else f", {item['share']:.0%} of themed comments"
        what = f"{out.drag_name}: {item['drag_text']}" if out.impact else f"{item['comments']:,} comments"
        quote = f' <q dir="auto">{esc(item["quote"])}</q>' if item["quote"] else ""
        rows.append(f'<li><b dir="auto">{number}. {esc(item["label"])}</b>: {item["comments"]:,} comments{share}; '
                    f"{esc(what)}.{quote}</li>")
    return (f'<div class="findings" id="fix-first"><strong>Fix first</strong>: the {len(items)} theme'
            f'{"s" if len(items) != 1 else ""} with the biggest {esc(out.drag_name)}<ul>{"".join(rows)}</ul></div>')


def _kinds_html(data: ReportData) -> str:
    s = data.summary
    kinds = [("themed", s.get("rows_themed")), ("unthemed", s.get("rows_unthemed")),
             ("no comment (non-answers)", s.get("rows_no_comment")), ("rejected", s.get("rows_rejected")),
             ("blank (no comment, no score)", s.get("rows_blank") or None),
             ("score but no comment", s.get("rows_score_only") or None),
             ("copies folded into their first post", s.get("duplicates_folded"))]
    cells = ", ".join(f"{esc(name)} {_int(value):,}" for name, value in kinds if value is not None)
    out = f'<p class="note">Rows by outcome: {cells}.</p>' if cells else ""
    reasons = s.get("no_comment_reasons") or {}
    if reasons:  # why rows are non-answers, so a reader can check none of them was a real comment
        why = "; ".join(f"{_int(n):,} {esc(reason)}" for reason, n in reasons.items())
        repeated = ", ".join(f"“{esc(r.get('text', ''))}” ({_int(r.get('rows')):,})"
                             for r in (s.get("repeated_non_answers") or [])[:5])
        out += (f'<p class="note" id="no-comment-reasons">No comment, by reason: {why}.'
                + (f" Repeated in this file: {repeated}." if repeated else "") + "</p>")
    for title, counts in data.counts.items():
        total = sum(counts.values()) or 1
        items = ", ".join(f"{esc(k)} {v:,} ({100 * v / total:.0f}%)" for k, v in counts.items())
        out += f'<p class="note">{esc(title)}: {items}.</p>'
    return out


def _driver_table_html(data: ReportData, ranked: pd.DataFrame) -> str:
    if ranked.empty:
        return '<p class="note">No themes were found, so there is no driver table.</p>'
    from cxtext.drivers.outcome import drag_text

    nps, ces, csat = data.has_nps, data.has("ces_gap"), data.has("csat_gap")
    out = data.outcome
    head = ['<th class="n">Rank</th>', "<th>Theme</th>", '<th class="n">Comments</th>']
    other = out.impact is not None and out.key != "nps"
    if other:
        head.append(f'<th class="n">{esc(out.drag_name[0].upper() + out.drag_name[1:])} (95% CI)</th>')
    if nps:
        head += ['<th class="n">Theme NPS (95% CI)</th>', '<th class="n">NPS impact (95% CI)</th>',
                 '<th class="n">Detractor lift (q)</th>', '<th class="n">Odds ratio</th>']
    if ces:
        head.append('<th class="n">CES gap</th>')
    if csat:
        head.append('<th class="n">CSAT gap</th>')
    rows = ["<table><thead><tr>" + "".join(head) + "</tr></thead><tbody>"]
    for _, r in ranked.iterrows():
        tag = f' <span class="tag">{esc(TENTATIVE_TAG)}</span>' if r.get("tentative") else ""
        cells = [_td_num(str(_int(r.get("rank")))), f"<td>{_label_html(r['label'])}{tag}</td>",
                 _td_num(f"{_int(r['n_comments']):,}")]
        if other:
            cells.append(_td_num(esc(drag_text(r, out, data.drivers))))
        if nps:
            ci = fmt_ci(r.get("nps_ci_low"), r.get("nps_ci_high"), 0)
            cells.append(_td_num(fmt_num(r.get("nps"), 0, True) + (f" ({ci})" if ci else "")))
            ici = fmt_ci(r.get("nps_impact_ci_low"), r.get("nps_impact_ci_high"), 1)
            cells.append(_td_num(fmt_num(r.get("nps_impact"), 1, True) + (f" ({ici})" if ici else ""),
                                 _impact_class(r)))
            lift = _f(r.get("detractor_lift"))
            test = str(r.get("lift_test") or "")
            lift_text = (f"{lift:.2f}× (q {fmt_p(r.get('lift_q_value'))})" if not math.isnan(lift) and
                         not math.isnan(_f(r.get("lift_q_value"))) else test if test.startswith("too small")
                         else fmt_num(lift, 2))
            cells.append(_td_num(lift_text))
            cells.append(_td_num(fmt_num(r.get("odds_ratio"), 2)))
        if ces:
            cells.append(_td_num(fmt_num(r.get("ces_gap"), 2, True),
                                 "neg" if _f(r.get("ces_gap")) > 0 and _f(r.get("ces_gap_p_value")) < 0.05 else ""))
        if csat:
            cells.append(_td_num(fmt_num(r.get("csat_gap"), 2, True), _sign_class(r.get("csat_gap"))))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _theme_card_html(data: ReportData, row: Any) -> str:
    out = ['<article class="card">']
    tag = f' <span class="tag">{esc(TENTATIVE_TAG)}</span>' if row.get("tentative") else ""
    out.append(f'<h3><span class="rank">{_int(row.get("rank"))}</span>{_label_html(row["label"])}{tag}</h3>')
    meta = []
    parent = row.get("parent")
    if not _missing(parent) and str(parent):
        meta.append(f"part of <span dir=\"auto\">{esc(parent)}</span>")
    keywords = row.get("keywords")
    if isinstance(keywords, list) and keywords:
        meta.append("keywords: " + ", ".join(f'<span dir="auto">{esc(k)}</span>' for k in keywords[:8]))
    if row.get("languages"):
        meta.append(f"languages: {esc(row['languages'])}")
    if meta:
        out.append(f'<div class="meta">{" · ".join(meta)}</div>')
    nums = [f"<span>Comments <b>{_int(row['n_comments']):,}</b> ({fmt_pct(row.get('share'))} of themed)</span>"]
    if data.has_nps:
        ci = fmt_ci(row.get("nps_ci_low"), row.get("nps_ci_high"), 0)
        nums.append(f"<span>Theme NPS <b>{esc(fmt_num(row.get('nps'), 0, True))}</b>"
                    f"{esc(f' (95% CI {ci})' if ci else '')}, n = {_int(row.get('n_nps')):,}</span>")
        ici = fmt_ci(row.get("nps_impact_ci_low"), row.get("nps_impact_ci_high"), 1)
        nums.append(f'<span>NPS impact <b class="{_impact_class(row)}">{esc(fmt_num(row.get("nps_impact"), 1, True))}'
                    f"</b> points{esc(f' (95% CI {ici})' if ici else '')}</span>")
        lift = _f(row.get("detractor_lift"))
        lift_text = "" if math.isnan(lift) else f", lift {fmt_num(lift, 2)}×"
        nums.append(f"<span>Detractors <b>{esc(fmt_pct(row.get('detractor_share')))}</b>{esc(lift_text)}</span>")
    if data.has("ces_gap") and not math.isnan(_f(row.get("ces_gap"))):
        p_value = _f(row.get("ces_gap_p_value"))
        p_text = "" if math.isnan(p_value) else f"p {fmt_p(p_value)}; "
        nums.append(f"<span>CES gap <b>{esc(fmt_num(row.get('ces_gap'), 2, True))}</b> "
                    f"({esc(p_text)}theme mean {esc(fmt_num(row.get('ces_mean'), 2))})</span>")
    if data.has("csat_gap") and not math.isnan(_f(row.get("csat_gap"))):
        nums.append(f"<span>CSAT gap <b>{esc(fmt_num(row.get('csat_gap'), 2, True))}</b></span>")
    if not math.isnan(_f(row.get("priority"))) and data.has_nps:
        nums.append(f"<span>Priority <b>{esc(fmt_num(row.get('priority'), 1))}</b></span>")
    out.append('<div class="nums">' + "".join(nums) + "</div>")
    quotes = row.get("quotes") if isinstance(row.get("quotes"), list) else []
    in_comments = data.mention_quotes.get(int(row["theme_id"]), [])
    for i, quote in enumerate(quotes[:HTML_QUOTES]):
        out.append(f'<blockquote dir="{"rtl" if is_rtl(quote) else "auto"}">'
                   f'{_quote_html(in_comments[i]) if i < len(in_comments) else esc(quote)}</blockquote>')
    if not quotes:
        out.append('<p class="note">No quotes stored for this theme.</p>')
    out.append("</article>")
    return "".join(out)


def _quote_html(quote) -> str:
    """A mention quoted in its comment (:class:`cxtext.text.mentions.MentionQuote`): the mention marked,
    the comment around it in grey."""
    mention = f"<mark>{esc(quote.mention)}</mark>" if quote.before or quote.after else esc(quote.mention)
    return (f'<span class="ctx">{esc(quote.before)}</span>{mention}'
            f'<span class="ctx">{esc(quote.after)}</span>')


def _other_themes_html(rest: pd.DataFrame) -> str:
    shown = rest.head(OTHER_THEMES_MAX)
    out = [f"<h3>The other {len(rest)} themes</h3>",
           "<table><thead><tr><th class=\"n\">Rank</th><th>Theme</th><th class=\"n\">Comments</th>"
           "<th>Languages</th><th>A typical comment</th></tr></thead><tbody>"]
    for _, r in shown.iterrows():
        quotes = r.get("quotes") if isinstance(r.get("quotes"), list) else []
        quote = _short(quotes[0], 160) if quotes else ""
        comments = f"{_int(r.get('n_comments')):,}"
        out.append(f"<tr>{_td_num(str(_int(r.get('rank'))))}<td>{_label_html(r['label'])}</td>"
                   f"{_td_num(comments)}<td>{esc(r.get('languages') or '')}</td>"
                   f'<td dir="auto">{esc(quote)}</td></tr>')
    out.append("</tbody></table>")
    if len(rest) > len(shown):
        out.append(f'<p class="note">{len(rest) - len(shown)} more themes are in themes.csv.</p>')
    return "".join(out)


def write_html(source: "Analysis | ReportData", path: str | Path, top: int = TOP_THEMES) -> Path:
    """Write report.html (UTF-8) to ``path``; returns it."""
    path = Path(path)
    _write_atomic(path, render_html(source, top=top).encode("utf-8"))
    return path
