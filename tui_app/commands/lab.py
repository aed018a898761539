"""``claude-tui lab``: compare retry policies on the same faults, many requests, in virtual time.

Import-light (argparse only): the engine (``tui_app.lab``) is imported in :func:`run`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..codegen import LANGUAGES

if TYPE_CHECKING:
    import argparse

    from ..lab.policies import LabPolicy

EPILOG = """\
FAULTS is a scenario (every request gets its own copy of the scenario's per-attempt
script, seeded) or a server model shared by all requests (built-in: crowded, outage,
token-bucket; or a .toml file with a [server] table). P is a built-in (none, sdk-default,
seed-article, no-jitter, full-jitter, equal-jitter, decorrelated-jitter, claude-tui), a
saved profile, or a profile-format .toml file (named by its file name).

  claude-tui lab --scenario crowded --requests 200 --arrival burst \\
      --policy none --policy no-jitter --policy full-jitter

--export-code P prints, instead of the comparison, the Python (or, with --lang typescript,
TypeScript) program of compared policy P (what `claude-tui code` prints for its settings;
the program takes its prompt from its arguments, or stdin):

  claude-tui lab --scenario crowded --policy sdk-default --policy claude-tui --export-code claude-tui > ask.py

exit codes: 0 done; 2 usage or input error (one line naming the flag or field).
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = "Compare retry policies on the same faults in virtual time (no network, no API key)."
    p.epilog = EPILOG
    import argparse

    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("--scenario", metavar="NAME|FILE", required=True, help="the faults: a scenario or a server model")
    p.add_argument(
        "--policy", metavar="P", action="append", required=True, help="a policy to compare (repeatable, 1 to 6)"
    )
    p.add_argument("--requests", metavar="N", type=_whole(1, 1_000_000), default=100, help="requests (default: 100)")
    p.add_argument(
        "--arrival",
        metavar="burst|RATE",
        type=_arrival,
        default="burst",
        help="all requests at once (burst, the default) or RATE requests per second (Poisson)",
    )
    p.add_argument(
        "--concurrency",
        metavar="C",
        type=_whole(1, 1_000_000),
        help="at most C requests in progress at once; the rest wait their turn (default: no limit)",
    )
    p.add_argument("--seed", metavar="S", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    p.add_argument(
        "--real-time",
        action="store_true",
        help="run for real: each request through the live core and the SDK to a simulator of its own, on the"
        " wall clock (scenarios only, at most 50 requests; the check that virtual time tells the truth)",
    )
    p.add_argument(
        "--export-code",
        metavar="P",
        help="print the program of compared policy P (one of the --policy names) instead of the comparison",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=LANGUAGES[0],
        help="with --export-code: python (default) or typescript (@anthropic-ai/sdk, Node.js 20+)",
    )
    p.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="with --export-code: use anthropic.AsyncAnthropic and asyncio",
    )
    p.add_argument(
        "--wall-time",
        action="store_true",
        help="fill wall_seconds in --json (left null so that the same seed prints the same bytes)",
    )


def _whole(low: int, high: int):  # type: ignore[no-untyped-def]
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, got {text!r}")
        return value

    return parse


def _arrival(text: str) -> str:
    import argparse
    import math

    if text == "burst":
        return text
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not (math.isfinite(rate) and rate > 0):
        raise argparse.ArgumentTypeError(f"must be burst or a rate > 0 (requests per second), got {text!r}")
    return text


def run(args: argparse.Namespace) -> int:
    import json

    from ..lab import load_faults, load_policies, run_lab
    from ..lab.report import table
    from ..safe_text import one_line
    from ..simulator.steps import ScenarioError

    try:
        faults = load_faults(args.scenario)
        policies = load_policies(args.policy)
    except (ScenarioError, ValueError) as exc:
        print(f"claude-tui lab: {one_line(str(exc))}", file=sys.stderr)
        return 2
    if args.export_code is not None:
        return export_code(policies, args.export_code, lang=args.lang, use_async=args.use_async)
    arrival = args.arrival if args.arrival == "burst" else float(args.arrival)
    try:
        result = run_lab(
            faults,
            policies,
            requests=args.requests,
            arrival=arrival,
            seed=args.seed,
            concurrency=args.concurrency,
            real_time=args.real_time,
        )
    except ValueError as exc:  # --real-time on a server model, or too many requests
        print(f"claude-tui lab: {one_line(str(exc))}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(wall_time=args.wall_time), indent=2) + "\n")
    else:
        sys.stdout.write(table(result))
    return 0


def export_code(policies: list[LabPolicy], name: str, *, lang: str, use_async: bool) -> int:
    """Print the program of the compared policy ``name``: its settings as ``claude-tui
    code`` writes them, the prompt left to the program's arguments (or stdin)."""
    from ..codegen import program_source
    from ..codegen.spec import ProgramSpec
    from ..safe_text import one_line

    chosen = next((p for p in policies if p.name == name), None)
    if chosen is None:
        names = ", ".join(p.name for p in policies)
        print(f"claude-tui lab: --export-code: {one_line(name)!r} is not a compared policy ({names})", file=sys.stderr)
        return 2
    try:
        source = program_source(ProgramSpec.from_settings(None, chosen.settings), lang, use_async=use_async)
    except ValueError as exc:  # a setting no program writes (adaptive throttling)
        print(f"claude-tui lab: policy {name!r}: {one_line(str(exc))}", file=sys.stderr)
        return 2
    sys.stdout.write(source)
    return 0
