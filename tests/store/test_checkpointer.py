"""The write-ahead log is copied into the database on a worker thread, not at close on the loop."""

from __future__ import annotations

import asyncio

from tui_app import paths
from tui_app.retry.events import RunStart, TextDelta
from tui_app.store.sessions import SessionStore


def _db_file_size() -> int:
    return paths.sessions_db().stat().st_size


async def test_a_recorders_writes_reach_the_database_file_before_close():
    with SessionStore.open() as store:
        before = _db_file_size()
        rec = store.start_session(prompt="p", model="m")
        rec.record(RunStart(t=0.0, model="m"))
        for i in range(2000):
            rec.record(TextDelta(t=0.001 * i, attempt=1, text="x" * 100))
        rec.flush()
        for _ in range(500):  # bounded: the worker runs one checkpoint
            if store._checkpointer.checkpoints:
                break
            await asyncio.sleep(0.01)
        assert store._checkpointer.checkpoints >= 1
        assert _db_file_size() > before + 100_000  # the 200 kB of text left the log for the file
        rec.finish()
    assert not paths.sessions_db().with_name(paths.sessions_db().name + "-wal").exists()  # the last close cleaned up
    with SessionStore.open() as store:
        assert len(store.get_session(rec.session_id).events) == 2001


def test_a_store_that_only_reads_never_starts_the_worker():
    with SessionStore.open() as store:
        store.list_sessions()
        assert store._checkpointer._thread is None


def test_close_waits_for_the_worker():
    store = SessionStore.open()
    rec = store.start_session(prompt="p", model="m")
    rec.record(RunStart(t=0.0, model="m"))  # written at once: pokes the worker
    thread = store._checkpointer._thread
    assert thread is not None
    store.close()
    assert not thread.is_alive()
