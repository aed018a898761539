import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_app.retry.policy import RetryPolicy, backoff_delay


@pytest.mark.parametrize("jitter", ["full", "equal", "decorrelated", "none", "sdk", "additive"])
def test_delays_stay_within_cap(jitter):
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0, jitter=jitter)
    rng = random.Random(7)
    prev = None
    for n in range(1, 30):
        d = backoff_delay(policy, n, prev, rng)
        assert 0 <= d <= 4.0
        prev = d


def test_equal_jitter_keeps_half_of_the_exponential_delay():
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0, jitter="equal")
    rng = random.Random(1)
    for n in range(1, 6):
        exp = 2 ** (n - 1)
        assert exp / 2 <= backoff_delay(policy, n, None, rng) <= exp


def test_full_jitter_spreads_between_zero_and_exponential():
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0, jitter="full")
    rng = random.Random(3)
    draws = [backoff_delay(policy, 3, None, rng) for _ in range(500)]
    assert min(draws) < 0.5 and max(draws) > 3.5 and all(0 <= d <= 4 for d in draws)


@given(
    base=st.floats(0, 10, allow_nan=False),
    extra=st.floats(0, 50, allow_nan=False),
    n=st.integers(1, 2000),
    jitter=st.sampled_from(["full", "equal", "decorrelated", "none", "sdk", "additive"]),
    prev=st.none() | st.floats(0, 100, allow_nan=False),
    seed=st.integers(0, 2**32),
)
def test_backoff_bounds_property(base, extra, n, jitter, prev, seed):
    policy = RetryPolicy(base_delay=base, max_delay=base + extra, jitter=jitter)
    d = backoff_delay(policy, n, prev, random.Random(seed))
    assert 0 <= d <= policy.max_delay


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"base_delay": -1}, "base_delay"),
        ({"max_delay": float("nan")}, "max_delay"),
        ({"base_delay": 5, "max_delay": 1}, "max_delay"),
        ({"deadline": 0}, "deadline"),
        ({"jitter": "wobbly"}, "jitter"),
        ({"mid_stream": "resume"}, "mid_stream"),
    ],
)
def test_validate_names_the_field(changes, field):
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**changes).validate()
