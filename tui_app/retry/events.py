"""Typed, timestamped events: the one vocabulary every consumer speaks.

The retry core yields these; the TUI panels, the session recorder, the headless CLI
(stdout, stderr and ``--events`` JSONL) and replay all consume the same objects. ``t``
is seconds since the run started, from a monotonic clock, and never decreases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal

from .failures import Failure

EventType = Literal[
    "run_start",
    "attempt_start",
    "response_start",
    "first_token",
    "text",
    "thinking",
    "attempt_error",
    "backoff",
    "success",
    "give_up",
    "cancelled",
]

GiveUpReason = Literal["non_retryable", "max_attempts", "deadline", "retry_budget", "circuit_open", "throttled"]
BackoffReason = Literal["retry-after", "backoff"]


@dataclass(frozen=True, slots=True)
class Event:
    """Base class: ``type`` names the event, ``t`` is seconds since run start."""

    type: ClassVar[EventType]
    t: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with ``type`` first (the ``--events`` JSONL schema)."""
        out: dict[str, Any] = {"type": self.type}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Failure):
                value = value.to_dict()
            out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class RunStart(Event):
    """The run began: what is being asked and under which settings."""

    type: ClassVar[EventType] = "run_start"
    model: str = ""
    max_attempts: int = 0
    deadline: float | None = None
    timeouts: dict[str, float | None] = field(default_factory=dict)
    stream: bool = True
    """False: each attempt waits for the whole answer in one response (``--no-stream``),
    which the read timeout bounds. Records from before the setting read as True."""


@dataclass(frozen=True, slots=True)
class AttemptStart(Event):
    type: ClassVar[EventType] = "attempt_start"
    attempt: int = 0
    model: str = ""
    carried_text: str = ""
    """Under the "continue" mid-stream policy: text kept from earlier attempts that this
    attempt continues (the answer so far). Empty when the attempt starts from scratch."""
    fallback_reason: str = ""
    """Set when this attempt's model is the next of the fallback chain: why the previous
    model was left (e.g. "claude-x was overloaded 2 times in a row")."""


@dataclass(frozen=True, slots=True)
class ResponseStart(Event):
    """Response headers arrived (status 200): the stream is open."""

    type: ClassVar[EventType] = "response_start"
    attempt: int = 0
    request_id: str | None = None
    ratelimit: dict[str, str] = field(default_factory=dict)
    """``anthropic-ratelimit-*`` headers of this response."""
    status: int | None = None
    """The response's HTTP status (None in records from before the inspector)."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """The headers that explain a retry (request-id, retry-after, retry-after-ms,
    x-should-retry, anthropic-ratelimit-*), for the request inspector."""
    request: dict[str, Any] | None = None
    """The request as the SDK sent it: ``{"method", "url", "headers", "body"}``, the key
    headers masked (:mod:`.wire`). None when unknown (older records, test fakes)."""


@dataclass(frozen=True, slots=True)
class FirstToken(Event):
    type: ClassVar[EventType] = "first_token"
    attempt: int = 0
    ttft: float = 0.0
    """Seconds from this attempt's start to its first text."""


@dataclass(frozen=True, slots=True)
class TextDelta(Event):
    type: ClassVar[EventType] = "text"
    attempt: int = 0
    text: str = ""


@dataclass(frozen=True, slots=True)
class ThinkingDelta(Event):
    """A piece of the model's thinking (a ``thinking_delta``): shown apart from the answer,
    never part of its text. A ``redacted_thinking`` block is one event with no text."""

    type: ClassVar[EventType] = "thinking"
    attempt: int = 0
    text: str = ""
    redacted: bool = False


@dataclass(frozen=True, slots=True)
class AttemptError(Event):
    type: ClassVar[EventType] = "attempt_error"
    attempt: int = 0
    failure: Failure | None = None
    duration: float = 0.0
    partial_text: str = ""
    """Text this attempt streamed before failing (discarded from the answer, kept here)."""
    request: dict[str, Any] | None = None
    """The request as sent, when the attempt failed before its ``response_start`` (which
    carries it otherwise): as :attr:`ResponseStart.request`."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """The error response's headers worth showing, when it failed before ``response_start``."""

    def to_dict(self) -> dict[str, Any]:
        out = Event.to_dict(self)
        f = self.failure
        # Flat fields of the documented JSONL schema, beside the full failure record.
        out["status"] = f.status if f else None
        out["error"] = f.label if f else None
        out["kind"] = f.kind if f else None
        out["retryable"] = f.retryable if f else False
        out["request_id"] = f.request_id if f else None
        return out


@dataclass(frozen=True, slots=True)
class Backoff(Event):
    type: ClassVar[EventType] = "backoff"
    attempt: int = 0
    """The attempt that just failed; the next one is ``attempt + 1``."""
    delay: float = 0.0
    reason: BackoffReason = "backoff"
    detail: str = ""
    """Human explanation, e.g. 'retry-after 30.0 s capped to 4.2 s left before deadline'."""


@dataclass(frozen=True, slots=True)
class Success(Event):
    type: ClassVar[EventType] = "success"
    attempt: int = 0
    text: str = ""
    stop_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    ttft: float | None = None
    tokens_per_s: float | None = None
    request_id: str | None = None
    elapsed: float = 0.0
    thinking: str = ""
    """The thinking of the attempt that succeeded (its ``thinking`` events joined)."""

    @property
    def cut_off(self) -> bool:
        """Complete as the API sees it, but cut by ``max_tokens``: shown as cut off."""
        return self.stop_reason == "max_tokens"


@dataclass(frozen=True, slots=True)
class GiveUp(Event):
    type: ClassVar[EventType] = "give_up"
    attempt: int = 0
    reason: GiveUpReason = "non_retryable"
    failure: Failure | None = None
    detail: str = ""
    elapsed: float = 0.0


@dataclass(frozen=True, slots=True)
class Cancelled(Event):
    type: ClassVar[EventType] = "cancelled"
    attempt: int = 0
    during: Literal["request", "backoff"] = "request"
    elapsed: float = 0.0


EVENT_CLASSES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        RunStart,
        AttemptStart,
        ResponseStart,
        FirstToken,
        TextDelta,
        ThinkingDelta,
        AttemptError,
        Backoff,
        Success,
        GiveUp,
        Cancelled,
    )
}

TERMINAL_TYPES = frozenset({"success", "give_up", "cancelled"})


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event from ``to_dict`` output (used by replay and the store)."""
    cls = EVENT_CLASSES[data["type"]]
    kwargs: dict[str, Any] = {f.name: data.get(f.name) for f in fields(cls) if f.name in data}
    failure = kwargs.get("failure")
    if isinstance(failure, dict):
        kwargs["failure"] = Failure(**failure)
    return cls(**kwargs)
