"""The sessions screen's backend column and preview line, its filters (typed as words in the
search box, or stepped with s and b) and a preview that never outlives its list."""

from __future__ import annotations

import threading

import pytest

from tests.samples import overloaded
from tui_app.retry.events import AttemptError, AttemptStart, GiveUp, RunStart, Success
from tui_app.store import backends
from tui_app.store.sessions import SessionStore
from tui_app.ui.widgets.session_list import SessionList

from .test_pilot_sessions_screen import Harness, _facts, _listed

FAILURE = overloaded("req_pilot_1")


def _failed(store: SessionStore, prompt: str, backend: dict | None) -> int:
    with store.start_session(prompt=prompt, model="m", backend=backend) as rec:
        for event in (
            RunStart(t=0.0, model="m", max_attempts=1),
            AttemptStart(t=0.0, attempt=1, model="m"),
            AttemptError(t=0.1, attempt=1, failure=FAILURE, duration=0.1),
            GiveUp(t=0.1, attempt=1, reason="max_attempts", failure=FAILURE, detail="1 of 1", elapsed=0.1),
        ):
            rec.record(event)
    return rec.session_id


def _ok(store: SessionStore, prompt: str, backend: dict | None) -> int:
    with store.start_session(prompt=prompt, model="m", backend=backend) as rec:
        rec.record(RunStart(t=0.0, model="m"))
        rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
        rec.record(Success(t=0.2, attempt=1, text="fine", elapsed=0.2))
    return rec.session_id


@pytest.fixture
def store():
    with SessionStore.open() as s:
        yield s


@pytest.fixture
def three(store) -> dict[str, int]:
    return {
        "sim_failed": _failed(store, "alpha sim", backends.simulator("overload-storm", 2)),
        "api_ok": _ok(store, "beta api", backends.api("api.anthropic.com")),
        "old_ok": _ok(store, "gamma old", None),
    }


def _ids(three: dict[str, int], *names: str) -> list[str]:
    return [str(three[name]) for name in names]


async def test_the_backend_is_a_column_and_a_preview_line(store, three, wait_until):
    app = Harness(store)
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{three['old_ok']} "), what="the newest previewed")
        assert "backend unknown (recorded before claude-tui stored it)" in _facts(app)
        table = app.screen.query_one(SessionList)
        assert table.columns == ("id", "when", "status", "tries", "model", "backend", "prompt")
        cells = dict(zip(table.keys, table._cells, strict=True))
        assert cells[three["sim_failed"]][5] == "sim:overload-storm#2"
        assert cells[three["api_ok"]][5] == "api:api.anthropic.com"
        await pilot.press("down")
        await wait_until(pilot, lambda: "on the real API at api.anthropic.com" in _facts(app), what="the api preview")


async def test_s_and_b_step_the_filters_written_in_the_search_box(store, three, wait_until):
    app = Harness(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 3, what="the list")
        box = app.screen.query_one("#session-search")
        await pilot.press("s")  # status: any -> failed
        await wait_until(pilot, lambda: _listed(app) == _ids(three, "sim_failed"), what="the failed sessions")
        assert box.value == "status:failed"
        assert app.screen.query_one(SessionList).border_title == "Sessions · status:failed"
        await pilot.press("s", "b")  # status:ok, backend:sim -> nothing
        await wait_until(pilot, lambda: _listed(app) == [], what="no ok session on the simulator")
        assert box.value == "status:ok backend:sim"
        await pilot.press("b")  # backend:api
        await wait_until(pilot, lambda: _listed(app) == _ids(three, "api_ok"), what="ok on the api")
        await pilot.press("b", "s", "s", "s", "s")  # backend unknown; status ok -> ... -> running -> any
        await wait_until(pilot, lambda: _listed(app) == _ids(three, "old_ok"), what="the old session")
        assert box.value == "backend:unknown"


async def test_filter_words_combine_with_search_words(store, three, wait_until):
    app = Harness(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 3, what="the list")
        await pilot.press("ctrl+f", *"error:overloaded req_pilot", "enter")
        await wait_until(pilot, lambda: _listed(app) == _ids(three, "sim_failed"), what="the error filter")
        box = app.screen.query_one("#session-search")
        box.value = ""
        await pilot.press(*"status:broken", "enter")
        await pilot.pause()
        assert _listed(app) == _ids(three, "sim_failed")  # the list stays; the notice says why
        assert any("status 'broken': use one of" in n.message for n in app._notifications)


async def test_no_stale_preview_when_the_list_empties(store, three, wait_until, monkeypatch):
    """A preview still being read when the search empties the list is never shown."""
    gate, returned = threading.Event(), threading.Event()
    original = store.get_preview

    def held_preview(*args, **kwargs):
        gate.wait(10)
        try:
            return original(*args, **kwargs)
        finally:
            returned.set()

    monkeypatch.setattr(store, "get_preview", held_preview)
    app = Harness(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 3, what="the list (its preview held)")
        await pilot.press("ctrl+f", *"nothing-matches-this", "enter")
        await wait_until(pilot, lambda: _listed(app) == [], what="the empty list")
        gate.set()
        await wait_until(pilot, returned.is_set, what="the held preview read")
        await pilot.pause()
        await pilot.pause()
        assert _facts(app) == "No sessions match."
        assert app.screen.current is None


async def test_a_failed_sessions_preview_shows_its_error_and_attempts_timeline(store, three, wait_until):
    app = Harness(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 3, what="the list")
        await pilot.press("end")
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{three['sim_failed']} "), what="its preview")
        facts = _facts(app).splitlines()
        assert facts[0].endswith("· failed (max_attempts: overloaded_error)")
        timeline = facts[facts.index("Attempts:") + 1 : facts.index("Prompt:") - 1]
        assert [line.split()[:3] for line in timeline] == [["0.1", "s", "attempt"], ["0.1", "s", "gave"]]
        assert "overloaded_error (HTTP 529)" in timeline[0] and "req_pilot_1" in timeline[0]
