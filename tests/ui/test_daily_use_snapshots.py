"""Snapshots of the everyday-use screens (80x24 and 120x40): the simulator chosen with a key
set (the banner says how back), a follow-up turn in the answer pane, the sessions screen
over a fixed history (a failed session's preview with its error and attempts), and a
paused replay. Sessions are recorded from hand-made events with a fixed creation time, so
each picture is the same on every machine. Update with ``--snapshot-update`` and read the
SVGs as text before accepting."""

from __future__ import annotations

import pytest

from tests.samples import success
from tui_app.retry.events import AttemptError, AttemptStart, Backoff, FirstToken, ResponseStart, RunStart, TextDelta
from tui_app.store import backends
from tui_app.store.sessions import SessionStore

from .conftest import ANSWER, OVERLOADED, play, synthetic_states

SIZES = [(80, 24), (120, 40)]
MODEL = "claude-sonnet-4-6"
CREATED = "2026-01-05T09:30:00.000Z"
RETRIED = [
    RunStart(t=0.0, model=MODEL, max_attempts=4, deadline=60.0),
    AttemptStart(t=0.0, attempt=1, model=MODEL),
    AttemptError(t=0.3, attempt=1, failure=OVERLOADED, duration=0.3),
    Backoff(t=0.3, attempt=1, delay=2.0, reason="retry-after", detail="server asked for 2.0 s via retry-after"),
    AttemptStart(t=2.3, attempt=2, model=MODEL),
    ResponseStart(t=2.4, attempt=2, request_id="req_sim_000002"),
    FirstToken(t=2.5, attempt=2, ttft=0.2),
    TextDelta(t=2.6, attempt=2, text=ANSWER),
    success(2.9, 2, ANSWER, request_id="req_sim_000002", output_tokens=48, ttft=0.2, tokens_per_s=120.0),
]


def _history(store: SessionStore) -> int:
    """Two sessions: one that gave up on a 400, one retried after a 529; the ids and times fixed."""
    failed = synthetic_states()["failed"]
    ids = []
    for prompt, events in (("Summarise the incident report", failed), ("How should a client retry?", RETRIED)):
        backend = backends.simulator("529-then-ok", 0)
        with store.start_session(prompt=prompt, model=MODEL, backend=backend) as recorder:
            for event in events:
                recorder.record(event)
        ids.append(recorder.session_id)
    with store.transaction() as conn:
        conn.execute("UPDATE sessions SET created_at = ?", (CREATED,))
    return ids[-1]


@pytest.fixture
def with_history(snapshot_app, tmp_path):
    """The snapshot app over a store holding ``_history``; yields (app, id of the newest)."""
    store = SessionStore.open(tmp_path / "sessions.db")
    newest = _history(store)
    app = snapshot_app()
    app.backend.store = store
    yield app, newest
    store.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_simulator_with_a_key_set_says_how_back(snap_compare, snapshot_app, monkeypatch, size):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-snapshot")
    assert snap_compare(snapshot_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_follow_up_turn_in_the_answer_pane(snap_compare, snapshot_app, size):
    async def drive(pilot):
        await play(pilot, synthetic_states()["done"])
        screen = pilot.app.main_screen
        await screen.query_one("#output").begin_turn("And with jitter?", note="follow-up · turn 2")
        for event in RETRIED[:1] + [
            AttemptStart(t=0.0, attempt=1, model=MODEL),
            FirstToken(t=0.2, attempt=1, ttft=0.2),
        ]:
            await screen.show_event(event)
        await screen.show_event(TextDelta(t=0.3, attempt=1, text="Jitter spreads the retries out."))
        await screen.show_event(
            success(
                0.4, 1, "Jitter spreads the retries out.", request_id="r", output_tokens=8, ttft=0.2, tokens_per_s=90
            )
        )
        output = screen.query_one("#output")
        for _ in range(200):
            if output.live_text is None and output.scroll_y == output.max_scroll_y:
                break
            await pilot.pause(0.01)
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_sessions_screen_previews_a_failed_session(snap_compare, with_history, size):
    app, _newest = with_history

    async def drive(pilot):
        await pilot.press("ctrl+g")
        for _ in range(200):
            if pilot.app.screen.id == "sessions" and pilot.app.screen.current is not None:
                break
            await pilot.pause(0.01)
        await pilot.press("down")  # the older one: it gave up on a 400
        for _ in range(100):
            await pilot.pause(0.02)
            if "invalid_request_error" in str(pilot.app.screen.query_one("#session-facts").render()):
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=drive)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_paused_replay(snap_compare, with_history, replay_paused_at, size):
    app, newest = with_history

    async def drive(pilot):
        screen = pilot.app.main_screen
        await replay_paused_at(pilot, screen, app.backend.store.get_session(newest), "backoff")

    assert snap_compare(app, terminal_size=size, run_before=drive)
