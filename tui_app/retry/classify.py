"""Turn whatever an attempt raised into a ``Failure`` — by what happened, not by one class.

Failures reach us in several shapes: SDK ``APIStatusError`` subclasses before the stream,
``APIStatusError`` with status 200 for an SSE ``error`` event mid-stream, SDK
``APITimeoutError``/``APIConnectionError`` wrapping an ``httpx2`` exception before the
response, and bare ``httpx2`` exceptions (``ReadTimeout``, ``ReadError``,
``RemoteProtocolError``) or ``json`` errors raised from inside the body iterator.
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import anthropic
import httpx2

from .failures import Failure, FailureKind

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
_RETRYABLE_ERROR_TYPES = frozenset({"overloaded_error", "rate_limit_error", "api_error", "timeout_error"})

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
        retryable = error_type in _RETRYABLE_ERROR_TYPES or error_type is None
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


def _transport_kind(exc: BaseException) -> tuple[FailureKind, str]:
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
    return "unexpected", f"{type(exc).__name__}: {exc}"


def classify(
    exc: BaseException,
    *,
    streamed_chars: int = 0,
    mid_stream: bool = False,
    request_id: str | None = None,
    now: WallClock = _utcnow,
) -> Failure:
    """Classify any exception an attempt raised into a ``Failure``."""
    if isinstance(exc, anthropic.APIStatusError):
        return _from_status_error(exc, streamed_chars, mid_stream, now)
    cause: BaseException = exc
    if isinstance(exc, (anthropic.APITimeoutError, anthropic.APIConnectionError)) and exc.__cause__ is not None:
        cause = exc.__cause__
    elif isinstance(exc, anthropic.APITimeoutError):
        cause = httpx2.ReadTimeout("timed out")
    if (
        isinstance(cause, (json.JSONDecodeError, UnicodeDecodeError))
        or (
            isinstance(exc, (anthropic.APIResponseValidationError, ValueError, KeyError, TypeError))
            and not isinstance(cause, OSError)
        )
        or (mid_stream and isinstance(exc, AttributeError))
    ):
        # AttributeError mid-stream: the SDK builds stream events without validating them,
        # so an event missing a field we read (e.g. a message_delta without its delta)
        # fails on access — a malformed stream, not a bug of ours.
        return Failure(
            kind="malformed_stream",
            retryable=True,
            message=f"could not parse the response ({type(exc).__name__}: {str(exc)[:200]})",
            request_id=request_id,
            streamed_chars=streamed_chars,
            mid_stream=mid_stream,
        )
    kind, message = _transport_kind(cause)
    return Failure(
        kind=kind,
        retryable=kind != "unexpected",
        message=message,
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=mid_stream,
    )


def truncated(streamed_chars: int, request_id: str | None) -> Failure:
    """The body ended without ``message_stop``: a truncated answer, never a success."""
    return Failure(
        kind="truncated_stream",
        retryable=True,
        message="stream ended before message_stop",
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
