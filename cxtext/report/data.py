"""The one intermediate every report face reads: :class:`ReportData`, from an Analysis or an --out folder, and the report's constants."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxtext.errors import InputError
from cxtext.report.fmt import _f
from cxtext.text.mentions import MentionQuote, mention_quotes


if TYPE_CHECKING:
    from cxtext.analysis import Analysis

REPORT_FORMATS: tuple[str, ...] = ("html", "pptx")
HTML_NAME = "report.html"
PPTX_NAME = "report.pptx"

TOP_THEMES = 8            # themes shown in full in the HTML report
DECK_DRIVERS = 5          # one slide each in the deck
CHART_THEMES = 20         # themes in the driver chart
TREND_THEMES = 5          # lines in the trend chart
GROUP_THEMES = 10         # rows of the side-by-side source/segment tables
MAX_GROUPS = 6            # columns of the side-by-side tables
OTHER_THEMES_MAX = 300    # rows of the "other themes" table
HTML_QUOTES = 5
#: Fewer comments than this and a theme is tentative (as cxtext.themes.TENTATIVE_SIZE,
#: used when the theme table has no ``tentative`` column, e.g. an older folder).
TENTATIVE_SIZE = 5
TENTATIVE_TAG = "tentative: few comments"
DECK_QUOTES = 3
DECK_QUOTE_CHARS = 220

_QUOTE_SEPARATOR = " | "
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CLEAR_DRAG = "#c0392b"
_CLEAR_LIFT = "#1e8449"
_UNCLEAR = "#8c8c8c"
_ACCENT = "#1f4e79"


# --------------------------------------------------------------------------- data


@dataclass
class ReportData:
    """What a report shows, from an Analysis or from an analysis folder.

    ``themes``: ``theme_id``, ``label``, ``keywords`` (list), ``size``,
    ``share``, ``languages``, ``quotes`` (list), optional ``parent``.
    ``drivers``: the driver table (``cxtext.drivers.DRIVER_COLUMNS``).
    ``trend``: ``cxtext.drivers.theme_trend`` output or None.
    ``groups``: ``{"source": driver_table_by(...), ...}`` for mapped groups
    with at least two values. ``group_totals``: per group value, respondents
    and NPS (only from an Analysis). ``counts``: optional extra breakdowns
    of the records (sentiment, comment kind) as ``{title: {value: count}}``.
    """

    summary: dict[str, Any]
    themes: pd.DataFrame
    drivers: pd.DataFrame
    trend: pd.DataFrame | None = None
    trend_freq: str | None = None
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    group_totals: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    model_note: str = ""
    ces_scale_text: str = ""
    min_test_size: int = 10
    missing_notes: list[str] = field(default_factory=list)
    fit_rule: str = ""
    #: per theme id, its quotes as mentions inside their comments (themes learnt from mentions);
    #: empty otherwise (:func:`cxtext.text.mentions.mention_quotes`)
    mention_quotes: dict[int, list[MentionQuote]] = field(default_factory=dict)
    #: a score-only export (no comment column, ``summary["themes_skipped"]``): its scores per source, segment
    #: and month (:func:`cxtext.drivers.score_table_by`), shown instead of the theme sections
    score_groups: dict[str, pd.DataFrame] = field(default_factory=dict)

    # --------------------------------------------------------------- builders
    @classmethod
    def from_analysis(cls, analysis: "Analysis") -> "ReportData":
        """Everything the report needs from an in-memory analysis (nothing re-embedded)."""
        params = analysis.config.params
        summary = dict(analysis.summary)
        records = analysis.records
        from cxtext.drivers.outcome import rank_by_outcome

        themes = themes_frame(analysis.themes)
        drivers = rank_by_outcome(analysis.drivers.copy())
        trend, freq = None, params["drivers"].get("trend")
        has_dates = "date" in records.columns and records["date"].notna().any()
        if has_dates and not themes.empty:
            trend = analysis.trend(freq or "M")
            freq = freq or "M"
        groups: dict[str, pd.DataFrame] = {}
        totals: dict[str, pd.DataFrame] = {}
        mapping = summary.get("mapping") or {}
        for by in ("source", "segment"):
            if not mapping.get(by) or by not in records.columns or themes.empty:
                continue
            values = records.loc[records["status"] == "analyzed", by].dropna()
            if values.nunique() < 2:
                continue
            groups[by] = analysis.drivers_by(by)
            totals[by] = _group_totals(records, by)
        counts = _optional_counts(records[records["status"] == "analyzed"])
        score_groups = {}
        if summary.get("themes_skipped"):
            present = {"source": records["source"].notna().any(), "segment": records["segment"].notna().any(),
                       "month": records["date"].notna().any()}
            score_groups = {by: analysis.scores_by(by) for by, there in present.items() if there}
        return cls(
            summary=summary, themes=themes, drivers=drivers, trend=trend, trend_freq=freq,
            groups=groups, group_totals=totals, counts=counts,
            model_note=str(drivers.attrs.get("model_note", "") or ""),
            ces_scale_text=str(drivers.attrs.get("ces_scale", "") or ""),
            min_test_size=int(params["drivers"].get("min_test_size", 10)),
            fit_rule=_fit_rule(summary, analysis.theme_model),
            mention_quotes=analysis.mention_quotes(), score_groups=score_groups,
        )

    @classmethod
    def from_dir(cls, path: str | Path) -> "ReportData":
        """Read a folder written by ``cxtext analyze --out DIR`` (or ``Analysis.write``).

        Needs ``summary.json``, ``themes.csv`` and ``drivers.csv``; uses
        ``trends.csv`` and ``drivers_by_source.csv``/``drivers_by_segment.csv``
        when present. Text cells that the CSV writer protected against
        spreadsheet formulas (a leading ``'``) are restored.
        """
        folder = Path(path)
        if not folder.is_dir():
            raise InputError(f"{folder} is not a folder; give the --out folder of 'cxtext analyze'.")
        summary_path = folder / "summary.json"
        missing = [name for name in ("summary.json", "themes.csv", "drivers.csv") if not (folder / name).is_file()]
        if missing:
            raise InputError(f"{folder} has no {', '.join(missing)}; give the --out folder of 'cxtext analyze' "
                             "(it holds summary.json, themes.csv and drivers.csv).")
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {summary_path}: {exc}. Re-run 'cxtext analyze' to write it again.") from exc
        themes = _read_csv(folder / "themes.csv")
        if "quotes" in themes:
            themes["quotes"] = [_split_quotes(q) for q in themes["quotes"]]
        themes = themes_frame(themes)
        drivers = _read_csv(folder / "drivers.csv")
        params = summary.get("parameters") or {}
        driver_params = params.get("drivers") or {}
        trend, freq = None, None
        if (folder / "trends.csv").is_file():
            trend = _read_csv(folder / "trends.csv")
            if "emerging" in trend:
                trend["emerging"] = trend["emerging"].astype(str).str.lower().isin(["true", "1"])
            trend["period"] = trend["period"].astype(str)
            freq = driver_params.get("trend") or "M"
        groups: dict[str, pd.DataFrame] = {}
        notes: list[str] = []
        mapping = summary.get("mapping") or {}
        for by in ("source", "segment"):
            file = folder / f"drivers_by_{by}.csv"
            if file.is_file():
                table = _read_csv(file)
                table[by] = table[by].astype(str)
                if table[by].nunique() >= 2:
                    groups[by] = table
            elif by == "source" and mapping.get(by):
                notes.append("Sources are mapped but this folder has no drivers_by_source.csv; "
                             "re-run 'cxtext analyze' with --by source to compare them side by side.")
        counts: dict[str, dict[str, int]] = {}
        if (folder / "assignments.csv").is_file():
            assignments = _read_csv(folder / "assignments.csv")
            if "status" in assignments:
                assignments = assignments[assignments["status"] == "analyzed"]
            counts = _optional_counts(assignments)
        scale = summary.get("ces") or {}
        ces_text = ""
        if scale.get("scale"):
            low, high = str(scale["scale"]).split("-")
            easy = high if scale.get("easy_end", "high") == "high" else low
            ces_text = f"CES {scale['scale']}, {easy} = least effort"
        # themes learnt from mentions: the quotes are mentions, shown in their comments (rebuilt from
        # mentions.csv, as the folder holds no comment text of its own)
        quoted = mention_quotes(themes, _read_csv(folder / "mentions.csv")) \
            if (folder / "mentions.csv").is_file() else {}
        score_groups = {by: _read_csv(folder / f"scores_by_{by}.csv") for by in ("source", "segment", "month")
                        if (folder / f"scores_by_{by}.csv").is_file()}
        return cls(summary=summary, themes=themes, drivers=drivers, trend=trend, trend_freq=freq, groups=groups,
                   counts=counts, ces_scale_text=ces_text, min_test_size=int(driver_params.get("min_test_size", 10)),
                   missing_notes=notes, fit_rule=_fit_rule(summary, None), mention_quotes=quoted,
                   score_groups=score_groups)

    # --------------------------------------------------------------- views
    @property
    def scores_only(self) -> bool:
        """No column held comments: the report shows the scores, without theme sections."""
        return bool(self.summary.get("themes_skipped"))

    @property
    def has_nps(self) -> bool:
        nps = self.summary.get("nps") or {}
        return bool(nps.get("n")) and "nps_impact" in self.drivers and self.drivers["nps_impact"].notna().any()

    @property
    def outcome(self):
        """The file's own outcome (:func:`cxtext.drivers.outcome.outcome_of`): NPS, rating, CSAT, CES, sentiment."""
        from cxtext.drivers.outcome import outcome_of

        return outcome_of(self.drivers, self.summary)

    def has(self, column: str) -> bool:
        return column in self.drivers and pd.to_numeric(self.drivers[column], errors="coerce").notna().any()

    def theme(self, theme_id: int) -> dict[str, Any]:
        rows = self.themes[self.themes["theme_id"] == theme_id]
        return rows.iloc[0].to_dict() if len(rows) else {}

    def ranked(self) -> pd.DataFrame:
        """The driver table joined with the theme table, most urgent first."""
        if self.drivers.empty:
            return pd.DataFrame(columns=[*self.drivers.columns, "keywords", "languages", "quotes", "size"])
        themes = self.themes
        if "parent" not in themes and "parent_label" in themes:  # themes.csv names it parent_label
            themes = themes.assign(parent=themes["parent_label"])
        extra = [c for c in ("keywords", "languages", "quotes", "size", "parent", "tentative") if c in themes]
        merged = self.drivers.merge(themes[["theme_id", *extra]], on="theme_id", how="left")
        merged["tentative"] = _tentative(merged)
        order = "rank" if "rank" in merged else "n_comments"
        return merged.sort_values(order, ascending=order == "rank", kind="stable").reset_index(drop=True)

    def top_driver(self) -> dict[str, Any] | None:
        """The theme with the largest NPS drag, when no theme's drag is statistically clear.

        A small survey's themes are all below ``min_test_size``, so none gets
        an interval and the driver table orders them by size; the reader still
        needs to know which one costs the most. This is the theme with the most
        negative ``nps_impact`` (a descriptive number, computed for every
        theme), with ``testable`` (it had an interval) and ``tentative`` (few
        comments) so the report can say how far to trust it. ``None`` without
        NPS, when some theme's drag is clear (those are named instead), or
        when no theme drags NPS down.
        """
        ranked = self.ranked()
        if not self.has_nps or ranked.empty:
            return None
        if (pd.to_numeric(ranked["nps_impact_ci_high"], errors="coerce") < 0).any():
            return None
        impact = pd.to_numeric(ranked["nps_impact"], errors="coerce")
        if not (impact < 0).any():
            return None
        row = ranked.loc[impact.idxmin()].to_dict()
        row["testable"] = not math.isnan(_f(row.get("nps_impact_ci_high")))
        return row


def _tentative(frame: pd.DataFrame) -> list[bool]:
    """Per row: a theme built from few comments. The theme table's ``tentative``
    column when it has one, else fewer than :data:`TENTATIVE_SIZE` comments."""
    if "tentative" in frame:
        return [str(v).strip().lower() in ("true", "1", "yes") for v in frame["tentative"]]
    size = frame["size"] if "size" in frame else frame.get("n_comments", pd.Series(0, index=frame.index))
    size = pd.to_numeric(size, errors="coerce")
    if "n_comments" in frame:
        size = size.fillna(pd.to_numeric(frame["n_comments"], errors="coerce"))
    return [bool(v < TENTATIVE_SIZE) if not math.isnan(v) else False for v in size.astype(float)]


def _fit_rule(summary: dict[str, Any], theme_model: Any) -> str:
    """How the themes were found, from summary.json ("theme_fit_rule") or the fitted model."""
    rule = summary.get("theme_fit_rule") or getattr(theme_model, "fit_rule_", "") or ""
    return str(rule)


def themes_frame(themes: pd.DataFrame) -> pd.DataFrame:
    out = themes.copy()
    for column, default in (("label", ""), ("keywords", ""), ("languages", ""), ("size", 0), ("share", 0.0)):
        if column not in out:
            out[column] = default
    if "quotes" not in out:
        out["quotes"] = [[] for _ in range(len(out))]
    out["quotes"] = [list(q) if isinstance(q, (list, tuple, np.ndarray)) else _split_quotes(q) for q in out["quotes"]]
    out["keywords"] = [list(k) if isinstance(k, (list, tuple, np.ndarray)) else
                       [w.strip() for w in str(k).split(";") if w.strip()] if not _missing(k) else []
                       for k in out["keywords"]]
    out["languages"] = ["" if _missing(v) else str(v) for v in out["languages"]]
    if "theme_id" in out:
        out["theme_id"] = out["theme_id"].astype(int)
    return out


# Per-comment labels other stages may add (sentiment, comment kind): counted when present.
_OPTIONAL_COUNTS = (("sentiment", "Sentiment"), ("comment_kind", "Comment kinds"), ("kind", "Comment kinds"))


def _optional_counts(rows: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for column, title in _OPTIONAL_COUNTS:
        if column in rows.columns and title not in counts:
            values = rows[column].dropna().astype(str)
            values = values[values != ""]
            if len(values):
                counts[title] = {str(k): int(v) for k, v in values.value_counts().items()}
    return counts


def _group_totals(records: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group value: rows analysed and the group's NPS over valid scores."""
    from cxtext.drivers import MISSING_GROUP

    rows = []
    analysed = records["status"] == "analyzed"
    keys = records[by].astype("string").fillna(MISSING_GROUP)
    valid = records["scores_valid"].astype(bool) if "scores_valid" in records else pd.Series(True, index=records.index)
    nps = pd.to_numeric(records["nps"], errors="coerce") if "nps" in records else pd.Series(np.nan, index=records.index)
    for value in sorted(set(keys[analysed])):
        in_group = keys == value
        scores = nps[in_group & valid].dropna()
        n = int(len(scores))
        score = 100.0 * ((scores >= 9).mean() - (scores <= 6).mean()) if n else math.nan
        rows.append({by: str(value), "rows": int((in_group & analysed).sum()), "n_nps": n, "nps": score})
    return pd.DataFrame(rows, columns=[by, "rows", "n_nps", "nps"])


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=True)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}. Re-run 'cxtext analyze' to write it again.") from exc
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = [_unescape_formula(v) for v in frame[column]]
    return frame


def _unescape_formula(value: Any) -> Any:
    """Undo the CSV writer's ``'`` guard in front of ``=``, ``+``, ``-``, ``@``."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_TRIGGERS):
        return value[1:]
    return value


def _split_quotes(value: Any) -> list[str]:
    if _missing(value):
        return []
    return [q for q in str(value).split(_QUOTE_SEPARATOR) if q.strip()]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_data(source: "Analysis | ReportData") -> ReportData:
    return source if isinstance(source, ReportData) else ReportData.from_analysis(source)


def _write_atomic(path: Path, payload: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
