"""Command-line entry point: argument parsing, subcommand dispatch, exit codes.

Kept import-light on purpose: ``claude-tui --help`` and ``--version`` must not import
``anthropic`` or ``textual``. Each subcommand lives in ``tui_app/commands/<name>.py`` with
``add_parser(subparsers)`` (cheap) and ``run(args) -> int`` (may import heavy things).

Exit codes: 0 success, 1 API failure, 2 usage or configuration error, 70 internal error
(a bug: one line on stderr, the traceback in a crash log in the data dir), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from . import __version__

EXIT_OK = 0
EXIT_API_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
"""An exception nobody expected: a bug (``EX_SOFTWARE`` of sysexits.h)."""
EXIT_INTERRUPTED = 130

# Subcommand name -> module in tui_app.commands (each module is import-light).
COMMANDS = ("run", "code", "simulate", "profiles", "sessions", "replay")


class OneLineErrorParser(argparse.ArgumentParser):
    """Usage errors as one line naming the flag and where to look, exit 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        from .safe_text import one_line  # an argument may hold anything, escape sequences too

        self.exit(EXIT_USAGE, one_line(f"{self.prog}: {message} (see {self.prog} --help)") + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="claude-tui",
        description=(
            "Run and watch Claude API prompts with every retry visible. With no subcommand, "
            "opens the terminal UI (on the built-in simulator when ANTHROPIC_API_KEY is unset)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"claude-tui {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="open the TUI with this saved profile")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"tui_app.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tui_app.commands.{name}":
                raise
            continue  # subcommand not built yet
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("claude-tui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a bug, reported as one line
        return _internal_error(exc, argv)


def _dispatch(argv: list[str]) -> int:
    if argv:
        args = build_parser().parse_args(argv)
    else:  # plain `claude-tui`, the common start: no parser of five subcommands to build (~10 ms)
        args = argparse.Namespace(command=None, profile=None)
    if args.command is None:
        from .commands import tui

        return tui.run(args)
    module = importlib.import_module(f"tui_app.commands.{args.command}")
    code: int = module.run(args)
    return code


def _internal_error(exc: Exception, argv: list[str]) -> int:
    """One line on stderr (what failed, where the report is, how to report it); the
    traceback goes to a crash log, never to the terminal."""
    import contextlib

    from . import crash

    command = next((arg for arg in argv if arg in COMMANDS), None)
    line = crash.handle(exc, where=f"claude-tui {command}" if command else "the terminal UI")
    with contextlib.suppress(OSError):  # stderr gone too: the crash log still has it all
        print(line, file=sys.stderr)
    return EXIT_INTERNAL


def entry() -> None:  # pragma: no cover - console script wrapper
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
