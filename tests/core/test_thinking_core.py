"""Thinking in the retry core: ``thinking`` events apart from the answer, a redacted block,
malformed thinking deltas, and the request's thinking/effort/temperature/stop arguments."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.core.fakes import FakeClient, Step
from tui_app.capabilities import ModelCaps, thinking_param
from tui_app.retry.outcome import request_kwargs
from tui_app.retry.runner import Request, RetryRun


def thought(text: object) -> SimpleNamespace:
    return SimpleNamespace(
        type="content_block_delta", index=0, delta=SimpleNamespace(type="thinking_delta", thinking=text)
    )


SIGNATURE = SimpleNamespace(
    type="content_block_delta", index=0, delta=SimpleNamespace(type="signature_delta", signature="c2ln")
)
REDACTED = SimpleNamespace(
    type="content_block_start", index=0, content_block=SimpleNamespace(type="redacted_thinking", data="x")
)
REQ = Request(prompt="hello", model="test-model-a", max_tokens=50, thinking={"type": "adaptive"})


async def test_thinking_events_come_apart_from_the_answer_text(fake_time):
    client = FakeClient([Step(chunks=[thought("Let me "), thought("see."), SIGNATURE, "Hel", "lo"])])
    events = [e async for e in RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep).events()]
    assert [e.type for e in events] == [
        "run_start", "attempt_start", "response_start", "thinking", "thinking", "first_token", "text", "text", "success",
    ]  # fmt: skip
    assert "".join(e.text for e in events if e.type == "thinking") == "Let me see."
    assert events[-1].text == "Hello" and events[-1].thinking == "Let me see."
    assert client.calls[0]["thinking"] == {"type": "adaptive"}


async def test_a_redacted_block_is_one_thinking_event_without_text(fake_time):
    client = FakeClient([Step(chunks=[REDACTED, "Hi"])])
    events = [e async for e in RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep).events()]
    [redacted] = [e for e in events if e.type == "thinking"]
    assert (redacted.text, redacted.redacted) == ("", True) and events[-1].text == "Hi"


@pytest.mark.parametrize(("value", "wording"), [(None, "came without its thinking"), (3, "thinking of a number")])
async def test_a_malformed_thinking_delta_is_a_malformed_stream(fake_time, value, wording):
    client = FakeClient([Step(chunks=[thought(value)])] * 4)
    events = [e async for e in RetryRun(REQ, client=client, clock=fake_time.clock, sleep=fake_time.sleep).events()]
    error = next(e for e in events if e.type == "attempt_error")
    assert error.failure.kind == "malformed_stream" and wording in error.failure.message


def test_the_request_carries_each_setting_as_the_sdk_takes_it():
    request = Request(
        prompt="p", model="m", thinking={"type": "enabled", "budget_tokens": 2048}, effort="high",
        temperature=0.2, stop_sequences=("X", "Y"),
    )  # fmt: skip
    kwargs = request_kwargs(request, "")
    assert kwargs["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert kwargs["output_config"] == {"effort": "high"} and kwargs["stop_sequences"] == ["X", "Y"]
    assert kwargs["extra_body"] == {"temperature": 0.2}  # anthropic 2.x has no temperature argument
    assert (
        not {"thinking", "output_config", "stop_sequences", "extra_body"} & request_kwargs(Request("p", "m"), "").keys()
    )


@pytest.mark.parametrize(
    ("value", "accepted", "expected"),
    [
        (None, None, None),
        ("adaptive", None, {"type": "adaptive"}),
        (4096, None, {"type": "enabled", "budget_tokens": 4096}),
        ("off", None, {"type": "disabled"}),
        ("off", {"adaptive", "disabled"}, {"type": "disabled"}),
        ("off", {"adaptive", "between_tools"}, {"type": "between_tools"}),
    ],
)
def test_off_is_sent_the_way_the_model_turns_thinking_off(value, accepted, expected):
    caps = None if accepted is None else ModelCaps("m", thinking=frozenset(accepted))
    assert thinking_param(value, caps) == expected
