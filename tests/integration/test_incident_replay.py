"""An incident as a scenario, round trip: record a run against a scripted server, export the
session as a scenario (``sessions export ID --format scenario``), run the same prompt against
that file (``run --sim=FILE``), and compare the two sessions attempt by attempt.

Same: the sequence of attempt outcomes (failure kind, status, error type and message, where
it failed and after how many characters, the retry hints), the give-up reason, the answer
(exactly). Timing, within a stated tolerance: time to headers, to the first text and to the
attempt's end are never shorter than recorded by more than ``EARLY`` (0.1 s: the replaying
server waits the recorded times, which include the first client's own overhead; a failure
with no wait of its own, such as a connection closed at once, can only be as fast as the
client) nor longer by more than ``LATE`` (0.5 s: that overhead again, on a loaded 2-core
machine); waits: a retry-after wait is the same, a backoff wait is drawn again from the same
policy (jitter), under its cap.
Everything runs in-process (the ``cli`` fixture): no process imports the SDK again.
"""

from __future__ import annotations

import pytest

from tui_app.retry.events import AttemptError, AttemptStart, Backoff, FirstToken, GiveUp, ResponseStart, Success
from tui_app.retry.failures import FAILURE_KINDS
from tui_app.store.sessions import SessionStore

PROMPT = "Why did the service fall over at noon?"
FAST = ("--base-delay", "0.01", "--max-delay", "0.02", "--read-timeout", "0.5", "--max-attempts", "4")
MAX_DELAY = 0.02
EARLY = 0.1
LATE = 0.5

CASES = {
    # name: (the scripted server's first step as in a scenario file, extra flags, failure kind it causes)
    "529-retry-after": ('fault = "status"\nstatus = 529\nretry_after = 0.3', (), "overloaded"),
    "429-retry-after-ms": (
        'fault = "status"\nstatus = 429\nretry_after_ms = 250\nshould_retry = true',
        (),
        "rate_limited",
    ),
    "500": ('fault = "status"\nstatus = 500\nmessage = "upstream fell over"', (), "server_error"),
    "400-gives-up": ('fault = "status"\nstatus = 400\nmessage = "messages: bad"', (), "client_error"),
    "401-gives-up": ('fault = "status"\nstatus = 401', (), "auth_error"),
    "503-should-retry-false": ('fault = "status"\nstatus = 503\nshould_retry = false', (), "server_error"),
    "sse-overloaded": ('fault = "sse_error"\nafter_chars = 60\nretry_after = 0.2', (), "overloaded"),
    "sse-rate-limit": ('fault = "sse_error"\nafter_chars = 30\nerror_type = "rate_limit_error"', (), "rate_limited"),
    "sse-unknown-type": ('fault = "sse_error"\nafter_chars = 30\nerror_type = "billing_error"', (), "stream_error"),
    "reset-mid-stream": ('fault = "reset_mid_stream"\nafter_chars = 80', (), "connection_reset"),
    "close-without-response": ('fault = "close_without_response"', (), "connection_reset"),
    "stall-mid-stream": ('fault = "stall_mid_stream"\nafter_chars = 50\nseconds = 3', (), "read_timeout"),
    "stall-before-headers": ('fault = "stall_before_headers"\nseconds = 3', (), "read_timeout"),
    "truncated": ('fault = "truncated"\nafter_chars = 70', (), "truncated_stream"),
    "malformed": ('fault = "malformed_sse"\nafter_chars = 20', (), "malformed_stream"),
    "connection-refused": ('fault = "connection_refused"\nseconds = 0.4', (), "connect_failed"),
    "deadline": (
        'fault = "stall_mid_stream"\nafter_chars = 40\nseconds = 3',
        ("--deadline", "0.6", "--read-timeout", "2"),
        "deadline_exceeded",
    ),
    "no-stream-503": ('fault = "status"\nstatus = 503\nretry_after = 0.2', ("--no-stream",), "server_error"),
    "no-stream-truncated": ('fault = "truncated"\nafter_chars = 90', ("--no-stream",), "truncated_stream"),
    "no-stream-malformed": ('fault = "malformed_sse"\nafter_chars = 90', ("--no-stream",), "malformed_stream"),
}
NOT_FROM_A_SERVER = {
    "connect_timeout": "a loopback connect never times out (replayed as connection_refused: tests/store/test_as_scenario.py)",
    "write_timeout": "the client's own send (replayed as a stall before headers: unit test)",
    "pool_timeout": "the client's own pool (replayed as a stall before headers: unit test)",
    "cancelled": "the user's doing (replayed as a stall: unit test)",
    "backend_unavailable": "no request was sent",
    "refused_locally": "the client's own circuit breaker or throttle: no request was sent",
    "unexpected": "a bug in claude-tui, not something a server did",
}
CUT_BODY_KINDS = {"truncated_stream", "malformed_stream"}
"""Their messages end by saying where a non-streamed body was cut ("(... received 90 bytes ...)",
"(Unterminated string ... column 86)"), which no event records: the replay cuts elsewhere, so
that parenthesis is not compared."""
TIMED = {
    # name: (scenario text, flags): successes whose pacing is the point
    "latency": ('[[steps]]\nfault = "latency"\nseconds = 0.4', ()),
    "dribble": ('[[steps]]\nfault = "dribble"\ntokens_per_second = 150', ()),
    "pause-mid-stream": (
        'answer_chars = 300\n[[steps]]\nfault = "stall_mid_stream"\nafter_chars = 100\nseconds = 0.4',
        ("--read-timeout", "2"),
    ),
    "ttft": ("ttft = 0.3\ntokens_per_second = 400", ()),
}


@pytest.fixture
def round_trip(cli, scenario_file, tmp_path):
    """``round_trip(scenario_text, *flags, via="session")`` -> (recorded events, replayed events,
    exit codes); ``via="events"`` makes the scenario from the run's ``--events`` file instead."""

    def run(text: str, *flags: str, via: str = "session"):
        events_file = tmp_path / "incident.jsonl"
        code, _out, err = cli(
            "run", f"--sim={scenario_file(text)}", *FAST, *flags, "--events", str(events_file), PROMPT
        )
        assert "Traceback" not in err
        recorded_id, recorded = newest_session()
        exported = tmp_path / f"session-{recorded_id}.toml"
        if via == "session":
            done = cli("sessions", "export", str(recorded_id), "--format", "scenario", "--output", str(exported))
        else:
            done = cli("scenario", "from-events", str(events_file), "--output", str(exported))
        assert done[0] == 0, done[2]
        replay_code, _out, err = cli("run", f"--sim={exported}", *FAST, *flags, PROMPT)
        assert "Traceback" not in err
        replayed_id, replayed = newest_session()
        assert replayed_id != recorded_id
        return recorded, replayed, (code, replay_code)

    return run


def newest_session():
    with SessionStore.open() as store:
        [summary] = store.list_sessions(limit=1)
        return summary.id, store.get_session(summary.id).events


def outcomes(events):
    """What each attempt came to, and how the run ended: everything that must be the same."""
    out = []
    for e in events:
        if isinstance(e, AttemptError):
            f = e.failure
            message = f.message.split(" (")[0] if f.kind in CUT_BODY_KINDS else f.message
            out.append(
                (e.attempt, f.kind, f.status, f.error_type, message, f.mid_stream, f.streamed_chars, e.partial_text)
            )
            out.append(("hints", f.retry_after, f.should_retry, f.retryable))
        elif isinstance(e, Success):
            out.append((e.attempt, "answer", e.text, e.stop_reason))
        elif isinstance(e, GiveUp):
            out.append((e.attempt, "give_up", e.reason))
        elif isinstance(e, Backoff):
            out.append((e.attempt, "wait", e.reason))
    return out


def timings(events):
    """Per attempt: seconds from its start to its headers, its first text and its end."""
    start: dict[int, float] = {}
    out: dict[tuple[int, str], float] = {}
    for e in events:
        if isinstance(e, AttemptStart):
            start[e.attempt] = e.t
        elif isinstance(e, ResponseStart):
            out[e.attempt, "headers"] = e.t - start[e.attempt]
        elif isinstance(e, FirstToken):
            out[e.attempt, "first text"] = e.t - start[e.attempt]
        elif isinstance(e, (AttemptError, Success)):
            out[e.attempt, "end"] = e.t - start[e.attempt]
    return out


def assert_same_timing(recorded, replayed):
    before, after = timings(recorded), timings(replayed)
    assert before.keys() == after.keys()
    for key, was in before.items():
        assert was - EARLY <= after[key] <= was + LATE, (key, was, after[key])
    waits = [(e.reason, e.delay) for e in recorded if isinstance(e, Backoff)]
    again = [(e.reason, e.delay) for e in replayed if isinstance(e, Backoff)]
    assert [r for r, _ in waits] == [r for r, _ in again]
    for (reason, was), (_, now) in zip(waits, again, strict=True):
        assert now == pytest.approx(was, abs=0.001) if reason == "retry-after" else 0 <= now <= MAX_DELAY


@pytest.mark.parametrize("via", ["session", "events"])
def test_the_incident_of_the_issue_round_trips(round_trip, via):
    """A 529 with retry-after, a reset after some text, then an answer."""
    incident = """
        [[steps]]
        fault = "status"
        status = 529
        retry_after = 0.3
        [[steps]]
        fault = "reset_mid_stream"
        after_chars = 120
    """
    recorded, replayed, codes = round_trip(incident, via=via)
    assert codes == (0, 0)
    assert outcomes(replayed) == outcomes(recorded)
    kinds = [(e.attempt, e.failure.kind) for e in recorded if isinstance(e, AttemptError)]
    assert kinds == [(1, "overloaded"), (2, "connection_reset")]
    [answer] = [e.text for e in replayed if isinstance(e, Success)]
    assert answer == next(e.text for e in recorded if isinstance(e, Success))
    assert_same_timing(recorded, replayed)


@pytest.mark.parametrize("name", list(CASES))
def test_every_fault_kind_round_trips(round_trip, name):
    step, flags, kind = CASES[name]
    recorded, replayed, codes = round_trip(f"[[steps]]\n{step}\n", *flags)
    assert next(e.failure.kind for e in recorded if isinstance(e, AttemptError)) == kind  # the case is what it says
    assert codes[1] == codes[0]
    assert outcomes(replayed) == outcomes(recorded)
    assert_same_timing(recorded, replayed)


@pytest.mark.parametrize("name", list(TIMED))
def test_pacing_round_trips(round_trip, name):
    text, flags = TIMED[name]
    recorded, replayed, codes = round_trip(text, *flags)
    assert codes == (0, 0) and outcomes(replayed) == outcomes(recorded)
    assert_same_timing(recorded, replayed)


def test_the_cases_cover_every_failure_kind_a_server_can_cause():
    covered = {kind for _, _, kind in CASES.values()}
    assert covered | set(NOT_FROM_A_SERVER) == set(FAILURE_KINDS) and not covered & set(NOT_FROM_A_SERVER)


def test_from_events_refuses_what_is_not_one_run_in_one_line(cli, tmp_path):
    missing = tmp_path / "none.jsonl"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "run_start", "t": 0}\n{"type": "exploded", "t": 1}\n')
    two = tmp_path / "two.jsonl"
    two.write_text('{"type": "run_start", "t": 0}\n' * 2)
    for path, problem in [
        (missing, f"{missing}: no such file (check the path)"),
        (bad, f"{bad}:2: not an event of claude-tui run --events (unknown event type 'exploded')"),
        (two, "the events hold 2 runs: give the events of one run (one --events file per run)"),
    ]:
        code, out, err = cli("scenario", "from-events", str(path))
        assert (code, out, err) == (2, "", f"claude-tui scenario: {problem}\n")
