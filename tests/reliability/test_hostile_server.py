"""A hostile or broken server against the retry core: bytes no valid API would send.

For each response: the run ends in exactly one outcome with a classified failure (never a
crash), harmless oddities (comments, CRLF, unknown events) still give the exact answer,
the session records every event, and what ``claude-tui run`` prints about it is one
escaped, bounded line per event whatever the server put in its error message.
"""

from __future__ import annotations

import io

import pytest

from tui_app.client import build_client
from tui_app.headless import HeadlessPrinter
from tui_app.retry.events import TERMINAL_TYPES
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.safe_text import MAX_LINE
from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator.sse import frame
from tui_app.store.sessions import SessionStore
from tui_app.timeouts import Timeouts

from .raw_http import Canned, error_json, message_stream

TEXT = "Hello from a strange server"
POLICY = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.002, deadline=10)
DELTA = b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"%s"}}\n\n'


def _with(extra: bytes) -> Canned:
    return Canned(message_stream(TEXT, extra=extra))


def _replacing(old: bytes, new: bytes) -> Canned:
    body = message_stream(TEXT)
    assert old in body
    return Canned(body.replace(old, new))


def _delta(delta: object) -> Canned:
    return _with(frame("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}))


MALFORMED = ("give_up", "malformed_stream", True)


JSON = "application/json"
# name -> (response, outcome, failure kind or None, retryable)
CASES = {
    "sse_comment": (_with(b": keep-alive\n\n:\n\n"), "success", None, None),
    "unknown_event_type": (_with(frame("future_event", {"type": "future_event", "x": [1]})), "success", None, None),
    "event_without_type_field": (_with(b'event: content_block_delta\ndata: {"index":0}\n\n'), "success", None, None),
    "crlf_line_ends": (Canned(message_stream(TEXT, line_end=b"\r\n")), "success", None, None),
    "cr_line_ends": (Canned(message_stream(TEXT, line_end=b"\r")), "success", None, None),
    "bad_json": (_with(b"event: content_block_delta\ndata: {not json\n\n"), "give_up", "malformed_stream", True),
    "delta_without_text": (
        _with(
            frame("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}})
        ),
        "give_up",
        "malformed_stream",
        True,
    ),
    "invalid_utf8_in_data": (_with(DELTA % b"\xff\xfe"), "give_up", "malformed_stream", True),
    "invalid_utf8_event_name": (_with(b"event: \xff\ndata: {}\n\n"), "give_up", "malformed_stream", True),
    # Fields of the wrong JSON type: each caught where it is read, never a TypeError later.
    "data_is_an_array": (_with(b"event: content_block_delta\ndata: [1, 2]\n\n"), *MALFORMED),
    "delta_is_a_string": (_delta("abc"), *MALFORMED),
    "delta_without_type": (_delta({"text": "x"}), *MALFORMED),
    "text_is_a_number": (_delta({"type": "text_delta", "text": 5}), *MALFORMED),
    "unknown_delta_type": (_delta({"type": "future_delta", "x": 1}), "success", None, None),
    "output_tokens_is_a_string": (_replacing(b'"output_tokens":2}', b'"output_tokens":"two"}'), *MALFORMED),
    "stop_reason_is_a_number": (_replacing(b'"stop_reason":"end_turn"', b'"stop_reason":7'), *MALFORMED),
    "message_delta_without_delta": (
        _replacing(b'"delta":{"stop_reason":"end_turn","stop_sequence":null},', b""),
        *MALFORMED,
    ),
    "message_stop_without_stop_reason": (_replacing(b'"stop_reason":"end_turn"', b'"stop_reason":null'), *MALFORMED),
    "content_encoding_that_does_not_decode": (
        Canned(message_stream(TEXT), headers=(("content-encoding", "gzip"),)),
        *MALFORMED,
    ),
    "sse_error_of_unknown_type": (
        _with(frame("error", {"type": "error", "error": {"type": "quantum_error", "message": "boom"}})),
        "give_up",
        "stream_error",
        False,
    ),
    "sse_error_without_error": (_with(frame("error", {"type": "error"})), "give_up", "stream_error", True),
    "html_with_status_200": (
        Canned(b"<html><body>Welcome to the captive portal</body></html>", content_type="text/html"),
        "give_up",
        "truncated_stream",
        True,
    ),
    "json_with_status_200": (Canned(b'{"hello": "world"}', content_type=JSON), "give_up", "truncated_stream", True),
    "empty_200": (Canned(b""), "give_up", "truncated_stream", True),
    "html_502_with_escapes": (
        Canned(b"<html>Bad gateway \x1b]52;c;SGk=\x07\x1b[2J</html>", status=502, content_type="text/html"),
        "give_up",
        "server_error",
        True,
    ),
    "unknown_error_type_500": (
        Canned(error_json("quantum_error", "boom"), status=500, content_type=JSON),
        "give_up",
        "server_error",
        True,
    ),
    "unknown_status_418": (
        Canned(error_json("teapot_error", "short and stout"), status=418, content_type=JSON),
        "give_up",
        "client_error",
        False,
    ),
    "huge_error_body": (
        Canned(error_json("overloaded_error", "x" * 2_000_000), status=529, content_type=JSON),
        "give_up",
        "overloaded",
        True,
    ),
    "escapes_in_error_message": (
        Canned(error_json("overloaded_error", "busy \x1b]52;c;SGk=\x07\x1b[2J\x9b6n"), status=529, content_type=JSON),
        "give_up",
        "overloaded",
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_hostile_response(raw_server, name):
    response, outcome, kind, retryable = CASES[name]
    server = await raw_server(response)
    client = build_client(Timeouts(connect=2, read=2, write=2, pool=2), api_key="k", base_url=server.base_url)
    events = []
    with SessionStore.open() as store:
        with store.start_session(prompt="p", model=DEFAULT_MODEL) as recorder:
            try:
                async for event in RetryRun(
                    Request(prompt="p", model=DEFAULT_MODEL), client=client, policy=POLICY
                ).events():
                    recorder.record(event)
                    events.append(event)
            finally:
                await client.close()
        detail = store.get_session(recorder.session_id)
    assert [e.type in TERMINAL_TYPES for e in events].count(True) == 1 and events[-1].type == outcome
    assert [e.to_dict() for e in detail.events] == [e.to_dict() for e in events]
    if outcome == "success":
        assert events[-1].text == TEXT and detail.status == "ok"
    else:
        failures = [e.failure for e in events if e.type == "attempt_error"]
        assert {(f.kind, f.retryable) for f in failures} == {(kind, retryable)}
        assert len(failures) == (POLICY.max_attempts if retryable else 1) and detail.status == "failed"
    _assert_printed_safely(events)


def _assert_printed_safely(events) -> None:
    """What ``claude-tui run`` writes on stderr for these events: clean, bounded lines."""
    stderr = io.StringIO()
    printer = HeadlessPrinter(
        stdout=io.StringIO(), stderr=stderr, quiet=False, answer_to_stdout=True, max_attempts=POLICY.max_attempts
    )
    for event in events:
        printer.handle(event)
    for line in stderr.getvalue().splitlines():
        assert line.startswith("claude-tui: ") and len(line) < MAX_LINE + 200
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line), repr(line[:300])
