"""Sessions: outcomes, listing, full-text search, interruption, deletion, concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tui_app import paths
from tui_app.retry.events import AttemptStart, RunStart
from tui_app.settings import RunSettings
from tui_app.store.errors import SessionNotFound, StoreError
from tui_app.store.sessions import SessionStore, fts_query

from .conftest import REPO, cancelled, count_events, gave_up, overloaded_then_ok


def test_a_529_then_ok_run_is_stored_whole(store, record):
    events = overloaded_then_ok()
    settings = RunSettings(preset="streaming").to_dict()
    sid = record(events, prompt="Say hello", system="Be brief.", settings=settings)
    [summary] = store.list_sessions()
    assert (summary.id, summary.status, summary.attempts, summary.model) == (sid, "ok", 2, "test-model-a")
    assert (summary.input_tokens, summary.output_tokens, summary.elapsed, summary.error) == (12, 7, 0.7, None)
    assert summary.created_at.endswith("Z")
    detail = store.get_session(sid)
    assert detail.events == events
    assert detail.response == "Hello there, world." and detail.system == "Be brief."
    assert detail.settings == json.loads(json.dumps(settings))
    assert detail.pid == os.getpid()


@pytest.mark.parametrize(
    "events, status, error",
    [(gave_up(), "failed", "max_attempts: overloaded_error"), (cancelled(), "cancelled", "cancelled during request")],
)
def test_failed_and_cancelled_outcomes(store, record, events, status, error):
    sid = record(events)
    detail = store.get_session(sid)
    assert (detail.status, detail.error, detail.response, detail.attempts) == (status, error, None, 1)
    assert detail.events == events


def test_stopping_without_a_terminal_event_is_interrupted(store, record):
    events = overloaded_then_ok()[:9]
    sid = record(events)
    detail = store.get_session(sid)
    assert detail.status == "interrupted" and detail.elapsed == events[-1].t
    assert detail.partial_text == events[-2].text + events[-1].text


def test_finish_is_idempotent_and_closes_the_session(store):
    rec = store.start_session(prompt="p", model="m")
    for event in gave_up():
        rec.record(event)
    rec.finish()
    rec.finish()
    assert store.get_session(rec.session_id).status == "failed"
    with pytest.raises(StoreError, match="is finished"):
        rec.record(gave_up()[0])


def test_re_run_links_to_its_parent(store, record):
    parent = record(overloaded_then_ok())
    child = record(overloaded_then_ok(), parent_id=parent)
    assert store.get_session(child).parent_id == parent
    store.delete_session(parent)
    assert store.get_session(child).parent_id is None
    with pytest.raises(StoreError, match="cannot link to session 999: no session with that id"):
        store.start_session(prompt="p", model="m", parent_id=999)


def test_list_is_newest_first_and_limited(store, record):
    ids = [record([], prompt=f"prompt {i}") for i in range(5)]
    assert [s.id for s in store.list_sessions()] == ids[::-1]
    assert [s.id for s in store.list_sessions(limit=2)] == ids[:2:-1]
    assert len(store.list_sessions(limit=None)) == 5


def test_search_finds_words_in_prompts_and_answers(store, record):
    a = record(overloaded_then_ok(answer="Pelicans are large water birds."), prompt="Tell me about birds")
    b = record(overloaded_then_ok(answer="Rust has a borrow checker."), prompt="Explain ownership")
    assert [s.id for s in store.list_sessions(search="pelicans")] == [a]  # answer, any case
    assert [s.id for s in store.list_sessions(search="OWNERSHIP")] == [b]  # prompt
    assert [s.id for s in store.list_sessions(search="borr")] == [b]  # word prefix
    assert [s.id for s in store.list_sessions(search="birds tell")] == [a]  # every word, any order
    assert store.list_sessions(search="birds rust") == []
    assert [s.id for s in store.list_sessions(search="   ")] == [b, a]  # blank: no filter


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "a AND",
    '"unclosed',
    "prompt:x",
    "^x",
    "-x",
    "(",
    ")",
    "{a b}",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "💥",
    "‮rtl",
    "%_",
    "\\",
    "NEAR(a b, 2)",
    "a OR",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_never_crashes(store, record, text):
    record(overloaded_then_ok(), prompt='AND OR NOT "quoted" prompt:x a*b')
    result = store.list_sessions(search=text)
    assert isinstance(result, list)


def test_search_operators_are_plain_words(store, record):
    sid = record([], prompt="we say AND and NOT here")
    record([], prompt="something else")
    assert [s.id for s in store.list_sessions(search="NOT")] == [sid]
    assert fts_query('say "AND* x') == '"say"* "AND"* "x"*'
    assert fts_query('"*()') is None


def test_deleted_sessions_leave_nothing_behind(store, record, raw_db):
    sid = record(overloaded_then_ok(answer="unique zebra"))
    store.delete_session(sid)
    with pytest.raises(SessionNotFound, match=f"no session with id {sid}"):
        store.get_session(sid)
    assert store.list_sessions(search="zebra") == []
    assert count_events(raw_db()) == 0
    with pytest.raises(SessionNotFound):
        store.delete_session(sid)


def test_a_live_session_cannot_be_deleted(store):
    rec = store.start_session(prompt="p", model="m")
    with pytest.raises(StoreError, match=f"session {rec.session_id} is still running \\(pid {os.getpid()}\\)"):
        store.delete_session(rec.session_id)


def _insert_running(pid: int) -> int:
    with sqlite3.connect(paths.sessions_db()) as conn:
        cur = conn.execute(
            "INSERT INTO sessions (created_at, prompt, model, status, pid) VALUES ('2024-01-01T00:00:00Z', 'p', 'm', 'running', ?)",
            (pid,),
        )
        conn.execute("INSERT INTO events VALUES (?, 1, 0.0, 'run_start', '{}')", (cur.lastrowid,))
    conn.close()
    return cur.lastrowid


def test_a_dead_writer_is_reported_and_then_stored_as_interrupted(store, dead_pid, raw_db):
    sid = _insert_running(dead_pid)
    assert store.list_sessions()[0].status == "interrupted"  # at once, before any reopen
    assert store.get_session(sid).status == "interrupted"
    assert len(store.get_session(sid).events) == 1
    with SessionStore.open():
        pass
    assert raw_db().execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone() == ("interrupted",)
    store.delete_session(sid)  # no longer running: deletable


def test_a_live_writer_of_another_process_is_left_running(store, raw_db):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        sid = _insert_running(sleeper.pid)
        with SessionStore.open() as other:
            assert other.get_session(sid).status == "running"
        assert raw_db().execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone() == ("running",)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert store.get_session(sid).status == "interrupted"


WRITER = """
import os, sys, time
from tui_app.retry.events import RunStart, TextDelta, Success
from tui_app.store.sessions import SessionStore

tag, sessions, deltas, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with SessionStore.open() as store:
    while not os.path.exists(go):  # start together, so the writes really interleave
        time.sleep(0.001)
    for n in range(sessions):
        with store.start_session(prompt=f"{tag} session {n}", model="m") as rec:
            rec.record(RunStart(t=0.0, model="m"))
            for i in range(deltas):
                rec.record(TextDelta(t=i / 1000, attempt=1, text="x"))
            rec.record(Success(t=1.0, attempt=1, text="x" * deltas))
"""


def test_two_processes_writing_at_once_lose_nothing(store, raw_db, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag, "25", "120", str(go)], env=env, stderr=subprocess.PIPE, text=True
        )
        for tag in ("alpha", "beta")
    ]
    time.sleep(0.3)
    go.touch()
    for proc in writers:
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    sessions = store.list_sessions(limit=None)
    assert len(sessions) == 50 and {s.status for s in sessions} == {"ok"}
    assert len(store.list_sessions(search="alpha", limit=None)) == 25
    assert count_events(raw_db()) == 50 * 122


KILLED = """
import sys, time
from tui_app.retry.events import AttemptStart, RunStart, TextDelta
from tui_app.store.recorder import FLUSH_INTERVAL
from tui_app.store.sessions import SessionStore

store = SessionStore.open()
rec = store.start_session(prompt="killed mid-stream", model="m")
rec.record(RunStart(t=0.0, model="m"))
rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
for i in range(120):
    rec.record(TextDelta(t=0.01 * i, attempt=1, text=f"{i} "))
    if i == 99:
        time.sleep(FLUSH_INTERVAL * 1.5)  # the stream pauses: the next delta finds the batch old enough
print(rec.session_id, flush=True)
time.sleep(60)
"""


def test_sigkill_mid_stream_leaves_an_intact_interrupted_session(store):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED], env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, text=True
    )
    sid = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with SessionStore.open() as after:
        assert after.check() == []
        [summary] = after.list_sessions()
        assert (summary.id, summary.status, summary.attempts) == (sid, "interrupted", 1)
        events = after.get_session(sid).events
    # At least the 101 deltas up to the pause were written; a few after it may still have waited.
    assert [type(e) for e in events[:2]] == [RunStart, AttemptStart]
    assert 2 + 101 <= len(events) <= 2 + 120
    assert [e.text for e in events[2:]] == [f"{i} " for i in range(len(events) - 2)]
