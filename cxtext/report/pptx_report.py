"""The ``report.pptx`` deck: overview, driver chart, one slide per top driver, trend, methods."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING


from cxtext import __version__
from cxtext.report.data import _write_atomic
from cxtext.report.charts import driver_chart, trend_chart
from cxtext.report.data import DECK_DRIVERS, DECK_QUOTES, DECK_QUOTE_CHARS, ReportData, TENTATIVE_TAG, _as_data
from cxtext.report.fmt import DASH, _int, _short, fmt_ci, fmt_num, fmt_p, fmt_pct, is_rtl
from cxtext.drivers.outcome import drag_text
from cxtext.report.prose import headline_facts, how_to_read, key_findings, methods_lines

if TYPE_CHECKING:
    from cxtext.analysis import Analysis


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
    out = data.outcome  # the file's own outcome (NPS, rating or CSAT, CES, sentiment), as report.html uses
    slide.shapes.title.text = out.title
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
        slide = _titled(deck, title_only, _chart_title(out))
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
        elif out.impact is not None:
            lines.append((out.drag_name[0].upper() + out.drag_name[1:], drag_text(row, out, data.drivers)))
            if out.key == "rating" and data.has("rating_mean"):
                lines.append(("Theme rating", fmt_num(row.get("rating_mean"), 2)))
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
        in_comments = data.mention_quotes.get(int(row["theme_id"]), [])
        for i, quote in enumerate(quotes[:DECK_QUOTES]):
            paragraph = _para(frame, f"“{_short(quote, DECK_QUOTE_CHARS)}”", Pt(16), first=i == 0,
                              rtl=is_rtl(quote), space_after=Pt(14))
            if i < len(in_comments) and (in_comments[i].before or in_comments[i].after):
                _mention_runs(paragraph, in_comments[i], Pt(16))

    trend = trend_chart(data, "png")
    if trend:
        slide = _titled(deck, title_only, "Trends: comments per period, most urgent themes")
        _picture(slide, trend, Inches(0.5), Inches(1.6), Inches(12.3), Inches(5.6))

    slide = _titled(deck, title_only, "How to read this and methods")
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(12.3), Inches(5.7))
    frame = box.text_frame
    frame.word_wrap = True
    keep = {"NPS", "NPS impact", "Detractor lift", "CES gap", "CSAT gap", "Priority and rank", "Quotes"}
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


def _chart_title(out) -> str:
    """The driver chart slide's title in the file's own outcome: "Drivers: NPS impact per theme",
    "Drivers: drag on the average rating per theme", ... or "Themes by volume" without one."""
    if out.key == "nps":
        return "Drivers: NPS impact per theme"
    if out.impact is None:
        return "Themes by volume"
    return f"{out.title}: {out.drag_name} per theme"


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


def _mention_runs(paragraph, quote, size) -> None:
    """Replace the paragraph's text by the mention in bold inside its comment in grey
    (:class:`cxtext.text.mentions.MentionQuote`), the whole within the deck's quote length."""
    from pptx.dml.color import RGBColor

    room = max(DECK_QUOTE_CHARS - len(quote.mention), 0) // 2
    before, after = " ".join(quote.before.split()), " ".join(quote.after.split())
    if len(before) > room:  # keep the words next to the mention
        before = "…" + before[len(before) - room + 1:].lstrip() if room > 1 else ""
    after = _short(after, room) if room > 1 else ""
    before += " " if before and quote.before[-1:].isspace() else ""
    after = (" " if after and quote.after[:1].isspace() else "") + after
    for run in list(paragraph.runs):
        paragraph._p.remove(run._r)
    for text, bold in (("“" + before, False), (_short(quote.mention, DECK_QUOTE_CHARS), True), (after + "”", False)):
        run = paragraph.add_run()
        run.text = _pptx_safe(text)
        run.font.size = size
        run.font.bold = bold
        if not bold:
            run.font.color.rgb = RGBColor(0x5F, 0x63, 0x68)


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
