"""A failure with a status or of the connection, as a ``Failure``: the SDK-free half of the classifier.

:mod:`.classify` takes apart what an attempt *raised* (SDK and ``httpx2`` exceptions) and
hands the facts it found here: a status, its headers and the body's error type, or the
kind of a connection failure. Whatever else needs a failure exactly as the wire gives it
(the policy lab, which simulates attempts without sockets or the SDK) calls the same
functions, so a 529 in the lab is classified as a 529 from the network is. No SDK import:
the lab and the policy module load it without the second it costs.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from .failures import Failure, FailureKind
from .policy import RETRYABLE_STATUS as RETRYABLE_STATUS  # re-exported: the classifier's own list

ERROR_TYPE_KIND: dict[str, FailureKind] = {
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
"""SSE/body error types -> failure kind (used for mid-stream ``error`` events)."""
RETRYABLE_ERROR_TYPES = frozenset({"overloaded_error", "rate_limit_error", "api_error", "timeout_error"})

WallClock = Callable[[], datetime]
MAX_MESSAGE_CHARS = 1000


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_retry_after(headers: Mapping[str, str], now: WallClock = utcnow) -> float | None:
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


def bounded(message: str) -> str:
    """Keep a failure message readable and storable: a 2 MB error body is not a message."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[:MAX_MESSAGE_CHARS]}… ({len(message) - MAX_MESSAGE_CHARS} more characters)"


def status_kind(status: int) -> FailureKind:
    if status == 429:
        return "rate_limited"
    if status == 529:
        return "overloaded"
    if status in (401, 403):
        return "auth_error"
    if status >= 500:
        return "server_error"
    return "client_error"


def status_retryable(
    status: int,
    error_type: str | None,
    *,
    mid_stream: bool,
    should_retry: bool | None,
    retry_statuses: frozenset[int] | tuple[int, ...] = RETRYABLE_STATUS,
) -> bool:
    """Whether a failure with a status is worth another attempt: ``x-should-retry`` when the
    server sent it, else (mid-stream) its error type, else its status."""
    if should_retry is not None:
        return should_retry
    if status == 200 or mid_stream:
        return error_type in RETRYABLE_ERROR_TYPES or error_type is None
    return status in retry_statuses


def status_failure(
    status: int,
    headers: Mapping[str, str],
    error_type: str | None,
    message: str,
    *,
    streamed_chars: int = 0,
    mid_stream: bool = False,
    request_id: str | None = None,
    now: WallClock = utcnow,
) -> Failure:
    """An error response (``status``), or an SSE ``error`` event (status 200 or ``mid_stream``:
    the body's ``error_type`` is the real one), with its hints read from ``headers``."""
    should_retry = parse_should_retry(headers)
    mid_stream = mid_stream or status == 200
    kind = ERROR_TYPE_KIND.get(error_type or "", "stream_error") if mid_stream else status_kind(status)
    return Failure(
        kind=kind,
        retryable=status_retryable(status, error_type, mid_stream=mid_stream, should_retry=should_retry),
        message=bounded(message),
        status=status,
        error_type=error_type,
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=mid_stream,
        retry_after=parse_retry_after(headers, now),
        should_retry=should_retry,
        headers=ratelimit_headers(headers),
    )


def transport_failure(
    kind: FailureKind, message: str, *, streamed_chars: int = 0, mid_stream: bool = False, request_id: str | None = None
) -> Failure:
    """A failure of the connection itself (or of the data on it): retryable unless a bug."""
    return Failure(
        kind=kind,
        retryable=kind != "unexpected",
        message=message,
        request_id=request_id,
        streamed_chars=streamed_chars,
        mid_stream=mid_stream,
    )


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
