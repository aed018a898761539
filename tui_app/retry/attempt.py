"""One attempt: open a stream, forward its text as events, decide if it really finished.

An answer is complete only when the API says so: ``message_stop`` after a
``message_delta`` carrying a stop reason. A body that simply ends is a truncated answer,
and the SDK raises nothing for it, so this module checks for itself.

This is also where the response is parsed, so this is where malformed data is caught: each
field read is checked, and what no valid stream holds raises ``MalformedResponse`` saying
what was wrong. Classification then never has to guess whether a ``TypeError`` meant bad
data or a bug of ours: a bug is always ``unexpected``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .classify import ratelimit_headers
from .events import Event, FirstToken, ResponseStart, Success, TextDelta
from .failures import MalformedResponse, TruncatedResponse

if TYPE_CHECKING:
    from collections.abc import Callable

    from .failures import Failure
    from .runner import Request

YIELD_EVERY = 0.004
"""Seconds (on the run's clock) of back-to-back buffered deltas after which the attempt
yields to the loop."""

_NOT_AN_OBJECT: Any = object()
"""What an event's ``type`` reads as when its data is not a JSON object (the SDK then
hands over the bare list, string or number)."""


@dataclass(slots=True)
class AttemptOutcome:
    """What an attempt got so far; filled in as the stream goes, read after it ends."""

    chunks: list[str] = field(default_factory=list)
    request_id: str | None = None
    mid_stream: bool = False
    result: Success | None = None
    failure: Failure | None = None

    @property
    def text(self) -> str:
        return "".join(self.chunks)


async def run_attempt(
    client: Any,
    request: Request,
    attempt: int,
    carried: str,
    out: AttemptOutcome,
    *,
    emit: Callable[[Event], None],
    now: Callable[[], float],
) -> None:
    """Stream one attempt into ``out``, emitting events.

    Raises whatever the SDK raises, ``MalformedResponse`` for data no valid stream holds
    and ``TruncatedResponse`` for a body that ends before ``message_stop``.
    """
    started = now()
    kwargs: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": request.messages(carried),
    }
    if request.system:
        kwargs["system"] = request.system
    first_at: float | None = None
    stop_reason: str | None = None
    stopped = False
    input_tokens: int | None = None
    output_tokens: int | None = None
    chunks = out.chunks
    last_yield = started
    # The raw event stream, not the ``messages.stream`` helper: the helper rebuilds a
    # snapshot of the whole message on every delta (a string that grows by concatenation,
    # plus a pydantic event), two thirds of the SDK's time on a long answer, and this
    # module keeps its own text anyway.
    stream = await client.messages.create(**kwargs, stream=True)
    async with stream:
        headers = stream.response.headers
        out.request_id = headers.get("request-id")
        out.mid_stream = True
        emit(ResponseStart(t=now(), attempt=attempt, request_id=out.request_id, ratelimit=ratelimit_headers(headers)))
        try:
            async for event in stream:
                # The SDK builds events without validating them (``construct``): any field
                # may be missing (None) or of another JSON type, so each one read is checked.
                kind = getattr(event, "type", _NOT_AN_OBJECT)
                if kind == "content_block_delta":
                    delta = getattr(event, "delta", None)
                    delta_type = getattr(delta, "type", None)
                    if delta_type != "text_delta":
                        if delta_type.__class__ is not str:
                            raise MalformedResponse(_bad_delta(delta, delta_type))
                        continue  # thinking, signature, tool input: not answer text
                    text = getattr(delta, "text", None)
                    if text.__class__ is not str:
                        raise MalformedResponse(_not_text(text))
                    if not text:
                        continue
                    chunks.append(text)
                    if first_at is None:
                        first_at = now()
                        emit(FirstToken(t=first_at, attempt=attempt, ttft=first_at - started))
                        emit(TextDelta(t=first_at, attempt=attempt, text=text))
                        await asyncio.sleep(0)  # let consumers see the first token at once
                        last_yield = first_at
                        continue
                    # Positional: keyword arguments cost more than the rest of this loop's own
                    # work, and a long answer is tens of thousands of deltas.
                    t = now()  # one clock read a delta: the event's time and the yield check
                    emit(TextDelta(t, attempt, text))
                    if t - last_yield > YIELD_EVERY:
                        # Bytes already buffered never suspend the SDK's iterator: hand the
                        # loop to consumers now and then so the screen stays current.
                        await asyncio.sleep(0)
                        last_yield = t
                elif kind == "message_delta":
                    stop_reason = _stop_reason(event) or stop_reason
                    count = _token_count(getattr(event, "usage", None), "message_delta", "output_tokens")
                    output_tokens = output_tokens if count is None else count
                elif kind == "message_start":
                    usage = getattr(getattr(event, "message", None), "usage", None)
                    input_tokens = _token_count(usage, "message_start", "input_tokens")
                elif kind == "message_stop":
                    stopped = True
                elif kind is _NOT_AN_OBJECT:
                    raise MalformedResponse(f"an SSE event's data is {_json_kind(event)}, not a JSON object")
                # Any other type (or none): an event this version does not know, skipped.
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            # Exact: only the SDK's iterator decodes (bytes -> UTF-8 -> JSON); the loop body
            # decodes nothing, so these are bytes from the server, never a bug of ours.
            raise MalformedResponse(_decode_problem(exc)) from exc
    if not stopped:
        raise TruncatedResponse("stream ended before message_stop")
    if not stop_reason:
        raise MalformedResponse("message_stop came without a stop reason (no message_delta carried one)")
    finished = now()
    streaming_time = finished - (first_at if first_at is not None else started)
    tokens = output_tokens if output_tokens is not None else max(1, len(out.text) // 4)
    out.result = Success(
        t=finished,
        attempt=attempt,
        text=carried + out.text,
        stop_reason=stop_reason,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        ttft=(first_at - started) if first_at is not None else None,
        tokens_per_s=(tokens / streaming_time) if streaming_time > 0 else None,
        request_id=out.request_id,
        elapsed=finished,
    )


def _json_kind(value: object) -> str:
    """What JSON type ``value`` came as, for messages about fields of the wrong type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "an object"


def _bad_delta(delta: object, delta_type: object) -> str:
    if delta is None:
        return "a content_block_delta event came without its delta"
    shape = _json_kind(delta)
    if shape != "an object":
        return f"a content_block_delta event's delta is {shape}, not a JSON object"
    if delta_type is None:
        return "a content_block_delta event's delta has no type"
    return f"a content_block_delta event's delta type is {_json_kind(delta_type)}, not a string"


def _not_text(text: object) -> str:
    if text is None:  # text lost in transit: never shown as a whole answer
        return "a text_delta event came without its text"
    return f"a text_delta event's text is {_json_kind(text)}, not a string"


def _stop_reason(event: object) -> str | None:
    """The stop reason a ``message_delta`` carries (None while the answer goes on)."""
    delta = getattr(event, "delta", None)
    if delta is None:
        raise MalformedResponse("a message_delta event came without its delta")
    reason = getattr(delta, "stop_reason", _NOT_AN_OBJECT)
    if reason is None or isinstance(reason, str):
        return reason
    if reason is _NOT_AN_OBJECT:
        raise MalformedResponse(f"a message_delta event's delta is {_json_kind(delta)}, not a JSON object")
    raise MalformedResponse(f"a message_delta event's stop_reason is {_json_kind(reason)}, not a string")


def _token_count(usage: object, event: str, name: str) -> int | None:
    """A token count from ``usage``: optional (some compatible proxies leave usage out, and
    the answer is whole without it), but a whole number when it is there."""
    value = getattr(usage, name, None)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise MalformedResponse(f"a {event} event's usage.{name} is {_json_kind(value)}, not a whole number")


def _decode_problem(exc: json.JSONDecodeError | UnicodeDecodeError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"an SSE event's data is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    return f"the stream is not valid UTF-8 ({exc.reason} at byte {exc.start})"
