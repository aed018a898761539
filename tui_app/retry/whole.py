"""One attempt without streaming: a single ``messages.create``, the whole answer at once.

The response's headers come only once the answer is complete, so the read timeout (per
read, as in a stream) bounds the wait for all of it, not the silence between chunks: a
long answer without streaming times out where the same answer streamed would not. That
is a ``read_timeout``, retried like any other.

The body is read here, not by the SDK's parser, so what can go wrong with it is told
apart: a body cut short of its ``Content-Length`` is a truncated answer
(``TruncatedResponse``), one that is not JSON or not a Message is ``MalformedResponse``.
For the same event contract as a stream, the whole text is emitted as one ``first_token``
and one ``text`` event when it arrives, then ``success``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx2

from .classify import ratelimit_headers
from .events import FirstToken, TextDelta, ThinkingDelta
from .failures import MalformedResponse, TruncatedResponse
from .outcome import Finish, json_kind, request_kwargs, response_started, succeeded, token_count

if TYPE_CHECKING:
    from .outcome import AttemptOutcome, Emit, Now
    from .runner import Request


async def whole_attempt(
    client: Any, request: Request, attempt: int, carried: str, out: AttemptOutcome, *, emit: Emit, now: Now
) -> None:
    """Ask for the answer in one response and record it in ``out``, emitting events.

    Raises whatever the SDK raises before the response, ``TruncatedResponse`` for a body
    cut short, ``MalformedResponse`` for one that is no valid Message.
    """
    started = now()
    # ``with_streaming_response``: the same ``messages.create`` call (no ``stream``), but the
    # body is ours to read, so a cut-off body is not mistaken for a failed connection.
    async with client.messages.with_streaming_response.create(**request_kwargs(request, carried)) as response:
        headers = response.headers
        response_started(out, attempt, response, ratelimit_headers(headers), emit=emit, now=now)
        try:
            body: bytes = await response.read()
        except httpx2.RemoteProtocolError as exc:
            raise TruncatedResponse(f"the response body was cut off before its end ({exc})") from exc
    arrived = now()
    text, thoughts, end = _read_message(_decode(body), arrived)
    for thought in thoughts:  # before the answer, as a stream has them
        if thought is None:
            emit(ThinkingDelta(arrived, attempt, "", True))
        else:
            out.thoughts.append(thought)
            emit(ThinkingDelta(arrived, attempt, thought))
    if text:
        out.chunks.append(text)
        emit(FirstToken(t=arrived, attempt=attempt, ttft=arrived - started))
        emit(TextDelta(t=arrived, attempt=attempt, text=text))
    succeeded(out, attempt, carried, started, end, since=started, now=now)


def _decode(body: bytes) -> dict[str, Any]:
    try:
        message = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MalformedResponse(f"the response body is not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise MalformedResponse(f"the response body is not valid JSON ({where})") from exc
    if not isinstance(message, dict):
        raise MalformedResponse(f"the response body is {json_kind(message)}, not a JSON object")
    return message


def _read_message(message: dict[str, Any], arrived: float) -> tuple[str, list[str | None], Finish]:
    """The answer text, the thinking blocks' texts (None for a redacted one) and how it
    ended, each field checked (``MalformedResponse``)."""
    if message.get("type") != "message":
        raise MalformedResponse(f"the response is not a message (its type is {json.dumps(message.get('type'))})")
    content = message.get("content")
    if not isinstance(content, list):
        raise MalformedResponse(f"the message's content is {json_kind(content)}, not an array")
    parts: list[str] = []
    thoughts: list[str | None] = []
    for i, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        if not isinstance(kind, str):
            raise MalformedResponse(f"the message's content[{i}] has no type")
        if kind == "redacted_thinking":
            thoughts.append(None)
        if kind not in ("text", "thinking"):
            continue  # tool use, redacted thinking: no text to show
        text = block.get(kind)
        if not isinstance(text, str):
            raise MalformedResponse(f"the message's content[{i}].{kind} is {json_kind(text)}, not a string")
        (parts if kind == "text" else thoughts).append(text)
    stop_reason = message.get("stop_reason")
    if not isinstance(stop_reason, str) or not stop_reason:
        raise MalformedResponse(f"the message's stop_reason is {json_kind(stop_reason)}, not a stop reason")
    usage = message.get("usage")
    end = Finish(
        stop_reason=stop_reason,
        input_tokens=token_count(usage, "the message", "input_tokens"),
        output_tokens=token_count(usage, "the message", "output_tokens"),
        first_at=arrived,
    )
    return "".join(parts), thoughts, end
