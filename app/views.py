"""One function per tab: each builds its components and returns them in a namespace.

``fill_*`` functions turn an :class:`cxtext.analysis.Analysis` into
``{component: value}`` updates for one tab, using :mod:`app.adapters`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import gradio as gr
import pandas as pd

from app import adapters
from cxtext.schema import ROLES
from cxtext.themes.taxonomy_match import RELATIVE_RULE_MIN_COMMENTS

CSS = """
.cx-headline {font-size: 1.05rem; padding: 6px 2px;}
.cx-msg {padding: 8px 12px; border-radius: 6px; margin: 4px 0; border: 1px solid; white-space: pre-wrap;}
.cx-msg-info {background: #eef5fc; border-color: #b3d4f5; color: #123;}
.cx-msg-ok {background: #edf7ee; border-color: #a8d5ab; color: #1b4d1f;}
.cx-msg-warn {background: #fff8e1; border-color: #f0d58a; color: #5c4400;}
.cx-msg-error {background: #fdecea; border-color: #f4b4ae; color: #7a1a12;}
.cx-cards {display: flex; flex-wrap: wrap; gap: 12px;}
.cx-card {flex: 1 1 220px; border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; background: #fff;}
.cx-card-title {font-size: .85rem; color: #555; text-transform: uppercase; letter-spacing: .04em;}
.cx-card-value {font-size: 1.9rem; font-weight: 600; margin: 2px 0; color: #111;}
.cx-card-detail {font-size: .85rem; color: #444; line-height: 1.4;}
.cx-theme h3 {margin: 0 0 6px 0;}
.cx-theme-stats {color: #333; margin-bottom: 8px;}
.cx-row {margin: 6px 0;}
.cx-chip {display: inline-block; background: #eef1f6; border-radius: 10px; padding: 1px 8px; margin: 2px;
  font-size: .85rem; color: #223;}
.cx-quotes {margin: 4px 0 0 0;}
.cx-theme .cx-quote {margin: 4px 0 !important; padding: 1px 0 !important; padding-inline-start: 10px !important;
  border-inline-start: 3px solid #c9d3e3; text-align: start; color: #222; font-style: normal;}
.cx-quote .cx-context {color: #6b7280;}
.cx-quote .cx-mention {background: #fdf1c4; color: inherit; padding: 0 1px;}
.cx-comments {border-collapse: collapse; width: 100%; font-size: .9rem;}
.cx-comments th, .cx-comments td {border-bottom: 1px solid #e4e4e4; padding: 4px 6px; vertical-align: top;
  text-align: start;}
.cx-comments td.cx-text {unicode-bidi: plaintext; width: 60%;}
.cx-comments th {background: #f5f5f5;}
.cx-tree {font-size: .92rem;}
.cx-tree-title {color: #555; margin-bottom: 4px;}
.cx-tree-parent {border: 1px solid #e2e6ee; border-radius: 6px; padding: 4px 10px; margin: 4px 0; background: #fbfcfe;}
.cx-tree-parent summary {cursor: pointer;}
.cx-tree-parent ul {margin: 4px 0 2px 0; padding-inline-start: 22px;}
.cx-tree-stats {color: #555; font-size: .85rem;}
.cx-fix {border: 1px solid #e2c9c6; background: #fffaf9; border-radius: 8px; padding: 8px 12px; margin: 4px 0;}
.cx-fix-items {display: flex; flex-wrap: wrap; gap: 12px; margin-top: 6px;}
.cx-fix-item {flex: 1 1 280px; min-width: 0;}
.cx-fix-stats {color: #333; font-size: .9rem;}
#drivers-table th .header-content, #drivers-table th span.header.text {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; overflow-wrap: break-word; hyphens: auto;
  font-family: var(--font); font-size: .78rem; line-height: 1.25;}
#drivers-table th .cell-wrap {padding: 6px 4px;}
#drivers-table td .cell-wrap {white-space: normal; overflow-wrap: break-word; padding: 6px;}
"""


def empty_grid(*columns: str) -> pd.DataFrame:
    """An empty grid with meaningful headers (Gradio shows "1 2 3" for no value)."""
    return pd.DataFrame(columns=list(columns))


def _msg() -> gr.HTML:
    return gr.HTML("", padding=False)


def upload_tab(max_upload_mb: float | None = None) -> SimpleNamespace:
    limit = f" (up to {round(max_upload_mb, 2):g} MB)" if max_upload_mb else ""
    with gr.Tab("Upload", id="upload"):
        gr.Markdown("**1. Upload** a comment export (CSV, TSV, XLSX, JSON, JSONL or Parquet). "
                    "**2. Check** which column plays which role. **3. Run.**")
        file = gr.File(label=f"Drop a feedback file here, or click to choose one{limit}",
                       file_types=adapters.UPLOAD_TYPES,
                       type="filepath", elem_id="upload-file", height=120)
        message = _msg()
        preview = gr.Dataframe(empty_grid("no file yet"), label="First rows of the file", interactive=False,
                               max_height=260, wrap=False, elem_id="preview")
        gr.Markdown("**Column mapping** (pre-filled from the headers; set a role to (none) if the file lacks it)")
        roles: dict[str, gr.Dropdown] = {}
        for chunk in (ROLES[:5], ROLES[5:]):
            with gr.Row():
                for role in chunk:
                    roles[role] = gr.Dropdown(choices=[adapters.NONE], value=adapters.NONE,
                                              label=adapters.ROLE_LABELS[role], elem_id=f"role-{role}",
                                              interactive=True)
            if chunk[0] == "text":
                extra_text = gr.Dropdown(choices=[], value=[], multiselect=True, elem_id="role-extra-text",
                                         label="More comment columns (each non-empty cell is a comment of its row)",
                                         interactive=True)
        reasons = gr.HTML("", padding=False, elem_id="mapping-reasons-box")
        with gr.Row():
            ces_scale = gr.Radio([("read from the question and values", "auto"), "1-4", "1-5", "1-7"], value="auto",
                                 label="CES scale", elem_id="ces-scale")
            ces_easy = gr.Radio([("read from the question", "auto"), ("the highest number means very easy", "high"),
                                 ("the lowest number (1) means very easy", "low")], value="auto",
                                label="Which end of the CES scale is easy?", elem_id="ces-easy")
            pipeline = gr.Dropdown([("Survey comments", "survey_comments"), ("Social mentions", "social_mentions")],
                                   value="survey_comments", label="Pipeline", elem_id="pipeline")
        with gr.Row():
            model = gr.Dropdown(choices=[(adapters.DISCOVER, "")], value="", label="Themes",
                                info="discover new themes, or reuse a saved theme model from models/",
                                elem_id="theme-model", scale=3)
            model_zip = gr.File(label="…or upload a saved theme model (.zip)", file_types=[".zip"],
                                type="filepath", height=90, scale=2, elem_id="model-zip")
        with gr.Row():
            taxonomy = gr.File(label="Optional: your own taxonomy (CSV/TSV/TXT/XLSX/YAML: theme, description, "
                                     "examples, parent); its themes come first, the rest are discovered",
                               file_types=adapters.TAXONOMY_TYPES, type="filepath", height=90,
                               elem_id="taxonomy-file", scale=3)
            taxonomy_message = gr.HTML("", padding=False, elem_id="taxonomy-message")
            taxonomy_rule = gr.Radio([("Automatic", "auto"), ("Close comments only", "relative"),
                                      ("Whole discovered themes", "cluster")], value="auto",
                                     label="Taxonomy matching",
                                     info=f"automatic: close comments only from {RELATIVE_RULE_MIN_COMMENTS:,} comments, whole themes "
                                          "below; "
                                          "whole themes match more and pull in more of the other comments",
                                     elem_id="taxonomy-rule", scale=2)
        competitors = gr.Textbox(label="Optional: competitors to look for in the comments",
                                 placeholder="Vodafone: Vodafone RO, فودافون; Orange",
                                 info="one per line or separated by ';'; aliases after ':' separated by commas "
                                      "(case, diacritics, Arabic letter variants and hashtags are matched)",
                                 elem_id="competitors")
        mentions = gr.Checkbox(value=False, label="Theme each mention of long comments",
                               info="comments of 20+ words are split into sentences and clauses; each is themed and "
                                    "the comment is listed under every theme it speaks of (reviews that speak of "
                                    "several things); quotes show the mention in its comment",
                               elem_id="mentions")
        run = gr.Button("Run analysis", variant="primary", elem_id="run")
        run_message = gr.HTML("", padding=False, elem_id="run-message")
        with gr.Accordion("Past analyses", open=False, elem_id="history"):
            gr.Markdown("Every analysis run here or with `cxtext analyze` is kept, with its theme edits as saved "
                        "at the time. Reopen one to explore it again without re-running.")
            with gr.Row():
                past = gr.Dropdown(choices=[], value=None, label="Past analysis", elem_id="past-analysis", scale=4)
                reopen = gr.Button("Open", elem_id="open-past", scale=1)
    return SimpleNamespace(file=file, message=message, preview=preview, roles=roles, extra_text=extra_text,
                           reasons=reasons, ces_scale=ces_scale,
                           ces_easy=ces_easy, pipeline=pipeline, model=model, model_zip=model_zip,
                           taxonomy=taxonomy, taxonomy_message=taxonomy_message, taxonomy_rule=taxonomy_rule,
                           competitors=competitors, mentions=mentions, run=run,
                           run_message=run_message, past=past, reopen=reopen)


def overview_tab() -> SimpleNamespace:
    with gr.Tab("Overview", id="overview"):
        cards = gr.HTML(adapters.message_html("Run an analysis to see the overview."), elem_id="overview")
        rejected = gr.Dataframe(empty_grid("row", "reason"), label="Rejected rows and why", interactive=False,
                                max_height=320, wrap=True, elem_id="rejected")
    return SimpleNamespace(cards=cards, rejected=rejected)


def fill_overview(ui: SimpleNamespace, analysis) -> dict[Any, Any]:
    rejected = adapters.rejected_frame(analysis)
    label = f"Rejected rows and why ({len(rejected)})" if len(rejected) else "Rejected rows: none, every row was analysed"
    return {ui.cards: adapters.overview_html(analysis), ui.rejected: gr.update(value=rejected, label=label)}


def drivers_tab() -> SimpleNamespace:
    with gr.Tab("Drivers", id="drivers"):
        heading = gr.Markdown("Themes ranked by **priority**: the NPS drag that holds with 95% confidence. "
                              "Sort by any column with the ⋮ button in its header.", elem_id="drivers-heading")
        fix = gr.HTML("", elem_id="fix-first-box", padding=False)
        with gr.Row():
            level = gr.Radio(adapters.DRIVER_LEVELS, value="theme", label="Drivers of", elem_id="drivers-level",
                             scale=3)
            technical = gr.Checkbox(False, label="Show technical columns (ids, p- and q-values, odds ratios, "
                                                 "priority, every score column)", elem_id="drivers-technical", scale=2)
        table = gr.Dataframe(empty_grid("#", "Theme", "Comments"), label="Theme drivers",
                             interactive=False, max_height=420, wrap=True,
                             elem_id="drivers-table", pinned_columns=2)
        with gr.Accordion("What the columns mean", open=False):
            notes = gr.Markdown(elem_id="drivers-notes")
        impact = gr.Plot(label="NPS impact", elem_id="impact-plot")
        scatter = gr.Plot(label="Volume vs NPS", elem_id="scatter-plot")
        ces = gr.Plot(label="CES gap", elem_id="ces-plot")
    return SimpleNamespace(heading=heading, level=level, table=table, notes=notes, impact=impact, scatter=scatter,
                           ces=ces, fix=fix, technical=technical)


def plot_update(figure, label: str | None = None):
    """A chart panel: shown with ``figure``, hidden (not left empty) when there is nothing to show (None)."""
    if figure is None:
        return gr.update(value=None, visible=False)
    return gr.update(value=figure, visible=True, **({"label": label} if label else {}))


def driver_table_update(analysis, level: str = "theme", technical: bool = False):
    """The driver grid: the plain view (:func:`adapters.drivers_view`), or every column with ``technical``."""
    label = "Theme drivers" if level == "theme" else "Parent theme drivers"
    if technical:
        frame = adapters.drivers_frame(analysis, level)
        return gr.update(value=frame, column_widths=adapters.drivers_widths(frame), label=label)
    frame = adapters.drivers_view(analysis, level)
    return gr.update(value=frame, column_widths=adapters.drivers_view_widths(frame), label=label)


def fill_driver_level(ui: SimpleNamespace, analysis, level: str = "theme", technical: bool = False) -> dict[Any, Any]:
    """The driver table, its notes and the three charts at one level ("theme" or "parent"); charts with
    nothing to show for the file's outcome are hidden."""
    out = adapters.outcome(analysis, level)
    return {ui.table: driver_table_update(analysis, level, technical),
            ui.notes: adapters.drivers_note(analysis, level),
            ui.impact: plot_update(adapters.impact_figure(analysis, level), f"{out.title}: {out.drag_name}"),
            ui.scatter: plot_update(adapters.volume_nps_figure(analysis, level), f"Volume vs {out.name}"),
            ui.ces: plot_update(adapters.ces_figure(analysis, level))}


def fill_drivers(ui: SimpleNamespace, analysis) -> dict[Any, Any]:
    return {**fill_driver_level(ui, analysis, "theme"), ui.level: "theme", ui.technical: False,
            ui.heading: adapters.drivers_heading(analysis), ui.fix: adapters.fix_first_html(analysis)}


def themes_tab() -> SimpleNamespace:
    with gr.Tab("Themes", id="themes"):
        with gr.Accordion("Themes under their parent themes", open=True, elem_id="theme-tree-box"):
            tree = gr.HTML(elem_id="theme-tree")
        picker = gr.Dropdown(choices=[], label="Theme (ordered by driver rank; size in brackets)",
                             elem_id="theme-picker", interactive=True)
        with gr.Row():
            with gr.Column(scale=3):
                detail = gr.HTML(elem_id="theme-detail")
            with gr.Column(scale=2):
                histogram = gr.Plot(label="Score distribution", elem_id="theme-histogram")
        with gr.Row():
            previous = gr.Button("◀ Previous", size="sm", elem_id="page-prev", scale=0, min_width=110)
            page_label = gr.Markdown(elem_id="page-label")
            following = gr.Button("Next ▶", size="sm", elem_id="page-next", scale=0, min_width=110)
        comments = gr.HTML(elem_id="theme-comments")
        page = gr.State(0)
    return SimpleNamespace(tree=tree, picker=picker, detail=detail, histogram=histogram, previous=previous,
                           page_label=page_label, following=following, comments=comments, page=page)


def fill_theme(ui: SimpleNamespace, analysis, theme_id, page: int = 0) -> dict[Any, Any]:
    table, label, page = adapters.theme_comments(analysis, theme_id, page)
    return {ui.detail: adapters.theme_detail_html(analysis, theme_id),
            ui.histogram: plot_update(adapters.theme_score_figure(analysis, theme_id),
                                      f"{adapters.outcome(analysis).name} distribution"),
            ui.comments: table, ui.page_label: label, ui.page: page}


def fill_themes(ui: SimpleNamespace, analysis, keep: Any = None) -> dict[Any, Any]:
    choices = adapters.theme_choices(analysis)
    ids = [value for _, value in choices]
    selected = keep if keep in ids else (ids[0] if ids else None)
    return {ui.tree: adapters.theme_tree_html(analysis), ui.picker: gr.update(choices=choices, value=selected),
            **fill_theme(ui, analysis, selected, 0)}


def map_tab() -> SimpleNamespace:
    with gr.Tab("Map", id="map") as tab:
        note = gr.HTML(adapters.message_html("The map is drawn when you open this tab (a few seconds)."))
        plot = gr.Plot(label="Comment map", elem_id="map-plot")
    return SimpleNamespace(tab=tab, note=note, plot=plot)


def trends_tab() -> SimpleNamespace:
    with gr.Tab("Trends & sources", id="trends"):
        trend_note = gr.HTML()
        volume = gr.Plot(label="Theme volume by month", elem_id="trend-volume")
        nps = gr.Plot(label="Theme NPS by month", elem_id="trend-nps")
        compare = gr.Radio(adapters.COMPARE_CHOICES, value=adapters.COMPARE_KIND, label="Compare",
                           elem_id="compare")
        source_note = gr.HTML()
        sources = gr.Dataframe(empty_grid("theme"), label="Themes side by side", interactive=False, max_height=420,
                               elem_id="source-table", pinned_columns=1)
        source_plot = gr.Plot(label="Theme share by source", elem_id="source-plot")
        activity = activity_section()
    return SimpleNamespace(trend_note=trend_note, volume=volume, nps=nps, compare=compare,
                           source_note=source_note, sources=sources, source_plot=source_plot, activity=activity)


def fill_compare(ui: SimpleNamespace, analysis, compare: str) -> dict[Any, Any]:
    table, figure, note = adapters.source_view(analysis, compare)
    widths = ["250px" if i == 0 else f"{max(90, 9 * len(str(c)) + 24)}px" for i, c in enumerate(table.columns)]
    return {ui.sources: gr.update(value=table, column_widths=widths or None), ui.source_plot: figure,
            ui.source_note: adapters.message_html(note)}


def fill_trends(ui: SimpleNamespace, analysis, compare: str | None = None) -> dict[Any, Any]:
    volume, nps, trend_note = adapters.trend_figures(analysis)
    choices = adapters.compare_choices(analysis)
    values = [value for _, value in choices]
    compare = compare if compare in values else (values[0] if values else adapters.COMPARE_KIND)
    return {ui.volume: plot_update(volume), ui.nps: plot_update(nps, f"Theme {adapters.outcome(analysis).name} by month"),
            ui.trend_note: adapters.message_html(trend_note),
            ui.compare: gr.update(choices=choices or adapters.COMPARE_CHOICES[:1], value=compare),
            **fill_compare(ui, analysis, compare), **fill_activity(ui.activity, analysis)}


def activity_section() -> SimpleNamespace:
    """Mentions by weekday x hour per source, in a timezone the user types (inside the Trends tab)."""
    gr.Markdown("**When people post**: mentions by weekday and hour of day, per source")
    with gr.Row():
        timezone = gr.Textbox(adapters.DEFAULT_TIMEZONE, label="Timezone (IANA name, e.g. Europe/Bucharest, "
                              "Asia/Riyadh); press Enter", elem_id="activity-timezone", scale=2)
        note = gr.HTML(elem_id="activity-note")
    plot = gr.Plot(label="Activity by weekday and hour", elem_id="activity-plot")
    return SimpleNamespace(timezone=timezone, note=note, plot=plot)


def activity_outputs(ui: SimpleNamespace) -> list:
    return [ui.timezone, ui.note, ui.plot]


def fill_activity(ui: SimpleNamespace, analysis, timezone: str | None = None) -> dict[Any, Any]:
    """The heatmaps in ``timezone``; a new analysis (``timezone`` None) starts again in UTC."""
    shown = (timezone or "").strip() or adapters.DEFAULT_TIMEZONE
    try:
        _, figure, note = adapters.activity_view(analysis, shown)
    except Exception as exc:  # noqa: BLE001 - an unknown timezone is explained next to the box
        return {ui.note: adapters.message_html(adapters.error_text(exc), "error")}
    return {ui.timezone: shown, ui.note: adapters.message_html(note), ui.plot: figure}


def edit_tab() -> SimpleNamespace:
    with gr.Tab("Edit themes", id="edit"):
        gr.Markdown("Edits recompute the drivers and charts at once; nothing is embedded again.")
        table = gr.Dataframe(empty_grid("theme_id", "label", "size", "share", "keywords"), label="Themes",
                             interactive=False, max_height=300, wrap=True, elem_id="themes-table")
        with gr.Row():
            rename_id = gr.Dropdown(choices=[], label="Rename theme", elem_id="rename-theme", scale=2)
            rename_label = gr.Textbox(label="New label", elem_id="rename-label", scale=2)
            rename = gr.Button("Rename", elem_id="rename-button", scale=1)
        with gr.Row():
            merge_ids = gr.Dropdown(choices=[], multiselect=True, label="Merge themes (two or more)",
                                    elem_id="merge-themes", scale=2)
            merge_label = gr.Textbox(label="Label of the merged theme (optional)", elem_id="merge-label", scale=2)
            merge = gr.Button("Merge", elem_id="merge-button", scale=1)
        with gr.Row():
            delete_id = gr.Dropdown(choices=[], label="Delete theme (its comments become unthemed)",
                                    elem_id="delete-theme", scale=4)
            delete = gr.Button("Delete", variant="stop", elem_id="delete-button", scale=1)
        with gr.Row():
            split_id = gr.Dropdown(choices=[], label="Split theme (re-cluster its comments)", elem_id="split-theme",
                                   scale=3)
            split_n = gr.Number(value=None, precision=0, minimum=2, label="Parts (empty: chosen automatically)",
                                elem_id="split-n", scale=1)
            split = gr.Button("Split", elem_id="split-button", scale=1)
        with gr.Row():
            move_rows = gr.Textbox(label="Move comments: row numbers (the 'row' column in the Themes tab)",
                                   placeholder="e.g. 3, 4, 9 or 10-12", elem_id="move-rows", scale=2)
            move_to = gr.Dropdown(choices=[], label="…to theme", elem_id="move-to", scale=2)
            move = gr.Button("Move", elem_id="move-button", scale=1)
        message = _msg()
        with gr.Accordion("Suggestions: likely merges and splits", open=True, elem_id="suggestions-box"):
            gr.Markdown("Themes whose comments point the same way or share their keywords (merge), and themes "
                        "holding two clear sub-groups, or two parts whose detractor rates (or ratings) differ (split), with the "
                        "evidence. Finding them re-clusters each "
                        "theme in two: a few seconds.")
            find = gr.Button("Find suggestions", elem_id="suggest-button")
            suggestions = gr.Dataframe(empty_grid("#", "kind", "themes", "evidence", "parts", "score"),
                                       label="Suggestions", interactive=False, max_height=320, wrap=True,
                                       elem_id="suggestions-table")
            with gr.Row():
                suggest_pick = gr.Dropdown(choices=[], label="Suggestion to apply", elem_id="suggest-pick", scale=4)
                apply = gr.Button("Apply", variant="primary", elem_id="apply-suggestion", scale=1)
        gr.Markdown("**Save the theme model** to reuse these themes (with your edits) on the next file you analyse.")
        with gr.Row():
            save_name = gr.Textbox(label="Folder name under models/", placeholder="e.g. q3-themes",
                                   elem_id="save-name", scale=4)
            save = gr.Button("Save theme model", elem_id="save-button", scale=1)
        save_message = _msg()
    return SimpleNamespace(table=table, rename_id=rename_id, rename_label=rename_label, rename=rename,
                           merge_ids=merge_ids, merge_label=merge_label, merge=merge, delete_id=delete_id,
                           delete=delete, split_id=split_id, split_n=split_n, split=split, move_rows=move_rows,
                           move_to=move_to, move=move, message=message, find=find, suggestions=suggestions,
                           suggest_pick=suggest_pick, apply=apply, save_name=save_name, save=save,
                           save_message=save_message)


def fill_edit(ui: SimpleNamespace, analysis) -> dict[Any, Any]:
    choices = adapters.theme_choices(analysis)
    frame = adapters.themes_frame(analysis)
    widths = {"theme_id": "100px", "label": "300px", "origin": "110px", "size": "80px", "share": "80px",
              "keywords": "600px"}
    return {ui.table: gr.update(value=frame, column_widths=[widths.get(c, "120px") for c in frame.columns]),
            ui.rename_id: gr.update(choices=choices, value=None), ui.rename_label: "",
            ui.merge_ids: gr.update(choices=choices, value=[]), ui.merge_label: "",
            ui.delete_id: gr.update(choices=choices, value=None),
            ui.split_id: gr.update(choices=choices, value=None), ui.split_n: None, ui.move_rows: "",
            ui.move_to: gr.update(choices=adapters.move_targets(analysis), value=None),
            **fill_suggestions(ui, None)}


def fill_suggestions(ui: SimpleNamespace, suggestions: pd.DataFrame | None) -> dict[Any, Any]:
    """The suggestions table and the Apply picker (empty until 'Find suggestions' is pressed)."""
    choices = adapters.suggestion_choices(suggestions)
    label = "Suggestions" if suggestions is None else (
        f"Suggestions ({len(suggestions)})" if len(suggestions) else
        "Suggestions: none, no two themes look alike and no theme has two clear sub-groups or two parts whose "
        "scores differ (detractor rate, or rating without NPS)")
    return {ui.suggestions: gr.update(value=adapters.suggestions_view(suggestions), label=label,
                                      column_widths=["50px", "70px", "260px", "420px", "360px", "70px"]),
            ui.suggest_pick: gr.update(choices=choices, value=choices[0][1] if choices else None)}


def export_tab() -> SimpleNamespace:
    with gr.Tab("Export", id="export") as tab:
        gr.Markdown("Files for the current analysis (with your theme edits). They are written to a temporary "
                    "folder of your session when you open this tab.")
        message = _msg()
        with gr.Row():
            drivers_csv = gr.DownloadButton("Drivers (CSV)", visible=False, elem_id="dl-drivers-csv")
            drivers_xlsx = gr.DownloadButton("Drivers (XLSX)", visible=False, elem_id="dl-drivers-xlsx")
            workbook = gr.DownloadButton("Full workbook (analysis.xlsx)", visible=False, elem_id="dl-workbook")
            model = gr.DownloadButton("Theme model (zip)", visible=False, elem_id="dl-model")
        with gr.Row():
            report_html = gr.DownloadButton("Report (HTML, one file)", visible=False, elem_id="dl-report-html")
            report_pptx = gr.DownloadButton("Slides (PPTX)", visible=False, elem_id="dl-report-pptx")
    return SimpleNamespace(tab=tab, message=message, drivers_csv=drivers_csv, drivers_xlsx=drivers_xlsx,
                           workbook=workbook, model=model, report_html=report_html, report_pptx=report_pptx)


def fill_export(ui: SimpleNamespace, files: dict | None) -> dict[Any, Any]:
    files = files or {}
    buttons = {"drivers_csv": ui.drivers_csv, "drivers_xlsx": ui.drivers_xlsx, "workbook": ui.workbook,
               "theme_model": ui.model, "report_html": ui.report_html, "report_pptx": ui.report_pptx}
    return {button: gr.update(value=str(files[key]) if key in files else None, visible=key in files)
            for key, button in buttons.items()}
