"""Seeded chaos soak: hundreds of requests through the core against every fault at once.

Each request must end in exactly one outcome (success with the exact server text, a
classified give-up, or cancelled), never past its deadline plus slack, never retry a
non-retryable failure, never exceed the attempt budget, and be recorded in full.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter

from tui_app.client import build_client
from tui_app.retry.events import TERMINAL_TYPES
from tui_app.retry.failures import FAILURE_KINDS
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.simulator import Simulator, answer_for
from tui_app.store.sessions import SessionStore
from tui_app.timeouts import Timeouts

REQUESTS = 300
CONCURRENCY = 8
DEADLINE = 3.0
SLACK = 0.5
POLICY = RetryPolicy(max_attempts=4, base_delay=0.005, max_delay=0.03, jitter="full", deadline=DEADLINE)
TIMEOUTS = Timeouts(connect=1, read=0.15, write=1, pool=2)

CHAOS = {
    "name": "soak",
    "answer_chars": 300,
    "random": [
        {"weight": 12, "fault": "none"},
        *({"weight": 1, "fault": "status", "status": s} for s in (400, 401, 403, 404, 408, 409, 413, 500, 502, 503, 504)),
        {"weight": 2, "fault": "status", "status": 529},
        {"weight": 1, "fault": "status", "status": 429, "retry_after_ms": 20},
        {"weight": 1, "fault": "status", "status": 429, "retry_after": 1, "retry_after_date": True},
        {"weight": 1, "fault": "status", "status": 529, "retry_after": 60},
        {"weight": 1, "fault": "status", "status": 400, "should_retry": True},
        {"weight": 1, "fault": "status", "status": 503, "should_retry": False},
        {"weight": 1, "fault": "latency", "seconds": 0.05},
        {"weight": 1, "fault": "stall_before_headers", "seconds": 0.4},
        {"weight": 1, "fault": "stall_mid_stream", "seconds": 0.4, "after_chars": 50},
        {"weight": 1, "fault": "dribble", "tokens_per_second": 2000},
        {"weight": 1, "fault": "close_without_response"},
        {"weight": 1, "fault": "reset_mid_stream", "after_chars": 60},
        {"weight": 1, "fault": "sse_error", "after_chars": 80},
        {"weight": 1, "fault": "sse_error", "after_chars": 80, "error_type": "invalid_request_error"},
        {"weight": 1, "fault": "truncated", "after_chars": 90},
        {"weight": 1, "fault": "malformed_sse", "after_chars": 30},
    ],
}


async def one_request(i: int, base_url: str, store: SessionStore) -> dict:
    prompt = f"soak request {i}"
    client = build_client(TIMEOUTS, api_key="sim-key", base_url=base_url)
    recorder = store.start_session(prompt=prompt, model="claude-sonnet-5-5", settings={})
    run = RetryRun(Request(prompt=prompt, model="claude-sonnet-5-5", max_tokens=2048), client=client, policy=POLICY)
    started = time.monotonic()
    events = []
    try:
        async for event in run.events():
            recorder.record(event)
            events.append(event)
    finally:
        recorder.finish()
        await client.close()
    return {"i": i, "prompt": prompt, "events": events, "wall": time.monotonic() - started, "session": recorder.session_id}


def check_invariants(result: dict, store: SessionStore) -> None:
    events = result["events"]
    terminal = [e for e in events if e.type in TERMINAL_TYPES]
    assert len(terminal) == 1 and events[-1] is terminal[0], "exactly one outcome, and it is last"
    end = terminal[0]
    assert result["wall"] <= DEADLINE + SLACK, f"request {result['i']} overran its deadline: {result['wall']:.2f}s " + str([(e.type, round(e.t, 2), getattr(getattr(e, "failure", None), "kind", None)) for e in events if e.type != "text"])
    attempts = [e for e in events if e.type == "attempt_start"]
    assert 1 <= len(attempts) <= POLICY.max_attempts
    errors = [e for e in events if e.type == "attempt_error"]
    for err in errors:
        assert err.failure.kind in FAILURE_KINDS and err.failure.kind != "unexpected", err.failure
    for err in errors[:-1] if end.type != "success" else errors:
        assert err.failure.retryable, f"retried after a non-retryable failure: {err.failure}"
    if end.type == "success":
        assert end.text == answer_for(result["prompt"], chars=CHAOS["answer_chars"]), "success carries exactly the server's text"
        assert len(errors) == len(attempts) - 1
    elif end.type == "give_up":
        assert end.failure is not None and end.failure.kind in FAILURE_KINDS
        assert end.reason in ("non_retryable", "max_attempts", "deadline")
        if end.reason == "non_retryable":
            assert not end.failure.retryable
    detail = store.get_session(result["session"])
    expected_status = {"success": "ok", "give_up": "failed", "cancelled": "cancelled"}[end.type]
    assert detail.status == expected_status
    assert [e.to_dict() for e in detail.events] == [e.to_dict() for e in events], "every event recorded"


def summary(results: list[dict]) -> str:
    outcomes = Counter(
        r["events"][-1].type + (f":{r['events'][-1].reason}" if r["events"][-1].type == "give_up" else "")
        for r in results
    )
    kinds = Counter(e.failure.kind for r in results for e in r["events"] if e.type == "attempt_error")
    attempts = sum(1 for r in results for e in r["events"] if e.type == "attempt_start")
    walls = sorted(r["wall"] for r in results)
    p99 = walls[min(len(walls) - 1, int(len(walls) * 0.99))]
    lines = [
        f"requests {len(results)}  attempts {attempts}  p50 {statistics.median(walls):.2f}s  p99 {p99:.2f}s",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
        "failures: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
    ]
    return "\n".join(lines)


async def test_chaos_soak_through_the_core(capsys):
    with Simulator("happy", seed=20261125) as sim, SessionStore.open() as store:
        # Warm-up: the SDK's first stream pays for lazy imports (about a second here),
        # which would count against the first requests' deadlines, not the core's logic.
        warm = build_client(TIMEOUTS, api_key="sim-key", base_url=sim.base_url)
        async with warm.messages.stream(model="claude-sonnet-5-5", max_tokens=16, messages=[{"role": "user", "content": "hi"}]) as s:
            await s.get_final_message()
        await warm.close()
        sim.set_scenario(CHAOS)
        sim.reset()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def bounded(i: int) -> dict:
            async with gate:
                return await one_request(i, sim.base_url, store)

        results = await asyncio.gather(*(bounded(i) for i in range(REQUESTS)))
        for result in results:
            check_invariants(result, store)
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
        assert not leftover, f"tasks left running: {leftover}"
    table = summary(results)
    with capsys.disabled():
        print("\nchaos soak:\n" + table)
    outcomes = {r["events"][-1].type for r in results}
    assert {"success", "give_up"} <= outcomes
    kinds = {e.failure.kind for r in results for e in r["events"] if e.type == "attempt_error"}
    assert {"overloaded", "rate_limited", "server_error", "client_error", "auth_error", "read_timeout",
            "connection_reset", "truncated_stream", "malformed_stream"} <= kinds
