"""Command line: ``cxtext analyze``, ``cxtext run``, ``cxtext themes``, ``cxtext history``, ``cxtext app``.

``parser``    the argument parser (commands, flags, help)
``commands``  analyze/run, history, themes (edits and suggestions)
``printing``  the column mapping, the headline, theme lists, the progress line

Bad usage or unreadable input ends with exit code 2 and one line on stderr,
never a traceback. The commands only compose library calls. A face: may import
any of cxtext and, for ``cxtext app`` only, ``app.main``; nothing in cxtext
imports it (``cxtext = "cxtext.cli:main"``; ``python -m cxtext.cli``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cxtext.cli.commands import history_command, run_command, themes_command
from cxtext.cli.parser import EXIT_USAGE, build_parser
from cxtext.errors import CxtextError

__all__ = ["EXIT_USAGE", "build_parser", "main"]


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
        return run_command(args)
    if args.command == "themes":
        return themes_command(args)
    if args.command == "report":
        from cxtext.report import report_from_dir

        for path in report_from_dir(args.analysis_dir, args.format or ["html"], out=args.out):
            print(path)
        return 0
    if args.command == "history":
        return history_command(args)
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
