"""``claude-tui replay ID``: play a recorded session back through the same consumers.

Without ``--print`` the TUI opens and its panels consume the recorded events (pause with
f10, step with f11 while paused); with ``--print`` the headless printer consumes them, so
stdout is the recorded answer exactly as ``claude-tui run`` printed it. Import-light at
module level: ``--help`` builds this parser.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import parse_positive_int

if TYPE_CHECKING:
    import argparse

    from ..store.records import SessionDetail

SPEEDS = {"1": 1.0, "2": 2.0, "10": 10.0, "max": None}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = "Replay a session's recorded events with their original timing."
    p.epilog = "exit codes: 0 the session ended with an answer; 1 it failed or was cancelled; 2 unknown id."
    p.add_argument("id", type=parse_positive_int, metavar="ID", help="session id (see `claude-tui sessions list`)")
    p.add_argument("--speed", choices=tuple(SPEEDS), default="1", help="1 (recorded pace, default), 2, 10 or max")
    p.add_argument("--print", action="store_true", help="write the answer to stdout instead of opening the TUI")


def run(args: argparse.Namespace) -> int:
    from ..store.errors import StoreError
    from ..store.sessions import SessionStore

    try:
        with SessionStore.open() as store:
            detail = store.get_session(args.id)
    except StoreError as exc:
        from ..safe_text import one_line

        print(f"claude-tui replay: {one_line(str(exc))}", file=sys.stderr)
        return 2
    speed = SPEEDS[args.speed]
    if args.print:
        import asyncio

        return asyncio.run(_print(detail, speed))
    from ..ui.app import ClaudeTUI

    ClaudeTUI(replay=(detail, speed)).run()
    return 0


async def _print(detail: SessionDetail, speed: float | None) -> int:
    """Feed the recorded events to the headless printer, as a live run would."""
    from ..headless import HeadlessPrinter
    from ..run.controller import replay

    max_attempts = next((getattr(e, "max_attempts", 0) for e in detail.events if e.type == "run_start"), 0)
    printer = HeadlessPrinter(
        stdout=sys.stdout, stderr=sys.stderr, quiet=False, answer_to_stdout=True, max_attempts=max_attempts
    )
    last = await replay(detail.events, [printer.handle], speed=speed)
    return 0 if last is not None and last.type == "success" else 1
