"""Non-streaming ``POST /v1/messages`` as the official SDK sees it: a whole Message, sent
only once the answer is "generated" (TTFT, then every token at the scenario's speed), and
the faults that make sense for one body."""

from __future__ import annotations

import json
import time

import anthropic
import httpx2
import pytest

from tui_app.simulator import ScenarioError, Step, answer_for, scenario_from_dict
from tui_app.simulator.answers import input_tokens_for, split_deltas

from .conftest import MODEL, PROMPT


def _ask(driver, **kw):
    """``messages.create`` without ``stream`` through the raw-body wrapper (the retry core's way)."""
    return driver.client.messages.with_streaming_response.create(
        model=MODEL, max_tokens=kw.pop("max_tokens", 4096), messages=[{"role": "user", "content": PROMPT}], **kw
    )


async def test_the_whole_message_parses_with_every_field(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(answer_chars=200))
    message = await sdk(sim).create()
    assert isinstance(message, anthropic.types.Message)
    assert (message.type, message.role, message.model) == ("message", "assistant", MODEL)
    assert message.id.startswith("msg_sim_") and message.stop_sequence is None
    assert [block.type for block in message.content] == ["text"]
    assert message.content[0].text == answer_for(prompt, chars=200)
    assert message.usage.input_tokens == input_tokens_for(prompt)
    assert message.usage.output_tokens == len(split_deltas(answer_for(prompt, chars=200)))
    body = sim.requests[0].body
    assert "stream" not in body  # the SDK sends none without streaming; the simulator answers JSON


async def test_max_tokens_cuts_the_whole_answer_too(sim, sdk, prompt) -> None:
    message = await sdk(sim).create(max_tokens=5)
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 5
    assert message.content[0].text == "".join(split_deltas(answer_for(prompt))[:5])


async def test_nothing_is_sent_before_the_whole_answer_is_generated(make_sim, scripted, sdk, prompt) -> None:
    sim = make_sim(scripted(answer_chars=40, tokens_per_second=50, ttft=0.1))
    tokens = len(split_deltas(answer_for(prompt, chars=40)))
    started = time.monotonic()
    async with _ask(sdk(sim)) as response:
        headers_after = time.monotonic() - started
        body = json.loads(await response.read())
    assert headers_after >= 0.1 + tokens / 50  # the headers wait for TTFT + the whole generation
    assert body["content"][0]["text"] == answer_for(prompt, chars=40)


async def test_the_read_timeout_bounds_the_whole_wait_without_streaming(make_sim, scripted, sdk) -> None:
    """The same answer, the same 0.3 s read timeout: streamed it arrives, whole it times out."""
    sim = make_sim(scripted(answer_chars=60, tokens_per_second=25))  # ~0.6 s in all, 0.04 s a token
    driver = sdk(sim, read=0.3)
    text, _ = await driver.stream()
    assert text == answer_for(PROMPT, chars=60)
    with pytest.raises(anthropic.APITimeoutError):
        await driver.create()


async def test_ttft_delays_the_first_streamed_token(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(answer_chars=20, ttft=0.2))
    started = time.monotonic()
    async with sdk(sim).client.messages.stream(
        model=MODEL, max_tokens=100, messages=[{"role": "user", "content": PROMPT}]
    ) as stream:
        async for _ in stream.text_stream:
            first = time.monotonic() - started
            break
    assert first >= 0.2


async def test_a_cut_off_body_fails_the_read_after_the_headers(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(Step("truncated", after_chars=30)))
    async with _ask(sdk(sim)) as response:
        assert response.status_code == 200 and response.headers["request-id"].startswith("req_sim_")
        with pytest.raises(httpx2.RemoteProtocolError):
            await response.read()


async def test_an_invalid_json_body_is_whole_but_not_json(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(Step("malformed_sse", after_chars=30)))
    async with _ask(sdk(sim)) as response:
        body = await response.read()
    assert len(body) == int(response.headers["content-length"])
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_a_stall_sends_no_body_until_the_client_gives_up(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(Step("stall_before_headers", seconds=5)))
    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        await sdk(sim, read=0.2).create()
    assert time.monotonic() - started < 2 and sim.requests[0].status is None


def test_ttft_is_a_scenario_field_with_its_rule() -> None:
    scenario = scenario_from_dict({"ttft": 0.5, "tokens_per_second": 30})
    assert scenario.ttft == 0.5 and scenario_from_dict(scenario.to_dict()).ttft == 0.5
    assert scenario_from_dict({}).ttft == 0.0
    with pytest.raises(ScenarioError, match=r"ttft: must be a number >= 0, not -1"):
        scenario_from_dict({"ttft": -1}, source="s.toml")
