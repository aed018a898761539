"""Pilot tests: the real app against the in-process simulator — sending, retries, steering."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, Input, Select

from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import answer_for

from .conftest import fast_scenario

LONG_WAIT = {"fault": "status", "status": 529, "retry_after": 30}


async def test_prompt_is_focused_and_answer_appears_exactly(make_app, started, send_and_wait):
    app, sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert app.focused is not None and app.focused.id == "prompt"
        await send_and_wait(pilot, "What is jitter?")
        output = screen.query_one("#output")
        assert output.last_answer == answer_for("What is jitter?")
        assert screen.query_one(DataTable).row_count == 1
        assert sim.requests[-1].body["messages"][0]["content"] == "What is jitter?"


async def test_529_then_ok_shows_countdown_then_two_rows(
    make_app, started, wait_until, screen_text, gated_sleep, send_and_wait
):
    app, sim = make_app(fast_scenario({"fault": "status", "status": 529, "retry_after": 3}), sleep=gated_sleep)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "hello", "backing off")
        text = screen_text(app)
        assert "s left" in text and "retry-after" in text
        assert "529 overloaded_error" in text
        assert gated_sleep.delays == [3.0]
        gated_sleep.release()
        await wait_until(pilot, lambda: screen.run_state.state == "done", what="attempt 2")
        assert screen.query_one(DataTable).row_count == 2
        assert screen.query_one("#output").last_answer == answer_for("hello", chars=300)
        assert "s left" not in screen_text(app)


async def test_escape_during_backoff_cancels_the_wait(make_app, started, send_and_wait, gated_sleep):
    """The backoff wait never ends by itself (a gated sleep): only escape can end the run, and
    the panels say ``cancelled`` once the key press is handled, with no second attempt.
    How fast that is, is a benchmark's to say (benchmarks/bench_timing.py, cancel rows)."""
    app, sim = make_app(fast_scenario(LONG_WAIT), sleep=gated_sleep)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "hello", "backing off")
        assert gated_sleep.delays == [30.0]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.run_state.state == "cancelled"
        assert not app.controller.busy
        assert len(sim.requests) == 1


async def test_switching_preset_changes_the_next_read_timeout(make_app, started, wait_until, send_and_wait):
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "one")
        assert sim.requests[-1].read_timeout == 30.0  # preset "quick"
        await pilot.press("f3")
        screen.query_one("#preset", Select).value = "long-form"
        await pilot.pause()
        assert screen.query_one("#read-timeout", Input).value == "180"
        await pilot.press("f2", "ctrl+j")
        await wait_until(pilot, lambda: len(sim.requests) == 2 and screen.run_state.state == "done")
        assert sim.requests[-1].read_timeout == 180.0


async def test_edited_read_timeout_is_an_override(make_app, started, send_and_wait):
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.query_one("#read-timeout", Input).value = "7.5"
        await send_and_wait(pilot, "x")
        assert sim.requests[-1].read_timeout == 7.5
        assert screen.current_settings().timeout_overrides == {"read": 7.5}


async def test_sending_while_running_is_refused(make_app, started, wait_until, send_and_wait):
    app, sim = make_app(fast_scenario(LONG_WAIT))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "first", "backing off")
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert any("A request is running" in n.message for n in app._notifications)
        assert len(sim.requests) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.controller.busy)


async def test_retry_now_skips_the_wait(make_app, started, wait_until, gated_sleep, send_and_wait):
    app, sim = make_app(fast_scenario(LONG_WAIT), sleep=gated_sleep)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "hi", "backing off")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.run_state.state == "done", what="attempt 2 without the wait")
        assert len(sim.requests) == 2


async def test_retry_with_edited_model_during_backoff(make_app, started, wait_until, send_and_wait, other_model):
    app, sim = make_app(fast_scenario(LONG_WAIT))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "hi", "backing off")
        screen.query_one("#model", Input).value = other_model
        screen.query_one("#read-timeout", Input).value = "12"
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: screen.run_state.state == "done")
        assert sim.requests[0].body["model"] == DEFAULT_MODEL
        assert sim.requests[1].body["model"] == other_model
        assert sim.requests[1].read_timeout == 12.0
        [notice] = [n.message for n in app._notifications if n.message.startswith("Retrying now")]
        assert notice == f"Retrying now with edits: model {DEFAULT_MODEL} → {other_model} · read s 30 → 12", notice


async def test_non_retryable_failure_keeps_the_app_usable(make_app, started, wait_until, screen_text, send_and_wait):
    app, sim = make_app(fast_scenario({"fault": "status", "status": 400}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "bad", "failed")
        text = screen_text(app)
        assert "400 invalid_request_error" in text and "failed" in text
        await pilot.press("ctrl+j")  # the happy step follows: the same prompt now works
        await wait_until(pilot, lambda: screen.run_state.state == "done")
        assert len(sim.requests) == 2


async def test_failed_attempt_partial_text_can_be_inspected(make_app, started, send_and_wait):
    scenario = fast_scenario({"fault": "sse_error", "after_chars": 40, "error_type": "overloaded_error"})
    app, _sim = make_app(scenario, sleep=_no_wait)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "stream")
        await pilot.press("f5")
        table = screen.query_one(DataTable)
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert type(detail).__name__ == "AttemptDetail"
        partial = detail.query_one("#partial-text").text
        assert partial and answer_for("stream", chars=300).startswith(partial)
        await pilot.press("escape")
        assert app.screen is screen


async def test_run_is_recorded_as_a_session(make_app, started, send_and_wait):
    app, _sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "remember me")
    from tui_app.store.sessions import SessionStore

    with SessionStore.open() as store:
        sessions = store.list_sessions()
    assert [(s.prompt, s.status) for s in sessions] == [("remember me", "ok")]


async def test_copy_answer(make_app, started, send_and_wait):
    app, _sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "copy")
        await pilot.press("ctrl+o")
        assert app.clipboard == answer_for("copy", chars=None)


async def _no_wait(_delay: float) -> None:
    return None


async def test_a_deprecated_model_is_named_once_with_its_end_of_life(make_app, started, send_and_wait):
    from anthropic._data import DEPRECATED_MODELS

    from tui_app.simulator.catalog import entry_for

    today = datetime.now(UTC).date()  # past its end of life the simulator retires it: a 404
    model, date = next((m, d) for m, d in DEPRECATED_MODELS.items() if entry_for(m).lifecycle(today) != "retired")
    app, _sim = make_app({**fast_scenario(), "models": [model]})  # served even if the table drops it
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await started(pilot)
        posted: list[tuple[str, str]] = []  # as posted: a notice on screen expires on a timer
        notify = app.notify

        def recording(message, *args, **kwargs):
            posted.append((kwargs.get("title", ""), message))
            notify(message, *args, **kwargs)

        app.notify = recording
        await send_and_wait(pilot, "current model")
        assert not [m for t, m in posted if t == "Model"]
        screen.query_one("#model", Input).value = model
        await send_and_wait(pilot, "old model")
        await send_and_wait(pilot, "old model again")
        notes = [m for t, m in posted if t == "Model"]
    assert notes == [f"model {model} is deprecated (end of life: {date}): pick a newer one"]
