"""``claude-tui scenario``: scenario files made from what happened, for offline rehearsal.

``from-events FILE`` turns the ``--events`` JSONL of one run (e.g. one a colleague sent after
an incident) into a scenario replaying what the server did; ``sessions export ID --format
scenario`` does the same from the session history. One conversion (``store/as_scenario.py``).
Import-light: argparse at the top, the rest inside :func:`run`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import write_output

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from ..retry.events import Event

EPILOG = """\
The scenario replays each attempt: status, error type and message, retry-after and
x-should-retry, rate-limit headers, time to headers, the streamed text verbatim with its
pacing, and how it ended (SSE error, reset, stall, truncation). Replay it with
claude-tui run --sim=FILE, claude-tui simulate --scenario FILE, or the claude_sim fixture.
exit codes: 0 ok; 2 unreadable file or events that hold no run.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    import argparse

    p.description = "Make scenario files from what happened."
    p.epilog, p.formatter_class = EPILOG, argparse.RawDescriptionHelpFormatter
    actions = p.add_subparsers(dest="scenario_action", metavar="ACTION", required=True)
    events = actions.add_parser("from-events", help="a scenario replaying the server's side of a --events JSONL file")
    events.add_argument("file", metavar="FILE", help="the JSONL that claude-tui run --events FILE wrote (one run)")
    events.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..safe_text import one_line
    from ..store.as_scenario import scenario_toml

    source = Path(args.file)
    try:
        text = scenario_toml(read_events(source), name=source.stem, origin=str(source))
    except (OSError, ValueError) as exc:
        print(f"claude-tui scenario: {one_line(str(exc))}", file=sys.stderr)
        return 2
    problem = write_output(text, args.output)
    if problem:
        print(f"claude-tui scenario: {one_line(problem)}", file=sys.stderr)
        return 2
    if args.output and args.output != "-":
        print(f"wrote a scenario of {source} to {args.output}", file=sys.stderr)
    return 0


def read_events(path: Path) -> list[Event]:
    """The events of a ``--events`` file; ValueError naming the line of the first bad one."""
    import json

    from ..retry.events import event_from_dict

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file (check the path)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from None
    events = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(event_from_dict(json.loads(line)))
        except (ValueError, TypeError, KeyError) as exc:
            what = f"unknown event type {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ValueError(f"{path}:{number}: not an event of claude-tui run --events ({what})") from None
    return events
