"""The retry budget: retries at most a share of the requests of a sliding window.

Envoy's and Finagle's answer to retry storms. When a server is overloaded, every client
that retries multiplies the load that overloaded it; a budget caps the extra load at a
known share (``retry_budget``, e.g. 20 %) of the requests started in the last
:data:`WINDOW` seconds, plus a small reserve (``retry_budget_min``) so that a client with
few requests can still retry at all (Finagle's ``minRetriesPerSec``, Envoy's
``min_retry_concurrency``). A retry refused by the budget ends the call at once: reason
``retry_budget``.

The state belongs to one *client*: every request of one process (``claude-tui run`` is
one request; the TUI's session is all of its sends; a policy of the lab is its N
requests). :func:`shared` hands out the process's budget; the lab makes one per policy
on its virtual clock. :func:`.decide.next_step` asks it last, so only a retry that would
otherwise happen is counted.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .policy import RetryPolicy

WINDOW = 10.0
"""Seconds of history the budget looks at (Finagle's default ``ttl``)."""


class RetryBudget:
    """Allows a retry while ``retries < minimum + share * requests`` over the last ``window`` s."""

    def __init__(
        self, share: float, minimum: int, *, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.share, self.minimum, self.window = share, minimum, window
        self._clock = clock
        self._requests: deque[float] = deque()
        self._retries: deque[float] = deque()

    def note_request(self) -> None:
        """A request (its first attempt) started: it earns ``share`` of a retry."""
        self._requests.append(self._clock())

    def try_retry(self) -> bool:
        """True (and the retry counted) when the budget allows one more retry now."""
        now = self._clock()
        for times in (self._requests, self._retries):
            while times and times[0] <= now - self.window:
                times.popleft()
        if len(self._retries) + 1 > self.minimum + self.share * len(self._requests):
            return False
        self._retries.append(now)
        return True

    def spent(self) -> str:
        """Why a retry was refused, for the give-up's detail."""
        return (
            f"the retry budget is spent: {len(self._retries)} retries for {len(self._requests)} requests "
            f"in the last {self.window:g} s (allowed: {self.share:.0%} of them + {self.minimum})"
        )


_SHARED: dict[tuple[float, int], RetryBudget] = {}


def shared(policy: RetryPolicy) -> RetryBudget | None:
    """This process's budget for ``policy``'s figures (None when it has none)."""
    if policy.retry_budget is None:
        return None
    key = (policy.retry_budget, policy.retry_budget_min)
    if key not in _SHARED:
        _SHARED[key] = RetryBudget(policy.retry_budget, policy.retry_budget_min)
    return _SHARED[key]
