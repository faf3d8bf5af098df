"""Warnings a reader must see before the numbers: a score column rejected in bulk, a headline on a few rows.

:func:`summary_warnings` works from the content of ``summary.json`` (an
``Analysis.summary`` or the file an ``--out`` folder holds), so the app, the
report and the command line say the same thing in the same words:

* **bulk rejection**: more than ``threshold`` (10%) of the rows that have a value
  in a score column (NPS, CES, CSAT, rating) were rejected for it. The warning
  names the column, how many rows, the reason with example values, and the fix
  ("2.5-10 looks like a review score: map it as a rating");
* **minority**: a headline figure (NPS, CES, CSAT, mean rating) computed on fewer
  than half of the rows read: the figure must say on how many.
* **repeated non-answer**: short texts without a content word that this file repeats in
  many rows ("No Negative", "Nothing at all"; ``summary["repeated_non_answers"]``, the rule in
  :mod:`cxtext.text.placeholders`) were put in the 'no comment' group: the warning names each text
  and its rows, so a reader can see they were not lost.
* **relative dates**: a column holds "a month ago" and the like, so no column was used as the date
  (:mod:`cxtext.io.columns`) and there is no trend.
* **repeated rows**: rows that repeat an earlier row cell for cell where two answers cannot agree by
  chance (``summary["repeated_rows"]``, :func:`cxtext.summary.repeated_rows`): counted as given, named.
* **thin taxonomy themes**: themes of the team's taxonomy that matched no comment or fewer than a
  tentative theme's size (``summary["taxonomy"]``): the warning names them with their counts and what
  helps (examples that read like the comments; ``--mentions`` when the comments are long).

Nothing here reads the file again: the rejected values are taken from the
rejection reasons (``NPS '7.5' is not a whole number on 0-10``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

BULK_REJECTION_SHARE = 0.10   # more than this share of a role's values rejected: warn
MINORITY_SHARE = 0.5          # a headline figure on fewer than this share of the rows read: say on how many

ROLE_OF_NAME = {"NPS": "nps", "CES": "ces", "CSAT": "csat", "rating": "rating"}
ROLE_NAMES = {"nps": "NPS", "ces": "CES", "csat": "CSAT", "rating": "rating"}
_REASON = re.compile(r"^(NPS|CES|CSAT|rating) '(?P<value>.*)' is (?P<problem>not a whole number|not a number|outside)"
                     r"(?: on)? (?P<scale>\S+)")


@dataclass(frozen=True)
class DataWarning:
    """One warning: ``kind`` "truncated_file", "bulk_rejection", "minority", "repeated_non_answer",
    "relative_dates", "duplicate_rows" or "taxonomy_thin", the ``role`` (nps, ces, csat, rating; "text" for the others), its
    ``column``, ``count`` rows out of ``total``, and ``message``: the whole sentence with the reason and the fix."""

    kind: str
    role: str
    column: str | None
    count: int
    total: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "role": self.role, "column": self.column, "count": self.count,
                "total": self.total, "message": self.message}


def summary_warnings(summary: dict[str, Any], threshold: float = BULK_REJECTION_SHARE,
                     minority: float = MINORITY_SHARE) -> list[DataWarning]:
    """The warnings of one analysis, from its summary (``summary.json`` content), bulk rejections first.

    A role's rows "with a value" are its usable scores (``summary[role]["n"]``)
    plus the rows rejected for that role. ``threshold``: the rejected share of
    those above which a role is warned about; ``minority``: the share of the
    rows read under which a headline figure says on how many rows it stands.
    """
    # per row when the file has several comment columns (a score is the row's, not each comment's)
    rejected = _rejected_by_role(summary.get("rejection_reasons_by_row") or summary.get("rejection_reasons") or {})
    mapping = summary.get("mapping") or {}
    rows_in = int(summary.get("rows_in") or 0)
    out: list[DataWarning] = []
    for role, found in rejected.items():
        usable = _usable(summary, role)
        count = sum(found["counts"].values())
        total = usable + count
        if not total or count / total <= threshold:
            continue
        column = mapping.get(role)
        out.append(DataWarning("bulk_rejection", role, column, count, total,
                               _bulk_message(role, column, count, total, found)))
    for role in ("nps", "rating", "csat", "ces"):
        usable = _usable(summary, role)
        if usable and rows_in and usable < minority * rows_in:
            name = ROLE_NAMES[role]
            out.append(DataWarning(
                "minority", role, mapping.get(role), usable, rows_in,
                f"The {name} figures stand on {usable:,} of {rows_in:,} rows ({100 * usable / rows_in:.0f}%): "
                f"the other rows have no usable {name}."))
    repeated = _repeated_warning(summary, mapping)
    date_reason = (summary.get("mapping_reasons") or {}).get("date") or {}
    if not date_reason.get("column") and "holds relative dates" in str(date_reason.get("why", "")):
        # "a month ago": no date read, so no trend (cxtext.io.columns)
        why = str(date_reason["why"])
        out.append(DataWarning("relative_dates", "date", None, 0, rows_in, why[:1].upper() + why[1:] + "."))
    truncated = _truncated_warning(summary, mapping, rows_in)
    repeated_rows = summary.get("repeated_rows")
    if repeated_rows:  # rows that repeat an earlier one cell for cell (cxtext.summary.repeated_rows)
        out.append(_repeated_rows_warning(repeated_rows, rows_in))
    taxonomy = _taxonomy_warning(summary)
    out += _split_hint_warnings(summary)
    return ([truncated] if truncated is not None else []) + out + ([repeated] if repeated is not None else []) + ([taxonomy] if taxonomy is not None else [])


def _truncated_warning(summary: dict[str, Any], mapping: dict[str, Any], rows_in: int) -> DataWarning | None:
    """The 'file cut short' warning: the file ended inside its last row, which was not read."""
    block = summary.get("input") or {}
    line = block.get("truncated_line")
    if not line:
        return None
    return DataWarning(
        "truncated_file", "text", mapping.get("text"), 1, rows_in + 1,
        f"{block.get('name') or 'The file'} ends in the middle of a row: the row starting on line {int(line):,} is "
        f"unfinished and was not read; the {rows_in:,} rows above it were. The file was probably cut short (a "
        "download or copy that stopped part-way, or a size limit): export it again to analyse every row.")


def _repeated_rows_warning(repeated: dict[str, Any], rows_in: int) -> DataWarning:
    count = int(repeated["count"])
    pairs = ", ".join(f"{row} (= {first})" for row, first in repeated["rows"][:5])
    more = f" and {count - 5:,} more" if count > 5 else ""
    apart = repeated.get("apart_from")
    how = (f"repeat an earlier row in every column but {', '.join(apart)} (the same words, "
           "scores and author: a review read twice by a scraper?)" if apart else "repeat an earlier row cell for cell")
    return DataWarning(
        "duplicate_rows", "text", None, count, rows_in,
        f"{count:,} row(s) {how}: rows {pairs}{more}. Each is analysed and counted as it is; if the export wrote "
        "them twice, remove the copies and analyse again.")


def _split_hint_warnings(summary: dict[str, Any]) -> list[DataWarning]:
    """One warning per theme whose two halves differ in detractor rate or rating (cxtext.themes.split_hints)."""
    hints = summary.get("split_hints") or {}
    out = []
    for theme in hints.get("themes") or []:
        a, b = theme["part_labels"]
        x, y = theme["part_outcomes"]
        shown = (lambda v: f"{v:.0%} detractors") if hints.get("measure") == "detractor rate" else (
            lambda v: f"mean rating {v:.2f}")
        out.append(DataWarning(
            "split_hint", "text", None, int(theme["size"]), int(summary.get("rows_themed") or 0),
            f"Theme '{theme['label']}' ({theme['size']:,} comments) holds two groups whose scores differ: '{a}' "
            f"({theme['part_sizes'][0]:,}, {shown(x)}) and '{b}' ({theme['part_sizes'][1]:,}, {shown(y)}). The drivers "
            "table counts them as one theme: split it to see which costs more ('cxtext themes suggest ID', the "
            "app's Edit themes > Find suggestions)."))
    return out


def _taxonomy_warning(summary: dict[str, Any]) -> DataWarning | None:
    """The 'thin taxonomy themes' warning: the team's themes that matched nothing or almost nothing."""
    block = summary.get("taxonomy") or {}
    empty = [str(name) for name in block.get("empty_themes") or []]
    thin = {str(name): int(size) for name, size in (block.get("thin_themes") or {}).items()}
    if not empty and not thin:
        return None
    named = [f"'{name}' (0)" for name in empty] + [f"'{name}' ({size})" for name, size in thin.items()]
    total = int(block.get("themes") or len(named))
    advice = [f"{len(named)} of your {total} taxonomy themes matched fewer than {int(block.get('thin_below') or 5)} "
              f"comments: {', '.join(named[:8])}{' and more' if len(named) > 8 else ''}.",
              "Their comments may be in discovered themes (themes.csv, origin 'discovered') or unthemed.",
              "Examples help, best copied from real comments (on 3,010 app reviews, four themes with hand-written "
              "examples matched 77 comments: README, 'Your own taxonomy'); add two or three to each theme's "
              "'examples'."]
    mentions = summary.get("mentions") or {}
    if not mentions.get("used") and "--mentions" in str(mentions.get("note", "")):
        advice.append("Many comments are long and are matched whole, so a short theme description sits far from "
                      "them: theme each mention instead (--mentions, the app's 'Theme each mention' box).")
    if "'relative'" in str(block.get("rule", "")):
        advice.append("Or match whole discovered themes (--taxonomy-rule cluster, the app's 'Taxonomy matching', "
                      "the pipeline's themes.taxonomy_rule): it matches more, and pulls in more of the other "
                      "comments (up to 44% on labelled sets it was not tuned on, bench/results/taxonomy_lodo.md).")
    return DataWarning("taxonomy_thin", "text", None, len(named), total, " ".join(advice))


def _repeated_warning(summary: dict[str, Any], mapping: dict[str, Any]) -> DataWarning | None:
    """The 'repeated non-answer' warning: which placeholder texts went to 'no comment', with their rows."""
    found = [item for item in summary.get("repeated_non_answers") or [] if isinstance(item, dict)]
    if not found:
        return None
    count = sum(int(item.get("rows") or 0) for item in found)
    total = int(summary.get("rows_analyzed") or 0) or count
    named = ", ".join(f"'{item.get('text')}' ({int(item.get('rows') or 0):,} rows)" for item in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    # several comment columns: name the one the placeholders were written in, or none when they differ
    columns = {column for item in found for column in item.get("columns") or [mapping.get("text")]}
    return DataWarning(
        "repeated_non_answer", "text", columns.pop() if len(columns) == 1 else None, count, total,
        f"{count:,} of {total:,} comments only repeat a short text without a content word, which this file uses "
        f"as a placeholder: {named}{more}. They are counted in the 'no comment' group (theme_id -2), not as a "
        "theme; their scores still count in the overall figures.")


def rows_left_out(summary: dict[str, Any]) -> tuple[int, int, int]:
    """(score only, blank, rejected for what they hold): the rows not analysed, apart, so that an optional
    question left empty does not read as bad data. (A summary without ``rows_left_out``, written before the
    statuses were apart, counted all three in ``rows_rejected``.)"""
    blank = int(summary.get("rows_blank") or 0)
    score_only = int(summary.get("rows_score_only") or 0)
    rejected = int(summary.get("rows_rejected") or 0)
    return score_only, blank, rejected if "rows_left_out" in summary else rejected - blank - score_only


def row_counts_text(summary: dict[str, Any], analysed: str = "analysed") -> str:
    """"424 analysed, 582 blank (no comment, no score), 3 rejected" (:func:`rows_left_out`)."""
    score_only, blank, rejected = rows_left_out(summary)
    text = f"{int(summary.get('rows_analyzed') or 0):,} {analysed}"
    if score_only:  # a survey's optional comment left empty: the score counts, there is nothing to theme
        text += f", {score_only:,} with a score but no comment (scores counted)"
    if blank:
        text += f", {blank:,} blank (no comment, no score)"
    return text + f", {rejected:,} rejected"


def coverage_text(summary: dict[str, Any], role: str, minority: float = MINORITY_SHARE) -> str:
    """" (on 89 of 499 rows)" after a headline figure computed on a minority of the rows read, else ""."""
    usable = _usable(summary, role)
    rows_in = int(summary.get("rows_in") or 0)
    if usable and rows_in and usable < minority * rows_in:
        return f" (on {usable:,} of {rows_in:,} rows)"
    return ""


def _usable(summary: dict[str, Any], role: str) -> int:
    block = summary.get(role) or {}
    try:
        return int(block.get("n") or 0)
    except (TypeError, ValueError, AttributeError):
        return 0


def _rejected_by_role(reasons: dict[str, int]) -> dict[str, dict[str, Any]]:
    """role -> {"counts": {problem: rows}, "values": [numbers seen], "texts": [values that are not numbers],
    "scale": the scale named}."""
    out: dict[str, dict[str, Any]] = {}
    for reason, count in reasons.items():
        for part in str(reason).split("; "):
            match = _REASON.match(part.strip())
            if not match:
                continue
            role = ROLE_OF_NAME[match.group(1)]
            found = out.setdefault(role, {"counts": {}, "values": [], "texts": [], "scale": match.group("scale")})
            problem = match.group("problem")
            found["counts"][problem] = found["counts"].get(problem, 0) + int(count)
            value = match.group("value")
            try:
                found["values"].append(float(value.replace(",", ".")))
            except ValueError:
                found["texts"].append(value)
            break  # a row is counted once, for its first score problem
    return out


def _range(values: list[float]) -> str:
    if not values:  # the rejected cells held no readable number (e.g. only blanks after cleaning)
        return ""
    low, high = min(values), max(values)
    return f"{low:g}-{high:g}" if low != high else f"{low:g}"


def _bulk_message(role: str, column: str | None, count: int, total: int, found: dict[str, Any]) -> str:
    name = ROLE_NAMES[role]
    where = f"column '{column}'" if column else f"the {name} column"
    problem = max(found["counts"], key=found["counts"].get)
    values, texts, scale = found["values"], found["texts"], found["scale"]
    head = (f"{count:,} of the {total:,} rows with a value in {where} ({100 * count / total:.0f}%) were rejected "
            f"as {name}: ")
    if problem == "not a whole number":
        why = f"values such as {', '.join(f'{v:g}' for v in sorted(set(values))[:3])} are not whole numbers on {scale}."
        if role in ("nps", "csat", "ces"):
            fix = (f" {_range(values) or 'A score'} with decimals looks like a review score: map it as a rating "
                   f"(stars, review score), not as {name}.")
        else:
            fix = " Map a column of whole numbers."
    elif problem == "outside":
        why = f"values {_range(values)} are outside {scale}." if values else f"some values are outside {scale}."
        if role == "ces":
            fix = " Check the CES scale (1-5 or 1-7) on the Upload tab, or map the column as a rating."
        elif role == "rating":
            fix = " Set the rating scale to the column's own (e.g. --rating-scale 1-10)."
        else:
            fix = (f" {_range(values) or 'It'} looks like a score on another scale: map it as a rating, "
                   f"not as {name}.")
    else:
        shown = ", ".join(f"'{t}'" for t in texts[:2]) or "text"
        why = f"values such as {shown} are not numbers."
        fix = f" Map a column of {name} numbers, or set {name} to (none)."
    return head + why + fix + " The figures below use only the rows that were kept."
