"""End to end: `claude-tui run` against the simulator records its session as it goes (a
real process where it is killed; in-process where it finishes)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

from tests.run.conftest import wait_for
from tui_app import paths
from tui_app.store.sessions import SessionStore

from .conftest import REPO, count_events


def _recorded_deltas() -> int:
    if not paths.sessions_db().exists():
        return 0
    try:
        with sqlite3.connect(f"file:{paths.sessions_db()}?mode=ro", uri=True) as conn:
            return count_events(conn) - 2 if conn.execute("SELECT count(*) FROM sessions").fetchone()[0] else 0
    except sqlite3.OperationalError:  # created but not yet migrated
        return 0


def test_sigkill_mid_stream_leaves_an_interrupted_session(tmp_path):
    scenario = tmp_path / "slow.toml"
    scenario.write_text("answer_chars = 4000\ntokens_per_second = 200\n")  # ~20 s of streaming
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_app", "run", f"--sim={scenario}", "Tell me a long story"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: _recorded_deltas() >= 20)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with SessionStore.open() as store:
        assert store.check() == []
        [summary] = store.list_sessions()
        assert (summary.status, summary.attempts, summary.prompt) == ("interrupted", 1, "Tell me a long story")
        detail = store.get_session(summary.id)
    types = [e.type for e in detail.events]
    assert types[:2] == ["run_start", "attempt_start"] and types.count("text") >= 20
    assert "success" not in types and detail.response is None
    assert len(detail.partial_text) >= 20


def test_a_finished_run_is_listed_with_its_answer(run_cli_in_process):
    done = run_cli_in_process("run", "--sim=529-then-ok", "--base-delay", "0.01", "Say hi")
    assert done.returncode == 0, done.stderr
    with SessionStore.open() as store:
        [summary] = store.list_sessions(search="hi")
        detail = store.get_session(summary.id)
    assert (summary.status, summary.attempts) == ("ok", 2)
    assert detail.response == done.stdout  # what was printed is what was stored
    assert [e.type for e in detail.events].count("attempt_error") == 1
