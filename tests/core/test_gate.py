"""The client's gate on its own: the circuit breaker's states and adaptive throttling's odds."""

from __future__ import annotations

import random

from tests.samples import overloaded
from tui_app.retry.failures import Failure
from tui_app.retry.gate import ClientGate

RESET = Failure(kind="connection_reset", retryable=True, message="reset")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_k_overloads_in_a_row_and_probes_after_its_cool_down():
    clock = Clock()
    gate = ClientGate(after=3, cooldown=10.0, k=None, clock=clock)
    for failure in (overloaded("a"), overloaded("b"), RESET, overloaded("c"), overloaded("d")):
        assert gate.admit() is None
        gate.record(failure)  # the reset broke the run: 2 in a row so far
    assert gate.admit() is None
    gate.record(overloaded("e"))  # the third in a row: open for 10 s
    clock.now = 4.0
    reason, failure = gate.admit()
    assert (reason, failure.kind, failure.retryable) == ("circuit_open", "refused_locally", False)
    assert failure.message == "the circuit is open after 3 overloads in a row (6.0 s of cool-down left)"
    clock.now = 10.0
    assert gate.admit() is None  # half-open: this one is the probe
    assert gate.admit()[1].message.endswith("(a probe is in flight)")
    gate.record(overloaded("f"))  # the probe met an overload: open again, from now
    clock.now = 19.9
    assert gate.admit()[0] == "circuit_open"
    clock.now = 20.0
    assert gate.admit() is None
    gate.record(None)  # the probe got an answer: closed
    assert gate.admit() is None and gate.admit() is None


def test_a_cancelled_probe_lets_the_next_attempt_probe():
    clock = Clock()
    gate = ClientGate(after=1, cooldown=1.0, k=None, clock=clock)
    gate.record(overloaded("a"))
    clock.now = 1.0
    assert gate.admit() is None
    gate.abandon()
    assert gate.admit() is None


class Draws(random.Random):
    """Hands out the given draws in order, so each refusal is decided by the test."""

    def __init__(self, *values: float) -> None:
        super().__init__(0)
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)


def test_throttling_refuses_with_the_sre_books_probability():
    """requests and accepts are those before the attempt: (requests - K * accepts) /
    (requests + 1), the + 1 being the attempt itself."""
    clock = Clock()
    gate = ClientGate(after=0, cooldown=1.0, k=2.0, clock=clock, rng=Draws(0.6, 0.2, 0.8, 0.5))
    assert gate.admit() is None  # requests 0, accepts 0: p = 0 (no draw)
    gate.record(overloaded("a"))  # refused by the server: not an accept
    assert gate.admit() is None  # requests 1, accepts 0: p = 1/2, drew 0.6
    gate.record(overloaded("b"))
    reason, failure = gate.admit()  # requests 2, accepts 0: p = 2/3, drew 0.2
    assert reason == "throttled"
    assert failure.message == "adaptive throttling (K = 2): 0 of 2 requests accepted in 120 s: refused with p = 0.67"
    assert gate.admit() is None  # requests 3 (the refused one counts), accepts 0: p = 3/4, drew 0.8
    gate.record(None)  # accepted
    assert gate.admit() is None  # requests 4, accepts 1: p = (4 - 2) / 5, drew 0.5


def test_a_fresh_client_sends_its_first_attempt():
    """No history is no evidence of overload: the first attempt of a process is never
    throttled (it was, half the time, when the attempt counted among the requests)."""
    for _ in range(200):
        assert ClientGate(after=0, cooldown=1.0, k=2.0, clock=Clock()).admit() is None


def test_throttling_forgets_what_is_older_than_its_window():
    clock = Clock()
    gate = ClientGate(after=0, cooldown=1.0, k=2.0, clock=clock, rng=Draws(*[0.99] * 49, 0.1))
    for _ in range(50):  # the first needs no draw, the 49 others draw 0.99: all sent
        if gate.admit() is None:
            gate.record(overloaded("x"))
    clock.now = 121.0
    assert gate.admit() is None  # the 50 overloads forgotten: no history, no draw
    gate.record(overloaded("y"))
    assert gate.admit()[1].message.endswith("0 of 1 requests accepted in 120 s: refused with p = 0.50")
