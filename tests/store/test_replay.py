"""Replay hands recorded events back with their recorded spacing, scaled by speed."""

from __future__ import annotations

import pytest

from tui_app.store.replay import YIELD_EVERY, replay_events

from .conftest import overloaded_then_ok


async def collect(events, fake_time, speed):
    return [e async for e in replay_events(events, speed=speed, sleep=fake_time.sleep)]


@pytest.mark.parametrize("speed", [1.0, 2.0, 10.0])
async def test_original_gaps_divided_by_speed(fake_time, speed):
    events = overloaded_then_ok()
    assert await collect(events, fake_time, speed) == events
    gaps = [b.t - a.t for a, b in zip(events, events[1:], strict=False) if b.t > a.t]
    assert fake_time.sleeps == pytest.approx([g / speed for g in gaps])
    assert sum(fake_time.sleeps) == pytest.approx(events[-1].t / speed)


async def test_max_speed_never_waits_but_lets_the_loop_breathe(fake_time):
    events = overloaded_then_ok(answer="x" * 300, chunks=300)
    assert await collect(events, fake_time, None) == events
    assert fake_time.sleeps == [0] * (len(events) // YIELD_EVERY)


async def test_recorded_session_replays_like_the_live_run(store, record, fake_time):
    events = overloaded_then_ok()
    detail = store.get_session(record(events))
    replayed = await collect(detail.events, fake_time, None)
    assert replayed == events
    assert replayed[-1].text == detail.response


@pytest.mark.parametrize("speed", [0, -1, float("nan"), float("inf"), "2"])
async def test_bad_speed_is_refused(fake_time, speed):
    with pytest.raises(ValueError, match="speed must be a finite number > 0"):
        await collect([], fake_time, speed)
