"""The attempt loop: one request + one policy -> an async iterator of events.

>>> run = RetryRun(Request(prompt="Hi", model="claude-sonnet-4-5"), client=client)
>>> async for event in run.events():      # doctest: +SKIP
...     print(event.to_dict())

The loop runs in its own task and hands events over through a queue, so ``cancel()``
(escape, Ctrl-C), ``retry_now()`` (skip a backoff wait) and ``switch()`` (another model or
client for the next attempt) act at once from any other task, whatever the loop is
awaiting. Time comes from an injectable ``clock``/``sleep`` pair so tests and replay never
wait for real backoff.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import budget as _budget
from . import classify as _classify
from . import decide as _decide
from . import gate as _gate
from .attempt import AttemptOutcome, run_attempt
from .continuation import CONTINUE_INSTRUCTION as CONTINUE_INSTRUCTION  # re-exported
from .events import (
    TERMINAL_TYPES,
    AttemptError,
    AttemptStart,
    Backoff,
    Cancelled,
    Event,
    GiveUp,
    RunStart,
    Success,
)
from .fallback import FallbackChain
from .policy import RetryPolicy

if TYPE_CHECKING:
    from .failures import Failure

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Request:
    """What to ask: the parts of a Messages API call that a retry repeats unchanged."""

    prompt: str
    model: str
    max_tokens: int = 1024
    system: str | None = None
    stream: bool = True
    """False: one ``messages.create`` without streaming; the read timeout then bounds the
    wait for the whole answer (see :mod:`.whole`)."""
    thinking: dict[str, Any] | None = None
    """The request's ``thinking`` (``{"type": "adaptive"}``...); None leaves it out."""
    effort: str | None = None
    """``output_config.effort``; None leaves it out."""
    temperature: float | None = None
    stop_sequences: tuple[str, ...] = ()
    history: tuple[tuple[str, str], ...] = ()
    """Earlier turns of the conversation, (user, assistant) each: a follow-up sends them
    before its prompt, the same on every attempt."""

    def messages(self, carried_text: str = "") -> list[dict[str, str]]:
        """The conversation to send; under "continue", a new *user* turn asks to go on —
        never an assistant prefill, which newer models reject with a 400."""
        messages = [
            {"role": role, "content": text}
            for user, assistant in self.history
            for role, text in (("user", user), ("assistant", assistant))
        ]
        messages.append({"role": "user", "content": self.prompt})
        if carried_text:
            messages += [
                {"role": "assistant", "content": carried_text},
                {"role": "user", "content": CONTINUE_INSTRUCTION},
            ]
        return messages


class RetryRun:
    """One call with retries. Iterate ``events()`` once; steer it from elsewhere."""

    def __init__(
        self,
        request: Request,
        *,
        client: Any,
        policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        timeouts: dict[str, float | None] | None = None,
        budget: _budget.RetryBudget | None = None,
        gate: _gate.ClientGate | None = None,
    ) -> None:
        self.request = request
        self.client = client
        self.policy = policy or RetryPolicy()
        self.policy.validate()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._timeouts = timeouts if timeouts is not None else _client_timeouts(client)
        self._budget = budget if budget is not None else _budget.shared(self.policy)
        """The client's retry budget (the process's, unless given): this run's request counts in it."""
        self._gate = gate if gate is not None else _gate.shared(self.policy)
        """The client's circuit breaker and adaptive throttle (the process's, unless given)."""
        self._pending: deque[Event] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._cancel_requested = False
        self._t0 = 0.0
        self.attempt = 0
        self.phase: str = "request"
        """"request" while an attempt runs, "backoff" while waiting for the next one."""

    # -- steering -----------------------------------------------------------------
    def cancel(self) -> None:
        """Stop now: the in-flight request or the backoff wait ends with ``Cancelled``."""
        self._cancel_requested = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def retry_now(self) -> None:
        """End the current backoff wait early and start the next attempt."""
        self._wake.set()

    def switch(self, *, request: Request | None = None, client: Any = None, policy: RetryPolicy | None = None) -> None:
        """Use another request (e.g. model), client (e.g. timeouts) or policy from the next attempt.

        A new policy's limits count what already happened: its deadline runs from the start
        of the run, and attempts made so far count against its ``max_attempts``.
        """
        if policy is not None:
            policy.validate()
            self.policy = policy
        if request is not None:
            self.request = request
        if client is not None:
            self.client = client
            self._timeouts = _client_timeouts(client)

    # -- consuming ----------------------------------------------------------------
    async def events(self) -> AsyncIterator[Event]:
        """Yield every event until (and including) the terminal one.

        A consumer that may stop early should wrap this in ``contextlib.aclosing`` so the
        run is cancelled at once rather than when the generator is collected.
        """
        if self._task is not None:
            raise RuntimeError("RetryRun.events() can only be iterated once")
        self._t0 = self._clock()
        if self._cancel_requested:  # cancelled before it started: say so, send nothing
            self._task = asyncio.get_running_loop().create_future()  # type: ignore[assignment]
            self._task.set_result(None)  # type: ignore[union-attr]
            yield Cancelled(t=0.0, attempt=0, during="request", elapsed=0.0)
            return
        loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._drive(), name="claude-tui retry run")
        self._task.add_done_callback(self._wake_consumer)
        pending = self._pending
        try:
            while True:
                if not pending:
                    if self._task.done():  # ended without a terminal event: surface why
                        self._task.result()
                        raise RuntimeError("the retry loop ended without a terminal event")
                    self._waiter = loop.create_future()
                    try:
                        await self._waiter
                    finally:
                        self._waiter = None
                    continue
                event = pending.popleft()
                yield event
                if event.type in TERMINAL_TYPES:
                    break
        finally:
            if not self._task.done():
                self.cancel()
                await asyncio.gather(self._task, return_exceptions=True)

    def _now(self) -> float:
        return self._clock() - self._t0

    def _emit(self, event: Event) -> None:
        """Hand ``event`` to the consumer: a deque and one waiter future, because a long
        answer is tens of thousands of deltas and ``asyncio.Queue`` costs ~1 µs more each."""
        self._pending.append(event)
        self._wake_consumer()

    def _wake_consumer(self, _task: object = None) -> None:
        """Resume ``events()`` if it waits (also the run task's done-callback)."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- the loop -----------------------------------------------------------------
    async def _drive(self) -> None:
        self._emit(
            RunStart(
                t=0.0,
                model=self.request.model,
                max_attempts=self.policy.max_attempts,
                deadline=self.policy.deadline,
                timeouts=dict(self._timeouts),
                stream=self.request.stream,
            )
        )
        if self._budget is not None:
            self._budget.note_request()
        carried = ""
        previous_delay: float | None = None
        chain = FallbackChain(self.request.model, self.policy.fallback, self.policy.fallback_after)
        moved_on = ""
        try:
            while True:
                refused = self._refused()
                if refused is not None:
                    self._emit(refused)
                    return
                self.attempt += 1
                outcome = await self._one_attempt(carried, moved_on)
                if isinstance(outcome, Success):
                    self._emit(outcome)
                    return
                failure, partial = outcome
                if self.policy.mid_stream == "continue" and failure.mid_stream:
                    carried += partial
                moved_on = self._fall_back(chain, failure)
                decision = self._next_step(failure, previous_delay, moved_on)
                if isinstance(decision, GiveUp):
                    self._emit(decision)
                    return
                previous_delay = decision.delay if decision.reason == "backoff" else previous_delay
                self._emit(decision)
                await self._wait(decision.delay)
        except Exception as exc:  # a bug of the loop itself: shown, the run ends
            failure = self._failure(exc, AttemptOutcome())
            self._emit(
                GiveUp(
                    t=self._now(),
                    attempt=self.attempt,
                    reason="non_retryable",
                    failure=failure,
                    detail=failure.message,
                    elapsed=self._now(),
                )
            )
        except asyncio.CancelledError:
            if not self._cancel_requested:
                raise
            self._emit(
                Cancelled(
                    t=self._now(),
                    attempt=self.attempt,
                    during="backoff" if self.phase == "backoff" else "request",
                    elapsed=self._now(),
                )
            )

    def _fall_back(self, chain: FallbackChain, failure: Failure) -> str:
        """The next attempt's model per the fallback rule (:mod:`.fallback`); why it changed, or ""."""
        if chain.model != self.request.model:  # switched from outside (``switch``): follow it
            return ""
        reason = chain.after_failure(failure)
        if reason is None:
            return ""
        self.request = replace(self.request, model=chain.model)
        return reason

    async def _one_attempt(self, carried: str, moved_on: str = "") -> Success | tuple[Failure, str]:
        n, request = self.attempt, self.request
        self.phase = "request"
        started = self._now()
        self._emit(
            AttemptStart(t=started, attempt=n, model=request.model, carried_text=carried, fallback_reason=moved_on)
        )
        remaining = self._remaining()
        outcome = AttemptOutcome()
        try:
            async with asyncio.timeout(remaining):
                await run_attempt(self.client, request, n, carried, outcome, emit=self._emit, now=self._now)
        except asyncio.CancelledError:
            if self._gate is not None:
                self._gate.abandon()
            raise
        except TimeoutError as exc:
            left = self._remaining()
            if outcome.result is None and left is not None and left <= 0.001:
                outcome.failure = _classify.deadline_exceeded(
                    len(outcome.text), outcome.request_id, self.policy.deadline or 0.0
                )
            else:
                outcome.failure = self._failure(exc, outcome)
        except BaseException as exc:
            outcome.failure = self._failure(exc, outcome)
        if self._gate is not None:
            self._gate.record(outcome.failure if outcome.result is None else None)
        if outcome.result is not None:
            return replace(outcome.result, elapsed=self._now())
        failure = outcome.failure
        assert failure is not None, "run_attempt returns with a result or raises"
        self._emit(
            AttemptError(
                t=self._now(),
                attempt=n,
                failure=failure,
                duration=self._now() - started,
                partial_text=outcome.text,
                request=None if outcome.mid_stream else outcome.request,
                response_headers=outcome.response_headers,
            )
        )
        return failure, outcome.text

    def _refused(self) -> GiveUp | None:
        """The client's gate (:mod:`.gate`) refusing the next attempt, as the run's end; or None."""
        refused = self._gate.admit() if self._gate is not None else None
        if refused is None:
            return None
        reason, failure = refused
        now = self._now()
        return GiveUp(t=now, attempt=self.attempt, reason=reason, failure=failure, detail=failure.message, elapsed=now)

    def _failure(self, exc: BaseException, outcome: AttemptOutcome) -> Failure:
        """``exc`` classified. A bug gets a crash log, and its message (shown and stored in
        the session) is kept free of the API key, which an exception's text may quote."""
        failure = _classify.classify(
            exc,
            streamed_chars=len(outcome.text),
            mid_stream=outcome.mid_stream,
            request_id=outcome.request_id,
            report=self._report_bug,
        )
        if failure.kind == "read_timeout" and not self.request.stream:
            read = self._timeouts.get("read")
            within = f"the {read:.1f} s read timeout" if read else "the read timeout"
            why = "without streaming it bounds the wait for the whole answer: stream, or raise it"
            return replace(failure, message=f"no complete answer within {within} ({why})")
        if failure.kind != "unexpected":
            return failure
        from .. import crash

        return replace(failure, message=crash.scrub(failure.message))

    def _report_bug(self, exc: BaseException) -> str | None:
        """Write a crash log for a bug met during the run; its path, for the failure's message."""
        from .. import crash

        where = f"the retry core (attempt {self.attempt}, {self.request.model})"
        log = crash.write_report(exc, where=where)
        return str(log) if log is not None else None

    def _remaining(self) -> float | None:
        if self.policy.deadline is None:
            return None
        return max(0.0, self.policy.deadline - self._now())

    def _next_step(self, failure: Failure, previous_delay: float | None, moved_on: str = "") -> Backoff | GiveUp:
        """The policy's decision (:func:`.decide.next_step`, the one place of the rule);
        ``moved_on``: why the next attempt uses the next model of the fallback chain."""
        switch = f"{moved_on}: attempt {self.attempt + 1} uses {self.request.model}" if moved_on else ""
        return _decide.next_step(
            self.policy,
            failure,
            attempt=self.attempt,
            now=self._now(),
            previous_delay=previous_delay,
            rng=self._rng,
            switch=switch,
            budget=self._budget,
        )

    async def _wait(self, delay: float) -> None:
        """Sleep ``delay`` unless ``retry_now()`` wakes us first; ``cancel()`` ends it."""
        self._wake.clear()
        self.phase = "backoff"
        if delay <= 0:
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            if sleeper.done() and not sleeper.cancelled() and sleeper.exception() is not None:
                raise sleeper.exception()  # type: ignore[misc]
        finally:
            for fut in (sleeper, waker):
                fut.cancel()


def _client_timeouts(client: Any) -> dict[str, float | None]:
    timeout = getattr(client, "timeout", None)
    fields = ("connect", "read", "write", "pool")
    if timeout is None or isinstance(timeout, (int, float)):
        return {f: timeout for f in fields}
    return {f: getattr(timeout, f, None) for f in fields}
