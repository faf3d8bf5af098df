"""Command line: ``cxtext analyze``, ``cxtext run``, ``cxtext themes``, ``cxtext app``.

Bad usage or unreadable input ends with exit code 2 and one line on stderr,
never a traceback. The commands only compose library calls.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from cxtext import __version__
from cxtext.errors import CxtextError

EXIT_USAGE = 2

EPILOG = """\
examples:
  cxtext analyze examples/sample_feedback.csv --out out/sample
  cxtext analyze survey.xlsx --text "Why?" --nps "Score" --ces Effort --ces-scale 1-5 --ces-low-is-easy --out out/q3
  cxtext analyze april.csv --themes models/march-themes --out out/april
  cxtext run pipelines/social_mentions.yaml mentions.jsonl --out out/social
  cxtext analyze "exports/*.csv" --engine dask --scheduler tcp://10.0.0.5:8786 --out out/all
  cxtext themes rename models/march-themes 3 "Refund delays"
  cxtext history split 1a2b3c4d5e6f 3 --n 2
  cxtext themes suggest 1a2b3c4d5e6f
  cxtext history move 1a2b3c4d5e6f --rows 3,4,9 --to 5
  cxtext app --port 7860

input columns (auto-detected from headers unless named):
  text (comment, feedback, verbatim, review, ...), nps (0-10), ces (1-5 or 1-7; say which end is easy),
  csat (1-5), date, source/channel, segment, id
"""


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) on bad usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"cxtext: error: {message} (see 'cxtext {self._command_name()} --help')\n")
        raise SystemExit(EXIT_USAGE)

    def _command_name(self) -> str:
        return " ".join(self.prog.split()[1:]) or ""


def _add_mapping_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("columns (auto-detected when not given)")
    group.add_argument("--text", metavar="COL", action="append",
                       help="comment text column; repeat for several (each non-empty cell is a comment of its row)")
    for role, help_text in (
        ("nps", "NPS column, 0-10 likelihood to recommend"),
        ("ces", "CES (customer effort) column"),
        ("csat", "CSAT column, 1-5"),
        ("rating", "star rating or review score column (never read as NPS)"),
        ("date", "date/time column"),
        ("source", "source/channel column (survey, twitter, ...)"),
        ("segment", "customer segment column"),
        ("id", "row id column"),
    ):
        group.add_argument(f"--{role}", metavar="COL", help=help_text)
    group.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    parser.add_argument_group("rating scale").add_argument(
        "--rating-scale", metavar="LOW-HIGH", help="scale of --rating, e.g. 1-5 or 1-10 (default: detected)")
    scale = parser.add_argument_group("CES scale")
    scale.add_argument("--ces-scale", choices=["1-5", "1-7"], help="CES scale (default 1-7)")
    direction = scale.add_mutually_exclusive_group()
    direction.add_argument("--ces-low-is-easy", dest="ces_easy_end", action="store_const", const="low",
                           help="1 means very easy")
    direction.add_argument("--ces-high-is-easy", dest="ces_easy_end", action="store_const", const="high",
                           help="the top of the scale means very easy (default)")


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="CSV, TSV, XLSX, JSON, JSONL or Parquet file "
                                      "(with --engine dask: a file or a glob such as 'exports/*.csv')")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write results into")
    parser.add_argument("--model", metavar="NAME_OR_PATH",
                        help='embedding model: "default" (multilingual-e5-small), "minilm", a local '
                             "sentence-transformers folder or a model name")
    parser.add_argument("--min-theme-size", type=int, metavar="N",
                        help="smallest theme size (default: scaled to the number of comments)")
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default 0)")
    parser.add_argument("--themes", metavar="MODEL_DIR",
                        help="reuse a saved theme model instead of discovering themes")
    parser.add_argument("--taxonomy", metavar="FILE",
                        help="your own themes (CSV, TSV, XLSX or YAML with a 'theme' column; optional "
                             "'description', 'examples' separated by '|', 'parent'): matching comments get "
                             "these names, the rest are clustered as usual (themes.csv column 'origin')")
    parser.add_argument("--format", action="append", choices=["csv", "xlsx", "parquet", "json", "html", "pptx"],
                        help="extra output formats (repeatable); CSV is always written; html writes a "
                             "self-contained report.html, pptx a report.pptx deck")
    parser.add_argument("--backend", choices=["auto", "torch", "torch-int8", "onnx", "onnx-int8", "model2vec"],
                        help="how the embedding model runs (default auto: onnx-int8 for the default model, "
                             "torch for others; speed vs quality in models/README.md)")
    parser.add_argument("--parents", type=int, metavar="N",
                        help="number of parent themes (default: about the square root of the theme count)")
    parser.add_argument("--level", choices=["theme", "parent"],
                        help="drivers.csv per theme (default) or per parent theme")
    parser.add_argument("--competitors", metavar="LIST_OR_FILE",
                        help='competitor names to find in comments: "Vodafone: Vodafone RO, فودافون; Orange" '
                             "or a text file with one 'Name: alias, alias' per line")
    parser.add_argument("--no-history", action="store_true",
                        help="do not keep this analysis in the history (cxtext history list)")
    parser.add_argument("--by", action="append", choices=["source", "segment", "month", "text_column"],
                        help="also write the driver table per source, segment or month (repeatable)")
    parser.add_argument("--save-themes", metavar="MODEL_DIR", help="save the fitted theme model here")
    parser.add_argument("--no-redact", action="store_true",
                        help="keep e-mails, phone numbers, card numbers, IBANs and @handles (masked by default)")
    parser.add_argument("--cache", metavar="FILE", help="embedding cache file (default: user cache dir)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    engine = parser.add_argument_group("engine (docs/dask.md)")
    engine.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="local: this process (default); dask: partitions on Dask workers")
    engine.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="Dask scheduler to use (default: a local cluster of --workers processes)")
    engine.add_argument("--workers", type=int, metavar="N",
                        help="worker processes of the local Dask cluster (default 2)")
    engine.add_argument("--partition-size", metavar="SIZE",
                        help='split CSV/TSV/Parquet files into blocks of SIZE (e.g. "64MB"; default one '
                             "partition per file; only when no quoted cell holds a line break)")


def _add_split_arguments(parser: argparse.ArgumentParser, target_help: str) -> None:
    parser.description = ("Re-cluster one theme's comments into N parts (N chosen automatically when not "
                          "given) and save the edited analysis as a new history entry; prints its id.")
    parser.add_argument("target", metavar="ID", help=target_help)
    parser.add_argument("theme_id", type=int)
    parser.add_argument("--n", type=int, metavar="N", help="number of parts (default: best silhouette, 2-5)")


def _add_move_arguments(parser: argparse.ArgumentParser, target_help: str) -> None:
    parser.description = ("Move comments (the 'row' numbers of assignments.csv) to a theme, or to -1 to "
                          "unassign them, and save the edited analysis as a new history entry; prints its id.")
    parser.add_argument("target", metavar="ID", help=target_help)
    parser.add_argument("--rows", required=True, metavar="3,4,9", help="comma-separated row numbers")
    parser.add_argument("--to", required=True, type=int, metavar="THEME_ID", help="target theme id (-1: unthemed)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cxtext", description="Find the themes in customer feedback that drive detractors.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cxtext {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    analyze = commands.add_parser("analyze", help="analyse a comment dump (the survey_comments pipeline)",
                                  description="Analyse a comment dump with the survey_comments pipeline; "
                                              "flags override the pipeline's parameters.")
    _add_run_arguments(analyze)
    _add_mapping_arguments(analyze)

    run = commands.add_parser("run", help="run a named pipeline file on a comment dump",
                              description="Run a pipeline YAML (e.g. pipelines/social_mentions.yaml).")
    run.add_argument("pipeline", help="pipeline YAML path or name (survey_comments, social_mentions)")
    _add_run_arguments(run)
    _add_mapping_arguments(run)

    themes = commands.add_parser(
        "themes", help="show, edit or get suggestions for themes (a saved theme model or a past analysis)",
        description="TARGET is a saved theme model folder (show, rename, merge, delete edit it in place) or "
                    "the id of a past analysis ('cxtext history list'): every edit, split and move included, "
                    "is then saved as a new history entry whose id is printed; drivers are recomputed, nothing "
                    "is embedded again.")
    edits = themes.add_subparsers(dest="edit", metavar="ACTION", parser_class=_Parser)
    target_help = "a saved theme model folder, or a past analysis id ('cxtext history list')"
    show = edits.add_parser("show", help="list the themes")
    show.add_argument("target", metavar="MODEL_DIR|ID", help=target_help)
    rename = edits.add_parser("rename", help="rename a theme")
    rename.add_argument("target", metavar="MODEL_DIR|ID", help=target_help)
    rename.add_argument("theme_id", type=int)
    rename.add_argument("label")
    merge = edits.add_parser("merge", help="merge themes into the smallest id")
    merge.add_argument("target", metavar="MODEL_DIR|ID", help=target_help)
    merge.add_argument("theme_ids", type=int, nargs="+")
    merge.add_argument("--label")
    delete = edits.add_parser("delete", help="delete a theme (its comments become unthemed)")
    delete.add_argument("target", metavar="MODEL_DIR|ID", help=target_help)
    delete.add_argument("theme_id", type=int)
    analysis_help = "a past analysis id ('cxtext history list'): a split or a move needs its comments"
    _add_split_arguments(edits.add_parser("split", help="split a theme of a past analysis into N parts"),
                         analysis_help)
    _add_move_arguments(edits.add_parser("move", help="move comments of a past analysis to another theme"),
                        analysis_help)
    suggest = edits.add_parser(
        "suggest", help="likely merges and splits of a past analysis's themes, with their evidence",
        description="List likely merges (near-duplicate centroids or overlapping keywords) and likely splits "
                    "(themes with two clear sub-groups) of a past analysis, best first, each with its "
                    "evidence and the command that applies it (thresholds: cxtext/themes/suggest.py).")
    suggest.add_argument("target", metavar="ID", help="a past analysis id ('cxtext history list')")
    suggest.add_argument("--apply", type=int, metavar="N",
                         help="apply suggestion N of the list and save the result as a new analysis")
    suggest.add_argument("--max", type=int, default=20, metavar="N", help="list at most N suggestions (default 20)")

    app = commands.add_parser("app", help="start the web app")
    app.add_argument("--host", default=os.environ.get("CXTEXT_HOST", "127.0.0.1"))
    app.add_argument("--port", type=int, default=int(os.environ.get("CXTEXT_PORT", "7860")))
    app.add_argument("--no-sample", action="store_true", help="start without analysing the bundled sample")

    report = commands.add_parser("report", help="write report.html / report.pptx for an analysis folder",
                                 description="Write a self-contained report.html and/or a report.pptx deck from "
                                             "a folder written by 'cxtext analyze --out DIR'.")
    report.add_argument("analysis_dir", metavar="ANALYSIS_DIR", help="the --out folder of 'cxtext analyze'")
    report.add_argument("--format", action="append", choices=["html", "pptx"],
                        help="html (default) and/or pptx; repeatable")
    report.add_argument("--out", metavar="DIR", help="folder to write the report into (default: ANALYSIS_DIR)")

    history = commands.add_parser("history", help="list, export, delete, split or move past analyses",
                                  description="Past analyses kept by 'cxtext analyze' and the app "
                                              "(in $CXTEXT_DATA_DIR/analyses.sqlite or the user data dir).")
    past = history.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    past.add_parser("list", help="one line per past analysis, newest first")
    export = past.add_parser("export", help="write a past analysis's files again")
    export.add_argument("analysis_id")
    export.add_argument("--out", required=True, metavar="DIR")
    export.add_argument("--format", action="append", choices=["csv", "xlsx", "parquet", "json", "html", "pptx"])
    forget = past.add_parser("delete", help="delete a past analysis")
    forget.add_argument("analysis_id")
    _add_split_arguments(past.add_parser("split", help="split a theme of a past analysis; saved as a new "
                                                       "analysis"), "a past analysis id")
    _add_move_arguments(past.add_parser("move", help="move comments of a past analysis to another theme; saved "
                                                     "as a new analysis"), "a past analysis id")

    build = commands.add_parser("build-model", help="build the default embedding model into models/")
    build.add_argument("--dest", help="target folder (default: models/multilingual-e5-small)")
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _dispatch(args)
    except CxtextError as exc:
        sys.stderr.write(f"cxtext: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("cxtext: interrupted\n")
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in ("analyze", "run"):
        return _run(args)
    if args.command == "themes":
        return _themes(args)
    if args.command == "report":
        from cxtext.report import report_from_dir

        for path in report_from_dir(args.analysis_dir, args.format or ["html"], out=args.out):
            print(path)
        return 0
    if args.command == "history":
        return _history(args)
    if args.command == "app":
        from app.main import launch

        launch(host=args.host, port=args.port, with_sample=not args.no_sample)
        return 0
    if args.command == "build-model":
        from cxtext.embed import models_dir
        from cxtext.embed.build import build_e5_small

        dest = Path(args.dest) if args.dest else models_dir() / "multilingual-e5-small"
        print(build_e5_small(dest))
        return 0
    raise CxtextError(f"unknown command {args.command}")


def _run(args: argparse.Namespace) -> int:
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
    progress = None if args.quiet else _ProgressPrinter()
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
                                on_columns=None if args.quiet else _print_columns)
    if progress:
        progress.finish()
    written = analysis.write(args.out)
    if report_formats:
        from cxtext.report import write_report

        written += write_report(analysis, args.out, report_formats)
    if args.save_themes and analysis.theme_model is not None:
        analysis.theme_model.save(args.save_themes)
        written.append(Path(args.save_themes))
    _print_headline(analysis.summary, args.out, written)
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


def _history(args: argparse.Namespace) -> int:
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
    _print_themes(edited.themes)
    return 0


def _print_themes(themes) -> None:
    for theme in themes.itertuples():
        print(f"{theme.theme_id:>4}  {theme.size:>6}  {theme.label}")


def _print_columns(table, decision) -> None:
    """The column mapping, one line per role, before anything is analysed, so a wrong guess is caught early."""
    skipped = f"; skipped {len(table.skipped_rows)} {table.layout} header row(s)" if table.skipped_rows else ""
    print(f"{table.name}: {len(table.frame)} rows{skipped}. Columns (--text, --nps, ... to change):")
    for line in decision.lines():
        print(f"  {line}")
    sys.stdout.flush()


def _print_headline(summary: dict[str, Any], out: str, written: list[Path]) -> None:
    nps = summary.get("nps") or {}
    line = (f"{summary['rows_in']} rows: {summary['rows_analyzed']} analyzed, "
            f"{summary['rows_rejected']} rejected; {summary.get('theme_count', 0)} themes")
    if summary.get("comments_in"):
        line = line.replace(" rows: ", f" rows ({summary['comments_in']} comments in "
                                       f"{len(summary.get('text_columns', []))} columns): ", 1)
    if nps.get("nps") is not None:
        line += f"; NPS {nps['nps']:+.1f} (95% CI {nps['ci_low']:+.1f} to {nps['ci_high']:+.1f}, n={nps['n']})"
    rating = summary.get("rating") or {}
    if rating.get("mean") is not None:
        line += f"; mean rating {rating['mean']:.2f} on {rating['scale']} (n={rating['n']})"
    print(line)
    names = ", ".join(Path(p).name for p in written)
    print(f"results written to {out}/ ({names})")


class _ProgressPrinter:
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


def _is_model_dir(target: str) -> bool:
    """A theme model folder (or a path meant as one) rather than a history id."""
    path = Path(target)
    return path.is_dir() or (path / "model.json").exists() or "/" in target or os.sep in target


def _themes(args: argparse.Namespace) -> int:
    from cxtext.themes import ThemeModel

    if args.edit is None:
        raise CxtextError("say what to do: cxtext themes show|rename|merge|delete|split|move|suggest TARGET ...")
    if not _is_model_dir(args.target):
        from cxtext.history import AnalysisStore

        store = AnalysisStore()
        if args.edit == "show":
            _print_themes(store.load(args.target).themes)
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
    _print_themes(model.themes_)
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
        print("no suggestions: no two themes look alike and no theme has two clear sub-groups.")
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


if __name__ == "__main__":
    raise SystemExit(main())
