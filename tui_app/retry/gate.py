"""The client's gate before each attempt: a circuit breaker and adaptive throttling.

Both answer the same question — send this attempt, or refuse it here without a call — from
what the client's earlier attempts met, so both share state across the requests of one
client process (as the retry budget does, :mod:`.budget`): ``claude-tui run`` is one
request, the TUI's session all of its sends, a policy of the lab its N requests.

Circuit breaker (``breaker_after`` K, ``breaker_cooldown``): after K overloaded failures
in a row (HTTP 529 or an ``overloaded_error`` event, :func:`.fallback.is_overloaded`) the
circuit opens and every attempt is refused for the cool-down; then it is half-open: one
attempt goes through as a probe and the others are refused until an attempt ends (the
probe, or one sent before the circuit opened): an overload opens it again, anything else
closes it. A probe cancelled before it ended tells nothing: the next attempt probes.

Adaptive throttling (``throttle_k`` K; Google SRE book, "Handling Overload"): over the last
:data:`THROTTLE_WINDOW` seconds, with *requests* the attempts the client wanted to send
before this one (those it refused included) and *accepts* those the server did not refuse
as overloaded or rate-limited, an attempt is refused locally with probability
``max(0, (requests - K * accepts) / (requests + 1))``: the ``+ 1`` is this attempt, so a
client with no history (a fresh process) sends its first attempt.

A refused attempt ends its call (reason ``circuit_open`` or ``throttled``): retrying what
the client itself refuses would only spin. The runner and the lab call :meth:`admit`
before each attempt and :meth:`record` after it; nothing else holds these rules.
"""

from __future__ import annotations

import random
import time
from collections import deque
from typing import TYPE_CHECKING

from .failures import Failure
from .fallback import is_overloaded

if TYPE_CHECKING:
    from collections.abc import Callable

    from .events import GiveUpReason
    from .policy import RetryPolicy

THROTTLE_WINDOW = 120.0
"""Seconds of history adaptive throttling looks at (the SRE book's two minutes)."""


class ClientGate:
    """One client's breaker and throttle (either may be off: ``after`` 0, ``k`` None)."""

    def __init__(
        self,
        *,
        after: int,
        cooldown: float,
        k: float | None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.after, self.cooldown, self.k = after, cooldown, k
        self._clock, self._rng = clock, rng or random.Random()
        self.overloads = 0
        """Overloaded failures in a row."""
        self.open_until: float | None = None
        """While open: when the cool-down ends. None: closed."""
        self.probing = False
        """Half-open: the probe is in flight."""
        self._requests: deque[float] = deque()
        self._accepts: deque[float] = deque()

    def admit(self) -> tuple[GiveUpReason, Failure] | None:
        """None to send the attempt; else why it is refused, as a reason and a failure."""
        now = self._clock()
        if self.open_until is not None:
            if now < self.open_until or self.probing:
                left = max(0.0, self.open_until - now)
                why = "a probe is in flight" if now >= self.open_until else f"{left:.1f} s of cool-down left"
                return "circuit_open", _refused(f"the circuit is open after {self.after} overloads in a row ({why})")
            self.probing = True  # half-open: this attempt is the probe
        if self.k is None:
            return None
        for times in (self._requests, self._accepts):
            while times and times[0] <= now - THROTTLE_WINDOW:
                times.popleft()
        requests, accepts = len(self._requests), len(self._accepts)  # before this attempt
        self._requests.append(now)
        chance = max(0.0, (requests - self.k * accepts) / (requests + 1))
        if chance and self._rng.random() < chance:
            if self.probing:
                self.probing = False
            detail = (
                f"{accepts} of {requests} requests accepted in {THROTTLE_WINDOW:g} s: refused with p = {chance:.2f}"
            )
            return "throttled", _refused(f"adaptive throttling (K = {self.k:g}): {detail}")
        return None

    def abandon(self) -> None:
        """An attempt that was sent will not end (cancelled): if it was the probe, the next one probes."""
        self.probing = False

    def record(self, failure: Failure | None) -> None:
        """What an attempt that was sent met (None: an answer)."""
        now = self._clock()
        overloaded = failure is not None and is_overloaded(failure)
        accepted = failure is None or not (overloaded or failure.kind == "rate_limited")
        if accepted and self.k is not None:
            self._accepts.append(now)
        if not self.after:
            return
        if self.open_until is not None and self.probing:  # the probe's answer decides
            self.probing = False
            self.open_until = now + self.cooldown if overloaded else None
            self.overloads = 0
            return
        self.overloads = self.overloads + 1 if overloaded else 0
        if self.overloads >= self.after and self.open_until is None:
            self.open_until = now + self.cooldown


def _refused(message: str) -> Failure:
    return Failure(kind="refused_locally", retryable=False, message=message)


_SHARED: dict[tuple[int, float, float | None], ClientGate] = {}


def shared(policy: RetryPolicy) -> ClientGate | None:
    """This process's gate for ``policy``'s figures (None when it has neither part)."""
    if not policy.breaker_after and policy.throttle_k is None:
        return None
    key = (policy.breaker_after, policy.breaker_cooldown, policy.throttle_k)
    if key not in _SHARED:
        _SHARED[key] = ClientGate(after=key[0], cooldown=key[1], k=key[2])
    return _SHARED[key]
