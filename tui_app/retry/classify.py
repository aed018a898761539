"""Turn whatever an attempt raised into a ``Failure`` — by what happened, not by one class.

Failures reach us in several shapes: SDK ``APIStatusError`` subclasses before the stream,
``APIStatusError`` with status 200 for an SSE ``error`` event mid-stream, SDK
``APITimeoutError``/``APIConnectionError`` wrapping an ``httpx2`` exception before the
response, bare ``httpx2`` exceptions (``ReadTimeout``, ``ReadError``,
``RemoteProtocolError``) from inside the body iterator, and ``MalformedResponse`` where
``attempt.py`` found data no valid stream holds. Anything else is a bug: ``unexpected``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anthropic
import httpx2

from .failures import FailureKind, MalformedResponse, TruncatedResponse
from .statuses import (
    RETRYABLE_ERROR_TYPES,
    RETRYABLE_STATUS,
    WallClock,
    bounded,
    deadline_exceeded,
    parse_retry_after,
    parse_should_retry,
    ratelimit_headers,
    status_failure,
    transport_failure,
    truncated,
    utcnow,
)

if TYPE_CHECKING:
    from .failures import Failure

# Re-exported: the classifier's public names, wherever they are defined.
__all__ = [
    "RETRYABLE_ERROR_TYPES",
    "RETRYABLE_STATUS",
    "classify",
    "deadline_exceeded",
    "parse_retry_after",
    "parse_should_retry",
    "ratelimit_headers",
    "truncated",
]


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
    error_type, message = _body_error(exc.body)
    return status_failure(
        exc.status_code,
        headers,
        error_type,
        message or str(exc.message),
        streamed_chars=streamed_chars,
        mid_stream=mid_stream,
        request_id=headers.get("request-id") or getattr(exc, "request_id", None),
        now=now,
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
    now: WallClock = utcnow,
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
        return transport_failure(
            kind, message, streamed_chars=streamed_chars, mid_stream=mid_stream, request_id=request_id
        )

    if isinstance(cause, TruncatedResponse):
        return truncated(streamed_chars, request_id, str(cause))
    if isinstance(cause, _MALFORMED):
        what = str(cause)
        if isinstance(cause, httpx2.DecodingError):
            what = f"the body does not decode as its content-encoding says ({what})"
        return failure("malformed_stream", bounded(f"malformed response from the server: {what}"))
    transport = _transport_kind(cause)
    if transport is not None:
        return failure(*transport)
    return failure("unexpected", _bug_message(cause, report))


def _bug_message(exc: BaseException, report: BugReporter | None) -> str:
    """e.g. 'TypeError in claude-tui: ... — this is a bug, please report it with the crash
    log /…/crash-20260101-120000-42.log' (shown after the kind: 'unexpected: TypeError …')."""
    what = f"{type(exc).__name__} in claude-tui" + (f": {exc}" if str(exc) else "")
    if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: no bug to report
        return bounded(what)
    log = report(exc) if report is not None else None
    where = f" with the crash log {log}" if log else ""
    return f"{bounded(what)} — this is a bug, please report it{where}"
