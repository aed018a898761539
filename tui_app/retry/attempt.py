"""One attempt: open a stream, forward its text as events, decide if it really finished.

An answer is complete only when the API says so: ``message_stop`` after a
``message_delta`` carrying a stop reason. A body that simply ends is a truncated answer,
and the SDK raises nothing for it, so this module checks for itself. Without streaming,
:mod:`.whole` reads the one response instead; :func:`run_attempt` picks between them, and
what both share (the request, the outcome, the ``success`` event) is in :mod:`.outcome`.

This is also where the response is parsed, so this is where malformed data is caught: each
field read is checked, and what no valid stream holds raises ``MalformedResponse`` saying
what was wrong. Classification then never has to guess whether a ``TypeError`` meant bad
data or a bug of ours: a bug is always ``unexpected``.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from .classify import ratelimit_headers
from .events import FirstToken, TextDelta, ThinkingDelta
from .failures import MalformedResponse, TruncatedResponse
from .outcome import (
    AttemptOutcome,
    Finish,
    failed_before_response,
    json_kind,
    request_kwargs,
    response_started,
    succeeded,
    token_count,
)
from .whole import whole_attempt

if TYPE_CHECKING:
    from .outcome import Emit, Now
    from .runner import Request

__all__ = ["AttemptOutcome", "run_attempt"]

YIELD_EVERY = 0.004
"""Seconds (on the run's clock) of back-to-back buffered deltas after which the attempt
yields to the loop."""

_NOT_AN_OBJECT: Any = object()
"""What an event's ``type`` reads as when its data is not a JSON object (the SDK then
hands over the bare list, string or number)."""


async def run_attempt(
    client: Any, request: Request, attempt: int, carried: str, out: AttemptOutcome, *, emit: Emit, now: Now
) -> None:
    """One attempt into ``out``, emitting events: streamed, or one whole response
    (:func:`~.whole.whole_attempt`) when ``request.stream`` is off.

    Raises whatever the SDK raises, ``MalformedResponse`` for data no valid response holds
    and ``TruncatedResponse`` for a body that ends before the answer does; the runner
    classifies both kinds of attempt's failures the same way.
    """
    try:
        if request.stream:
            await _stream_attempt(client, request, attempt, carried, out, emit=emit, now=now)
        else:
            await whole_attempt(client, request, attempt, carried, out, emit=emit, now=now)
    except Exception as exc:  # noted for the inspector, then raised on for the runner to classify
        failed_before_response(out, exc)
        raise


async def _stream_attempt(
    client: Any, request: Request, attempt: int, carried: str, out: AttemptOutcome, *, emit: Emit, now: Now
) -> None:
    """Stream one attempt; complete only at ``message_stop`` after a stop reason."""
    started = now()
    # The raw event stream, not the ``messages.stream`` helper: the helper rebuilds a
    # snapshot of the whole message on every delta (a string that grows by concatenation,
    # plus a pydantic event), two thirds of the SDK's time on a long answer, and this
    # module keeps its own text anyway.
    stream = await client.messages.create(**request_kwargs(request, carried), stream=True)
    async with stream:
        headers = stream.response.headers
        response_started(out, attempt, stream.response, ratelimit_headers(headers), emit=emit, now=now)
        try:
            end = await _read_events(stream, attempt, out, started, emit=emit, now=now)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            # Exact: only the SDK's iterator decodes (bytes -> UTF-8 -> JSON); the loop body
            # decodes nothing, so these are bytes from the server, never a bug of ours.
            raise MalformedResponse(_decode_problem(exc)) from exc
    # Output tokens count the thinking too: the speed is over the time since output began.
    since = out.thinking_since or end.first_at or started
    succeeded(out, attempt, carried, started, end, since=since, now=now)


async def _read_events(
    stream: Any, attempt: int, out: AttemptOutcome, started: float, *, emit: Emit, now: Now
) -> Finish:
    """Forward the stream's text as events; how it ended, once ``message_stop`` came."""
    first_at: float | None = None
    usage = _Usage()
    stopped = False
    chunks = out.chunks
    last_yield = started
    async for event in stream:
        # The SDK builds events without validating them (``construct``): any field may be
        # missing (None) or of another JSON type, so each one read is checked.
        kind = getattr(event, "type", _NOT_AN_OBJECT)
        if kind == "content_block_delta":
            delta = getattr(event, "delta", None)
            delta_type = getattr(delta, "type", None)
            if delta_type != "text_delta":
                if delta_type == "thinking_delta":
                    if _thought(delta, attempt, out, emit=emit, now=now) - last_yield > YIELD_EVERY:
                        await asyncio.sleep(0)  # as for text: consumers see thinking as it comes
                        last_yield = now()
                elif delta_type.__class__ is not str:
                    raise MalformedResponse(_bad_delta(delta, delta_type))
                continue  # a signature, tool input: neither answer nor thinking text
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
                # Bytes already buffered never suspend the SDK's iterator: hand the loop
                # to consumers now and then so the screen stays current.
                await asyncio.sleep(0)
                last_yield = t
        elif kind == "message_stop":
            stopped = True
        elif kind == "content_block_start":
            _block_start(event, attempt, emit=emit, now=now)
        elif kind is _NOT_AN_OBJECT:
            raise MalformedResponse(f"an SSE event's data is {json_kind(event)}, not a JSON object")
        else:
            usage.read(kind, event)  # message_start / message_delta; any other type is skipped
    if not stopped:
        raise TruncatedResponse("stream ended before message_stop")
    if not usage.stop_reason:
        raise MalformedResponse("message_stop came without a stop reason (no message_delta carried one)")
    return Finish(usage.stop_reason, usage.input_tokens, usage.output_tokens, first_at)


def _thought(delta: object, attempt: int, out: AttemptOutcome, *, emit: Emit, now: Now) -> float:
    """Forward a ``thinking_delta``'s text as a ``thinking`` event; the time it came."""
    text = getattr(delta, "thinking", None)
    if text.__class__ is not str:
        kind = "came without its thinking" if text is None else f"has thinking of {json_kind(text)}, not a string"
        raise MalformedResponse(f"a thinking_delta event {kind}")
    t = now()
    if text:
        if out.thinking_since is None:
            out.thinking_since = t
        out.thoughts.append(text)
        emit(ThinkingDelta(t, attempt, text))
    return t


def _block_start(event: object, attempt: int, *, emit: Emit, now: Now) -> None:
    """A ``redacted_thinking`` block (encrypted: nothing to show but that it was there) is
    one ``thinking`` event without text; other blocks start with nothing to forward."""
    block = getattr(event, "content_block", None)
    if getattr(block, "type", None) == "redacted_thinking":
        emit(ThinkingDelta(now(), attempt, "", True))


class _Usage:
    """The stop reason and token counts the stream's ``message_start``/``message_delta`` carry."""

    __slots__ = ("input_tokens", "output_tokens", "stop_reason")

    def __init__(self) -> None:
        self.stop_reason: str | None = None
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None

    def read(self, kind: object, event: object) -> None:
        if kind == "message_delta":
            self.stop_reason = _stop_reason(event) or self.stop_reason
            count = _token_count(getattr(event, "usage", None), "message_delta", "output_tokens")
            self.output_tokens = self.output_tokens if count is None else count
        elif kind == "message_start":
            usage = getattr(getattr(event, "message", None), "usage", None)
            self.input_tokens = _token_count(usage, "message_start", "input_tokens")


def _bad_delta(delta: object, delta_type: object) -> str:
    if delta is None:
        return "a content_block_delta event came without its delta"
    shape = json_kind(delta)
    if shape != "an object":
        return f"a content_block_delta event's delta is {shape}, not a JSON object"
    if delta_type is None:
        return "a content_block_delta event's delta has no type"
    return f"a content_block_delta event's delta type is {json_kind(delta_type)}, not a string"


def _not_text(text: object) -> str:
    if text is None:  # text lost in transit: never shown as a whole answer
        return "a text_delta event came without its text"
    return f"a text_delta event's text is {json_kind(text)}, not a string"


def _stop_reason(event: object) -> str | None:
    """The stop reason a ``message_delta`` carries (None while the answer goes on)."""
    delta = getattr(event, "delta", None)
    if delta is None:
        raise MalformedResponse("a message_delta event came without its delta")
    reason = getattr(delta, "stop_reason", _NOT_AN_OBJECT)
    if reason is None or isinstance(reason, str):
        return reason
    if reason is _NOT_AN_OBJECT:
        raise MalformedResponse(f"a message_delta event's delta is {json_kind(delta)}, not a JSON object")
    raise MalformedResponse(f"a message_delta event's stop_reason is {json_kind(reason)}, not a string")


def _token_count(usage: object, event: str, name: str) -> int | None:
    """A token count of a stream event's ``usage`` (optional, a whole number when there)."""
    return token_count(usage, f"a {event} event", name)


def _decode_problem(exc: json.JSONDecodeError | UnicodeDecodeError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"an SSE event's data is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    return f"the stream is not valid UTF-8 ({exc.reason} at byte {exc.start})"
