"""``claude-tui run`` with thinking, effort, temperature and stop sequences against a real
simulator socket (the acceptance of issue 13 §3): what the request body holds, what the
``thinking`` events carry, and what is refused before anything is sent."""

from __future__ import annotations

import json

import pytest

from tui_app import capabilities
from tui_app.simulator import Simulator, answer_for
from tui_app.simulator.answers import thinking_for

PROMPT = "Think it through: which timeout fires first?"
MODEL = "sim-thinker"  # declared by the scenario: in no table, so nothing about it is checked
SCENARIO = {"name": "thinker", "models": [MODEL]}


@pytest.fixture
def run_sim(cli, monkeypatch):
    """``run_sim(*flags, scenario=SCENARIO)`` → (code, stdout, stderr, the /v1/messages bodies)."""

    def run(*flags: str, scenario: dict[str, object] = SCENARIO) -> tuple[int, str, str, list[dict[str, object]]]:
        with Simulator(scenario) as sim:
            monkeypatch.setenv("ANTHROPIC_API_KEY", "sim-key")
            monkeypatch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
            code, out, err = cli("run", PROMPT, "--model", MODEL, "--no-record", *flags)
            bodies = [r.body for r in sim.requests if r.path == "/v1/messages"]
        return code, out, err, bodies

    return run


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--thinking", "2048", "--max-tokens", "4096"), {"thinking": {"type": "enabled", "budget_tokens": 2048}}),
        (("--thinking", "adaptive"), {"thinking": {"type": "adaptive"}}),
        (("--thinking", "off"), {"thinking": {"type": "disabled"}}),
        (("--effort", "high"), {"output_config": {"effort": "high"}}),
        (("--temperature", "0.2"), {"temperature": 0.2}),
        (("--stop", "X"), {"stop_sequences": ["X"]}),
        (("--stop", "X", "--stop", "END, or not"), {"stop_sequences": ["X", "END, or not"]}),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_each_setting_is_in_the_request_body_as_the_api_expects(run_sim, flags, expected):
    code, out, err, [body] = run_sim(*flags)
    assert code == 0, err
    assert {key: body[key] for key in expected} == expected
    assert out == answer_for(PROMPT)


def test_settings_left_unset_send_nothing(run_sim):
    _code, _out, _err, [body] = run_sim()
    assert not {"thinking", "output_config", "temperature", "stop_sequences"} & body.keys()


def test_a_thinking_stream_gives_thinking_events_and_stdout_is_the_answer_only(run_sim, tmp_path):
    events = tmp_path / "events.jsonl"
    code, out, err, _ = run_sim("--thinking", "adaptive", "--events", str(events))
    assert code == 0, err
    assert out == answer_for(PROMPT)
    records = [json.loads(line) for line in events.read_text().splitlines()]
    thinking = [r for r in records if r["type"] == "thinking"]
    assert "".join(r["text"] for r in thinking) == thinking_for(PROMPT)
    assert {r["attempt"] for r in thinking} == {1} and not any(r["redacted"] for r in thinking)
    types = [r["type"] for r in records]
    assert types.index("thinking") < types.index("first_token")  # thinking comes before the text
    assert records[-1]["thinking"] == thinking_for(PROMPT) and records[-1]["text"] == answer_for(PROMPT)


def test_a_failure_during_thinking_restarts_the_attempt(run_sim, tmp_path):
    events = tmp_path / "events.jsonl"
    reset_in_thinking = {**SCENARIO, "steps": [{"fault": "reset_mid_stream", "after_chars": 10}]}
    code, out, err, bodies = run_sim(
        "--thinking", "adaptive", "--events", str(events), "--base-delay", "0", scenario=reset_in_thinking
    )
    assert code == 0, err
    assert len(bodies) == 2 and out == answer_for(PROMPT)
    records = [json.loads(line) for line in events.read_text().splitlines()]
    error = next(r for r in records if r["type"] == "attempt_error")
    assert error["failure"]["mid_stream"] and error["partial_text"] == ""  # it failed while thinking
    second = "".join(r["text"] for r in records if r["type"] == "thinking" and r["attempt"] == 2)
    assert second == thinking_for(PROMPT)


def test_thinking_keeps_a_stream_alive_past_the_read_timeout(run_sim):
    """Thinking deltas are bytes on the wire: a long think whose gaps are shorter than the
    read timeout never trips it, though the whole think is longer."""
    slow = {**SCENARIO, "tokens_per_second": 40, "thinking_chars": 300, "answer_chars": 40}
    code, out, err, bodies = run_sim("--thinking", "adaptive", "--read-timeout", "0.5", scenario=slow)
    assert code == 0, err
    assert len(bodies) == 1 and out == answer_for(PROMPT, chars=40)


def test_a_cut_off_answer_says_so_on_the_outcome_line(run_sim):
    code, out, err, _ = run_sim("--max-tokens", "5")
    assert code == 0 and out == "".join(answer_for(PROMPT))[: len(out)]
    assert "(max_tokens: the answer is cut off" in err


def test_cross_field_rules_are_one_line_errors_naming_the_flag(cli):
    code, _out, err = cli("run", PROMPT, "--sim", "--thinking", "2048")  # max_tokens is 1024 by default
    assert code == 2
    assert err.strip().splitlines() == [
        "claude-tui run: --thinking is a budget of 2048 tokens, not below max_tokens (1024); "
        "lower the budget, or raise max_tokens above it (thinking counts toward max_tokens)"
    ]
    code, _out, err = cli("run", PROMPT, "--sim", "--thinking", "adaptive", "--temperature", "0.2")
    assert code == 2 and "--temperature cannot be set while thinking is on" in err


def test_what_the_model_does_not_take_is_refused_before_sending(run_sim, monkeypatch):
    table = {"checked": "2026-12-02", "models": {MODEL: {"thinking": ["adaptive"], "effort": ["low", "high"]}}}
    monkeypatch.setattr(capabilities, "_table", lambda: capabilities.table_from_data(table))
    code, out, err, bodies = run_sim("--thinking", "4096", "--max-tokens", "8192")
    assert (code, out, bodies) == (2, "", [])
    assert err.strip().splitlines() == [
        f"claude-tui run: --thinking is a budget of 4096 tokens, but {MODEL} takes no budget "
        "(per GET /v1/models); "  # the simulator lists the table's figures as capabilities
        'use "adaptive" (and an effort level for how much)'
    ]
    code, _out, err, bodies = run_sim("--effort", "max")
    assert (code, bodies) == (2, []) and f'--effort is "max", which {MODEL} does not take' in err
    assert "use low, high" in err
