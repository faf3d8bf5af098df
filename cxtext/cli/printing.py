"""What the command line prints: the column mapping, the headline, theme lists, a progress line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from cxtext.io.warnings import row_counts_text


def print_themes(themes) -> None:
    for theme in themes.itertuples():
        print(f"{theme.theme_id:>4}  {theme.size:>6}  {theme.label}")


def print_columns(table, decision) -> None:
    """The column mapping, one line per role, before anything is analysed, so a wrong guess is caught early."""
    skipped = f"; skipped {len(table.skipped_rows)} {table.layout} header row(s)" if table.skipped_rows else ""
    if table.layout == "no header row":  # cxtext.io.layouts.NO_HEADER
        skipped = ("; no header row: its first line is an answer (kept), columns are named column_1, "
                   "column_2, ... in file order")
    if getattr(table, "note", None):  # a choice the reader made for the user (the data sheet of a workbook)
        print(f"note: {table.name}: {table.note}.")
    print(f"{table.name}: {len(table.frame)} rows{skipped}. Columns (--text, --nps, ... to change):")
    for line in decision.lines():
        print(f"  {line}")
    sys.stdout.flush()


# How drivers.csv is ranked when the file has no NPS: said, since a ranking by sentiment or rating reads
# differently from the NPS impact the README leads with (a public Steam and a help-desk export ranked by sentiment
# without a word in the console).
_RANKED_BY = {
    "rating": "how much each lowers the mean rating (no NPS column)",
    "csat": "how much each lowers CSAT (no NPS or rating column)",
    "ces": "the extra effort each adds to CES (no NPS, rating or CSAT column)",
    "sentiment": "negative sentiment in the comments (no NPS, rating, CSAT or CES column: name one with --nps, "
                 "--rating, --csat or --ces if the file has it)",
}


def print_headline(summary: dict[str, Any], out: str, written: list[Path]) -> None:
    nps = summary.get("nps") or {}
    line = f"{summary['rows_in']} rows: {row_counts_text(summary, 'analyzed')}; {summary.get('theme_count', 0)} themes"
    skipped = summary.get("themes_skipped")
    if skipped:  # a score-only export: scores analysed, no theme
        line = line.replace(f"; {summary.get('theme_count', 0)} themes", "; themes skipped (no comment column)")
    if summary.get("comments_in"):
        line = line.replace(" rows: ", f" rows ({summary['comments_in']} comments in "
                                       f"{len(summary.get('text_columns', []))} columns): ", 1)
    if nps.get("nps") is not None:
        line += f"; NPS {nps['nps']:+.1f} (95% CI {nps['ci_low']:+.1f} to {nps['ci_high']:+.1f}, n={nps['n']})"
    rating = summary.get("rating") or {}
    if rating.get("mean") is not None:
        line += f"; mean rating {rating['mean']:.2f} on {rating['scale']} (n={rating['n']})"
        if rating.get("best_end") == "low":
            top = str(rating["scale"]).split("-")[-1]
            line += f" reverse-coded: the file's 1 = best is shown as {top}"
    csat = summary.get("csat") or {}
    if csat.get("csat_percent") is not None:
        line += f"; CSAT {csat['csat_percent']:.0f}% satisfied (mean {csat['mean']:.2f} on 1-5, n={csat['n']})"
    ces = summary.get("ces") or {}
    if ces.get("mean") is not None:
        easiest = "1" if ces.get("easy_end") == "low" else str(ces.get("scale", "1-7")).split("-")[-1]
        line += f"; CES mean {ces['mean']:.2f} on {ces.get('scale')} ({easiest} = easiest, n={ces['n']})"
    print(line)
    basis = _RANKED_BY.get(str(summary.get("priority_basis") or ""))
    if basis and not skipped and summary.get("theme_count"):
        print(f"note: themes are ranked by {basis} (summary.json priority_basis)")
    if skipped:
        print(f"note: {skipped['note']}")
    mentions_note = (summary.get("mentions") or {}).get("note")
    if mentions_note:  # themed whole or per mention, and the suggestion when many comments are long
        print(f"note: {mentions_note}")
    for warning in summary.get("warnings") or []:  # the same sentences as the app and the report
        print(f"warning: {warning['message']}", file=sys.stderr)
    names = ", ".join(Path(p).name for p in written)
    print(f"results written to {out}/ ({names})")


class ProgressPrinter:
    """One updating line on stderr per stage: 'embed 640/1200'."""

    def __init__(self) -> None:
        self._stage = ""
        self._tty = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            if self._stage:
                sys.stderr.write("\n" if self._tty else "")
            self._stage = stage
            if not self._tty:
                sys.stderr.write(f"{stage}...\n")
        if self._tty:
            bar = "#" * int(30 * done / total) if total else ""
            sys.stderr.write(f"\r{stage:<10} [{bar:<30}] {done}/{total}")
            sys.stderr.flush()

    def finish(self) -> None:
        if self._tty and self._stage:
            sys.stderr.write("\n")
