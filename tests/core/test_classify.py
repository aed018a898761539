"""Every shape a failure arrives in maps to one named kind with the right retry verdict."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import anthropic
import httpx2
import pytest

from tests.core.fakes import URL, sse_error, status_error
from tui_app.retry.classify import classify, parse_retry_after, parse_should_retry
from tui_app.retry.failures import MalformedResponse, TruncatedResponse


@pytest.mark.parametrize(
    "status, error_type, kind, retryable",
    [
        (400, "invalid_request_error", "client_error", False),
        (401, "authentication_error", "auth_error", False),
        (403, "permission_error", "auth_error", False),
        (404, "not_found_error", "client_error", False),
        (408, "timeout_error", "client_error", True),
        (409, "invalid_request_error", "client_error", True),
        (413, "request_too_large", "client_error", False),
        (429, "rate_limit_error", "rate_limited", True),
        (500, "api_error", "server_error", True),
        (502, "api_error", "server_error", True),
        (503, "api_error", "server_error", True),
        (504, "timeout_error", "server_error", True),
        (529, "overloaded_error", "overloaded", True),
    ],
)
def test_status_errors(status, error_type, kind, retryable):
    failure = classify(status_error(status, error_type))
    assert (failure.kind, failure.retryable, failure.status, failure.error_type) == (
        kind,
        retryable,
        status,
        error_type,
    )
    assert failure.request_id == f"req_{status}" and not failure.mid_stream


def test_headers_carried_on_the_failure():
    exc = status_error(429, "rate_limit_error", {"retry-after": "2", "anthropic-ratelimit-requests-remaining": "0"})
    failure = classify(exc)
    assert failure.retry_after == 2.0
    assert failure.headers == {"anthropic-ratelimit-requests-remaining": "0"}


@pytest.mark.parametrize(
    "error_type, kind, retryable",
    [
        ("overloaded_error", "overloaded", True),
        ("rate_limit_error", "rate_limited", True),
        ("api_error", "server_error", True),
        ("invalid_request_error", "client_error", False),
        ("brand_new_error", "stream_error", False),
    ],
)
def test_sse_error_events(error_type, kind, retryable):
    failure = classify(sse_error(error_type), streamed_chars=12, mid_stream=True)
    assert (failure.kind, failure.retryable, failure.status, failure.mid_stream) == (kind, retryable, 200, True)
    assert failure.streamed_chars == 12


def _wrapped(wrapper, cause):
    try:
        try:
            raise cause
        except Exception as inner:
            raise wrapper(request=httpx2.Request("POST", URL)) from inner
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    "exc, kind",
    [
        (_wrapped(anthropic.APITimeoutError, httpx2.ConnectTimeout("c")), "connect_timeout"),
        (_wrapped(anthropic.APITimeoutError, httpx2.ReadTimeout("r")), "read_timeout"),
        (_wrapped(anthropic.APITimeoutError, httpx2.WriteTimeout("w")), "write_timeout"),
        (_wrapped(anthropic.APITimeoutError, httpx2.PoolTimeout("p")), "pool_timeout"),
        (_wrapped(anthropic.APIConnectionError, httpx2.ConnectError("refused")), "connect_failed"),
        (_wrapped(anthropic.APIConnectionError, httpx2.RemoteProtocolError("closed")), "connection_reset"),
        (httpx2.ReadTimeout("stall"), "read_timeout"),
        (httpx2.ReadError("reset"), "connection_reset"),
        (httpx2.RemoteProtocolError("incomplete"), "connection_reset"),
        (anthropic.APIConnectionError(request=httpx2.Request("POST", URL)), "connection_reset"),
        (MalformedResponse("a message_delta event came without its delta"), "malformed_stream"),
        (httpx2.DecodingError("invalid gzip"), "malformed_stream"),
        (
            anthropic.APIResponseValidationError(httpx2.Response(200, request=httpx2.Request("POST", URL)), None),
            "malformed_stream",
        ),
        (_wrapped(anthropic.APIConnectionError, httpx2.DecodingError("invalid gzip")), "malformed_stream"),
        (TruncatedResponse("stream ended before message_stop"), "truncated_stream"),
    ],
)
def test_transport_and_parse_failures_are_retryable(exc, kind):
    failure = classify(exc)
    assert failure.kind == kind and failure.retryable


def test_unknown_exception_is_shown_not_retried():
    failure = classify(RuntimeError("boom"))
    assert failure.kind == "unexpected" and not failure.retryable and "boom" in failure.message


def test_malformed_data_says_what_was_wrong():
    failure = classify(MalformedResponse("a text_delta event's text is a number, not a string"), mid_stream=True)
    assert failure.message == "malformed response from the server: a text_delta event's text is a number, not a string"


# Our own bugs, whatever they look like and wherever they happen: before the response,
# mid-stream (where the old classifier called them a malformed stream), or inside a
# transport hook the SDK wraps as a connection error.
BUGS = [
    TypeError("unsupported operand type(s) for /: 'str' and 'float'"),
    KeyError("output_tokens"),
    AttributeError("'NoneType' object has no attribute 'stop_reason'"),
    ValueError("not enough values to unpack"),
    json.JSONDecodeError("Expecting value", "x", 0),  # not from the SDK's iterator: ours
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
]


@pytest.mark.parametrize("bug", BUGS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("mid_stream", [False, True], ids=["before", "mid_stream"])
def test_our_own_bug_is_unexpected_never_malformed(bug, mid_stream):
    reported = []
    failure = classify(bug, mid_stream=mid_stream, streamed_chars=5, report=lambda e: reported.append(e) or "/x.log")
    assert (failure.kind, failure.retryable) == ("unexpected", False)
    assert failure.message.startswith(f"{type(bug).__name__} in claude-tui: ")
    assert failure.message.endswith("— this is a bug, please report it with the crash log /x.log")
    assert reported == [bug] and failure.mid_stream is mid_stream and failure.streamed_chars == 5


def test_a_bug_the_sdk_wrapped_as_a_connection_error_is_named_by_its_own_type():
    failure = classify(_wrapped(anthropic.APIConnectionError, KeyError("request-id")), report=lambda e: None)
    assert failure.kind == "unexpected" and failure.message.startswith("KeyError in claude-tui: ")
    assert failure.message.endswith("— this is a bug, please report it")  # no crash log could be written


def test_only_bugs_are_reported():
    reported = []
    for exc in (MalformedResponse("x"), httpx2.ReadError("reset"), status_error(529, "overloaded_error")):
        classify(exc, mid_stream=True, report=reported.append)
    assert reported == []


def test_retry_after_forms():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = (now + timedelta(seconds=7)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after": later}, now=lambda: now) == pytest.approx(7.0)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"retry-after-ms": "nan", "retry-after": "1"}) == 1.0
    assert parse_retry_after({}) is None


def test_should_retry_header():
    assert parse_should_retry({"x-should-retry": "true"}) is True
    assert parse_should_retry({"x-should-retry": "FALSE"}) is False
    assert parse_should_retry({"x-should-retry": "maybe"}) is None
