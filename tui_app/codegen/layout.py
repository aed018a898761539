"""Which pieces a program has, and in which order: the same for every language.

A language is a :class:`Parts`: its piece for each concern. :func:`pieces` picks them by
the settings (the mid-stream policy's piece, fallback, budget and breaker only when set,
the streamed or the whole attempt) and orders them as the program reads: the request, the
timeouts and the policy first (the constants people change), then the attempt, how a
failure is judged, how long to wait, when to give up, the timing, the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .spec import ProgramSpec
    from .template import Piece

    Make = Callable[[ProgramSpec], Piece]


OPTIONAL_SLOTS = {
    "MODEL": "MODEL",
    "CHAIN": "",
    "FALL_BACK": "",
    "FALLBACK_NOTE": "",
    "NOTE_REQUEST": "",
    "BUDGET_CHECK": "",
    "ADMIT": "",
    "RECORD_ANSWER": "",
    "RECORD_FAILURE": "",
}
"""What the main loop's slots hold when :func:`pieces` leaves the fallback, budget and
breaker pieces out (the same names in both languages; each piece fills its own)."""


@dataclass(frozen=True, slots=True)
class Parts:
    """One language's piece for each concern."""

    request: Make
    timeouts: Make
    policy: Make
    restart: Make
    carry_on: Callable[[str, ProgramSpec], Piece]
    give_up_mid_stream: Make
    fallback: Make
    budget: Make
    breaker: Make
    streamed: Piece
    whole: Piece
    classify: Callable[[ProgramSpec, frozenset[str]], Piece]
    server_wait: Piece
    jitter: Make
    give_up: Piece
    timing: Make
    """How an attempt is timed: the deadline (Python, sync or async), the Watchdog (TypeScript)."""
    output: Piece


def pieces(spec: ProgramSpec, parts: Parts) -> list[Piece]:
    """The program's pieces, one per concern, in the order it reads."""
    from ..retry.runner import CONTINUE_INSTRUCTION
    from ..retry.statuses import RETRYABLE_ERROR_TYPES

    p = spec.policy
    if p.mid_stream == "continue":
        mid_stream = parts.carry_on(CONTINUE_INSTRUCTION, spec)
    elif p.mid_stream == "give-up":
        mid_stream = parts.give_up_mid_stream(spec)
    else:
        mid_stream = parts.restart(spec)
    optional = [(parts.fallback, bool(p.fallback)), (parts.budget, p.retry_budget is not None)]
    optional.append((parts.breaker, bool(p.breaker_after)))
    return [
        parts.request(spec),
        parts.timeouts(spec),
        parts.policy(spec),
        mid_stream,
        *(make(spec) for make, wanted in optional if wanted),
        parts.streamed if spec.stream else parts.whole,
        parts.classify(spec, RETRYABLE_ERROR_TYPES),
        parts.server_wait,
        parts.jitter(spec),
        parts.give_up,
        parts.timing(spec),
        parts.output,
    ]
