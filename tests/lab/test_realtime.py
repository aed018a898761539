"""``--real-time`` agrees with virtual time: the same requests through real sockets, the live
core and the official SDK give the same outcomes, attempts, waits and tokens, and latencies
within a stated tolerance (the real run adds what the wire and the loop take).

Each case waits for real (retry-after 0.5 s, backoffs of a second or two), so the cases are
few and short: a handful of requests of the scripted scenarios whose faults the engine
models one to one.
"""

from __future__ import annotations

import pytest

from tui_app.lab import load_faults, load_policies, run_lab
from tui_app.lab.realtime import MAX_REAL_TIME_REQUESTS

pytestmark = pytest.mark.slow

EXACT = ("name", "succeeded", "failed", "attempts", "give_ups")
TOKENS = ("output_tokens", "wasted_output_tokens")
TOKEN_SHARE = 0.1
"""Output tokens agree within 10 %, and a couple of tokens an attempt: the engine streams an
answer of exactly ``answer_chars`` and stops a mid-stream fault at its ``after_chars``th
character, while the simulator's answer ends at the last sentence or block boundary within
``answer_chars`` and its fault fires at the first delta boundary at or after ``after_chars``
(the API streams whole tokens)."""
LATENCIES = ("latency_p50", "latency_p95", "latency_p99", "latency_max")
TOLERANCE = 0.25
"""Seconds a real latency may exceed the virtual one (connections, the SDK, the loop, a
busy CI machine); it is never shorter than the waits it contains, so never much below."""


def both(scenario: str, policies: list[str], requests: int, arrival: str | float = "burst") -> tuple[list, list]:
    kwargs = {"requests": requests, "arrival": arrival, "seed": 3}
    virtual = run_lab(load_faults(scenario), load_policies(policies), **kwargs)
    real = run_lab(load_faults(scenario), load_policies(policies), real_time=True, **kwargs)
    return virtual.policies, real.policies


@pytest.mark.parametrize(
    ("scenario", "policies"),
    [
        ("529-then-ok", ["none", "sdk-default", "seed-article", "claude-tui"]),
        ("mid-stream-error", ["none", "claude-tui"]),
        ("flaky-network", ["sdk-default", "claude-tui"]),
    ],
)
def test_real_time_gives_the_virtual_outcomes_attempts_waits_and_tokens(scenario, policies):
    virtual, real = both(scenario, policies, requests=3)
    for v, r in zip(virtual, real, strict=True):
        assert {k: r[k] for k in EXACT} == {k: v[k] for k in EXACT}
        for key in TOKENS:
            assert abs(r[key] - v[key]) <= TOKEN_SHARE * v[key] + 2 * v["attempts"], (v["name"], key, v[key], r[key])
        assert r["cost_usd"] == pytest.approx(v["cost_usd"], rel=TOKEN_SHARE)
        # The waits are the same draws from the same rule (retry-after, jitter).
        assert r["waiting_seconds"] == pytest.approx(v["waiting_seconds"], abs=1e-6)
        for key in LATENCIES:
            if v[key] is None:
                assert r[key] is None
            else:
                assert v[key] - 0.02 <= r[key] <= v[key] + TOLERANCE, (v["name"], key, v[key], r[key])


def test_a_retry_budget_is_shared_by_the_requests_of_one_policy_in_real_time_too(tmp_path):
    policy = tmp_path / "budget.toml"
    policy.write_text("[retry]\nmax_attempts = 4\nretry_budget = 0.2\nretry_budget_min = 0\nbase_delay = 0.05\n")
    virtual, real = both("529-then-ok", [str(policy)], requests=5)
    assert real[0]["give_ups"] == virtual[0]["give_ups"] == {"retry_budget": 4}
    assert real[0]["attempts"] == virtual[0]["attempts"] == 6


def test_real_time_refuses_a_server_model_and_too_many_requests():
    with pytest.raises(ValueError, match="--real-time: crowded is a server model"):
        run_lab(load_faults("crowded"), load_policies(["none"]), requests=2, real_time=True)
    with pytest.raises(ValueError, match=f"at most {MAX_REAL_TIME_REQUESTS} requests"):
        run_lab(load_faults("happy"), load_policies(["none"]), requests=MAX_REAL_TIME_REQUESTS + 1, real_time=True)
