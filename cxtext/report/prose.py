"""The report's sentences: headline facts, key findings, the top driver, how to read it, methods."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cxtext import __version__
from cxtext.io.warnings import coverage_text, row_counts_text
from cxtext.report.data import ReportData, TENTATIVE_SIZE, TENTATIVE_TAG
from cxtext.report.fmt import DASH, _f, _int, fmt_ci, fmt_num, fmt_pct


# --------------------------------------------------------------------------- prose


def headline_facts(data: ReportData) -> list[tuple[str, str, str]]:
    """(name, value, detail) for the overview tiles of both outputs."""
    s = data.summary
    facts = [("Rows in", f"{_int(s.get('rows_in')):,}",
              row_counts_text(s))]
    nps = s.get("nps") or {}
    if nps.get("n"):
        facts.append(("NPS", fmt_num(nps.get("nps"), 1, sign=True),
                      f"95% CI {fmt_ci(nps.get('ci_low'), nps.get('ci_high'))}; n = {_int(nps.get('n')):,}"
                      + coverage_text(s, "nps")))
    ces = s.get("ces") or {}
    if ces.get("n"):
        facts.append(("CES (mean)", fmt_num(ces.get("mean"), 2),
                      f"{data.ces_scale_text or 'scale ' + str(ces.get('scale', ''))}; "
                      f"{fmt_pct(ces.get('low_effort_share'))} low effort; n = {_int(ces.get('n')):,}"))
    csat = s.get("csat") or {}
    if csat.get("n"):
        ci = fmt_ci(100 * _f(csat.get("ci_low")), 100 * _f(csat.get("ci_high")), 0, sign=False)
        detail = (f"satisfied (4-5 of 5); 95% CI {ci}%; " if ci else "satisfied (4-5 of 5); ") + \
            f"mean {fmt_num(csat.get('mean'), 2)}; n = {_int(csat.get('n')):,}"
        facts.append(("CSAT", fmt_pct(csat.get("satisfied_share")), detail))
    rating = s.get("rating") or {}
    if data.scores_only:  # no comment column: no theme tile; the rating, when there is one, is the headline
        if rating.get("n"):
            facts.append(("Rating (mean)", fmt_num(rating.get("mean"), 2),
                          f"scale {rating.get('scale', '')}; 95% CI {fmt_ci(rating.get('ci_low'), rating.get('ci_high'), 2, sign=False)}; "
                          f"n = {_int(rating.get('n')):,}"))
        return facts
    facts.append(("Themes", f"{_int(s.get('theme_count'))}",
                  f"{fmt_pct(s.get('unthemed_share'), 1)} of comments unthemed"))
    return facts


def key_findings(data: ReportData) -> list[str]:
    """Plain sentences: the overall score and what drives it. Plain text; escape before HTML."""
    s = data.summary
    out: list[str] = []
    nps = s.get("nps") or {}
    ranked = data.ranked()
    if data.scores_only:
        out.append("Themes skipped: " + str((s.get("themes_skipped") or {}).get("note", "")))
    if nps.get("n"):
        out.append(f"Overall NPS is {fmt_num(nps['nps'], 1, True)} (95% CI {fmt_ci(nps.get('ci_low'), nps.get('ci_high'))}) "
                   f"from {_int(nps['n']):,} scored responses"
                   + (f" (only {_int(nps['n']):,} of {_int(s.get('rows_in')):,} rows have a usable NPS)"
                      if coverage_text(s, "nps") else "") + ".")
    if data.has_nps and not ranked.empty:
        clear = ranked[pd.to_numeric(ranked["nps_impact_ci_high"], errors="coerce") < 0]
        for _, row in clear.head(3).iterrows():
            sentence = (f"“{row['label']}” ({_int(row['n_comments'])} comments, theme NPS {fmt_num(row['nps'], 0, True)}) "
                        f"costs overall NPS {fmt_num(-_f(row['nps_impact']), 1)} points "
                        f"(95% CI {fmt_num(-_f(row['nps_impact_ci_high']), 1)} to {fmt_num(-_f(row['nps_impact_ci_low']), 1)})")
            lift = _f(row.get("detractor_lift"))
            if not math.isnan(lift):
                sentence += f"; its customers are {lift:.1f}× as likely to be detractors as the rest"
            out.append(sentence + ".")
        top = data.top_driver()
        if top is not None:
            out.append(top_driver_sentence(data, top))
        elif clear.empty:
            worst = ranked.sort_values("nps_impact").iloc[0]
            out.append(f"No theme drags NPS down; the lowest estimate is "
                       f"“{worst['label']}” at {fmt_num(worst['nps_impact'], 1, True)} points.")
    elif not ranked.empty:
        from cxtext.drivers.outcome import fix_first

        outcome = data.outcome
        out.append(outcome.order_text)
        first = fix_first(data.drivers, data.themes, s, n=1)
        if outcome.impact is not None and first:
            item = first[0]
            out.append(f"The biggest {outcome.drag_name} is “{item['label']}” ({item['comments']:,} comments): "
                       f"{item['drag_text']}" + ("" if item["clear"] else "; not statistically clear") + ".")
        else:
            top = ranked.sort_values("n_comments", ascending=False).iloc[0]
            out.append(f"The largest theme is “{top['label']}” with {_int(top['n_comments'])} comments.")
    if data.has("ces_gap") and not ranked.empty:
        gaps = ranked.assign(_gap=pd.to_numeric(ranked["ces_gap"], errors="coerce"),
                             _p=pd.to_numeric(ranked.get("ces_gap_p_value"), errors="coerce"))
        significant = gaps[(gaps["_p"] < 0.05) & (gaps["_gap"] > 0)]
        if len(significant):
            row = significant.sort_values("_gap", ascending=False).iloc[0]
            out.append(f"The most effort is reported in “{row['label']}”: {fmt_num(row['_gap'], 2, True)} CES points "
                       f"more than the rest ({data.ces_scale_text or 'CES'}).")
    return out


def top_driver_sentence(data: ReportData, top: dict[str, Any]) -> str:
    """The top driver of :meth:`ReportData.top_driver`, with how far to trust it. Plain text."""
    caveats = []
    if top.get("tentative"):
        caveats.append(TENTATIVE_TAG)
    if not top.get("testable"):
        caveats.append(f"fewer than {data.min_test_size} scored respondents, so no confidence interval or test")
    else:
        caveats.append("its 95% CI includes 0, so the drag is not statistically clear")
    sentence = (f"Top driver of detractors ({'; '.join(caveats)}): “{top['label']}” "
                f"({_int(top['n_comments'])} comments, theme NPS {fmt_num(top.get('nps'), 0, True)}) "
                f"costs overall NPS an estimated {fmt_num(-_f(top['nps_impact']), 1)} points")
    lift = _f(top.get("detractor_lift"))
    share = _f(top.get("detractor_share"))
    if not math.isnan(lift):
        sentence += f"; its customers are {lift:.1f}× as likely to be detractors as the rest"
    elif not math.isnan(share):
        sentence += f"; {fmt_pct(share)} of its respondents are detractors"
    return sentence + ". Read it as the lead to check first, with its quotes, not as a measured effect."


def how_to_read(data: ReportData) -> list[tuple[str, str]]:
    """(term, definition) pairs: every number and sign in the report."""
    k = data.min_test_size
    terms = [
        ("Rows in / analysed / rejected",
         "Every input row is counted once. Rejected rows (an invalid score, an empty comment) are listed with "
         "their reason; a row with an empty comment but a valid score still counts in NPS, CES and CSAT."),
        ("NPS", "Net Promoter Score, −100 to +100: the percentage of respondents scoring 9-10 (promoters) minus the "
                "percentage scoring 0-6 (detractors) on the 0-10 'would you recommend' question. "
                "The 95% confidence interval (CI) is the range the true value lies in with 95% confidence."),
        ("Theme", "A group of comments about the same thing, found automatically across languages. Its label is "
                  "made of its most typical keywords. A comment can belong to more than one theme, so theme sizes "
                  "can add up to more than the number of comments. 'Unthemed' comments fit no theme; 'no comment' "
                  "holds non-answers such as 'n/a'."),
        ("Theme NPS", "The NPS of the respondents who wrote a comment in the theme."),
        ("NPS impact", "How many points the theme moves the overall NPS: overall NPS minus the NPS of everyone "
                       "not in the theme. Negative = the theme drags NPS down. It weighs how bad the theme is "
                       "and how many people raise it. Example: 1,000 respondents, overall NPS +30, a theme of 100 "
                       "respondents at NPS −20 gives an impact of −5.6 points. In the chart a red interval lies "
                       "wholly below 0 (a clear drag), green wholly above 0, grey crosses 0 (not conclusive)."),
        ("Detractor lift", "The detractor rate inside the theme divided by the rate outside it: 2.0× means twice "
                           "as many detractors. q is the p-value corrected for testing many themes at once "
                           "(Benjamini-Hochberg); q below 0.05 is unlikely to be chance."),
        ("Odds ratio", "From one logistic regression of 'is a detractor' on all themes at once, which separates "
                       "overlapping themes: above 1 = more detractors holding the other themes fixed."),
        ("CES gap", "Customer effort in the theme minus the rest, in points of the CES scale, oriented so that "
                    "positive = MORE effort whatever the survey's direction." +
                    (f" Here: {data.ces_scale_text}." if data.ces_scale_text else "")),
        ("CSAT gap", "Satisfaction (1-5) in the theme minus the rest; negative = less satisfied."),
        ("Priority and rank", data.outcome.order_text + " Priority is that drag (minus the upper end of its "
                              "95% CI). Rank 1 is the most urgent: a big, clear drag ranks first, a small or "
                              "noisy theme low; themes too small to test come after the clear drags, by their "
                              "estimated drag." if data.outcome.impact else data.outcome.order_text),
        ("Too small", f"Themes with fewer than {k} scored respondents get no interval, test or priority (shown "
                      f"as {DASH}); their descriptive numbers are still shown; those whose estimated drag is a drag "
                      "come right after the clear drags, biggest estimate first, the others last by size. "
                      "When no theme's drag is clear, the key findings still name the top driver: the theme "
                      "with the largest estimated drag, with its caveats."),
        ("Tentative", f"A theme built from fewer than {TENTATIVE_SIZE} comments (marked “{TENTATIVE_TAG}”). "
                      "Small surveys give small themes: a tentative theme is shown, and can be the top driver, "
                      "but it rests on a handful of comments, so read its quotes before acting on it; "
                      "next month's survey will tell whether it recurs."),
        ("Emerging", "A theme whose share of the period's comments grew by more than 50% over its share of the "
                     "previous period, with at least 5 comments (a month when every theme grows because more "
                     "people answered is not emerging)."),
        ("Quotes", "The comments nearest the centre of the theme, as cleaned by the pipeline: e-mails, phone "
                   "numbers, card numbers, IBANs, @handles and links with tokens are masked ([email], [phone], ...). "
                   "Arabic quotes read right to left."),
    ]
    if data.scores_only:  # no theme, so none of the theme and driver terms
        return [(term, text) for term, text in terms if term in ("Rows in / analysed / rejected", "NPS")
                and (term != "NPS" or (data.summary.get("nps") or {}).get("n"))]
    skip = set()
    if not data.has_nps:
        skip |= {"NPS", "Theme NPS", "NPS impact", "Detractor lift", "Odds ratio"}
    if not data.has("ces_gap"):
        skip.add("CES gap")
    if not data.has("csat_gap"):
        skip.add("CSAT gap")
    if data.trend is None or data.trend.empty:
        skip.add("Emerging")
    if data.ranked().empty or not any(data.ranked()["tentative"]):
        skip.add("Tentative")
    return [(term, text) for term, text in terms if term not in skip]


def _themes_method(rule: str) -> str:
    if rule.startswith("small-corpus"):
        return ("Themes: a small survey, so comments are embedded and grouped by hierarchical clustering on "
                "their similarity instead of UMAP + HDBSCAN (which needs 5+ comments per theme); labelled with "
                f"class-based TF-IDF keyphrases. Rule: {rule}. Themes of fewer than {TENTATIVE_SIZE} comments are "
                "tentative.")
    line = ("Themes: comments are embedded, reduced with UMAP, clustered with HDBSCAN and labelled with "
            "class-based TF-IDF keyphrases; near-duplicate themes are merged.")
    return line + (f" Rule: {rule}." if rule else "")


def methods_lines(data: ReportData) -> list[str]:
    s = data.summary
    params = s.get("parameters") or {}
    themes = params.get("themes") or {}
    first = (f"cxtext {s.get('cxtext_version', __version__)}, pipeline '{s.get('pipeline', '')}'; input "
             f"{(s.get('input') or {}).get('name', '')}.")
    lines = [
        first,
        f"Embedding model: {s.get('model_id') or s.get('model') or 'none'}; seed {s.get('seed', '')}; "
        f"minimum theme size {themes.get('min_theme_size') or 'automatic'}; reduction "
        f"{themes.get('reduction', 'umap')}; languages centred: {themes.get('center_languages', True)}.",
        *([f"Why this model: {(s.get('model_choice') or {}).get('reason')}."]
          if (s.get("model_choice") or {}).get("reason") else []),
        _themes_method(data.fit_rule),
        *([f"Mentions: {(s.get('mentions') or {}).get('note')}"] if (s.get("mentions") or {}).get("note") else []),
        "Drivers: NPS impact with a normal-approximation 95% CI; detractor lift by Fisher's exact or a "
        "two-proportion z-test with Benjamini-Hochberg q-values; odds ratios from a logistic regression on all "
        "themes; CES/CSAT gaps by Welch's t-test.",
    ]
    if data.scores_only:  # nothing was embedded or themed
        lines = [first, "Themes: skipped: " + str((s.get("themes_skipped") or {}).get("note", "")),
                 "Scores: NPS with a normal-approximation 95% CI; means with a t-interval; per source, segment "
                 "and month when the file has them."]
    if data.model_note:
        lines.append(f"Key-driver model: {data.model_note}")
    mapping = {k: v for k, v in (s.get("mapping") or {}).items() if v}
    if mapping:
        lines.append("Columns used: " + ", ".join(f"{role} = '{col}'" for role, col in mapping.items()) + ".")
    languages = s.get("languages") or {}
    if languages:
        from cxtext.report.fmt import language_shares

        lines.append("Languages of analysed comments: " +
                     ", ".join(f"{lang} {count:,}" for lang, count, _ in language_shares(languages)) + ".")
    return lines
