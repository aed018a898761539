"""``ReplayState``: the one object a replay's pause, step and label come from."""

from __future__ import annotations

import asyncio

from tui_app.retry.events import RunStart, TextDelta
from tui_app.ui.replay_state import ReplayState

EVENTS = [RunStart(t=0.0, model="m"), *(TextDelta(t=0.0, attempt=1, text=c) for c in "abc")]


def test_idle_until_begun_and_after_the_end():
    state = ReplayState()
    assert not state.active and not state.toggle_pause() and not state.step()
    assert state.label("SIMULATOR") == "SIMULATOR"
    state.begin(7, None)
    assert state.label("SIMULATOR") == "REPLAY #7"
    assert state.toggle_pause() and state.paused and state.label("x") == "REPLAY #7 (paused)"
    state.end()
    assert not state.active and not state.paused and state.label("SIMULATOR") == "SIMULATOR"


async def test_pause_holds_step_lets_one_event_through_and_resume_plays_the_rest():
    state, seen = ReplayState(), []

    async def sink(event):
        seen.append(event)
        if len(seen) == 1:
            assert state.toggle_pause()

    state.begin(1, None)
    play = asyncio.create_task(state.play(EVENTS, sink))
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == EVENTS[:1] and state.paused and not play.done()
    assert state.step()
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == EVENTS[:2] and state.paused  # paused again after the one step
    state.toggle_pause()
    await asyncio.wait_for(play, 5)
    assert seen == EVENTS and not state.paused


def test_the_label_says_where_the_session_was_recorded():
    state = ReplayState()
    state.begin(7, 1.0)
    state.recorded_on = "sim:overload-storm#3"
    assert state.label("API") == "REPLAY #7 of sim:overload-storm#3"
    state.toggle_pause()
    assert state.label("API") == "REPLAY #7 of sim:overload-storm#3 (paused)"
    state.begin(8, 1.0)  # the next replay has not been read yet
    assert state.label("API") == "REPLAY #8"
