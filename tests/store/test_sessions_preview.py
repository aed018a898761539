"""``get_preview``: what the sessions screen shows, equal to the full session's, read cheaply."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_app.retry.events import AttemptStart, RunStart, Success, TextDelta
from tui_app.store import rows
from tui_app.store.errors import SessionNotFound
from tui_app.store.sessions import OUTCOME_TYPES

from .conftest import cancelled, gave_up, overloaded_then_ok


def _outcomes(detail):
    return [e for e in detail.events if e.type in OUTCOME_TYPES]


@pytest.mark.parametrize("events", [overloaded_then_ok(), gave_up(), cancelled()], ids=["ok", "gave-up", "cancelled"])
def test_the_preview_says_what_the_full_session_says(store, record, events):
    sid = record(events, prompt="Say hello", system="Be brief.", settings={"model": "m"})
    detail, preview = store.get_session(sid), store.get_preview(sid)
    summary_fields = ("id", "created_at", "model", "status", "attempts", "prompt", "elapsed", "error", "parent_id")
    assert [getattr(preview, f) for f in summary_fields] == [getattr(detail, f) for f in summary_fields]
    assert (preview.system, preview.settings) == ("Be brief.", {"model": "m"})
    answer = detail.response or detail.partial_text
    assert (preview.answer, preview.answer_chars) == (answer, len(answer))
    assert list(preview.outcomes) == [replace(e, text="") if e.type == "success" else e for e in _outcomes(detail)]


def test_a_long_answer_is_cut_and_its_deltas_never_rebuilt(store, record, monkeypatch):
    answer = "word " * 10_000
    events = [
        RunStart(t=0.0, model="m"),
        AttemptStart(t=0.0, attempt=1, model="m"),
        *(TextDelta(t=0.1, attempt=1, text=answer[i : i + 5]) for i in range(0, len(answer), 5)),
        Success(t=1.0, attempt=1, text=answer, elapsed=1.0),
    ]
    sid = record(events)
    expanded = []
    monkeypatch.setattr(rows, "_expand", lambda payload: expanded.append(payload) or iter(()))
    preview = store.get_preview(sid, max_chars=300)
    assert (preview.answer, preview.answer_chars) == (answer[:300], len(answer))
    assert [e.type for e in preview.outcomes] == ["success"]
    assert expanded == []


def test_an_interrupted_session_previews_its_last_attempts_text(store, record):
    events = [
        RunStart(t=0.0, model="m"),
        AttemptStart(t=0.0, attempt=1, model="m"),
        TextDelta(t=0.1, attempt=1, text="dropped "),
        AttemptStart(t=0.2, attempt=2, model="m"),
        TextDelta(t=0.3, attempt=2, text="kept "),
        TextDelta(t=0.4, attempt=2, text="so far"),
    ]
    sid = record(events)
    preview = store.get_preview(sid, max_chars=7)
    assert preview.status == "interrupted"
    assert (preview.answer, preview.answer_chars) == ("kept so", len("kept so far"))
    assert store.get_session(sid).partial_text == "kept so far"


def test_older_text_rows_are_previewed_too():
    """Rows written before deltas were coalesced: one per delta, or a list of texts."""
    datas = ['{"attempt":1,"text":"a"}', '{"attempt":2,"texts":["b","c"],"ts":[0.1,0.2]}', '{"attempt":2,"text":"d"}']
    assert rows.last_attempt_text(1, datas, 10) == ("bcd", 3)


def test_an_unknown_session_is_not_found(store):
    with pytest.raises(SessionNotFound):
        store.get_preview(12345)
