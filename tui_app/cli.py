"""Command-line entry point: argument parsing, subcommand dispatch, exit codes.

Kept import-light on purpose: ``claude-tui --help`` and ``--version`` must not import
``anthropic`` or ``textual`` — nor any subcommand's module: ``--help`` lists the subcommands
from :data:`COMMANDS`, and a subcommand's parser is built only once it is chosen. Each lives in
``tui_app/commands/<name>.py`` with ``add_arguments(parser)`` (cheap) and ``run(args) -> int``
(may import heavy things).

Exit codes: 0 success, 1 API failure, 2 usage or configuration error, 70 internal error
(a bug: one line on stderr, the traceback in a crash log in the data dir), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__

EXIT_OK = 0
EXIT_API_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
"""An exception nobody expected: a bug (``EX_SOFTWARE`` of sysexits.h)."""
EXIT_INTERRUPTED = 130

COMMANDS = {
    "run": "send one prompt headless (stdout: the answer; stderr: attempts)",
    "code": "print these settings as a Python program using only the anthropic SDK",
    "lab": "compare retry policies on the same faults, many requests, in virtual time",
    "simulate": "run a local Anthropic API simulator that injects faults",
    "profiles": "list, show, save or delete saved settings profiles",
    "sessions": "list, search, show, export or delete recorded sessions",
    "scenario": "make a scenario replaying a run's --events file",
    "replay": "play a recorded session back (in the TUI, or --print the answer)",
}
"""Subcommand name (its module in ``tui_app.commands``) -> the line ``--help`` shows for it."""


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
    parser.add_argument(
        "--sim",
        nargs="?",
        const="",
        metavar="SCENARIO",
        help="open the TUI on the built-in simulator even with ANTHROPIC_API_KEY set, playing SCENARIO"
        " (default: the profile's, or happy); ctrl+f switches in the TUI",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser, action=_Subcommands)
    assert isinstance(sub, _Subcommands)  # argparse made the action class it was given
    sub.declare(COMMANDS)
    return parser


if TYPE_CHECKING:
    _SubParsersAction = argparse._SubParsersAction[argparse.ArgumentParser]
else:  # generic only to the type checker
    _SubParsersAction = argparse._SubParsersAction


class _Subcommands(_SubParsersAction):
    """Subcommands listed by name and one line, each one's parser built once it is chosen.

    Building all five (the request flags of ``run`` and ``profiles save`` come from the
    settings schema) is most of what ``--help`` and ``--version`` would otherwise cost, for
    parsers they never use; an ``ArgumentParser`` alone is about a millisecond. What argparse
    needs before then is the name among the choices (a placeholder) and the help line (the
    pseudo-action it lists), as ``add_parser`` itself would make them.
    """

    def declare(self, commands: dict[str, str]) -> None:
        for name, summary in commands.items():
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), summary))
            self._name_parser_map[name] = None  # type: ignore[assignment]  # built in __call__

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if values[0] in COMMANDS:  # (an unknown name: argparse says so)
            self.parser_for(values[0])
        super().__call__(parser, namespace, values, option_string)

    def parser_for(self, name: str) -> argparse.ArgumentParser:
        """The parser of subcommand ``name``, built (its module imported) the first time."""
        sub = self._name_parser_map.get(name)
        if sub is None:
            sub = self._parser_class(prog=f"{self._prog_prefix} {name}")
            importlib.import_module(f"tui_app.commands.{name}").add_arguments(sub)
            self._name_parser_map[name] = sub
        return sub


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
        args = argparse.Namespace(command=None, profile=None, sim=None)
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
