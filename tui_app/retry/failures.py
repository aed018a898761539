"""The named set of ways an attempt can fail, and the record kept for each one.

A failure stays a structured object from the moment it is classified until the edge
that shows it (attempts panel, stderr line, JSONL event), so every consumer can decide
how to present it; nothing is turned into a string early.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FailureKind = Literal[
    "connect_timeout",  # TCP/TLS connect did not finish within the connect timeout
    "connect_failed",  # connection refused / unreachable
    "read_timeout",  # silence longer than the read timeout (before headers or mid-stream)
    "write_timeout",  # request body could not be sent in time
    "pool_timeout",  # no free connection in the pool in time
    "connection_reset",  # peer reset or closed the connection before the answer was complete
    "rate_limited",  # 429 / rate_limit_error
    "overloaded",  # 529 / overloaded_error
    "server_error",  # other 5xx / api_error
    "client_error",  # other 4xx (400, 404, 408, 409, 413, ...)
    "auth_error",  # 401 / 403
    "stream_error",  # SSE `error` event of another type
    "truncated_stream",  # body ended without message_stop
    "malformed_stream",  # the server sent what no Messages API stream holds (MalformedResponse)
    "deadline_exceeded",  # the whole-call deadline ran out during the attempt
    "cancelled",  # the user (or Ctrl-C) cancelled
    "backend_unavailable",  # the SDK or the simulator could not start: no request was sent
    "refused_locally",  # the client's circuit breaker or adaptive throttle refused the attempt: nothing sent
    "unexpected",  # a bug (ours or a library's): shown with its type, never retried
]

FAILURE_KINDS: tuple[str, ...] = FailureKind.__args__  # type: ignore[attr-defined]


class MalformedResponse(Exception):
    """The server sent something no valid Messages API response holds: invalid JSON or
    UTF-8, an event missing a field or carrying one of the wrong type.

    Raised where the response is read (``attempt.py``), with a message saying what was
    wrong, so that classification never has to guess: a ``TypeError`` or ``KeyError`` from
    our own code is a bug (``unexpected``), only this is ``malformed_stream``.
    """


class TruncatedResponse(MalformedResponse):
    """The body ended without ``message_stop``: a truncated answer (``truncated_stream``),
    which the SDK does not raise for."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One classified failure of one attempt."""

    kind: FailureKind
    retryable: bool
    message: str
    status: int | None = None
    """HTTP status when there was a response (200 for an SSE error event mid-stream)."""
    error_type: str | None = None
    """The API's error type (e.g. ``overloaded_error``) when the body carried one."""
    request_id: str | None = None
    streamed_chars: int = 0
    """How much answer text this attempt had streamed before it failed."""
    mid_stream: bool = False
    """True when the failure happened after the response headers arrived."""
    retry_after: float | None = None
    """Server hint in seconds (from ``retry-after-ms`` or ``retry-after``), if any."""
    should_retry: bool | None = None
    """The ``x-should-retry`` header, if the server sent one."""
    headers: dict[str, str] = field(default_factory=dict)
    """Rate-limit headers of the failed response (``anthropic-ratelimit-*``)."""

    @property
    def label(self) -> str:
        """Short name people see: the API error type when known, else the kind."""
        return self.error_type or self.kind

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
