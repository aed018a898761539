"""The headless consumer of the event stream: stdout, stderr lines, JSONL, session record.

The same ``RetryRun`` events the TUI shows drive this; nothing here decides retries.
Every stderr line is one safe line (:func:`~tui_app.safe_text.one_line`): server messages
and file names reach a terminal with their control characters escaped. Answer text on a
terminal is shown with :func:`~tui_app.safe_text.visible`; redirected, it stays byte-exact.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from . import gc_policy, present
from .model_notes import deprecation_note
from .retry.events import AttemptError, Backoff, Cancelled, Event, GiveUp, Success, TextDelta
from .safe_text import one_line, visible

if TYPE_CHECKING:
    from .settings import RunSettings

PREFIX = "claude-tui: "


def say(stream: IO[str], line: str, prefix: str = PREFIX) -> None:
    """Write one human line (escaped, bounded) and flush it."""
    stream.write(prefix + one_line(line) + "\n")
    stream.flush()


@dataclass(frozen=True, slots=True)
class HeadlessOptions:
    prompt: str
    settings: RunSettings
    events_path: str | None = None
    quiet: bool = False
    record: bool = True
    sim_scenario: str | None = None
    sim_seed: int = 0


class HeadlessPrinter:
    """Writes what people and scripts read: the answer on stdout, one line per event on stderr."""

    def __init__(self, *, stdout: IO[str], stderr: IO[str], quiet: bool, answer_to_stdout: bool, max_attempts: int):
        self.stdout, self.stderr = stdout, stderr
        self.quiet = quiet
        self.answer_to_stdout = answer_to_stdout
        self.live = answer_to_stdout and stdout.isatty()
        self.max_attempts = max_attempts
        self._printed_partial = False

    def _say(self, line: str) -> None:
        say(self.stderr, line)

    def handle(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            if self.live:
                self.stdout.write(visible(event.text))
                self.stdout.flush()
                self._printed_partial = True
        elif isinstance(event, AttemptError):
            if self._printed_partial:
                self.stdout.write("\n")
                self._printed_partial = False
                self._say("(the partial answer above is discarded)")
            if not self.quiet:
                self._say(present.attempt_error_line(event, self.max_attempts))
        elif isinstance(event, Backoff):
            if not self.quiet:
                self._say(present.backoff_line(event))
        elif isinstance(event, Success):
            if self.answer_to_stdout:
                if not self.live:
                    self.stdout.write(event.text)
                if self.live and not event.text.endswith("\n"):
                    self.stdout.write("\n")
                self.stdout.flush()
            self._say(present.success_line(event))
        elif isinstance(event, GiveUp):
            self._say(present.give_up_line(event))
        elif isinstance(event, Cancelled):
            self._say(present.cancelled_line(event))


def _open_recorder(options: HeadlessOptions, stderr: IO[str], stack: ExitStack) -> Any:
    """A session recorder, or None (with a warning) when the store cannot be used:
    a broken history must not block the call, and must not pass silently either."""
    if not options.record:
        return None
    from .store.errors import StoreError
    from .store.sessions import SessionStore

    try:
        store = stack.enter_context(SessionStore.open())
        for notice in store.notices:
            say(stderr, notice)
        return store.start_session(
            prompt=options.prompt,
            system=options.settings.system,
            model=options.settings.model,
            settings=options.settings.to_dict(),
        )
    except (StoreError, OSError) as exc:
        say(stderr, f"warning: this run is not recorded ({exc})")
        return None


async def _consume(run: Any, sinks: list[Any]) -> Event:
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, run.cancel)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - non-main thread / Windows
        pass
    last: Event | None = None
    try:
        async for event in run.events():
            for sink in sinks:
                sink(event)
            last = event
    finally:
        try:
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError):  # pragma: no cover
            pass
    assert last is not None
    return last


def run_headless(options: HeadlessOptions, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Run one request to completion; return the process exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    with ExitStack() as stack:
        base_url = api_key = None
        if options.sim_scenario is not None:
            from .simulator import ScenarioError, Simulator

            try:
                sim = Simulator(scenario=options.sim_scenario, seed=options.sim_seed)
            except ScenarioError as exc:
                say(stderr, f"--sim: {exc}", prefix="claude-tui run: ")
                return 2
            stack.enter_context(sim)
            base_url, api_key = sim.base_url, "sim-key"
            say(stderr, f"using the built-in SIMULATOR (scenario {options.sim_scenario}): answers are simulated")
        events_file: IO[str] | None = None
        if options.events_path == "-":
            events_file = stdout
        elif options.events_path:
            try:
                events_file = stack.enter_context(open(options.events_path, "w", encoding="utf-8"))
            except OSError as exc:
                say(stderr, f"--events: cannot write {options.events_path}: {exc.strerror}", prefix="claude-tui run: ")
                return 2
        recorder = _open_recorder(options, stderr, stack)
        return asyncio.run(_run(options, stdout, stderr, events_file, base_url, api_key, recorder))


async def _run(
    options: HeadlessOptions,
    stdout: IO[str],
    stderr: IO[str],
    events_file: IO[str] | None,
    base_url: str | None,
    api_key: str | None,
    recorder: Any,
) -> int:
    from .client import build_client
    from .retry.runner import Request, RetryRun

    settings = options.settings
    policy = settings.effective_policy()
    client = build_client(settings.timeouts(), api_key=api_key, base_url=base_url)
    request = Request(
        prompt=options.prompt, model=settings.model, max_tokens=settings.max_tokens, system=settings.system
    )
    run = RetryRun(request, client=client, policy=policy)
    gc_policy.ready()
    printer = HeadlessPrinter(
        stdout=stdout,
        stderr=stderr,
        quiet=options.quiet,
        answer_to_stdout=events_file is not stdout,
        max_attempts=policy.max_attempts,
    )
    if not options.quiet and (note := deprecation_note(settings.model)):
        say(stderr, note)
    # Machine-readable sinks first: once a person sees a line, the file already has it.
    sinks = []
    if events_file is not None:

        def write_event(event: Event) -> None:
            events_file.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            events_file.flush()

        sinks.append(write_event)
    if recorder is not None:
        sinks.append(recorder.record)
    sinks.append(printer.handle)
    try:
        last = await _consume(run, sinks)
    finally:
        if recorder is not None:
            recorder.finish()
        await client.close()
    if isinstance(last, Success):
        return 0
    if isinstance(last, Cancelled):
        return 130
    return 1
