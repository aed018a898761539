"""The lab's discrete-event simulation: N requests of one client under one policy, in virtual time.

Time is a number that jumps from one event to the next (a heap of ``(time, seq)``), so a
minute of backoff costs nothing and the same inputs give the same run, event for event.
Each request goes through what :class:`~tui_app.retry.runner.RetryRun` does with a real
client — an attempt, its outcome (:mod:`.attempts` for a scenario step, the shared
:class:`~.servers.ServerModel` otherwise), the fallback rule (:class:`FallbackChain`), then
:func:`~tui_app.retry.decide.next_step` with the client's retry budget — and nothing else
decides: a rule changed in the core changes the lab. Before each attempt the client's gate
(:class:`~tui_app.retry.gate.ClientGate`: circuit breaker, adaptive throttling) may refuse
it, as it does in the runner.

The N requests are one client process (one service sending N requests), so they share one
retry budget and gate, as the requests of one ``claude-tui run`` or TUI process do.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from typing import TYPE_CHECKING

from ..retry import statuses
from ..retry.budget import RetryBudget
from ..retry.decide import next_step
from ..retry.events import GiveUp
from ..retry.fallback import FallbackChain
from ..retry.gate import ClientGate
from ..simulator.scenarios import Scenario, StepSequence
from ..simulator.steps import HAPPY
from .attempts import CHARS_PER_TOKEN, Outcome, Speed, scripted
from .speeds import model_speed
from .tally import Tally

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..retry.failures import Failure
    from ..retry.policy import RetryPolicy
    from .policies import LabPolicy
    from .servers import ServerModel

_ARRIVE, _START, _END = 0, 1, 2


def faults_seed(seed: int, index: int) -> int:
    """The seed of request ``index``'s copy of a scenario's script (the same for every policy)."""
    return seed * 1_000_003 + index


def backoff_rng(seed: int, index: int) -> random.Random:
    """Request ``index``'s own draws for its backoff waits: the same for every policy (so
    policies differ by their rules, not by luck), and apart from the faults' draws."""
    return random.Random(f"lab-backoff:{seed}:{index}")


def client_state(
    policy: RetryPolicy, seed: int, clock: Callable[[], float]
) -> tuple[RetryBudget | None, ClientGate | None]:
    """The retry budget and gate one client's requests share under ``policy`` (None where it
    has none), on ``clock``; the gate's draws seeded like the rest of the lab's."""
    p = policy
    budget = RetryBudget(p.retry_budget, p.retry_budget_min, clock=clock) if p.retry_budget else None
    gate = None
    if p.breaker_after or p.throttle_k is not None:
        rng = random.Random(f"lab-gate:{seed}")
        gate = ClientGate(after=p.breaker_after, cooldown=p.breaker_cooldown, k=p.throttle_k, clock=clock, rng=rng)
    return budget, gate


class _Request:
    """One request's state between its events."""

    __slots__ = (
        "index", "arrived", "started", "attempt", "previous_delay", "carried", "chain",
        "rng", "steps", "down_until", "outcome", "model", "holds",
    )  # fmt: skip
    rng: random.Random
    chain: FallbackChain
    steps: StepSequence
    model: str
    previous_delay: float | None

    def __init__(self, index: int, arrived: float) -> None:
        self.index, self.arrived, self.started = index, arrived, arrived
        self.attempt, self.carried = 0, 0
        self.previous_delay = None
        self.down_until = 0.0
        self.holds = False
        self.outcome: Outcome | None = None


class Simulation:
    """One policy's run over the faults; :meth:`run` returns its :class:`Tally`."""

    def __init__(
        self,
        policy: LabPolicy,
        faults: Scenario | ServerModel,
        arrivals: list[float],
        *,
        seed: int,
        concurrency: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.lab_policy, self.policy, self.faults = policy, policy.policy, faults
        self.read = policy.timeouts.read
        self.arrivals, self.seed, self.concurrency, self.progress = arrivals, seed, concurrency, progress
        self.now = 0.0
        self.heap: list[tuple[float, int, int, _Request]] = []
        self.seq = 0
        self.load = 0
        self.in_progress = 0
        self.queue: deque[_Request] = deque()
        self.budget, self.gate = client_state(self.policy, seed, self._clock)
        self.tally = Tally(policy.name)
        self.scripted = isinstance(faults, Scenario)
        self._bucket = (float(getattr(faults, "requests_per_minute", 0) or 0), 0.0)  # (tokens, last refill)

    def _clock(self) -> float:
        return self.now

    def _push(self, t: float, kind: int, request: _Request) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, kind, request))

    def run(self) -> Tally:
        for i, t in enumerate(self.arrivals):
            self._push(t, _ARRIVE, _Request(i, t))
        heap, handlers = self.heap, (self._arrive, self._start, self._end)
        while heap:
            self.now, _, kind, request = heapq.heappop(heap)
            handlers[kind](request)
        self.tally.virtual_seconds = self.now
        return self.tally

    # -- a request's life ---------------------------------------------------------------
    def _arrive(self, r: _Request) -> None:
        if self.concurrency is not None and self.in_progress >= self.concurrency:
            self.queue.append(r)
            return
        self._begin(r)

    def _begin(self, r: _Request) -> None:
        """The request starts (its latency counts from here): its first attempt, now."""
        self.in_progress += 1
        r.started = self.now
        r.rng = backoff_rng(self.seed, r.index)
        r.chain = FallbackChain(self.lab_policy.model, self.policy.fallback, self.policy.fallback_after)
        r.model = self.lab_policy.model
        if self.scripted:
            r.steps = StepSequence(self.faults, faults_seed(self.seed, r.index))  # type: ignore[arg-type]  # scripted
            self._maybe_outage(r)
        if self.budget is not None:
            self.budget.note_request()
        self._start(r)

    def _start(self, r: _Request) -> None:
        refused = self.gate.admit() if self.gate is not None else None
        if refused is not None:  # the client's breaker or throttle: no call, the request ends
            self.tally.give_up(refused[0], r.model, r.carried)
            self._finish()
            return
        r.attempt += 1
        outcome = self._served(r) if not self.scripted else self._scripted(r)
        deadline = self.policy.deadline
        if deadline is not None and r.started + deadline < self.now + outcome.duration:
            outcome = _cut_at_deadline(outcome, r.started + deadline - self.now, deadline)
        r.outcome, r.holds = outcome, outcome.started or outcome.duration > 0  # a refusal is not held
        if r.holds:
            self.load += 1
            self.tally.peak_load = max(self.tally.peak_load, self.load)
            self.tally.timeline.note(self.now, self.load)
        self._push(self.now + outcome.duration, _END, r)

    def _end(self, r: _Request) -> None:
        outcome = r.outcome
        assert outcome is not None
        if r.holds:
            self.load -= 1
            self.tally.timeline.note(self.now, self.load)
        self.tally.call(r.model, outcome, self._input_tokens(r) if outcome.started else 0)
        failure = outcome.failure
        if self.gate is not None:
            self.gate.record(failure)
        if failure is None:
            self.tally.success(self.now - r.started)
            self._finish()
            return
        if self.scripted:
            self._maybe_outage(r)
        if self.policy.mid_stream == "continue" and failure.mid_stream:
            r.carried += outcome.streamed_chars
        else:
            self.tally.discarded(r.model, outcome.streamed_chars)
        decision = next_step(
            self.policy,
            failure,
            attempt=r.attempt,
            now=self.now - r.started,
            previous_delay=r.previous_delay,
            rng=r.rng,
            switch=self._fall_back(r, failure),
            budget=self.budget,
        )
        if isinstance(decision, GiveUp):
            self.tally.give_up(decision.reason, r.model, r.carried)
            self._finish()
            return
        if decision.reason == "backoff":
            r.previous_delay = decision.delay
        self.tally.waiting_seconds += decision.delay
        self._push(self.now + decision.delay, _START, r)

    def _finish(self) -> None:
        self.in_progress -= 1
        if self.progress is not None:
            self.progress(1)
        if self.queue:
            self._begin(self.queue.popleft())

    def _fall_back(self, r: _Request, failure: Failure) -> str:
        """The runner's fallback step (``RetryRun._fall_back``): the next model, and why."""
        reason = r.chain.after_failure(failure)
        if reason is None:
            return ""
        r.model = r.chain.model
        return f"{reason}: attempt {r.attempt + 1} uses {r.model}"

    # -- what an attempt meets ---------------------------------------------------------
    def _scripted(self, r: _Request) -> Outcome:
        scenario: Scenario = self.faults  # type: ignore[assignment]
        if self.now < r.down_until:
            return Outcome(0.0, statuses.transport_failure("connect_failed", "could not connect (connection refused)"))
        step = r.steps.take()
        speed = Speed(scenario.ttft, scenario.tokens_per_second)
        chars = max(1, scenario.answer_chars - r.carried)
        return scripted(step, chars=chars, speed=speed, read_timeout=self.read, now=self.now)

    def _maybe_outage(self, r: _Request) -> None:
        """The simulator's ``connection_refused``: when the next step is one, the port closes
        for its seconds from now (consecutive ones make one longer outage)."""
        steps = r.steps
        while steps.peek().fault == "connection_refused":
            r.down_until = max(r.down_until, self.now) + (steps.take().seconds or 0.0)

    def _served(self, r: _Request) -> Outcome:
        server: ServerModel = self.faults  # type: ignore[assignment]
        refusal = self._rate_limited(server)
        if refusal is not None:
            return Outcome(0.0, refusal)
        if self.load >= server.capacity_at(self.now):
            return Outcome(0.0, _refusal(server))
        ttft, tps = model_speed(r.model)
        speed = Speed(server.ttft if server.ttft is not None else ttft, server.tokens_per_second or tps)
        chars = max(1, server.answer_tokens * CHARS_PER_TOKEN - r.carried)
        return scripted(HAPPY, chars=chars, speed=speed, read_timeout=self.read, now=self.now)

    def _rate_limited(self, server: ServerModel) -> Failure | None:
        rpm = server.requests_per_minute
        if rpm is None:
            return None
        tokens, last = self._bucket
        tokens = min(float(rpm), tokens + (self.now - last) * rpm / 60)
        if tokens >= 1:
            self._bucket = (tokens - 1, self.now)
            return None
        self._bucket = (tokens, self.now)
        wait = -(-((1 - tokens) * 60 / rpm) // 1)  # whole seconds, rounded up, as the API sends them
        headers = {
            "retry-after": f"{wait:g}",
            "anthropic-ratelimit-requests-limit": str(rpm),
            "anthropic-ratelimit-requests-remaining": "0",
        }
        return statuses.status_failure(429, headers, "rate_limit_error", "simulated rate limit (requests per minute)")

    def _input_tokens(self, r: _Request) -> int:
        base = self.faults.input_tokens if not self.scripted else SCRIPTED_INPUT  # type: ignore[union-attr]
        return base + r.carried // CHARS_PER_TOKEN


SCRIPTED_INPUT = 500
"""Input tokens of each request on a scenario (whose prompt the lab does not have)."""


_REFUSALS: dict[tuple[int, float | None], Failure] = {}


def _refusal(server: ServerModel) -> Failure:
    """The server's refusal (one object per kind: a failure is immutable)."""
    key = (server.status, server.retry_after)
    if key not in _REFUSALS:
        headers = {} if server.retry_after is None else {"retry-after": f"{server.retry_after:g}"}
        message = f"simulated {server.error_type}: the server is at capacity"
        _REFUSALS[key] = statuses.status_failure(server.status, headers, server.error_type, message)
    return _REFUSALS[key]


def _cut_at_deadline(outcome: Outcome, left: float, deadline: float) -> Outcome:
    """The attempt as the core's ``asyncio.timeout`` ends it: at the deadline, with what it
    streamed by then (in proportion)."""
    left = max(0.0, left)
    share = left / outcome.duration if outcome.duration else 0.0
    sent = int(outcome.streamed_chars * share)
    return Outcome(left, statuses.deadline_exceeded(sent, None, deadline), sent, outcome.started)
