"""The attempt loop with a scripted client and fake time: decisions, events, cancellation."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import httpx2
import pytest

from tests.core.fakes import FakeClient, Step, sse_error, status_error
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import CONTINUE_INSTRUCTION, Request, RetryRun

REQ = Request(prompt="hello", model="test-model-a", max_tokens=50)


async def collect(run: RetryRun):
    return [e async for e in run.events()]


def types(events):
    return [e.type for e in events if e.type != "text"]


async def test_success_first_try(fake_time):
    client = FakeClient([Step(chunks=["Hel", "lo"])])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert types(events) == ["run_start", "attempt_start", "response_start", "first_token", "success"]
    success = events[-1]
    assert success.text == "Hello" and success.stop_reason == "end_turn" and success.attempt == 1
    assert success.input_tokens == 3 and success.output_tokens == 2
    assert [e.t for e in events] == sorted(e.t for e in events)
    assert events[0].timeouts == {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}


async def test_529_then_ok_backs_off_then_succeeds(fake_time):
    client = FakeClient([Step(before=status_error(529, "overloaded_error")), Step(chunks=["ok"])])
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0, jitter="equal")
    events = await collect(RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep))
    assert types(events) == [
        "run_start",
        "attempt_start",
        "attempt_error",
        "backoff",
        "attempt_start",
        "response_start",
        "first_token",
        "success",
    ]
    err = events[2]
    assert err.failure.kind == "overloaded" and err.failure.status == 529 and err.failure.retryable
    assert err.failure.request_id == "req_529"
    backoff = events[3]
    assert backoff.reason == "backoff" and 0.25 <= backoff.delay <= 0.5
    assert fake_time.sleeps == [backoff.delay]
    assert len(client.calls) == 2 and client.calls[0] == client.calls[1]


async def test_retry_after_header_is_honoured(fake_time):
    client = FakeClient(
        [Step(before=status_error(429, "rate_limit_error", {"retry-after-ms": "1500"})), Step(chunks=["ok"])]
    )
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    backoff = next(e for e in events if e.type == "backoff")
    assert backoff.reason == "retry-after" and backoff.delay == pytest.approx(1.5)
    assert fake_time.sleeps == [pytest.approx(1.5)]


async def test_retry_after_beyond_deadline_gives_up_and_says_why(fake_time):
    client = FakeClient([Step(before=status_error(429, "rate_limit_error", {"retry-after": "30"}))])
    policy = RetryPolicy(deadline=10)
    events = await collect(RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep))
    give_up = events[-1]
    assert give_up.type == "give_up" and give_up.reason == "deadline"
    assert "30.0 s" in give_up.detail and "deadline" in give_up.detail
    assert fake_time.sleeps == [] and len(client.calls) == 1


@pytest.mark.parametrize(
    "status, error_type",
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "not_found_error"),
        (413, "request_too_large"),
    ],
)
async def test_non_retryable_statuses_give_up_at_once(fake_time, status, error_type):
    client = FakeClient([Step(before=status_error(status, error_type)), Step(chunks=["never"])])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert types(events)[-1] == "give_up" and events[-1].reason == "non_retryable"
    assert len(client.calls) == 1


async def test_x_should_retry_true_overrides_a_400(fake_time):
    client = FakeClient(
        [Step(before=status_error(400, "invalid_request_error", {"x-should-retry": "true"})), Step(chunks=["ok"])]
    )
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert events[-1].type == "success" and len(client.calls) == 2


async def test_x_should_retry_false_overrides_a_529(fake_time):
    client = FakeClient([Step(before=status_error(529, "overloaded_error", {"x-should-retry": "false"}))])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert events[-1].type == "give_up" and "x-should-retry: false" in events[-1].detail


async def test_max_attempts_exhausted(fake_time):
    client = FakeClient([Step(before=status_error(503, "api_error"))])
    policy = RetryPolicy(max_attempts=3)
    events = await collect(RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep))
    assert types(events).count("attempt_start") == 3 and events[-1].reason == "max_attempts"
    assert len(fake_time.sleeps) == 2


async def test_truncated_stream_is_a_failed_attempt_and_restart_discards_partial(fake_time):
    client = FakeClient([Step(chunks=["par", "tial"], stop=False), Step(chunks=["full ", "answer"])])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    err = next(e for e in events if e.type == "attempt_error")
    assert err.failure.kind == "truncated_stream" and err.partial_text == "partial" and err.failure.streamed_chars == 7
    assert events[-1].text == "full answer"
    assert client.calls[1]["messages"] == [{"role": "user", "content": "hello"}]


async def test_sse_error_mid_stream_classified_by_body_type(fake_time):
    client = FakeClient([Step(chunks=["a"], after=sse_error("overloaded_error")), Step(chunks=["b"])])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    err = next(e for e in events if e.type == "attempt_error")
    assert err.failure.kind == "overloaded" and err.failure.status == 200 and err.failure.mid_stream
    assert err.failure.error_type == "overloaded_error" and err.failure.retryable


async def test_transport_errors_mid_stream(fake_time):
    client = FakeClient(
        [
            Step(chunks=["a"], after=httpx2.ReadError("reset")),
            Step(chunks=["b"], after=httpx2.ReadTimeout("stall")),
            Step(chunks=["ok"]),
        ]
    )
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    kinds = [e.failure.kind for e in events if e.type == "attempt_error"]
    assert kinds == ["connection_reset", "read_timeout"] and events[-1].type == "success"


async def test_continue_policy_asks_in_a_user_turn_and_keeps_partial(fake_time):
    client = FakeClient([Step(chunks=["Once upon"], after=httpx2.ReadError("reset")), Step(chunks=[" a time"])])
    policy = RetryPolicy(mid_stream="continue")
    events = await collect(RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep))
    second = client.calls[1]["messages"]
    assert second[-1] == {"role": "user", "content": CONTINUE_INSTRUCTION}
    assert second[1] == {"role": "assistant", "content": "Once upon"}
    starts = [e for e in events if e.type == "attempt_start"]
    assert starts[1].carried_text == "Once upon"
    assert events[-1].text == "Once upon a time"


async def never_wakes(_delay: float) -> None:
    """A backoff sleep that never ends by itself: only cancel() or retry_now() get past it."""
    await asyncio.Event().wait()


async def test_cancel_during_backoff_is_immediate():
    client = FakeClient([Step(before=status_error(529, "overloaded_error", {"retry-after": "30"})), Step(chunks=["x"])])
    run = RetryRun(REQ, client=client, policy=RetryPolicy(deadline=None), sleep=never_wakes)
    seen = []
    async with asyncio.timeout(10):  # the wait never ends by itself: only the cancel can end the run
        async for event in run.events():
            seen.append(event)
            if event.type == "backoff":
                run.cancel()
    assert seen[-1].type == "cancelled" and seen[-1].during == "backoff"
    assert len(client.calls) == 1


async def test_cancel_during_request_is_immediate():
    client = FakeClient([Step(chunks=["a"], hang=True)])
    run = RetryRun(REQ, client=client)
    seen = []
    async with asyncio.timeout(10):  # the stream hangs forever: only the cancel can end the run
        async for event in run.events():
            seen.append(event)
            if event.type == "first_token":
                run.cancel()
    assert seen[-1].type == "cancelled" and seen[-1].during == "request"


async def test_retry_now_skips_the_wait():
    client = FakeClient([Step(before=status_error(529, "overloaded_error", {"retry-after": "30"})), Step(chunks=["x"])])
    run = RetryRun(REQ, client=client, policy=RetryPolicy(deadline=None), sleep=never_wakes)
    async with asyncio.timeout(10):  # the wait never ends by itself: only retry_now gets past it
        async for event in run.events():
            if event.type == "backoff":
                run.switch(request=Request(prompt="hello", model="test-model-b"))
                run.retry_now()
    assert event.type == "success"
    assert client.calls[1]["model"] == "test-model-b"


async def test_a_policy_switched_in_during_a_backoff_rules_the_next_decisions(fake_time):
    overloaded = Step(before=status_error(529, "overloaded_error"))
    client = FakeClient([overloaded, overloaded, overloaded, Step(chunks=["x"])])
    run = RetryRun(REQ, client=client, policy=RetryPolicy(max_attempts=2), clock=fake_time.clock, sleep=fake_time.sleep)
    async for event in run.events():
        if event.type == "backoff" and event.attempt == 1:
            run.switch(policy=RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.01))
    assert event.type == "success" and event.attempt == 4, "the old policy would give up after attempt 2"

    run = RetryRun(
        REQ,
        client=FakeClient([overloaded] * 3),
        policy=RetryPolicy(max_attempts=5),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    async for event in run.events():
        if event.type == "backoff" and event.attempt == 1:
            run.switch(policy=RetryPolicy(max_attempts=2))
    assert (event.type, event.reason, event.attempt) == ("give_up", "max_attempts", 2)
    with pytest.raises(ValueError):
        run.switch(policy=RetryPolicy(max_attempts=0))


async def test_deadline_bounds_a_hanging_attempt():
    client = FakeClient([Step(hang=True)])
    run = RetryRun(REQ, client=client, policy=RetryPolicy(deadline=0.05))
    async with asyncio.timeout(10):  # the attempt hangs forever: only the deadline can end it
        events = await collect(run)
    assert events[-1].type == "give_up" and events[-1].reason == "deadline"
    assert events[-2].failure.kind == "deadline_exceeded"
    assert events[-1].elapsed >= 0.05  # not before the deadline


async def test_consumer_leaving_early_stops_the_run():
    client = FakeClient([Step(chunks=["a"], hang=True)])
    run = RetryRun(REQ, client=client)
    async with aclosing(run.events()) as events:
        async for event in events:
            if event.type == "first_token":
                break
    assert run._task.done()


async def test_cancel_before_iteration_yields_cancelled_and_sends_nothing():
    client = FakeClient([Step(chunks=["x"])])
    run = RetryRun(REQ, client=client)
    run.cancel()
    events = await collect(run)
    assert [e.type for e in events] == ["cancelled"] and client.calls == []


async def test_give_up_details_say_why(fake_time):
    client = FakeClient([Step(before=status_error(401, "authentication_error"))])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert events[-1].detail == "HTTP 401 (authentication_error) is not retried"
    client = FakeClient([Step(chunks=["a"], after=sse_error("invalid_request_error"))])
    events = await collect(RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep))
    assert events[-1].detail == "invalid_request_error is not retried"


async def test_a_failing_sleep_ends_the_run_instead_of_hanging():
    async def broken_sleep(delay):
        raise RuntimeError("clock broke")

    client = FakeClient([Step(before=status_error(529, "overloaded_error")), Step(chunks=["x"])])
    events = await asyncio.wait_for(collect(RetryRun(REQ, client=client, sleep=broken_sleep)), 5)
    assert events[-1].type == "give_up" and "clock broke" in events[-1].detail


async def test_a_run_counts_in_its_budget_and_stops_when_it_is_spent(fake_time):
    from tui_app.retry.budget import RetryBudget

    budget = RetryBudget(0.5, 0, clock=fake_time.clock)
    budget.note_request()  # another request of the same client: 2 requests earn 1 retry
    client = FakeClient([Step(before=status_error(529, "overloaded_error"))] * 3)
    policy = RetryPolicy(max_attempts=3, jitter="none", deadline=None)
    run = RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep, budget=budget)
    events = await collect(run)
    assert [e.type for e in events if e.type in ("backoff", "give_up")] == ["backoff", "give_up"]
    assert events[-1].reason == "retry_budget" and len(client.calls) == 2 and fake_time.sleeps == [0.5]


async def test_the_process_budget_is_shared_by_the_runs_of_one_policy():
    from tui_app.retry import budget

    policy = RetryPolicy(retry_budget=0.25, retry_budget_min=7)
    assert budget.shared(policy) is budget.shared(policy.with_(max_attempts=2))
    assert budget.shared(policy.with_(retry_budget=None)) is None


async def test_an_open_circuit_refuses_the_next_runs_attempt_without_a_call(fake_time):
    from tui_app.retry.gate import ClientGate

    gate = ClientGate(after=2, cooldown=30.0, k=None, clock=fake_time.clock)
    client = FakeClient([Step(before=status_error(529, "overloaded_error"))] * 3)
    policy = RetryPolicy(max_attempts=5, jitter="none", deadline=None)

    def run() -> RetryRun:
        return RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep, gate=gate)

    first = await collect(run())  # two overloads in a row open it: the third attempt is refused
    assert len(client.calls) == 2 and first[-1].reason == "circuit_open" and first[-1].attempt == 2
    assert first[-1].failure.kind == "refused_locally"
    second = await collect(run())
    assert types(second) == ["run_start", "give_up"] and len(client.calls) == 2


async def test_a_follow_up_sends_its_history_on_every_attempt_and_continue_still_works(fake_time):
    history = (("Q1", "A1"), ("Q2", "A2"))
    request = Request(prompt="Q3", model="test-model-a", max_tokens=50, history=history)
    client = FakeClient([Step(chunks=["Par"], after=httpx2.ReadError("reset")), Step(chunks=["tial"])])
    policy = RetryPolicy(mid_stream="continue")
    events = await collect(
        RetryRun(request, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep)
    )
    turns = [
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "A1"},
        {"role": "user", "content": "Q2"},
        {"role": "assistant", "content": "A2"},
        {"role": "user", "content": "Q3"},
    ]
    first, second = client.calls[0]["messages"], client.calls[1]["messages"]
    assert first == turns
    assert second == [
        *turns,
        {"role": "assistant", "content": "Par"},
        {"role": "user", "content": CONTINUE_INSTRUCTION},
    ]
    assert events[-1].text == "Partial"
