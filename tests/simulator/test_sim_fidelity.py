"""The official SDK against every fault kind: what it raises, what it sees, what it parses."""

from __future__ import annotations

import json
import socket
import time
from email.utils import parsedate_to_datetime

import anthropic
import httpx2
import pytest

from tui_app.retry.continuation import CONTINUE_INSTRUCTION
from tui_app.simulator import FAULTS, Step, answer_for
from tui_app.simulator.answers import input_tokens_for, split_deltas

from .conftest import MODEL

STATUS_CLASSES = {
    400: anthropic.BadRequestError,
    401: anthropic.AuthenticationError,
    403: anthropic.PermissionDeniedError,
    404: anthropic.NotFoundError,
    408: anthropic.RequestTimeoutError,
    409: anthropic.ConflictError,
    413: anthropic.ContentTooLargeError,
    429: anthropic.RateLimitError,
    500: anthropic.InternalServerError,
    502: anthropic.InternalServerError,
    503: anthropic.ServiceUnavailableError,
    504: anthropic.GatewayTimeoutError,
    529: anthropic.OverloadedError,
}

# fault step -> (exception from messages.stream, exception from messages.create); None = success.
# Verified against anthropic 2.14 / httpx2: failures after the headers of a stream are NOT
# wrapped by the SDK (httpx2.ReadTimeout / httpx2.ReadError / json.JSONDecodeError).
FAULT_OUTCOMES = [
    (Step("none"), None, None),
    (Step("latency", seconds=0.05), None, None),
    (Step("dribble", tokens_per_second=3000), None, None),
    (Step("stall_before_headers", seconds=2), anthropic.APITimeoutError, anthropic.APITimeoutError),
    (Step("stall_mid_stream", seconds=2, after_chars=30), httpx2.ReadTimeout, anthropic.APITimeoutError),
    (Step("connection_refused", seconds=30), anthropic.APIConnectionError, anthropic.APIConnectionError),
    (Step("close_without_response"), anthropic.APIConnectionError, anthropic.APIConnectionError),
    (Step("reset_mid_stream", after_chars=30), httpx2.ReadError, anthropic.APIConnectionError),
    (Step("sse_error", after_chars=30), anthropic.APIStatusError, anthropic.OverloadedError),
    (Step("truncated", after_chars=30), None, anthropic.APIConnectionError),
    (Step("malformed_sse", after_chars=30), json.JSONDecodeError, json.JSONDecodeError),
]


def test_every_fault_kind_has_a_fidelity_case() -> None:
    assert {step.fault for step, _, _ in FAULT_OUTCOMES} | {"status"} == set(FAULTS)


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "create"])
async def test_status_fault_raises_the_sdk_class(make_sim, scripted, sdk, status, stream) -> None:
    sim = make_sim(scripted(Step("status", status=status)))
    with pytest.raises(anthropic.APIStatusError) as info:
        await sdk(sim).call(stream=stream)
    assert type(info.value) is STATUS_CLASSES[status]
    assert info.value.status_code == status
    assert info.value.body["error"]["type"] == sim.requests[0].step.error_type
    assert info.value.request_id == info.value.response.headers["request-id"]


@pytest.mark.parametrize(("step", "on_stream", "on_create"), FAULT_OUTCOMES, ids=lambda v: getattr(v, "label", ""))
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "create"])
async def test_fault_kind_outcome(make_sim, scripted, sdk, prompt, step, on_stream, on_create, stream) -> None:
    sim = make_sim(scripted(step))
    expected = on_stream if stream else on_create
    if expected is None:
        text = await sdk(sim, read=0.3).call(stream=stream)
        cut = step.fault == "truncated"
        assert text == (answer_for(prompt)[: len(text)] if cut else answer_for(prompt))
    else:
        with pytest.raises(expected) as info:
            await sdk(sim, read=0.3).call(stream=stream)
        assert type(info.value) is expected


async def test_connection_refused_has_a_connect_error_cause(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(Step("connection_refused", seconds=30)))  # refused for the whole test
    with pytest.raises(anthropic.APIConnectionError) as info:
        await sdk(sim).call(stream=True)
    assert isinstance(info.value.__cause__, httpx2.ConnectError)
    with pytest.raises(ConnectionRefusedError):  # a real ECONNREFUSED, not an accept-and-close
        socket.create_connection(("127.0.0.1", sim.port), timeout=1).close()


async def test_sse_error_is_a_200_status_error_with_the_body_type(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(Step("sse_error", after_chars=50, should_retry=True)))
    seen = []
    with pytest.raises(anthropic.APIStatusError) as info:
        async with sdk(sim).client.messages.stream(
            model=MODEL, max_tokens=100, messages=[{"role": "user", "content": prompt}]
        ) as stream:
            async for delta in stream.text_stream:
                seen.append(delta)
    err = info.value
    assert err.status_code == 200
    assert err.body["error"]["type"] == "overloaded_error"
    assert err.response.headers["x-should-retry"] == "true"
    assert len("".join(seen)) >= 50 and answer_for(prompt).startswith("".join(seen))


async def test_truncated_stream_ends_quietly_with_no_stop_reason(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(Step("truncated", after_chars=100)))
    text, final = await sdk(sim).stream()
    assert final.stop_reason is None
    assert 100 <= len(text) < len(answer_for(prompt))
    assert final.content[0].text == text


async def test_stall_mid_stream_continues_when_the_client_waits(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(Step("stall_mid_stream", seconds=0.15, after_chars=20)))
    text, final = await sdk(sim, read=2.0).stream()
    assert text == answer_for(prompt)
    assert final.stop_reason == "end_turn"


async def test_happy_stream_text_usage_and_stop_reason(sim, sdk, prompt) -> None:
    text, final = await sdk(sim).stream()
    answer = answer_for(prompt)
    assert text == answer
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == len(split_deltas(answer)) > 50
    assert final.usage.input_tokens == input_tokens_for(prompt)
    assert final.id.startswith("msg_sim_") and final.model == MODEL


async def test_max_tokens_cuts_the_answer(sim, sdk, prompt) -> None:
    text, final = await sdk(sim).stream(max_tokens=5)
    assert final.stop_reason == "max_tokens"
    assert final.usage.output_tokens == 5
    assert text == "".join(split_deltas(answer_for(prompt))[:5])


async def test_answer_chars_and_continuation_answer_the_question_before_the_request_to_continue(
    make_sim, scripted, sdk, prompt
) -> None:
    sim = make_sim(scripted(answer_chars=90))
    turns = [
        {"role": "user", "content": [{"type": "text", "text": prompt}]},
        {"role": "assistant", "content": "Partial"},
        {"role": "user", "content": CONTINUE_INSTRUCTION},
    ]
    text, _ = await sdk(sim).stream(messages=turns)
    assert text == answer_for(prompt, chars=90)


async def test_a_follow_up_turn_is_answered_afresh_the_same_whatever_came_before(sim, sdk, prompt) -> None:
    first = answer_for(prompt)
    history = [{"role": "user", "content": prompt}, {"role": "assistant", "content": first}]
    follow_up = {"role": "user", "content": "And why?"}
    text, final = await sdk(sim).stream(messages=[*history, follow_up])
    assert text == answer_for("And why?") != first and final.stop_reason == "end_turn"
    again, _ = await sdk(sim).stream(messages=[*history, follow_up])
    assert again == text  # deterministic, given the history


async def test_non_streaming_create(sim, sdk, prompt) -> None:
    message = await sdk(sim).create()
    assert message.content[0].text == answer_for(prompt)
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == len(split_deltas(answer_for(prompt)))


async def test_models_list(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(models=["my-local-model"]))
    ids = [m.id async for m in sdk(sim).client.models.list()]
    assert "my-local-model" in ids and MODEL in ids
    message = await sdk(sim).create(model="my-local-model")
    assert message.model == "my-local-model"


async def test_unknown_model_is_not_found(sim, sdk) -> None:
    with pytest.raises(anthropic.NotFoundError, match="no-such-model"):
        await sdk(sim).create(model="no-such-model")


async def test_retry_hint_and_id_headers_reach_the_sdk(make_sim, scripted, sdk) -> None:
    sim = make_sim(
        scripted(
            Step("status", status=429, retry_after=0.2, retry_after_ms=150, should_retry=False),
            Step("status", status=529, retry_after=3, retry_after_date=True),
        )
    )
    with pytest.raises(anthropic.RateLimitError) as first:
        await sdk(sim).call(stream=True)
    headers = first.value.response.headers
    assert headers["retry-after"] == "0.2"
    assert headers["retry-after-ms"] == "150"
    assert headers["x-should-retry"] == "false"
    assert headers["request-id"].startswith("req_sim_")
    assert headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert headers["anthropic-ratelimit-tokens-reset"].endswith("Z")
    for name in ("requests-limit", "requests-reset", "tokens-limit", "tokens-remaining"):
        assert f"anthropic-ratelimit-{name}" in headers
    with pytest.raises(anthropic.OverloadedError) as second:
        await sdk(sim).call(stream=False)
    assert parsedate_to_datetime(second.value.response.headers["retry-after"]).tzinfo is not None


async def test_sdk_obeys_the_retry_hint_when_it_retries(make_sim, scripted, prompt) -> None:
    sim = make_sim(scripted(Step("status", status=529, retry_after_ms=50)))
    client = anthropic.AsyncAnthropic(base_url=sim.base_url, api_key="k", max_retries=2)
    try:
        message = await client.messages.create(
            model=MODEL, max_tokens=1000, messages=[{"role": "user", "content": prompt}]
        )
    finally:
        await client.close()
    assert message.content[0].text == answer_for(prompt)
    assert [r.attempt for r in sim.requests] == [1, 2]


async def test_latency_and_dribble_take_the_time_they_say(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(Step("latency", seconds=0.15), Step("dribble", tokens_per_second=100), answer_chars=60))
    driver = sdk(sim)
    for minimum in (0.15, (len(split_deltas(answer_for(prompt, chars=60))) - 1) / 100):
        started = time.monotonic()
        text, _ = await driver.stream()
        assert time.monotonic() - started >= minimum
        assert text == answer_for(prompt, chars=60)


async def test_scenario_wide_tokens_per_second_dribbles_every_answer(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(answer_chars=40, tokens_per_second=50))
    started = time.monotonic()
    await sdk(sim).create()  # non-streaming: waits as long as the stream would take
    assert time.monotonic() - started >= 4 / 50


async def test_stall_before_headers_then_close_for_a_patient_client(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(Step("stall_before_headers", seconds=0.1)))
    with pytest.raises(anthropic.APIConnectionError) as info:
        await sdk(sim, read=2.0).call(stream=True)
    assert type(info.value) is anthropic.APIConnectionError
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
