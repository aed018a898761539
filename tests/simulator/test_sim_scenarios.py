"""Scenario files: loading, validation messages, step sequencing, seeded random mode."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_app.simulator import BUILTIN_SCENARIOS, FAULTS, Scenario, ScenarioError, Step, load_scenario
from tui_app.simulator.scenarios import StepSequence, builtin_dir, scenario_from_dict
from tui_app.simulator.steps import STATUS_ERROR_TYPES

if TYPE_CHECKING:
    from pathlib import Path


def test_builtin_names_match_the_shipped_files() -> None:
    assert sorted(BUILTIN_SCENARIOS) == sorted(p.stem for p in builtin_dir().glob("*.toml"))
    for name in BUILTIN_SCENARIOS:
        scenario = load_scenario(name)
        assert scenario.name == name and scenario.description and "\n" not in scenario.description


def test_builtins_stay_short_and_human_visible() -> None:
    for name in BUILTIN_SCENARIOS:
        scenario = load_scenario(name)
        for step in scenario.steps + scenario.random:
            assert (step.seconds or 0) <= 3 and (step.retry_after or 0) <= 3, (name, step)


def test_chaos_uses_every_fault_kind() -> None:
    assert {s.fault for s in load_scenario("chaos").random} == set(FAULTS)


def test_toml_and_json_files_load_the_same(tmp_path: Path) -> None:
    data = {
        "description": "mine",
        "then": "repeat",
        "answer_chars": 80,
        "steps": [{"fault": "status", "status": 429, "retry_after": 0.5}, {"fault": "none"}],
    }
    (tmp_path / "mine.json").write_text(json.dumps(data))
    toml = 'description = "mine"\nthen = "repeat"\nanswer_chars = 80\n'
    toml += '[[steps]]\nfault = "status"\nstatus = 429\nretry_after = 0.5\n[[steps]]\nfault = "none"\n'
    (tmp_path / "mine.toml").write_text(toml)
    from_json, from_toml = load_scenario(tmp_path / "mine.json"), load_scenario(str(tmp_path / "mine.toml"))
    assert from_json == from_toml
    assert from_json.name == "mine" and from_json.steps[0].error_type == "rate_limit_error"


def test_to_dict_round_trips() -> None:
    custom = Scenario("c", steps=(Step("status", status=503, should_retry=False, retry_after=0),), then="last")
    for scenario in [custom, *map(load_scenario, BUILTIN_SCENARIOS)]:
        assert scenario_from_dict(json.loads(json.dumps(scenario.to_dict()))) == scenario


BAD_SCENARIOS = [
    ('[[steps]]\nfault = "explode"\n', "steps[0].fault", "unknown fault"),
    ('[[steps]]\nfault = "latency"\nseconds = "3"\n', "steps[0].seconds", "number"),
    ('[[steps]]\nfault = "latency"\nseconds = -1\n', "steps[0].seconds", ">= 0"),
    ('[[steps]]\nfault = "status"\nstatus = 418\n', "steps[0].status", "unsupported status"),
    ('[[steps]]\nfault = "status"\n', "steps[0].status", "missing"),
    ('[[steps]]\nfault = "none"\nstatus = 500\n', "steps[0].status", "not a field"),
    ('[[steps]]\nfault = "status"\nstatus = 429\nretry_afer = 1\n', "steps[0].retry_afer", "not a field"),
    ('[[steps]]\nfault = "status"\nstatus = 429\nshould_retry = "yes"\n', "steps[0].should_retry", "true or false"),
    ('[[steps]]\nfault = "sse_error"\nerror_type = "oops"\n', "steps[0].error_type", "unknown error type"),
    ('[[steps]]\nfault = "truncated"\nafter_chars = 1.5\n', "steps[0].after_chars", "whole number"),
    ('[[steps]]\nfault = "dribble"\ntokens_per_second = 0\n', "steps[0].tokens_per_second", "> 0"),
    ('[[steps]]\nfault = "connection_refused"\nseconds = 0\n', "steps[0].seconds", "> 0"),
    ('[[steps]]\nfault = "none"\nweight = 2\n', "steps[0].weight", "not a field"),
    ('then = "forever"\n', "then", "unknown value"),
    ('then = "repeat"\n[[random]]\nfault = "none"\n', "then", "cannot be combined"),
    ("answer_chars = 0\n", "answer_chars", ">= 1"),
    ("tokens_per_second = -2\n", "tokens_per_second", "> 0"),
    ("models = [1]\n", "models", "list of model ids"),
    ("stepz = []\n", "stepz", "unknown key"),
    ("steps = 3\n", "steps", "list of tables"),
    ('name = "x\n', "invalid TOML", "line 1"),
]


@pytest.mark.parametrize(("text", "field", "problem"), BAD_SCENARIOS, ids=[b[1] + ":" + b[2] for b in BAD_SCENARIOS])
def test_bad_scenario_file_is_one_line_naming_file_and_field(
    tmp_path: Path, text: str, field: str, problem: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert field in message and problem in message
    assert "(" in message  # every message carries a fix in parentheses


def test_bad_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"steps": [}')
    with pytest.raises(ScenarioError, match=r"bad\.json: invalid JSON: .* line 1 column 12"):
        load_scenario(path)


def test_unknown_name_and_missing_file() -> None:
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'.*529-then-ok"):
        load_scenario("nope")
    with pytest.raises(ScenarioError, match="missing.toml: no such file"):
        load_scenario("missing.toml")


def test_steps_built_in_code_get_the_same_defaults_as_files() -> None:
    assert Step("status", status=503) == scenario_from_dict({"steps": [{"fault": "status", "status": 503}]}).steps[0]
    assert Step("stall_mid_stream").seconds == 3.0 and Step("stall_mid_stream").after_chars == 40
    assert Step("sse_error").error_type == "overloaded_error"
    with pytest.raises(ScenarioError, match="status: missing"):
        Step("status")
    assert {Step("status", status=s).error_type for s in STATUS_ERROR_TYPES} >= {"overloaded_error", "rate_limit_error"}


def _faults(scenario: Scenario, n: int, seed: int = 0) -> list[str]:
    seq = StepSequence(scenario, seed)
    return [seq.take().label for _ in range(n)]


@pytest.mark.parametrize(
    ("then", "expected"),
    [
        ("happy", ["status", "latency", "none", "none", "none"]),
        ("repeat", ["status", "latency", "status", "latency", "status"]),
        ("last", ["status", "latency", "latency", "latency", "latency"]),
    ],
)
def test_then_modes(then: str, expected: list[str]) -> None:
    scenario = Scenario("t", steps=(Step("status", status=529), Step("latency", seconds=0.1)), then=then)
    assert [label.split()[0] for label in _faults(scenario, 5)] == expected


def test_no_steps_is_happy_forever_whatever_then_says() -> None:
    for then in ("happy", "repeat", "last"):
        assert _faults(Scenario("t", then=then), 3) == ["none"] * 3


def test_random_mode_is_deterministic_per_seed_and_follows_the_weights() -> None:
    chaos = load_scenario("chaos")
    assert _faults(chaos, 50, seed=7) == _faults(chaos, 50, seed=7)
    assert _faults(chaos, 50, seed=7) != _faults(chaos, 50, seed=8)
    draws = _faults(chaos, 2000, seed=1)
    assert 0.3 < draws.count("none") / len(draws) < 0.5  # weight 10 of 25


def test_random_after_scripted_steps() -> None:
    scenario = Scenario("t", steps=(Step("status", status=500),), random=(Step("none"),))
    assert scenario.then == "random"
    assert _faults(scenario, 3) == ["status 500 api_error", "none", "none"]


def test_peek_does_not_change_the_sequence() -> None:
    chaos = load_scenario("chaos")
    seq = StepSequence(chaos, 3)
    peeked = []
    for _ in range(20):
        peeked.append(seq.peek().label)
        assert seq.take().label == peeked[-1]
    assert peeked == _faults(chaos, 20, seed=3)


def test_random_mode_through_the_server_matches_the_seeded_sequence(make_sim, raw, message_body) -> None:
    weights = [{"fault": "none", "weight": 2}, {"fault": "status", "status": 529}, {"fault": "status", "status": 429}]
    scenario = scenario_from_dict({"random": weights})
    sim = make_sim(scenario, seed=42)
    statuses = [raw(sim, "POST", "/v1/messages", message_body).status for _ in range(12)]
    seq = StepSequence(scenario, 42)
    expected = [seq.take().status or 200 for _ in range(12)]
    assert statuses == expected
    assert len(set(statuses)) == 3


@given(st.lists(st.sampled_from(["none", "latency", "truncated", "close_without_response"]), min_size=1, max_size=6))
def test_repeat_cycles_through_any_script(faults: list[str]) -> None:
    scenario = Scenario("t", steps=tuple(Step(f) for f in faults), then="repeat")
    assert [label.split()[0] for label in _faults(scenario, 3 * len(faults))] == faults * 3
