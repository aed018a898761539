"""What one policy's run counts as it goes, and the figures the report shows from it.

Definitions (the README's "Policy lab" repeats them): an *attempt* is one call to the
server (a refused connection included); *latency* runs from a request's first attempt to
its complete answer, over the requests that got one (percentiles by nearest rank);
*waiting* is the sum of the backoff waits; *peak server load* the most calls the server
held at once. A call is billed once its response started (an error status before that is
not): its input tokens, and the output tokens it streamed. *Wasted* output tokens were
streamed and then thrown away (a restart, or a give-up after part of an answer);
*wasted cost* is their price plus the input of every billed call that did not deliver the
answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..prices import load_prices
from .attempts import tokens
from .timeline import LoadTimeline

if TYPE_CHECKING:
    from ..prices import Price
    from .attempts import Outcome


@dataclass(slots=True)
class Tally:
    name: str
    requests: int = 0
    succeeded: int = 0
    attempts: int = 0
    give_ups: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    waiting_seconds: float = 0.0
    peak_load: int = 0
    output_tokens: int = 0
    wasted_output_tokens: int = 0
    cost_usd: float = 0.0
    wasted_cost_usd: float = 0.0
    virtual_seconds: float = 0.0
    timeline: LoadTimeline = field(default_factory=LoadTimeline)
    """The server's load over time (the Lab screen's chart; not in ``--json``)."""
    prices: dict[str, Price | None] = field(default_factory=dict)
    """Each model's price, looked up once (None: unknown, its cost counts as 0)."""

    def _price(self, model: str) -> Price | None:
        if model not in self.prices:
            self.prices[model] = load_prices().price(model)
        return self.prices[model]

    def call(self, model: str, outcome: Outcome, input_tokens: int) -> None:
        self.attempts += 1
        out = tokens(outcome.streamed_chars)
        self.output_tokens += out
        price = self._price(model)
        if price is not None:
            self.cost_usd += price.cost(input_tokens, out)
            if outcome.failure is not None:
                self.wasted_cost_usd += price.cost(input_tokens, 0)

    def discarded(self, model: str, chars: int) -> None:
        """``chars`` of streamed answer were thrown away (a restart will start over)."""
        if not chars:
            return
        wasted = tokens(chars)
        self.wasted_output_tokens += wasted
        price = self._price(model)
        if price is not None:
            self.wasted_cost_usd += price.cost(0, wasted)

    def success(self, latency: float) -> None:
        self.requests += 1
        self.succeeded += 1
        self.latencies.append(latency)

    def give_up(self, reason: str, model: str, carried_chars: int) -> None:
        self.requests += 1
        self.give_ups[reason] = self.give_ups.get(reason, 0) + 1
        self.discarded(model, carried_chars)

    # -- the report's figures -------------------------------------------------------------
    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def figures(self) -> dict[str, Any]:
        """The ``--json`` object of this policy (the issue's keys, in its order)."""
        return {
            "name": self.name,
            "succeeded": self.succeeded,
            "failed": self.requests - self.succeeded,
            "success_rate": _round(self.succeeded / self.requests if self.requests else 0.0),
            "attempts": self.attempts,
            "calls_per_success": _round(self.attempts / self.succeeded) if self.succeeded else None,
            "latency_p50": _round(self.percentile(50)),
            "latency_p95": _round(self.percentile(95)),
            "latency_p99": _round(self.percentile(99)),
            "latency_max": _round(max(self.latencies)) if self.latencies else None,
            "give_ups": dict(sorted(self.give_ups.items())),
            "waiting_seconds": _round(self.waiting_seconds),
            "peak_server_load": self.peak_load,
            "output_tokens": self.output_tokens,
            "wasted_output_tokens": self.wasted_output_tokens,
            "cost_usd": _round(self.cost_usd),
            "wasted_cost_usd": _round(self.wasted_cost_usd),
        }


def _round(value: float | None) -> float | None:
    """Six decimals: microseconds and millionths of a dollar, short and stable in JSON."""
    return None if value is None else round(value, 6)
