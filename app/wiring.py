"""The page's events: each callback reads the session, calls :mod:`app.adapters` (the library) and
returns what to show; the page is re-rendered from a new Analysis after a run, a reopen or an edit.

Called inside ``gr.Blocks`` by :func:`app.main.build_app` on the components of :func:`app.layout.build_page`.
Callback names and their order stay as they are: Gradio names the events' endpoints after them.
"""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr

from app import adapters, views
from app.layout import Page
from app.session import SampleCache, session_of
from app.settings import HEAVY
from cxtext.schema import ROLES


def wire(demo, page: Page, sample: SampleCache | None) -> None:
    """Wire every event of ``page`` in the Blocks ``demo``; ``sample``: the bundled sample shown when a page
    opens (None: none)."""
    state, headline, tabs = page.state, page.headline, page.tabs
    up, ov, dr, th, mp, tr, ed, ex = page.up, page.ov, page.dr, page.th, page.mp, page.tr, page.ed, page.ex
    role_boxes, mapping_boxes = page.role_boxes, page.mapping_boxes
    analysis_outputs, upload_outputs = page.analysis_outputs, page.upload_outputs

    def render(analysis, keep_theme=None, compare=None) -> dict:
        """Every tab filled from one Analysis (the map is drawn when its tab opens)."""
        analysis = adapters.with_outcome_ranking(analysis)  # ranked by the file's own outcome everywhere
        return {headline: adapters.headline(analysis),
                **views.fill_overview(ov, analysis), **views.fill_drivers(dr, analysis),
                **views.fill_themes(th, analysis, keep_theme), **views.fill_trends(tr, analysis, compare),
                **views.fill_edit(ed, analysis), **views.fill_export(ex, None),
                mp.note: adapters.message_html("The map is drawn when you open this tab (a few seconds)."),
                mp.plot: None}

    def model_choices(session) -> list:
        return ([(adapters.DISCOVER, "")] + adapters.saved_models()
                + [(f"uploaded: {name}", path) for name, path in session["uploaded_models"]])

    def mapping_updates(table) -> dict:
        detected = adapters.detect_for_page(table)
        choices = [adapters.NONE, *map(str, table.frame.columns)]
        return ({**{up.roles[r]: gr.update(choices=choices, value=detected.roles[r]) for r in ROLES},
                 up.extra_text: gr.update(choices=list(map(str, table.frame.columns)), value=detected.extra_text),
                 up.reasons: detected.reasons_html},
                detected.note)

    # ---- page load: a session, the saved models, and the sample when asked for
    def on_load(value, progress=gr.Progress()):  # noqa: B008 - Gradio's progress idiom
        session = session_of(value)
        out = {state: session, up.model: gr.update(choices=model_choices(session), value=""),
               up.past: gr.update(choices=adapters.past_analyses(), value=None)}
        if sample is None:
            return out
        try:
            table, analysis = sample.get(progress)
        except Exception as exc:  # noqa: BLE001 - shown in the page, logged by error_text
            return {**out, headline: adapters.message_html(
                "The sample could not be analysed: " + adapters.error_text(exc), "error"),
                    tabs: gr.Tabs(selected="upload")}
        session.update(table=table, analysis=analysis)
        updates, _ = mapping_updates(table)
        return {**out, **render(analysis), **updates, up.preview: adapters.preview_frame(table),
                up.message: adapters.message_html(adapters.table_summary(table).replace(
                    "Check the column mapping, then press Run.", "This is the bundled sample."), "info")}

    demo.load(on_load, [state], [*analysis_outputs, *mapping_boxes, up.preview, up.message, up.model, up.past],
              concurrency_id=HEAVY, show_progress="full", show_progress_on=[headline])

    # ---- upload and mapping
    def on_upload(path, value):
        session = session_of(value)
        if not path:
            return {state: session}
        try:
            table = adapters.read_upload(path)
        except Exception as exc:  # noqa: BLE001
            session["table"] = None
            return {state: session, up.message: adapters.message_html(adapters.error_text(exc), "error"),
                    up.preview: views.empty_grid("no file yet"), up.run_message: "",
                    up.file: None}
        session["table"] = table
        updates, note = mapping_updates(table)
        message = adapters.message_html(adapters.table_summary(table), "ok")
        if note == adapters.SCORES_ONLY_NOTE:  # scores without comments: analysed without themes
            message += adapters.message_html(note + " Choose a comment column below to theme comments.", "info")
        elif note:
            message += adapters.message_html(note + " Choose the comment column below.", "warn")
        # the drop zone is emptied again: the table lives in the session, the message names the file
        return {state: session, up.message: message, up.preview: adapters.preview_frame(table),
                up.run_message: "", up.file: None, **updates,
                headline: adapters.stale_headline(session["analysis"], table)}  # the tabs are the old file's

    up.file.upload(on_upload, [up.file, state], upload_outputs, concurrency_limit=None)

    def on_model_zip(path, value):
        session = session_of(value)
        if not path:
            return {state: session}
        try:
            folder = adapters.unpack_theme_model(path, session["dir"])
        except Exception as exc:  # noqa: BLE001
            return {state: session, up.run_message: adapters.message_html(adapters.error_text(exc), "error")}
        session["uploaded_models"].append((Path(path).stem, str(folder)))
        return {state: session, up.model: gr.update(choices=model_choices(session), value=str(folder)),
                up.run_message: adapters.message_html(
                    f"Theme model {Path(path).name} ready: the next run assigns comments to its themes.", "ok")}

    up.model_zip.upload(on_model_zip, [up.model_zip, state], [state, up.model, up.run_message],
                        concurrency_limit=None)

    def on_taxonomy(path, value):
        session = session_of(value)
        if not path:
            session["taxonomy"] = None
            return {state: session, up.taxonomy_message: ""}
        try:
            session["taxonomy"], note = adapters.read_taxonomy(path, Path(session["dir"]))
        except Exception as exc:  # noqa: BLE001
            session["taxonomy"] = None
            return {state: session, up.taxonomy: None,
                    up.taxonomy_message: adapters.message_html(adapters.error_text(exc), "error")}
        return {state: session, up.taxonomy_message: adapters.message_html(note, "ok")}

    up.taxonomy.upload(on_taxonomy, [up.taxonomy, state], [state, up.taxonomy, up.taxonomy_message],
                       concurrency_limit=None)
    up.taxonomy.clear(lambda value: on_taxonomy(None, value), [state], [state, up.taxonomy_message],
                      concurrency_limit=None)

    # ---- run
    def on_run(value, *args, progress=gr.Progress()):  # noqa: B008 - Gradio's progress idiom
        session = session_of(value)
        *role_values, extra_text, ces_scale, ces_easy, pipeline, model, competitors, mentions, taxonomy_rule = args
        started = time.perf_counter()
        try:
            analysis = adapters.run_analysis(
                session["table"], adapters.roles_from_values(role_values, extra_text), ces_scale=ces_scale,
                ces_easy_end=ces_easy, themes=model or None, pipeline=pipeline,
                progress=adapters.progress_reporter(progress), taxonomy=session.get("taxonomy"),
                competitors=competitors, mentions=bool(mentions), taxonomy_rule=taxonomy_rule or "auto")
        except Exception as exc:  # noqa: BLE001
            return {state: session, up.run_message: adapters.message_html(adapters.error_text(exc), "error")}
        session.update(analysis=analysis, map={})
        done, kind = adapters.run_message(analysis, time.perf_counter() - started)  # "warn" with warnings
        # a score-only export has no drivers: its numbers are on the Overview
        opened = "overview" if analysis.summary.get("themes_skipped") else "drivers"
        return {state: session, **render(analysis), tabs: gr.Tabs(selected=opened),
                up.run_message: adapters.message_html(done, kind)}

    def refresh_past():
        return gr.update(choices=adapters.past_analyses())

    # the previous run's message goes at once, so what shows after this run is its own
    up.run.click(lambda: "", None, up.run_message, queue=False, show_progress="hidden").then(
        on_run, [state, *role_boxes, up.extra_text, up.ces_scale, up.ces_easy, up.pipeline, up.model, up.competitors,
                 up.mentions, up.taxonomy_rule],
        analysis_outputs, concurrency_id=HEAVY, show_progress="full",
        show_progress_on=[up.run_message, headline]).then(refresh_past, None, up.past, queue=False)

    # ---- past analyses (cxtext.history)
    def on_reopen(value, analysis_id):
        session = session_of(value)
        try:
            analysis = adapters.open_past(analysis_id)
        except Exception as exc:  # noqa: BLE001 - shown in the page, logged by error_text
            return {state: session, up.run_message: adapters.message_html(adapters.error_text(exc), "error")}
        session.update(analysis=analysis, map={})
        opened = (f"Reopened {analysis.summary.get('input', {}).get('name', 'the analysis')}: "
                  f"{analysis.summary.get('theme_count', 0)} themes, nothing re-run.")
        return {state: session, **render(analysis), tabs: gr.Tabs(selected="drivers"),
                up.run_message: adapters.message_html(opened, "ok")}

    up.reopen.click(on_reopen, [state, up.past], analysis_outputs, concurrency_id=HEAVY)

    # ---- themes tab
    def on_pick(value, theme_id):
        session = session_of(value)
        if session["analysis"] is None:
            return {}
        return views.fill_theme(th, session["analysis"], theme_id, 0)

    theme_outputs = [th.detail, th.histogram, th.comments, th.page_label, th.page]
    th.picker.input(on_pick, [state, th.picker], theme_outputs, concurrency_limit=None)

    def pager(step: int):
        def on_page(value, theme_id, page):
            session = session_of(value)
            if session["analysis"] is None:
                return {}
            table, label, page = adapters.theme_comments(session["analysis"], theme_id, page + step)
            return {th.comments: table, th.page_label: label, th.page: page}
        return on_page

    th.previous.click(pager(-1), [state, th.picker, th.page], [th.comments, th.page_label, th.page],
                      concurrency_limit=None)
    th.following.click(pager(+1), [state, th.picker, th.page], [th.comments, th.page_label, th.page],
                       concurrency_limit=None)

    def on_compare(value, compare):
        session = session_of(value)
        if session["analysis"] is None:
            return {}
        return views.fill_compare(tr, session["analysis"], compare)

    tr.compare.input(on_compare, [state, tr.compare], [tr.sources, tr.source_plot, tr.source_note])

    def on_timezone(value, timezone):
        session = session_of(value)
        if session["analysis"] is None:
            return {tr.activity.note: adapters.message_html("Run an analysis first.")}
        return views.fill_activity(tr.activity, session["analysis"], timezone)

    tr.activity.timezone.submit(on_timezone, [state, tr.activity.timezone],
                                views.activity_outputs(tr.activity), concurrency_limit=None)

    # ---- map: projected on first opening, then cached per session
    def on_map(value, progress=gr.Progress()):  # noqa: B008 - Gradio's progress idiom
        session = session_of(value)
        if session["analysis"] is None:
            return {mp.note: adapters.message_html("Run an analysis first.")}
        progress(0.1, desc="Placing comments on the map")
        try:
            coordinates = adapters.map_coordinates(session["analysis"], session["map"])
        except Exception as exc:  # noqa: BLE001
            return {mp.note: adapters.message_html(adapters.error_text(exc), "error")}
        return {mp.plot: adapters.map_figure(coordinates),
                mp.note: adapters.message_html(f"{len(coordinates):,} comments; hover a dot to read it. "
                                               "Grey: unthemed.")}

    mp.tab.select(on_map, [state], [mp.plot, mp.note], concurrency_id=HEAVY, show_progress="full",
                  show_progress_on=[mp.plot])

    # ---- edits: each returns a new Analysis, the page is re-rendered from it
    def edit(action: str):
        def on_edit(value, theme, label, merge_ids, merge_label, current, compare):
            session = session_of(value)
            analysis = session["analysis"]
            try:
                if analysis is None:
                    raise adapters.InputError("Run an analysis first.")
                if action == "rename":
                    if theme is None or not (label or "").strip():
                        raise adapters.InputError("Pick a theme and type its new label.")
                    edited, done = analysis.rename_theme(int(theme), label.strip()), f"Renamed to '{label.strip()}'."
                elif action == "merge":
                    if not merge_ids or len(merge_ids) < 2:
                        raise adapters.InputError("Pick at least two themes to merge.")
                    edited = analysis.merge_themes([int(t) for t in merge_ids], (merge_label or "").strip() or None)
                    done = f"Merged {len(merge_ids)} themes."
                else:
                    if theme is None:
                        raise adapters.InputError("Pick the theme to delete.")
                    edited, done = analysis.delete_theme(int(theme)), "Theme deleted; its comments are unthemed."
            except Exception as exc:  # noqa: BLE001
                return {state: session, ed.message: adapters.message_html(adapters.error_text(exc), "error")}
            session["analysis"] = edited
            return {state: session, **render(edited, keep_theme=current, compare=compare), ed.message: adapters.message_html(
                done + " Drivers and charts are updated.", "ok")}
        return on_edit

    edit_outputs = [*analysis_outputs, ed.message]

    def edited_page(session, edited, done: str, current, compare) -> dict:
        session["analysis"] = edited
        session["suggestions"] = None  # found on the previous themes
        return {state: session, **render(edited, keep_theme=current, compare=compare),
                ed.message: adapters.message_html(done + " Drivers and charts are updated.", "ok")}

    def edit_by(adapter_edit):
        """A callback applying ``adapter_edit(analysis, first, second) -> (edited, message)``."""
        def on_edit(value, first, second, current, compare):
            session = session_of(value)
            try:
                edited, done = adapter_edit(session["analysis"], first, second)
            except Exception as exc:  # noqa: BLE001
                return {state: session, ed.message: adapters.message_html(adapters.error_text(exc), "error")}
            return edited_page(session, edited, done, current, compare)
        return on_edit

    def on_find(value):
        session = session_of(value)
        try:
            found = adapters.find_suggestions(session["analysis"])
        except Exception as exc:  # noqa: BLE001
            return {state: session, ed.message: adapters.message_html(adapters.error_text(exc), "error")}
        session["suggestions"] = (session["analysis"], found)
        return {state: session, **views.fill_suggestions(ed, found), ed.message: ""}

    def on_apply(value, number, current, compare):
        session = session_of(value)
        analysis = session["analysis"]
        found_for, found = session.get("suggestions") or (None, None)
        try:
            if found_for is not analysis:
                found = None  # the themes changed since: the list no longer describes them
            edited, done = adapters.apply_suggestion(analysis, found, number)
        except Exception as exc:  # noqa: BLE001
            return {state: session, ed.message: adapters.message_html(adapters.error_text(exc), "error")}
        return edited_page(session, edited, done, current, compare)

    ed.split.click(edit_by(adapters.split_theme), [state, ed.split_id, ed.split_n, th.picker, tr.compare], edit_outputs)
    ed.move.click(edit_by(adapters.move_comments), [state, ed.move_rows, ed.move_to, th.picker, tr.compare], edit_outputs)
    ed.find.click(on_find, [state], [state, ed.suggestions, ed.suggest_pick, ed.message],
                  concurrency_id=HEAVY, show_progress="full", show_progress_on=[ed.suggestions])
    ed.apply.click(on_apply, [state, ed.suggest_pick, th.picker, tr.compare], edit_outputs)

    def on_level(value, level, technical):
        session = session_of(value)
        if session["analysis"] is None:
            return {}
        return views.fill_driver_level(dr, session["analysis"], level, technical)

    dr.level.input(on_level, [state, dr.level, dr.technical], [dr.table, dr.notes, dr.impact, dr.scatter, dr.ces],
                   concurrency_limit=None)

    def on_technical(value, level, technical):
        session = session_of(value)
        if session["analysis"] is None:
            return {}
        return {dr.table: views.driver_table_update(session["analysis"], level, technical)}

    dr.technical.input(on_technical, [state, dr.level, dr.technical], [dr.table], concurrency_limit=None)
    ed.rename.click(edit("rename"), [state, ed.rename_id, ed.rename_label, ed.merge_ids, ed.merge_label,
                                     th.picker, tr.compare], edit_outputs)
    ed.merge.click(edit("merge"), [state, ed.rename_id, ed.rename_label, ed.merge_ids, ed.merge_label,
                                   th.picker, tr.compare], edit_outputs)
    ed.delete.click(edit("delete"), [state, ed.delete_id, ed.rename_label, ed.merge_ids, ed.merge_label,
                                     th.picker, tr.compare], edit_outputs)

    def on_save(value, name):
        session = session_of(value)
        try:
            folder = adapters.save_theme_model(session["analysis"], name)
        except Exception as exc:  # noqa: BLE001
            return {state: session, ed.save_message: adapters.message_html(adapters.error_text(exc), "error")}
        return {state: session, up.model: gr.update(choices=model_choices(session)),
                ed.save_message: adapters.message_html(
                    f"Saved to models/{folder.name}. Pick it under Upload → Themes for the next run.", "ok")}

    ed.save.click(on_save, [state, ed.save_name], [state, up.model, ed.save_message])

    # ---- export: written to the session's temp folder when the tab opens
    def on_export(value):
        session = session_of(value)
        if session["analysis"] is None:
            return {ex.message: adapters.message_html("Run an analysis first."), **views.fill_export(ex, None)}
        session["exports"] += 1
        try:
            files = adapters.export_files(session["analysis"], Path(session["dir"]) / f"export-{session['exports']}")
        except Exception as exc:  # noqa: BLE001
            return {ex.message: adapters.message_html(adapters.error_text(exc), "error")}
        return {state: session, **views.fill_export(ex, files),
                ex.message: adapters.message_html("Ready: click a button to download.", "ok")}

    ex.tab.select(on_export, [state], [state, ex.message, ex.drivers_csv, ex.drivers_xlsx, ex.workbook,
                                       ex.model, ex.report_html, ex.report_pptx])
