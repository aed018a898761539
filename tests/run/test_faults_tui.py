"""Recording failures mid-run in the TUI: the answer is shown whole, and one notice says why
the session is not fully recorded (the same run service as ``claude-tui run``)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tui_app import paths
from tui_app.simulator import answer_for

CHARS = 3000
SLOW = {"name": "slow", "answer_chars": CHARS, "tokens_per_second": 120}
"""About 4 s of streaming (~500 deltas): a lock taken once it streams must outlast the
recorder's 2 s of patience (``GIVE_UP_AFTER``) with time to spare; at 200 a second the
margin was a fifth of a second, and an answer ending at an earlier sentence took it."""


def _lock() -> sqlite3.Connection:
    conn = sqlite3.connect(paths.sessions_db(), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _fill(app) -> None:
    conn = app.backend.store._conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")


def _delete(_app) -> None:
    for suffix in ("", "-wal", "-shm"):
        os.remove(f"{paths.sessions_db()}{suffix}")


@pytest.mark.parametrize(
    "fault, why",
    [
        ("locked", "stayed locked by another process"),
        ("full", "database or disk is full"),
        ("deleted", "was deleted or replaced during the run"),
    ],
)
async def test_a_recording_failure_mid_run_shows_the_answer_and_one_notice(
    make_app, started, send, wait_until, fault, why
):
    app, _sim = make_app(SLOW)
    held: list[sqlite3.Connection] = []
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await started(pilot)
        await send(pilot, "hello")
        await wait_until(pilot, lambda: screen.run_state.state == "streaming", what="the stream")
        if fault == "locked":
            held.append(_lock())
        else:
            (_fill if fault == "full" else _delete)(app)
        try:
            await wait_until(pilot, lambda: screen.run_state.state == "done" and not screen.is_busy, timeout=30)
        finally:
            for conn in held:
                conn.execute("ROLLBACK")
                conn.close()
        assert screen.query_one("#output").last_answer == answer_for("hello", chars=CHARS)
        notes = [n.message for n in app._notifications if "not fully recorded" in n.message]
    assert len(notes) == 1 and why in notes[0] and notes[0].startswith("session 1 is not fully recorded: ")
