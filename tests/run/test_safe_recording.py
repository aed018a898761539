"""The recorder's bounded wait for a locked database, and recording that never breaks a run."""

from __future__ import annotations

import os

import pytest

from tui_app.retry.events import AttemptStart, RunStart, Success, TextDelta
from tui_app.run.recording import SafeRecorder
from tui_app.store import recorder as recorder_module
from tui_app.store.errors import StoreError
from tui_app.store.recorder import GIVE_UP_AFTER, LOCK_WAIT, RecordingLost, SessionRecorder

START = [RunStart(t=0.0, model="m", max_attempts=1), AttemptStart(t=0.0, attempt=1, model="m")]
DONE = Success(t=1.0, attempt=1, text="abc", stop_reason="end_turn", elapsed=1.0)


@pytest.fixture
def rec(store, clock) -> SessionRecorder:
    started = store.start_session(prompt="p", model="m")
    return SessionRecorder(store, started.session_id, clock=clock.clock)


@pytest.fixture
def waits(store, monkeypatch) -> list[float | None]:
    """The busy timeout each of the store's write transactions was given."""
    seen: list[float | None] = []
    transaction = store.transaction

    def spy(*, busy_timeout=None):
        seen.append(busy_timeout)
        return transaction(busy_timeout=busy_timeout)

    monkeypatch.setattr(store, "transaction", spy)
    return seen


def _stored(store, session_id: int) -> tuple[str, list[str]]:
    detail = store.get_session(session_id)
    return detail.status, [e.type for e in detail.events]


def test_a_locked_write_waits_briefly_keeps_the_events_and_retries(rec, store, blocker, clock, waits):
    for event in START:
        rec.record(event)
    lock = blocker()
    rec.record(TextDelta(t=0.1, attempt=1, text="a"))
    with pytest.raises(StoreError, match="database is locked"):
        rec.flush()
    assert waits[-1] == LOCK_WAIT and rec.lost is None
    lock.execute("ROLLBACK")
    clock.now += 0.5
    rec.record(DONE)
    rec.finish()
    assert _stored(store, rec.session_id) == ("ok", ["run_start", "attempt_start", "text", "success"])


def test_writes_failing_for_the_whole_patience_give_up_and_leave_a_whole_session(rec, store, blocker, clock):
    for event in START:
        rec.record(event)
    blocker()
    rec.record(TextDelta(t=0.1, attempt=1, text="a"))  # buffered: no event loop, no batch yet
    with pytest.raises(StoreError):
        rec.flush()
    clock.now += GIVE_UP_AFTER
    with pytest.raises(RecordingLost, match="stayed locked by another process for over 2 s") as lost:
        rec.flush()
    assert str(store.path) in str(lost.value) and rec.lost == str(lost.value)
    with pytest.raises(RecordingLost):  # from now on every call says so, and writes nothing
        rec.record(TextDelta(t=0.2, attempt=1, text="b"))
    with pytest.raises(RecordingLost):
        rec.finish()
    status, types = _stored(store, rec.session_id)
    assert status in ("running", "interrupted") and types == ["run_start", "attempt_start"]


def test_finish_waits_out_the_rest_of_the_patience(rec, store, blocker, clock, waits):
    for event in START:
        rec.record(event)
    lock = blocker()
    rec.record(TextDelta(t=0.1, attempt=1, text="a"))
    with pytest.raises(StoreError):
        rec.flush()
    clock.now += 1.5
    with pytest.raises(RecordingLost):
        rec.finish()
    assert waits[-2] == pytest.approx(GIVE_UP_AFTER - 1.5)  # then one no-wait try to store "interrupted"
    lock.execute("ROLLBACK")
    detail = store.get_session(rec.session_id)  # the row is as it was: read as interrupted once we exit
    assert (detail.status, detail.pid) == ("running", os.getpid())
    assert [e.type for e in detail.events] == ["run_start", "attempt_start"]  # no half of the rest


def test_a_full_disk_gives_up_and_stores_the_session_as_interrupted(rec, store, clock):
    for event in START:
        rec.record(event)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
    for i in range(1000):
        clock.now += 1.0
        try:
            rec.record(AttemptStart(t=0.1, attempt=i + 2, model="m" * 2000))
        except RecordingLost:
            break
        except StoreError:
            continue  # kept for the next write, until the patience is over
    assert rec.lost is not None and "database or disk is full" in rec.lost
    status, types = _stored(store, rec.session_id)
    assert status == "interrupted" and types[:2] == ["run_start", "attempt_start"] and "success" not in types


def test_a_database_deleted_under_the_recorder_is_given_up_at_once(rec, store):
    rec.record(START[0])
    os.remove(store.path)
    with pytest.raises(RecordingLost, match="was deleted or replaced during the run"):
        rec.record(START[1])


def test_safe_recorder_says_once_why_and_never_raises(rec, store, blocker, clock):
    notices: list[str] = []
    safe = SafeRecorder(rec, notices.append)
    safe.record(START[0])
    blocker()
    for i in range(5):
        clock.now += 1.0
        safe.record(TextDelta(t=0.1 * i, attempt=1, text="x"))
        safe.record(AttemptStart(t=0.1 * i, attempt=2, model="m"))  # written at once: fails
    safe.record(DONE)
    safe.finish()
    assert len(notices) == 1 and notices == [f"session {rec.session_id} is not fully recorded: {rec.lost}"]
    assert safe.problem == rec.lost and "locked" in notices[0]


def test_safe_recorder_shows_a_bug_in_recording_as_a_notice(store, monkeypatch):
    notices: list[str] = []
    safe = SafeRecorder(store.start_session(prompt="p", model="m"), notices.append)
    monkeypatch.setattr(recorder_module, "encode", lambda event: 1 / 0)
    safe.record(START[0])
    safe.record(DONE)
    safe.finish()
    reason = "ZeroDivisionError: division by zero (please report this)"
    assert notices == [f"session {safe.session_id} is not fully recorded: {reason}"]


async def test_finishing_waits_for_a_locked_database_off_the_event_loop(rec, store, blocker):
    """The run's end waits (bounded) for the lock in a worker thread: the loop goes on, so a
    lock released meanwhile, by a callback on that very loop, lets the session complete."""
    import asyncio

    notices: list[str] = []
    safe = SafeRecorder(rec, notices.append)
    for event in (*START, DONE):
        safe.record(event)
    lock = blocker()
    released: list[bool] = []
    asyncio.get_running_loop().call_later(0.2, lambda: released.append(lock.execute("ROLLBACK") is not None))
    await safe.finished()
    assert released == [True] and notices == [] and safe.problem is None
    assert _stored(store, rec.session_id) == ("ok", ["run_start", "attempt_start", "success"])


async def test_finishing_off_the_loop_stops_the_flush_timer_first(rec, store):
    """The timer that flushes text deltas is the loop's: after the hand-over only the worker
    writes, so no flush can run beside the final transaction."""
    safe = SafeRecorder(rec, [].append)
    safe.record(START[0])
    safe.record(TextDelta(t=0.1, attempt=1, text="a"))  # arms the timer (a loop is running)
    assert rec._timer is not None
    await safe.finished()
    assert rec._timer is None and rec.finished
    assert _stored(store, rec.session_id) == ("interrupted", ["run_start", "text"])
