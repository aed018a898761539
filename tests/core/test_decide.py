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
