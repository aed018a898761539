"""Thinking blocks as the API streams them: the official SDK parses the simulator's into a
thinking block (with its signature) before the text, streamed and not."""

from __future__ import annotations

import anthropic
import pytest

from tui_app.simulator import answer_for
from tui_app.simulator.answers import split_deltas, thinking_for
from tui_app.simulator.scenarios import scenario_from_dict
from tui_app.simulator.sse import parse_sse

from .conftest import MODEL


@pytest.mark.parametrize("thinking", [{"type": "adaptive"}, {"type": "enabled", "budget_tokens": 2048}])
async def test_a_request_for_thinking_streams_a_signed_thinking_block_first(sim, sdk, prompt, thinking) -> None:
    text, final = await sdk(sim).stream(thinking=thinking)
    assert text == answer_for(prompt)  # the text stream carries the answer only
    assert [block.type for block in final.content] == ["thinking", "text"]
    assert final.content[0].thinking == thinking_for(prompt)
    assert final.content[0].signature  # the SDK kept the signature_delta
    assert final.content[1].text == answer_for(prompt)
    assert final.usage.output_tokens == len(split_deltas(thinking_for(prompt))) + len(split_deltas(text))
    assert sim.requests[0].body["thinking"] == thinking


async def test_the_sdk_sees_thinking_and_signature_deltas_on_block_0_and_text_on_block_1(sim, sdk) -> None:
    seen: list[tuple[str, int, str]] = []
    async with sdk(sim).client.messages.stream(
        model=MODEL, max_tokens=4096, messages=[{"role": "user", "content": "Hi"}], thinking={"type": "adaptive"}
    ) as stream:
        async for event in stream:
            if event.type == "content_block_delta":
                seen.append((event.delta.type, event.index, ""))
            elif event.type == "content_block_start":
                seen.append(("start", event.index, event.content_block.type))
    kinds = [kind for kind, _index, _block in seen]
    assert seen[0] == ("start", 0, "thinking")
    assert kinds.index("signature_delta") > kinds.index("thinking_delta")
    assert ("start", 1, "text") in seen
    assert all(index == 1 for kind, index, _ in seen if kind == "text_delta")


async def test_non_streaming_message_has_the_thinking_block(sim, sdk, prompt) -> None:
    message = await sdk(sim).create(thinking={"type": "adaptive"})
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[0].thinking == thinking_for(prompt) and message.content[0].signature
    assert message.content[1].text == answer_for(prompt)


@pytest.mark.parametrize("off", [None, {"type": "disabled"}, {"type": "between_tools"}])
async def test_no_thinking_unless_asked(sim, sdk, off) -> None:
    kwargs = {} if off is None else {"thinking": off}
    _text, final = await sdk(sim).stream(**kwargs)
    assert [block.type for block in final.content] == ["text"]


async def test_a_scenario_model_that_thinks_by_default_thinks_unless_turned_off(make_sim, scripted, sdk) -> None:
    sim = make_sim(scripted(thinking="always", thinking_chars=50))
    _text, final = await sdk(sim).stream()
    assert final.content[0].type == "thinking" and len(final.content[0].thinking) == 50
    _text, final = await sdk(sim).stream(thinking={"type": "disabled"})
    assert [block.type for block in final.content] == ["text"]


async def test_thinking_counts_toward_max_tokens(sim, sdk) -> None:
    thoughts = len(split_deltas(thinking_for("Hi")))
    _text, final = await sdk(sim).stream("Hi", max_tokens=thoughts + 5, thinking={"type": "adaptive"})
    assert final.stop_reason == "max_tokens"
    assert final.usage.output_tokens == thoughts + 5


@pytest.mark.parametrize(
    ("thinking", "max_tokens", "wording"),
    [
        ({"type": "enabled", "budget_tokens": 512}, 4096, "budget_tokens: must be an integer >= 1024"),
        ({"type": "enabled", "budget_tokens": 4096}, 4096, "max_tokens: must be greater than thinking.budget_tokens"),
        ({"type": "sometimes"}, 4096, "thinking.type: must be one of"),
    ],
)
async def test_a_bad_thinking_request_is_a_400_as_from_the_api(sim, sdk, thinking, max_tokens, wording) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        await sdk(sim).stream(max_tokens=max_tokens, thinking=thinking)
    assert wording in str(info.value)


def test_the_raw_stream_is_the_api_s_event_order(sim, raw, message_body) -> None:
    body = {**message_body, "stream": True, "max_tokens": 4096, "thinking": {"type": "adaptive"}}
    events = parse_sse(raw(sim, "POST", "/v1/messages", body).body)
    names = [e.event for e in events]
    head = ["message_start", "content_block_start", "ping", "content_block_delta"]
    assert names[:4] == head and names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    signature = next(i for i, e in enumerate(events) if e.data.get("delta", {}).get("type") == "signature_delta")
    assert names[signature + 1 : signature + 3] == ["content_block_stop", "content_block_start"]


def test_scenario_thinking_fields_are_checked_and_round_trip() -> None:
    scenario = scenario_from_dict({"thinking": "always", "thinking_chars": 80})
    assert scenario_from_dict(scenario.to_dict()) == scenario
    with pytest.raises(
        ValueError, match=r"thinking: unknown value 'maybe' \(use one of: requested, model, always, never\)"
    ):
        scenario_from_dict({"thinking": "maybe"})
    with pytest.raises(ValueError, match="thinking_chars: must be a whole number >= 1"):
        scenario_from_dict({"thinking_chars": 0})


async def test_a_stop_sequence_ends_the_answer_where_it_first_appears(sim, sdk, prompt) -> None:
    answer = answer_for(prompt)
    word = answer.split()[6]
    text, final = await sdk(sim).stream(stop_sequences=["no such text", word])
    assert text == answer[: answer.find(word)]
    assert (final.stop_reason, final.stop_sequence) == ("stop_sequence", word)
    message = await sdk(sim).create(stop_sequences=[word])
    assert message.content[0].text == text and message.stop_sequence == word
