"""Real public feedback exports, read as a new user would: roles found vs expected, rows, themes.

    .venv/bin/python bench/real_exports_sources.py    # once: copy the files from the fetched mirrors
    .venv/bin/python bench/real_exports.py            # load + analyze every file (~10 min on 2 cores)
    .venv/bin/python bench/real_exports.py --load-only   # only cxtext.load: roles and rows (seconds)
    .venv/bin/python bench/real_exports.py --only saudi,red   # files whose name contains one of these

Writes ``bench/results/real_exports.md`` (``real_exports_load.md`` with
``--load-only``, so a quick check never overwrites the full table) and prints it.

The files (``bench/real_exports_sources.py`` lists source, commit, licence and
the expected roles of each) are exports nobody on this team wrote: Qualtrics
(new and legacy layouts), SurveyMonkey, Google Forms, NPS surveys, support
tickets, Google Play and Google Maps reviews, tweets; English, Arabic,
Romanian, Indonesian, Amharic. Nothing is tuned on them: every call uses the
defaults, ``cxtext.load(path)`` and ``cxtext.analyze(path, seed=0)``.

Per role the verdict is:

``ok``        the column chosen is one of the expected ones
``ok (none)`` nothing expected, nothing chosen; or an optional role left unmapped
``ok (alt)``  the column was read under an accepted alternative role (a 1-5
              star rating as ``rating`` or ``csat``; a "how would you rate X,
              0-10" question as ``nps`` or ``rating``)
``WRONG``     a different column than expected was chosen
``MISSING``   a column was expected and none was chosen
``EXTRA``     nothing was expected (the column does not exist or is something
              else, e.g. a sentiment label or a 0/1 flag) and a column was chosen

Rows: ``len(records)`` (distinct ``row`` values when a file has several comment
columns) against the manifest's data rows; survey-tool header rows read as
data show up here.

Files with ``"held_out": True`` in the manifest (added after the detector was
fixed on the first 14, roles written down before cxtext saw them) get their
own table, summary line and failure list: the in-sample score and the
held-out score are never added together.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from real_exports_sources import DATA, SOURCES  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BASE_ROLES = ("text", "nps", "ces", "csat", "rating", "date", "source", "segment", "id")


def tool_roles() -> tuple[str, ...]:
    try:
        from cxtext.schema import ROLES

        return tuple(ROLES)
    except Exception:  # noqa: BLE001 - the schema is being rewritten; fall back to the known roles
        return BASE_ROLES


def found_mapping(mapping) -> dict[str, str | None]:
    """``{role: column}`` from a ColumnMapping (or a dict), every role present."""
    if mapping is None:
        return {}
    if isinstance(mapping, dict):
        out = dict(mapping)
    else:
        out = dict(mapping.as_dict())
    text_columns = getattr(mapping, "text_columns", None) if not isinstance(mapping, dict) else None
    if text_columns:
        out["_text_columns"] = list(text_columns)
    return out


def judge(entry: dict, found: dict[str, str | None], roles: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Per role: (verdict, detail). Verdicts: ok, ok (none), ok (alt), WRONG, MISSING, EXTRA."""
    expected: dict[str, list[str]] = dict(entry["roles"])
    optional = set(entry.get("optional", []))
    either = [set(group) for group in entry.get("either", [])]
    if "rating" not in roles:  # a tool without a rating role may read stars as CSAT
        for group in either:
            group.discard("rating")
    verdicts: dict[str, tuple[str, str]] = {}
    for role in roles:
        want = expected.get(role, [])
        got = found.get(role)
        if not want:
            verdicts[role] = ("ok (none)", "") if got is None else ("EXTRA", f"{got}")
        elif got is None:
            verdicts[role] = ("ok (none)", "") if role in optional else ("MISSING", f"expected {want[0]}")
        elif got in want or "*" in want:
            verdicts[role] = ("ok", got)
        else:
            verdicts[role] = ("WRONG", f"{got} (expected {' / '.join(w for w in want if w != '*')})")
    for group in either:  # one role of the group satisfied is enough
        if any(verdicts.get(r, ("",))[0] == "ok" for r in group):
            for role in group:
                if verdicts.get(role, ("",))[0] == "MISSING":
                    verdicts[role] = ("ok (alt)", "")
    return verdicts


def text_column_notes(entry: dict, found: dict) -> tuple[str, list[str]]:
    """With several comment columns: a short cell suffix and failure lines for extra or missed columns."""
    chosen = found.get("_text_columns") or ([found["text"]] if found.get("text") else [])
    want = entry["roles"].get("text", [])
    if "*" in want:
        return (f" ({len(chosen)} cols)" if len(chosen) > 1 else ""), []
    extra = [c for c in chosen if c not in want]
    missed = [c for c in want if c not in chosen]
    notes = []
    if extra and chosen and chosen[0] in want:
        notes.append(
            "also read as comments (not comment columns): " + ", ".join(f"`{short(c, 60)}`" for c in extra)
        )
    if missed and chosen and chosen[0] in want:
        notes.append("comment column(s) not read: " + ", ".join(f"`{short(c, 60)}`" for c in missed))
    suffix = (
        f" ({len(chosen) - len(extra)}/{len(want)}" + (f" +{len(extra)} extra" if extra else "") + ")"
        if (len(want) > 1 or len(chosen) > 1)
        else ""
    )
    return suffix, notes


def mapping_reasons_of(obj) -> dict | None:
    """The per-role reasons, wherever this version of cxtext keeps them (None if nowhere)."""
    summary = getattr(obj, "summary", None)
    if isinstance(summary, dict) and summary.get("mapping_reasons"):
        return summary.get("mapping_reasons")
    for name in ("mapping_reasons", "reasons"):
        value = getattr(obj, name, None)
        if isinstance(value, dict) and value:
            return value
    decision = getattr(obj, "decision", None)
    value = getattr(decision, "reasons", None)
    return value if isinstance(value, dict) and value else None


def rows_read(records) -> int:
    if records is None:
        return -1
    if "row" in records.columns:
        return int(records["row"].nunique())
    return int(len(records))


def short(text: str | None, width: int = 42) -> str:
    text = "" if text is None else str(text).replace("\n", " ").replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def value_checks(entry: dict, feedback, found: dict) -> list[tuple[str, str, bool]]:
    """Were the mapped scores and dates read as written? ``(role, what, ok)`` per check.

    Scores: the raw column's numbers against ``records[role]``. Dates: the raw
    column parsed with the manifest's true format against ``records["date"]``
    (so a day-first column read month-first shows here).
    """
    import numpy as np
    import pandas as pd

    records = feedback.records
    if "row" in records.columns:
        records = records.drop_duplicates("row")
    frame = getattr(getattr(feedback, "table", None), "frame", None)
    if frame is None or len(frame) != len(records):
        return [("rows", "raw table and records differ in length: values not compared", False)]
    out = []
    for role in ("nps", "ces", "csat", "rating"):
        column = found.get(role)
        if not column or role not in records.columns or column not in frame.columns:
            continue
        raw = pd.to_numeric(frame[column].astype("string").str.strip(), errors="coerce").to_numpy(dtype=float)
        got = pd.to_numeric(records[role], errors="coerce").to_numpy(dtype=float)
        n_raw, n_got = int(np.isfinite(raw).sum()), int(np.isfinite(got).sum())
        same = int((np.isfinite(raw) & np.isfinite(got) & (raw == got)).sum())
        out.append(
            (
                role,
                f"`{short(column, 40)}`: {same}/{n_raw} numbers read as written"
                + ("" if n_got == n_raw else f", {n_got} read"),
                same == n_raw and n_got == n_raw,
            )
        )
    column = found.get("date")
    fmt = entry.get("date_formats", {}).get(column)
    if column and fmt and "date" in records.columns and column in frame.columns:
        expected = pd.to_datetime(frame[column].astype("string").str.strip(), format=fmt, errors="coerce")
        got = pd.to_datetime(records["date"], errors="coerce")
        if getattr(got.dt, "tz", None) is not None:
            got = got.dt.tz_localize(None)
        expected_values = expected.to_numpy(dtype="datetime64[ns]")
        got_values = got.to_numpy(dtype="datetime64[ns]")
        n = int((~np.isnat(expected_values)).sum())
        same = int((expected_values == got_values).sum())
        wrong = [
            (str(frame[column].iloc[i]), str(got.iloc[i]))
            for i in range(len(frame))
            if not np.isnat(expected_values[i]) and expected_values[i] != got_values[i]
        ][:2]
        out.append(
            (
                "date",
                f"`{short(column, 40)}`: {same}/{n} dates read as written ({fmt})"
                + (f"; e.g. {'; '.join(f'{a!r} read as {b}' for a, b in wrong)}" if wrong else ""),
                same == n,
            )
        )
    return out


def run_file(entry: dict, analyze: bool, roles: tuple[str, ...]) -> dict:
    import cxtext

    path = DATA / entry["file"]
    result: dict = {"entry": entry, "error": None}
    start = time.perf_counter()
    try:
        feedback = cxtext.load(path)
        result["load_s"] = time.perf_counter() - start
        result["found"] = found_mapping(feedback.mapping)
        result["rows"] = rows_read(feedback.records)
        result["rejected"] = int((feedback.records["status"] != "analyzed").sum())
        result["reasons"] = mapping_reasons_of(feedback)
        table = getattr(feedback, "table", None)
        result["skipped"] = getattr(table, "skipped_rows", None)
        result["layout"] = getattr(table, "layout", None)
        result["delimiter"] = getattr(table, "delimiter", None)
        decision = getattr(feedback, "decision", None)
        scale = getattr(feedback, "rating_scale", None) or getattr(decision, "rating_scale", None)
        result["rating_scale"] = getattr(scale, "label", None)
        try:
            result["values"] = value_checks(entry, feedback, result["found"])
        except Exception as error:  # noqa: BLE001
            result["values"] = [
                ("values", f"check failed: {type(error).__name__}: {short(str(error), 100)}", False)
            ]
    except Exception as error:  # noqa: BLE001 - a benchmark reports every failure and goes on
        result["error"] = f"load: {type(error).__name__}: {short(str(error), 160)}"
        result["trace"] = traceback.format_exc(limit=3)
        return result
    if analyze:
        start = time.perf_counter()
        try:
            analysis = cxtext.analyze(path, seed=0)
            summary = analysis.summary
            result["analyze_s"] = time.perf_counter() - start
            result["themes"] = summary.get("theme_count", len(analysis.themes))
            result["unthemed"] = summary.get("unthemed_share")
            result["languages"] = summary.get("languages")
            result["analysed"] = summary.get("rows_analyzed")
            result["analysis_mapping"] = found_mapping(summary.get("mapping"))
            result["reasons"] = summary.get("mapping_reasons") or result["reasons"]
            result["header_rows_skipped"] = (summary.get("input") or {}).get("header_rows_skipped")
            result["rating_scale"] = result["rating_scale"] or (summary.get("rating") or {}).get("scale")
            result["top_themes"] = (
                [
                    short(label, 30)
                    for label in analysis.themes.sort_values("size", ascending=False)["label"].head(3)
                ]
                if "label" in analysis.themes
                else []
            )
        except Exception as error:  # noqa: BLE001
            result["analyze_error"] = f"analyze: {type(error).__name__}: {short(str(error), 160)}"
            result["trace"] = traceback.format_exc(limit=3)
    return result


def verdict_cell(verdict: tuple[str, str]) -> str:
    name, detail = verdict
    if name in ("ok (none)", "ok (alt)"):
        return name.replace("ok (none)", "–")
    if name == "ok":
        return "ok"
    return f"**{name}**" + (f" {short(detail, 34)}" if detail else "")


def code_state() -> str:
    """Which cxtext was measured: the commit, and whether cxtext/ had uncommitted changes."""
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "cxtext"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "cxtext: version unknown (no git)"
    return f"cxtext: commit {commit}" + (
        f" plus uncommitted changes to {len(dirty)} file(s) under cxtext/" if dirty else ""
    )


def files_table(results: list[dict]) -> list[str]:
    lines = [
        "## Files",
        "",
        "| file | source @ commit | licence | kind | languages | data rows (+ header rows) |",
        "|---|---|---|---|---|---:|",
    ]
    for res in results:
        e = res["entry"]
        licence = e["licence"]
        lines.append(
            f"| {e['file']}{' (held-out)' if e.get('held_out') else ''} | {e['repo']} @ {e['commit'][:7]} | "
            f"{short(licence, 70)} | "
            f"{short(e['kind'], 90)} "
            f"| {', '.join(e['languages'])} | {e['rows']} (+{e['extra_header_rows']}) |"
        )
    return lines + [""]


def score_table(
    results: list[dict], analyze: bool, roles: tuple[str, ...], shown_roles: list[str]
) -> tuple[list[str], int, int, list[str]]:
    """The verdict table of some files: (lines, role checks right, role checks, failure lines)."""
    lines: list[str] = []
    header = ["file", "lang", "rows exp / read", "text"] + shown_roles + ["roles ok", "values read"]
    if analyze:
        header += ["themes", "unthemed", "analyze s"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    total_ok = total = 0
    failures: list[str] = []
    for res in results:
        e = res["entry"]
        if res["error"]:
            lines.append(
                f"| {e['file']} | {','.join(e['languages'])} | {e['rows']} / – | **{res['error']}** |"
                + " |" * (len(header) - 4)
            )
            failures.append(f"- `{e['file']}`: {res['error']}")
            continue
        verdicts = judge(e, res["found"], roles)
        scored = [r for r in roles if not (verdicts[r][0] == "ok (none)" and not e["roles"].get(r))]
        ok = sum(1 for r in scored if verdicts[r][0].startswith("ok"))
        total_ok += ok
        total += len(scored)
        rows_ok = res["rows"] == e["rows"]
        rows_cell = f"{e['rows']} / {res['rows']}" + ("" if rows_ok else " **≠**")
        text_suffix, text_notes = text_column_notes(e, res["found"])
        cells = [e["file"], ",".join(e["languages"]), rows_cell, verdict_cell(verdicts["text"]) + text_suffix]
        failures += [f"- `{e['file']}` **text**: {note}" for note in text_notes]
        cells += [verdict_cell(verdicts[r]) for r in shown_roles]
        cells.append(f"{ok}/{len(scored)}")
        checks = res.get("values") or []
        bad = [c for c in checks if not c[2]]
        cells.append("–" if not checks else ("ok" if not bad else "**" + ", ".join(c[0] for c in bad) + "**"))
        failures += [f"- `{e['file']}` **{role} values**: {what}" for role, what, ok_ in checks if not ok_]
        if analyze:
            if res.get("analyze_error"):
                cells += [f"**{short(res['analyze_error'], 60)}**", "", ""]
            else:
                unthemed = res.get("unthemed")
                cells += [
                    str(res.get("themes")),
                    f"{unthemed:.1%}" if isinstance(unthemed, (int, float)) else "–",
                    f"{res.get('analyze_s', 0):.0f}",
                ]
        lines.append("| " + " | ".join(cells) + " |")
        reasons = res.get("reasons") or {}
        for role in roles:
            name, detail = verdicts[role]
            if name in ("WRONG", "MISSING", "EXTRA"):
                why = reasons.get(role, {}).get("why") if isinstance(reasons.get(role), dict) else None
                failures.append(
                    f"- `{e['file']}` **{role}** {name}: chosen `{res['found'].get(role)}`; expected "
                    f"{', '.join('`' + c + '`' for c in e['roles'].get(role, [])) or 'none'}"
                    + (f". Tool's reason: {short(why, 200)}" if why else "")
                )
        if e.get("rating_scale") and res.get("rating_scale") and res["rating_scale"] != e["rating_scale"]:
            failures.append(
                f"- `{e['file']}` **rating scale**: detected {res['rating_scale']}, "
                f"expected {e['rating_scale']}"
            )
        if not rows_ok:
            skipped = res.get("header_rows_skipped") or res.get("skipped")
            failures.append(
                f"- `{e['file']}` **rows**: read {res['rows']}, expected {e['rows']} "
                f"(+{e['extra_header_rows']} survey-tool header rows in the file)"
                + (f"; header rows skipped: {short(str(skipped), 120)}" if skipped else "")
            )
        if analyze and res.get("analyze_error"):
            failures.append(f"- `{e['file']}` {res['analyze_error']}")
    return lines, total_ok, total, failures


def report(results: list[dict], analyze: bool, roles: tuple[str, ...], seconds: float) -> str:
    from machine import machine_line

    command = "`.venv/bin/python bench/real_exports.py" + ("" if analyze else " --load-only") + "`"
    shown_roles = [r for r in roles if r != "text"]
    lines = [
        "# Real exports: what a new user's file gives",
        "",
        machine_line(),
        "",
        code_state() + ".",
        "",
        f"Command: {command} ({seconds:.0f} s). Files: `bench/real_exports_sources.py` (sources, licences, "
        "expected roles; `python bench/real_exports_sources.py --list` prints them); data in "
        "`bench/data/real_exports/` (git-ignored). Defaults only: `cxtext.load(path)`"
        + (", `cxtext.analyze(path, seed=0)`" if analyze else "")
        + ". "
        "Verdicts: ok; – (nothing expected or optional, nothing chosen; `ok (alt)`: an accepted other role); "
        "**WRONG** other column; **MISSING** none chosen; **EXTRA** chosen where none should be. "
        "*values read*: the mapped score columns' numbers and the date column (parsed with its true format) "
        "compared with what cxtext put in `records`. *analyze s* is this run's wall time: embeddings and "
        "theme fits are cached per text, so a file analysed before takes seconds.",
        "",
    ]
    main = [res for res in results if not res["entry"].get("held_out")]
    held_out = [res for res in results if res["entry"].get("held_out")]
    table, total_ok, total, failures = score_table(main, analyze, roles, shown_roles)
    lines += table
    lines += [
        "",
        f"Roles right (ok, or correctly left unmapped where something was expected or optional): "
        f"**{total_ok}/{total}** role checks over {len(main)} files "
        f"(roles with nothing expected and nothing chosen are not counted).",
        "",
    ]
    held_failures: list[str] = []
    if held_out:
        table, held_ok, held_total, held_failures = score_table(held_out, analyze, roles, shown_roles)
        lines += [
            "## Held-out batch",
            "",
            "Files marked `held_out` in `bench/real_exports_sources.py`: public exports added after the "
            "column detection was fixed on the files above. Their expected roles were written down from "
            "reading each file before cxtext was run on it, and no detection code was changed after; "
            "this is the out-of-sample figure.",
            "",
        ]
        lines += table
        lines += [
            "",
            f"Held-out batch, added after the detector was fixed: **{held_ok}/{held_total}** role checks "
            f"right over {len(held_out)} files (same verdicts and counting as above).",
            "",
        ]
    lines += ["## Detection failures", ""] + (failures or ["None."]) + [""]
    if held_out:
        lines += ["### Held-out batch", ""] + (held_failures or ["None."]) + [""]
    if analyze:
        lines += [
            "## Themes",
            "",
            "| file | analysed rows | languages | themes | unthemed | largest themes |",
            "|---|---:|---|---:|---:|---|",
        ]
        for res in results:
            if res["error"] or res.get("analyze_error"):
                continue
            langs = res.get("languages") or {}
            lang_text = ", ".join(f"{k} {v}" for k, v in list(langs.items())[:4])
            unthemed = res.get("unthemed")
            lines.append(
                f"| {res['entry']['file']} | {res.get('analysed')} | {lang_text} | {res.get('themes')} | "
                + (f"{unthemed:.1%}" if isinstance(unthemed, (int, float)) else "–")
                + f" | {'; '.join(res.get('top_themes') or [])} |"
            )
        lines.append("")
    lines += files_table(results)
    lines += ["## Mapping reasons", ""]
    any_reasons = False
    for res in results:
        reasons = res.get("reasons")
        if not reasons:
            continue
        any_reasons = True
        lines.append(f"**{res['entry']['file']}**")
        lines.append("")
        for role in roles:
            reason = reasons.get(role)
            if isinstance(reason, dict) and (reason.get("column") or reason.get("passed_over")):
                passed = reason.get("passed_over") or []
                passed_text = "; ".join(
                    f"{short(p.get('column'), 30)}: {short(p.get('why'), 60)}"
                    for p in passed[:3]
                    if isinstance(p, dict)
                )
                lines.append(
                    f"- {role} ← `{short(reason.get('column') or '(none)', 50)}`: "
                    f"{short(reason.get('why'), 160)}"
                    + (f" (passed over: {passed_text})" if passed_text else "")
                )
        lines.append("")
    if not any_reasons:
        lines += ["This version of cxtext exposes no mapping reasons (`summary['mapping_reasons']`).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load-only", action="store_true", help="only cxtext.load: roles and rows")
    parser.add_argument("--only", default="", help="comma-separated parts of file names to run")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    entries = SOURCES
    if args.only:
        parts = [p.strip() for p in args.only.split(",") if p.strip()]
        entries = [e for e in SOURCES if any(p in e["file"] for p in parts)]
    missing = [e["file"] for e in entries if not (DATA / e["file"]).exists()]
    if missing:
        print(
            f"Missing in {DATA}: {', '.join(missing)}. "
            "Run .venv/bin/python bench/real_exports_sources.py first."
        )
        return 2
    roles = tool_roles()
    start = time.perf_counter()
    results = []
    for entry in entries:
        print(f"{entry['file']} ...", file=sys.stderr, flush=True)
        results.append(run_file(entry, analyze=not args.load_only, roles=roles))
        res = results[-1]
        if res.get("trace") and os.environ.get("CXTEXT_BENCH_TRACE"):
            print(res["trace"], file=sys.stderr)
    text = report(results, analyze=not args.load_only, roles=roles, seconds=time.perf_counter() - start)
    print(text)
    if not args.no_write and not args.only:
        out = RESULTS / ("real_exports_load.md" if args.load_only else "real_exports.md")
        out.write_text(text + "\n", encoding="utf-8")
        print(f"\nwrote {out.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
