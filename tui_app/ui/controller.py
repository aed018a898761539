"""The one owner of the request in flight: builds the ``RetryRun`` and feeds its events on.

The screen never touches HTTP or the run itself: it calls ``execute``/``cancel``/
``retry_now``/``switch`` here and receives every event through one sink, exactly as the
headless CLI and the session recorder do. One run at a time — ``busy`` is how the screen
refuses a second send instead of interleaving two answers. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the event classes load after the TUI's first frame (built only when a run starts)
    from ..retry.events import Event
    from ..settings import RunSettings

Sink = Callable[["Event"], Awaitable[None]]


class RunController:
    """Runs one prompt at a time through the retry core; steerable from key handlers."""

    def __init__(self, backend: Any, *, clock: Callable[[], float] = time.monotonic, sleep: Any = None) -> None:
        self.backend = backend
        self._clock = clock
        self._sleep = sleep or asyncio.sleep
        self.run: Any = None
        """The ``RetryRun`` in flight, or None."""
        self.busy = False
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
        if self.phase != "backoff":
            return False
        self.run.retry_now()
        return True

    def switch(self, settings: RunSettings) -> bool:
        """Use these settings' model, prompt options, timeouts and retry policy from the next attempt."""
        if self.run is None:
            return False
        client = self.backend.client(settings.timeouts())
        self.run.switch(
            request=_request(self.run.request.prompt, settings), client=client, policy=settings.effective_policy()
        )
        return True

    # -- running ------------------------------------------------------------------------
    async def execute(self, prompt: str, settings: RunSettings, sink: Sink, *, parent_id: int | None = None) -> Event:
        """Run to the end, handing every event to the recorder then ``sink``; return the last."""
        if self.busy:
            raise RuntimeError("a run is already in progress")
        self.busy, self._cancel_requested = True, False
        self._idle.clear()
        recorder = None
        try:
            problem = await self._await_backend()
            if self._cancel_requested:
                from ..retry.events import Cancelled

                return await _emit_all([Cancelled(t=0.0, attempt=0, during="request")], sink)
            if problem is not None:
                return await _emit_all(startup_failure(problem, settings), sink)
            recorder = _SafeRecorder(self.backend.start_recording(prompt, settings, parent_id), self.backend.notices)
            return await self._drive(prompt, settings, recorder, sink)
        finally:
            if recorder is not None:
                recorder.finish()
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

    async def _drive(self, prompt: str, settings: RunSettings, recorder: _SafeRecorder, sink: Sink) -> Event:
        from ..retry.runner import RetryRun

        client = self.backend.client(settings.timeouts())
        self.run = RetryRun(
            _request(prompt, settings),
            client=client,
            policy=settings.effective_policy(),
            clock=self._clock,
            sleep=self._sleep,
        )
        last: Event | None = None
        async for event in self.run.events():
            recorder.record(event)
            await sink(event)
            last = event
        assert last is not None
        return last


def _request(prompt: str, settings: RunSettings) -> Any:
    from ..retry.runner import Request

    return Request(prompt=prompt, model=settings.model, max_tokens=settings.max_tokens, system=settings.system or None)


async def _emit_all(events: list[Event], sink: Sink) -> Event:
    for event in events:
        await sink(event)
    return events[-1]


def startup_failure(exc: BaseException, settings: RunSettings) -> list[Event]:
    """Events for a run that could not even start, so it shows like any failed attempt."""
    from ..retry.events import AttemptError, AttemptStart, GiveUp, RunStart
    from ..retry.failures import Failure

    policy = settings.effective_policy()
    failure = Failure(kind="unexpected", retryable=False, message=f"{type(exc).__name__}: {exc}")
    return [
        RunStart(t=0.0, model=settings.model, max_attempts=policy.max_attempts, deadline=policy.deadline),
        AttemptStart(t=0.0, attempt=1, model=settings.model),
        AttemptError(t=0.0, attempt=1, failure=failure),
        GiveUp(t=0.0, attempt=1, reason="non_retryable", failure=failure, detail="the backend could not start"),
    ]


class _SafeRecorder:
    """Wraps the session recorder so a store failure mid-run never stops the answer."""

    def __init__(self, recorder: Any, notices: list[str]) -> None:
        self._recorder = recorder
        self._notices = notices

    def record(self, event: Event) -> None:
        if self._recorder is None:
            return
        try:
            self._recorder.record(event)
        except Exception as exc:
            self._notices.append(f"recording stopped: {exc}")
            self._recorder = None

    def finish(self) -> None:
        if self._recorder is not None:
            try:
                self._recorder.finish()
            except Exception as exc:
                self._notices.append(f"could not finish the session record: {exc}")
