"""Regressions found by the hostile-input work: malformed events, huge error bodies, bad keys."""

from __future__ import annotations

import pytest

from tests.reliability.raw_http import Canned, RawServer, error_json, message_stream
from tui_app.client import build_client
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import Simulator
from tui_app.simulator.sse import frame
from tui_app.timeouts import Timeouts

MARKER = "sk-ant-TESTMARKER-abcd1234"


async def _failures(canned, api_key="k", base_url=None):
    return [e.failure for e in await _events(canned, api_key, base_url) if e.type == "attempt_error"]


async def _events(canned, api_key="k", base_url=None):
    server = await RawServer([canned]).start() if canned else None
    client = build_client(
        Timeouts(connect=2, read=2, write=2, pool=2), api_key=api_key, base_url=base_url or server.base_url
    )
    try:
        events = [
            e
            async for e in RetryRun(
                Request(prompt="p", model=DEFAULT_MODEL),
                client=client,
                policy=RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.002),
            ).events()
        ]
    finally:
        await client.close()
        if server:
            await server.close()
    return events


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body, missing",
    [
        (message_stream("Hi there").replace(b',"usage":{"output_tokens":2}', b""), "output_tokens"),
        (message_stream("Hi there").replace(b',"usage":{"input_tokens":3,"output_tokens":1}', b""), "input_tokens"),
    ],
    ids=["message_delta_without_usage", "message_start_without_usage"],
)
async def test_an_answer_without_token_counts_is_kept(body, missing):
    """Usage is metadata: some Anthropic-compatible proxies leave it out. The answer is whole
    (stop reason + message_stop), so it is delivered with the count unknown, not retried."""
    events = await _events(Canned(body))
    success = events[-1]
    assert success.type == "success" and success.text == "Hi there", success
    assert getattr(success, missing) is None
    assert not [e for e in events if e.type == "attempt_error"]


@pytest.mark.asyncio
async def test_a_delta_without_its_delta_is_a_malformed_stream_not_unexpected():
    body = message_stream("Hi there", extra=frame("content_block_delta", {"type": "content_block_delta", "index": 0}))
    failures = await _failures(Canned(body))
    assert {(f.kind, f.retryable) for f in failures} == {("malformed_stream", True)}, failures[0]
    assert "without its delta" in failures[0].message


@pytest.mark.asyncio
async def test_a_huge_error_body_is_not_kept_whole():
    [first, *_] = await _failures(
        Canned(error_json("overloaded_error", "x" * 2_000_000), status=529, content_type="application/json")
    )
    assert len(first.message) <= 2000


@pytest.mark.asyncio
async def test_a_key_with_a_line_break_never_lands_in_a_failure_message():
    with Simulator("happy") as sim:
        with pytest.raises(ValueError) as refused:
            await _failures(None, api_key=MARKER + "\r", base_url=sim.base_url)
    assert MARKER not in str(refused.value) and "sk-ant-…1234" in str(refused.value)
