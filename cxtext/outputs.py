"""Write an analysis to a folder: summary.json, assignments, themes, drivers.

This composes the writers of :mod:`cxtext.export`; it decides file names and
which table goes in which format. Nothing written here contains an absolute
path of the user's machine.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from cxtext.errors import InputError
from cxtext.pipeline import PipelineConfig
from cxtext.summary import no_themes_reason

QUOTE_SEPARATOR = " | "


class WritableAnalysis(Protocol):
    """What this module reads of an analysis; :class:`cxtext.analysis.Analysis` is one.

    Declared here, not imported: the analysis writes itself through this module
    (``Analysis.write``), so this module, below it, must not import it back.
    """

    summary: dict[str, Any]
    records: pd.DataFrame
    themes: pd.DataFrame
    drivers: pd.DataFrame
    config: PipelineConfig
    theme_model: Any

    @property
    def assignments(self) -> pd.DataFrame: ...

    def drivers_by(self, by: str) -> pd.DataFrame: ...

    def trend(self, freq: str = "M") -> pd.DataFrame: ...

    def scores_by(self, by: str) -> pd.DataFrame: ...

ASSIGNMENT_DESCRIPTIONS = {
    "row": "1-based position of the row in the input file (header excluded).",
    "id": "The input's id column, when mapped.",
    "status": "analyzed, or rejected (see reason).",
    "reason": "Why the row was rejected; empty when analyzed.",
    "theme_id": "Primary theme. -1 unthemed, -2 'no comment' (a non-answer), -3 not themed (rejected).",
    "theme_ids": "Every theme the comment belongs to, ';'-separated, primary first.",
    "theme_label": "Label of the primary theme.",
    "sentiment": "negative, neutral or positive, from the comment's text (every analysed comment, scored or not).",
    "sentiment_score": "P(positive) - P(negative) from the sentiment model, -1 to 1; |score| < 0.2 is neutral.",
    "kind": "complaint, question, suggestion (feature request), praise or other.",
    "competitors": "Competitors named in the comment (from the pipeline's social.competitors list), '; '-separated.",
}
MENTION_DESCRIPTIONS = {
    "row": "The comment's row, as in assignments.csv (a folded duplicate shares its first copy's mentions).",
    "text_column": "The comment's column, when the file has several comment columns.",
    "mention": "0-based position of the mention in its comment (sentences, and clauses joining two topics).",
    "start": "Offset of the mention's first character in the analysed comment text (cleaned, personal data masked).",
    "end": "Offset just past its last character: the mention is text[start:end].",
    "text": "The mention.",
    "theme_id": ("The mention's theme; -1 unthemed. The comment belongs to every theme of its mentions. Theme "
                 "edits: merges and deletions are followed; after a split or a move, assignments.csv has the "
                 "comment's edited themes and this column the mention's theme as fitted."),
    "theme_label": "Label of the mention's theme.",
    "similarity": "Cosine of the mention to its theme; the comment's primary theme is its closest mention's.",
}
THEME_DESCRIPTIONS = {
    "theme_id": "Theme id, the same in assignments and drivers.",
    "label": "Short readable name made from the theme's top keyphrases (editable).",
    "keywords": "Top keyphrases by class-based TF-IDF, '; '-separated.",
    "size": "Rows whose primary theme this is (duplicated social posts included).",
    "share": "size / all themed rows (0-1).",
    "languages": "Languages of the theme's comments, by share.",
    "quotes": "Most representative comments (nearest the theme centre), ' | '-separated.",
    "parent_id": "Parent theme id (themes grouped by similarity; a taxonomy theme's own parent when given).",
    "parent_label": "Parent theme name.",
    "origin": "taxonomy: a theme of the team's taxonomy file (listed even when no comment matched); "
              "discovered: found in the comments.",
}


def tables_for_export(analysis: WritableAnalysis) -> dict[str, pd.DataFrame]:
    """The three tables as written: quotes flattened to text for CSV/XLSX."""
    themes = analysis.themes.copy()
    if "quotes" in themes:
        themes["quotes"] = [QUOTE_SEPARATOR.join(q) if isinstance(q, (list, tuple)) else str(q)
                            for q in themes["quotes"]]
    return {"drivers": analysis.drivers, "themes": themes, "assignments": analysis.assignments}


def column_descriptions(analysis: WritableAnalysis) -> dict[str, dict[str, str]]:
    return {
        "drivers": dict(analysis.drivers.attrs.get("column_descriptions", {})),
        "themes": THEME_DESCRIPTIONS,
        "assignments": ASSIGNMENT_DESCRIPTIONS,
    }


def write_analysis(analysis: WritableAnalysis, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write the analysis into ``out_dir`` (created if needed); returns the files written.

    Always: summary.json, assignments.csv, themes.csv, drivers.csv.
    ``xlsx`` adds analysis.xlsx (every table, the summary and a sheet
    describing every column); ``parquet`` and ``json`` add one file per table.
    """
    from cxtext import export

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {out_dir}: {exc.strerror}. "
                         "Choose another --out folder.") from exc
    tables = tables_for_export(analysis)
    summary = summary_with_reasons(analysis)
    written = [write_summary(summary, out_dir / "summary.json")]
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        export.write_csv(frame, path)
        written.append(path)
    mentions = mentions_for_export(analysis)
    if mentions is not None:  # only when the pipeline themes mentions (themes.mentions)
        path = out_dir / "mentions.csv"
        export.write_csv(mentions, path)
        written.append(path)
    breakdowns = score_breakdowns(analysis)
    for by, frame in breakdowns.items():  # a score-only export: its scores per source, segment, month
        path = out_dir / f"scores_by_{by}.csv"
        export.write_csv(frame, path)
        written.append(path)
    for by in [] if summary.get("themes_skipped") else analysis.config.params["drivers"]["by"] or []:
        path = out_dir / f"drivers_by_{by}.csv"
        export.write_csv(analysis.drivers_by(by), path)
        written.append(path)
    freq = analysis.config.params["drivers"]["trend"]
    if freq and analysis.records["date"].notna().any() and not analysis.themes.empty:
        path = out_dir / "trends.csv"
        export.write_csv(analysis.trend(freq), path)
        written.append(path)
    if "xlsx" in formats:
        path = out_dir / "analysis.xlsx"
        sheets = {**tables, **{f"scores_by_{by}": frame for by, frame in breakdowns.items()},
                  "summary": summary_frame(summary)}
        descriptions = {f"{table}.{col}": text for table, cols in column_descriptions(analysis).items()
                        for col, text in cols.items()}
        export.write_xlsx(sheets, path, column_descriptions=descriptions)
        written.append(path)
    for fmt, writer in (("parquet", export.write_parquet), ("json", export.write_json)):
        if fmt in formats:
            for name, frame in tables.items():
                path = out_dir / f"{name}.{fmt}"
                writer(frame if fmt == "json" else _parquet_safe(frame), path)
                written.append(path)
    return written


def score_breakdowns(analysis: WritableAnalysis) -> dict[str, pd.DataFrame]:
    """A score-only export's scores per group (``scores_by_<group>.csv``): per source, segment and month
    when the file has them (and any ``drivers.by`` asked for); empty for an analysis with comments."""
    if not analysis.summary.get("themes_skipped"):
        return {}
    records = analysis.records
    present = {"source": records["source"].notna().any(), "segment": records["segment"].notna().any(),
               "month": records["date"].notna().any()}
    asked = analysis.config.params["drivers"]["by"] or []
    return {by: analysis.scores_by(by) for by in ("source", "segment", "month") if present[by] or by in asked}


def mentions_for_export(analysis: WritableAnalysis) -> pd.DataFrame | None:
    """mentions.csv (columns of ``MENTION_DESCRIPTIONS``), or None when the analysis has no mentions."""
    mentions = getattr(analysis, "mentions", None)
    if mentions is None:
        return None
    labels = dict(zip(analysis.themes["theme_id"], analysis.themes["label"])) if len(analysis.themes) else {}
    out = mentions.copy()
    out["theme_label"] = [labels.get(int(t), "") for t in out["theme_id"]]
    return out[[c for c in MENTION_DESCRIPTIONS if c in out.columns]]


def summary_with_reasons(analysis: WritableAnalysis) -> dict[str, Any]:
    """The summary, plus ``no_themes_reason`` when there is no theme: an empty
    themes.csv and drivers.csv must say why, not look like a failed run."""
    summary = analysis.summary
    if summary.get("theme_count") or summary.get("no_themes_reason"):
        return summary
    return {**summary, "no_themes_reason": no_themes_reason(summary, analysis.config, analysis.theme_model)}


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype("string")
    return out


def summary_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary flattened to (metric, value) rows for a spreadsheet."""
    rows = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            rows.append({"metric": prefix, "value": json.dumps(value, ensure_ascii=False, default=str)
                         if isinstance(value, (list, tuple)) else value})

    walk("", summary)
    return pd.DataFrame(rows, columns=["metric", "value"])


def write_summary(summary: dict[str, Any], path: Path) -> Path:
    """Write summary.json atomically (temp file, then rename)."""
    text = json.dumps(summary, ensure_ascii=False, indent=2, default=_json_default)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".summary-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temp, path)
    return path


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return str(value)
