"""Chaos soak through real ``claude-tui run`` processes, several at once on one database.

Each process plays its own seeded scenario: first attempts scripted from ``FIRST`` (so a
refused connection, an HTTP-date retry-after and a retry-after longer than the deadline
are always covered), then draws from the shared fault mix. Checked for every process: the
exit code matches the outcome, stdout is exactly the answer (or nothing), stderr is human
lines only, and the session written concurrently with the others holds the matching
status and exactly the events of the ``--events`` file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tui_app.retry.events import event_from_dict
from tui_app.simulator import answer_for
from tui_app.store.sessions import SessionStore

from .chaos import FAULT_MIX, Outcome, check_invariants, failure_kinds, summary

PROCESSES = 10  # each pays ~2-3 s of CPU importing the SDK: 10 keep the soak near 15 s on 2 cores
PARALLEL = 4
ANSWER_CHARS = 200
MAX_ATTEMPTS = 4
DEADLINE = 3.0
SLACK = 1.0  # processes share 2 cores with SDK imports next door: a starved loop wakes late
FLAGS = (
    "--max-attempts",
    str(MAX_ATTEMPTS),
    "--deadline",
    str(DEADLINE),
    "--base-delay",
    "0.01",
    "--max-delay",
    "0.05",
    "--read-timeout",
    "0.3",
    "--connect-timeout",
    "1",
)
FIRST = [
    # The port closes for 1 s once attempt 1 is answered (a refused step as attempt 1 would
    # be spent while the process still imports the SDK; a shorter outage could end before
    # a busy machine schedules attempt 2).
    [{"fault": "status", "status": 503}, {"fault": "connection_refused", "seconds": 1}],
    # An HTTP date has whole seconds, and the process may take a moment to read it: 2 s
    # keeps the hint in the future (a date already past rightly means "retry now").
    [{"fault": "status", "status": 429, "retry_after": 2, "retry_after_date": True}],
    [{"fault": "status", "status": 529, "retry_after": 60}],
    [{"fault": "stall_mid_stream", "seconds": 1, "after_chars": 50}],
    [{"fault": "status", "status": 401}],
]
EXIT_CODE = {"success": 0, "give_up": 1, "cancelled": 130}


def _run_one(i: int, tmp_path) -> tuple[str, subprocess.CompletedProcess, list[dict]]:
    prompt = f"cli soak request {i}"
    scenario = tmp_path / f"soak{i}.json"
    scenario.write_text(
        json.dumps(
            {"name": f"soak{i}", "answer_chars": ANSWER_CHARS, "steps": FIRST[i % len(FIRST)], "random": FAULT_MIX}
        )
    )
    events_file = tmp_path / f"events{i}.jsonl"
    argv = [
        sys.executable,
        "-m",
        "tui_app",
        "run",
        prompt,
        f"--sim={scenario}",
        "--seed",
        str(i),
        "--events",
        str(events_file),
        *FLAGS,
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return prompt, proc, [json.loads(line) for line in events_file.read_text().splitlines()]


def _check_process(prompt: str, proc: subprocess.CompletedProcess, lines: list[dict]) -> None:
    assert lines and lines[-1]["type"] in EXIT_CODE, (prompt, proc.stderr)
    end = lines[-1]
    assert proc.returncode == EXIT_CODE[end["type"]], (prompt, proc.returncode, proc.stderr)
    assert proc.stdout == (answer_for(prompt, chars=ANSWER_CHARS) if end["type"] == "success" else "")
    assert "Traceback" not in proc.stderr
    err_lines = proc.stderr.splitlines()
    assert err_lines and all(line.startswith("claude-tui: ") for line in err_lines), proc.stderr
    assert err_lines[-1].startswith("claude-tui: done in" if end["type"] == "success" else "claude-tui: gave up")


def test_claude_tui_run_processes_under_chaos(tmp_path, capsys):
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda i: _run_one(i, tmp_path), range(PROCESSES)))
    runs: list[Outcome] = []
    with SessionStore.open() as store:
        assert store.check() == []
        sessions = {s.prompt: s for s in store.list_sessions(limit=None)}
        assert len(sessions) == PROCESSES, "every concurrent writer's session is there"
        for prompt, proc, lines in results:
            _check_process(prompt, proc, lines)
            events = [event_from_dict(line) for line in lines]
            # The run's own clock, from its first event: process start-up (imports) is not the core's.
            runs.append(Outcome(prompt, events, events[-1].elapsed, store.get_session(sessions[prompt].id)))
    for run in runs:
        check_invariants(run, answer_chars=ANSWER_CHARS, max_attempts=MAX_ATTEMPTS, deadline=DEADLINE, slack=SLACK)
    with capsys.disabled():
        print(f"\nchaos soak ({PROCESSES} claude-tui run processes, {PARALLEL} at a time):\n" + summary(runs))
    refused, dated, too_long = (runs[i :: len(FIRST)] for i in range(3))
    for run in refused:
        assert [e.failure.kind for e in run.events if e.type == "attempt_error"][:2] == [
            "server_error",
            "connect_failed",
        ]
    for run in dated:
        hint, after = next((e, run.events[i + 1]) for i, e in enumerate(run.events) if e.type == "attempt_error")
        assert 0 < hint.failure.retry_after <= 2.0
        assert (after.type, after.reason) in {("backoff", "retry-after"), ("give_up", "deadline")}
        assert "retry-after" in after.detail
    for run in too_long:
        assert (run.end.type, run.end.reason, run.end.attempt) == ("give_up", "deadline", 1)
        assert "retry-after" in run.end.detail and "backoff" not in [e.type for e in run.events], "no wait at all"
    assert {"connect_failed", "rate_limited", "overloaded", "read_timeout", "auth_error"} <= failure_kinds(runs)
