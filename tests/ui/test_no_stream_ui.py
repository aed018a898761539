"""The stream toggle of the settings form, and the read-timeout countdown shown while an
attempt waits for a whole answer without streaming."""

from __future__ import annotations

from textual.widgets import Select, Static

from tui_app.retry.events import AttemptStart, ResponseStart, RunStart
from tui_app.ui.run_state import RunState

TIMEOUTS = {"connect": 5.0, "read": 30.0, "write": 10.0, "pool": 5.0}


def _waiting(stream: bool, max_attempts: int = 1) -> RunState:
    state = RunState()
    state.apply(RunStart(t=0.0, model="m", max_attempts=max_attempts, timeouts=TIMEOUTS, stream=stream), now=10.0)
    state.apply(AttemptStart(t=0.0, attempt=1, model="m"), now=10.0)
    return state


def test_the_countdown_is_the_read_timeout_left_of_this_attempt():
    state = _waiting(stream=False)
    assert state.state_text(16.6) == "waiting for the whole answer · read timeout in 23.4 s"
    state.apply(ResponseStart(t=0.0, attempt=1), now=17.0)  # the body is on its way: still counting
    assert state.state_text(17.0) == "waiting for the whole answer · read timeout in 23.0 s"
    assert state.state_text(99.0).endswith("read timeout in 0.0 s")  # never below zero


def test_the_countdown_names_the_attempt_and_restarts_with_each():
    state = _waiting(stream=False, max_attempts=4)
    state.apply(AttemptStart(t=0.0, attempt=2, model="m"), now=50.0)
    assert state.state_text(55.0) == "waiting for the whole answer (attempt 2/4) · read timeout in 25.0 s"


def test_a_stream_shows_no_countdown():
    state = _waiting(stream=True)
    assert state.read_timeout_left(11.0) is None and state.state_text(11.0) == "connecting"


async def test_the_toggle_sends_without_streaming_and_the_wait_is_counted_down(
    make_app, started, send, wait_until, screen_text
):
    scenario = {"name": "slow-whole", "answer_chars": 120, "ttft": 1.5}
    app, sim = make_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        toggle = screen.query_one("#stream", Select)
        assert toggle.value == "true"
        toggle.value = "false"
        await pilot.pause()
        assert screen.current_settings().stream is False
        await send(pilot, "hello")
        await wait_until(pilot, lambda: "read timeout in" in screen_text(app), what="the countdown")
        text = screen_text(app)
        assert "waiting for the whole answer" in text
        countdown = screen.query_one("#countdown", Static)
        assert countdown.display and "read timeout in" in str(countdown.render())
        await wait_until(pilot, lambda: screen.run_state.state == "done" and not screen.is_busy, what="done")
        assert "read timeout in" not in screen_text(app)
        assert sim.requests[-1].body.get("stream", False) is False
