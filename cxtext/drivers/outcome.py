"""The file's own outcome, one count per theme and the "fix first" summary, for every face (app, report).

Outcome
-------
A file is judged by the outcome it has, in this order: **NPS**, then a **rating**
(stars, review score) or **CSAT**, then **CES**, then **sentiment** (every analysis
with the annotate stage has it), else comment **volume**. :func:`outcome_of` reads
which one from the driver table (``attrs["priority_basis"]`` and the columns that
hold numbers) and returns an :class:`Outcome`: its name for titles ("What drives
low ratings"), the driver column that measures a theme's drag on it, that
column's interval, its unit and the sentence saying how themes are ordered.

:func:`rank_by_outcome` re-ranks a driver table by the CSAT or CES drag that
:func:`cxtext.drivers.driver_table` stored in ``attrs["outcome_priority"]`` when a
later stage (the sentiment columns of :mod:`cxtext.social`) ranked it by
sentiment although the file has CSAT or CES scores.

Counts
------
A theme's count is ``n_comments`` of the driver table: every comment listed under
the theme (its primary theme or any other), the rule behind the NPS figures, the
comment pager and the report. :func:`theme_counts` gives it with the primary-theme
count beside it (``main_theme``: comments whose first theme it is, ``themes.csv``
``size``) for the views that show both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxtext.drivers.figures import welch_drag  # noqa: F401 - the CSAT/CES drag, re-exported
from cxtext.drivers.membership import member_pairs

OUTCOME_ORDER: tuple[str, ...] = ("nps", "rating", "csat", "ces", "sentiment", "volume")


@dataclass(frozen=True)
class Outcome:
    """What a driver table is ranked by, with the words the faces use for it."""

    key: str            #: "nps", "rating", "csat", "ces", "sentiment" or "volume"
    name: str           #: "NPS", "rating", "CSAT", "effort (CES)", "sentiment", "volume"
    title: str          #: "What drives detractors", "What drives low ratings", ...
    impact: str | None  #: driver column holding a theme's drag (negative = drag), None for volume
    ci: tuple[str, str] | None  #: that column's 95% interval columns, when it has them
    unit: str           #: "NPS points", "rating points", ...
    digits: int         #: decimals to show the impact with
    drag_name: str      #: "drag on NPS", "drag on the average rating", ...
    order_text: str     #: how the table is ordered, in plain words
    score_column: str | None  #: the records' column of scores behind it (nps, rating, csat, ces, sentiment_score)

    @property
    def is_score(self) -> bool:
        return self.key in ("nps", "rating", "csat", "ces")


_OUTCOMES: dict[str, Outcome] = {
    "nps": Outcome("nps", "NPS", "What drives detractors", "nps_impact", ("nps_impact_ci_low", "nps_impact_ci_high"),
                   "NPS points", 1, "drag on NPS",
                   "Themes are ordered by priority: the drag on overall NPS that holds with 95% confidence, "
                   "biggest first.", "nps"),
    "rating": Outcome("rating", "rating", "What drives low ratings", "rating_impact",
                      ("rating_impact_ci_low", "rating_impact_ci_high"), "rating points", 2,
                      "drag on the average rating",
                      "There is no NPS, so themes are ordered by their drag on the average rating that holds with "
                      "95% confidence, biggest first.", "rating"),
    "csat": Outcome("csat", "CSAT", "What drives low satisfaction", "csat_gap", None, "CSAT points", 2,
                    "satisfaction gap",
                    "There is no NPS or rating, so themes are ordered by their drag on average satisfaction (CSAT) "
                    "that holds with 95% confidence, biggest first.", "csat"),
    "ces": Outcome("ces", "effort (CES)", "What drives customer effort", "ces_gap", None, "CES points", 2,
                   "extra effort",
                   "There is no NPS, rating or CSAT, so themes are ordered by the extra effort (CES) they cost that "
                   "holds with 95% confidence, biggest first.", "ces"),
    "sentiment": Outcome("sentiment", "sentiment", "What drives negative sentiment", "sentiment_impact",
                         ("sentiment_impact_ci_low", "sentiment_impact_ci_high"), "sentiment points", 1,
                         "drag on net sentiment",
                         "There are no scores, so themes are ordered by their drag on net sentiment that holds with "
                         "95% confidence, biggest first.", "sentiment_score"),
    "volume": Outcome("volume", "volume", "What customers talk about", None, None, "comments", 0, "comments",
                      "There are no scores and no sentiment, so themes are ordered by volume, biggest first.", None),
}


def outcome(key: str) -> Outcome:
    """The :class:`Outcome` named ``key`` (one of :data:`OUTCOME_ORDER`)."""
    return _OUTCOMES[key]


def _has(drivers: pd.DataFrame, column: str) -> bool:
    return column in drivers and pd.to_numeric(drivers[column], errors="coerce").notna().any()


def outcome_of(drivers: pd.DataFrame, summary: dict[str, Any] | None = None) -> Outcome:
    """The outcome ``drivers`` is (or should be) judged by: NPS, rating, CSAT, CES, sentiment, volume.

    Reads the table (a driver table from an Analysis or ``drivers.csv``): the
    first outcome in :data:`OUTCOME_ORDER` with numbers in its column. ``summary``
    (summary.json) breaks ties for an empty table.
    """
    summary = summary or {}
    basis = str(drivers.attrs.get("priority_basis", "") or "")
    checks = (("nps", _has(drivers, "nps_impact") or _has(drivers, "nps")),
              ("rating", _has(drivers, "rating_impact") or _has(drivers, "rating_mean")),
              ("csat", _has(drivers, "csat_gap") or _has(drivers, "csat_mean")),
              ("ces", _has(drivers, "ces_gap") or _has(drivers, "ces_mean")),
              ("sentiment", _has(drivers, "sentiment_impact")))
    for key, present in checks:
        if present or (drivers.empty and (summary.get(key) or {}).get("n")):
            return _OUTCOMES[key]
    return _OUTCOMES["sentiment" if basis == "sentiment" else "volume"]


def rank_by_outcome(drivers: pd.DataFrame) -> pd.DataFrame:
    """``drivers`` ranked by the file's own outcome.

    A table ranked by sentiment (``attrs["priority_basis"] == "sentiment"``) whose
    :func:`~cxtext.drivers.driver_table` stored a CSAT or CES priority in
    ``attrs["outcome_priority"]`` (theme_id -> priority) is re-ranked by it and its
    basis set to "csat"/"ces"; any other table is returned as it is.
    """
    from cxtext.drivers.table import _BASIS_PRIORITY, sort_and_rank

    stored = drivers.attrs.get("outcome_priority") or {}
    basis = stored.get("basis")
    if drivers.attrs.get("priority_basis") != "sentiment" or basis not in ("csat", "ces") or drivers.empty:
        return drivers
    attrs = dict(drivers.attrs)
    values = {int(k): v for k, v in stored.get("priority", {}).items()}
    table = drivers.copy()
    table["priority"] = [values.get(int(t), math.nan) for t in table["theme_id"]]
    point = {int(k): v for k, v in stored.get("drag", {}).items()}
    table["_drag"] = [point.get(int(t), math.nan) for t in table["theme_id"]]
    table = sort_and_rank(table, "_drag").drop(columns="_drag")
    descriptions = dict(attrs.get("column_descriptions", {}))
    descriptions["priority"] = _BASIS_PRIORITY[basis]
    attrs.update(priority_basis=basis, column_descriptions=descriptions)
    table.attrs = attrs
    return table


def theme_counts(records: pd.DataFrame, theme_ids: list[int] | None = None) -> pd.DataFrame:
    """Per theme: ``comments`` (every comment listed under it: the count every view shows) and
    ``main_theme`` (comments whose primary theme it is, ``themes.csv`` ``size``), indexed by theme_id."""
    positions, ids = member_pairs(records)
    pairs = pd.DataFrame({"position": positions, "theme_id": ids}).drop_duplicates()
    comments = pairs.groupby("theme_id").size()
    primary = pd.to_numeric(records["theme_id"], errors="coerce") if "theme_id" in records else pd.Series(dtype=float)
    main = primary[primary >= 0].astype(int).value_counts()
    index = pd.Index(sorted(set(comments.index) | set(main.index)) if theme_ids is None else list(theme_ids),
                     name="theme_id")
    return pd.DataFrame({"comments": comments.reindex(index, fill_value=0).astype(int),
                         "main_theme": main.reindex(index, fill_value=0).astype(int)}, index=index)


# --------------------------------------------------------------------------- fix first


def drag_of(row: Any, out: Outcome, drivers: pd.DataFrame | None = None) -> tuple[float, float, float]:
    """(drag, CI low, CI high) of one driver row in the outcome's unit, negative = drag.

    CSAT and CES drags on the overall mean come from ``drivers.attrs["outcome_priority"]`` (stored by
    :func:`~cxtext.drivers.driver_table`); without it the CSAT/CES gap is used, with no interval."""
    if out.impact is None:
        return math.nan, math.nan, math.nan
    stored = (drivers.attrs.get("outcome_priority") or {}) if drivers is not None else {}
    if out.key in ("csat", "ces") and stored.get("basis") == out.key:
        key = int(row.get("theme_id"))
        return tuple(_num((stored.get(name) or {}).get(key)) for name in ("drag", "ci_low", "ci_high"))
    value = _num(row.get(out.impact))
    if out.key == "ces":  # ces_gap > 0 = more effort: shown as a drag (negative)
        value = -value
    if out.ci:
        return value, _num(row.get(out.ci[0])), _num(row.get(out.ci[1]))
    return value, math.nan, math.nan


def drag_text(row: Any, out: Outcome, drivers: pd.DataFrame | None = None) -> str:
    """A theme's drag in the outcome's unit, with its interval when it has one: "−4.2 NPS points (−7.1 to −1.3)"."""
    if out.impact is None:
        return f"{int(_num(row.get('n_comments')) or 0):,} comments"
    value, low, high = drag_of(row, out, drivers)
    if math.isnan(value):
        return "not measured"
    text = f"{_signed(value, out.digits)} {out.unit}"
    if out.ci or out.key in ("csat", "ces"):
        if not (math.isnan(low) or math.isnan(high)):
            text += f" ({_signed(low, out.digits)} to {_signed(high, out.digits)})"
        else:
            text += " (too few scored comments for an interval)"
    return text


def fix_first(drivers: pd.DataFrame, themes: pd.DataFrame, summary: dict[str, Any] | None = None,
              n: int = 3) -> list[dict[str, Any]]:
    """The ``n`` themes to fix first: the top of the ranking whose estimated drag is a drag.

    Each item: ``theme_id``, ``label``, ``comments`` (n_comments), ``share`` (of themed comments),
    ``drag`` (the impact in the outcome's unit, negative = drag), ``drag_text`` (with its interval),
    ``clear`` (the whole interval is a drag), ``quote`` (the theme's first representative quote).
    Without a drag column (volume) the biggest themes are listed.
    """
    out = outcome_of(drivers, summary)
    if drivers.empty:
        return []
    table = drivers.sort_values("rank") if "rank" in drivers else drivers
    if out.impact is not None and out.impact in table:
        drags = [drag_of(row, out, drivers)[0] for _, row in table.iterrows()]
        table = table[[d < 0 for d in drags]]
    quotes = {}
    if "quotes" in themes and "theme_id" in themes:
        quotes = {int(t): q for t, q in zip(themes["theme_id"], themes["quotes"])}
    items = []
    for _, row in table.head(n).iterrows():
        theme_quotes = quotes.get(int(row["theme_id"]))
        if isinstance(theme_quotes, str):
            theme_quotes = [q for q in theme_quotes.split(" | ") if q.strip()]
        value, _, high = drag_of(row, out, drivers)
        items.append({
            "theme_id": int(row["theme_id"]), "label": str(row["label"]),
            "comments": int(_num(row.get("n_comments")) or 0), "share": _num(row.get("share")),
            "drag": value, "drag_text": drag_text(row, out, drivers),
            "clear": bool(high < 0) if not math.isnan(high) else False,
            "quote": str(list(theme_quotes)[0]) if theme_quotes is not None and len(theme_quotes) else "",
        })
    return items


def _num(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _signed(value: float, digits: int) -> str:
    rounded = round(float(value), digits) + 0.0
    return f"{0:.{digits}f}" if rounded == 0 else f"{rounded:+.{digits}f}".replace("-", "−")
