"""The status line stays one line: what does not fit goes, least useful first."""

from __future__ import annotations

import pytest
from textual.app import App

from tui_app.ui.run_state import RunState
from tui_app.ui.widgets.status.status_line import StatusLine

from .conftest import synthetic_states


class Harness(App[None]):
    def compose(self):
        yield StatusLine(id="status")


def _done_state() -> RunState:
    state = RunState()
    for event in synthetic_states()["done"]:
        state.apply(event, now=13.0)
    return state


@pytest.mark.parametrize(
    ("width", "kept", "dropped"),
    [
        (160, ["SIMULATOR", "claude-test", "quick", "done", "TTFT", "tok/s", " s", " out"], []),
        (80, ["SIMULATOR", "claude-test", "done", "TTFT", "tok/s", "2.9/"], ["quick", " out"]),
        (40, ["SIMULATOR", "done", "2.9/"], ["quick", " out", "tok/s", "TTFT"]),
    ],
)
async def test_a_finished_run_fits_on_one_line(width, kept, dropped):
    app = Harness()
    async with app.run_test(size=(width, 5)) as pilot:
        line = app.query_one(StatusLine)
        line.backend_label, line.model, line.preset = "SIMULATOR", "claude-test", "quick"
        line.show(_done_state(), now=20.0)
        await pilot.pause()
        assert line.size.height == 1
        text = line.render_line(0).text
        assert len(text.rstrip()) <= width
        for part in kept:
            assert part in text, (part, text)
        for part in dropped:
            assert part not in text, (part, text)
