"""The commands behind ``cxtext analyze|run``, ``cxtext history`` and ``cxtext themes``.

Each composes library calls (:func:`cxtext.analysis.run_pipeline`, :class:`cxtext.history.AnalysisStore`,
the edits of :class:`cxtext.analysis.Analysis`, :mod:`cxtext.themes.suggest`) and prints through
:mod:`cxtext.cli.printing`; a :class:`~cxtext.errors.CxtextError` ends the command (exit code 2).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from cxtext.cli.printing import ProgressPrinter, print_columns, print_headline, print_themes
from cxtext.errors import ConfigError, CxtextError


def run_command(args: argparse.Namespace) -> int:
    from cxtext.analysis import run_pipeline
    from cxtext.pipeline import load_pipeline

    config = load_pipeline(args.pipeline if args.command == "run" else "survey_comments")
    overrides: dict[str, Any] = {
        "seed": args.seed,
        "columns": {role: getattr(args, role) for role in
                    ("text", "nps", "ces", "csat", "rating", "date", "source", "segment", "id")},
        "ces_scale": args.ces_scale,
        "rating_scale": args.rating_scale,
        "ces_easy_end": args.ces_easy_end,
        "embed": {"model": args.model, "backend": args.backend},
        "themes": {"min_theme_size": args.min_theme_size} if args.min_theme_size is not None else {},
        "drivers": {"level": args.level},
    }
    if args.parents is not None:
        overrides["themes"]["parents"] = args.parents
    if getattr(args, "taxonomy_rule", None):
        if not args.taxonomy:
            raise ConfigError("--taxonomy-rule says how comments are matched to a taxonomy: give the taxonomy "
                              "with --taxonomy FILE, or leave --taxonomy-rule out.")
        overrides["themes"]["taxonomy_rule"] = args.taxonomy_rule
    if getattr(args, "mentions", False):
        if args.engine == "dask":
            raise ConfigError("--mentions runs with the local engine only; leave out --engine dask.")
        overrides["themes"]["mentions"] = True
    if args.competitors:
        overrides["social"] = {"competitors": _competitors(args.competitors)}
    if args.no_redact:
        overrides["normalize"] = {"redact_pii": False}
    if args.by:
        overrides["drivers"]["by"] = sorted(set(args.by))
    report_formats = [f for f in dict.fromkeys(args.format or []) if f in ("html", "pptx")]
    table_formats = [f for f in args.format or [] if f not in ("html", "pptx")]
    if table_formats:
        overrides["export"] = {"formats": sorted({"csv", *table_formats})}
    config = config.with_overrides(overrides)
    progress = None if args.quiet else ProgressPrinter()
    if args.engine == "dask":
        from cxtext.engines.dask_engine import DEFAULT_WORKERS, run_pipeline_dask

        if args.sheet:
            raise CxtextError("--sheet is for XLSX files; the dask engine reads CSV, TSV, JSON(L) and Parquet.")
        if args.taxonomy:
            raise CxtextError("--taxonomy is not supported by the dask engine yet; run it with --engine local.")
        if args.workers is not None and args.workers < 1:
            raise CxtextError(f"--workers must be 1 or more. Got {args.workers}.")
        analysis = run_pipeline_dask(config, args.input, themes=args.themes, scheduler=args.scheduler,
                                     workers=args.workers or DEFAULT_WORKERS, blocksize=args.partition_size,
                                     cache_path=args.cache, progress=progress)
    else:
        for flag in ("scheduler", "workers", "partition_size"):
            if getattr(args, flag) is not None:
                raise CxtextError(f"--{flag.replace('_', '-')} needs --engine dask.")
        analysis = run_pipeline(config, args.input, themes=args.themes, taxonomy=args.taxonomy, sheet=args.sheet,
                                cache_path=args.cache, progress=progress,
                                on_columns=None if args.quiet else print_columns)
    if progress:
        progress.finish()
    written = analysis.write(args.out)
    if report_formats:
        from cxtext.report import write_report

        written += write_report(analysis, args.out, report_formats)
    if args.save_themes and analysis.theme_model is not None:
        analysis.theme_model.save(args.save_themes)
        written.append(Path(args.save_themes))
    print_headline(analysis.summary, args.out, written)
    if not args.no_history:
        from cxtext.history import AnalysisStore

        store = AnalysisStore()
        print(f"kept in the history as {store.save(analysis)} ({store.path})")
    return 0


def _competitors(value: str) -> dict[str, list[str]]:
    from cxtext.social.competitors import parse_competitors

    path = Path(value)
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else value
    parsed = parse_competitors(text)
    if not parsed:
        raise CxtextError(f"--competitors {value!r} names no competitor; pass e.g. \"Vodafone: Vodafone RO; Orange\".")
    return parsed


def history_command(args: argparse.Namespace) -> int:
    from cxtext.history import AnalysisStore

    store = AnalysisStore()
    if args.action == "list" or args.action is None:
        past = store.list()
        if past.empty:
            print(f"no past analyses in {store.path}")
        for row in past.itertuples():
            nps = "" if row.nps is None or row.nps != row.nps else f", NPS {row.nps:+.1f}"
            print(f"{row.id}  {row.created_utc}  {row.name}: {row.rows_in} rows, {row.theme_count} themes{nps}")
        return 0
    if args.action == "delete":
        if not store.delete(args.analysis_id):
            raise CxtextError(f"no past analysis {args.analysis_id!r}; 'cxtext history list' shows them.")
        print(f"deleted {args.analysis_id}")
        return 0
    if args.action in ("split", "move"):
        return _history_edit(store, args)
    analysis = store.load(args.analysis_id)
    formats = args.format or []
    written = analysis.write(args.out, sorted({"csv", *[f for f in formats if f not in ("html", "pptx")]}))
    if any(f in ("html", "pptx") for f in formats):
        from cxtext.report import write_report

        written += write_report(analysis, args.out, [f for f in formats if f in ("html", "pptx")])
    for path in written:
        print(path)
    return 0


def _history_edit(store, args: argparse.Namespace) -> int:
    """``history split|move``: edit a past analysis, save it as a new entry, print the new id."""
    return _edit_past_analysis(store, args.target, args.action, args)


def _edit_past_analysis(store, analysis_id: str, action: str, args: argparse.Namespace) -> int:
    """One edit of a past analysis (``history split|move``, ``themes ACTION ID``), saved as a new entry.

    Prints the new id, then the themes (id, size, label).
    """
    analysis = store.load(analysis_id)
    listed = store.list()
    names = dict(zip(listed["id"], listed["name"]))
    name = names.get(analysis_id, "analysis")
    if action == "split":
        edited = analysis.split_theme(args.theme_id, n=args.n)
        what = f"split theme {args.theme_id}"
    elif action == "move":
        try:
            rows = [int(part) for part in args.rows.replace(" ", "").split(",") if part]
        except ValueError:
            raise CxtextError(f"--rows must be row numbers separated by commas, e.g. 3,4,9. "
                              f"Got {args.rows!r}.") from None
        edited = analysis.move_comments(rows, args.to)
        what = f"moved {len(rows)} row(s) to {args.to}"
    elif action == "rename":
        edited = analysis.rename_theme(args.theme_id, args.label)
        what = f"renamed theme {args.theme_id}"
    elif action == "merge":
        edited = analysis.merge_themes(args.theme_ids, args.label)
        what = f"merged themes {', '.join(map(str, sorted(set(args.theme_ids))))}"
    elif action == "delete":
        edited = analysis.delete_theme(args.theme_id)
        what = f"deleted theme {args.theme_id}"
    elif action == "apply":
        from cxtext.themes.suggest import apply_numbered

        edited = apply_numbered(analysis, args.apply, max_suggestions=args.max)
        what = f"applied suggestion {args.apply}"
    else:
        raise CxtextError(f"unknown edit {action}")
    new_id = store.save(edited, name=f"{name} ({what})")
    print(new_id)
    print_themes(edited.themes)
    return 0


def _is_model_dir(target: str) -> bool:
    """A theme model folder (or a path meant as one) rather than a history id."""
    path = Path(target)
    return path.is_dir() or (path / "model.json").exists() or "/" in target or os.sep in target


def themes_command(args: argparse.Namespace) -> int:
    from cxtext.themes import ThemeModel

    if args.edit is None:
        raise CxtextError("say what to do: cxtext themes show|rename|merge|delete|split|move|suggest TARGET ...")
    if not _is_model_dir(args.target):
        from cxtext.history import AnalysisStore

        store = AnalysisStore()
        if args.edit == "show":
            print_themes(store.load(args.target).themes)
            return 0
        if args.edit == "suggest":
            return _suggest(store, args)
        return _edit_past_analysis(store, args.target, args.edit, args)
    if args.edit in ("split", "move", "suggest"):
        raise CxtextError(
            f"{args.target} is a saved theme model, which holds no comments, so it cannot {args.edit} "
            f"them; {args.edit} the themes of a past analysis instead: 'cxtext themes {args.edit} ID ...' "
            f"or 'cxtext history {args.edit} ID ...' ('cxtext history list' shows the ids)."
            if args.edit != "suggest" else
            f"{args.target} is a saved theme model, which holds no comments; suggestions need a past "
            "analysis: 'cxtext themes suggest ID' ('cxtext history list' shows the ids)."
        )
    model = ThemeModel.load(args.target)
    if args.edit == "rename":
        model.rename(args.theme_id, args.label)
    elif args.edit == "merge":
        model.merge(args.theme_ids, args.label)
    elif args.edit == "delete":
        model.delete(args.theme_id)
    if args.edit != "show":
        model.save(args.target)
    print_themes(model.themes_)
    return 0


def _suggest(store, args: argparse.Namespace) -> int:
    """``themes suggest ID``: the numbered suggestions with evidence and commands, or ``--apply N``."""
    from cxtext.themes.suggest import suggest_edits, suggestion_command

    if args.max < 1:
        raise CxtextError(f"--max must be 1 or more. Got {args.max}.")
    if args.apply is not None:
        return _edit_past_analysis(store, args.target, "apply", args)
    suggestions = suggest_edits(store.load(args.target), max_suggestions=args.max)
    if suggestions.empty:
        print("no suggestions: no two themes look alike and no theme has two clear sub-groups or two parts "
              "whose scores differ (detractor rate, or rating without NPS).")
        return 0
    for row in suggestions.to_dict("records"):
        names = " + ".join(f"{t} '{label}'" for t, label in zip(row["theme_ids"], row["labels"]))
        print(f"{row['suggestion']:>2}. {row['kind']} {names}  (score {row['score']:.2f})")
        print(f"    {row['evidence']}")
        if row["kind"] == "split":
            for size, label, words in zip(row["part_sizes"], row["part_labels"], row["part_keywords"]):
                print(f"    part '{label}': {size} comments; {', '.join(words)}")
        print(f"    apply: {suggestion_command(row, args.target)}   (or: cxtext themes suggest {args.target} "
              f"--apply {row['suggestion']})")
    return 0
