"""``claude-tui run --fallback M --fallback-after 2`` against a real simulator socket (the
acceptance of issue 13 §4): what each request names, and what stderr says."""

from __future__ import annotations

import json

from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import Simulator, answer_for

PROMPT = "Which model answered?"
TWO_529 = {"name": "two-529", "steps": [{"fault": "status", "status": 529}] * 2}


def test_529_529_then_an_answer_the_third_request_names_the_fallback(cli, monkeypatch, other_model, tmp_path):
    events_path = tmp_path / "events.jsonl"
    with Simulator(TWO_529) as sim:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sim-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        code, out, err = cli(
            "run", PROMPT, "--fallback", other_model, "--fallback-after", "2", "--base-delay", "0.01",
            "--max-delay", "0.02", "--events", str(events_path), "--no-record",
        )  # fmt: skip
        models = [r.body["model"] for r in sim.requests]
    assert code == 0, err
    assert models == [DEFAULT_MODEL, DEFAULT_MODEL, other_model]
    assert out == answer_for(PROMPT)
    assert f"{DEFAULT_MODEL} was overloaded 2 times in a row: attempt 3 uses {other_model}" in err
    assert f"after 3 attempts with {other_model}" in err
    starts = [e for e in map(json.loads, events_path.read_text().splitlines()) if e["type"] == "attempt_start"]
    assert [s["model"] for s in starts] == models
    assert starts[2]["fallback_reason"] == f"{DEFAULT_MODEL} was overloaded 2 times in a row"


def test_a_model_not_found_says_so_and_the_fallback_answers(cli, monkeypatch):
    missing = "claude-made-up-9"  # no table lists it: the simulator answers 404 not_found_error
    with Simulator({"name": "happy"}) as sim:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sim-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        code, out, err = cli("run", PROMPT, "--model", missing, "--fallback", DEFAULT_MODEL, "--no-record")
        models = [r.body["model"] for r in sim.requests if r.path == "/v1/messages"]
    assert code == 0, err
    assert models == [missing, DEFAULT_MODEL]
    assert out == answer_for(PROMPT)
    first = next(line for line in err.splitlines() if "attempt 1/" in line)
    assert "— not retryable with this model" in first, first  # not a flat "not retryable" before the switch
