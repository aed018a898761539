"""A run's events as a scenario, unit by unit: what each attempt becomes, how pacing is
condensed, and what the file says. The round trip through real runs is
tests/integration/test_incident_replay.py; these cover what no server on loopback can cause."""

from __future__ import annotations

import tomllib

import pytest

from tests.samples import overloaded, success
from tests.store.conftest import overloaded_then_ok
from tui_app.retry.events import AttemptError, AttemptStart, Cancelled, ResponseStart, RunStart, TextDelta
from tui_app.retry.failures import Failure
from tui_app.simulator import load_scenario
from tui_app.store.as_scenario import scenario_data, scenario_toml


def run_of(*attempts: list) -> list:
    """Events of one run: ``attempts`` are lists of events after each AttemptStart (t = 10 * n)."""
    events: list = [RunStart(t=0.0, model="their-model", max_attempts=len(attempts))]
    for n, rest in enumerate(attempts, start=1):
        events.append(AttemptStart(t=10.0 * n, attempt=n, model="their-model"))
        events += rest
    return events


def failure(kind: str, **fields) -> Failure:
    return Failure(kind=kind, retryable=True, message=f"{kind} happened", **fields)


def steps_of(events: list) -> list[dict]:
    return scenario_data(events, name="t")[0]["steps"]


def test_a_status_error_keeps_its_hints_headers_and_time_to_headers():
    limits = {"anthropic-ratelimit-requests-remaining": "0"}
    error = Failure(
        "rate_limited",
        True,
        "slow down",
        429,
        "rate_limit_error",
        "req_1",
        retry_after=1.25,
        should_retry=True,
        headers=limits,
    )
    [step] = steps_of(run_of([AttemptError(t=10.4, attempt=1, failure=error, duration=0.4)]))
    assert step == {
        "fault": "recorded",
        "status": 429,
        "headers_after": 0.4,
        "message": "slow down",
        "error_type": "rate_limit_error",
        "retry_after_ms": 1250,
        "should_retry": True,
        "headers": limits,
    }
    [whole] = steps_of(
        run_of([AttemptError(t=10.1, attempt=1, failure=overloaded("r", retry_after=2.0), duration=0.1)])
    )
    assert whole["retry_after"] == 2.0 and "retry_after_ms" not in whole  # whole seconds, as the API sends them


def test_pacing_is_a_first_pause_the_long_silences_and_a_steady_rate():
    # Headers at +0.5; first text at +0.8; 10 deltas of 5 chars every 0.01 s; a 2 s silence
    # after 30 chars; then the answer.
    times = [10.8 + 0.01 * i + (2.0 if i >= 6 else 0.0) for i in range(10)]
    deltas = [TextDelta(t=t, attempt=1, text="abcd ") for t in times]
    events = run_of(
        [
            ResponseStart(t=10.5, attempt=1),
            *deltas,
            success(13.0, 1, "abcd " * 10, request_id="r", output_tokens=10, ttft=0.8, tokens_per_s=5),
        ]
    )
    [step] = steps_of(events)
    assert step["headers_after"] == 0.5 and step["text"] == "abcd " * 10 and step["stop_reason"] == "end_turn"
    assert step["pauses"] == [{"after_chars": 0, "seconds": 0.3}, {"after_chars": 30, "seconds": 2.01}]
    assert step["chars_per_second"] == pytest.approx(45 / 0.08, rel=0.01)  # 45 chars after the first delta in 0.08 s


def test_what_a_continued_attempt_was_sent_excludes_the_carried_text():
    events = run_of([ResponseStart(t=10.1, attempt=1), TextDelta(t=10.2, attempt=1, text=" rest")])
    events[2] = AttemptStart(t=10.0, attempt=1, model="m", carried_text="The start")
    events.append(success(10.3, 1, "The start rest", request_id="r", output_tokens=2, ttft=0.2, tokens_per_s=1))
    assert steps_of(events)[0]["text"] == " rest"


@pytest.mark.parametrize(
    ("kind", "fault"),
    [
        ("connect_timeout", "connection_refused"),
        ("connect_failed", "connection_refused"),
        ("write_timeout", "stall_before_headers"),
        ("pool_timeout", "stall_before_headers"),
        ("read_timeout", "stall_before_headers"),
        ("connection_reset", "close_without_response"),
        ("unexpected", "close_without_response"),
    ],
)
def test_failures_before_any_response_become_fault_steps(kind, fault):
    events = run_of([AttemptError(t=10.5, attempt=1, failure=failure(kind), duration=0.5)], [])
    events.append(success(20.1, 2, "x", request_id="r", output_tokens=1, ttft=0.1, tokens_per_s=1))
    step = steps_of(events)[0]
    assert step["fault"] == fault
    if fault == "stall_before_headers":
        assert step["seconds"] == 1.5  # the silence the client gave up on (0.5 s), and a second more
    if fault == "connection_refused":
        assert step["seconds"] == 15.25  # from the start until halfway between this end (10.5) and the next start (20)


def test_a_cancelled_stream_replays_as_a_stall_after_its_text():
    events = run_of(
        [
            ResponseStart(t=10.1, attempt=1),
            TextDelta(t=10.2, attempt=1, text="partial"),
            Cancelled(t=13.2, attempt=1, elapsed=13.2),
        ]
    )
    [step] = steps_of(events)
    assert (step["text"], step["end"], step["seconds"]) == ("partial", "stall_mid_stream", 6.0)


def test_the_file_loads_names_each_attempt_and_keeps_the_prompt_on_one_line():
    events = run_of(
        [AttemptError(t=10.1, attempt=1, failure=overloaded("r", retry_after=0.5), duration=0.1)],
        [ResponseStart(t=20.1, attempt=2), TextDelta(t=20.2, attempt=2, text='He said "hi"\n\t\\ \x7f done')],
    )
    events.append(
        success(20.3, 2, 'He said "hi"\n\t\\ \x7f done', request_id="r", output_tokens=3, ttft=0.2, tokens_per_s=9)
    )
    text = scenario_toml(events, name="session-7", origin="session 7", prompt="two\nlines \x1b[31m")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert "# attempt 1: HTTP 529 overloaded_error after 0.1 s (retry-after 0.5 s)" in comments
    assert any(c.startswith("# attempt 2: the answer, 22 chars") for c in comments)
    assert not any("\x1b" in c for c in comments) and any(c.startswith("# Prompt: two") for c in comments)
    data = tomllib.loads(text)
    assert data["models"] == ["their-model"] and data["then"] == "last"
    assert data["steps"][1]["text"] == 'He said "hi"\n\t\\ \x7f done'
    scenario = load_scenario(data)  # validated as every scenario is
    assert [s.fault for s in scenario.steps] == ["recorded", "recorded"]


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        ([RunStart(t=0.0), RunStart(t=1.0)], "the events hold 2 runs"),
        ([RunStart(t=0.0)], "the events hold no attempt"),
    ],
)
def test_events_that_are_not_one_run_are_refused_in_one_line(events, problem):
    with pytest.raises(ValueError, match=problem):
        scenario_data(events, name="t")


def test_sessions_export_as_scenario_to_stdout_and_a_session_with_no_attempt(cli, record):
    answered = record(overloaded_then_ok())
    code, out, err = cli("sessions", "export", str(answered), "--format", "scenario")
    assert code == 0 and err == ""
    assert out.startswith(f"# session {answered}, as a scenario") and "# Prompt: Say hello" in out
    steps = load_scenario(tomllib.loads(out)).steps
    assert [(s.status, s.text) for s in steps] == [(529, None), (200, "Hello there, world.")]
    empty = record([RunStart(t=0.0, model="m")])
    code, out, err = cli("sessions", "export", str(empty), "--format", "scenario")
    assert (code, out) == (2, "")
    assert err == f"claude-tui sessions: session {empty}: the events hold no attempt: nothing to replay\n"
