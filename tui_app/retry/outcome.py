"""What every attempt shares, streamed or not: the request it sends, what it got so far,
the ``response_start`` event, the ``success`` it ends with, and checked field reads.

The SDK hands over the server's data unvalidated (``construct``, or plain JSON), so any
field may be missing or of another JSON type: each one read is checked here, and what no
valid response holds raises ``MalformedResponse`` saying what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import wire
from .events import Event, ResponseStart, Success
from .failures import MalformedResponse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .failures import Failure
    from .runner import Request

Emit = Callable[[Event], None]
Now = Callable[[], float]


@dataclass(slots=True)
class AttemptOutcome:
    """What an attempt got so far; filled in as the response goes, read after it ends."""

    chunks: list[str] = field(default_factory=list)
    thoughts: list[str] = field(default_factory=list)
    """The thinking so far (``thinking_delta`` texts), kept apart from the answer's."""
    thinking_since: float | None = None
    """When the first thinking arrived: output (and the speed counted over it) began then."""
    request_id: str | None = None
    mid_stream: bool = False
    """True once the response headers arrived (a failure then is "mid-stream")."""
    result: Success | None = None
    failure: Failure | None = None
    request: dict[str, Any] | None = None
    """The request as sent (:func:`.wire.request_record`), once the SDK's objects told it."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """The failed response's headers worth showing (:func:`.wire.response_headers`)."""

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def request_kwargs(request: Request, carried: str) -> dict[str, Any]:
    """The ``messages.create`` arguments of one attempt (``stream`` aside)."""
    kwargs: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": request.messages(carried),
    }
    if request.system:
        kwargs["system"] = request.system
    if request.thinking is not None:
        kwargs["thinking"] = request.thinking
    if request.effort is not None:
        kwargs["output_config"] = {"effort": request.effort}
    if request.stop_sequences:
        kwargs["stop_sequences"] = list(request.stop_sequences)
    if request.temperature is not None:
        # anthropic 2.x has no ``temperature`` argument (its API version refuses sampling
        # parameters); a server that still takes one gets it in the body as before.
        kwargs["extra_body"] = {"temperature": request.temperature}
    return kwargs


def response_started(
    out: AttemptOutcome, attempt: int, response: Any, limits: dict[str, str], *, emit: Emit, now: Now
) -> None:
    """The headers of ``response`` (the stream's ``httpx2.Response``, or the SDK's
    ``AsyncAPIResponse`` without streaming) arrived: note the request id and
    emit ``response_start`` with ``limits`` (the rate-limit headers, read by the caller: a
    bug there is found where it is called) and the exchange for the inspector."""
    headers: Mapping[str, str] = response.headers
    out.request_id = headers.get("request-id")
    out.mid_stream = True
    sent = getattr(response, "http_request", None) or getattr(response, "request", None)
    out.request = wire.request_record(sent)
    emit(
        ResponseStart(
            t=now(),
            attempt=attempt,
            request_id=out.request_id,
            ratelimit=limits,
            status=getattr(response, "status_code", None),
            response_headers=wire.response_headers(headers),
            request=out.request,
        )
    )


def failed_before_response(out: AttemptOutcome, exc: BaseException) -> None:
    """Note the request (and the error response's headers) an SDK exception carries, for an
    attempt that failed before its ``response_start`` told them."""
    if not out.mid_stream:
        out.request, _status, out.response_headers = wire.exchange_of(exc)


@dataclass(frozen=True, slots=True)
class Finish:
    """How an answer ended, read from the response."""

    stop_reason: str
    input_tokens: int | None
    output_tokens: int | None
    first_at: float | None
    """When the first text arrived (run clock): the whole answer, without streaming."""


def succeeded(
    out: AttemptOutcome, attempt: int, carried: str, started: float, end: Finish, *, since: float, now: Now
) -> None:
    """Record the attempt's ``Success`` in ``out``.

    Speed is output tokens over the time since ``since``: the first token when streaming
    (the rate text arrived at), the attempt's start without (the rate of the whole wait).
    """
    finished = now()
    span = finished - since
    tokens = end.output_tokens if end.output_tokens is not None else max(1, len(out.text) // 4)
    out.result = Success(
        t=finished,
        attempt=attempt,
        text=carried + out.text,
        stop_reason=end.stop_reason,
        input_tokens=end.input_tokens,
        output_tokens=end.output_tokens,
        ttft=(end.first_at - started) if end.first_at is not None else None,
        tokens_per_s=(tokens / span) if span > 0 else None,
        request_id=out.request_id,
        elapsed=finished,
        thinking="".join(out.thoughts),
    )


def json_kind(value: object) -> str:
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


def token_count(usage: object, where: str, name: str) -> int | None:
    """A token count from ``usage`` (an object or a dict): optional (some compatible proxies
    leave usage out, and the answer is whole without it), but a whole number when there."""
    value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise MalformedResponse(f"{where}'s usage.{name} is {json_kind(value)}, not a whole number")
