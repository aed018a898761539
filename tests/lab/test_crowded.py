"""The AWS study on Claude's terms: 200 clients arriving together at a server of 20 slots."""

from __future__ import annotations

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
