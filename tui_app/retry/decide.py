"""After a failed attempt: another attempt (after which wait, and why) or give up (why).

One pure function, so that every place that needs the rule uses this one: the live retry
loop (:mod:`.runner`) calls it after each failure, and whatever else must say what the
policy does (the policy lab replaying many requests in virtual time, the tests of
generated code) can call it without a client, a clock or an event loop. Its inputs are
the policy, the classified failure, the attempt number, the run's clock and the previous
backoff delay (decorrelated jitter grows from it); randomness comes from the ``rng``
passed in; the retry budget, when the policy has one, is the client's (:mod:`.budget`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import Backoff, GiveUp
from .policy import backoff_delay
from .statuses import status_retryable

if TYPE_CHECKING:
    import random

    from .budget import RetryBudget
    from .events import BackoffReason, GiveUpReason
    from .failures import Failure
    from .policy import RetryPolicy


def next_step(
    policy: RetryPolicy,
    failure: Failure,
    *,
    attempt: int,
    now: float,
    previous_delay: float | None,
    rng: random.Random,
    switch: str = "",
    budget: RetryBudget | None = None,
) -> Backoff | GiveUp:
    """Decide between another attempt (after which wait) and giving up, and say why.

    ``now`` is the run's clock (seconds since it started, as the deadline counts).
    ``switch`` says that the next attempt uses the next model of the fallback chain, and
    why: a model not found (404) is then no reason to stop, and its successor starts at once.
    ``budget`` is asked last, so that it counts only retries that happen.
    """
    n = attempt

    def give_up(reason: GiveUpReason, detail: str) -> GiveUp:
        return GiveUp(t=now, attempt=n, reason=reason, failure=failure, detail=detail, elapsed=now)

    if failure.kind == "deadline_exceeded":
        return give_up("deadline", failure.message)
    worth_it = retried(policy, failure)
    if switch and not worth_it and n < policy.max_attempts and not _stops_mid_stream(policy, failure):
        return Backoff(t=now, attempt=n, delay=0.0, reason="backoff", detail=switch)
    if not worth_it:
        return give_up("non_retryable", _not_retried(policy, failure))
    if n >= policy.max_attempts:
        return give_up("max_attempts", f"no attempts left (all {policy.max_attempts} used)")
    delay, reason, detail = _wait(policy, failure, n, previous_delay, rng)
    if switch:
        detail = f"{detail}; {switch}"
    if policy.deadline is not None:
        remaining = max(0.0, policy.deadline - now)
        if delay >= remaining:
            return give_up(
                "deadline", f"{detail}, but only {remaining:.1f} s left before the {policy.deadline:.1f} s deadline"
            )
    if budget is not None and not budget.try_retry():
        return give_up("retry_budget", budget.spent())
    return Backoff(t=now, attempt=n, delay=delay, reason=reason, detail=detail)


def retried(policy: RetryPolicy, failure: Failure) -> bool:
    """Whether ``policy`` retries ``failure`` at all (attempts and time aside).

    The classifier's verdict, re-judged only where the policy says otherwise: its retried
    statuses, server hints ignored, or no retry once the response has started.
    """
    if _stops_mid_stream(policy, failure):
        return False
    if failure.status is None:  # the connection, or the data on it: the classifier's verdict
        return failure.retryable
    return status_retryable(
        failure.status,
        failure.error_type,
        mid_stream=failure.mid_stream,
        should_retry=failure.should_retry if policy.server_hints == "obey" else None,
        retry_statuses=policy.retry_statuses,
    )


def _stops_mid_stream(policy: RetryPolicy, failure: Failure) -> bool:
    return policy.mid_stream == "give-up" and failure.mid_stream


def _wait(
    policy: RetryPolicy, failure: Failure, n: int, previous_delay: float | None, rng: random.Random
) -> tuple[float, BackoffReason, str]:
    """The wait before attempt ``n + 1``: the server's hint if obeyed, else the backoff."""
    hint = failure.retry_after if policy.server_hints == "obey" else None
    if hint is not None and hint > 0:
        return hint, "retry-after", f"server asked for {hint:.1f} s via retry-after"
    delay = backoff_delay(policy, n, previous_delay, rng)
    how = {"none": "no-jitter", "sdk": "SDK-formula", "additive": "1 s additive-jitter"}.get(
        policy.jitter, f"{policy.jitter}-jitter"
    )
    return delay, "backoff", f"{how} backoff, base {policy.base_delay:g} s, cap {policy.max_delay:g} s"


def _not_retried(policy: RetryPolicy, failure: Failure) -> str:
    if _stops_mid_stream(policy, failure):
        return f"{failure.label} after the response started is not retried (mid_stream = give-up)"
    if failure.should_retry is False and policy.server_hints == "obey":
        return "the server said x-should-retry: false"
    if failure.status not in (None, 200):
        return f"HTTP {failure.status} ({failure.label}) is not retried"
    if failure.kind == "unexpected":
        return "a bug in claude-tui is not retried"
    return f"{failure.label} is not retried"
