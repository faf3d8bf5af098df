"""Headline and Overview tab: the score cards, rows in / analysed / rejected, languages."""

from __future__ import annotations

import html

import pandas as pd

from app.tabs.common import _card, _clip, _fmt, message_html
from app.tabs.social import social_cards


# --------------------------------------------------------------------------- header and overview


def headline(analysis) -> str:
    s = analysis.summary
    name = (s.get("input") or {}).get("name") or "data"
    nps = s.get("nps") or {}
    parts = [f"<b>{html.escape(str(name))}</b>", f"{s['rows_in']:,} rows", f"{s['rows_analyzed']:,} analysed",
             f"<span data-testid='theme-count'>{s.get('theme_count', 0)}</span> themes"
             + (f" ({len(s['tentative_themes'])} tentative)" if s.get("tentative_themes") else "")]
    from cxtext.io.warnings import coverage_text, summary_warnings

    if nps:
        parts.append(f"NPS {_fmt(nps.get('nps'), 1, signed=True)}{coverage_text(s, 'nps')}")
    elif (s.get("rating") or {}).get("mean") is not None:
        parts.append(f"mean rating {_fmt(s['rating']['mean'], 2)} of {html.escape(str(s['rating']['scale']))}"
                     + coverage_text(s, "rating"))
    elif (s.get("csat") or {}).get("n"):
        parts.append(f"CSAT {_fmt(s['csat'].get('csat_percent'), 0)}% satisfied{coverage_text(s, 'csat')}")
    elif (s.get("ces") or {}).get("n"):
        parts.append(f"CES {_fmt(s['ces'].get('mean'), 2)}{coverage_text(s, 'ces')}")
    found = summary_warnings(s)
    if found:
        parts.append(f"<span data-testid='headline-warnings' style='color:#8a5a00'>⚠ {len(found)} "
                     f"warning{'s' if len(found) != 1 else ''}: see the Overview tab</span>")
    return f'<div class="cx-headline" data-testid="headline">{" · ".join(parts)}</div>'


def warnings_html(summary: dict) -> str:
    """The analysis's warnings (:func:`cxtext.io.warnings.summary_warnings`) as warning boxes, or ""."""
    from cxtext.io.warnings import summary_warnings

    return "".join(message_html(w.message, "warn").replace('class="cx-msg', 'data-testid="data-warning" class="cx-msg', 1)
                   for w in summary_warnings(summary))


def run_message(analysis, seconds: float) -> tuple[str, str]:
    """The line under Run after an analysis and its kind: "warn" (with the warnings) when a score column was
    rejected in bulk or a headline stands on few rows, else "ok"."""
    from cxtext.io.warnings import summary_warnings

    s = analysis.summary
    cache = s.get("embedding_cache") or {}
    done = (f"Analysed {s['rows_analyzed']:,} of {s['rows_in']:,} rows in {seconds:.1f} s "
            f"({cache.get('hits', 0):,} embeddings from the cache): {s.get('theme_count', 0)} themes.")
    if s.get("themes_skipped"):  # a score-only export: the scores, no theme
        note = s["themes_skipped"]["note"]
        done = (f"Analysed {s['rows_analyzed']:,} of {s['rows_in']:,} rows in {seconds:.1f} s: scores only, themes "
                f"skipped. {note[:1].upper()}{note[1:]} The Overview tab shows the scores.")
    from cxtext.io.warnings import rows_left_out

    score_only, blank, bad = rows_left_out(s)
    if score_only or blank or bad:
        parts = ([f"{bad:,} rejected"] if bad else []) + ([f"{blank:,} blank (no comment, no score)"] if blank else []) \
            + ([f"{score_only:,} with a score but no comment"] if score_only else [])
        done += (f" {score_only + blank + bad:,} rows were left out ({', '.join(parts)}): the Overview tab lists them "
                 "and why.")
    found = summary_warnings(s)
    if found:
        return done + "\n" + "\n".join(w.message for w in found), "warn"
    return done, "ok"


def stale_headline(analysis, table) -> str:
    """The headline after a new file is uploaded but not yet run: says plainly that the tabs still show the
    previous file's analysis, so nobody reads its numbers as the new file's."""
    if analysis is None:
        return message_html(f"{table.name} is loaded: check the column mapping, then press Run analysis.")
    previous = (analysis.summary.get("input") or {}).get("name") or "the previous file"
    return (message_html(f"New file {table.name} loaded, not analysed yet: every tab below still shows the "
                         f"analysis of {previous}. Check the column mapping, then press Run analysis.", "warn")
            .replace('class="cx-msg', 'data-testid="stale-analysis" class="cx-msg', 1)
            + headline(analysis))


def overview_html(analysis) -> str:
    s = analysis.summary
    cards = []
    nps = s.get("nps")
    if nps:
        cards.append(_card(
            "NPS", _fmt(nps.get("nps"), 1, signed=True),
            f"95% CI {_fmt(nps.get('ci_low'), 1, signed=True)} to {_fmt(nps.get('ci_high'), 1, signed=True)}"
            f" · n = {nps.get('n', 0):,}<br>promoters {_fmt(nps.get('promoter_share'), 0, percent=True)} · "
            f"passives {_fmt(nps.get('passive_share'), 0, percent=True)} · "
            f"detractors {_fmt(nps.get('detractor_share'), 0, percent=True)}", "nps"))
    else:
        cards.append(_card("NPS", "–", "no NPS column mapped", "nps"))
    ces = s.get("ces")
    if ces:
        scale = str(ces.get("scale", ""))
        low, high = (scale.split("-") + ["", ""])[:2]
        easy = high if ces.get("easy_end") == "high" else low
        cards.append(_card(
            "CES", _fmt(ces.get("mean"), 2),
            f"scale {html.escape(scale)}, {html.escape(easy)} = least effort · n = {ces.get('n', 0):,}<br>"
            f"95% CI {_fmt(ces.get('ci_low'), 2)} to {_fmt(ces.get('ci_high'), 2)} · "
            f"low effort {_fmt(ces.get('low_effort_share'), 0, percent=True)}", "ces"))
    else:
        cards.append(_card("CES", "–", "no CES column mapped", "ces"))
    csat = s.get("csat")
    if csat:
        cards.append(_card("CSAT", _fmt(csat.get("csat_percent"), 0) + "%",
                           f"satisfied (4-5 of 5) · mean {_fmt(csat.get('mean'), 2)} · n = {csat.get('n', 0):,}",
                           "csat"))
    else:
        cards.append(_card("CSAT", "–", "no CSAT column mapped", "csat"))
    rating = s.get("rating")
    if rating:
        cards.append(_card("Rating", _fmt(rating.get("mean"), 2),
                           f"mean on {html.escape(str(rating.get('scale')))} · n = {rating.get('n', 0):,}<br>"
                           f"95% CI {_fmt(rating.get('ci_low'), 2)} to {_fmt(rating.get('ci_high'), 2)}", "rating"))
    reasons = s.get("rejection_reasons") or {}
    top = "; ".join(f"{html.escape(_clip(r, 60))} ({n})" for r, n in list(reasons.items())[:3])
    from cxtext.io.warnings import rows_left_out

    score_only, blank, rejected = rows_left_out(s)
    cards.append(_card("Rows", f"{s['rows_in']:,}",
                       f"<span data-testid='rows-analyzed'>{s['rows_analyzed']:,}</span> analysed · "
                       + (f"{score_only:,} with a score but no comment · " if score_only else "")
                       + (f"{blank:,} blank (no comment, no score) · " if blank else "")
                       + f"{rejected:,} rejected"
                       + (f"<br>{top}" if top else ""), "rows"))
    tentative = s.get("tentative_themes") or []
    if s.get("themes_skipped"):  # a score-only export: no comment column, so no theme (the library says why)
        cards.append(_card("Themes", "skipped", html.escape(s["themes_skipped"]["note"]), "themes"))
    else:
        cards.append(_card("Themes", f"{s.get('theme_count', 0)}",
                           f"unthemed {_fmt(s.get('unthemed_share'), 0, percent=True)} of comments · "
                           f"{s.get('rows_no_comment', 0):,} non-answers"
                           + (f"<br>{len(tentative)} tentative (fewer than {s.get('tentative_size', 5)} comments)"
                              if tentative else "")
                           + (f"<br><small>{html.escape(str(s['theme_fit_rule']))}</small>"
                              if s.get("theme_fit_rule") else ""), "themes"))
    from cxtext.report.fmt import language_shares

    shares = language_shares(s.get("languages") or {})  # languages under a floor grouped as "other"
    languages = [name for name, _, _ in shares if name not in ("other", "undetermined")]
    lang = ", ".join(f"{html.escape(name)} {100 * share:.0f}%" for name, _, share in shares)
    cache = s.get("embedding_cache") or {}
    timings = s.get("timings_seconds") or {}
    cards.append(_card("Languages", html.escape(str(len(languages))), lang or "–", "languages"))
    run = (f"{sum(timings.values()):.1f} s" if timings else "–")
    cards += social_cards(analysis)  # sentiment, kinds, competitors, sentiment vs NPS (when annotated)
    cards.append(_card("Run time", run, f"embedding cache: {cache.get('hits', 0):,} hits, "
                       f"{cache.get('misses', 0):,} computed", "timing"))
    return warnings_html(s) + f'<div class="cx-cards">{"".join(cards)}</div>'




def rejected_frame(analysis) -> pd.DataFrame:
    rejected = analysis.rejected.copy()
    if rejected.empty:
        return pd.DataFrame({"row": [], "reason": []})
    rejected["text"] = [_clip(html.unescape(str(t)), 120) for t in rejected["text"].fillna("")]
    return _display(rejected[["row", "reason", "nps", "ces", "csat", "id", "text"]])


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop all-empty columns and turn pandas NA into blanks for the grid."""
    frame = frame.loc[:, [c for c in frame.columns if frame[c].notna().any() or c in ("row", "reason")]]
    return frame.astype(object).where(frame.notna(), None)
