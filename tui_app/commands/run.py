"""``claude-tui run``: one prompt, headless, with every attempt reported on stderr.

stdout carries exactly the text of the successful attempt; stderr one human line per
attempt error, backoff and outcome. Import-light: the heavy work is in ``tui_app.headless``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from .request_flags import add_request_flags, settings_from_args

if TYPE_CHECKING:
    from ..settings import RunSettings

EPILOG = """\
exit codes: 0 answer complete; 1 API failure (not retryable, or attempts/deadline exhausted);
2 usage or configuration error; 130 interrupted (Ctrl-C).

With no ANTHROPIC_API_KEY, pass --sim to use the built-in simulator (never silently).
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help="send one prompt headless (stdout: the answer; stderr: attempts)",
        description="Send one prompt through the retry core and print the answer.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("prompt", nargs="?", metavar="PROMPT|-", help="the prompt, or - to read it from stdin")
    add_request_flags(p)
    out = p.add_argument_group("output")
    out.add_argument(
        "--events",
        metavar="FILE|-",
        help="write every event as JSON Lines to FILE (- = stdout; the answer then goes only in the success event)",
    )
    out.add_argument("--quiet", "-q", action="store_true", help="no per-attempt lines on stderr (outcome only)")
    out.add_argument("--no-record", action="store_true", help="do not record this run as a session")
    sim = p.add_argument_group("simulator")
    sim.add_argument(
        "--sim",
        nargs="?",
        const="",
        metavar="SCENARIO",
        help="use the built-in simulator with SCENARIO (default: --scenario, the profile's, or happy); "
        "write --sim=NAME before the prompt",
    )
    sim.add_argument("--seed", type=int, default=0, help="random seed for simulator scenarios")


def _fail(message: str) -> int:
    from ..safe_text import one_line

    print(f"claude-tui run: {one_line(message)}", file=sys.stderr)
    return 2


def api_key_error() -> str | None:
    """Why ``ANTHROPIC_API_KEY`` cannot be used (the key shown masked), or None when it can."""
    from ..secrets import api_key_problem, mask_key

    key = os.environ.get("ANTHROPIC_API_KEY")
    if not key:
        return (
            "ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-... to use the API, "
            "or pass --sim to use the built-in simulator"
        )
    problem = api_key_problem(key)
    if problem:
        return f"ANTHROPIC_API_KEY ({mask_key(key)}) {problem}: export it again without that character"
    return None


def read_prompt(args: argparse.Namespace) -> str:
    """The prompt from the argument or stdin; ``ValueError`` when missing or empty."""
    if args.prompt is None:
        raise ValueError("missing PROMPT: give it as an argument, or - to read stdin (write --sim=NAME before it)")
    if args.prompt == "-":
        data = sys.stdin.buffer.read()
        text = data.decode("utf-8", errors="replace")
    else:
        text = args.prompt
    if not text.strip():
        raise ValueError("the prompt is empty: give some text (or - with text on stdin)")
    return text


def load_base_settings(args: argparse.Namespace) -> RunSettings:
    """The profile named by ``--profile`` (or defaults); raises ValueError on a bad profile."""
    from ..settings import RunSettings

    if not getattr(args, "profile", None):
        return RunSettings()
    from ..store.profiles import ProfileError, load_profile

    try:
        return load_profile(args.profile)
    except ProfileError as exc:
        raise ValueError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from .. import gc_policy

    gc_policy.starting()  # until the client is built (``gc_policy.ready`` in headless.py)
    try:
        return _run(args)
    finally:
        gc_policy.release()


def _run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(args, load_base_settings(args))
        prompt = read_prompt(args)
    except ValueError as exc:
        return _fail(str(exc))
    if args.sim is None and (problem := api_key_error()):
        return _fail(problem)
    from ..headless import HeadlessOptions, run_headless

    options = HeadlessOptions(
        prompt=prompt,
        settings=settings,
        events_path=args.events,
        quiet=args.quiet,
        record=not args.no_record,
        sim_scenario=None if args.sim is None else (args.sim or settings.scenario or "happy"),
        sim_seed=args.seed,
    )
    return run_headless(options)
