"""The page's layout: the header, the eight tabs (each built by :mod:`app.views`) and the lists of
components the events fill. Called inside ``gr.Blocks`` by :func:`app.main.build_app`; the events are wired
by :func:`app.wiring.wire`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from app import adapters, views
from app.session import drop_session
from app.settings import max_upload_bytes
from cxtext.schema import ROLES


@dataclass
class Page:
    """The page's components: the session state, the headline, the tabs and each tab's components
    (``up`` upload, ``ov`` overview, ``dr`` drivers, ``th`` themes, ``mp`` map, ``tr`` trends, ``ed`` edit,
    ``ex`` export), and the component lists the events read or fill."""

    state: Any
    headline: Any
    tabs: Any
    up: Any
    ov: Any
    dr: Any
    th: Any
    mp: Any
    tr: Any
    ed: Any
    ex: Any
    role_boxes: list
    mapping_boxes: list
    analysis_outputs: list  # everything a new Analysis fills
    upload_outputs: list


def build_page(with_sample: bool) -> Page:
    """The components in page order; ``with_sample``: the bundled sample is being analysed for the page."""
    state = gr.State(None, delete_callback=drop_session)
    with gr.Row():
        gr.Markdown("## cxtext · which feedback themes drive detractors")
    headline = gr.HTML(adapters.message_html("Upload a file to start." if not with_sample
                                             else "Analysing the bundled sample…"), elem_id="headline")
    with gr.Tabs(selected="upload" if not with_sample else "drivers") as tabs:
        up = views.upload_tab(max_upload_bytes() / (1024 * 1024))
        ov = views.overview_tab()
        dr = views.drivers_tab()
        th = views.themes_tab()
        mp = views.map_tab()
        tr = views.trends_tab()
        ed = views.edit_tab()
        ex = views.export_tab()

    role_boxes = [up.roles[r] for r in ROLES]
    mapping_boxes = [*role_boxes, up.extra_text, up.reasons]
    analysis_outputs = [state, headline, tabs, up.run_message, ov.cards, ov.rejected, dr.heading, dr.fix,
                        dr.technical, dr.table,
                        dr.notes, dr.impact, dr.scatter, dr.ces, th.picker, th.detail, th.histogram, th.comments,
                        th.page_label, th.page, tr.trend_note, tr.volume, tr.nps, tr.compare, tr.source_note, tr.sources,
                        tr.source_plot, ed.table, ed.rename_id, ed.rename_label, ed.merge_ids, ed.merge_label,
                        ed.delete_id, dr.level, th.tree, ed.split_id, ed.split_n, ed.move_rows, ed.move_to,
                        ed.suggestions, ed.suggest_pick, ex.drivers_csv, ex.drivers_xlsx, ex.workbook, ex.model, ex.report_html,
                        ex.report_pptx, mp.note, mp.plot]
    analysis_outputs += views.activity_outputs(tr.activity)
    upload_outputs = [state, up.file, up.message, up.preview, *mapping_boxes, up.run_message, headline]
    return Page(state, headline, tabs, up, ov, dr, th, mp, tr, ed, ex, role_boxes, mapping_boxes,
                analysis_outputs, upload_outputs)
