"""Pilot tests of the sessions screen: replay through the live panels, re-run, delete."""

from __future__ import annotations

from textual.widgets import DataTable

from tui_app.store.sessions import SessionStore
from tui_app.ui.widgets.session_list import SessionList

from .conftest import fast_scenario

RETRY_ONCE = fast_scenario({"fault": "status", "status": 529, "retry_after": 0.01})


def _rows(screen) -> list[list[str]]:
    table = screen.query_one("#attempt-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_replay_shows_the_same_rows_and_answer_as_the_live_run(make_app, started, wait_until, send_and_wait):
    app, _sim = make_app(RETRY_ONCE)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "replay me")
        live_rows, live_answer = _rows(screen), screen.query_one("#output").last_answer
        assert len(live_rows) == 2
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.screen.id == "sessions"
        await pilot.press("m")  # replay at max speed
        await wait_until(pilot, lambda: app.screen is screen and not screen.is_busy, what="the replay")
        assert screen.run_state.state == "done"
        assert _rows(screen) == live_rows
        assert screen.query_one("#output").last_answer == live_answer


async def test_rerun_links_the_new_session_to_the_old_one(make_app, started, wait_until, send_and_wait):
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "again")
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("r")
        await wait_until(pilot, lambda: len(sim.requests) == 2 and not screen.is_busy, what="the re-run")
    with SessionStore.open() as store:
        newest, oldest = store.list_sessions()
    assert newest.parent_id == oldest.id and newest.prompt == "again"


async def test_search_and_delete(make_app, started, send_and_wait, wait_until):
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "alpha")
        screen.query_one("#prompt").text = ""
        await send_and_wait(pilot, "beta")
        await pilot.press("ctrl+g", "ctrl+f", *"alpha")
        table = app.screen.query_one("#session-list", SessionList)
        await wait_until(pilot, lambda: table.row_count == 1, what="the search (once typing pauses)")
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")  # "Delete"
        await wait_until(pilot, lambda: table.row_count == 0, what="the list without the deleted session")
    with SessionStore.open() as store:
        assert [s.prompt for s in store.list_sessions()] == ["beta"]


async def test_replay_can_pause_and_step(make_app, started, wait_until, send_and_wait, replay_paused_at):
    app, _sim = make_app(RETRY_ONCE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "step me")
        detail = app.backend.store.get_session(app.backend.store.list_sessions()[0].id)
        await replay_paused_at(pilot, screen, detail, "run_start")
        shown = screen.query_one("#attempt-table", DataTable).row_count
        assert "(paused)" in screen.query_one("#status").backend_label
        await pilot.press("f11")  # one event at a time
        await pilot.pause()
        assert screen.is_busy and screen.run_state.state != "done"
        await pilot.press("f10")  # resume
        await wait_until(pilot, lambda: not screen.is_busy, what="the end of the replay")
        assert screen.run_state.state == "done"
        assert screen.query_one("#attempt-table", DataTable).row_count == 2 >= shown
        assert screen.query_one("#status").backend_label == "SIMULATOR"


def test_replay_print_writes_the_recorded_answer(capsys):
    """``claude-tui replay ID --print`` is the headless printer fed recorded events."""
    from tui_app.cli import main
    from tui_app.retry.events import RunStart, Success, TextDelta

    with SessionStore.open() as store:
        with store.start_session(prompt="p", model="m") as recorder:
            for event in (
                RunStart(t=0.0, model="m", max_attempts=1),
                TextDelta(t=0.1, attempt=1, text="Hel"),
                TextDelta(t=0.2, attempt=1, text="lo"),
                Success(t=0.3, attempt=1, text="Hello", stop_reason="end_turn", elapsed=0.3),
            ):
                recorder.record(event)
        session_id = store.list_sessions()[0].id
    assert main(["replay", str(session_id), "--print", "--speed", "max"]) == 0
    assert capsys.readouterr().out == "Hello"


async def test_quitting_mid_backoff_records_the_session_as_cancelled(make_app, started, send_and_wait):
    app, _sim = make_app(fast_scenario({"fault": "status", "status": 529, "retry_after": 30}))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "quit while waiting", "backing off")
        await pilot.press("ctrl+q")
        await pilot.pause()
    with SessionStore.open() as store:
        [session] = store.list_sessions()
    assert (session.prompt, session.status) == ("quit while waiting", "cancelled")
