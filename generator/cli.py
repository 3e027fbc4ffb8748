"""The `licheng` command: parses arguments and maps outcomes to exit codes, here and only here.

0 ok, 1 findings that fail (errors), 2 could not run. Each verb is a module of generator.commands
with HELP, add_arguments(parser) and run(args) -> bool (True: passed).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, dates
from .errors import LichengError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2

# verb → module of generator.commands; adding a command adds a line here and one module
VERBS = {
    "validate": "validate",
    "status": "status",
    "inbox": "inbox",
    "certify": "certify",
    "codeowners": "codeowners",
    "demo": "demo",
    "export": "export",
    "letters": "letters",
    "purge": "purge",
    "build": "build",
    "serve": "serve",
    "init": "init",
    "import": "imports",
    "rollover": "rollover",
    "identities": "identities",
    "migrate": "migrate",
    "sheets": "sheets",
    "archive": "archive",
    "evaluation": "evaluation",
    "roster": "roster",
    "split": "split",
}


def build_parser() -> argparse.ArgumentParser:
    from .commands.common import options

    parser = argparse.ArgumentParser(prog="licheng", description="學生學習歷程檔案：紀錄與期程的驗證與發布")
    parser.add_argument("--version", action="version", version=f"licheng {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = options()
    for verb, module_name in VERBS.items():
        module = importlib.import_module(f".commands.{module_name}", __package__)
        command = sub.add_parser(verb, parents=[common], help=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    try:
        try:
            dates.resolve_now(getattr(args, "now", None), dates.zone(None))
        except ValueError as exc:
            raise UsageError(f"{exc}: 不是可辨識的時間（例：2026-09-01 08:00、115-09-01）/ not a date or time "
                             f"between {dates.MIN_YEAR} and {dates.MAX_YEAR}") from None
        return EXIT_OK if args.run(args) else EXIT_FINDINGS
    except LichengError as exc:
        print(f"licheng: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except OSError as exc:  # a folder that cannot be written, a disk that is full: say which, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"licheng: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
