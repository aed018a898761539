"""An attempt without streaming: one ``messages.create``, the whole answer in one response.

The events keep the stream's contract (``first_token`` and one ``text`` with the whole
answer, then ``success``), and what can go wrong with the one body is told apart: cut off
(``truncated_stream``), not JSON or not a Message (``malformed_stream``), both retried.
"""

from __future__ import annotations

import httpx2
import pytest

from tests.core.fakes import status_error
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun

from .conftest import Answer, message

REQ = Request(prompt="hello", model="claude-sonnet-5-5", max_tokens=50, system="Be brief.", stream=False)


async def _events(client, fake_time, attempts=3):
    policy = RetryPolicy(max_attempts=attempts, base_delay=0.1, max_delay=0.2)
    run = RetryRun(REQ, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep)
    return [e async for e in run.events()]


async def test_one_response_gives_the_stream_contract(whole_client, fake_time):
    client = whole_client(Answer(takes=4.0))
    events = await _events(client, fake_time)

    assert [e.type for e in events] == [
        "run_start",
        "attempt_start",
        "response_start",
        "first_token",
        "text",
        "success",
    ]
    assert events[0].stream is False
    [call] = client.calls
    assert call == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 50,
        "messages": [{"role": "user", "content": "hello"}],
        "system": "Be brief.",
    }
    response, first, text, success = events[2:]
    assert response.request_id == "req_1" and response.ratelimit == {"anthropic-ratelimit-requests-remaining": "7"}
    assert text.text == success.text == "Hello there"
    assert first.ttft == pytest.approx(4.0) and success.ttft == pytest.approx(4.0)
    assert (success.stop_reason, success.input_tokens, success.output_tokens) == ("end_turn", 3, 5)
    assert success.tokens_per_s == pytest.approx(5 / 4.0)  # over the whole wait, not an instant
    assert success.request_id == "req_1"


async def test_only_text_blocks_make_the_answer(whole_client, fake_time):
    content = [
        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
        {"type": "text", "text": "Hel"},
        {"type": "text", "text": "lo"},
    ]
    events = await _events(whole_client(Answer(body=message(content=content))), fake_time)
    assert events[-1].type == "success" and events[-1].text == "Hello"


async def test_an_empty_answer_is_a_success_without_text_events(whole_client, fake_time):
    events = await _events(whole_client(Answer(body=message(content=[]))), fake_time)
    assert [e.type for e in events][-2:] == ["response_start", "success"] and events[-1].text == ""


BAD_BODIES = [
    (b'{"type": "message", "content": [{"type": "te', "truncated", "not valid JSON"),
    (b"\xff\xfe not utf-8", "utf-8", "not valid UTF-8"),
    (b"[1, 2]", "array", "is an array, not a JSON object"),
    (message(type="error"), "not a message", 'not a message (its type is "error")'),
    (message(content="Hello"), "content", "content is a string, not an array"),
    (message(content=[{"text": "x"}]), "block type", "content[0] has no type"),
    (message(content=[{"type": "text", "text": 7}]), "block text", "content[0].text is a number, not a string"),
    (message(stop_reason=None), "no stop reason", "stop_reason is null, not a stop reason"),
    (message(usage={"output_tokens": "5"}), "usage", "usage.output_tokens is a string, not a whole number"),
]


@pytest.mark.parametrize("body, _name, problem", BAD_BODIES, ids=[name for _, name, _ in BAD_BODIES])
async def test_a_body_no_message_holds_is_malformed_and_retried(whole_client, fake_time, body, _name, problem):
    client = whole_client(Answer(body=body), Answer())
    events = await _events(client, fake_time)

    [error] = [e for e in events if e.type == "attempt_error"]
    assert (error.failure.kind, error.failure.retryable, error.failure.mid_stream) == ("malformed_stream", True, True)
    assert problem in error.failure.message and error.failure.request_id == "req_1"
    assert events[-1].type == "success" and len(client.calls) == 2


async def test_a_body_cut_off_is_a_truncated_answer_and_retried(whole_client, fake_time):
    cut = httpx2.RemoteProtocolError("peer closed connection without sending complete message body")
    client = whole_client(Answer(on_read=cut), Answer())
    events = await _events(client, fake_time)

    [error] = [e for e in events if e.type == "attempt_error"]
    assert (error.failure.kind, error.failure.retryable) == ("truncated_stream", True)
    assert "cut off" in error.failure.message and events[-1].type == "success"


@pytest.mark.parametrize(
    "raised, kind",
    [
        (httpx2.ReadTimeout("timed out"), "read_timeout"),
        (httpx2.ReadError("reset"), "connection_reset"),
    ],
)
async def test_the_connection_failing_while_the_body_comes_is_classified_as_in_a_stream(
    whole_client, fake_time, raised, kind
):
    events = await _events(whole_client(Answer(on_read=raised), Answer()), fake_time)
    [error] = [e for e in events if e.type == "attempt_error"]
    assert (error.failure.kind, error.failure.retryable, error.failure.mid_stream) == (kind, True, True)


async def test_status_errors_before_the_answer_are_classified_as_for_a_stream(whole_client, fake_time):
    client = whole_client(Answer(before=status_error(529, "overloaded_error")), Answer(before=status_error(400, "x")))
    events = await _events(client, fake_time)

    errors = [e.failure for e in events if e.type == "attempt_error"]
    assert [(f.kind, f.status, f.retryable, f.mid_stream) for f in errors] == [
        ("overloaded", 529, True, False),
        ("client_error", 400, False, False),
    ]
    assert events[-1].type == "give_up" and events[-1].reason == "non_retryable"
