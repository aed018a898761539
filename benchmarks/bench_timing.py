"""Timing accuracy: backoff waits fire when planned, and cancel returns at once.

    .venv/bin/python benchmarks/bench_timing.py [--quick]

Waits: the simulator answers 529 with ``retry-after-ms`` (delays of 10–200 ms, seeded), and
``RetryRun`` waits with its real ``asyncio.sleep``. A wait's lateness is the next attempt's
start minus the backoff's start minus the planned delay (the events' own monotonic times).
Baseline, interleaved in the same run: a bare ``asyncio.sleep`` of the same delays (the
event loop's own timer accuracy on this machine).

Cancel: ``RetryRun.cancel()`` during a backoff wait (a 30 s ``retry-after``) and during a
stream (an answer dribbled at 50 tokens/s), timed until the ``cancelled`` event arrives.
Baseline: cancelling a task that reads a bare SDK stream, timed until the task is done.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time

from _measure import load_note, parse_args, percentile, throwaway_home
from _table import Row, print_table

from tui_app.settings import DEFAULT_MODEL

MODEL = DEFAULT_MODEL  # the installed SDK's own: a literal id can drop out of its table
WAITS_PER_RUN = 20


def _client(base_url: str):
    from tui_app.client import build_client
    from tui_app.timeouts import Timeouts

    return build_client(Timeouts(connect=5, read=30, write=10, pool=5), api_key="sim-key", base_url=base_url)


def _run(client, attempts: int):
    from tui_app.retry.policy import RetryPolicy
    from tui_app.retry.runner import Request, RetryRun

    policy = RetryPolicy(max_attempts=attempts, deadline=None)
    return RetryRun(Request(prompt="timing", model=MODEL, max_tokens=1024), client=client, policy=policy)


async def core_lateness(sim, delays: list[float]) -> list[float]:
    """Lateness (s) of each backoff wait of one run that fails once per delay, then succeeds."""
    steps = [{"fault": "status", "status": 529, "retry_after_ms": round(d * 1000)} for d in delays]
    sim.set_scenario({"name": "timing", "steps": steps, "then": "happy", "answer_chars": 20})
    client = _client(sim.base_url)
    late, backoff = [], None
    async for event in _run(client, len(delays) + 1).events():
        if event.type == "backoff":
            backoff = event
        elif event.type == "attempt_start" and backoff is not None:
            late.append(event.t - backoff.t - backoff.delay)
            backoff = None
    await client.close()
    assert event.type == "success" and len(late) == len(delays), (event, len(late))
    return late


async def bare_lateness(delays: list[float]) -> list[float]:
    late = []
    for delay in delays:
        start = time.monotonic()
        await asyncio.sleep(delay)
        late.append(time.monotonic() - start - delay)
    return late


async def core_cancel(sim, during: str) -> float:
    """Seconds from ``cancel()`` to the ``cancelled`` event, during a wait or a stream."""
    if during == "backoff":
        sim.set_scenario({"name": "wait", "steps": [{"fault": "status", "status": 529, "retry_after": 30}]})
    else:
        sim.set_scenario({"name": "slow", "answer_chars": 5000, "tokens_per_second": 50})
    client = _client(sim.base_url)
    run = _run(client, 3)
    trigger = "backoff" if during == "backoff" else "text"
    asked = None
    async for event in run.events():
        if event.type == trigger and asked is None:
            asked = time.perf_counter()
            run.cancel()
        elif event.type == "cancelled":
            break
    took = time.perf_counter() - asked
    await client.close()
    assert event.type == "cancelled", event
    return took


async def bare_cancel(sim) -> float:
    """Cancelling a task that reads a bare SDK stream: seconds until the task is done."""
    sim.set_scenario({"name": "slow", "answer_chars": 5000, "tokens_per_second": 50})
    client = _client(sim.base_url)
    first = asyncio.Event()

    async def read() -> None:
        async with client.messages.stream(
            model=MODEL, max_tokens=1024, messages=[{"role": "user", "content": "x"}]
        ) as s:
            async for _text in s.text_stream:
                first.set()

    task = asyncio.create_task(read())
    await first.wait()
    asked = time.perf_counter()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    took = time.perf_counter() - asked
    await client.close()
    return took


async def measure(sim, waits: int, cancels: int) -> dict[str, list[float]]:
    rng = random.Random(6)
    out: dict[str, list[float]] = {k: [] for k in ("core", "bare", "cancel_wait", "cancel_stream", "cancel_bare")}
    for start in range(0, waits, WAITS_PER_RUN):  # interleaved: a run's waits, then the same bare
        delays = [rng.uniform(0.010, 0.200) for _ in range(min(WAITS_PER_RUN, waits - start))]
        out["core"] += await core_lateness(sim, delays)
        out["bare"] += await bare_lateness(delays)
    for _ in range(cancels):
        out["cancel_wait"].append(await core_cancel(sim, "backoff"))
        out["cancel_stream"].append(await core_cancel(sim, "stream"))
        out["cancel_bare"].append(await bare_cancel(sim))
    return out


def main() -> int:
    args = parse_args(__doc__)
    waits, cancels = (10, 2) if args.quick else (200, 10)
    with throwaway_home():
        from tui_app.simulator import Simulator

        with Simulator("happy") as sim:
            got = asyncio.run(measure(sim, waits, cancels))
    ms = {k: [v * 1000 for v in values] for k, values in got.items()}
    core_p99, bare_p99 = percentile(ms["core"], 99), percentile(ms["bare"], 99)
    worst = {k: max(ms[k]) for k in ("cancel_wait", "cancel_stream", "cancel_bare")}
    rows = [
        Row(
            f"backoff wait lateness p99 ({waits} waits of 10–200 ms) vs bare asyncio.sleep",
            core_p99,
            bare_p99,
            "ms",
            "< 20 ms",
            core_p99 < 20,
        ),
        Row("backoff wait lateness p50", percentile(ms["core"], 50), percentile(ms["bare"], 50), "ms", "–", True),
        Row(
            f"cancel during a backoff wait → cancelled event (worst of {cancels})",
            worst["cancel_wait"],
            None,
            "ms",
            "< 100 ms",
            worst["cancel_wait"] < 100,
        ),
        Row(
            f"cancel during a stream → cancelled event (worst of {cancels}) vs bare SDK task",
            worst["cancel_stream"],
            worst["cancel_bare"],
            "ms",
            "< 100 ms",
            worst["cancel_stream"] < 100,
        ),
    ]
    ok = print_table(f"Timing accuracy ({load_note()})", rows)
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
