"""One simulated attempt, abstractly: how long it takes, and how it ends.

No socket and no SDK: what a fault does to an attempt is worked out from the fault's
fields and the client's read timeout, the way the simulator (``simulator/respond.py``)
plays it and the core (``retry/attempt.py``) sees it, and the failure is built by the
classifier's own functions (:mod:`tui_app.retry.statuses`), so it is the very ``Failure``
that the wire would give. A token is four characters (as the simulator counts input).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from email.utils import formatdate
from typing import TYPE_CHECKING

from ..retry import statuses

if TYPE_CHECKING:
    from datetime import datetime

    from ..retry.failures import Failure
    from ..simulator.steps import Step

CHARS_PER_TOKEN = 4
WALL_EPOCH = 1_767_225_600.0
"""A fixed wall clock (2026-01-01T00:00:00Z) for ``retry-after`` HTTP dates: the lab's
dates are virtual, so a run gives the same waits every time."""


def tokens(chars: int) -> int:
    return math.ceil(chars / CHARS_PER_TOKEN)


@dataclass(frozen=True, slots=True)
class Speed:
    """Seconds to the first token, and output tokens per second (0: as fast as possible)."""

    ttft: float = 0.0
    tokens_per_second: float = 0.0

    def seconds(self, chars: int) -> float:
        """Time to stream ``chars`` characters after the first token."""
        return tokens(chars) / self.tokens_per_second if self.tokens_per_second else 0.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt did: its length, its failure (None: a whole answer), what it streamed."""

    duration: float
    failure: Failure | None
    streamed_chars: int = 0
    """Answer characters sent (the whole answer on a success)."""
    started: bool = False
    """The response began (headers of a 200): the call is billed for its input."""


def hint_headers(step: Step, now: float) -> dict[str, str]:
    """The headers a ``status`` or ``sse_error`` step's hints become (as the simulator's
    ``respond.hint_headers`` writes them), an HTTP date taken from the virtual wall clock."""
    hints: dict[str, str] = {}
    if step.retry_after is not None:
        if step.retry_after_date:
            hints["retry-after"] = formatdate(WALL_EPOCH + now + step.retry_after, usegmt=True)
        else:
            hints["retry-after"] = f"{step.retry_after:g}"
    if step.retry_after_ms is not None:
        hints["retry-after-ms"] = f"{step.retry_after_ms:g}"
    if step.should_retry is not None:
        hints["x-should-retry"] = "true" if step.should_retry else "false"
    return hints


def scripted(step: Step, *, chars: int, speed: Speed, read_timeout: float, now: float) -> Outcome:
    """The attempt that ``step`` makes of a streamed answer of ``chars`` characters at ``now``."""
    fault, read = step.fault, read_timeout
    if fault == "status":
        assert step.status is not None
        message = step.message or f"simulated {step.error_type} ({step.label})"
        failure = statuses.status_failure(
            step.status, hint_headers(step, now), step.error_type, message, now=_wall(now)
        )
        return Outcome(0.0, failure)
    if fault in ("latency", "stall_before_headers"):
        silence = step.seconds or 0.0
        if silence > read:
            return Outcome(read, statuses.transport_failure("read_timeout", "no data within the read timeout"))
        if fault == "stall_before_headers":
            reset = statuses.transport_failure("connection_reset", "connection closed or reset by the server")
            return Outcome(silence, reset)
        return _answer(chars, speed, read, extra=silence)
    if fault == "close_without_response":
        return Outcome(0.0, statuses.transport_failure("connection_reset", "connection closed or reset by the server"))
    if fault == "dribble":
        return _answer(chars, Speed(speed.ttft, step.tokens_per_second or 0.0), read)
    if fault in ("none", "connection_refused"):  # refused: the outage is the engine's (see Engine)
        return _answer(chars, speed, read)
    return _mid_stream(step, chars, speed, read, now)


def _answer(chars: int, speed: Speed, read: float, extra: float = 0.0) -> Outcome:
    if speed.ttft > read:  # the headers came at once, then silence
        failure = statuses.transport_failure("read_timeout", "no data within the read timeout", mid_stream=True)
        return Outcome(extra + read, failure, started=True)
    return Outcome(extra + speed.ttft + speed.seconds(chars), None, chars, started=True)


def _mid_stream(step: Step, chars: int, speed: Speed, read: float, now: float) -> Outcome:
    """A fault after ``after_chars`` characters (all of them, if the answer is shorter)."""
    sent = min(step.after_chars or 0, chars)
    at = speed.ttft + speed.seconds(sent)
    fault = step.fault
    if fault == "stall_mid_stream":
        if (step.seconds or 0.0) <= read:
            done = _answer(chars, speed, read)
            return Outcome(done.duration + (step.seconds or 0.0), done.failure, done.streamed_chars, True)
        failure = statuses.transport_failure("read_timeout", "no data within the read timeout", mid_stream=True)
    elif fault == "reset_mid_stream":
        failure = statuses.transport_failure("connection_reset", "connection closed or reset by the server")
    elif fault == "sse_error":
        message = step.message or f"simulated {step.error_type} ({step.label})"
        failure = statuses.status_failure(200, hint_headers(step, now), step.error_type, message, now=_wall(now))
    elif fault == "truncated":
        failure = statuses.truncated(sent, None)
    else:  # malformed_sse
        failure = statuses.transport_failure("malformed_stream", "malformed response from the server: invalid JSON")
    stalled = read if fault == "stall_mid_stream" else 0.0
    return Outcome(at + stalled, _mid(failure, sent), sent, started=True)


def _mid(failure: Failure, sent: int) -> Failure:
    from dataclasses import replace

    return replace(failure, streamed_chars=sent, mid_stream=True)


def _wall(now: float) -> statuses.WallClock:
    from datetime import UTC, datetime

    def wall() -> datetime:
        return datetime.fromtimestamp(WALL_EPOCH + now, UTC)

    return wall
