"""``claude-tui run --no-stream`` against a real simulator socket: what it sends, what it
prints, and the read timeout bounding the whole wait (the acceptance of issue 13 §1).

The timing tests run in real time because the timeout that fires is the SDK's own
(httpx's read timeout), scaled down from the issue's 4 s / 6 s / 2 s to 0.8 s / 1.2 s /
0.4 s; they are in tests/conftest.py's SLOW list.
"""

from __future__ import annotations

import json

import pytest

from tui_app.simulator import Simulator, answer_for
from tui_app.simulator.answers import split_deltas

PROMPT = "Why stream a long answer?"
READ = 0.4
ANSWER_CHARS = 80


def _tokens() -> int:
    return len(split_deltas(answer_for(PROMPT, chars=ANSWER_CHARS)))


def _scenario(**fields) -> dict:
    return {"name": "timed", "answer_chars": ANSWER_CHARS, **fields}


def _events(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_no_stream_sends_no_stream_and_prints_exactly_the_answer(cli, monkeypatch):
    with Simulator("happy") as sim:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sim-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        code, out, err = cli("run", PROMPT, "--no-stream", "--no-record")
        [request] = sim.requests
    assert code == 0, err
    assert out == answer_for(PROMPT)
    assert request.body.get("stream", False) is False
    assert "done in" in err and "Traceback" not in err


def test_without_streaming_a_slow_answer_times_out_on_every_attempt(cli, tmp_path):
    """The server takes 0.8 s to answer (tokens at N/0.8 tok/s): a 0.4 s read timeout
    fires on each of the 3 attempts, before any byte of the answer arrives."""
    scenario = tmp_path / "slow.json"
    scenario.write_text(json.dumps(_scenario(tokens_per_second=_tokens() / 0.8)))
    events_path = tmp_path / "events.jsonl"
    code, out, err = cli(
        "run", PROMPT, f"--sim={scenario}", "--no-stream", "--read-timeout", str(READ),
        "--max-attempts", "3", "--base-delay", "0.01", "--max-delay", "0.02", "--deadline", "none",
        "--events", str(events_path), "--no-record",
    )  # fmt: skip
    assert code == 1 and out == ""
    events = _events(events_path)
    assert events[0]["type"] == "run_start" and events[0]["stream"] is False
    errors = [e for e in events if e["type"] == "attempt_error"]
    assert [e["kind"] for e in errors] == ["read_timeout"] * 3
    assert all(READ <= e["duration"] < 0.8 for e in errors)
    assert events[-1]["type"] == "give_up" and events[-1]["reason"] == "max_attempts"
    assert err.count("no complete answer within the 0.4 s read timeout (without streaming") >= 3


def test_the_same_answer_streamed_more_slowly_survives_the_same_read_timeout(cli, tmp_path):
    """Streamed over 1.2 s in chunks 1.2/N s apart (well under 0.4 s), it arrives whole."""
    gap = 1.2 / _tokens()
    assert gap < READ / 2
    scenario = tmp_path / "slow.json"
    scenario.write_text(json.dumps(_scenario(tokens_per_second=1 / gap)))
    events_path = tmp_path / "events.jsonl"
    code, out, err = cli(
        "run", PROMPT, f"--sim={scenario}", "--read-timeout", str(READ), "--max-attempts", "1",
        "--events", str(events_path), "--no-record",
    )  # fmt: skip
    assert code == 0, err
    assert out == answer_for(PROMPT, chars=ANSWER_CHARS)
    events = _events(events_path)
    assert events[-1]["type"] == "success" and events[-1]["elapsed"] >= 1.2 - gap
    assert len([e for e in events if e["type"] == "text"]) > 1


@pytest.mark.parametrize(
    "step, kind",
    [
        ({"fault": "truncated", "after_chars": 30}, "truncated_stream"),
        ({"fault": "malformed_sse", "after_chars": 30}, "malformed_stream"),
        ({"fault": "status", "status": 529}, "overloaded"),
    ],
)
def test_a_bad_whole_answer_is_retried_then_the_next_one_printed(cli, tmp_path, step, kind):
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps({"name": "bad", "steps": [step]}))
    events_path = tmp_path / "events.jsonl"
    code, out, err = cli(
        "run", PROMPT, f"--sim={scenario}", "--no-stream", "--base-delay", "0.01", "--max-delay", "0.02",
        "--events", str(events_path), "--no-record",
    )  # fmt: skip
    assert code == 0, err
    assert out == answer_for(PROMPT)
    [error] = [e for e in _events(events_path) if e["type"] == "attempt_error"]
    assert error["kind"] == kind and error["retryable"] is True
