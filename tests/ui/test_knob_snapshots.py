"""Snapshots of two knobs of the run as people see them (80x24 and 120x40): a request sent
without streaming (the settings tab: its toggle beside the preset), waiting for the whole
answer with the read timeout counted down; and the
attempts row where an overloaded model handed over to the fallback. Update with
``--snapshot-update`` and look at the SVGs (as text: their <text> elements) before accepting."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from tests.samples import overloaded, success
from tui_app.retry.events import AttemptError, AttemptStart, Backoff, FirstToken, ResponseStart, RunStart, TextDelta

from .conftest import ANSWER, play

MODEL, FALLBACK = "claude-sonnet-4-6", "claude-haiku-9-9"  # in no deprecation table, today or later
SIZES = [(80, 24), (120, 40)]
NOT_STREAMED = [
    RunStart(t=0.0, model=MODEL, max_attempts=4, deadline=60.0, timeouts={"read": 30.0}, stream=False),
    AttemptStart(t=0.0, attempt=1, model=MODEL),
]
FELL_BACK = [
    RunStart(t=0.0, model=MODEL, max_attempts=4, deadline=60.0),
    AttemptStart(t=0.0, attempt=1, model=MODEL),
    AttemptError(t=0.2, attempt=1, failure=overloaded("req_sim_000001"), duration=0.2),
    Backoff(t=0.2, attempt=1, delay=0.5, reason="backoff", detail="backoff 0.5 s"),
    AttemptStart(
        t=0.7, attempt=2, model=FALLBACK, fallback_reason=f"{MODEL} was overloaded once: attempt 2 uses {FALLBACK}"
    ),
    ResponseStart(t=0.8, attempt=2, request_id="req_sim_000002"),
    FirstToken(t=0.9, attempt=2, ttft=0.2),
    TextDelta(t=0.9, attempt=2, text=ANSWER),
    success(1.2, 2, ANSWER, request_id="req_sim_000002", output_tokens=48, ttft=0.2, tokens_per_s=120.0),
]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_waiting_for_a_whole_answer_without_streaming(snap_compare, snapshot_app, size):
    async def drive(pilot):
        await pilot.app.main_screen.after_first_frame()  # the settings form is mounted after it
        pilot.app.main_screen.query_one("#stream", Select).value = "false"  # the toggle by the preset
        await pilot.pause()
        await play(pilot, NOT_STREAMED, phase="request")
        await pilot.app.main_screen.action_focus_settings()  # the toggle, beside the preset
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_row_where_the_fallback_took_over(snap_compare, snapshot_app, size):
    async def drive(pilot):
        await play(pilot, FELL_BACK)

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)
