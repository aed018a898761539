"""Conversations in the store: a follow-up turn is a session that ``follows`` the one before."""

from __future__ import annotations

import pytest

from tests.samples import success
from tui_app.retry.events import AttemptStart, RunStart, TextDelta
from tui_app.store.conversation import history_before, history_through, turn_ids
from tui_app.store.errors import StoreError
from tui_app.store.sessions import SessionStore


def _turn(store: SessionStore, prompt: str, answer: str | None, follows: int | None = None) -> int:
    recorder = store.start_session(prompt=prompt, model="m", follows=follows)
    with recorder:
        for event in (RunStart(t=0.0, model="m"), AttemptStart(t=0.0, attempt=1, model="m")):
            recorder.record(event)
        if answer is not None:
            recorder.record(TextDelta(t=0.1, attempt=1, text=answer))
            recorder.record(success(0.2, 1, answer, request_id="r", output_tokens=1, ttft=0.1, tokens_per_s=10))
    return recorder.session_id


def test_the_chain_of_follows_links_is_the_conversation(tmp_path):
    with SessionStore.open(tmp_path / "s.db") as store:
        one = _turn(store, "Q1", "A1")
        two = _turn(store, "Q2", "A2", follows=one)
        three = _turn(store, "Q3", "A3", follows=two)
        other = _turn(store, "elsewhere", "x")
        assert turn_ids(store, three) == [one, two, three]
        assert history_through(store, two) == (("Q1", "A1"), ("Q2", "A2"))
        assert history_before(store, None) == ()
        assert store.get_session(three).follows == two and store.get_session(other).follows is None
        assert [s.follows for s in store.list_sessions(limit=10)] == [None, two, one, None]


def test_a_turn_without_an_answer_cannot_be_followed_up(tmp_path):
    with SessionStore.open(tmp_path / "s.db") as store:
        one = _turn(store, "Q1", "A1")
        two = _turn(store, "Q2", None, follows=one)  # interrupted: no outcome
        with pytest.raises(StoreError, match=rf"session {two} has no answer to follow up \(interrupted\): re-run it"):
            history_through(store, two)
        with pytest.raises(StoreError, match="no session with id 99"):
            history_through(store, 99)
        with pytest.raises(StoreError, match="cannot link to session 99"):
            store.start_session(prompt="p", model="m", follows=99)


def test_deleting_a_turn_unlinks_the_turns_after_it(tmp_path):
    with SessionStore.open(tmp_path / "s.db") as store:
        one = _turn(store, "Q1", "A1")
        two = _turn(store, "Q2", "A2", follows=one)
        store.delete_session(one)
        assert store.get_session(two).follows is None and turn_ids(store, two) == [two]


def test_a_follow_ups_export_shows_the_conversation(tmp_path):
    from tui_app.store.export import export_session

    with SessionStore.open(tmp_path / "s.db") as store:
        one = _turn(store, "Q1", "A1")
        two = _turn(store, "Q2", "A2", follows=one)
        detail, earlier = store.get_session(two), store.chain(two)[:-1]
        md = export_session(detail, "md", earlier=earlier)
        assert "## Conversation (1 earlier turn)" in md and f"### Turn 1 (session {one})" in md
        assert md.index("Q1") < md.index("A1") < md.index("## Prompt") < md.index("Q2")
        assert f"| Follows up | session {one} |" in md
        import json

        data = json.loads(export_session(detail, "json", earlier=earlier))
        assert data["follows"] == one
        assert data["conversation"] == [{"session": one, "prompt": "Q1", "answer": "A1", "status": "ok"}]
        # (its program, with the conversation: tests/codegen/test_export.py, from a recorded run)
