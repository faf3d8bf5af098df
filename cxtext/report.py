"""A report people forward: one self-contained ``report.html`` and a ``report.pptx`` deck.

Both are built from an :class:`~cxtext.analysis.Analysis` (:func:`write_report`)
or from a folder written by ``cxtext analyze --out DIR``
(:func:`report_from_dir`), through one intermediate :class:`ReportData` so the
two sources cannot drift apart.

The HTML file
-------------
* **Self-contained**: styles inline, charts as ``data:`` SVG images drawn by
  matplotlib (text kept as text, so Arabic is shaped by the browser and the
  charts stay sharp when printed), system fonts only, **no script at all**, and
  a Content-Security-Policy that forbids loading anything but ``data:`` images.
  It renders with the network off and asks for no URL.
* **Escaped**: every piece of text from the data (labels, keywords, quotes,
  column and file names, rejection reasons) goes through :func:`html.escape`,
  so a comment holding ``</script>`` or ``<b>`` shows as text.
* **Redacted as every other export**: quotes are the theme quotes of the
  analysis, taken from the cleaned text, which the pipeline has already masked
  (``[email]``, ``[phone]``, ... unless it was run with ``--no-redact``).
* **Right to left where needed**: every quote and label carries ``dir="auto"``
  so an Arabic comment reads right to left and an English one left to right.
* **Large analyses stay usable**: the :data:`TOP_THEMES` most urgent themes are
  shown in full (numbers and quotes), the rest in compact tables; the driver
  chart holds the :data:`CHART_THEMES` first themes.
* **Print-friendly**: ``@media print`` drops backgrounds and shadows and keeps
  each theme card on one page.

The deck
--------
Title slide, overview metrics, the driver chart (a PNG picture), one slide per
top driver (label, numbers, 3 quotes), the trend chart when a date is mapped,
and a methods slide ("how to read this" plus the model and parameters).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxtext import __version__
from cxtext.errors import InputError

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
MINUS = "\u2212"
DASH = "\u2013"

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

    # --------------------------------------------------------------- builders
    @classmethod
    def from_analysis(cls, analysis: "Analysis") -> "ReportData":
        """Everything the report needs from an in-memory analysis (nothing re-embedded)."""
        params = analysis.config.params
        summary = dict(analysis.summary)
        records = analysis.records
        themes = _themes_frame(analysis.themes)
        drivers = analysis.drivers.copy()
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
        return cls(
            summary=summary, themes=themes, drivers=drivers, trend=trend, trend_freq=freq,
            groups=groups, group_totals=totals, counts=counts,
            model_note=str(drivers.attrs.get("model_note", "") or ""),
            ces_scale_text=str(drivers.attrs.get("ces_scale", "") or ""),
            min_test_size=int(params["drivers"].get("min_test_size", 10)),
            fit_rule=_fit_rule(summary, analysis.theme_model),
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
        themes = _themes_frame(themes)
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
        return cls(summary=summary, themes=themes, drivers=drivers, trend=trend, trend_freq=freq, groups=groups,
                   counts=counts, ces_scale_text=ces_text, min_test_size=int(driver_params.get("min_test_size", 10)),
                   missing_notes=notes, fit_rule=_fit_rule(summary, None))

    # --------------------------------------------------------------- views
    @property
    def has_nps(self) -> bool:
        nps = self.summary.get("nps") or {}
        return bool(nps.get("n")) and "nps_impact" in self.drivers and self.drivers["nps_impact"].notna().any()

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


def _themes_frame(themes: pd.DataFrame) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- formatting


def _f(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def fmt_num(value: Any, digits: int = 1, sign: bool = False) -> str:
    """A number for people: NaN -> "–", U+2212 minus, optional "+"."""
    x = _f(value)
    if math.isnan(x):
        return DASH
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    text = f"{abs(x):,.{digits}f}"
    if text.strip("0.,") == "":
        return text
    if x < 0:
        return MINUS + text
    return ("+" + text) if sign else text


def fmt_ci(low: Any, high: Any, digits: int = 1, sign: bool = True) -> str:
    if math.isnan(_f(low)) or math.isnan(_f(high)):
        return ""
    return f"{fmt_num(low, digits, sign)} to {fmt_num(high, digits, sign)}"


def fmt_pct(value: Any, digits: int = 0) -> str:
    x = _f(value)
    return DASH if math.isnan(x) else f"{100 * x:.{digits}f}%"


def fmt_p(value: Any) -> str:
    x = _f(value)
    if math.isnan(x):
        return DASH
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def _int(value: Any) -> int:
    x = _f(value)
    return 0 if math.isnan(x) else int(x)


def esc(value: Any) -> str:
    """HTML-escape any value (None/NaN become empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- charts


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _save(fig, fmt: str) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cxtext"}):
        if fmt == "svg":
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        else:
            fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def driver_chart(data: ReportData, fmt: str = "svg", top: int = CHART_THEMES) -> bytes | None:
    """NPS impact per theme with its 95% CI (most urgent at the top); comment counts without NPS.

    Red: the whole interval is below 0 (a clear drag); green: above 0; grey: unclear.
    """
    ranked = data.ranked().head(top)
    if ranked.empty:
        return None
    labels = [f"{_int(r['rank']) if 'rank' in r else i + 1}. {_short(r['label'], 42)}"
              for i, r in ranked.iterrows()]
    y = np.arange(len(ranked))[::-1]
    fig = _figure(8.5, 0.9 + 0.36 * len(ranked))
    ax = fig.add_subplot(111)
    if data.has_nps:
        impact = pd.to_numeric(ranked["nps_impact"], errors="coerce").to_numpy(dtype=float)
        low = pd.to_numeric(ranked.get("nps_impact_ci_low"), errors="coerce").to_numpy(dtype=float)
        high = pd.to_numeric(ranked.get("nps_impact_ci_high"), errors="coerce").to_numpy(dtype=float)
        colors = [_CLEAR_DRAG if h < 0 else _CLEAR_LIFT if lo > 0 else _UNCLEAR for lo, h in zip(low, high)]
        has_ci = ~np.isnan(low) & ~np.isnan(high)
        for yi, x, lo, hi, color, ok in zip(y, impact, low, high, colors, has_ci):
            if ok:
                ax.plot([lo, hi], [yi, yi], color=color, linewidth=2.2, solid_capstyle="butt", alpha=0.55)
            ax.plot([x], [yi], "o", color=color, markersize=7, markerfacecolor=color if ok else "white")
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel("NPS impact, points (overall NPS minus NPS without the theme; negative = drags NPS down)")
        ax.set_title("What moves NPS: impact of each theme with its 95% confidence interval", loc="left", fontsize=11)
    else:
        counts = pd.to_numeric(ranked["n_comments"], errors="coerce").fillna(0).to_numpy()
        ax.barh(y, counts, color=_ACCENT)
        ax.set_xlabel("comments in the theme")
        ax.set_title("Themes by volume (no NPS scores in this data)", loc="left", fontsize=11)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(-0.7, len(ranked) - 0.3)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _save(fig, fmt)


def trend_chart(data: ReportData, fmt: str = "svg", top: int = TREND_THEMES) -> bytes | None:
    """Comments per period for the most urgent themes; emerging periods ringed."""
    trend = data.trend
    if trend is None or trend.empty:
        return None
    ids = [int(t) for t in data.ranked()["theme_id"].head(top)]
    periods = sorted(trend["period"].astype(str).unique())
    if not ids or len(periods) < 1:
        return None
    fig = _figure(8.5, 3.6)
    ax = fig.add_subplot(111)
    x = np.arange(len(periods))
    for theme_id in ids:
        rows = trend[trend["theme_id"].astype(int) == theme_id]
        rows = rows.set_index(rows["period"].astype(str))
        if rows.empty:
            continue
        counts = [float(rows["n_comments"].get(p, 0)) for p in periods]
        label = _short(str(rows["label"].iloc[0]), 36)
        line, = ax.plot(x, counts, marker="o", markersize=3, linewidth=1.6, label=label)
        emerging = [bool(rows["emerging"].get(p, False)) if "emerging" in rows else False for p in periods]
        ex = [xi for xi, e in zip(x, emerging) if e]
        ey = [c for c, e in zip(counts, emerging) if e]
        if ex:
            ax.plot(ex, ey, "o", markersize=10, markerfacecolor="none", markeredgecolor=line.get_color())
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(periods[::step], fontsize=8, rotation=0 if len(periods) <= 12 else 45)
    ax.set_ylabel("comments")
    ax.set_title("Comments per period, most urgent themes (ringed: emerging)", loc="left", fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _save(fig, fmt)


def _data_uri(image: bytes, fmt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"


# --------------------------------------------------------------------------- prose


def headline_facts(data: ReportData) -> list[tuple[str, str, str]]:
    """(name, value, detail) for the overview tiles of both outputs."""
    s = data.summary
    facts = [("Rows in", f"{_int(s.get('rows_in')):,}",
              f"{_int(s.get('rows_analyzed')):,} analysed, {_int(s.get('rows_rejected')):,} rejected")]
    nps = s.get("nps") or {}
    if nps.get("n"):
        facts.append(("NPS", fmt_num(nps.get("nps"), 1, sign=True),
                      f"95% CI {fmt_ci(nps.get('ci_low'), nps.get('ci_high'))}; n = {_int(nps.get('n')):,}"))
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
    facts.append(("Themes", f"{_int(s.get('theme_count'))}",
                  f"{fmt_pct(s.get('unthemed_share'), 1)} of comments unthemed"))
    return facts


def key_findings(data: ReportData) -> list[str]:
    """Plain sentences: the overall score and what drives it. Plain text; escape before HTML."""
    s = data.summary
    out: list[str] = []
    nps = s.get("nps") or {}
    ranked = data.ranked()
    if nps.get("n"):
        out.append(f"Overall NPS is {fmt_num(nps['nps'], 1, True)} (95% CI {fmt_ci(nps.get('ci_low'), nps.get('ci_high'))}) "
                   f"from {_int(nps['n']):,} scored responses.")
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
        top = ranked.iloc[0]
        out.append(f"There are no NPS scores, so themes are ordered by volume; the largest is “{top['label']}” "
                   f"with {_int(top['n_comments'])} comments.")
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
        ("Priority and rank", "Priority is the NPS drag in points that holds with 95% confidence (minus the upper "
                              "end of the impact's CI). Rank 1 is the most urgent: a big, clear drag ranks first, "
                              "a small or noisy theme low. Without NPS scores themes are ranked by volume."),
        ("Too small", f"Themes with fewer than {k} scored respondents get no interval, test or priority (shown "
                      f"as {DASH}); their descriptive numbers are still shown, and they are ordered by size. "
                      "When no theme's drag is clear, the key findings still name the top driver: the theme "
                      "with the largest estimated drag, with its caveats."),
        ("Tentative", f"A theme built from fewer than {TENTATIVE_SIZE} comments (marked “{TENTATIVE_TAG}”). "
                      "Small surveys give small themes: a tentative theme is shown, and can be the top driver, "
                      "but it rests on a handful of comments, so read its quotes before acting on it; "
                      "next month's survey will tell whether it recurs."),
        ("Emerging", "A theme whose comments grew by more than 50% over the previous period and reached at least "
                     "5 comments."),
        ("Quotes", "The comments nearest the centre of the theme, as cleaned by the pipeline: e-mails, phone "
                   "numbers, card numbers, IBANs, @handles and links with tokens are masked ([email], [phone], ...). "
                   "Arabic quotes read right to left."),
    ]
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
    lines = [
        f"cxtext {s.get('cxtext_version', __version__)}, pipeline '{s.get('pipeline', '')}'; input "
        f"{(s.get('input') or {}).get('name', '')}.",
        f"Embedding model: {s.get('model_id') or s.get('model') or 'none'}; seed {s.get('seed', '')}; "
        f"minimum theme size {themes.get('min_theme_size') or 'automatic'}; reduction "
        f"{themes.get('reduction', 'umap')}; languages centred: {themes.get('center_languages', True)}.",
        _themes_method(data.fit_rule),
        "Drivers: NPS impact with a normal-approximation 95% CI; detractor lift by Fisher's exact or a "
        "two-proportion z-test with Benjamini-Hochberg q-values; odds ratios from a logistic regression on all "
        "themes; CES/CSAT gaps by Welch's t-test.",
    ]
    if data.model_note:
        lines.append(f"Key-driver model: {data.model_note}")
    mapping = {k: v for k, v in (s.get("mapping") or {}).items() if v}
    if mapping:
        lines.append("Columns used: " + ", ".join(f"{role} = '{col}'" for role, col in mapping.items()) + ".")
    languages = s.get("languages") or {}
    if languages:
        lines.append("Languages of analysed comments: " +
                     ", ".join(f"{lang} {count:,}" for lang, count in list(languages.items())[:8]) + ".")
    return lines


# --------------------------------------------------------------------------- HTML

_CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--bg:#f6f7f9;--accent:#1f4e79;--bad:#c0392b;--good:#1e8449}
*{box-sizing:border-box}
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
    add(f"<title>What drives detractors: {esc(name)}</title>")
    add(f"<style>{_CSS}</style></head><body><main>")
    add(f"<h1>What drives detractors</h1>")
    period = ""
    if data.trend is not None and not data.trend.empty:
        periods = sorted(data.trend["period"].astype(str).unique())
        period = f" · {esc(periods[0])} to {esc(periods[-1])}"
    add(f'<p class="sub">{esc(name)}{period} · {_int(s.get("rows_in")):,} rows · report made '
        f'{esc(dt.date.today().isoformat())} by cxtext {esc(s.get("cxtext_version", __version__))}. '
        'Definitions of every number are in <a href="#how-to-read">How to read this</a>.</p>')

    # overview
    add('<section id="overview"><div class="tiles">')
    for key, value, detail in headline_facts(data):
        add(f'<div class="tile"><div class="k">{esc(key)}</div><div class="v">{esc(value)}</div>'
            f'<div class="d">{esc(detail)}</div></div>')
    add("</div>")
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
    add(_kinds_html(data))
    add("</section>")

    ranked = data.ranked()
    # driver chart and table
    add('<section id="drivers"><h2>Drivers</h2>')
    chart = driver_chart(data, "svg")
    if chart:
        shown = min(len(ranked), CHART_THEMES)
        caption = ("Each dot is a theme's NPS impact, the line its 95% confidence interval; red = clearly drags NPS "
                   "down, grey = not conclusive, green = clearly lifts it."
                   if data.has_nps else "Comments per theme.")
        if len(ranked) > shown:
            caption += f" The {shown} most urgent of {len(ranked)} themes are drawn; all are in the table below."
        add(f'<figure><img alt="Driver chart: NPS impact of the {shown} most urgent themes" '
            f'src="{_data_uri(chart, "svg")}"><figcaption>{esc(caption)}</figcaption></figure>')
    add(_driver_table_html(data, ranked))
    if data.has_nps and not ranked.empty and pd.to_numeric(ranked["nps_impact_ci_high"], errors="coerce").isna().all():
        leader = data.top_driver()
        add(f'<p class="note">Every theme has fewer than {data.min_test_size} scored respondents, so none gets a '
            "confidence interval or test and the table is ordered by size"
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

    add('<section id="how-to-read"><h2>How to read this</h2><dl class="read">')
    for term, definition in how_to_read(data):
        add(f"<dt>{esc(term)}</dt><dd>{esc(definition)}</dd>")
    add("</dl></section>")
    add('<section id="methods"><h2>Methods</h2><ul>')
    for line in methods_lines(data):
        add(f'<li dir="auto">{esc(line)}</li>')
    add("</ul></section>")
    add("</main></body></html>")
    return "\n".join(parts)


def _kinds_html(data: ReportData) -> str:
    s = data.summary
    kinds = [("themed", s.get("rows_themed")), ("unthemed", s.get("rows_unthemed")),
             ("no comment (non-answers)", s.get("rows_no_comment")), ("rejected", s.get("rows_rejected")),
             ("copies folded into their first post", s.get("duplicates_folded"))]
    cells = ", ".join(f"{esc(name)} {_int(value):,}" for name, value in kinds if value is not None)
    out = f'<p class="note">Rows by outcome: {cells}.</p>' if cells else ""
    for title, counts in data.counts.items():
        total = sum(counts.values()) or 1
        items = ", ".join(f"{esc(k)} {v:,} ({100 * v / total:.0f}%)" for k, v in counts.items())
        out += f'<p class="note">{esc(title)}: {items}.</p>'
    return out


def _driver_table_html(data: ReportData, ranked: pd.DataFrame) -> str:
    if ranked.empty:
        return '<p class="note">No themes were found, so there is no driver table.</p>'
    nps, ces, csat = data.has_nps, data.has("ces_gap"), data.has("csat_gap")
    head = ['<th class="n">Rank</th>', "<th>Theme</th>", '<th class="n">Comments</th>']
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
    for quote in quotes[:HTML_QUOTES]:
        out.append(f'<blockquote dir="{"rtl" if is_rtl(quote) else "auto"}">{esc(quote)}</blockquote>')
    if not quotes:
        out.append('<p class="note">No quotes stored for this theme.</p>')
    out.append("</article>")
    return "".join(out)


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


def write_html(source: "Analysis | ReportData", path: str | Path, top: int = TOP_THEMES) -> Path:
    """Write report.html (UTF-8) to ``path``; returns it."""
    path = Path(path)
    _write_atomic(path, render_html(source, top=top).encode("utf-8"))
    return path


# --------------------------------------------------------------------------- PPTX


def write_pptx(source: "Analysis | ReportData", path: str | Path, drivers: int = DECK_DRIVERS) -> Path:
    """Write the deck to ``path``; returns it. Charts are PNG pictures."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    data = _as_data(source)
    s = data.summary
    name = (s.get("input") or {}).get("name") or "feedback"
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_layout, title_only = deck.slide_layouts[0], deck.slide_layouts[5]

    slide = deck.slides.add_slide(title_layout)
    for shape in slide.placeholders:  # the default template is 4:3; centre its boxes on the 16:9 slide
        _place(shape, Inches(1.0), Inches(11.333))
    slide.shapes.title.text = "What drives detractors"
    slide.placeholders[1].text = (f"{name} · {_int(s.get('rows_in')):,} rows · "
                                  f"{dt.date.today().isoformat()} · cxtext {s.get('cxtext_version', __version__)}")

    slide = _titled(deck, title_only, "Overview")
    facts = headline_facts(data)
    width = Inches(12.3) / max(len(facts), 1)
    for i, (key, value, detail) in enumerate(facts):
        box = slide.shapes.add_textbox(Inches(0.5) + width * i, Inches(1.6), width - Inches(0.15), Inches(1.9))
        frame = box.text_frame
        frame.word_wrap = True
        _para(frame, key, Pt(14), first=True, color=(0x5F, 0x63, 0x68))
        _para(frame, value, Pt(36), bold=True)
        _para(frame, detail, Pt(12), color=(0x5F, 0x63, 0x68))
    box = slide.shapes.add_textbox(Inches(0.5), Inches(3.8), Inches(12.3), Inches(3.4))
    box.text_frame.word_wrap = True
    findings = key_findings(data) or ["No themes were found."]
    for i, line in enumerate(findings):
        _para(box.text_frame, "• " + line, Pt(16), first=i == 0)

    ranked = data.ranked()
    chart = driver_chart(data, "png")
    if chart:
        slide = _titled(deck, title_only, "Drivers: NPS impact per theme" if data.has_nps else "Themes by volume")
        _picture(slide, chart, Inches(0.5), Inches(1.6), Inches(12.3), Inches(5.7))

    for _, row in ranked.head(drivers).iterrows():
        slide = _titled(deck, title_only, f"#{_int(row.get('rank'))} {_short(row['label'], 70)}")
        _rtl_title(slide, str(row["label"]))
        box = slide.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(4.3), Inches(5.6))
        frame = box.text_frame
        frame.word_wrap = True
        lines = [("Comments", f"{_int(row['n_comments']):,} ({fmt_pct(row.get('share'))} of themed)"
                              + (f" · {TENTATIVE_TAG}" if row.get("tentative") else ""))]
        if data.has_nps:
            nps_ci = fmt_ci(row.get("nps_ci_low"), row.get("nps_ci_high"), 0) or DASH
            impact_ci = fmt_ci(row.get("nps_impact_ci_low"), row.get("nps_impact_ci_high")) or DASH
            lines += [("Theme NPS", f"{fmt_num(row.get('nps'), 0, True)}  (95% CI {nps_ci})"),
                      ("NPS impact", f"{fmt_num(row.get('nps_impact'), 1, True)} points  (95% CI {impact_ci})"),
                      ("Detractors",
                       f"{fmt_pct(row.get('detractor_share'))}, lift {fmt_num(row.get('detractor_lift'), 2)}×")]
        if data.has("ces_gap"):
            lines.append(("CES gap", f"{fmt_num(row.get('ces_gap'), 2, True)} (p {fmt_p(row.get('ces_gap_p_value'))})"))
        if data.has("csat_gap"):
            lines.append(("CSAT gap", fmt_num(row.get("csat_gap"), 2, True)))
        if row.get("languages"):
            lines.append(("Languages", str(row["languages"])))
        for i, (key, value) in enumerate(lines):
            _para(frame, key, Pt(12), first=i == 0, color=(0x5F, 0x63, 0x68))
            _para(frame, value, Pt(18), bold=True)
        quotes = row.get("quotes") if isinstance(row.get("quotes"), list) else []
        box = slide.shapes.add_textbox(Inches(5.1), Inches(1.6), Inches(7.7), Inches(5.6))
        frame = box.text_frame
        frame.word_wrap = True
        if not quotes:
            _para(frame, "No quotes stored for this theme.", Pt(14), first=True)
        for i, quote in enumerate(quotes[:DECK_QUOTES]):
            _para(frame, f"“{_short(quote, DECK_QUOTE_CHARS)}”", Pt(16), first=i == 0, rtl=is_rtl(quote),
                  space_after=Pt(14))

    trend = trend_chart(data, "png")
    if trend:
        slide = _titled(deck, title_only, "Trends: comments per period, most urgent themes")
        _picture(slide, trend, Inches(0.5), Inches(1.6), Inches(12.3), Inches(5.6))

    slide = _titled(deck, title_only, "How to read this and methods")
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(12.3), Inches(5.7))
    frame = box.text_frame
    frame.word_wrap = True
    keep = {"NPS", "NPS impact", "Detractor lift", "CES gap", "Priority and rank", "Quotes"}
    first = True
    for term, definition in how_to_read(data):
        if term in keep:
            _para(frame, f"{term}: {definition}", Pt(11), first=first)
            first = False
    for line in methods_lines(data)[:4]:
        _para(frame, line, Pt(10), color=(0x5F, 0x63, 0x68))

    path = Path(path)
    buffer = io.BytesIO()
    deck.save(buffer)
    _write_atomic(path, buffer.getvalue())
    return path


def _titled(deck, layout, title: str):
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(layout)
    _place(slide.shapes.title, Inches(0.5), Inches(12.333))
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(30)
    return slide


def _place(shape, left, width) -> None:
    """Move a layout placeholder sideways, keeping the top and height it inherits."""
    top, height = shape.top, shape.height
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _rtl_title(slide, label: str) -> None:
    """An Arabic label reads right to left in the title too."""
    if is_rtl(label):
        slide.shapes.title.text_frame.paragraphs[0]._p.get_or_add_pPr().set("rtl", "1")


def _para(frame, text: str, size, first: bool = False, bold: bool = False, color=None, rtl: bool = False,
          space_after=None):
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN

    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = _pptx_safe(text)
    run.font.size = size
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    if rtl:
        paragraph.alignment = PP_ALIGN.RIGHT
        paragraph._p.get_or_add_pPr().set("rtl", "1")
    if space_after is not None:
        paragraph.space_after = space_after
    return paragraph


def _pptx_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; drop them (python-pptx would raise)."""
    return "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 0x20 and not 0xFFFE <= ord(ch) <= 0xFFFF
                   and not 0xD800 <= ord(ch) <= 0xDFFF)


def _picture(slide, png: bytes, left, top, max_width, max_height):
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    scale = min(max_width / width, max_height / height)
    w, h = int(width * scale), int(height * scale)
    return slide.shapes.add_picture(io.BytesIO(png), left + int((max_width - w) / 2), top, w, h)


# --------------------------------------------------------------------------- entry points


def write_report(source: "Analysis | ReportData", out_dir: str | Path,
                 formats: Iterable[str] = ("html",)) -> list[Path]:
    """Write ``report.html`` and/or ``report.pptx`` into ``out_dir`` (created if needed)."""
    wanted = _check_formats(formats)
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {folder}: {exc.strerror}. Choose another folder.") from exc
    data = _as_data(source)
    written = []
    if "html" in wanted:
        written.append(write_html(data, folder / HTML_NAME))
    if "pptx" in wanted:
        written.append(write_pptx(data, folder / PPTX_NAME))
    return written


def report_from_dir(path: str | Path, format: str | Sequence[str] = "html",  # noqa: A002 (CLI's word)
                    out: str | Path | None = None) -> list[Path]:
    """Report on an analysis folder written by ``cxtext analyze --out DIR``.

    ``format``: "html", "pptx" or a list of them. Files go into ``out``
    (default: the analysis folder itself). Returns the files written.
    """
    formats = [format] if isinstance(format, str) else list(format)
    _check_formats(formats)
    data = ReportData.from_dir(path)
    return write_report(data, out if out is not None else path, formats)


def _check_formats(formats: Iterable[str]) -> list[str]:
    wanted = [str(f).lower() for f in formats]
    bad = [f for f in wanted if f not in REPORT_FORMATS]
    if bad or not wanted:
        raise InputError(f"unknown report format(s) {bad or wanted}; choose html or pptx.")
    return wanted


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
