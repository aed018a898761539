"""Fixtures for the run service: a real ``claude-tui run`` in the background, and the
sessions database seen from another process (a second sqlite3 connection)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui_app import paths
from tui_app.simulator import answer_for

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parents[2]
PROMPT = "Tell me about backoff"
SLOW_CHARS = 5000  # under the default max_tokens (1024): about 900 deltas of Markdown
SLOW = f"answer_chars = {SLOW_CHARS}\ntokens_per_second = 200\n"  # ~1000 tokens: ~5 s of streaming
SLOW_ANSWER = answer_for(PROMPT, chars=SLOW_CHARS)


def wait_for(predicate: Callable[[], object], timeout: float = 60.0, what: str = "") -> object:
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def recorded_events() -> int:
    """Event rows of the sessions db, read as another process would (0 while it is not there)."""
    db = paths.sessions_db()
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    except sqlite3.Error:  # created but not yet migrated, or busy
        return 0


@pytest.fixture
def slow_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "slow.toml"
    path.write_text(SLOW)
    return path


@pytest.fixture
def background_run(isolated_env):
    """Start ``claude-tui run ARGS`` (text pipes); killed at teardown if still running."""
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str, preexec_fn: Callable[[], None] | None = None) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_app", "run", *args],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=preexec_fn,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.fixture
def clock(fake_time):
    """The recorder's clock, moved by the test (``clock.now += ...``)."""
    return fake_time


@pytest.fixture
def store():
    from tui_app.store.sessions import SessionStore

    with SessionStore.open() as s:
        yield s


@pytest.fixture
def blocker():
    """Another connection holding the sessions db's write lock (``BEGIN IMMEDIATE``) until released."""
    conns: list[sqlite3.Connection] = []

    def lock() -> sqlite3.Connection:
        conn = sqlite3.connect(paths.sessions_db(), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conns.append(conn)
        return conn

    yield lock
    for conn in conns:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


# The TUI's pilot fixtures (an in-process simulator, the real app wired to it, bounded waits).
from tests.ui.conftest import make_app, send, send_and_wait, started, wait_until  # noqa: E402, F401
