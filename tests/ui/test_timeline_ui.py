"""The attempts timeline on screen: live against the simulator, the same in replay, the
narrow-terminal swap (t), and snapshots at 80x24 and 120x40."""

from __future__ import annotations

import pytest

from tests.samples import overloaded, success
from tui_app.retry.events import (
    AttemptError,
    AttemptStart,
    Backoff,
    FirstToken,
    ResponseStart,
    RunStart,
    TextDelta,
    ThinkingDelta,
)

from .conftest import ANSWER, play

NEAR_DEADLINE = [
    RunStart(t=0.0, model="claude-sonnet-4-6", max_attempts=4, deadline=4.0),
    AttemptStart(t=0.0, attempt=1, model="claude-sonnet-4-6"),
    AttemptError(t=0.4, attempt=1, failure=overloaded("req_sim_000001"), duration=0.4),
    Backoff(t=0.4, attempt=1, delay=0.9, reason="backoff", detail="exponential backoff 0.9 s"),
    AttemptStart(t=1.3, attempt=2, model="claude-sonnet-4-6"),
    ResponseStart(t=1.5, attempt=2, request_id="req_sim_000002"),
    ThinkingDelta(t=1.7, attempt=2, text="Let me think."),
    FirstToken(t=2.3, attempt=2, ttft=1.0),
    TextDelta(t=2.3, attempt=2, text=ANSWER),
    success(3.1, 2, ANSWER, request_id="req_sim_000002", output_tokens=48, ttft=1.0, tokens_per_s=60.0),
]
"""A run whose deadline is near enough to be on the axis, with a thinking phase."""


def shape(timeline) -> dict[int, list[tuple]]:
    return {
        n: [(s.kind, s.start, s.end, s.label) for s in lane.segments] + [lane.outcome]
        for n, lane in timeline.model.lanes.items()
    }


def lane_lines(screen) -> list[str]:
    timeline = screen.query_one("#timeline")
    return [strip.text.strip() for strip in timeline.render_lines(timeline.region.reset_offset)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_snapshot(snap_compare, snapshot_app, size):
    """Wide: beside the table; narrow: in the table's place after t (from the attempts table)."""

    async def drive(pilot):
        await play(pilot, NEAR_DEADLINE)
        if size[0] < 110:
            await pilot.press("f5", "t")
            await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


async def test_t_swaps_the_table_and_the_timeline_on_a_narrow_terminal(snapshot_app):
    app = snapshot_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.main_screen
        await play(pilot, NEAR_DEADLINE)
        table, timeline = screen.query_one("#attempt-table"), screen.query_one("#timeline")
        assert table.display and not timeline.display  # narrow: the table first
        await pilot.press("t")  # in the prompt editor: a letter, not the key
        assert not timeline.display and screen.query_one("#prompt").text.startswith("tExplain")
        await pilot.press("f5", "t")
        assert timeline.display and not table.display
        lines = lane_lines(screen)
        assert lines[0].startswith("1 ") and "529 overloaded" in lines[0] and "┊" in lines[0]
        assert lines[1].startswith("2 ") and "✓ end_turn" in lines[1]
        assert "┊ deadline" in lines[-2] and "think" in lines[-1]  # the axis, the legend
        await pilot.press("t")
        assert table.display and not timeline.display
        await pilot.pause()
        assert app.focused is table  # back where the user was


async def test_t_hides_and_shows_the_timeline_beside_the_table_when_wide(snapshot_app):
    app = snapshot_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await play(pilot, NEAR_DEADLINE)
        timeline = screen.query_one("#timeline")
        assert timeline.display and timeline.region.height == 4  # two lanes, the axis, the legend
        await pilot.press("f4", "t")
        assert not timeline.display and screen.query_one("#attempt-table").display
        await pilot.press("t")
        assert timeline.display


async def test_live_run_draws_two_lanes_with_the_wait_and_a_replay_draws_the_same(
    make_app, started, wait_until, send_and_wait, gated_sleep
):
    app, _sim = make_app("529-then-ok", sleep=gated_sleep)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "draw me", "backing off")
        timeline = screen.query_one("#timeline")
        wait = timeline.model.lanes[1].segments[-1]
        assert (wait.kind, wait.end) == ("backoff", None) and wait.planned_end is not None
        await pilot.pause()
        assert "·" in lane_lines(screen)[0]  # the wait still to come, drawn ahead of now
        gated_sleep.release()
        await wait_until(pilot, lambda: screen.run_state.state == "done" and not screen.is_busy, what="the run")
        live = shape(timeline)
        assert list(live) == [1, 2]
        kinds_1 = [kind for kind, *_rest in live[1][:-1]]
        assert kinds_1[-2:] == ["failed", "backoff"] and live[1][-1].startswith("529")
        assert live[2][-2][0] == "streaming" and live[2][-1] == "✓ end_turn"
        await pilot.pause()
        live_lines = lane_lines(screen)

        store = app.backend.store
        screen.replay(store.get_session(store.list_sessions()[0].id), None)
        await wait_until(pilot, lambda: screen.replaying.active, what="the replay to start")
        await wait_until(pilot, lambda: not screen.is_busy, what="the end of the replay")
        await pilot.pause()
        assert shape(timeline) == live
        assert lane_lines(screen) == live_lines
