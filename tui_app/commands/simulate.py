"""``claude-tui simulate``: run the fault-injecting API simulator in the foreground.

Lets anyone rehearse failures with their own SDK code, not just claude-tui: point
``ANTHROPIC_BASE_URL`` at it. The default port is fixed (8765) so the printed ``export``
line stays valid between runs; ``--port 0`` picks a free port instead.

Import-light on purpose (``claude-tui --help`` builds every subcommand's parser): the
simulator is imported inside :func:`run`.
"""

from __future__ import annotations

import argparse
import errno
import sys
import time
from typing import TYPE_CHECKING

from ..safe_text import one_line

if TYPE_CHECKING:
    from ..simulator import RecordedRequest

DEFAULT_PORT = 8765
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the Anthropic Messages API on 127.0.0.1 with scripted faults (529s, 429s, "
        "stalls, resets, truncated streams...). Point ANTHROPIC_BASE_URL at it to rehearse "
        "any SDK code. One line per request is logged to stderr. Ctrl-C stops it."
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port to listen on; 0 = any free port (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--scenario",
        default="happy",
        metavar="NAME|FILE",
        help="built-in scenario name or a .toml/.json file (default happy)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="seed for random scenarios such as chaos (default 0)"
    )
    parser.add_argument("--list", action="store_true", help="list the built-in scenarios and exit")


def _port(text: str) -> int:
    """argparse ``type=``: a TCP port, 0-65535 (socket.bind raises OverflowError past that)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535; 0 = any free port)")
    return value


def run(args: argparse.Namespace) -> int:
    from ..simulator import BUILTIN_SCENARIOS, ScenarioError, Simulator, load_scenario
    from ..simulator.api import known_models

    if args.list:
        width = max(map(len, BUILTIN_SCENARIOS))
        for name in BUILTIN_SCENARIOS:
            print(f"{name:<{width}}  {load_scenario(name).description}")
        return EXIT_OK
    try:
        sim = Simulator(args.scenario, seed=args.seed, port=args.port, on_request=_log_request)
    except ScenarioError as exc:
        print(f"claude-tui simulate: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sim.start()
    except OSError as exc:
        problem = f"port {args.port} is already in use" if exc.errno == errno.EADDRINUSE else str(exc)
        print(f"claude-tui simulate: {problem} (pass --port 0 for a free port)", file=sys.stderr)
        return EXIT_USAGE
    # Known models come from the SDK: import it (about a second) before announcing the
    # URL, so the first request does not pay for it.
    known_models()
    print(f"claude-tui simulator (scenario: {sim.scenario.name}) listening on {sim.base_url}", flush=True)
    print(f"export ANTHROPIC_BASE_URL={sim.base_url} ANTHROPIC_API_KEY=sim-key", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("claude-tui simulator stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        sim.stop()


def _log_request(record: RecordedRequest) -> None:
    """One stderr line per request: attempt, method and path, step, status."""
    attempt = f"#{record.attempt}" if record.attempt else "-"
    where = "(connection refused)" if record.method == "-" else f"{record.method} {record.path}"
    step = record.step.label if record.step else ""
    status = record.status if record.status is not None else "no response"
    step_part = f"  [{step}]" if step else ""
    print(one_line(f"{attempt:>5}  {where}{step_part}  -> {status}"), file=sys.stderr, flush=True)
