"""Upload tab: read the file, detect the columns with their reasons, check the mapping, run the analysis."""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from cxtext.errors import ColumnMappingError, CxtextError, InputError
from cxtext.io.columns import detect_columns
from cxtext.io.read import LoadedTable, read_table
from cxtext.schema import ROLES
from app.tabs.common import NONE, PREVIEW_ROWS, ROLE_LABELS, STAGES, UPLOAD_TYPES, _clip, _missing, log


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
    # a score-only export: the library analyses its scores without themes; the page says so before Run
    note = SCORES_ONLY_NOTE if decision.scores_only else ""
    return PageMapping({role: mapping.get(role) or NONE for role in ROLES}, list(decision.mapping.extra_text), note,
                       reasons_html(table, decision.lines()))


SCORES_ONLY_NOTE = ("No column holds free-text comments: Run analysis shows the scores (NPS with its 95% CI, CES, "
                    "CSAT, rating) and the rejected rows, without themes.")


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


def check_rows(table: LoadedTable, roles: dict[str, str | None], ces_scale: str = "auto",
               ces_easy_end: str = "auto") -> None:
    """Refuse a mapping under which the library would reject every row.

    Runs the library's own row validation (fast: no text processing), so a
    score column mapped to the wrong column, or a wrong CES scale, gets a
    message naming the reasons instead of an empty analysis.
    """
    from cxtext.errors import ValidationError
    from cxtext.schema import STATUS_ANALYZED, ScoreScale
    from cxtext.validate import validate

    from cxtext.io.profile import profile_column
    from cxtext.io.scales import ces_scale_of, rating_scale_of
    from cxtext.io.warnings import ROLE_NAMES

    mapping = _role_mapping(roles)
    # the rating's scale as the analysis will detect it, so a 1-10 review score is not refused as "outside 1-5"
    rating_scale = rating_scale_of(table.frame[mapping.rating]) if mapping.rating else None
    scale = ScoreScale.parse("1-7")  # no CES column: never read
    if mapping.ces:  # "auto": as the analysis will read it, from the CES question and values
        scale, _ = ces_scale_of(profile_column(table.frame[mapping.ces]), mapping.ces, table.questions.get(mapping.ces),
                                *(None if v == "auto" else v for v in (ces_scale, ces_easy_end)))
    records = validate(table.frame, mapping, scale, source_name=table.name,
                       rating_scale=rating_scale)
    rejected = records[records["status"] != STATUS_ANALYZED]
    examples = "; ".join(f"row {row}: {_clip(reason, 90)}" for row, reason in
                         zip(rejected["row"].head(3), rejected["reason"].head(3)))
    if rejected.empty:
        return
    if len(rejected) == len(records):
        raise ValidationError(
            f"No row of {table.name} can be analysed with this mapping: all {len(records):,} rows are rejected "
            f"({examples}). Check the columns chosen for the comment and the scores, and the CES scale.")
    # a score column none of whose values can be read (an id column mapped as the NPS, whose one "na" is no
    # answer): the analysis would stand on the few rows without a value
    for role, name in ROLE_NAMES.items():
        column = getattr(mapping, role)
        if column and records[role].notna().sum() == 0 and rejected["reason"].astype(str).str.startswith(
                f"{name} '").sum() >= 0.5 * len(records):
            raise ValidationError(
                f"No row of {table.name} has a usable {name} in column '{column}' with this mapping: "
                f"{len(rejected):,} of {len(records):,} rows are rejected ({examples}). Check the column chosen "
                f"for the {name}.")


def check_roles(table: LoadedTable | None, roles: dict[str, str | None]) -> None:
    if table is None:
        raise InputError("Upload a file first (or reload the page to get the sample back).")
    if not roles.get("text") and not any(roles.get(role) for role in ("nps", "ces", "csat", "rating")):
        raise ColumnMappingError("Choose the column that holds the comments (Comment text), or a score column "
                                 "(NPS, CES, CSAT or rating) to see the scores alone.")
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
    ces_scale: str = "auto",
    ces_easy_end: str = "auto",
    themes: str | Path | None = None,
    pipeline: str = "survey_comments",
    progress: Callable[[str, int, int], None] | None = None,
    taxonomy: str | Path | None = None,
    competitors: str | None = None,
    mentions: bool = False,
    taxonomy_rule: str = "auto",
):
    """``cxtext.analyze`` on an uploaded table with the mapping chosen in the page.

    Only the mapped columns are handed over, so a role set to "(none)" stays
    unmapped (the library would otherwise auto-detect it again). ``taxonomy``:
    a taxonomy file (:func:`cxtext.themes.taxonomy.load_taxonomy`) whose themes come
    first (``origin`` "taxonomy" in the theme table). ``competitors``: names as
    typed in the page, "Vodafone: Vodafone RO, فودافون; Orange"
    (:func:`cxtext.social.competitors.parse_competitors`). ``mentions``: theme each mention of long
    comments (the pipeline's ``themes.mentions``). ``taxonomy_rule``: how comments are matched to the
    taxonomy, "auto", "relative" or "cluster" (the pipeline's ``themes.taxonomy_rule``).
    """
    import cxtext
    from cxtext.pipeline import load_pipeline

    check_roles(table, roles)
    check_rows(table, roles, ces_scale, ces_easy_end)
    mapped = {role: column for role, column in roles.items() if column}
    columns = list(dict.fromkeys(c for v in mapped.values() for c in (v if isinstance(v, list) else [v])))
    data = replace(table, frame=table.frame[columns])
    theme_overrides = {**({"mentions": True} if mentions else {}),
                       **({"taxonomy_rule": taxonomy_rule} if taxonomy and taxonomy_rule != "auto" else {})}
    analysis = cxtext.analyze(data, **mapped, ces_scale=ces_scale, ces_easy_end=ces_easy_end,
                              themes=themes or None, progress=progress,
                              pipeline=load_pipeline(pipeline).with_overrides({"themes": theme_overrides})
                              if theme_overrides else pipeline,
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
    """Check an uploaded taxonomy file (:func:`cxtext.themes.taxonomy.load_taxonomy`) and keep a copy in the
    session folder; returns (the copy, a message naming its themes)."""
    from cxtext.themes.taxonomy import load_taxonomy

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
