"""The thinking section above the answer: open while the model thinks, folded once the answer
starts, never part of the answer; and the status line's "thinking" and first-token times.

Snapshots (80x24 and 120x40) of thinking in progress and of a finished answer that thought
and was cut off; update with ``--snapshot-update`` and look at the SVGs before accepting.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Collapsible, Static

from tests.samples import success
from tui_app.retry.events import AttemptStart, FirstToken, ResponseStart, RunStart, TextDelta, ThinkingDelta
from tui_app.simulator.answers import thinking_for
from tui_app.ui.widgets.response.thinking import ThinkingSection

from .conftest import ANSWER, play

THOUGHTS = [
    "The user asks how backoff works. ",
    "Start from the formula, then say why jitter matters: ",
    "clients that retry in step overload the server again.",
]
START = [
    RunStart(t=0.0, model="claude-sonnet-4-6", max_attempts=4, deadline=60.0),
    AttemptStart(t=0.0, attempt=1, model="claude-sonnet-4-6"),
    ResponseStart(t=0.2, attempt=1, request_id="req_sim_000001"),
]
THINKING = [ThinkingDelta(t=0.5 + i / 10, attempt=1, text=text) for i, text in enumerate(THOUGHTS)]
ANSWERING = [FirstToken(t=1.9, attempt=1, ttft=1.9), TextDelta(t=1.9, attempt=1, text=ANSWER)]
CUT_OFF = replace(
    success(2.4, 1, ANSWER, request_id="req_sim_000001", output_tokens=64, ttft=1.9, tokens_per_s=110.0),
    stop_reason="max_tokens",
    thinking="".join(THOUGHTS),
)
STATES = {"thinking": START + THINKING, "thought": START + THINKING + ANSWERING + [CUT_OFF]}
SIZES = [(80, 24), (120, 40)]


async def _shown(pilot, events):
    await play(pilot, events, phase="request" if events[-1].type == "thinking" else None)
    section = pilot.app.main_screen.query_one(ThinkingSection)
    body = section.query_one(".thinking-text", Static)
    for _ in range(200):  # the panel repaints on a timer: wait for the last piece of thinking
        if THOUGHTS[-1].strip() in str(body.render()):
            break
        await pilot.pause(0.01)
    await pilot.pause()
    return section


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", list(STATES))
def test_thinking_snapshots(snap_compare, snapshot_app, state, size):
    async def drive(pilot):
        await _shown(pilot, STATES[state])

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


async def test_the_section_is_open_while_thinking_and_folds_when_the_answer_starts(snapshot_app):
    app = snapshot_app()
    async with app.run_test(size=(120, 40)) as pilot:
        section = await _shown(pilot, START + THINKING)
        screen, output = app.main_screen, app.main_screen.query_one("#output")
        assert not section.collapsed and section.title == "Thinking…"
        assert output.thinking_text == "".join(THOUGHTS)
        status = str(screen.query_one("#status").render())
        assert "thinking (attempt 1/4)" in status and "first thought 0.5 s" in status
        for event in ANSWERING + [CUT_OFF]:
            await screen.show_event(event)
        await pilot.pause()
        assert section.collapsed and section.title == f"Thinking ({len(''.join(THOUGHTS))} chars, 1.4 s)"
        assert output.last_answer == ANSWER  # the answer alone: copy never takes the thinking
        status = str(screen.query_one("#status").render())
        assert "done · cut off at max_tokens" in status and "first text 1.9 s" in status
        await pilot.click(section.query_one("CollapsibleTitle"))  # one click opens it again
        assert not section.collapsed


async def test_a_live_run_shows_the_simulator_s_thinking(make_app, started, send_and_wait):
    """Through the simulator and the whole stack: the form's thinking setting is sent, and
    the thinking streamed is what the section holds."""
    app, sim = make_app({"name": "thinks", "thinking": "always", "thinking_chars": 120})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "Why jitter?")
        section = screen.query_one(ThinkingSection)
        assert section.text == thinking_for("Why jitter?", chars=120) and section.collapsed
        assert screen.query_one(Collapsible).has_class("thinking")
        assert sim.requests[-1].body.get("thinking") is None  # unset: the model's default
