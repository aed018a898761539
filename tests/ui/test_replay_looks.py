"""A replay is clearly a replay (issue 16 §3): no steering keys, a pause stops its clock and
the footer offers Resume, and the status line keeps the recorded session's model afterwards."""

from __future__ import annotations

from textual.widgets import Input

from .conftest import fast_scenario

LONG_RETRY_AFTER = fast_scenario({"fault": "status", "status": 529, "retry_after": 30})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def countdown(screen) -> str:
    return str(screen.query_one("#countdown").render())


async def test_a_paused_replay_stands_still_and_cannot_be_steered(
    make_app, started, wait_until, send_and_wait, gated_sleep, screen_text, other_model, replay_paused_at
):
    clock = Clock()
    app, _sim = make_app(LONG_RETRY_AFTER, sleep=gated_sleep, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "replay me", "backing off")
        assert "retry now" in countdown(screen)  # live: the steering keys are offered
        gated_sleep.release()
        await wait_until(pilot, lambda: screen.run_state.state == "done", what="the live run")
        store = app.backend.store
        detail = store.get_session(store.list_sessions()[0].id)
        screen.query_one("#model", Input).value = other_model  # the form moves on
        await pilot.pause()
        assert screen.query_one("#status").model == other_model

        await replay_paused_at(pilot, screen, detail, "backoff")
        before = countdown(screen)
        assert "30.0 s left" in before and "retry now" not in before  # a replay only plays
        text = screen_text(app)
        assert "Resume" in text and "Pause" not in text.splitlines()[-1]
        clock.now += 7.0  # time passes while paused...
        screen.render_live()
        await pilot.pause()
        assert countdown(screen) == before  # ...but not for the replay
        await pilot.press("f10")
        await wait_until(pilot, lambda: not screen.is_busy, what="the end of the replay")
        status = screen.query_one("#status")
        assert status.model == detail.model != other_model  # kept until the next send
