"""``claude-tui lab --real-time``: the same comparison through real sockets, the real core, the wall clock.

Virtual time is only worth trusting if it agrees with what really happens, so this runs
the same requests the engine (:mod:`.engine`) simulates — the same arrivals, each
request's own copy of the scenario's script (the same seed per request), the same draws
for its backoff waits, one retry budget and gate per policy — but every attempt is an
HTTP request from :class:`~tui_app.retry.runner.RetryRun` (the live core, with the
official SDK) to a simulator of its own, and every wait is really waited. The figures are
made from the run's events by the same :class:`~.tally.Tally`, so the two reports can be
compared line for line (``tests/lab/test_realtime.py`` does).

Only scenarios: a server model (``crowded`` ...) is state shared by every client, which
the simulator does not play; and only a small N (:data:`MAX_REAL_TIME_REQUESTS`): each
request has a simulator (a thread and a port) of its own, and the waits are real.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from ..retry.events import AttemptError, AttemptStart, Backoff, GiveUp, ResponseStart, Success, TextDelta
from .attempts import CHARS_PER_TOKEN, Outcome
from .engine import SCRIPTED_INPUT, backoff_rng, client_state, faults_seed
from .tally import Tally

if TYPE_CHECKING:
    from ..retry.budget import RetryBudget
    from ..retry.events import Event
    from ..retry.failures import Failure
    from ..retry.gate import ClientGate
    from ..simulator.scenarios import Scenario
    from .policies import LabPolicy

MAX_REAL_TIME_REQUESTS = 50
PROMPT = "lab request {index}"


def run_real_time(
    scenario: Scenario,
    policy: LabPolicy,
    arrivals: list[float],
    *,
    seed: int,
    concurrency: int | None = None,
) -> Tally:
    """One policy's run over ``scenario``, for real; its :class:`Tally` like the engine's."""
    return asyncio.run(_run(scenario, policy, arrivals, seed=seed, concurrency=concurrency))


async def _run(
    scenario: Scenario, policy: LabPolicy, arrivals: list[float], *, seed: int, concurrency: int | None
) -> Tally:
    from ..simulator import Simulator

    simulators = [Simulator(scenario, seed=faults_seed(seed, i)).start() for i in range(len(arrivals))]
    tally = Tally(policy.name)
    calls: list[tuple[float, float]] = []
    started = time.monotonic()
    budget, gate = client_state(policy.policy, seed, time.monotonic)
    limit = asyncio.Semaphore(concurrency or len(arrivals) or 1)
    try:
        async with asyncio.TaskGroup() as group:
            runs = [
                group.create_task(_one(i, at, started, simulators[i].base_url, policy, seed, budget, gate, limit))
                for i, at in enumerate(arrivals)
            ]
    finally:
        for sim in simulators:
            sim.stop()
    for run in runs:  # in arrival order, as the engine counts them
        began, events = run.result()
        tally_events(tally, policy, events, began, calls)
    tally.virtual_seconds = time.monotonic() - started
    tally.peak_load = _peak(calls)
    return tally


async def _one(
    index: int,
    at: float,
    started: float,
    base_url: str,
    lab_policy: LabPolicy,
    seed: int,
    budget: RetryBudget | None,
    gate: ClientGate | None,
    limit: asyncio.Semaphore,
) -> tuple[float, list[Event]]:
    """Request ``index``: arrive at ``at`` (seconds from the start), wait its turn, run to
    its end; (when its first attempt began, its events)."""
    from ..client import SIMULATOR_KEY, build_client
    from ..retry.runner import RetryRun
    from ..run.controller import build_request

    await asyncio.sleep(max(0.0, started + at - time.monotonic()))
    async with limit:
        client = build_client(lab_policy.timeouts, api_key=SIMULATOR_KEY, base_url=base_url)
        try:
            began = time.monotonic() - started
            run = RetryRun(
                build_request(PROMPT.format(index=index), lab_policy.settings),
                client=client,
                policy=lab_policy.policy,
                rng=backoff_rng(seed, index),
                budget=budget,
                gate=gate,
            )
            return began, [event async for event in run.events()]
        finally:
            await client.close()


def tally_events(
    tally: Tally, lab_policy: LabPolicy, events: list[Event], began: float, calls: list[tuple[float, float]]
) -> None:
    """Count one request's events as the engine counts its simulated attempts; each call the
    server held (refused connections are not) goes into ``calls`` as (start, end)."""
    mid_continue = lab_policy.policy.mid_stream == "continue"
    model, carried = lab_policy.model, 0
    streamed, responded, attempt_t = 0, False, 0.0
    for event in events:
        if isinstance(event, AttemptStart):
            model, streamed, responded, attempt_t = event.model or model, 0, False, event.t
        elif isinstance(event, ResponseStart):
            responded = True
        elif isinstance(event, TextDelta):
            streamed += len(event.text)
        elif isinstance(event, AttemptError | Success):
            failure = event.failure if isinstance(event, AttemptError) else None
            if isinstance(event, Success) and not streamed:  # without streaming: the whole text at once
                streamed = len(event.text) - carried
            input_tokens = SCRIPTED_INPUT + carried // CHARS_PER_TOKEN if responded else 0
            tally.call(model, Outcome(event.t - attempt_t, failure, streamed, responded), input_tokens)
            if responded or _waited_on_server(failure, event.t - attempt_t):
                calls.append((began + attempt_t, began + event.t))
            if isinstance(event, Success):
                tally.success(event.t - _first_attempt(events))
            elif mid_continue and failure is not None and failure.mid_stream:
                carried += streamed
            else:
                tally.discarded(model, streamed)
        elif isinstance(event, Backoff):
            tally.waiting_seconds += event.delay
        elif isinstance(event, GiveUp):
            tally.give_up(event.reason, model, carried)


HELD = 0.01
"""Seconds: a call that failed before any response in less than this was refused at once
(an error status, a dropped or refused connection), which virtual time counts as no load."""


def _waited_on_server(failure: Failure | None, seconds: float) -> bool:
    """Whether a call that got no response held the server (a stall, a read timeout), as the
    engine counts it (a call of no duration is not load)."""
    if failure is None:
        return True
    return failure.status is None and failure.kind != "connect_failed" and seconds >= HELD


def _first_attempt(events: list[Event]) -> float:
    return next((e.t for e in events if isinstance(e, AttemptStart)), 0.0)


def _peak(calls: list[tuple[float, float]]) -> int:
    """The most calls in progress at once (an end before a start at the same instant)."""
    edges = sorted([(start, 1) for start, _ in calls] + [(end, -1) for _, end in calls], key=lambda e: (e[0], e[1]))
    load = peak = 0
    for _, step in edges:
        load += step
        peak = max(peak, load)
    return peak
