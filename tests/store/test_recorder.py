"""The recorder batches text deltas and writes everything else at once."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from tui_app.retry.events import AttemptError, AttemptStart, Backoff, Cancelled, RunStart, Success, TextDelta
from tui_app.store import recorder as recorder_module
from tui_app.store.errors import StoreError
from tui_app.store.recorder import FLUSH_EVERY, FLUSH_INTERVAL, MIN_FLUSH_GAP, SessionRecorder

from .conftest import OVERLOADED, count_events


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rec(store, clock) -> SessionRecorder:
    """A recorder on a fake clock (so the 100 ms rule fires only when a test says so)."""
    started = store.start_session(prompt="p", model="m")
    return SessionRecorder(store, started.session_id, clock=clock)


@pytest.fixture
def stored(raw_db, rec):
    """How many events another connection can see for ``rec``'s session."""
    conn = raw_db()
    return lambda: count_events(conn, rec.session_id)


def delta(i: int) -> TextDelta:
    return TextDelta(t=0.001 * i, attempt=1, text="x")


def test_non_text_events_are_written_at_once(rec, stored):
    rec.record(RunStart(t=0.0, model="m"))
    rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
    assert stored() == 2


def test_deltas_wait_for_a_batch_of_fifty(rec, stored):
    for i in range(FLUSH_EVERY - 1):
        rec.record(delta(i))
    assert stored() == 0
    rec.record(delta(FLUSH_EVERY))
    assert stored() == FLUSH_EVERY


def test_a_fast_stream_is_written_at_most_once_per_gap(rec, stored, clock):
    for i in range(FLUSH_EVERY):
        rec.record(delta(i))
    assert stored() == FLUSH_EVERY  # the first batch: nothing was written before
    for i in range(3 * FLUSH_EVERY):
        rec.record(delta(i))
    assert stored() == FLUSH_EVERY  # no time has passed: keep gathering
    clock.now += MIN_FLUSH_GAP
    rec.record(delta(0))
    assert stored() == 4 * FLUSH_EVERY + 1


def test_deltas_older_than_the_flush_interval_are_flushed_with_the_next_one(rec, stored, clock):
    rec.record(delta(1))
    clock.now += FLUSH_INTERVAL / 2
    rec.record(delta(2))
    assert stored() == 0
    clock.now += FLUSH_INTERVAL / 2
    rec.record(delta(3))
    assert stored() == 3


def test_flush_makes_buffered_deltas_visible(rec, stored):
    for i in range(3):
        rec.record(delta(i))
    rec.flush()
    assert stored() == 3


@pytest.mark.parametrize(
    "urgent",
    [
        Backoff(t=1.0, attempt=1, delay=0.5),
        Success(t=1.0, attempt=1, text="xxx"),
        Cancelled(t=1.0, attempt=1),
    ],
    ids=lambda e: e.type,
)
def test_errors_backoffs_and_outcomes_flush_what_came_before(rec, stored, urgent):
    for i in range(3):
        rec.record(delta(i))
    rec.record(urgent)
    assert stored() == 4


def test_attempt_count_is_kept_up_to_date_during_the_run(store, rec, raw_db):
    rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
    rec.record(AttemptStart(t=1.0, attempt=2, model="m"))
    row = raw_db().execute("SELECT attempts, status FROM sessions WHERE id = ?", (rec.session_id,)).fetchone()
    assert row == (2, "running")


def test_the_session_lists_the_model_that_answered(store, rec):
    rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
    rec.record(AttemptError(t=0.5, attempt=1, failure=OVERLOADED, duration=0.5))
    rec.record(AttemptStart(t=1.0, attempt=2, model="fallback-m", fallback_reason="m was overloaded"))
    rec.record(Success(t=2.0, attempt=2, text="hi", elapsed=2.0))
    rec.finish()
    [summary] = store.list_sessions()
    assert summary.model == "fallback-m"


async def test_a_quiet_stream_is_flushed_by_a_timer(rec, stored, monkeypatch):
    monkeypatch.setattr(recorder_module, "FLUSH_INTERVAL", 0.01)
    rec.record(delta(1))
    assert stored() == 0
    for _ in range(200):
        await asyncio.sleep(0.005)
        if stored():
            break
    assert stored() == 1


def test_a_failed_flush_keeps_the_events_for_the_next_one(rec, stored, raw_db):
    for i in range(3):
        rec.record(delta(i))
    blocker = raw_db()
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock...
    rec._store._conn.execute("PRAGMA busy_timeout = 0")  # ...longer than we wait
    with pytest.raises(StoreError, match="database is locked"):
        rec.flush()
    blocker.execute("ROLLBACK")
    rec.flush()
    assert stored() == 3


def test_failure_event_round_trips_through_the_recorder(store, rec):
    event = AttemptError(t=0.2, attempt=1, failure=OVERLOADED, duration=0.2, partial_text="par")
    rec.record(event)
    rec.finish()
    assert store.get_session(rec.session_id).events == [event]


def test_consecutive_deltas_share_a_row_and_keep_their_times(store, rec, raw_db):
    events = [
        TextDelta(t=0.5, attempt=1, text="hé"),
        TextDelta(t=0.6000000000000001, attempt=1, text='"q"'),
        TextDelta(t=0.7, attempt=2, text="new attempt"),
        Success(t=0.8, attempt=2, text="new attempt"),
    ]
    for event in events:
        rec.record(event)
    rows = raw_db().execute("SELECT seq, t, type, data FROM events WHERE session_id = ?", (rec.session_id,)).fetchall()
    assert [row[:3] for row in rows[:2]] == [(1, 0.5, "text"), (2, 0.7, "text")]
    first, second = (json.loads(row[3]) for row in rows[:2])
    assert (first["attempt"], first["text"], first["lens"]) == (1, 'hé"q"', [2, 3])
    assert (second["attempt"], second["text"], second["lens"]) == (2, "new attempt", [11])
    assert store.get_session(rec.session_id).events == events  # every delta's time exact


def test_rows_of_the_older_list_form_are_read_too(store, raw_db):
    """Sessions recorded before times were packed: ``{"attempt", "texts", "ts"}``."""
    rec = store.start_session(prompt="p", model="m")
    with raw_db() as conn:
        conn.execute(
            "INSERT INTO events VALUES (?, 1, 0.5, 'text', ?)",
            (rec.session_id, '{"attempt":1,"texts":["a","bc"],"ts":[0.5,0.75]}'),
        )
    assert store.get_session(rec.session_id).events == [
        TextDelta(t=0.5, attempt=1, text="a"),
        TextDelta(t=0.75, attempt=1, text="bc"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        '{"attempt":1,"text":"abc","lens":[1,1],"ts64":"AAAAAAAA4D8AAAAAAADoPw=="}',  # lengths short of the text
        '{"attempt":1,"text":"ab","lens":[1,1],"ts64":"AAAAAAAA4D8="}',  # one time for two deltas
        '{"attempt":1,"text":"ab","lens":[1,1],"ts64":"not base64!"}',
        '{"attempt":1,"text":"ab","lens":[1,1]}',  # no times
        '{"attempt":1,"texts":["a"],"ts":[]}',  # older form, one time short
        '{"attempt":1,"texts":',  # cut-off JSON
    ],
)
def test_a_damaged_text_row_is_a_clear_store_error(store, raw_db, data):
    rec = store.start_session(prompt="p", model="m")
    with raw_db() as conn:
        conn.execute("INSERT INTO events VALUES (?, 1, 0.5, 'text', ?)", (rec.session_id, data))
    with pytest.raises(StoreError, match=f"session {rec.session_id} holds a damaged event row"):
        store.get_session(rec.session_id)


def test_one_delta_rows_are_read_too(store, raw_db):
    """The plain per-event form (written when deltas cannot be coalesced) reads back."""
    rec = store.start_session(prompt="p", model="m")
    with raw_db() as conn:
        conn.execute(
            'INSERT INTO events VALUES (?, 1, 0.25, \'text\', \'{"attempt":1,"text":"hi"}\')', (rec.session_id,)
        )
    assert store.get_session(rec.session_id).events == [TextDelta(t=0.25, attempt=1, text="hi")]


def test_store_is_usable_from_another_thread(store):
    """The TUI may record from a worker thread: one connection, guarded by a lock."""
    results = []

    def work():
        with store.start_session(prompt="threaded", model="m") as rec:
            rec.record(Success(t=0.1, attempt=1, text="done"))
        results.append(rec.session_id)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert store.get_session(results[0]).response == "done"


async def test_under_a_loop_every_delta_is_kept_in_order_across_attempts(rec, store):
    """With the timer armed, deltas take the hot path (two appends); a new attempt still
    starts a new row and every time stays exact."""
    events = [TextDelta(t=0.001 * i, attempt=1 + i // 300, text=f"d{i}") for i in range(900)]
    for event in events:
        rec.record(event)
    assert rec._timer is not None  # the hot path's condition held
    rec.finish()
    assert store.get_session(rec.session_id).events == events


def test_a_success_row_does_not_store_the_answer_a_third_time(store, rec, raw_db):
    """The response column and the deltas hold it; the row points at the response."""
    events = [
        AttemptStart(t=0.0, attempt=1, model="m"),
        TextDelta(t=0.1, attempt=1, text="the answer"),
        Success(t=0.2, attempt=1, text="the answer", elapsed=0.2),
    ]
    for event in events:
        rec.record(event)
    rec.finish()
    [data] = raw_db().execute("SELECT data FROM events WHERE type = 'success'").fetchone()
    assert "the answer" not in data and json.loads(data)["text_from"] == "response"
    assert store.get_session(rec.session_id).events == events


def test_while_running_a_success_text_is_rebuilt_from_carried_text_and_deltas(store, rec):
    """Between the success row and finish() (or if the writer died there) the response
    column is still empty: the text comes from what it is made of."""
    events = [
        AttemptStart(t=0.0, attempt=1, model="m"),
        TextDelta(t=0.1, attempt=1, text="cut "),
        AttemptStart(t=0.5, attempt=2, model="m", carried_text="cut "),
        TextDelta(t=0.6, attempt=2, text="and "),
        TextDelta(t=0.7, attempt=2, text="continued"),
        Success(t=0.8, attempt=2, text="cut and continued", elapsed=0.8),
    ]
    for event in events:
        rec.record(event)
    assert store.get_session(rec.session_id).events == events


def test_thinking_deltas_are_batched_like_text_and_read_back_in_order(rec, stored, store):
    from tui_app.retry.events import ThinkingDelta

    thinking = [ThinkingDelta(t=0.01 * i, attempt=1, text=f"t{i} ") for i in range(FLUSH_EVERY - 2)]
    events = [RunStart(t=0.0, model="m"), AttemptStart(t=0.0, attempt=1, model="m"), *thinking]
    events += [ThinkingDelta(t=0.6, attempt=1, text="", redacted=True), delta(700), delta(701)]
    for event in events:
        rec.record(event)
    assert stored() == 2  # the deltas, thinking or text, wait for a batch
    rec.record(Success(t=0.8, attempt=1, text="xx", stop_reason="end_turn", thinking="", elapsed=0.8))
    rec.finish()
    back = store.get_session(rec.session_id).events
    assert [(e.type, getattr(e, "text", None)) for e in back[:-1]] == [
        (e.type, getattr(e, "text", None)) for e in events
    ]
    assert back[len(thinking) + 2].redacted
