"""The app's programmatic endpoint: ``/analyze``, one file in, JSON results out.

Registered by :func:`register` from ``app.main.build_app``. It is a hidden
Gradio event (an invisible ``gr.File`` feeding an invisible button), not a
``gr.api`` function, so the uploaded file goes through Gradio's own file
handling: the upload route's ``max_file_size`` (``CXTEXT_MAX_UPLOAD_MB``) and
the rule that only files uploaded to this server can be read; then
:func:`app.adapters.check_upload` refuses other types than the Upload tab's
(and repeats the size limit) with a message naming the file. It shares the UI's concurrency
group (``app.settings.HEAVY``), so API calls and page analyses wait in the same
queue, ``CXTEXT_CONCURRENCY`` at a time. With ``CXTEXT_AUTH`` set it needs the
same login as the page.

Stateless: nothing is kept between calls (the analysis does go to the
history, as every analysis does). From Python::

    from gradio_client import Client, handle_file
    client = Client("http://127.0.0.1:7860/", auth=("user", "password"))  # auth only with CXTEXT_AUTH
    result = client.predict(handle_file("export.csv"), {"text": "comment", "nps": "score"},
                            "survey_comments", "1-7", "high", api_name="/analyze")
    result["drivers"][0]["label"], result["summary"]["nps"]["nps"]
"""

from __future__ import annotations

import json
import math
from typing import Any

API_NAME = "analyze"
SUMMARY_KEYS = ("rows_in", "rows_analyzed", "rows_left_out", "rows_rejected", "rows_blank", "rows_score_only",
                "rows_no_comment", "nps", "ces", "csat", "theme_count", "unthemed_share", "languages", "sentiment",
                "kinds", "sentiment_vs_nps", "rejection_reasons", "mapping", "pipeline", "seed")
THEME_KEYS = ("theme_id", "label", "size", "share", "keywords", "languages", "parent_id", "parent_label")
MAX_REJECTED_ROWS = 1000  # rejected rows listed in a result; the count is always exact


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars as Python numbers, NaN/NA as None, tuples and arrays as lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _records(frame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def analysis_result(analysis) -> dict[str, Any]:
    """What ``/analyze`` returns, from an :class:`cxtext.analysis.Analysis`.

    ``file``; ``summary`` (rows in / analysed / rejected, NPS, CES, CSAT with
    CIs as in summary.json, theme count, unthemed share, sentiment and kind
    counts, sentiment-vs-NPS agreement); ``priority_basis`` ("nps" or
    "sentiment": what ranks the drivers); ``drivers`` (every column of
    drivers.csv, one dict per theme, biggest driver first); ``themes``
    (id, label, size, share 0-1, keywords, languages, parent);
    ``rejected`` (count) and ``rejected_rows`` (row, reason; at most
    :data:`MAX_REJECTED_ROWS`).
    """
    summary = analysis.summary
    themes = analysis.themes
    rejected = analysis.rejected
    return {
        "file": (summary.get("input") or {}).get("name"),
        "summary": _plain({key: summary[key] for key in SUMMARY_KEYS if key in summary}),
        "priority_basis": analysis.drivers.attrs.get("priority_basis", "nps"),
        "drivers": _records(analysis.drivers),
        "themes": _records(themes[[c for c in THEME_KEYS if c in themes.columns]]) if len(themes) else [],
        "rejected": int(len(rejected)),
        "rejected_rows": _records(rejected[["row", "reason"]].head(MAX_REJECTED_ROWS)) if len(rejected) else [],
    }


def analyze_file(file: str | None, columns: dict | None = None, pipeline: str | None = None,
                 ces_scale: str | None = None, ces_easy_end: str | None = None) -> dict[str, Any]:
    """Analyse one uploaded file and return :func:`analysis_result`.

    ``columns``: role -> column name (roles: text, nps, ces, csat, date,
    source, segment, id); roles left out are detected from the headers as in
    the Upload tab, a role given as "" or null is left unmapped.
    ``pipeline``: "survey_comments" (default) or "social_mentions".
    ``ces_scale``: "auto" (default: read from the CES question and values), "1-7" or "1-5"; ``ces_easy_end``: "auto", "high"
    (default) or "low". Errors reach the caller as one readable message.
    """
    import gradio as gr

    from app import adapters, settings
    from cxtext.schema import ROLES

    try:
        adapters.check_upload(file, settings.max_upload_bytes())
        table = adapters.read_upload(file)
        detected, _ = adapters.detected_roles(table)
        columns = columns or {}
        if not isinstance(columns, dict) or set(columns) - set(ROLES):
            raise adapters.InputError(f"columns must map roles to column names; the roles are {', '.join(ROLES)}. "
                                      f"Got {str(columns)[:200]}.")
        values = [columns[role] if role in columns else detected[role] for role in ROLES]
        analysis = adapters.run_analysis(table, adapters.roles_from_values([v or None for v in values]),
                                         ces_scale=ces_scale or "auto", ces_easy_end=ces_easy_end or "auto",
                                         pipeline=pipeline or "survey_comments")
        return analysis_result(analysis)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one message for the caller
        raise gr.Error(adapters.error_text(exc), print_exception=False) from None


def register(concurrency_id: str) -> None:
    """Add the hidden ``/analyze`` event to the Blocks being built (call inside ``gr.Blocks``)."""
    import gradio as gr

    from app import adapters

    with gr.Column(visible=False):
        file = gr.File(type="filepath", label="file")  # types checked by adapters.check_upload, naming the file
        columns = gr.JSON(None, label="columns")
        pipeline = gr.Textbox("survey_comments", label="pipeline")
        ces_scale = gr.Textbox("auto", label="ces_scale")
        ces_easy_end = gr.Textbox("auto", label="ces_easy_end")
        result = gr.JSON(label="result")
        trigger = gr.Button("analyze")
    trigger.click(analyze_file, [file, columns, pipeline, ces_scale, ces_easy_end], result, api_name=API_NAME,
                  concurrency_id=concurrency_id, show_progress="hidden")
