"""Glue between the cxtext library and the Gradio views.

Everything here either calls the library or formats what it returned: HTML
snippets (every piece of user text goes through :func:`html.escape`), display
tables and plotly figures. No statistics are computed here: NPS, impacts,
intervals, trends and per-source tables all come from :mod:`cxtext`.
"""

from __future__ import annotations

import html
import logging
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cxtext.errors import ColumnMappingError, CxtextError, InputError
from cxtext.io.columns import detect_columns
from cxtext.io.read import FORMATS, LoadedTable, read_table
from cxtext.schema import ROLES

log = logging.getLogger("cxtext.app")

NONE = "(none)"
DISCOVER = "(discover new themes)"
PAGE_SIZE = 25
PREVIEW_ROWS = 10
MAP_HOVER_CHARS = 120
UPLOAD_TYPES = [f".{fmt}" for fmt in FORMATS] + [".txt", ".tab", ".ndjson", ".pq", ".xlsm"]
SAMPLE_PATH = Path(__file__).resolve().parents[1] / "examples" / "sample_feedback.csv"
ROLE_LABELS = {
    "text": "Comment text (required)",
    "nps": "NPS score (0-10)",
    "ces": "CES score",
    "csat": "CSAT score (1-5)",
    "rating": "Rating (stars, review score)",
    "date": "Date",
    "source": "Source / channel",
    "segment": "Segment",
    "id": "Row id",
}
STAGES = {  # library progress stage -> (text shown, overall fraction when it starts)
    "load": ("Loading the file", 0.0),
    "validate": ("Checking every row", 0.03),
    "normalize": ("Cleaning text, detecting languages", 0.06),
    "embed": ("Embedding comments", 0.1),
    "annotate": ("Reading sentiment and comment kinds", 0.72),
    # "themes" starts theme finding; a new fit then reports its three steps
    "themes": ("Finding themes", 0.78),
    "reduce": ("Reducing dimensions", 0.8),
    "cluster": ("Clustering comments into themes", 0.85),
    "label": ("Labelling themes", 0.9),
    "taxonomy": ("Matching your taxonomy", 0.92),
    "drivers": ("Ranking the drivers", 0.95),
}
# Plotly's qualitative palettes joined: enough distinct colours for ~30 themes.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
    "#636363", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#969696", "#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc",
)
GREY = "#b8b8b8"


# --------------------------------------------------------------------------- messages


def error_text(exc: BaseException) -> str:
    """A message a person can act on. Library errors carry one; anything else is logged."""
    if isinstance(exc, CxtextError):
        return str(exc)
    log.exception("unexpected error in the app", exc_info=exc)
    return (f"Something unexpected went wrong ({type(exc).__name__}: {_clip(str(exc), 200)}). "
            "The details are in the server log.")


def message_html(text: str, kind: str = "info") -> str:
    """A coloured message box; ``kind`` is info, ok, warn or error."""
    if not text:
        return ""
    icon = {"ok": "✔", "warn": "⚠", "error": "✖"}.get(kind, "ℹ")
    return (f'<div class="cx-msg cx-msg-{kind}" role="{"alert" if kind == "error" else "status"}" '
            f'dir="auto">{icon} {html.escape(text)}</div>')


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})
_RTL_LETTER = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_LETTER = re.compile(r"[^\W\d_]")


def text_direction(text: Any, language: Any = None) -> str:
    """``dir`` of a comment: "rtl" when its language or most of its letters are
    right-to-left (so "[handle] خدمة العملاء…" reads right to left), else "auto"."""
    if isinstance(language, str) and language in RTL_LANGUAGES:
        return "rtl"
    letters = len(_LETTER.findall(str(text)))
    return "rtl" if letters and 2 * len(_RTL_LETTER.findall(str(text))) > letters else "auto"


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: Any, digits: int = 1, signed: bool = False, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    number = round(float(value) * (100 if percent else 1), digits) + 0.0  # no "-0.0"
    text = f"{number:+.{digits}f}" if signed and number != 0 else f"{number:.{digits}f}"
    return text + ("%" if percent else "")


# --------------------------------------------------------------------------- upload and mapping


def read_upload(path: str | Path) -> LoadedTable:
    """Read an uploaded file; raises :class:`InputError` with a readable message."""
    if not path:
        raise InputError("No file received. Drop a CSV, TSV, XLSX, JSON, JSONL or Parquet file.")
    table = read_table(path)
    if table.frame.empty:
        raise InputError(f"{table.name}: has a header but no data rows.")
    return table


def preview_frame(table: LoadedTable, rows: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows as text, long cells clipped, for the preview grid."""
    head = table.frame.head(rows).copy()
    for column in head.columns:
        head[column] = ["" if _missing(v) else _clip(v, 80) for v in head[column]]
    return head


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class PageMapping:
    """What the library detected, for the Upload tab: dropdown values, more comment columns, a note, the reasons."""

    roles: dict[str, str]
    extra_text: list[str]
    note: str
    reasons_html: str


def detect_for_page(table: LoadedTable) -> PageMapping:
    """The library's column detection (header and content) with its reasons, as the page shows them."""
    try:
        decision = detect_columns(table.frame.columns, frame=table.frame, questions=table.questions,
                                  source_name=table.name)
    except ColumnMappingError as exc:
        return PageMapping({role: NONE for role in ROLES}, [], str(exc), "")
    mapping = decision.mapping.as_dict()
    return PageMapping({role: mapping.get(role) or NONE for role in ROLES}, list(decision.mapping.extra_text), "",
                       reasons_html(table, decision.lines()))


def reasons_html(table: LoadedTable, lines: list[str]) -> str:
    """Why each column was chosen (and skipped survey-tool header rows), so a wrong guess is caught."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    skipped = ""
    if table.skipped_rows:
        rows = ", ".join(str(r["row_in_file"]) for r in table.skipped_rows)
        skipped = (f"<p>{html.escape(str(table.layout))} export: header row(s) {rows} of the file skipped "
                   "(not counted as responses).</p>")
    return (f'<div class="cx-msg cx-msg-info" id="mapping-reasons" dir="auto">{skipped}'
            f"<b>Why these columns</b> (change any role below if a guess is wrong):<ul>{items}</ul></div>")


def detected_roles(table: LoadedTable) -> tuple[dict[str, str], str]:
    """Role -> column (or ``NONE``) guessed by the library, and a note for the page."""
    detected = detect_for_page(table)
    return detected.roles, detected.note


def table_summary(table: LoadedTable) -> str:
    parts = [f"{table.name}: {len(table.frame):,} rows, {len(table.frame.columns)} columns, {table.format.upper()}"]
    if table.encoding:
        parts.append(f"encoding {table.encoding}")
    if table.delimiter:
        parts.append("delimiter " + {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
            table.delimiter, repr(table.delimiter)))
    if table.sheet:
        parts.append(f"sheet '{table.sheet}'")
    return ", ".join(parts) + ". Check the column mapping, then press Run."


def roles_from_values(values: list[str | None], extra_text: list[str] | None = None) -> dict[str, Any]:
    """Dropdown values (in ``ROLES`` order) -> role mapping with ``None`` for unmapped roles.

    ``extra_text``: more comment columns; ``text`` is then the list of all of them.
    """
    roles: dict[str, Any] = {role: (v if v and v != NONE else None) for role, v in zip(ROLES, values)}
    extra = [c for c in extra_text or [] if c and c != NONE and c != roles.get("text")]
    if roles.get("text") and extra:
        roles["text"] = [roles["text"], *extra]
    return roles


def _role_mapping(roles: dict[str, Any]):
    """A :class:`ColumnMapping` from page roles (``text`` may be a list)."""
    from cxtext.schema import ColumnMapping

    texts = roles.get("text") if isinstance(roles.get("text"), list) else [roles.get("text")]
    others = {role: column for role, column in roles.items() if column and role != "text"}
    return ColumnMapping(text=texts[0], extra_text=tuple(texts[1:]), **others)


def check_rows(table: LoadedTable, roles: dict[str, str | None], ces_scale: str = "1-7",
               ces_easy_end: str = "high") -> None:
    """Refuse a mapping under which the library would reject every row.

    Runs the library's own row validation (fast: no text processing), so a
    score column mapped to the wrong column, or a wrong CES scale, gets a
    message naming the reasons instead of an empty analysis.
    """
    from cxtext.errors import ValidationError
    from cxtext.schema import STATUS_ANALYZED, ScoreScale
    from cxtext.validate import validate

    mapping = _role_mapping(roles)
    records = validate(table.frame, mapping, ScoreScale.parse(ces_scale, ces_easy_end), source_name=table.name)
    if (records["status"] == STATUS_ANALYZED).any():
        return
    examples = "; ".join(f"row {row}: {_clip(reason, 90)}" for row, reason in
                         zip(records["row"].head(3), records["reason"].head(3)))
    raise ValidationError(
        f"No row of {table.name} can be analysed with this mapping: all {len(records):,} rows are rejected "
        f"({examples}). Check the columns chosen for the comment and the scores, and the CES scale.")


def check_roles(table: LoadedTable | None, roles: dict[str, str | None]) -> None:
    if table is None:
        raise InputError("Upload a file first (or reload the page to get the sample back).")
    if not roles.get("text"):
        raise ColumnMappingError("Choose the column that holds the comments (Comment text).")
    used: dict[str, str] = {}
    pairs = [(role, column) for role, value in roles.items()
             for column in (value if isinstance(value, list) else [value])]
    for role, column in pairs:
        if column is None:
            continue
        if column not in table.frame.columns:
            raise ColumnMappingError(f"Column '{column}' is not in {table.name}. Upload the file again.")
        if column in used:
            raise ColumnMappingError(
                f"Column '{column}' is mapped twice ({ROLE_LABELS[used[column]]} and {ROLE_LABELS[role]}). "
                "Set one of them to (none).")
        used[column] = role


def run_analysis(
    table: LoadedTable,
    roles: dict[str, str | None],
    ces_scale: str = "1-7",
    ces_easy_end: str = "high",
    themes: str | Path | None = None,
    pipeline: str = "survey_comments",
    progress: Callable[[str, int, int], None] | None = None,
    taxonomy: str | Path | None = None,
    competitors: str | None = None,
):
    """``cxtext.analyze`` on an uploaded table with the mapping chosen in the page.

    Only the mapped columns are handed over, so a role set to "(none)" stays
    unmapped (the library would otherwise auto-detect it again). ``taxonomy``:
    a taxonomy file (:func:`cxtext.taxonomy.load_taxonomy`) whose themes come
    first (``origin`` "taxonomy" in the theme table). ``competitors``: names as
    typed in the page, "Vodafone: Vodafone RO, فودافون; Orange"
    (:func:`cxtext.social.competitors.parse_competitors`).
    """
    import cxtext

    check_roles(table, roles)
    check_rows(table, roles, ces_scale, ces_easy_end)
    mapped = {role: column for role, column in roles.items() if column}
    columns = list(dict.fromkeys(c for v in mapped.values() for c in (v if isinstance(v, list) else [v])))
    data = replace(table, frame=table.frame[columns])
    analysis = cxtext.analyze(data, **mapped, ces_scale=ces_scale, ces_easy_end=ces_easy_end,
                              themes=themes or None, pipeline=pipeline, progress=progress,
                              taxonomy=taxonomy or None, competitors=competitor_list(competitors))
    keep_in_history(analysis)
    return analysis


def competitor_list(text: str | None) -> dict[str, list[str]] | None:
    """Competitors typed in the page, or None when the box is empty."""
    from cxtext.social.competitors import parse_competitors

    parsed = parse_competitors(text or "")
    return parsed or None


TAXONOMY_TYPES = [".csv", ".tsv", ".txt", ".xlsx", ".yaml", ".yml"]


def read_taxonomy(path: str | Path, into: Path) -> tuple[Path, str]:
    """Check an uploaded taxonomy file (:func:`cxtext.taxonomy.load_taxonomy`) and keep a copy in the
    session folder; returns (the copy, a message naming its themes)."""
    from cxtext.taxonomy import load_taxonomy

    if not path:
        raise InputError("No taxonomy file received. Upload a CSV, TSV, TXT, XLSX or YAML file.")
    source = Path(path)
    taxonomy = load_taxonomy(source)  # a bad file is refused here, naming its row and column
    target = Path(into) / "taxonomy" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    names = taxonomy.names
    shown = ", ".join(_clip(n, 40) for n in names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return target, (f"Taxonomy {source.name}: {len(names)} theme{'s' if len(names) != 1 else ''} ({shown}). "
                    "The next run assigns comments to them first and discovers themes for the rest.")


def keep_in_history(analysis, name: str | None = None) -> str | None:
    """Save to the analysis history; a full disk must not cost the user their result."""
    from cxtext.history import AnalysisStore

    try:
        return AnalysisStore().save(analysis, name=name)
    except CxtextError as exc:
        log.warning("analysis not kept in the history: %s", exc)
        return None


def past_analyses(limit: int = 50) -> list[tuple[str, str]]:
    """(label, id) of the newest analyses in the history, for a dropdown."""
    from cxtext.history import AnalysisStore

    past = AnalysisStore().list().head(limit)
    return [(f"{row.created_utc.replace('T', ' ')[:16]} · {row.name} · {row.rows_in:,} rows · "
             f"{row.theme_count} themes", row.id) for row in past.itertuples()]


def open_past(analysis_id: str):
    """A past analysis from the history, ready to render."""
    from cxtext.history import AnalysisStore

    if not analysis_id:
        raise InputError("Pick a past analysis first.")
    return AnalysisStore().load(analysis_id)


def progress_reporter(progress: Any) -> Callable[[str, int, int], None]:
    """Turn the library's ``progress(stage, done, total)`` into ``gr.Progress`` calls."""

    def report(stage: str, done: int, total: int) -> None:
        text, start = STAGES.get(stage, (stage, 0.0))
        if stage == "embed" and total:
            progress((done, total), desc=f"{text} {done:,}/{total:,}", unit="comments")
        else:
            progress(start, desc=text)

    return report


# --------------------------------------------------------------------------- header and overview


def headline(analysis) -> str:
    s = analysis.summary
    name = (s.get("input") or {}).get("name") or "data"
    nps = s.get("nps") or {}
    parts = [f"<b>{html.escape(str(name))}</b>", f"{s['rows_in']:,} rows", f"{s['rows_analyzed']:,} analysed",
             f"<span data-testid='theme-count'>{s.get('theme_count', 0)}</span> themes"
             + (f" ({len(s['tentative_themes'])} tentative)" if s.get("tentative_themes") else "")]
    if nps:
        parts.append(f"NPS {_fmt(nps.get('nps'), 1, signed=True)}")
    elif (s.get("rating") or {}).get("mean") is not None:
        parts.append(f"mean rating {_fmt(s['rating']['mean'], 2)} of {html.escape(str(s['rating']['scale']))}")
    return f'<div class="cx-headline" data-testid="headline">{" · ".join(parts)}</div>'


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
    cards.append(_card("Rows", f"{s['rows_in']:,}",
                       f"<span data-testid='rows-analyzed'>{s['rows_analyzed']:,}</span> analysed · "
                       f"{s['rows_rejected']:,} rejected" + (f"<br>{top}" if top else ""), "rows"))
    tentative = s.get("tentative_themes") or []
    cards.append(_card("Themes", f"{s.get('theme_count', 0)}",
                       f"unthemed {_fmt(s.get('unthemed_share'), 0, percent=True)} of comments · "
                       f"{s.get('rows_no_comment', 0):,} non-answers"
                       + (f"<br>{len(tentative)} tentative (fewer than {s.get('tentative_size', 5)} comments)"
                          if tentative else "")
                       + (f"<br><small>{html.escape(str(s['theme_fit_rule']))}</small>"
                          if s.get("theme_fit_rule") else ""), "themes"))
    languages = s.get("languages") or {}
    total = sum(languages.values()) or 1
    lang = ", ".join(f"{html.escape(str(k))} {100 * v / total:.0f}%" for k, v in list(languages.items())[:6])
    cache = s.get("embedding_cache") or {}
    timings = s.get("timings_seconds") or {}
    cards.append(_card("Languages", html.escape(str(len(languages))), lang or "–", "languages"))
    run = (f"{sum(timings.values()):.1f} s" if timings else "–")
    cards += social_cards(analysis)  # sentiment, kinds, competitors, sentiment vs NPS (when annotated)
    cards.append(_card("Run time", run, f"embedding cache: {cache.get('hits', 0):,} hits, "
                       f"{cache.get('misses', 0):,} computed", "timing"))
    return f'<div class="cx-cards">{"".join(cards)}</div>'


def _card(title: str, value: str, detail: str, key: str) -> str:
    return (f'<div class="cx-card" data-testid="card-{key}"><div class="cx-card-title">{html.escape(title)}</div>'
            f'<div class="cx-card-value">{value}</div><div class="cx-card-detail">{detail}</div></div>')


def rejected_frame(analysis) -> pd.DataFrame:
    rejected = analysis.rejected.copy()
    if rejected.empty:
        return pd.DataFrame({"row": [], "reason": []})
    rejected["text"] = [_clip(t, 120) for t in rejected["text"].fillna("")]
    return _display(rejected[["row", "reason", "nps", "ces", "csat", "id", "text"]])


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop all-empty columns and turn pandas NA into blanks for the grid."""
    frame = frame.loc[:, [c for c in frame.columns if frame[c].notna().any() or c in ("row", "reason")]]
    return frame.astype(object).where(frame.notna(), None)


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
    """The driver table at ``level`` ("theme", "parent" or None: the analysis's own) and the noun
    the charts use for its rows."""
    if level is None:
        return analysis.drivers, "theme"
    return analysis.drivers_at(level), "parent theme" if level == "parent" else "theme"


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
    lines = [f"- **{c}**: {descriptions[c]}" for c in shown if c in descriptions]
    if drivers.attrs.get("priority_basis") == "sentiment":
        lines.insert(0, SENTIMENT_RANKING_NOTE)
    elif drivers.attrs.get("priority_basis") == "rating":
        lines.insert(0, RATING_RANKING_NOTE)
    if len(drivers) and _missing(drivers.iloc[0].get("priority")):
        lines.insert(0, TENTATIVE_LEAD_NOTE.format(k=drivers.attrs.get("min_test_size", 10)))
    extra = [drivers.attrs.get(k) for k in ("model_note", "ces_scale") if drivers.attrs.get(k)]
    return "\n".join(lines + ([""] + [f"*{html.escape(str(e))}*" for e in extra] if extra else []))


def _colour(values: list[float], good: str = "#2e8540", bad: str = "#c62828") -> list[str]:
    return [GREY if v is None or math.isnan(v) else (bad if v > 0 else good) for v in values]


def empty_figure(message: str, height: int = 260) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=html.escape(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font={"size": 15, "color": "#666"})
    figure.update_layout(height=height, xaxis={"visible": False}, yaxis={"visible": False},
                         margin={"l": 20, "r": 20, "t": 20, "b": 20}, template="plotly_white")
    return figure


def _bar_height(n: int) -> int:
    return max(260, 120 + 28 * n)


def _short_label(text: Any, limit: int = 45) -> str:
    return _clip(str(text), limit)


def drivers_heading(analysis) -> str:
    """The line above the driver table: what the ranking is by (NPS, or sentiment when no row has NPS)."""
    if analysis.drivers.attrs.get("priority_basis") == "sentiment":
        return ("Themes ranked by **priority**: the drag on net sentiment that holds with 95% confidence "
                "(no row has an NPS score). Sort by any column with the ⋮ button in its header.")
    return ("Themes ranked by **priority**: the NPS drag that holds with 95% confidence. "
            "Sort by any column with the ⋮ button in its header.")


def impact_figure(analysis, level: str | None = None) -> go.Figure:
    """nps_impact per theme (or parent theme, ``level="parent"``) with its 95% CI, most urgent on top."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.attrs.get("priority_basis") == "sentiment":  # no NPS at all: the ranking is by sentiment drag
        return sentiment_impact_figure(analysis, level)
    if drivers.empty or "nps_impact" not in drivers or drivers["nps_impact"].isna().all():
        return empty_figure("No NPS scores: map an NPS column to see each theme's impact on NPS.")
    table = drivers.dropna(subset=["nps_impact"]).iloc[::-1]
    return _impact_bars(
        table, "nps_impact", extra=[], hover_extra="",
        hover_name="NPS impact", title=f"NPS impact per {noun} (points of overall NPS, 95% CI); red = clear drag",
        xaxis_title=f"overall NPS minus NPS without the {noun}")


def _impact_bars(table: pd.DataFrame, column: str, extra: list, hover_extra: str, hover_name: str,
                 title: str, xaxis_title: str) -> go.Figure:
    """Horizontal bars of ``column`` per theme with its ``_ci_low``/``_ci_high`` as error bars, red when
    the whole CI is below 0. ``extra``: more customdata columns (from index 3) for ``hover_extra``."""
    low = table[f"{column}_ci_low"].astype(float)
    high = table[f"{column}_ci_high"].astype(float)
    impact = table[column].astype(float)
    colours = ["#c62828" if h < 0 else ("#2e8540" if lo > 0 else GREY) for lo, h in zip(low.fillna(-1e9),
                                                                                        high.fillna(1e9))]
    figure = go.Figure(go.Bar(
        x=impact, y=[_short_label(v) for v in table["label"]], orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (high - impact).fillna(0),
                 "arrayminus": (impact - low).fillna(0), "color": "#444", "thickness": 1.2},
        customdata=np.stack([table["n_comments"], [_ci_text(a, b) for a, b in zip(low, high)],
                             table["label"], *extra], axis=1),
        hovertemplate=f"<b>%{{customdata[2]}}</b><br>{hover_name} %{{x:.1f}} points<br>95% CI %{{customdata[1]}}"
                      f"<br>%{{customdata[0]}} comments{hover_extra}<extra></extra>",
    ))
    figure.add_vline(x=0, line_color="#333", line_width=1)
    figure.update_layout(title=title, xaxis_title=xaxis_title, height=_bar_height(len(table)),
                         margin={"l": 10, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure


def _ci_text(low: Any, high: Any, digits: int = 1) -> str:
    if _missing(low) or _missing(high):
        return "not computed (too few scored comments in the theme)"
    return f"{_signed(low, digits)} to {_signed(high, digits)}"


def _signed(value: float, digits: int = 1) -> str:
    """``digits`` decimals with a sign; a value that rounds to zero shows as 0.0, never -0.0."""
    rounded = round(float(value), digits) + 0.0
    return f"{0:.{digits}f}" if rounded == 0 else f"{rounded:+.{digits}f}"


def volume_nps_figure(analysis, level: str | None = None) -> go.Figure:
    """Theme (or parent theme) size against its NPS: big ones low on the chart hurt most."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.empty or "nps" not in drivers or drivers["nps"].isna().all():
        return empty_figure("No NPS scores: map an NPS column to compare themes by volume and NPS.")
    table = drivers.dropna(subset=["nps"])
    overall = (analysis.summary.get("nps") or {}).get("nps")
    named = set(table["theme_id"].head(6)) | set(table.nlargest(3, "n_comments")["theme_id"])
    figure = go.Figure(go.Scatter(
        x=table["n_comments"], y=table["nps"], mode="markers+text",
        text=[_short_label(v, 28) if t in named else "" for v, t in zip(table["label"], table["theme_id"])],
        textposition="top center",
        marker={"size": 12, "color": _colour((-table["nps_impact"]).tolist()), "line": {"width": 1, "color": "#333"}},
        error_y={"type": "data", "symmetric": False, "array": (table["nps_ci_high"] - table["nps"]).fillna(0),
                 "arrayminus": (table["nps"] - table["nps_ci_low"]).fillna(0), "color": "#999", "thickness": 1},
        customdata=np.stack([table["label"], table["n_nps"]], axis=1),
        hovertemplate="<b>%{customdata[0]}</b><br>%{x} comments<br>NPS %{y:.1f} (n = %{customdata[1]})"
                      "<extra></extra>",
    ))
    if overall is not None:
        figure.add_hline(y=overall, line_dash="dash", line_color="#555",
                         annotation_text=f"overall NPS {overall:+.1f}", annotation_position="bottom right")
    figure.update_layout(title=f"{noun.capitalize()} volume vs {noun} NPS (95% CI; the 6 most urgent and 3 biggest "
                               f"{noun}s named)", xaxis_title=f"comments in the {noun}",
                         yaxis_title=f"NPS of the {noun}'s respondents", height=460,
                         margin={"l": 10, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure


def ces_figure(analysis, level: str | None = None) -> go.Figure:
    """ces_gap per theme (or parent theme): extra effort of its customers versus the rest."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.empty or "ces_gap" not in drivers or drivers["ces_gap"].isna().all():
        return empty_figure("No CES scores: map a CES column to see which themes cost customers effort.")
    table = drivers.dropna(subset=["ces_gap"]).sort_values("ces_gap")
    p_values = table.get("ces_gap_p_value", pd.Series(np.nan, index=table.index)).astype(float)
    colours = [("#c62828" if g > 0 else "#2e8540") if p < 0.05 else GREY
               for g, p in zip(table["ces_gap"], p_values.fillna(1.0))]
    figure = go.Figure(go.Bar(
        x=table["ces_gap"], y=[_short_label(v) for v in table["label"]], orientation="h", marker_color=colours,
        customdata=np.stack([table["label"], table["ces_mean"].round(2), p_values.round(4)], axis=1),
        hovertemplate="<b>%{customdata[0]}</b><br>CES gap %{x:.2f} scale points<br>theme mean "
                      "%{customdata[1]}<br>p = %{customdata[2]}<extra></extra>",
    ))
    figure.add_vline(x=0, line_color="#333", line_width=1)
    scale = analysis.drivers.attrs.get("ces_scale", "")
    figure.update_layout(title=f"CES gap per {noun} (positive = more effort; coloured when p < 0.05) · {scale}",
                         xaxis_title=f"{noun} mean effort minus the rest, in scale points",
                         height=_bar_height(len(table)), margin={"l": 10, "r": 20, "t": 50, "b": 40},
                         template="plotly_white")
    return figure


# --------------------------------------------------------------------------- themes


def theme_choices(analysis) -> list[tuple[str, int]]:
    """(label, theme_id) for the theme pickers, in driver-rank order."""
    order = analysis.drivers["theme_id"].tolist() if not analysis.drivers.empty else []
    themes = analysis.themes.set_index("theme_id")
    ids = [t for t in order if t in themes.index] + [t for t in themes.index if t not in order]
    return [(f"{themes.loc[t, 'label']} ({int(themes.loc[t, 'size'])})", int(t)) for t in ids]


def theme_tree_html(analysis) -> str:
    """Themes as a tree under their parent themes (themes.csv ``parent_id``/``parent_label``): each parent
    with its comment count, NPS and NPS impact (parent-level drivers), then its themes, biggest first."""
    themes = analysis.themes
    if themes.empty or "parent_id" not in themes or themes["parent_id"].isna().all():
        return message_html("No parent themes: this analysis has no themes to group.")
    by_theme = analysis.drivers_at("theme").set_index("theme_id")
    by_parent = analysis.drivers_at("parent").set_index("theme_id")

    def stats(drivers: pd.DataFrame, key: int, size: int) -> str:
        parts = [f"{size:,} comments"]
        if key in drivers.index:
            row = drivers.loc[key]
            if not _missing(row.get("nps")):
                parts.append(f"NPS {_fmt(row.get('nps'), 1, signed=True)}")
            if not _missing(row.get("nps_impact")):
                parts.append(f"impact {_fmt(row.get('nps_impact'), 1, signed=True)}")
        return " · ".join(parts)

    sizes = themes.groupby("parent_id")["size"].sum().sort_values(ascending=False, kind="stable")
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
        stats = (f"<div class='cx-theme-stats'>rank {int(d['rank'])} · {int(d['n_comments'])} comments "
                 f"({_fmt(d.get('share'), 0, percent=True)} of themed) · NPS {_fmt(d.get('nps'), 1, signed=True)} "
                 f"[{_fmt(d.get('nps_ci_low'), 1, signed=True)}, {_fmt(d.get('nps_ci_high'), 1, signed=True)}] · "
                 f"NPS impact {_fmt(d.get('nps_impact'), 1, signed=True)} · "
                 f"detractor lift {_fmt(d.get('detractor_lift'), 2)}"
                 + (f" · CES gap {_fmt(d.get('ces_gap'), 2, signed=True)}" if not _missing(d.get("ces_gap")) else "")
                 + "</div>")
    keywords = "".join(f"<span class='cx-chip' dir='auto'>{html.escape(k)}</span>"
                       for k in _as_list(theme.get("keywords")))
    languages = ", ".join(html.escape(x) for x in _as_list(theme.get("languages"))) or "–"
    quotes = "".join(f"<blockquote class='cx-quote' dir='{text_direction(q)}'>{html.escape(q)}</blockquote>"
                     for q in _as_list_quotes(theme.get("quotes")))
    return (f"<div class='cx-theme' data-testid='theme-detail'>"
            f"<h3 dir='auto' data-testid='theme-label'>{html.escape(str(theme['label']))}</h3>{stats}"
            f"<div class='cx-row'><b>Keywords</b> {keywords or '–'}</div>"
            f"<div class='cx-row'><b>Languages</b> {languages}</div>"
            f"<div class='cx-row'><b>Representative quotes</b><div class='cx-quotes' data-testid='quotes'>"
            f"{quotes or '–'}</div></div></div>")


def _as_list_quotes(value: Any) -> list[str]:
    if isinstance(value, str):  # a CSV round trip flattens quotes with " | "
        return [q.strip() for q in value.split(" | ") if q.strip()]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [str(q) for q in value]


def theme_score_figure(analysis, theme_id: int | None) -> go.Figure:
    """Histogram of the 0-10 NPS answers of the theme's respondents."""
    if theme_id is None or _theme_row(analysis, theme_id) is None:
        return empty_figure("Pick a theme.", 220)
    members = theme_members(analysis, theme_id)
    scores = members.loc[members["scores_valid"].astype(bool), "nps"].dropna().astype(int)
    if scores.empty:
        return empty_figure("No NPS scores in this theme.", 220)
    counts = scores.value_counts().reindex(range(11), fill_value=0)
    colours = ["#c62828"] * 7 + ["#f9a825"] * 2 + ["#2e8540"] * 2
    figure = go.Figure(go.Bar(x=list(range(11)), y=counts.tolist(), marker_color=colours,
                              hovertemplate="score %{x}: %{y} respondents<extra></extra>"))
    figure.update_layout(title=f"NPS answers in this theme (n = {len(scores)})",
                         xaxis={"dtick": 1, "title": "0-6 detractors · 7-8 passives · 9-10 promoters"},
                         yaxis_title="respondents", height=280, margin={"l": 10, "r": 10, "t": 50, "b": 40},
                         template="plotly_white", bargap=0.15)
    return figure


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
                 f"<td dir='{direction}' class='cx-text'>{html.escape(str(record.text))}</td>"]
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


# --------------------------------------------------------------------------- map


def map_coordinates(analysis, cache: dict | None = None) -> pd.DataFrame:
    """2-D position of every embedded comment: ``row, x, y, theme_id, theme_label, text``.

    The projection is the library's :class:`cxtext.reduce.Reducer` (UMAP) on
    ``analysis.embeddings``. Theme edits keep the embeddings, so ``cache``
    (a per-session dict) keeps the projection across edits.
    """
    from cxtext.reduce import Reducer

    embeddings = analysis.embeddings
    columns = ["row", "x", "y", "theme_id", "theme_label", "text"]
    if embeddings is None or embeddings.size == 0:
        return pd.DataFrame(columns=columns)
    embedded = ~np.isnan(embeddings).any(axis=1)
    if not embedded.any():
        return pd.DataFrame(columns=columns)
    key = (id(embeddings), embeddings.shape, int(embedded.sum()))
    if cache is not None and cache.get("key") == key:
        xy = cache["xy"]
    else:
        xy = Reducer(method="umap", n_components=2, random_state=analysis.summary.get("seed", 0) or 0,
                     min_dist=0.1).fit_transform(embeddings[embedded])
        if cache is not None:
            cache.clear()
            cache.update(key=key, xy=xy)
    records = analysis.records[embedded]
    return pd.DataFrame({"row": records["row"].to_numpy(), "x": xy[:, 0], "y": xy[:, 1],
                         "theme_id": records["theme_id"].to_numpy(), "theme_label": records["theme_label"].to_numpy(),
                         "text": records["text"].to_numpy()})


def map_figure(coordinates: pd.DataFrame) -> go.Figure:
    if coordinates.empty:
        return empty_figure("No embedded comments to place on the map.", 500)
    figure = go.Figure()
    order = coordinates.groupby("theme_id").size().sort_values(ascending=False).index.tolist()
    order = [t for t in order if t >= 0] + [t for t in order if t < 0]
    for index, theme_id in enumerate(order):
        part = coordinates[coordinates["theme_id"] == theme_id]
        label = str(part["theme_label"].iloc[0])
        colour = GREY if theme_id < 0 else PALETTE[index % len(PALETTE)]
        figure.add_trace(go.Scattergl(
            x=part["x"], y=part["y"], mode="markers", name=f"{_short_label(label, 32)} ({len(part)})",
            marker={"size": 6 if theme_id >= 0 else 4, "color": colour, "opacity": 0.85 if theme_id >= 0 else 0.5},
            customdata=np.stack([[html.escape(_clip(t, MAP_HOVER_CHARS)) for t in part["text"]],
                                 [html.escape(label)] * len(part), part["row"]], axis=1),
            hovertemplate="<b>%{customdata[1]}</b> · row %{customdata[2]}<br>%{customdata[0]}<extra></extra>",
        ))
    figure.update_layout(title="Comments by meaning (UMAP of the embeddings), coloured by theme",
                         height=640, template="plotly_white", xaxis={"visible": False}, yaxis={"visible": False},
                         legend={"font": {"size": 11}, "itemsizing": "constant"},
                         margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure


# --------------------------------------------------------------------------- trends and sources

MIN_MONTH_NPS = 5  # a theme's monthly NPS is drawn only from this many scored comments on
COMPARE_KIND, COMPARE_SOURCE, COMPARE_SEGMENT = "kind", "source", "segment"
COMPARE_CHOICES = [("survey vs social", COMPARE_KIND), ("each source / channel", COMPARE_SOURCE),
                   ("each segment", COMPARE_SEGMENT)]


def _mapped(analysis, role: str) -> bool:
    return bool((analysis.summary.get("mapping") or {}).get(role)) and analysis.records[role].notna().any()


def trend_figures(analysis, top: int = 8) -> tuple[go.Figure, go.Figure, str]:
    """Monthly comment volume and NPS of the biggest themes (``cxtext.drivers.theme_trend``)."""
    if not _mapped(analysis, "date"):
        note = "Map a date column to see theme volume and NPS by month."
        return empty_figure(note), empty_figure(note), note
    if analysis.themes.empty:
        note = "No themes were found, so there is no trend to show."
        return empty_figure(note), empty_figure(note), note
    from cxtext.drivers import theme_trend

    trend = theme_trend(analysis.records, analysis.themes, freq="M")
    if trend.empty:
        note = "No readable dates in the date column."
        return empty_figure(note), empty_figure(note), note
    keep = analysis.themes.sort_values("size", ascending=False)["theme_id"].head(top).tolist()
    shown = trend[trend["theme_id"].isin(keep)]
    volume, nps = go.Figure(), go.Figure()
    for index, theme_id in enumerate(keep):
        part = shown[shown["theme_id"] == theme_id]
        if part.empty:
            continue
        name = _short_label(part["label"].iloc[0], 32)
        colour = PALETTE[index % len(PALETTE)]
        emerging = part["emerging"].astype(bool)
        volume.add_trace(go.Scatter(x=part["period"], y=part["n_comments"], name=name, mode="lines+markers",
                                    line={"color": colour},
                                    marker={"size": [14 if e else 6 for e in emerging],
                                            "symbol": ["star" if e else "circle" for e in emerging]}))
        monthly = part["nps"].where(part["n_nps"] >= MIN_MONTH_NPS)
        if monthly.notna().any():
            nps.add_trace(go.Scatter(x=part["period"], y=monthly, name=name, mode="lines+markers",
                                     line={"color": colour}, customdata=part["n_nps"],
                                     hovertemplate="%{x}: NPS %{y:.0f} (n = %{customdata})"))
    layout = {"height": 420, "template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
              "xaxis": {"type": "category"}}
    volume.update_layout(title=f"Comments per month, {len(keep)} biggest themes (★ = emerging: +50% and ≥ 5)",
                         yaxis_title="comments", **layout)
    nps.update_layout(title=f"NPS per month by theme (months with ≥ {MIN_MONTH_NPS} scored comments)",
                      yaxis_title="NPS (points)", **layout)
    if not nps.data:
        nps = empty_figure("No theme has enough NPS scores per month.")
    latest = trend["period"].max()
    emerging_now = trend[trend["emerging"].astype(bool) & (trend["period"] == latest)]
    note = (f"Emerging in {latest}: " + "; ".join(str(label) for label in emerging_now["label"])
            if not emerging_now.empty else
            f"No theme is emerging in {latest} (a rise of 50% on the month before, with at least 5 comments).")
    return volume, nps, note


def compare_choices(analysis) -> list[tuple[str, str]]:
    """The groupings the page can compare, given what was mapped."""
    choices = []
    if "is_social" in analysis.records:
        choices.append(COMPARE_CHOICES[0])
    if _mapped(analysis, "source"):
        choices.append(COMPARE_CHOICES[1])
    if _mapped(analysis, "segment"):
        choices.append(COMPARE_CHOICES[2])
    return choices


def source_view(analysis, compare: str = COMPARE_KIND, top: int = 15) -> tuple[pd.DataFrame, go.Figure, str]:
    """Theme drivers per group side by side (``cxtext.drivers.driver_table_by``).

    ``compare``: "kind" (survey vs social, from the library's ``is_social``
    flag), "source" (each channel) or "segment".
    """
    if analysis.themes.empty:
        note = "No themes were found."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    try:
        from cxtext.drivers import driver_table_by
    except ImportError:
        note = "Per-source driver tables are not available in this version of cxtext."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    records, by = analysis.records, "source"
    if compare == COMPARE_SEGMENT:
        by = "segment"
        if not _mapped(analysis, "segment"):
            note = "Map a segment column to compare segments."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    elif compare == COMPARE_SOURCE:
        if not _mapped(analysis, "source"):
            note = "Map a source/channel column to compare sources."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    else:
        if "is_social" not in records:
            note = "This analysis does not say which comments are social posts."
            return pd.DataFrame(columns=["theme"]), empty_figure(note), note
        records = records.assign(source=np.where(records["is_social"].astype(bool), "social", "survey"))
    table = driver_table_by(records, analysis.themes[["theme_id", "label"]], by=by, ces_scale=analysis.ces_scale)
    if table.empty:
        note = "No themed comments to compare."
        return pd.DataFrame(columns=["theme"]), empty_figure(note), note
    groups = list(dict.fromkeys(table[by]))
    order = [label for label in analysis.drivers["label"] if label in set(table["label"])]
    wide = pd.DataFrame({"theme": order})
    for group in groups:
        part = table[table[by] == group].set_index("label").reindex(order)
        wide[f"{group} n"] = part["n_comments"].fillna(0).astype(int).to_numpy()
        if part["nps"].notna().any():
            wide[f"{group} NPS"] = part["nps"].round(1).to_numpy()
            wide[f"{group} impact"] = part["nps_impact"].round(1).to_numpy()
    biggest = (table.groupby("label")["n_comments"].sum().sort_values(ascending=False).head(top).index)
    plotted = [label for label in order if label in set(biggest)]
    figure = go.Figure()
    for index, group in enumerate(groups):
        part = table[table[by] == group].set_index("label").reindex(plotted)
        figure.add_trace(go.Bar(y=[_short_label(v) for v in plotted][::-1], x=part["share"].iloc[::-1],
                                name=str(group), orientation="h", marker_color=PALETTE[index % len(PALETTE)],
                                hovertemplate=f"{html.escape(str(group))}: %{{x:.0%}} of its themed comments"
                                              "<extra></extra>"))
    figure.update_layout(barmode="group", title=f"Share of each {'group' if by == 'segment' else 'source'}'s "
                                                f"themed comments, {len(plotted)} biggest themes",
                         xaxis={"tickformat": ".0%"}, template="plotly_white",
                         height=max(340, 130 + 12 * len(plotted) * max(1, min(len(groups), 4))),
                         legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                         margin={"l": 10, "r": 10, "t": 80, "b": 40})
    note = ("Per group: comments, the theme's NPS and its NPS impact within that group (empty where the group "
            "has no NPS scores, e.g. social posts). Themes are in overall driver order.")
    return wide, figure, note


# --------------------------------------------------------------------------- edit, save, export


def themes_frame(analysis) -> pd.DataFrame:
    if analysis.themes.empty:
        return pd.DataFrame({"theme_id": [], "label": []})
    columns = ["theme_id", "label", "size", "share", "keywords"]
    if "origin" in analysis.themes and (analysis.themes["origin"] == "taxonomy").any():
        columns.insert(2, "origin")  # only when a taxonomy was used: "taxonomy" or "discovered"
    view = analysis.themes[columns].copy()
    view["keywords"] = ["; ".join(_as_list(k))[:120] for k in view["keywords"]]
    view["share"] = view["share"].astype(float).round(3)
    return view


UNTHEMED_CHOICE = ("(unthemed)", -1)


def move_targets(analysis) -> list[tuple[str, int]]:
    """Themes a comment can be moved to, and "(unthemed)" (-1)."""
    return theme_choices(analysis) + [UNTHEMED_CHOICE]


def parse_rows(text: str | None) -> list[int]:
    """Row numbers typed in the page: "3, 4, 9" or ranges "10-12" (the ``row`` column of the comments)."""
    rows: list[int] = []
    for part in re.split(r"[,;\s]+", (text or "").strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise InputError(f"'{_clip(part, 20)}' is not a row number. Type the row numbers shown in the Themes "
                             "tab, separated by commas, e.g. 3, 4, 9 or 10-12.")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if high < low or high - low > 10_000:
            raise InputError(f"'{part}' is not a usable range of rows; write it low-high, e.g. 10-12.")
        rows.extend(range(low, high + 1))
    if not rows:
        raise InputError("Type the row numbers to move (the 'row' column in the Themes tab), e.g. 3, 4, 9.")
    return list(dict.fromkeys(rows))


def split_theme(analysis, theme_id: Any, n: Any = None):
    """``Analysis.split_theme`` with the page's inputs; returns (edited analysis, message)."""
    if analysis is None:
        raise InputError("Run an analysis first.")
    if theme_id is None:
        raise InputError("Pick the theme to split.")
    parts = None
    if n not in (None, "") and not (isinstance(n, float) and math.isnan(n)):
        if float(n) != int(float(n)):
            raise InputError(f"The number of parts must be a whole number, e.g. 2. Got {n}.")
        parts = int(float(n))
    edited = analysis.split_theme(int(theme_id), n=parts)
    edit = edited.summary["edits"][-1]
    names = "; ".join(f"'{label}' ({size})" for label, size in zip(edit["labels"], edit["sizes"]))
    return edited, f"Split into {edit['n']} themes: {names}."


def move_comments(analysis, rows_text: str | None, target: Any):
    """``Analysis.move_comments`` with the page's inputs; returns (edited analysis, message)."""
    if analysis is None:
        raise InputError("Run an analysis first.")
    rows = parse_rows(rows_text)
    if target is None:
        raise InputError("Pick the theme to move the comments to (or (unthemed)).")
    edited = analysis.move_comments(rows, int(target))
    name = dict((v, k) for k, v in move_targets(analysis)).get(int(target), str(target))
    return edited, f"Moved {len(rows)} comment{'s' if len(rows) != 1 else ''} to {name}."


def find_suggestions(analysis) -> pd.DataFrame:
    """:func:`cxtext.suggest.suggest_edits` on the analysis (empty without themes)."""
    from cxtext.suggest import suggest_edits

    if analysis is None:
        raise InputError("Run an analysis first.")
    return suggest_edits(analysis)


def suggestions_view(suggestions: pd.DataFrame | None) -> pd.DataFrame:
    """The suggestions as shown: number, kind, themes, evidence, the parts a split would give, score."""
    columns = ["#", "kind", "themes", "evidence", "parts", "score"]
    if suggestions is None or suggestions.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for s in suggestions.to_dict("records"):
        parts = ""
        if s["kind"] == "split":
            parts = " | ".join(f"{label} ({size}): {', '.join(words[:4])}" for label, size, words in
                               zip(s["part_labels"], s["part_sizes"], s["part_keywords"]))
        rows.append({"#": int(s["suggestion"]), "kind": s["kind"],
                     "themes": " + ".join(f"{t} {label}" for t, label in zip(s["theme_ids"], s["labels"])),
                     "evidence": s["evidence"], "parts": parts, "score": round(float(s["score"]), 2)})
    return pd.DataFrame(rows, columns=columns)


def suggestion_choices(suggestions: pd.DataFrame | None) -> list[tuple[str, int]]:
    """(text, number) of each suggestion for the Apply picker."""
    if suggestions is None or suggestions.empty:
        return []
    return [(f"{int(s['suggestion'])}. {s['kind']} " + " + ".join(_clip(label, 40) for label in s["labels"]),
             int(s["suggestion"])) for s in suggestions.to_dict("records")]


def apply_suggestion(analysis, suggestions: pd.DataFrame | None, number: Any):
    """Apply suggestion ``number`` of ``suggestions`` (found on this very analysis); returns (edited, message)."""
    from cxtext.suggest import apply_suggestion as apply

    if analysis is None:
        raise InputError("Run an analysis first.")
    if suggestions is None or suggestions.empty or number is None:
        raise InputError("Press 'Find suggestions', then pick one to apply.")
    match = suggestions[suggestions["suggestion"] == int(number)]
    if match.empty:
        raise InputError(f"There is no suggestion {number}; press 'Find suggestions' again.")
    row = match.iloc[0]
    edited = apply(analysis, row)
    if row["kind"] == "merge":
        return edited, f"Applied suggestion {int(number)}: merged {' and '.join(map(repr, row['labels']))}."
    return edited, (f"Applied suggestion {int(number)}: split {row['labels'][0]!r} into "
                    + " and ".join(repr(label) for label in edited.summary['edits'][-1]['labels']) + ".")


MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def models_root() -> Path:
    from cxtext.embed import models_dir

    return models_dir()


def saved_models(root: Path | None = None) -> list[tuple[str, str]]:
    """(name, folder) of the saved theme models: sub-folders of models/ holding a model.json."""
    root = root or models_root()
    if not root.is_dir():
        return []
    return [(p.name, str(p)) for p in sorted(root.iterdir(), key=lambda p: p.name.lower())
            if (p / "model.json").is_file()]


def save_theme_model(analysis, name: str, root: Path | None = None) -> Path:
    from cxtext.errors import ValidationError

    if analysis is None or analysis.theme_model is None:
        raise ValidationError("There is no theme model to save: run an analysis that finds themes first.")
    name = (name or "").strip()
    if not MODEL_NAME.match(name) or name in (".", ".."):
        raise ValidationError(f"'{_clip(name, 40)}' cannot be a folder name. Use letters, digits, '-', '_' "
                              "or '.', at most 64 characters, e.g. 'q3-themes'.")
    root = root or models_root()
    target = root / name
    if target.exists():
        raise ValidationError(f"models/{name} already exists. Choose another name.")
    root.mkdir(parents=True, exist_ok=True)
    analysis.theme_model.save(target)
    return target


def unpack_theme_model(zip_path: str | Path, into: Path) -> Path:
    """Extract an uploaded theme-model zip safely; returns the folder holding model.json."""
    zip_path = Path(zip_path)
    if not zipfile.is_zipfile(zip_path):
        raise InputError(f"{zip_path.name}: is not a zip file. Upload the zip the Export tab gave you.")
    target = Path(tempfile.mkdtemp(prefix="model-", dir=into))
    with zipfile.ZipFile(zip_path) as archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > 500 * 1024 * 1024:
            raise InputError(f"{zip_path.name}: unpacks to more than 500 MB; that is not a theme model.")
        for info in archive.infolist():
            destination = (target / info.filename).resolve()
            if not destination.is_relative_to(target.resolve()):
                raise InputError(f"{zip_path.name}: holds a path outside the archive ({info.filename}).")
        archive.extractall(target)
    found = sorted(target.rglob("model.json"), key=lambda p: len(p.parts))
    if not found:
        shutil.rmtree(target, ignore_errors=True)
        raise InputError(f"{zip_path.name}: has no model.json, so it is not a saved cxtext theme model.")
    return found[0].parent


def export_files(analysis, out_dir: Path) -> dict[str, Path]:
    """drivers.csv, drivers.xlsx, analysis.xlsx (full workbook), report.html, report.pptx and
    theme_model.zip in ``out_dir``."""
    from cxtext.export import write_xlsx
    from cxtext.report import write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    written = {p.name: p for p in analysis.write(out_dir, formats=["csv", "xlsx"])}
    drivers_xlsx = write_xlsx({"drivers": analysis.drivers}, out_dir / "drivers.xlsx",
                              column_descriptions=analysis.drivers.attrs.get("column_descriptions", {}))
    files = {"drivers_csv": written["drivers.csv"], "drivers_xlsx": Path(drivers_xlsx),
             "workbook": written["analysis.xlsx"]}
    report_html, report_pptx = write_report(analysis, out_dir, ["html", "pptx"])
    files.update({"report_html": Path(report_html), "report_pptx": Path(report_pptx)})
    if analysis.theme_model is not None:
        model_dir = out_dir / "theme_model"
        analysis.theme_model.save(model_dir)
        files["theme_model"] = Path(shutil.make_archive(str(out_dir / "theme_model"), "zip", root_dir=out_dir,
                                                        base_dir="theme_model"))
    return files


def new_session_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="cxtext-session-"))


def remove_session_dir(path: str | Path | None) -> None:
    if path and Path(path).name.startswith("cxtext-session-"):
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- API uploads (app/api.py)


def check_upload(path: str | Path | None, max_bytes: int) -> None:
    """Refuse a missing, oversized or disallowed file before reading it.

    The upload route already enforces ``max_bytes`` and ``gr.File`` the
    types; this repeats both where the file is read, so no other way in
    skips them. ``max_bytes``: the limit in bytes (``CXTEXT_MAX_UPLOAD_MB``).
    """
    if not path:
        raise InputError("No file received. Send a CSV, TSV, XLSX, JSON, JSONL or Parquet file.")
    path = Path(path)
    if path.suffix.lower() not in UPLOAD_TYPES:
        raise InputError(f"{path.name}: files of type '{path.suffix or '(none)'}' are not accepted. "
                         f"Send one of {', '.join(UPLOAD_TYPES)}.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path.name}: is {size / 1024 / 1024:.2f} MB, more than the {max_bytes / 1024 / 1024:.2f} MB "
                         "allowed (CXTEXT_MAX_UPLOAD_MB). Send a smaller file or raise the limit.")


# --------------------------------------------------------------------------- sentiment, kinds, competitors, activity
# (cxtext.social: every analysed comment has a sentiment and a kind, scored or not)

SENTIMENT_RANKING_NOTE = ("**No row has an NPS score, so themes are ranked by their drag on sentiment** "
                          "(sentiment_priority: the sentiment_impact that holds with 95% confidence).")
TENTATIVE_LEAD_NOTE = ("**No theme's drag is statistically clear**: the first themes have fewer than {k} scored "
                       "respondents each, so they are ranked by their estimated drag, the likeliest leads to check "
                       "with their quotes first, not measured effects.")
RATING_RANKING_NOTE = ("**No row has an NPS score, so themes are ranked by their drag on the average rating** "
                       "(the rating_impact that holds with 95% confidence; a rating is never read as NPS).")
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


def competitor_mentions(analysis) -> dict[str, int]:
    """Competitor name -> analysed comments naming it, most mentioned first (empty without a competitor list)."""
    from cxtext.social import competitor_counts

    return competitor_counts(analysis.records)


def sentiment_impact_figure(analysis, level: str | None = None) -> go.Figure:
    """sentiment_impact per theme (or parent theme) with its 95% CI, in driver order (most urgent on top)."""
    drivers, noun = _level_drivers(analysis, level)
    if drivers.empty or "sentiment_impact" not in drivers or drivers["sentiment_impact"].isna().all():
        return empty_figure("No sentiment: this analysis was run without the sentiment stage.")
    table = drivers.dropna(subset=["sentiment_impact"]).iloc[::-1]
    return _impact_bars(
        table, "sentiment_impact", extra=[table["negative_share"].astype(float)],
        hover_extra=", %{customdata[3]:.0%} negative", hover_name="sentiment impact",
        title=f"Sentiment impact per {noun} (points of net sentiment, 95% CI); red = clear drag",
        xaxis_title=f"overall net sentiment minus net sentiment without the {noun}")


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
