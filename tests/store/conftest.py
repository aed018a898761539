"""Fixtures for the store: an open session store, sample runs, raw profile files.

The suite-wide ``isolated_env`` fixture (tests/conftest.py) already points
CLAUDE_TUI_CONFIG_DIR / CLAUDE_TUI_DATA_DIR at temp dirs; everything here builds on it.
The in-process ``cli`` fixture lives there too.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.samples import overloaded, success
from tui_app import paths
from tui_app.retry.events import (
    AttemptError,
    AttemptStart,
    Backoff,
    Cancelled,
    Event,
    FirstToken,
    GiveUp,
    ResponseStart,
    RunStart,
    TextDelta,
)
from tui_app.store import profile_format
from tui_app.store.sessions import SessionStore

REPO = Path(__file__).resolve().parents[2]
OVERLOADED = overloaded("req_529")


def overloaded_then_ok(answer: str = "Hello there, world.", chunks: int = 4) -> list[Event]:
    """A 529-then-ok run, as the retry core yields it."""
    pieces = [answer[len(answer) * i // chunks : len(answer) * (i + 1) // chunks] for i in range(chunks)]
    events: list[Event] = [
        RunStart(t=0.0, model="test-model-a", max_attempts=4, deadline=60.0, timeouts={"read": 30.0}),
        AttemptStart(t=0.001, attempt=1, model="test-model-a"),
        AttemptError(t=0.05, attempt=1, failure=OVERLOADED, duration=0.049),
        Backoff(t=0.05, attempt=1, delay=0.4, reason="backoff", detail="full jitter 0.4 s"),
        AttemptStart(t=0.45, attempt=2, model="test-model-a"),
        ResponseStart(t=0.5, attempt=2, request_id="req_ok", ratelimit={"anthropic-ratelimit-requests-remaining": "9"}),
        FirstToken(t=0.6, attempt=2, ttft=0.15),
    ]
    events += [TextDelta(t=0.6 + 0.01 * i, attempt=2, text=p) for i, p in enumerate(pieces)]
    events.append(success(0.7, 2, answer, request_id="req_ok", output_tokens=7, ttft=0.15, tokens_per_s=70.0))
    return events


def gave_up() -> list[Event]:
    return [
        RunStart(t=0.0, model="m", max_attempts=1),
        AttemptStart(t=0.0, attempt=1, model="m"),
        AttemptError(t=0.1, attempt=1, failure=OVERLOADED, duration=0.1),
        GiveUp(t=0.1, attempt=1, reason="max_attempts", failure=OVERLOADED, detail="1 of 1", elapsed=0.1),
    ]


def cancelled() -> list[Event]:
    return [
        RunStart(t=0.0, model="m", max_attempts=3),
        AttemptStart(t=0.0, attempt=1, model="m"),
        TextDelta(t=0.1, attempt=1, text="partial"),
        Cancelled(t=0.2, attempt=1, during="request", elapsed=0.2),
    ]


@pytest.fixture
def store():
    with SessionStore.open() as s:
        yield s


@pytest.fixture
def record(store):
    """Record ``events`` as one finished session; returns its id."""

    def record(events: list[Event], prompt: str = "Say hello", **kwargs) -> int:
        with store.start_session(prompt=prompt, model="test-model-a", **kwargs) as rec:
            for event in events:
                rec.record(event)
        return rec.session_id

    return record


@pytest.fixture
def raw_db():
    """A second, plain sqlite3 connection to the sessions db (what another process sees)."""
    conns: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        conns.append(sqlite3.connect(paths.sessions_db()))
        return conns[-1]

    yield connect
    for conn in conns:
        conn.close()


def count_events(conn: sqlite3.Connection, session_id: int | None = None) -> int:
    """Events stored (a row of coalesced text deltas counts each delta)."""
    sql = "SELECT coalesce(sum(coalesce(json_array_length(data, '$.lens'), 1)), 0) FROM events"
    if session_id is None:
        return conn.execute(sql).fetchone()[0]
    return conn.execute(sql + " WHERE session_id = ?", (session_id,)).fetchone()[0]


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def profile_file():
    """Write raw (dedented) text or bytes as profile NAME; returns its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = paths.ensure_private_dir(paths.profiles_dir()) / f"{name}.toml"
        data = content if isinstance(content, bytes) else textwrap.dedent(content).encode()
        path.write_bytes(data)
        return path

    return write


@pytest.fixture(autouse=True)
def known_scenarios(monkeypatch):
    """The simulator's scenario list, fixed so tests do not depend on shipped assets."""
    monkeypatch.setattr(profile_format, "scenario_names", lambda: ["happy", "overload-storm"])


@pytest.fixture
def python_subprocess():
    """Run a Python snippet in a fresh interpreter with this environment (and the repo on the path)."""

    def run(code: str, *args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            cwd=REPO,
            **kwargs,
        )

    return run
