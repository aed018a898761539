"""``claude-tui run``: one prompt, headless, with every attempt reported on stderr.

stdout carries exactly the text of the successful attempt; stderr one human line per
attempt error, backoff and outcome. Import-light: the heavy work is in ``tui_app.headless``
(a thin front end of the run service, ``tui_app.run``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .request_flags import add_request_command, settings_from_args

if TYPE_CHECKING:
    import argparse

    from ..settings import RunSettings

EPILOG = """\
exit codes: 0 answer complete; 1 API failure (not retryable, or attempts/deadline exhausted);
2 usage or configuration error; 130 interrupted (Ctrl-C).

With no ANTHROPIC_API_KEY, pass --sim to use the built-in simulator (never silently);
--scenario NAME|FILE picks what it plays (--sim=NAME is short for --sim --scenario NAME).
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_request_command(
        p,
        description="Send one prompt through the retry core and print the answer.",
        epilog=EPILOG,
        prompt="the prompt, or - to read it from stdin",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--events",
        metavar="FILE|-",
        help="write every event as JSON Lines to FILE (- = stdout; the answer then goes only in the success event)",
    )
    out.add_argument("--quiet", "-q", action="store_true", help="no per-attempt lines on stderr (outcome only)")
    out.add_argument("--no-record", action="store_true", help="do not record this run as a session")
    p.add_argument(
        "--continue",
        dest="follows",
        metavar="ID",
        type=int,
        help="follow up session ID: send its conversation (every turn's prompt and answer) before PROMPT",
    )
    sim = p.add_argument_group("simulator")
    sim.add_argument(
        "--sim",
        action="store_true",
        help="use the built-in simulator, playing --scenario (default: the profile's, or happy)",
    )
    sim.add_argument("--seed", type=int, default=0, help="random seed for simulator scenarios")
    _accept_sim_equals(p)


def normalise_sim(argv: list[str]) -> list[str]:
    """``--sim=NAME`` → ``--sim --scenario NAME`` (up to a ``--``): ``--sim`` is a plain
    switch, so that ``run --sim 'Hello'`` sends "Hello", and the older form keeps working."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            return out + argv[i:]
        if arg.startswith("--sim="):
            out += ["--sim", "--scenario", arg.removeprefix("--sim=")]
        else:
            out.append(arg)
    return out


def _accept_sim_equals(parser: argparse.ArgumentParser) -> None:
    """Apply :func:`normalise_sim` whenever this subparser parses (the top-level parser hands
    it the arguments after ``run``, through ``parse_known_args``)."""
    parse_known_args = parser.parse_known_args

    def normalised(args: Any = None, namespace: Any = None) -> Any:
        return parse_known_args(None if args is None else normalise_sim(list(args)), namespace)

    parser.parse_known_args = normalised  # type: ignore[method-assign]


def _fail(message: str) -> int:
    from ..safe_text import one_line

    print(f"claude-tui run: {one_line(message)}", file=sys.stderr)
    return 2


def read_prompt(args: argparse.Namespace) -> str:
    """The prompt from the argument or stdin; ``ValueError`` when missing or empty."""
    if args.prompt is None:
        raise ValueError("missing PROMPT: give it as an argument, or - to read stdin")
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
    from ..run.choice import BackendChoice, ChoiceError

    try:
        choice = BackendChoice.for_headless(simulate=args.sim, scenario=settings.scenario)
    except ChoiceError as exc:
        return _fail(str(exc))
    if choice.kind == "api" and settings.scenario:  # a profile's (or --scenario's): never ignored silently
        print(
            f"claude-tui run: scenario {settings.scenario} not used: requests go to the real API"
            " (add --sim to rehearse it on the simulator)",
            file=sys.stderr,
        )
    history: tuple[tuple[str, str], ...] = ()
    if args.follows is not None:
        from ..store.conversation import history_through
        from ..store.errors import StoreError
        from ..store.sessions import SessionStore

        try:
            with SessionStore.open() as store:
                history = history_through(store, args.follows)
        except StoreError as exc:
            return _fail(f"--continue {args.follows}: {exc}")
    from ..headless import HeadlessOptions, run_headless
    from ..run.links import Links

    options = HeadlessOptions(
        prompt=prompt,
        settings=settings,
        events_path=args.events,
        quiet=args.quiet,
        record=not args.no_record,
        backend=choice,
        seed=args.seed,
        links=Links(follows=args.follows, history=history),
    )
    return run_headless(options)
