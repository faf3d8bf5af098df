"""The ``cxtext`` argument parser: commands, their flags and help texts; no command runs here.

Bad usage exits with :data:`EXIT_USAGE` and one line on stderr (:class:`Parser`), never a usage dump.
"""

from __future__ import annotations

import argparse
import os
import sys

from cxtext import __version__

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


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) on bad usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"cxtext: error: {message} (see 'cxtext {self._command_name()} --help')\n")
        raise SystemExit(EXIT_USAGE)

    def _command_name(self) -> str:
        return " ".join(self.prog.split()[1:]) or ""


def add_mapping_arguments(parser: argparse.ArgumentParser) -> None:
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
        group.add_argument(f"--{role}", metavar="COL", help=help_text + " ('none': the file has none, when a column "
                                                                       "was guessed wrongly)")
    group.add_argument("--sheet", help="XLSX sheet name (default: the first sheet, or the largest data sheet when the "
                       "first is a pivot-table summary)")
    parser.add_argument_group("rating scale").add_argument(
        "--rating-scale", metavar="LOW-HIGH", help="scale of --rating, e.g. 1-5 or 1-10; 5-1 when 1 is the best answer (read "
        "reverse-coded, so 5 = best in every output; default: detected, and '1 = very good' in the question "
        "says so)")
    scale = parser.add_argument_group("CES scale")
    scale.add_argument("--ces-scale", choices=["1-4", "1-5", "1-7"], help="CES scale (default: read from the CES question, e.g. 'on a scale of 1 to 5', "
                       "else 1-4 when none of 50+ answers is above 4 and 20%%+ are 4, else 1-5 when no answer is above "
                       "5, else 1-7; the reasons say which)")
    direction = scale.add_mutually_exclusive_group()
    direction.add_argument("--ces-low-is-easy", dest="ces_easy_end", action="store_const", const="low",
                           help="1 means very easy")
    direction.add_argument("--ces-high-is-easy", dest="ces_easy_end", action="store_const", const="high",
                           help="the top of the scale means very easy (default: read from the question: 'how easy' "
                           "puts easy at the top, 'how much effort' / 'how difficult' at 1; else the top)")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="CSV, TSV, XLSX, JSON, JSONL or Parquet file "
                                      "(with --engine dask: a file or a glob such as 'exports/*.csv')")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write results into")
    parser.add_argument("--model", metavar="NAME_OR_PATH",
                        help='embedding model: "auto" (the default: all-MiniLM-L6-v2 when 98.5%% of the comments '
                             'are English, else multilingual-e5-small; summary.json model_choice says which and '
                             'why), "default" (multilingual-e5-small), "minilm", a local sentence-transformers '
                             "folder or a model name")
    parser.add_argument("--min-theme-size", type=int, metavar="N",
                        help="smallest theme size (default: scaled to the number of comments)")
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default 0)")
    parser.add_argument("--themes", metavar="MODEL_DIR",
                        help="reuse a saved theme model instead of discovering themes")
    parser.add_argument("--taxonomy", metavar="FILE",
                        help="your own themes (CSV, TSV, XLSX or YAML with a 'theme' column; optional "
                             "'description', 'examples' separated by '|', 'parent'): matching comments get "
                             "these names, the rest are clustered as usual (themes.csv column 'origin')")
    parser.add_argument("--taxonomy-rule", choices=["auto", "relative", "cluster"],
                        help="how comments are matched to --taxonomy (default auto: 'relative' from 150 "
                             "comments, 'cluster' below); 'cluster' takes whole discovered themes: it matches "
                             "more and pulls in more of the other comments (README, 'Your own taxonomy')")
    parser.add_argument("--format", action="append", choices=["csv", "xlsx", "parquet", "json", "html", "pptx"],
                        help="extra output formats (repeatable); CSV is always written; html writes a "
                             "self-contained report.html, pptx a report.pptx deck")
    parser.add_argument("--backend", choices=["auto", "torch", "torch-int8", "onnx", "onnx-int8", "model2vec"],
                        help="how the embedding model runs (default auto: onnx-int8 for the default model, "
                             "torch for others; speed vs quality in models/README.md)")
    parser.add_argument("--parents", type=int, metavar="N",
                        help="number of parent themes (default: about the square root of the theme count)")
    parser.add_argument("--mentions", action="store_true",
                        help="split long comments (20+ words) into mentions, theme each mention and roll them up "
                             "to the comment (every theme it speaks of); writes mentions.csv")
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


def add_split_arguments(parser: argparse.ArgumentParser, target_help: str) -> None:
    parser.description = ("Re-cluster one theme's comments into N parts (N chosen automatically when not "
                          "given) and save the edited analysis as a new history entry; prints its id.")
    parser.add_argument("target", metavar="ID", help=target_help)
    parser.add_argument("theme_id", type=int)
    parser.add_argument("--n", type=int, metavar="N", help="number of parts (default: best silhouette, 2-5)")


def add_move_arguments(parser: argparse.ArgumentParser, target_help: str) -> None:
    parser.description = ("Move comments (the 'row' numbers of assignments.csv) to a theme, or to -1 to "
                          "unassign them, and save the edited analysis as a new history entry; prints its id.")
    parser.add_argument("target", metavar="ID", help=target_help)
    parser.add_argument("--rows", required=True, metavar="3,4,9", help="comma-separated row numbers")
    parser.add_argument("--to", required=True, type=int, metavar="THEME_ID", help="target theme id (-1: unthemed)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cxtext", description="Find the themes in customer feedback that drive detractors.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cxtext {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    analyze = commands.add_parser("analyze", help="analyse a comment dump (the survey_comments pipeline)",
                                  description="Analyse a comment dump with the survey_comments pipeline; "
                                              "flags override the pipeline's parameters.")
    add_run_arguments(analyze)
    add_mapping_arguments(analyze)

    run = commands.add_parser("run", help="run a named pipeline file on a comment dump",
                              description="Run a pipeline YAML (e.g. pipelines/social_mentions.yaml).")
    run.add_argument("pipeline", help="pipeline YAML path or name (survey_comments, social_mentions)")
    add_run_arguments(run)
    add_mapping_arguments(run)

    themes = commands.add_parser(
        "themes", help="show, edit or get suggestions for themes (a saved theme model or a past analysis)",
        description="TARGET is a saved theme model folder (show, rename, merge, delete edit it in place) or "
                    "the id of a past analysis ('cxtext history list'): every edit, split and move included, "
                    "is then saved as a new history entry whose id is printed; drivers are recomputed, nothing "
                    "is embedded again.")
    edits = themes.add_subparsers(dest="edit", metavar="ACTION", parser_class=Parser)
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
    add_split_arguments(edits.add_parser("split", help="split a theme of a past analysis into N parts"),
                         analysis_help)
    add_move_arguments(edits.add_parser("move", help="move comments of a past analysis to another theme"),
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
    past = history.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    past.add_parser("list", help="one line per past analysis, newest first")
    export = past.add_parser("export", help="write a past analysis's files again")
    export.add_argument("analysis_id")
    export.add_argument("--out", required=True, metavar="DIR")
    export.add_argument("--format", action="append", choices=["csv", "xlsx", "parquet", "json", "html", "pptx"])
    forget = past.add_parser("delete", help="delete a past analysis")
    forget.add_argument("analysis_id")
    add_split_arguments(past.add_parser("split", help="split a theme of a past analysis; saved as a new "
                                                       "analysis"), "a past analysis id")
    add_move_arguments(past.add_parser("move", help="move comments of a past analysis to another theme; saved "
                                                     "as a new analysis"), "a past analysis id")

    build = commands.add_parser("build-model", help="build the default embedding model into models/")
    build.add_argument("--dest", help="target folder (default: models/multilingual-e5-small)")
    return parser
