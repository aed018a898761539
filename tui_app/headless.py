"""The headless consumers of a run: the answer on stdout, one line per event on stderr, JSONL.

``claude-tui run`` is a thin front end of the run service (:mod:`tui_app.run`): the same
backend, controller and safe recording the TUI uses, with these consumers instead of panels.
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
from typing import IO, TYPE_CHECKING

from . import gc_policy, present
from .advisor import advise_settings
from .cli import EXIT_API_FAILURE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .model_notes import deprecation_note
from .retry.events import AttemptError, AttemptStart, Backoff, Cancelled, Event, GiveUp, Success, TextDelta
from .run.backend import Backend
from .run.choice import BackendChoice
from .run.controller import RunController
from .run.links import NO_LINKS, Links
from .safe_text import one_line, visible
from .schema import FieldError, flag_error

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .run.controller import Consumer
    from .settings import RunSettings

PREFIX = "claude-tui: "
UNRECORDED = "this run is not recorded ({problem})"


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
    backend: BackendChoice | None = None
    """Where the request goes; None = the real API from the environment."""
    seed: int = 0
    """Random seed for simulator scenarios."""
    links: Links = NO_LINKS
    """A follow-up (``--continue``): the turn it follows and the history it sends first."""


class HeadlessPrinter:
    """Writes what people and scripts read: the answer on stdout, one line per event on stderr."""

    def __init__(self, *, stdout: IO[str], stderr: IO[str], quiet: bool, answer_to_stdout: bool, max_attempts: int):
        self.stdout, self.stderr = stdout, stderr
        self.quiet = quiet
        self.answer_to_stdout = answer_to_stdout
        self.live = answer_to_stdout and stdout.isatty()
        self.max_attempts = max_attempts
        self.model: str | None = None
        """The model of the latest attempt, named in the outcome line."""
        self._printed_partial = False

    def _say(self, line: str) -> None:
        say(self.stderr, line)

    def handle(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            if self.live:
                self.stdout.write(visible(event.text))
                self.stdout.flush()
                self._printed_partial = True
        elif isinstance(event, AttemptStart):
            self.model = event.model or self.model
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
            self._answer(event.text)
            self._say(present.success_line(event, model=self.model))
        elif isinstance(event, GiveUp):
            self._say(present.give_up_line(event, model=self.model))
        elif isinstance(event, Cancelled):
            self._say(present.cancelled_line(event))

    def _answer(self, text: str) -> None:
        if self.answer_to_stdout:
            if not self.live:
                self.stdout.write(text)
            if self.live and not text.endswith("\n"):
                self.stdout.write("\n")
            self.stdout.flush()


def jsonl_writer(file: IO[str]) -> Consumer:
    """A consumer writing each event as one JSON line, flushed as it happens."""

    def write_event(event: Event) -> None:
        file.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        file.flush()

    return write_event


def notice_printer(backend: Backend, stderr: IO[str]) -> Callable[..., None]:
    """Prints what the backend noticed (store problems, a run not fully recorded) as it comes."""

    def flush(_event: Event | None = None) -> None:
        if not backend.notices:  # the common case, once per text delta: nothing to copy
            return
        notices, backend.notices[:] = list(backend.notices), []
        for notice in notices:
            say(stderr, f"warning: {notice}")

    return flush


def run_headless(options: HeadlessOptions, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Run one request to completion; return the process exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    choice = options.backend or BackendChoice.for_headless(simulate=False)
    with ExitStack() as stack:
        events_file: IO[str] | None = None
        if options.events_path == "-":
            events_file = stdout
        elif options.events_path:
            try:
                events_file = stack.enter_context(open(options.events_path, "w", encoding="utf-8"))
            except OSError as exc:
                say(stderr, f"--events: cannot write {options.events_path}: {exc.strerror}", prefix="claude-tui run: ")
                return EXIT_USAGE
        backend = Backend(choice, seed=options.seed, record=options.record, unrecorded=UNRECORDED)
        return asyncio.run(_run(options, backend, stdout, stderr, events_file))


async def _run(
    options: HeadlessOptions, backend: Backend, stdout: IO[str], stderr: IO[str], events_file: IO[str] | None
) -> int:
    settings = options.settings
    notices = notice_printer(backend, stderr)
    try:
        if (code := await _load(backend, stderr)) is not None:
            return code
        if backend.choice.kind == "simulator":
            say(stderr, f"using the built-in SIMULATOR (scenario {backend.scenario_name}): answers are simulated")
        notices()
        gc_policy.ready()
        printer = HeadlessPrinter(
            stdout=stdout,
            stderr=stderr,
            quiet=options.quiet,
            answer_to_stdout=events_file is not stdout,
            max_attempts=settings.effective_policy().max_attempts,
        )
        if not options.quiet and (note := deprecation_note(settings.model)):
            say(stderr, note)
        if not options.quiet and (advice := advise_settings(settings)) is not None and not advice.ok:
            say(stderr, f"timeout advice: {advice.line}")
        # Machine-readable consumers first: once a person sees a line, the file already has it.
        consumers: list[Consumer] = [jsonl_writer(events_file)] if events_file is not None else []
        consumers += [printer.handle, notices]
        controller = RunController(backend)
        try:
            last = await _with_sigint(
                controller,
                controller.execute(options.prompt, settings, *consumers, links=options.links),
            )
        except FieldError as exc:  # a setting the model does not take: nothing was sent
            say(stderr, str(flag_error(exc)), prefix="claude-tui run: ")
            return EXIT_USAGE
        notices()  # the session's last write comes after the last event
    finally:
        await backend.aclose()
    return exit_code(last)


def exit_code(last: Event) -> int:
    """The documented exit code for how a run ended (README, *Exit codes*): a give-up on
    an ``unexpected`` failure is a bug in claude-tui (70, as for a bug anywhere else), so a
    script can tell it from the API failing (1)."""
    if isinstance(last, Success):
        return EXIT_OK
    if isinstance(last, Cancelled):
        return EXIT_INTERRUPTED
    if isinstance(last, GiveUp) and last.failure is not None and last.failure.kind == "unexpected":
        return EXIT_INTERNAL
    return EXIT_API_FAILURE


async def _load(backend: Backend, stderr: IO[str]) -> int | None:
    """Load the backend; a bad scenario is a usage error (exit 2), anything else a failed run."""
    from .simulator import ScenarioError

    try:
        await backend.ready()
    except ScenarioError as exc:
        say(stderr, f"--scenario: {exc}", prefix="claude-tui run: ")
        return EXIT_USAGE
    except Exception:
        return None  # not ours to show: the controller reports it as a failed attempt, as the TUI does
    return None


async def _with_sigint(controller: RunController, running: Awaitable[Event]) -> Event:
    """Await the run with Ctrl-C cancelling it (exit 130), not killing the process mid-write.
    The handler in force before is put back after (asyncio's removal leaves Python's default,
    which matters to a process that goes on: ``cli.main`` called from a script or a test)."""
    loop = asyncio.get_running_loop()
    before = signal.getsignal(signal.SIGINT)
    try:
        loop.add_signal_handler(signal.SIGINT, controller.cancel)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - non-main thread / Windows
        pass
    try:
        return await running
    finally:
        try:
            loop.remove_signal_handler(signal.SIGINT)
            signal.signal(signal.SIGINT, before)
        except (NotImplementedError, RuntimeError, ValueError, TypeError):  # pragma: no cover
            pass
