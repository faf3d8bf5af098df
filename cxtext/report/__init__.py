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

Modules
-------
``data`` (:class:`ReportData`, constants) -> ``fmt`` (numbers and text) -> ``charts`` -> ``prose``
(sentences) -> ``html_sections`` (cells, trends, groups) -> ``html_report``, ``pptx_report``; this package's entry points write them. May import
``cxtext.errors``, ``cxtext.drivers``, ``cxtext.export``, ``cxtext.io.warnings`` (the warnings the app and
the command line show too) and ``cxtext.text.mentions`` (a quoted mention in its comment); never the faces (cli, app).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING


from cxtext.errors import InputError
from cxtext.report.charts import driver_chart, trend_chart
from cxtext.report.data import (
    DECK_DRIVERS,
    DECK_QUOTES,
    HTML_NAME,
    HTML_QUOTES,
    PPTX_NAME,
    REPORT_FORMATS,
    TENTATIVE_SIZE,
    TENTATIVE_TAG,
    TOP_THEMES,
    ReportData,
    _as_data,
    themes_frame,
)
from cxtext.report.fmt import esc, fmt_ci, fmt_num, fmt_p, fmt_pct, is_rtl
from cxtext.report.html_report import render_html, write_html
from cxtext.report.pptx_report import write_pptx
from cxtext.report.prose import headline_facts, how_to_read, key_findings, methods_lines, top_driver_sentence

if TYPE_CHECKING:
    from cxtext.analysis import Analysis

__all__ = ["DECK_DRIVERS", "DECK_QUOTES", "HTML_NAME", "HTML_QUOTES", "PPTX_NAME", "REPORT_FORMATS", "TENTATIVE_SIZE",
           "TENTATIVE_TAG", "TOP_THEMES", "ReportData", "driver_chart", "esc", "fmt_ci", "fmt_num", "fmt_p", "fmt_pct",
           "headline_facts", "how_to_read", "is_rtl", "key_findings", "methods_lines", "render_html",
           "report_from_dir", "themes_frame", "top_driver_sentence", "trend_chart", "write_html", "write_pptx",
           "write_report"]


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
