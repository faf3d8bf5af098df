"""Drivers tab: the driver grid (rounded, CIs as text), its notes and heading, and the outcome a file is ranked by.

The charts are in :mod:`app.tabs.drivers_charts`; the plain-language table and the "fix first" box a product
manager reads first are in :mod:`app.tabs.drivers_plain`. Both build on :func:`outcome` and ``_level_drivers``
here.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from app.tabs.common import _missing, competitor_mentions


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


def drivers_heading(analysis) -> str:
    """The line above the driver table: the file's outcome as a title and what the ranking is by."""
    out = outcome(analysis)
    return (f"### {out.title}\n{out.order_text} Sort by any column with the ⋮ button in its header.")


def _ci_text(low: Any, high: Any, digits: int = 1) -> str:
    if _missing(low) or _missing(high):
        return "not computed (too few scored comments in the theme)"
    return f"{_signed(low, digits)} to {_signed(high, digits)}"


def _signed(value: float, digits: int = 1) -> str:
    """``digits`` decimals with a sign; a value that rounds to zero shows as 0.0, never -0.0."""
    rounded = round(float(value), digits) + 0.0
    return f"{0:.{digits}f}" if rounded == 0 else f"{rounded:+.{digits}f}"


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
