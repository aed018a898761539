"""One request on each scripted scenario under each built-in policy: attempts, outcome,
waits and latency exactly as the policy's rules give them, computed here by hand.

The backoff draws are the request's own (``backoff_rng(seed, 0)``); each case takes them in
order with the formula its jitter documents (a retry-after wait draws nothing).
"""

from __future__ import annotations

import pytest

from tui_app.lab.engine import backoff_rng
from tui_app.lab.policies import BUILTIN_POLICIES


class Draws:
    """The hand formulas of each jitter, on the request's draws."""

    def __init__(self) -> None:
        self.rng = backoff_rng(0, 0)
        self.previous = 0.5

    def full(self, exp: float) -> float:
        return self.rng.uniform(0, exp)

    def equal(self, exp: float) -> float:
        return exp / 2 + self.rng.uniform(0, exp / 2)

    def sdk(self, exp: float) -> float:  # min(0.5 * 2**n, 8) * (1 - 0.25 * random())
        return exp * (1 - 0.25 * self.rng.random())

    def article(self, exp: float) -> float:  # 2**n from 1 s, plus uniform(0, 1)
        return min(60.0, exp + self.rng.uniform(0, 1))

    def decorrelated(self, _exp: float) -> float:  # uniform(base, 3 * previous), cap 30
        self.previous = min(30.0, self.rng.uniform(0.5, max(0.5, self.previous * 3)))
        return self.previous


# The exponential step of retry n for the 0.5 s bases; the article starts at 1 s.
STEPS = (0.5, 1.0, 2.0)
ARTICLE = (1.0, 2.0, 4.0)
JITTER = {
    "full-jitter": Draws.full,
    "claude-tui": Draws.full,
    "equal-jitter": Draws.equal,
    "decorrelated-jitter": Draws.decorrelated,
    "no-jitter": lambda _d, exp: exp,
    "sdk-default": Draws.sdk,
    "seed-article": Draws.article,
}
OBEYS_HINTS = ("sdk-default", "no-jitter", "full-jitter", "equal-jitter", "decorrelated-jitter", "claude-tui")
RETRIES_MID_STREAM = ("no-jitter", "full-jitter", "equal-jitter", "decorrelated-jitter", "claude-tui")


def backoffs(policy: str, waits: list[float | None]) -> list[float]:
    """``waits``: a server hint in seconds, or None for a backoff of the policy's jitter."""
    d, out, n = Draws(), [], 0
    steps = ARTICLE if policy == "seed-article" else STEPS
    for hint in waits:
        out.append(hint if hint is not None else JITTER[policy](d, steps[n]))
        n += 1
    return out


def expected(scenario: str, policy: str) -> tuple[int, str | None, list[float], float]:
    """(attempts, give-up reason or None for an answer, waits, seconds spent in attempts)."""
    if policy == "none":
        return {"happy": (1, None, [], 0.0)}.get(scenario, (1, "max_attempts", [], 3.0 if scenario == "stalls" else 0))
    if scenario == "happy":
        return 1, None, [], 0.0
    if scenario == "529-then-ok":  # 529 with retry-after 0.5, then an answer
        return 2, None, backoffs(policy, [0.5] if policy in OBEYS_HINTS else [None]), 0.0
    if scenario == "overload-storm":  # 529; 529 x-should-retry: true; 529 retry-after-ms 800; answer
        if policy == "sdk-default":
            return 3, "max_attempts", backoffs(policy, [None, None]), 0.0
        return 4, None, backoffs(policy, [None, None, 0.8 if policy in OBEYS_HINTS else None]), 0.0
    if scenario == "rate-limited":  # 429 retry-after 1; 429 retry-after-ms 500; 429 at a date 2 s on; answer
        # The date has whole seconds: sent at 1.5 s of a clock at a whole second, it is 1.5 s away.
        if policy == "sdk-default":
            return 3, "max_attempts", [1.0, 0.5], 0.0
        return 4, None, backoffs(policy, [1.0, 0.5, 1.5] if policy in OBEYS_HINTS else [None, None, None]), 0.0
    if scenario == "flaky-network":  # reset mid-stream; closed before a response; truncated; answer
        if policy not in RETRIES_MID_STREAM:
            return 1, "non_retryable", [], 0.0
        return 4, None, backoffs(policy, [None, None, None]), 0.0
    if scenario == "stalls":  # 3 s of silence then a close (the read timeouts are longer); 3 s mid-stream
        return 2, None, backoffs(policy, [None]), 6.0
    assert scenario == "mid-stream-error"  # overloaded_error event after 150 characters, then an answer
    if policy not in RETRIES_MID_STREAM:
        return 1, "non_retryable", [], 0.0
    return 2, None, backoffs(policy, [None]), 0.0


SCRIPTED = ("happy", "529-then-ok", "overload-storm", "rate-limited", "flaky-network", "stalls", "mid-stream-error")


@pytest.mark.parametrize("policy", list(BUILTIN_POLICIES))
@pytest.mark.parametrize("scenario", SCRIPTED)
def test_one_request_follows_the_policy_exactly(one_request, scenario, policy):
    attempts, reason, waits, busy = expected(scenario, policy)
    got = one_request(scenario, policy)
    assert got["attempts"] == attempts
    assert got["give_ups"] == ({reason: 1} if reason else {})
    assert got["waiting_seconds"] == pytest.approx(sum(waits), abs=1e-6)
    if reason is None:
        assert got["succeeded"] == 1 and got["latency_max"] == pytest.approx(sum(waits) + busy, abs=1e-6)
    else:
        assert got["succeeded"] == 0 and got["latency_max"] is None


def test_the_acceptance_examples_on_529_then_ok(one_request):
    assert (one_request("529-then-ok", "none")["attempts"], one_request("529-then-ok", "none")["failed"]) == (1, 1)
    sdk = one_request("529-then-ok", "sdk-default")
    assert (sdk["attempts"], sdk["waiting_seconds"], sdk["latency_max"]) == (2, 0.5, 0.5)  # obeys retry-after
    article = one_request("529-then-ok", "seed-article")
    assert article["attempts"] == 2 and 1 <= article["waiting_seconds"] < 2  # ignores it


def test_tokens_streamed_then_thrown_away_are_counted(one_request):
    # flaky-network streams 120 then 200 characters that a restart drops: 30 + 50 tokens.
    got = one_request("flaky-network", "claude-tui")
    assert got["wasted_output_tokens"] == 80 and got["output_tokens"] == 80 + 150
    assert one_request("mid-stream-error", "sdk-default")["wasted_output_tokens"] == 38  # 150 chars, given up
