"""The AWS study on Claude's terms: 200 clients arriving together at a server of 20 slots."""

from __future__ import annotations

import pytest

JITTERS = ("no-jitter", "full-jitter", "equal-jitter", "decorrelated-jitter")
BUDGET = """\
[retry]
max_attempts = 10
base_delay = 0.5
max_delay = 30
deadline = "none"
retry_budget = 0.2
"""


def test_jitter_spreads_the_retries_and_no_retry_fails_most(compare):
    got = compare("crowded", "none", *JITTERS, requests=200)
    assert got["no-jitter"]["calls_per_success"] > 1.2 * got["full-jitter"]["calls_per_success"]
    assert all(got["none"]["attempts"] < got[name]["attempts"] for name in JITTERS)
    assert got["none"]["attempts"] == 200 and got["none"]["succeeded"] == 20  # the first 20 only
    assert all(got["none"]["success_rate"] < got[name]["success_rate"] for name in JITTERS)
    assert all(p["peak_server_load"] == 20 for p in got.values())  # the server never holds more


def test_no_jitter_retries_in_lock_step(compare):
    """Every refused client waits exactly 0.5, 1, 2 ... s: they come back together, and the
    slowest of them waits the whole ladder (0.5 + 1 + ... + 16 + 3 * 30 = 121.5 s) plus an answer."""
    got = compare("crowded", "no-jitter", requests=200)["no-jitter"]
    assert got["latency_max"] == 121.5 + 3.5  # 1 s to the first token, 150 tokens at 60/s


def test_a_budget_of_20_percent_keeps_retries_to_about_a_fifth(compare, policy_file):
    path = policy_file("budget20", BUDGET)
    got = compare("crowded", "full-jitter", str(path), requests=200)
    retries = got["budget20"]["attempts"] - 200
    assert retries <= 0.2 * 200 + 3  # the share, plus the budget's minimum (3 in any 10 s)
    assert got["full-jitter"]["attempts"] - 200 > 5 * retries
    assert got["budget20"]["give_ups"]["retry_budget"] > 0


def test_the_same_faults_meet_every_policy(compare):
    """A policy given twice under two names gives the same figures: no luck between policies."""
    first = compare("chaos", "full-jitter", requests=300, arrival=20, seed=5)["full-jitter"]
    again = compare("chaos", "full-jitter", requests=300, arrival=20, seed=5)["full-jitter"]
    other = compare("chaos", "full-jitter", requests=300, arrival=20, seed=6)["full-jitter"]
    assert first == again and first != other


def test_concurrency_queues_requests_and_latency_counts_from_their_start(compare):
    """20 at a time on 20 slots: nobody is refused, each waits its turn outside the lab's
    latency (which starts at a request's first attempt)."""
    from tui_app.lab import load_faults, load_policies, run_lab

    result = run_lab(load_faults("crowded"), load_policies(["none"]), requests=200, concurrency=20)
    got = result.policies[0]
    assert (got["succeeded"], got["attempts"], got["latency_max"]) == (200, 200, 3.5)
    assert result.virtual_seconds == 10 * 3.5  # ten rounds of 20


def test_progress_is_told_as_requests_finish():
    from tui_app.lab import load_faults, load_policies, run_lab

    seen: list[tuple[int, int, int]] = []
    run_lab(
        load_faults("crowded"), load_policies(["none", "no-jitter"]), requests=30, progress=lambda *a: seen.append(a)
    )
    assert seen[0] == (0, 1, 30) and seen[29] == (0, 30, 30) and seen[-1] == (1, 30, 30) and len(seen) == 60


def test_requests_arrive_at_the_given_rate():
    from tui_app.lab import arrival_times

    times = arrival_times(2000, 4.0, seed=1)
    assert times == sorted(times) and times[0] == 0.0 and times == arrival_times(2000, 4.0, seed=1)
    assert 2000 / times[-1] == pytest.approx(4.0, rel=0.1)  # a Poisson process of rate 4
    assert arrival_times(3, "burst", seed=1) == [0.0, 0.0, 0.0]


BREAKER = BUDGET.replace("retry_budget = 0.2", "breaker_after = 5\nbreaker_cooldown = 5")
THROTTLE = BUDGET.replace("retry_budget = 0.2", "throttle_k = 2")


def test_a_breaker_and_throttling_shed_load_at_the_client(compare, policy_file):
    """Steady arrivals above what 20 slots serve: both refuse at the client what the server
    would refuse, so they make a fraction of full jitter's calls."""
    names = [str(policy_file(name, text)) for name, text in (("breaker", BREAKER), ("throttle", THROTTLE))]
    got = compare("crowded", "full-jitter", *names, requests=1000, arrival=10, seed=2)
    calls = got["full-jitter"]["attempts"]
    assert got["breaker"]["attempts"] < calls / 4 and got["throttle"]["attempts"] < calls / 4
    assert got["breaker"]["give_ups"]["circuit_open"] > 0 and got["throttle"]["give_ups"]["throttled"] > 0
    assert got["throttle"]["succeeded"] > got["breaker"]["succeeded"]
