"""The retry decision on its own (no client, clock or loop): each rule against a hand
computation, as the live loop, a lab or generated code must all follow it."""

from __future__ import annotations

import random

import pytest

from tests.samples import overloaded
from tui_app.retry.decide import next_step
from tui_app.retry.failures import Failure
from tui_app.retry.policy import RetryPolicy

POLICY = RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=8.0, jitter="full", deadline=30.0)
BAD_REQUEST = Failure(
    kind="client_error", retryable=False, message="bad", status=400, error_type="invalid_request_error"
)


def _step(failure: Failure, *, attempt: int = 1, now: float = 1.0, policy: RetryPolicy = POLICY, **kwargs):
    return next_step(policy, failure, attempt=attempt, now=now, previous_delay=None, rng=random.Random(0), **kwargs)


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0)])
def test_full_jitter_draws_below_a_ceiling_doubling_from_the_base(attempt, ceiling):
    step = _step(overloaded("r"), attempt=attempt)
    assert (step.type, step.reason) == ("backoff", "backoff")
    assert step.delay == random.Random(0).uniform(0, ceiling)  # the same draw from the same seed
    assert step.detail == "full-jitter backoff, base 0.5 s, cap 8 s"


def test_the_ceiling_stops_at_the_cap():
    policy = POLICY.with_(max_attempts=10, deadline=None)
    step = _step(overloaded("r"), attempt=8, policy=policy)  # 0.5 * 2**7 = 64 > cap 8
    assert step.delay == random.Random(0).uniform(0, 8.0)


def test_retry_after_is_obeyed_over_the_backoff():
    step = _step(overloaded("r", retry_after=3.0))
    assert (step.type, step.delay, step.reason) == ("backoff", 3.0, "retry-after")


def test_a_wait_past_the_deadline_gives_up_at_once():
    step = _step(overloaded("r", retry_after=29.5), now=1.0)  # 29.0 s left
    assert (step.type, step.reason) == ("give_up", "deadline")
    assert step.detail.endswith("but only 29.0 s left before the 30.0 s deadline")


def test_the_last_attempt_gives_up():
    step = _step(overloaded("r"), attempt=4)
    assert (step.type, step.reason, step.detail) == ("give_up", "max_attempts", "no attempts left (all 4 used)")


def test_a_non_retryable_failure_gives_up_and_says_why():
    step = _step(BAD_REQUEST)
    assert (step.type, step.reason, step.detail) == (
        "give_up",
        "non_retryable",
        "HTTP 400 (invalid_request_error) is not retried",
    )


def test_a_fallback_switch_starts_the_next_model_at_once_even_after_a_404():
    not_found = Failure(kind="client_error", retryable=False, message="no", status=404, error_type="not_found_error")
    step = _step(not_found, switch="model not found: attempt 2 uses m2")
    assert (step.type, step.delay, step.detail) == ("backoff", 0.0, "model not found: attempt 2 uses m2")


def test_no_jitter_waits_the_capped_exponential_exactly():
    policy = POLICY.with_(jitter="none", max_attempts=10, deadline=None)
    delays = [_step(overloaded("r"), attempt=n, policy=policy).delay for n in (1, 2, 3, 4, 5, 6)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert _step(overloaded("r"), policy=policy).detail == "no-jitter backoff, base 0.5 s, cap 8 s"


def test_the_sdk_formula_takes_up_to_a_quarter_off():
    policy = POLICY.with_(jitter="sdk")
    step = _step(overloaded("r"), attempt=2, policy=policy)  # 0.5 * 2**1 = 1.0
    assert step.delay == 1.0 * (1 - 0.25 * random.Random(0).random())


def test_a_status_left_out_of_retry_statuses_is_not_retried():
    policy = POLICY.with_(retry_statuses=(429, 529))
    bad_gateway = Failure(
        kind="server_error", retryable=True, message="bad gateway", status=502, error_type="api_error"
    )
    assert (_step(bad_gateway, policy=policy).type, _step(bad_gateway).type) == ("give_up", "backoff")
    assert _step(bad_gateway, policy=policy).detail == "HTTP 502 (api_error) is not retried"


def test_ignored_server_hints_neither_wait_nor_stop():
    policy = POLICY.with_(server_hints="ignore")
    step = _step(overloaded("r", retry_after=3.0), policy=policy)
    assert (step.reason, step.delay) == ("backoff", random.Random(0).uniform(0, 0.5))
    told_not_to = Failure(
        kind="overloaded", retryable=False, message="no", status=529, error_type="overloaded_error", should_retry=False
    )
    assert (_step(told_not_to).type, _step(told_not_to, policy=policy).type) == ("give_up", "backoff")


def test_give_up_mid_stream_stops_after_the_response_started_only():
    policy = POLICY.with_(mid_stream="give-up")
    reset = Failure(kind="connection_reset", retryable=True, message="reset", streamed_chars=40, mid_stream=True)
    step = _step(reset, policy=policy)
    assert (step.type, step.reason) == ("give_up", "non_retryable")
    assert step.detail == "connection_reset after the response started is not retried (mid_stream = give-up)"
    assert _step(overloaded("r"), policy=policy).type == "backoff"  # before the response: retried


def test_a_spent_budget_gives_up_and_only_granted_retries_count():
    from tui_app.retry.budget import RetryBudget

    now = [0.0]
    budget = RetryBudget(0.2, 0, clock=lambda: now[0])
    for _ in range(10):
        budget.note_request()
    steps = [_step(overloaded("r"), budget=budget) for _ in range(3)]
    assert [s.type for s in steps] == ["backoff", "backoff", "give_up"]  # 20 % of 10 = 2 retries
    assert steps[2].reason == "retry_budget"
    assert steps[2].detail == (
        "the retry budget is spent: 2 retries for 10 requests in the last 10 s (allowed: 20% of them + 0)"
    )
    assert _step(BAD_REQUEST, budget=budget).reason == "non_retryable"  # refused before the budget is asked
    now[0] = 10.0  # the window slid past all of them: nothing earned, nothing spent
    assert _step(overloaded("r"), budget=budget).reason == "retry_budget"
    budget.note_request()
    assert RetryBudget(0.2, 1, clock=lambda: now[0]).try_retry()  # the minimum: a quiet client still retries


def test_additive_jitter_adds_up_to_a_second_before_the_cap():
    policy = POLICY.with_(jitter="additive", base_delay=1.0, max_delay=60.0, max_attempts=10, deadline=None)
    assert _step(overloaded("r"), policy=policy).delay == 1.0 + random.Random(0).uniform(0, 1)
    assert _step(overloaded("r"), attempt=7, policy=policy).delay == 60.0  # 64 + u, capped
