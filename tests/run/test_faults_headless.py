"""Recording failures mid-run never lose the answer of ``claude-tui run`` (the real process).

Each test starts a slow simulated stream, waits until the session is being written, then
breaks the sessions database from outside — another connection holding the write lock, the
disk filling up, the file deleted or replaced — and checks what a user gets: the exact
answer on stdout, exit 0, ONE stderr line saying the session is not fully recorded and why,
no traceback, and a database that is still whole.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import time

from tui_app import paths
from tui_app.store.sessions import SessionStore

from .conftest import PROMPT, SLOW_ANSWER, recorded_events, wait_for


def _finish(proc) -> tuple[str, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 0, err
    assert out == SLOW_ANSWER
    return out, err


def _warning(err: str) -> str:
    [line] = [line for line in err.splitlines() if "not fully recorded" in line]
    assert line.startswith("claude-tui: warning: session 1 is not fully recorded: ")
    return line


def _session_files() -> list[str]:
    db = str(paths.sessions_db())
    return [db, db + "-wal", db + "-shm"]


def test_a_database_locked_mid_stream_still_prints_the_answer(background_run, slow_scenario):
    proc = background_run("--sim", "--scenario", str(slow_scenario), PROMPT)
    wait_for(lambda: recorded_events() >= 3, what="the session being recorded")
    blocker = sqlite3.connect(paths.sessions_db(), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock until the run ends
    try:
        _out, err = _finish(proc)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "stayed locked by another process for over 2 s" in _warning(err)
    assert "done in" in err
    with SessionStore.open() as store:
        assert store.check() == []
        [summary] = store.list_sessions()
        detail = store.get_session(summary.id)
    assert summary.status == "interrupted"  # what was written is whole: no outcome, no half rows
    types = [e.type for e in detail.events]
    assert types[:2] == ["run_start", "attempt_start"] and "success" not in types
    assert SLOW_ANSWER.startswith(detail.partial_text)


def test_a_lock_released_within_the_wait_loses_nothing(background_run, slow_scenario):
    proc = background_run("--sim", "--scenario", str(slow_scenario), PROMPT)
    wait_for(lambda: recorded_events() >= 3, what="the session being recorded")
    blocker = sqlite3.connect(paths.sessions_db(), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    held = recorded_events()
    time.sleep(0.6)  # the fault's length: a few flushes fail meanwhile, well under the patience
    assert recorded_events() == held  # the writes were indeed held back...
    blocker.execute("ROLLBACK")
    blocker.close()
    _out, err = _finish(proc)
    assert "warning" not in err
    with SessionStore.open() as store:
        [summary] = store.list_sessions()
        detail = store.get_session(summary.id)
    assert summary.status == "ok" and detail.response == SLOW_ANSWER  # ...and then all written
    assert "".join(e.text for e in detail.events if e.type == "text") == SLOW_ANSWER


def test_a_full_disk_mid_stream_still_prints_the_answer(background_run, slow_scenario):
    with SessionStore.open():  # the schema exists: the limit below bites on the run's own writes
        pass
    limit = 64 * 1024  # the write-ahead log may grow this far: past the session row, not the answer

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    proc = background_run("--sim", "--scenario", str(slow_scenario), PROMPT, preexec_fn=small_disk)
    _out, err = _finish(proc)
    line = _warning(err)
    assert "sessions.db" in line and ("full" in line or "I/O error" in line), line
    with SessionStore.open() as store:
        assert store.check() == []
        [summary] = store.list_sessions()
        detail = store.get_session(summary.id)
    assert summary.status == "interrupted" and len(detail.events) >= 3  # stopped mid-run, not at start


def test_a_database_deleted_mid_stream_still_prints_the_answer(background_run, slow_scenario):
    proc = background_run("--sim", "--scenario", str(slow_scenario), PROMPT)
    wait_for(lambda: recorded_events() >= 3, what="the session being recorded")
    for name in _session_files():
        os.remove(name)
    _out, err = _finish(proc)
    assert "was deleted or replaced during the run" in _warning(err)


def test_a_database_replaced_mid_stream_still_prints_the_answer(background_run, slow_scenario, tmp_path):
    other = tmp_path / "restored.db"
    with SessionStore.open(other) as store, store.start_session(prompt="from the backup", model="m"):
        pass
    proc = background_run("--sim", "--scenario", str(slow_scenario), PROMPT)
    wait_for(lambda: recorded_events() >= 3, what="the session being recorded")
    db, wal, shm = _session_files()
    os.remove(wal)
    os.remove(shm)
    os.replace(other, db)  # e.g. a backup restored over it
    _out, err = _finish(proc)
    assert "was deleted or replaced during the run" in _warning(err)
    with SessionStore.open() as store:
        assert store.check() == []
        assert [s.prompt for s in store.list_sessions()] == ["from the backup"]  # left alone
