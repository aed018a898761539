"""Seeded chaos soak: hundreds of requests through the core against every fault at once.

Each request must end in exactly one outcome (success with the exact server text, a
classified give-up, or cancelled), never past its deadline plus slack, never retry a
non-retryable failure, never exceed the attempt budget, and be recorded in full
(invariants in ``chaos.py``, shared with the ``claude-tui run`` process soak).
"""

from __future__ import annotations

import asyncio
import time

from tui_app.client import build_client
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import Simulator
from tui_app.store.sessions import SessionStore
from tui_app.timeouts import Timeouts

from .chaos import FAULT_MIX, Outcome, check_invariants, failure_kinds, summary

REQUESTS = 300
CONCURRENCY = 8
DEADLINE = 3.0
SLACK = 0.5
POLICY = RetryPolicy(max_attempts=4, base_delay=0.005, max_delay=0.03, jitter="full", deadline=DEADLINE)
TIMEOUTS = Timeouts(connect=1, read=0.15, write=1, pool=2)
CHAOS = {"name": "soak", "answer_chars": 300, "random": FAULT_MIX}


async def one_request(i: int, client, store: SessionStore) -> Outcome:
    prompt = f"soak request {i}"
    recorder = store.start_session(prompt=prompt, model=DEFAULT_MODEL, settings={})
    run = RetryRun(Request(prompt=prompt, model=DEFAULT_MODEL, max_tokens=2048), client=client, policy=POLICY)
    started = time.monotonic()
    events = []
    try:
        async for event in run.events():
            recorder.record(event)
            events.append(event)
    finally:
        recorder.finish()
    wall = time.monotonic() - started
    return Outcome(prompt, events, wall, store.get_session(recorder.session_id))


async def test_chaos_soak_through_the_core(capsys):
    with Simulator("happy", seed=20261125) as sim, SessionStore.open() as store:
        # One client (one connection pool) for every request, as the TUI shares one: a
        # client costs ~90 ms of CPU to build (TLS context), which would dominate the soak.
        # Warm-up: the SDK's first stream pays for lazy imports (about a second here),
        # which would count against the first requests' deadlines, not the core's logic.
        client = build_client(TIMEOUTS, api_key="sim-key", base_url=sim.base_url)
        async with client.messages.stream(
            model=DEFAULT_MODEL, max_tokens=16, messages=[{"role": "user", "content": "hi"}]
        ) as s:
            await s.get_final_message()
        sim.set_scenario(CHAOS)
        sim.reset()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def bounded(i: int) -> Outcome:
            async with gate:
                return await one_request(i, client, store)

        try:
            runs = await asyncio.gather(*(bounded(i) for i in range(REQUESTS)))
        finally:
            await client.close()
        for run in runs:
            check_invariants(
                run,
                answer_chars=CHAOS["answer_chars"],
                max_attempts=POLICY.max_attempts,
                deadline=DEADLINE,
                slack=SLACK,
            )
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
        assert not leftover, f"tasks left running: {leftover}"
        assert store.check() == []
    with capsys.disabled():
        print("\nchaos soak (core):\n" + summary(runs))
    assert {"success", "give_up"} <= {r.end.type for r in runs}
    assert {
        "overloaded",
        "rate_limited",
        "server_error",
        "client_error",
        "auth_error",
        "read_timeout",
        "connection_reset",
        "truncated_stream",
        "malformed_stream",
        "connect_failed",
    } <= failure_kinds(runs)
    hints = [e for r in runs for e in r.events if e.type == "backoff" and e.reason == "retry-after"]
    assert hints, "server retry hints were honoured"
    assert any(
        r.end.type == "give_up" and r.end.reason == "deadline" and "retry-after" in r.end.detail for r in runs
    ), "a retry-after longer than the deadline gives up at once"
