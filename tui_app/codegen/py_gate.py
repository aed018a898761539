"""Pieces of the Python program for state a process's requests share: the retry budget
and the circuit breaker.

They write out ``tui_app/retry/budget.py``'s ``RetryBudget`` and the breaker half of
``tui_app/retry/gate.py``'s ``ClientGate``, with the core's window and wording. Each is one
object at module level (``BUDGET``, ``BREAKER``): the program asks once, so a budget allows
``RETRY_BUDGET_MIN + RETRY_BUDGET`` retries and the breaker ends the call after
``BREAKER_AFTER`` overloads in a row, exactly as ``claude-tui run`` does; moved into the
user's own code, every call shares them, which is what they are for. Adaptive throttling
is not written: it draws at random from a history a program that asks once never has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import py_seconds
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def budget(spec: ProgramSpec) -> Piece:
    """``RetryBudget``: asked last by ``next_wait``, told of the request by ``main``."""
    from ..retry.budget import WINDOW

    p = spec.policy
    constants = f"""\
# Retry budget, shared by every request of the process: at most RETRY_BUDGET of the
# requests started in the last BUDGET_WINDOW seconds, plus RETRY_BUDGET_MIN, retried.
RETRY_BUDGET = {p.retry_budget!r}
RETRY_BUDGET_MIN = {p.retry_budget_min}
BUDGET_WINDOW = {py_seconds(WINDOW)}  # seconds"""
    definitions = '''\
class RetryBudget:
    """Retries at most a share of the requests of a sliding window (Envoy's and
    Finagle's answer to retry storms: it caps the extra load on a server in trouble)."""

    def __init__(self) -> None:
        self.requests: deque[float] = deque()  # when each request started
        self.retries: deque[float] = deque()  # when each retry was allowed

    def note_request(self) -> None:
        self.requests.append(time.monotonic())

    def try_retry(self) -> bool:
        """True (and the retry counted) when the budget allows one more retry now."""
        now = time.monotonic()
        for times in (self.requests, self.retries):
            while times and times[0] <= now - BUDGET_WINDOW:
                times.popleft()
        allowed = RETRY_BUDGET_MIN + RETRY_BUDGET * len(self.requests)
        if len(self.retries) + 1 > allowed:
            return False
        self.retries.append(now)
        return True

    def spent(self) -> str:
        counts = f"{len(self.retries)} retries for {len(self.requests)} requests"
        allowed = f"allowed: {RETRY_BUDGET:.0%} of them + {RETRY_BUDGET_MIN}"
        window = f"in the last {BUDGET_WINDOW:g} s"
        return f"the retry budget is spent: {counts} {window} ({allowed})"


BUDGET = RetryBudget()  # the process's: every request shares it'''
    slots = {
        "NOTE_REQUEST": "BUDGET.note_request()  # this request earns its share of a retry",
        "BUDGET_CHECK": """\
if not BUDGET.try_retry():  # asked last: only a retry that would happen counts
    raise GiveUp(BUDGET.spent())""",
    }
    return Piece(
        imports=("from collections import deque", "import time"),
        constants=constants,
        definitions=definitions,
        slots=slots,
    )


def breaker(spec: ProgramSpec) -> Piece:
    """``CircuitBreaker``: asked before each attempt, told what each attempt met."""
    p = spec.policy
    constants = f"""\
# Circuit breaker, shared by every request of the process: after BREAKER_AFTER
# overloaded failures in a row, attempts are refused here, not sent, for
# BREAKER_COOLDOWN seconds.
BREAKER_AFTER = {p.breaker_after}
BREAKER_COOLDOWN = {py_seconds(p.breaker_cooldown)}  # seconds"""
    definitions = '''\
class CircuitBreaker:
    """Closed; open after BREAKER_AFTER overloads in a row (HTTP 529, or
    overloaded_error mid-stream); half-open after the cool-down: one attempt goes
    through as a probe, and an overload opens the circuit again, anything else closes
    it."""

    def __init__(self) -> None:
        self.overloads = 0  # overloaded failures in a row
        self.open_until: float | None = None  # while open: when the cool-down ends
        self.probing = False  # half-open: the probe is in flight

    def admit(self) -> str:
        """Why the next attempt is refused ("" to send it)."""
        now = time.monotonic()
        if self.open_until is None:
            return ""
        if now < self.open_until or self.probing:
            left = max(0.0, self.open_until - now)
            why = f"{left:.1f} s of cool-down left"
            if now >= self.open_until:
                why = "a probe is in flight"
            after = f"after {BREAKER_AFTER} overloads in a row"
            return f"the circuit is open {after} ({why})"
        self.probing = True  # half-open: this attempt is the probe
        return ""

    def record(self, failure: Failure | None) -> None:
        """What an attempt that was sent met (None: an answer)."""
        overloaded = failure is not None and (
            failure.status == 529 or failure.error_type == "overloaded_error"
        )
        if self.open_until is not None and self.probing:  # the probe's answer decides
            self.probing = False
            self.open_until = None
            if overloaded:
                self.open_until = time.monotonic() + BREAKER_COOLDOWN
            self.overloads = 0
            return
        self.overloads = self.overloads + 1 if overloaded else 0
        if self.overloads >= BREAKER_AFTER and self.open_until is None:
            self.open_until = time.monotonic() + BREAKER_COOLDOWN


BREAKER = CircuitBreaker()  # the process's: every request shares it'''
    slots = {
        "ADMIT": """\
refused = BREAKER.admit()
if refused:  # not sent: retrying what this client refuses would only spin
    print(f"attempt {attempt} not sent: {refused}", file=sys.stderr)
    return 1""",
        "RECORD_ANSWER": "BREAKER.record(None)",
        "RECORD_FAILURE": "BREAKER.record(failure)",
    }
    return Piece(imports=("import sys", "import time"), constants=constants, definitions=definitions, slots=slots)
