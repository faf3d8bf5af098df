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
    for role, help_text in (
        ("text", "comment text column"),
        ("nps", "NPS column, 0-10 likelihood to recommend"),
        ("ces", "CES (customer effort) column"),
        ("csat", "CSAT column, 1-5"),
        ("date", "date/time column"),
        ("source", "source/channel column (survey, twitter, ...)"),
        ("segment", "customer segment column"),
        ("id", "row id column"),
    ):
        group.add_argument(f"--{role}", metavar="COL", help=help_text)
    group.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
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
    parser.add_argument("--format", action="append", choices=["csv", "xlsx", "parquet", "json"],
                        help="extra output formats (repeatable); CSV is always written")
    parser.add_argument("--by", action="append", choices=["source", "segment", "month"],
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

    themes = commands.add_parser("themes", help="show or edit a saved theme model")
    edits = themes.add_subparsers(dest="edit", metavar="ACTION", parser_class=_Parser)
    show = edits.add_parser("show", help="list the themes of a saved model")
    show.add_argument("model_dir")
    rename = edits.add_parser("rename", help="rename a theme")
    rename.add_argument("model_dir")
    rename.add_argument("theme_id", type=int)
    rename.add_argument("label")
    merge = edits.add_parser("merge", help="merge themes into the smallest id")
    merge.add_argument("model_dir")
    merge.add_argument("theme_ids", type=int, nargs="+")
    merge.add_argument("--label")
    delete = edits.add_parser("delete", help="delete a theme (its comments become unthemed)")
    delete.add_argument("model_dir")
    delete.add_argument("theme_id", type=int)

    app = commands.add_parser("app", help="start the web app")
    app.add_argument("--host", default=os.environ.get("CXTEXT_HOST", "127.0.0.1"))
    app.add_argument("--port", type=int, default=int(os.environ.get("CXTEXT_PORT", "7860")))
    app.add_argument("--no-sample", action="store_true", help="start without analysing the bundled sample")

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
    if args.command == "app":
        from app.main import launch

        launch(host=args.host, port=args.port, with_sample=not args.no_sample)
        return 0
    if args.command == "build-model":
        from cxtext.embed import models_dir
        from cxtext.modelbuild import build_e5_small

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
                    ("text", "nps", "ces", "csat", "date", "source", "segment", "id")},
        "ces_scale": args.ces_scale,
        "ces_easy_end": args.ces_easy_end,
        "embed": {"model": args.model},
        "themes": {"min_theme_size": args.min_theme_size} if args.min_theme_size is not None else {},
    }
    if args.no_redact:
        overrides["normalize"] = {"redact_pii": False}
    if args.by:
        overrides["drivers"] = {"by": sorted(set(args.by))}
    if args.format:
        overrides["export"] = {"formats": sorted({"csv", *args.format})}
    config = config.with_overrides(overrides)
    progress = None if args.quiet else _ProgressPrinter()
    if args.engine == "dask":
        from cxtext.distributed import DEFAULT_WORKERS, run_pipeline_dask

        if args.sheet:
            raise CxtextError("--sheet is for XLSX files; the dask engine reads CSV, TSV, JSON(L) and Parquet.")
        if args.workers is not None and args.workers < 1:
            raise CxtextError(f"--workers must be 1 or more. Got {args.workers}.")
        analysis = run_pipeline_dask(config, args.input, themes=args.themes, scheduler=args.scheduler,
                                     workers=args.workers or DEFAULT_WORKERS, blocksize=args.partition_size,
                                     cache_path=args.cache, progress=progress)
    else:
        for flag in ("scheduler", "workers", "partition_size"):
            if getattr(args, flag) is not None:
                raise CxtextError(f"--{flag.replace('_', '-')} needs --engine dask.")
        analysis = run_pipeline(config, args.input, themes=args.themes, sheet=args.sheet,
                                cache_path=args.cache, progress=progress)
    if progress:
        progress.finish()
    written = analysis.write(args.out)
    if args.save_themes and analysis.theme_model is not None:
        analysis.theme_model.save(args.save_themes)
        written.append(Path(args.save_themes))
    _print_headline(analysis.summary, args.out)
    return 0


def _print_headline(summary: dict[str, Any], out: str) -> None:
    nps = summary.get("nps") or {}
    line = (f"{summary['rows_in']} rows: {summary['rows_analyzed']} analyzed, "
            f"{summary['rows_rejected']} rejected; {summary.get('theme_count', 0)} themes")
    if nps.get("nps") is not None:
        line += f"; NPS {nps['nps']:+.1f} (95% CI {nps['ci_low']:+.1f} to {nps['ci_high']:+.1f}, n={nps['n']})"
    print(line)
    print(f"results written to {out}/ (summary.json, assignments.csv, themes.csv, drivers.csv)")


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


def _themes(args: argparse.Namespace) -> int:
    from cxtext.themes import ThemeModel

    if args.edit is None:
        raise CxtextError("say what to do: cxtext themes show|rename|merge|delete MODEL_DIR ...")
    model = ThemeModel.load(args.model_dir)
    if args.edit == "rename":
        model.rename(args.theme_id, args.label)
    elif args.edit == "merge":
        model.merge(args.theme_ids, args.label)
    elif args.edit == "delete":
        model.delete(args.theme_id)
    if args.edit != "show":
        model.save(args.model_dir)
    for theme in model.themes_.itertuples():
        print(f"{theme.theme_id:>4}  {theme.size:>6}  {theme.label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
