"""The one owner of the request in flight: builds the ``RetryRun`` and fans its events out.

Front ends never touch HTTP or the run itself: they call ``execute``/``cancel``/
``retry_now``/``switch`` here and receive every event through their consumers — the TUI's
panels, the headless printer, the JSONL writer — after the session recorder has it. One run
at a time: ``busy`` is how the TUI refuses a second send instead of interleaving two
answers. Replay (:func:`replay`) feeds recorded events to the same consumers.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import TYPE_CHECKING, Protocol

from .links import NO_LINKS, Links

if TYPE_CHECKING:  # the event classes load after the TUI's first frame (built only when a run starts)
    from collections.abc import AsyncIterable, Awaitable, Callable, Iterable

    from ..capabilities import ModelCaps
    from ..retry.events import Event
    from ..retry.runner import Request, RetryRun
    from ..settings import RunSettings
    from ..store.conversation import History
    from .backend import Backend
    from .recording import SafeRecorder


class Consumer(Protocol):
    """Takes each event of a run, in order; may be a plain function or a coroutine function."""

    def __call__(self, event: Event, /) -> Awaitable[None] | None: ...


async def fan_out(events: AsyncIterable[Event], consumers: Iterable[Consumer]) -> Event | None:
    """Hand every event to each consumer in turn (awaiting those that are async); return the last."""
    sinks = tuple(consumers)
    last: Event | None = None
    async for event in events:
        for sink in sinks:
            result = sink(event)
            if result is not None and inspect.isawaitable(result):  # most sinks return None, and
                await result  # isawaitable(None) is slow enough to matter ~20,000 times an answer
        last = event
    return last


async def replay(
    events: Iterable[Event],
    consumers: Iterable[Consumer],
    *,
    speed: float | None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> Event | None:
    """Feed recorded events to the consumers of a live run, with their recorded timing."""
    from ..store.replay import replay_events

    return await fan_out(replay_events(events, speed=speed, sleep=sleep), consumers)


class RunController:
    """Runs one prompt at a time through the retry core; steerable from key handlers."""

    def __init__(
        self,
        backend: Backend,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.backend = backend
        self._clock = clock
        self._sleep = sleep or asyncio.sleep
        self.run: RetryRun | None = None
        """The ``RetryRun`` in flight, or None."""
        self.busy = False
        self.recorder: SafeRecorder | None = None
        """The recording of the run in flight (its ``problem`` says if it is not whole)."""
        self._idle = asyncio.Event()
        self._idle.set()
        self._cancel_requested = False
        self._waiting: asyncio.Future[None] | None = None

    @property
    def phase(self) -> str:
        """``idle``, ``loading`` (SDK not loaded yet), ``request`` or ``backoff``."""
        if not self.busy:
            return "idle"
        return self.run.phase if self.run is not None else "loading"

    # -- steering (called from key handlers; all act at once) ---------------------------
    def cancel(self) -> bool:
        """End the request or the backoff wait now; False when nothing runs."""
        if not self.busy:
            return False
        self._cancel_requested = True
        if self.run is not None:
            self.run.cancel()
        elif self._waiting is not None:
            self._waiting.cancel()
        return True

    def retry_now(self) -> bool:
        """Skip the backoff wait; False when not backing off."""
        if self.phase != "backoff" or self.run is None:
            return False
        self.run.retry_now()
        return True

    def switch(self, settings: RunSettings) -> bool:
        """Use these settings' model, prompt options, timeouts and retry policy from the next attempt."""
        if self.run is None:
            return False
        client = self.backend.client(settings.timeouts())
        request = build_request(self.run.request.prompt, settings, history=self.run.request.history)
        self.run.switch(request=request, client=client, policy=settings.effective_policy())
        return True

    # -- running ------------------------------------------------------------------------
    async def execute(self, prompt: str, settings: RunSettings, *consumers: Consumer, links: Links = NO_LINKS) -> Event:
        """Run to the end, handing every event to the recorder then each consumer; return the last.

        Raises ``FieldError`` (one line naming the setting and the fix), before anything is
        sent or recorded, for a setting the model does not take (:mod:`tui_app.capabilities`).
        """
        if self.busy:
            raise RuntimeError("a run is already in progress")
        self.busy, self._cancel_requested, self.recorder = True, False, None
        self._idle.clear()
        try:
            problem = await self._await_backend()
            caps = None if problem is not None else await self._check(settings)
            if problem is None and not self._cancel_requested:
                # In a thread: a locked database makes the first write wait, never the UI.
                self.recorder = await asyncio.to_thread(self.backend.start_recording, prompt, settings, links)
            sinks = consumers if self.recorder is None else (self.recorder.record, *consumers)
            if self._cancel_requested:
                from ..retry.events import Cancelled

                return await _emit_all([Cancelled(t=0.0, attempt=0, during="request")], sinks)
            if problem is not None:
                return await _emit_all(startup_failure(problem, settings), sinks)
            return await self._drive(prompt, settings, sinks, caps, links.history)
        finally:
            try:
                if self.recorder is not None:
                    await self.recorder.finished()  # off the loop: a locked database never freezes it
            finally:
                self.run, self.busy, self._waiting = None, False, None
                self._idle.set()

    async def stop(self, timeout: float = 2.0) -> None:
        """Cancel the run in flight (if any) and wait until its end is recorded (bounded):
        quitting mid-run then leaves a ``cancelled`` session, not an ``interrupted`` one."""
        if self.cancel():
            try:
                await asyncio.wait_for(self._idle.wait(), timeout)
            except TimeoutError:
                pass  # recorded as interrupted then: still nothing lost

    async def _await_backend(self) -> BaseException | None:
        if self.backend.is_ready:
            return None
        self._waiting = asyncio.ensure_future(self.backend.ready())
        try:
            await self._waiting
        except asyncio.CancelledError:
            if not self._cancel_requested:
                raise
        except Exception as exc:
            return exc
        return None

    async def _check(self, settings: RunSettings) -> ModelCaps | None:
        """What the model takes, when a setting depends on it; ``FieldError`` if it cannot."""
        from .. import capabilities

        if not capabilities.needs_check(settings):
            return None
        caps = await self.backend.model_caps(settings.model)
        if (problem := capabilities.problem(settings, caps)) is not None:
            raise problem
        return caps

    async def _drive(
        self,
        prompt: str,
        settings: RunSettings,
        consumers: tuple[Consumer, ...],
        caps: ModelCaps | None = None,
        history: History = (),
    ) -> Event:
        from ..retry.runner import RetryRun

        self.run = RetryRun(
            build_request(prompt, settings, caps, history=history),
            client=self.backend.client(settings.timeouts()),
            policy=settings.effective_policy(),
            clock=self._clock,
            sleep=self._sleep,
        )
        last = await fan_out(self.run.events(), consumers)
        assert last is not None, "a run always ends with a terminal event"
        return last


def build_request(
    prompt: str, settings: RunSettings, caps: ModelCaps | None = None, *, history: History = ()
) -> Request:
    """The request of ``settings``; ``caps`` (else the shipped table) says how the model
    turns thinking off (:func:`~tui_app.capabilities.thinking_param`); ``history``: the
    conversation's earlier turns, for a follow-up."""
    from .. import capabilities
    from ..retry.runner import Request

    if caps is None and settings.thinking == "off":
        caps = capabilities.from_table(settings.model)
    return Request(
        prompt=prompt,
        model=settings.model,
        max_tokens=settings.max_tokens,
        system=settings.system or None,
        stream=settings.stream,
        thinking=capabilities.thinking_param(settings.thinking, caps),
        effort=settings.effort,
        temperature=settings.temperature,
        stop_sequences=settings.stop_sequences,
        history=history,
    )


async def _emit_all(events: list[Event], consumers: Iterable[Consumer]) -> Event:
    async def iterate() -> AsyncIterable[Event]:
        for event in events:
            yield event

    await fan_out(iterate(), consumers)
    return events[-1]


def startup_failure(exc: BaseException, settings: RunSettings) -> list[Event]:
    """Events for a run that could not even start, so it shows like any failed attempt."""
    from ..retry.events import AttemptError, AttemptStart, GiveUp, RunStart
    from ..retry.failures import Failure

    policy = settings.effective_policy()
    failure = Failure(kind="backend_unavailable", retryable=False, message=f"{type(exc).__name__}: {exc}")
    return [
        RunStart(t=0.0, model=settings.model, max_attempts=policy.max_attempts, deadline=policy.deadline),
        AttemptStart(t=0.0, attempt=1, model=settings.model),
        AttemptError(t=0.0, attempt=1, failure=failure),
        GiveUp(t=0.0, attempt=1, reason="non_retryable", failure=failure, detail="the backend could not start"),
    ]
