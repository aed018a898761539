"""Turn whatever an attempt raised into a ``Failure`` — by what happened, not by one class.

Failures reach us in several shapes: SDK ``APIStatusError`` subclasses before the stream,
``APIStatusError`` with status 200 for an SSE ``error`` event mid-stream, SDK
``APITimeoutError``/``APIConnectionError`` wrapping an ``httpx2`` exception before the
response, bare ``httpx2`` exceptions (``ReadTimeout``, ``ReadError``,
``RemoteProtocolError``) from inside the body iterator, and ``MalformedResponse`` where
``attempt.py`` found data no valid stream holds. Anything else is a bug: ``unexpected``.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import anthropic
import httpx2

from .failures import Failure, FailureKind, MalformedResponse, TruncatedResponse

# Status codes worth another attempt (the API's own advice plus 408/409).
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})

# SSE/body error types -> failure kind (used for mid-stream `error` events).
_ERROR_TYPE_KIND: dict[str, FailureKind] = {
    "overloaded_error": "overloaded",
    "rate_limit_error": "rate_limited",
    "api_error": "server_error",
    "timeout_error": "server_error",
    "authentication_error": "auth_error",
    "permission_error": "auth_error",
    "invalid_request_error": "client_error",
    "not_found_error": "client_error",
    "request_too_large": "client_error",
}
RETRYABLE_ERROR_TYPES = frozenset({"overloaded_error", "rate_limit_error", "api_error", "timeout_error"})
"""The `error.type`s of an SSE `error` event that are worth another attempt (the generated code
retries the same: ``codegen``)."""

WallClock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def parse_retry_after(headers: Mapping[str, str], now: WallClock = _utcnow) -> float | None:
    """Seconds the server asks us to wait: ``retry-after-ms``, then ``retry-after`` as
    seconds or as an HTTP date (the one place a wall clock is right: the date is wall time)."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000
            if math.isfinite(value) and value >= 0:
                return value
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def parse_should_retry(headers: Mapping[str, str]) -> bool | None:
    raw = headers.get("x-should-retry")
    if raw is None:
        return None
    lowered = raw.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


def ratelimit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The ``anthropic-ratelimit-*`` headers, for the rate-limit display."""
    return {k.lower(): v for k, v in headers.items() if k.lower().startswith("anthropic-ratelimit-")}


MAX_MESSAGE_CHARS = 1000


def _bounded(message: str) -> str:
    """Keep a failure message readable and storable: a 2 MB error body is not a message."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[:MAX_MESSAGE_CHARS]}… ({len(message) - MAX_MESSAGE_CHARS} more characters)"


def _status_kind(status: int) -> FailureKind:
    if status == 429:
        return "rate_limited"
    if status == 529:
        return "overloaded"
    if status in (401, 403):
        return "auth_error"
    if status >= 500:
        return "server_error"
    return "client_error"


def _body_error(body: Any) -> tuple[str | None, str | None]:
    """(error type, message) from an Anthropic error body, tolerating odd shapes."""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            etype, msg = err.get("type"), err.get("message")
            return (etype if isinstance(etype, str) else None, msg if isinstance(msg, str) else None)
    return None, None


def _from_status_error(exc: anthropic.APIStatusError, streamed_chars: int, mid_stream: bool, now: WallClock) -> Failure:
    headers = exc.response.headers
    status = exc.status_code
    error_type, message = _body_error(exc.body)
    should_retry = parse_should_retry(headers)
    request_id = headers.get("request-id") or getattr(exc, "request_id", None)
    if status == 200 or mid_stream:
        # An SSE `error` event: the HTTP status was 200, the body carries the real type.
        kind = _ERROR_TYPE_KIND.get(error_type or "", "stream_error")
        retryable = error_type in RETRYABLE_ERROR_TYPES or error_type is None
        mid_stream = True
    else:
        kind = _status_kind(status)
        retryable = status in RETRYABLE_STATUS
    if should_retry is not None:
        retryable = should_retry
    return Failure(
        kind=kind,
        retryable=retryable,
        message=_bounded(message or str(exc.message)),
        status=status,
        error_type=error_type,
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=mid_stream,
        retry_after=parse_retry_after(headers, now),
        should_retry=should_retry,
        headers=ratelimit_headers(headers),
    )


def _transport_kind(exc: BaseException) -> tuple[FailureKind, str] | None:
    """The kind of a failure of the connection itself; None when ``exc`` is no such failure."""
    if isinstance(exc, httpx2.ConnectTimeout):
        return "connect_timeout", "connect timed out"
    if isinstance(exc, httpx2.ReadTimeout):
        return "read_timeout", "no data within the read timeout"
    if isinstance(exc, httpx2.WriteTimeout):
        return "write_timeout", "request could not be sent within the write timeout"
    if isinstance(exc, httpx2.PoolTimeout):
        return "pool_timeout", "no free connection within the pool timeout"
    if isinstance(exc, httpx2.TimeoutException):
        return "read_timeout", "timed out"
    if isinstance(exc, httpx2.ConnectError):
        return "connect_failed", f"could not connect ({exc})" if str(exc) else "could not connect"
    if isinstance(exc, (httpx2.ReadError, httpx2.RemoteProtocolError, httpx2.WriteError, httpx2.CloseError)):
        return "connection_reset", "connection closed or reset by the server"
    if isinstance(exc, (ConnectionError, OSError)):
        return "connection_reset", str(exc) or type(exc).__name__
    if type(exc) is anthropic.APIConnectionError:  # the SDK's own, with no cause to tell more
        return "connection_reset", str(exc) or "connection error"
    return None


# Malformed data from the server, and nothing else: our parser's own exception, the SDK's
# check of a response against its schema, and httpx's failure to decode the body's
# content-encoding. A TypeError or KeyError is never here: from our code it is a bug.
_MALFORMED = (MalformedResponse, anthropic.APIResponseValidationError, httpx2.DecodingError)

BugReporter = Callable[[BaseException], str | None]
"""Writes the full report of a bug somewhere and returns where (a crash log's path)."""


def classify(
    exc: BaseException,
    *,
    streamed_chars: int = 0,
    mid_stream: bool = False,
    request_id: str | None = None,
    now: WallClock = _utcnow,
    report: BugReporter | None = None,
) -> Failure:
    """Classify any exception an attempt raised into a ``Failure``.

    What is neither an API error, nor a connection failure, nor malformed data is an
    ``unexpected`` failure: a bug, never retried. ``report`` (called for those only)
    writes its traceback and returns where, for the message to point at.
    """
    if isinstance(exc, anthropic.APIStatusError):
        return _from_status_error(exc, streamed_chars, mid_stream, now)
    cause: BaseException = exc
    if isinstance(exc, (anthropic.APITimeoutError, anthropic.APIConnectionError)) and exc.__cause__ is not None:
        cause = exc.__cause__  # the SDK wraps whatever the request raised, our own bugs too
    elif isinstance(exc, anthropic.APITimeoutError):
        cause = httpx2.ReadTimeout("timed out")

    def failure(kind: FailureKind, message: str) -> Failure:
        return Failure(
            kind=kind,
            retryable=kind != "unexpected",
            message=message,
            request_id=request_id,
            streamed_chars=streamed_chars,
            mid_stream=mid_stream,
        )

    if isinstance(cause, TruncatedResponse):
        return truncated(streamed_chars, request_id, str(cause))
    if isinstance(cause, _MALFORMED):
        what = str(cause)
        if isinstance(cause, httpx2.DecodingError):
            what = f"the body does not decode as its content-encoding says ({what})"
        return failure("malformed_stream", _bounded(f"malformed response from the server: {what}"))
    transport = _transport_kind(cause)
    if transport is not None:
        return failure(*transport)
    return failure("unexpected", _bug_message(cause, report))


def _bug_message(exc: BaseException, report: BugReporter | None) -> str:
    """e.g. 'TypeError in claude-tui: ... — this is a bug, please report it with the crash
    log /…/crash-20260101-120000-42.log' (shown after the kind: 'unexpected: TypeError …')."""
    what = f"{type(exc).__name__} in claude-tui" + (f": {exc}" if str(exc) else "")
    if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: no bug to report
        return _bounded(what)
    log = report(exc) if report is not None else None
    where = f" with the crash log {log}" if log else ""
    return f"{_bounded(what)} — this is a bug, please report it{where}"


def truncated(
    streamed_chars: int, request_id: str | None, message: str = "stream ended before message_stop"
) -> Failure:
    """The body ended without ``message_stop``: a truncated answer, never a success."""
    return Failure(
        kind="truncated_stream",
        retryable=True,
        message=message,
        status=200,
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=True,
    )


def deadline_exceeded(streamed_chars: int, request_id: str | None, deadline: float) -> Failure:
    return Failure(
        kind="deadline_exceeded",
        retryable=False,
        message=f"the {deadline:.1f} s deadline ran out during the attempt",
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=streamed_chars > 0,
    )
