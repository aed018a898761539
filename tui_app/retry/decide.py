"""After a failed attempt: another attempt (after which wait, and why) or give up (why).

One pure function, so that every place that needs the rule uses this one: the live retry
loop (:mod:`.runner`) calls it after each failure, and whatever else must say what the
policy does (a lab replaying many requests in virtual time, the tests of generated code)
can call it without a client, a clock or an event loop. Its inputs are the policy, the
classified failure, the attempt number, the run's clock and the previous backoff delay
(decorrelated jitter grows from it); randomness comes from the ``rng`` passed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import Backoff, GiveUp
from .policy import backoff_delay

if TYPE_CHECKING:
    import random

    from .events import GiveUpReason
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
) -> Backoff | GiveUp:
    """Decide between another attempt (after which wait) and giving up, and say why.

    ``now`` is the run's clock (seconds since it started, as the deadline counts).
    ``switch`` says that the next attempt uses the next model of the fallback chain, and
    why: a model not found (404) is then no reason to stop, and its successor starts at once.
    """
    n = attempt

    def give_up(reason: GiveUpReason, detail: str) -> GiveUp:
        return GiveUp(t=now, attempt=n, reason=reason, failure=failure, detail=detail, elapsed=now)

    if failure.kind == "deadline_exceeded":
        return give_up("deadline", failure.message)
    if switch and not failure.retryable and n < policy.max_attempts:
        return Backoff(t=now, attempt=n, delay=0.0, reason="backoff", detail=switch)
    if not failure.retryable:
        return give_up("non_retryable", _not_retried(failure))
    if n >= policy.max_attempts:
        return give_up("max_attempts", f"no attempts left (all {policy.max_attempts} used)")
    if failure.retry_after is not None and failure.retry_after > 0:
        delay, reason = failure.retry_after, "retry-after"
        detail = f"server asked for {delay:.1f} s via retry-after"
    else:
        delay = backoff_delay(policy, n, previous_delay, rng)
        reason = "backoff"
        detail = f"{policy.jitter}-jitter backoff, base {policy.base_delay:g} s, cap {policy.max_delay:g} s"
    if switch:
        detail = f"{detail}; {switch}"
    if policy.deadline is not None:
        remaining = max(0.0, policy.deadline - now)
        if delay >= remaining:
            return give_up(
                "deadline", f"{detail}, but only {remaining:.1f} s left before the {policy.deadline:.1f} s deadline"
            )
    return Backoff(t=now, attempt=n, delay=delay, reason=reason, detail=detail)  # type: ignore[arg-type]


def _not_retried(failure: Failure) -> str:
    if failure.should_retry is False:
        return "the server said x-should-retry: false"
    if failure.status not in (None, 200):
        return f"HTTP {failure.status} ({failure.label}) is not retried"
    if failure.kind == "unexpected":
        return "a bug in claude-tui is not retried"
    return f"{failure.label} is not retried"
