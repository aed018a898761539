"""One attempt: open a stream, forward its text as events, decide if it really finished.

An answer is complete only when the API says so: ``message_stop`` after a
``message_delta`` carrying a stop reason. A body that simply ends is a truncated answer,
and the SDK raises nothing for it, so this module checks for itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .classify import ratelimit_headers
from .events import Event, FirstToken, ResponseStart, Success, TextDelta

if TYPE_CHECKING:
    from collections.abc import Callable

    from .failures import Failure
    from .runner import Request

YIELD_EVERY = 0.004
"""Seconds (on the run's clock) of back-to-back buffered deltas after which the attempt
yields to the loop."""


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
    """Stream one attempt into ``out``, emitting events. Raises whatever the SDK raises."""
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
        async for event in stream:
            kind = event.type
            if kind == "content_block_delta":
                delta = event.delta
                if delta is None:  # the SDK builds events without validating them
                    raise ValueError("a content_block_delta event came without its delta")
                if delta.type != "text_delta":
                    continue
                text = delta.text
                if not text:
                    if text is None:  # text lost in transit: never shown as a whole answer
                        raise ValueError("a text_delta event came without its text")
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
                stop_reason = event.delta.stop_reason or stop_reason
                output_tokens = getattr(event.usage, "output_tokens", output_tokens)
            elif kind == "message_start":
                usage = getattr(event.message, "usage", None)
                input_tokens = getattr(usage, "input_tokens", None)
            elif kind == "message_stop":
                stopped = True
    if not (stopped and stop_reason):
        return  # truncated: the caller records the failure
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
