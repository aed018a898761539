"""The simulator validates and lists models like the API: limits, lifecycle, usage, rate limits."""

from __future__ import annotations

import re
from datetime import date

import anthropic
import pytest
from anthropic.types import ModelInfo

from tui_app import capabilities
from tui_app.simulator import ScenarioError, load_scenario, scenario_from_dict
from tui_app.simulator.answers import answer_for, input_tokens_for
from tui_app.simulator.catalog import entry_for

from .conftest import MODEL, PROMPT

RETIRING = "claude-opus-4-5"
"""Deprecated in the catalogue on 2026-10-22, end of life 2027-01-22."""


async def test_max_tokens_above_the_models_limit_is_a_400_naming_it(sim, sdk) -> None:
    limit = entry_for(MODEL).max_tokens
    with pytest.raises(anthropic.BadRequestError, match=f"max_tokens: {limit + 1} > {limit}") as info:
        await sdk(sim).create(max_tokens=limit + 1)
    assert info.value.body["error"]["type"] == "invalid_request_error"  # type: ignore[index]
    assert (await sdk(sim).create(max_tokens=limit)).stop_reason == "end_turn"  # the limit itself is fine


async def test_input_tokens_count_the_system_prompt_and_every_message(sim, sdk) -> None:
    system = "You are terse. " * 20
    turns = [
        {"role": "user", "content": PROMPT},
        {"role": "assistant", "content": "An earlier answer."},
        {"role": "user", "content": [{"type": "text", "text": "And with jitter?"}]},
    ]
    message = await sdk(sim).client.messages.create(model=MODEL, max_tokens=256, system=system, messages=turns)
    expected = input_tokens_for(system + PROMPT + "An earlier answer." + "And with jitter?")
    assert message.usage.input_tokens == expected
    assert expected > input_tokens_for(PROMPT) + 70  # the system prompt is counted (300 chars)
    assert message.content[0].text == answer_for("And with jitter?", system=system)  # type: ignore[union-attr]  # the last turn


def test_rate_limit_headers_count_down_to_one_reset_time(sim, raw, message_body) -> None:
    seen = [raw(sim, "POST", "/v1/messages", message_body).headers for _ in range(4)]
    requests = [int(h["anthropic-ratelimit-requests-remaining"]) for h in seen]
    tokens = [int(h["anthropic-ratelimit-tokens-remaining"]) for h in seen]
    assert requests == [999, 998, 997, 996]
    assert tokens == sorted(tokens, reverse=True) and len(set(tokens)) == 4
    assert len({h["anthropic-ratelimit-requests-reset"] for h in seen}) == 1
    assert {h["anthropic-ratelimit-tokens-reset"] for h in seen} == {seen[0]["anthropic-ratelimit-requests-reset"]}


async def test_the_sdk_parses_the_model_list_with_limits_and_capabilities(make_sim, sdk) -> None:
    sim = make_sim(today=date(2026, 12, 2))
    listed = {m.id: m async for m in sdk(sim).client.models.list()}
    info = listed[MODEL]
    assert isinstance(info, ModelInfo) and info.type == "model"
    assert (info.max_tokens, info.max_input_tokens) == (entry_for(MODEL).max_tokens, entry_for(MODEL).max_input_tokens)
    assert info.lifecycle == "active" and info.deprecated_at is None and info.retires_at is None
    assert info.display_name and info.created_at.year >= 2025
    assert info.capabilities is not None
    # What the list says a model takes is what the app's table says (one source of truth).
    live = capabilities.from_model_info(info.model_dump(mode="json"))
    table = capabilities.from_table(MODEL)
    assert live is not None and table is not None
    assert (live.thinking, live.effort) == (table.thinking, table.effort)
    assert info.capabilities.thinking.types.adaptive.supported is ("adaptive" in (table.thinking or ()))


@pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")  # the SDK's own warning
async def test_lifecycle_follows_the_date_the_server_is_given(make_sim, scripted, sdk) -> None:
    served = scripted(models=[RETIRING])  # served whether or not the installed SDK still lists it
    before = make_sim(served, today=date(2026, 10, 1))
    during = make_sim(served, today=date(2026, 12, 2))
    after = make_sim(served, today=date(2027, 1, 22))
    states = [await sdk(s).client.models.retrieve(RETIRING) for s in (before, during, after)]
    assert [m.lifecycle for m in states] == ["active", "deprecated", "retired"]
    assert states[1].retires_at is not None and states[1].retires_at.date() == date(2027, 1, 22)
    assert states[2].deprecated_at is not None and states[2].retires_at is None
    assert (await sdk(during).create(model=RETIRING)).model == RETIRING  # deprecated still answers
    with pytest.raises(anthropic.NotFoundError, match="retired on 2027-01-22"):
        await sdk(after).create(model=RETIRING)


async def test_retrieve_an_unknown_model_is_a_404(sim, sdk) -> None:
    with pytest.raises(anthropic.NotFoundError, match="no-such-model"):
        await sdk(sim).client.models.retrieve("no-such-model")


def test_a_scenario_model_gets_the_catalogue_defaults_and_no_capabilities(make_sim, scripted, raw) -> None:
    sim = make_sim(scripted(models=["my-local-model"]))
    info = raw(sim, "GET", "/v1/models/my-local-model").json()
    assert ModelInfo.model_validate(info).lifecycle == "active"
    assert info["capabilities"] is None  # not in the capabilities table: nothing claimed, nothing checked
    assert info["display_name"] == "My Local Model"


PER_MODEL = """
name = "tuned"
tokens_per_second = 50
[per_model."fast-model"]
tokens_per_second = 0
ttft = 0.0
thinking = "always"
thinking_chars = 120
[per_model."slow-model"]
ttft = 1.5
"""


def test_per_model_tables_override_the_scenario_wide_speed_ttft_and_thinking(tmp_path) -> None:
    path = tmp_path / "tuned.toml"
    path.write_text(PER_MODEL)
    scenario = load_scenario(path)
    fast, slow, other = (scenario.for_model(m) for m in ("fast-model", "slow-model", MODEL))
    assert (fast.tokens_per_second, fast.ttft, fast.thinking, fast.thinking_chars) == (0.0, 0.0, "always", 120)
    assert (slow.tokens_per_second, slow.ttft, slow.thinking) == (50.0, 1.5, "requested")
    assert other == scenario
    assert scenario.served_models == ("fast-model", "slow-model")
    assert scenario_from_dict(scenario.to_dict()) == scenario  # round-trips


async def test_a_per_model_thinking_reaches_the_sdk_for_that_model_only(make_sim, sdk) -> None:
    sim = make_sim({"name": "t", "per_model": {"thinker": {"thinking": "always", "thinking_chars": 80}}})
    thought = await sdk(sim).create(model="thinker")
    plain = await sdk(sim).create()
    assert [b.type for b in thought.content] == ["thinking", "text"]
    assert thought.content[0].signature  # type: ignore[union-attr]
    assert [b.type for b in plain.content] == ["text"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"m": {"speed": 3}}, "per_model.m.speed: unknown key"),
        ({"m": {"thinking": "sometimes"}}, "per_model.m.thinking: unknown value 'sometimes'"),
        ({"m": {"ttft": -1}}, "per_model.m.ttft: must be a number >= 0"),
        ({"m": 3}, "per_model.m: must be a table"),
    ],
)
def test_a_bad_per_model_table_is_one_line_naming_the_field(table, message) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        scenario_from_dict({"per_model": table})


def test_the_live_scenario_streams_each_model_at_its_speed_in_the_advisors_table() -> None:
    from tui_app.advisor import speed_for

    live = load_scenario("live")
    for model in ("claude-sonnet-4-6", "claude-haiku-4-5", MODEL):  # MODEL: by its family's entry
        speed = speed_for(model)
        assert speed is not None
        played = live.for_model(model)
        assert (played.tokens_per_second, played.ttft) == (speed.tokens_per_second, speed.ttft) != (0.0, 0.0)
    assert live.for_model("not-a-claude").tokens_per_second == 0  # no entry: as fast as possible
    assert load_scenario("happy").for_model(MODEL).tokens_per_second == 0  # the fast mode
    tuned = scenario_from_dict({"speeds": "table", "per_model": {MODEL: {"ttft": 0.0}}})
    assert tuned.for_model(MODEL).ttft == 0.0  # a per_model speed wins over the table


async def test_thinking_model_mode_thinks_when_the_model_thinks_by_default(make_sim, sdk) -> None:
    table = capabilities.from_table(MODEL)
    assert table is not None and table.thinks_by_default  # the default model thinks by default
    sim = make_sim({"name": "t", "thinking": "model"})
    unasked = await sdk(sim).create()
    off = await sdk(sim).create(thinking={"type": "disabled"})
    assert [b.type for b in unasked.content] == ["thinking", "text"]
    assert [b.type for b in off.content] == ["text"]
    assert load_scenario("live").thinking == "model"
    assert load_scenario("happy").thinking_for(None, MODEL) == 0  # only when asked
