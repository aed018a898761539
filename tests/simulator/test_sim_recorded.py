"""The ``recorded`` step: a response replayed as it happened, parsed by the official SDK like
any other (every ending, streamed and not), with its headers, hints and pacing; validated
with one-line field-path errors like every scenario field."""

from __future__ import annotations

import json

import anthropic
import httpx2
import pytest

from tui_app.simulator import ScenarioError, Step, scenario_from_dict

TEXT = 'A recorded answer, "quoted", with a newline\nand more words after it, ending here.'


def recorded(**fields) -> Step:
    return Step("recorded", **fields)


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "create"])
async def test_a_recorded_answer_is_sent_verbatim_whatever_the_prompt(make_sim, scripted, sdk, stream) -> None:
    sim = make_sim(scripted(recorded(text=TEXT, stop_reason="max_tokens", chars_per_second=5000)))
    driver = sdk(sim)
    if stream:
        text, message = await driver.stream("another prompt")
    else:
        message = await driver.create("another prompt")
        text = message.content[0].text
    assert text == TEXT and message.stop_reason == "max_tokens"


async def test_an_error_response_carries_its_status_type_hints_and_recorded_headers(make_sim, scripted, sdk) -> None:
    step = recorded(
        status=529,
        error_type="overloaded_error",
        message="Overloaded",
        retry_after_ms=250,
        should_retry=True,
        headers=(("anthropic-ratelimit-requests-remaining", "3"),),
    )
    sim = make_sim(scripted(step))
    with pytest.raises(anthropic.OverloadedError) as info:
        await sdk(sim).stream()
    headers = info.value.response.headers
    assert info.value.body["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert (headers["retry-after-ms"], headers["x-should-retry"]) == ("250", "true")
    assert headers.get_list("anthropic-ratelimit-requests-remaining") == [
        "3"
    ]  # the recorded value, not the simulator's


# ending -> (exception from messages.stream, exception from messages.create); None: an answer.
ENDINGS = [
    ("sse_error", anthropic.APIStatusError, anthropic.APIStatusError),
    ("reset_mid_stream", httpx2.ReadError, anthropic.APIConnectionError),
    ("stall_mid_stream", httpx2.ReadTimeout, anthropic.APITimeoutError),
    ("truncated", None, anthropic.APIConnectionError),
    ("malformed_sse", json.JSONDecodeError, json.JSONDecodeError),
]


@pytest.mark.parametrize(("end", "on_stream", "on_create"), ENDINGS, ids=[e[0] for e in ENDINGS])
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "create"])
async def test_every_ending_reaches_the_sdk_as_its_fault_does(
    make_sim, scripted, sdk, end, on_stream, on_create, stream
) -> None:
    sim = make_sim(scripted(recorded(text=TEXT[:30], end=end, error_type="weird_new_error", message="boom", seconds=2)))
    expected = on_stream if stream else on_create
    if expected is None:  # a stream that just ends: the SDK hands back the text without a stop reason
        text, message = await sdk(sim, read=0.3).stream()
        assert (text, message.stop_reason) == (TEXT[:30], None)
        return
    with pytest.raises(expected) as info:
        await sdk(sim, read=0.3).call(stream=stream)
    if end == "sse_error":
        assert info.value.body["error"] == {"type": "weird_new_error", "message": "boom"}  # a type the faults lack


async def test_pacing_waits_for_the_headers_and_the_pauses(make_sim, scripted, sdk) -> None:
    """Lower bounds the server enforces itself: never shorter than what was recorded."""
    pauses = ((0, 0.15), (20, 0.2))
    sim = make_sim(scripted(recorded(text=TEXT, headers_after=0.1, pauses=pauses, chars_per_second=2000)))
    text, _ = await sdk(sim).stream()
    [record] = sim.requests
    assert text == TEXT
    assert record.headers_after >= 0.1
    assert record.duration >= 0.1 + 0.15 + 0.2


@pytest.mark.parametrize(
    ("step", "where", "fix"),
    [
        ({"status": 201}, "steps[0].status", "must be 200 or an error status 400-599"),
        ({"end": "exploded"}, "steps[0].end", "unknown end 'exploded'"),
        ({"pauses": [{"after_chars": 0}]}, "steps[0].pauses[0]", "must have after_chars and seconds"),
        ({"pauses": [{"after_chars": 0, "seconds": -1}]}, "steps[0].pauses[0].seconds", "must be a number >= 0"),
        ({"headers": {"x": 1}}, "steps[0].headers", "must be a table of header names to strings"),
        ({"status": 529, "text": "x"}, "steps[0].text", "is not used by an error response (status 529)"),
        ({"after_chars": 3}, "steps[0].after_chars", "not a field of fault 'recorded'"),
        ({"chars_per_second": "fast"}, "steps[0].chars_per_second", "must be a number >= 0"),
    ],
)
def test_a_bad_recorded_step_is_one_line_naming_the_field(step, where, fix) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"steps": [{"fault": "recorded", **step}]}, source="incident.toml")
    message = str(info.value)
    assert message.startswith(f"incident.toml: {where}: {fix}") and "\n" not in message
