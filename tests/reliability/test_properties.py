"""Properties (Hypothesis) of the backoff math, of the attempt loop's waits against its
deadline, and of the simulator's SSE writer against both its own parser and the SDK's.

tests/core/test_policy.py already checks ``0 <= delay <= max_delay`` for any input; here:
each jitter's own bounds, the exponential ceiling growing monotonically to the cap, and
the runner (fake clock and sleep: no real waiting) never planning a wait past its deadline.
"""

from __future__ import annotations

import asyncio
import json
import math
import random

from anthropic._streaming import SSEDecoder
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tests.conftest import FakeTime
from tests.core.fakes import FakeClient, Step, status_error
from tui_app.retry.policy import RetryPolicy, backoff_delay
from tui_app.retry.runner import Request, RetryRun
from tui_app.simulator.sse import frame, parse_sse, raw_frame, text_delta_frame

JITTERS = st.sampled_from(["full", "equal", "decorrelated"])
SECONDS = st.floats(0, 100, allow_nan=False, allow_infinity=False)


class CeilingRandom(random.Random):
    """Always draws the top of the range: the delay is then the ceiling itself."""

    def uniform(self, a: float, b: float) -> float:
        return b


def _ceiling(policy: RetryPolicy, n: int) -> float:
    return min(policy.max_delay, policy.base_delay * 2.0 ** min(n - 1, 64))


@given(
    base=SECONDS,
    extra=SECONDS,
    n=st.integers(1, 10**9),
    prev=st.none() | SECONDS,
    jitter=JITTERS,
    seed=st.integers(0, 2**32),
)
def test_each_jitter_stays_within_its_own_bounds(base, extra, n, prev, jitter, seed):
    policy = RetryPolicy(base_delay=base, max_delay=base + extra, jitter=jitter)
    delay = backoff_delay(policy, n, prev, random.Random(seed))
    ceiling = _ceiling(policy, n)
    low = {"full": 0.0, "equal": ceiling / 2, "decorrelated": base}[jitter]
    high = ceiling if jitter != "decorrelated" else policy.max_delay
    assert low - 1e-9 <= delay <= high + 1e-9


@given(base=st.floats(0.001, 10), extra=SECONDS, jitter=st.sampled_from(["full", "equal"]))
def test_the_exponential_ceiling_grows_monotonically_up_to_the_cap(base, extra, jitter):
    policy = RetryPolicy(base_delay=base, max_delay=base + extra, jitter=jitter)
    ceilings = [backoff_delay(policy, n, None, CeilingRandom()) for n in range(1, 80)]
    assert ceilings == sorted(ceilings)
    assert ceilings[0] == base and ceilings[-1] == policy.max_delay


# Built once: each costs an SDK client. Retry hints from none to far past any deadline.
FAILURES = [
    status_error(529, "overloaded_error"),
    status_error(500, "api_error"),
    status_error(400, "invalid_request_error"),
    *(status_error(429, "rate_limit_error", {"retry-after-ms": str(ms)}) for ms in (0, 1, 250, 3000, 90_000)),
    status_error(503, "api_error", {"retry-after": "2"}),
]


@settings(deadline=None, max_examples=150)
@given(
    script=st.lists(st.sampled_from(range(len(FAILURES))), min_size=1, max_size=12),
    succeed_at=st.none() | st.integers(1, 12),
    max_attempts=st.integers(1, 40),
    base=st.floats(0, 5),
    extra=st.floats(0, 30),
    jitter=JITTERS,
    deadline=st.floats(0.01, 120),
    seed=st.integers(0, 2**32),
)
# Ten 1 ms retry-after waits inside a 10 ms deadline: summed left to right in floats they
# make 0.010000000000000002 (found by Hypothesis), hence the exactly rounded sum below.
@example(script=[4], succeed_at=None, max_attempts=11, base=0.0, extra=0.0, jitter="full", deadline=0.01, seed=0)
def test_the_runner_never_plans_a_wait_past_its_deadline(
    script, succeed_at, max_attempts, base, extra, jitter, deadline, seed
):
    steps = [Step(before=FAILURES[i]) for i in script]
    if succeed_at is not None:
        steps.insert(min(succeed_at, len(steps)) - 1, Step(chunks=["ok"]))
    policy = RetryPolicy(
        max_attempts=max_attempts, base_delay=base, max_delay=base + extra, jitter=jitter, deadline=deadline
    )
    time = FakeTime()
    run = RetryRun(
        Request(prompt="p", model="m"),
        client=FakeClient(steps),
        policy=policy,
        clock=time.clock,
        sleep=time.sleep,
        rng=random.Random(seed),
    )
    events = asyncio.run(_collect(run))

    assert [e.type for e in events].count("attempt_start") <= max_attempts
    assert events[-1].type in ("success", "give_up") and sum(e.type in ("success", "give_up") for e in events) == 1
    assert math.fsum(time.sleeps) <= deadline, (
        "fake time only moves by planned waits: their sum stays inside the deadline"
    )
    for backoff in (e for e in events if e.type == "backoff"):
        assert backoff.t + backoff.delay < deadline
        if backoff.reason == "backoff":
            assert 0 <= backoff.delay <= policy.max_delay
    assert time.sleeps == [e.delay for e in events if e.type == "backoff" and e.delay > 0]
    if events[-1].type == "give_up" and events[-1].reason == "deadline":
        assert "deadline" in events[-1].detail


async def _collect(run: RetryRun) -> list:
    return [event async for event in run.events()]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
EVENT_NAME = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20)
LINE_ENDS = st.sampled_from([b"\n", b"\r\n", b"\r"])


@given(events=st.lists(st.tuples(EVENT_NAME, JSON), min_size=1, max_size=6), line_end=LINE_ENDS, comment=st.booleans())
def test_sse_frames_round_trip_through_our_parser_and_the_sdks(events, line_end, comment):
    body = b"".join((b": keep-alive\n\n" if comment else b"") + frame(name, data) for name, data in events)
    body = body.replace(b"\n", line_end)
    assert [(e.event, e.data) for e in parse_sse(body)] == events
    decoded = list(SSEDecoder().iter_bytes(iter([body])))
    assert [(e.event, e.json()) for e in decoded] == [(name or None, data) for name, data in events]


@given(text=st.text())
def test_the_fast_text_delta_frame_is_the_same_bytes_as_a_generic_frame(text):
    generic = frame(
        "content_block_delta",
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}},
    )
    assert text_delta_frame(text) == generic
    [event] = parse_sse(generic)
    assert event.data["delta"]["text"] == text


@given(name=EVENT_NAME, data=st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",))))
def test_a_raw_frame_carries_its_data_verbatim(name, data):
    try:
        expected = json.loads(data)
    except ValueError:
        expected = data
    assume(expected == expected)  # NaN is valid data, but never equal to itself
    [event] = parse_sse(raw_frame(name, data))
    assert (event.event, event.data) == (name, expected)
