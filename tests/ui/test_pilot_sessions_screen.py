"""The sessions screen on its own: it hands its choice back with ``dismiss``, searches once
typing pauses, and previews a long session from its summary, never its events."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

import tui_app.ui
from tui_app.retry.events import AttemptStart, RunStart, Success, TextDelta
from tui_app.store.sessions import PREVIEW_CHARS, SessionStore
from tui_app.ui.screens import sessions as sessions_module
from tui_app.ui.screens.sessions import SessionChoice, SessionsScreen
from tui_app.ui.widgets.response import markdown_lines
from tui_app.ui.widgets.session_list import SessionList


def _record(store: SessionStore, prompt: str, answer: str, deltas: int = 4) -> int:
    step = max(1, len(answer) // deltas)
    with store.start_session(prompt=prompt, model="m") as rec:
        rec.record(RunStart(t=0.0, model="m"))
        rec.record(AttemptStart(t=0.0, attempt=1, model="m"))
        for i in range(0, len(answer), step):
            rec.record(TextDelta(t=0.1, attempt=1, text=answer[i : i + step]))
        rec.record(Success(t=0.2, attempt=1, text=answer, elapsed=0.2))
    return rec.session_id


class Harness(App[None]):
    CSS_PATH = Path(tui_app.ui.__file__).parent / "app.tcss"

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.choices: list[SessionChoice | None] = []

    def on_mount(self) -> None:
        self.push_screen(SessionsScreen(self.store), self.choices.append)


class Spy:
    """Wraps a store method: records each call's arguments, then calls it."""

    def __init__(self, monkeypatch, store: SessionStore, name: str) -> None:
        self.calls: list[tuple] = []
        self.befores: list[int | None] = []
        original = getattr(store, name)

        def spy(*args, **kwargs):
            self.calls.append(args)
            self.befores.append(kwargs.get("before"))
            return original(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)


@pytest.fixture
def store():
    with SessionStore.open() as s:
        yield s


def _listed(app) -> list[str]:
    return [str(key) for key in app.screen.query_one(SessionList).keys]


def _facts(app) -> str:
    return str(app.screen.query_one("#session-facts").render())


@pytest.mark.parametrize(
    ("key", "expected"), [("enter", ("replay", 1.0)), ("m", ("replay", None)), ("r", ("rerun", 1.0))]
)
async def test_the_choice_is_handed_back_with_dismiss(store, wait_until, key, expected):
    first = _record(store, "first", "one")
    second = _record(store, "second", "two")
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{second} "), what="the newest previewed")
        await pilot.press("down")
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{first} "), what="the cursor's session previewed")
        await pilot.press(key)
        await pilot.pause()
    assert app.choices == [SessionChoice(expected[0], first, expected[1])]


async def test_escape_hands_back_nothing(store, wait_until):
    _record(store, "only", "one")
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: _listed(app) != [], what="the list")
        await pilot.press("escape")
        await pilot.pause()
    assert app.choices == [None]


async def test_typing_searches_once_it_pauses_and_enter_searches_at_once(store, wait_until, monkeypatch):
    alpha, _beta = _record(store, "alpha", "a"), _record(store, "beta", "b")
    searches = Spy(monkeypatch, store, "list_sessions")
    monkeypatch.setattr(sessions_module, "SEARCH_PAUSE", 3600.0)  # typing never pauses long enough
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 2, what="the list")
        await pilot.press("ctrl+f", *"alpha")
        await pilot.pause()
        assert [call[0] for call in searches.calls] == [None]  # only the first listing
        await pilot.press("enter")
        await wait_until(pilot, lambda: _listed(app) == [str(alpha)], what="the search results")
        assert [call[0] for call in searches.calls] == [None, "alpha"]


async def test_the_search_runs_after_the_pause(store, wait_until, monkeypatch):
    alpha, _beta = _record(store, "alpha", "a"), _record(store, "beta", "b")
    monkeypatch.setattr(sessions_module, "SEARCH_PAUSE", 0.01)
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 2, what="the list")
        await pilot.press("ctrl+f", *"alp")
        await wait_until(pilot, lambda: _listed(app) == [str(alpha)], what="the search results")


async def test_a_long_session_is_previewed_cut_once_rendered_and_never_decoded(store, wait_until, monkeypatch):
    answer = "A long answer, sentence after sentence. " * 1000
    big = _record(store, "write a lot", answer, deltas=2000)
    full_reads = Spy(monkeypatch, store, "get_session")
    renders: list[int] = []
    render = markdown_lines.render_markdown

    def counting(widget, source, width, **kwargs):
        if widget.id == "session-answer" and source:
            renders.append(width)
        return render(widget, source, width, **kwargs)

    monkeypatch.setattr(markdown_lines, "render_markdown", counting)  # drawing on the loop
    monkeypatch.setattr(sessions_module, "render_markdown", counting)  # in the preview's worker thread
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = app.screen.query_one("#session-answer")
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{big} ") and renders, what="the preview")
        await pilot.pause()
        assert shown.source.startswith(answer[:PREVIEW_CHARS])
        assert f"{len(answer) - PREVIEW_CHARS:,} more characters" in shown.source
        assert len(renders) == 1  # the scrollbar's room is kept from the start: no second width
    assert full_reads.calls == []


def _cursor(app) -> int | None:
    return app.screen.query_one(SessionList).current


async def test_older_sessions_are_read_a_page_at_a_time_as_the_cursor_nears_the_end(store, wait_until, monkeypatch):
    ids = [_record(store, f"prompt {i}", "a") for i in range(45)]  # oldest first
    newest_first = [str(i) for i in reversed(ids)]
    pages = Spy(monkeypatch, store, "list_sessions")
    monkeypatch.setattr(sessions_module, "PAGE_ROWS", 20)
    app = Harness(store)
    async with app.run_test(size=(120, 16)) as pilot:  # about 9 rows shown
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{ids[-1]} "), what="the newest previewed")
        assert _listed(app) == newest_first[:20]
        await pilot.press("down", "down")
        await pilot.pause()
        assert len(_listed(app)) == 20  # far from the end: nothing more read
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: len(_listed(app)) == 40, what="the second page")
        await pilot.press("end")  # the last row read, and the next page asked for
        await wait_until(pilot, lambda: len(_listed(app)) == 45, what="the last page")
        await pilot.press("end")
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{ids[0]} "), what="the oldest previewed")
        assert _listed(app) == newest_first and _cursor(app) == ids[0]
        await pilot.press("home")
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{ids[-1]} "), what="the newest again")
    assert [len(call) for call in pages.calls] == [2, 2, 2]  # (search, limit) for each page...
    assert len(pages.befores) == 3 and pages.befores == [None, ids[-20], ids[-40]]  # ...each older than the last


async def test_a_search_is_paged_with_the_same_words(store, wait_until, monkeypatch):
    alphas = [_record(store, f"alpha {i}" if i % 2 else f"beta {i}", "a") for i in range(14)][1::2]
    monkeypatch.setattr(sessions_module, "PAGE_ROWS", 3)
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:  # the pages are shorter than the screen
        await wait_until(pilot, lambda: len(_listed(app)) == 14, what="every session, page after page")
        await pilot.press("ctrl+f", *"alpha", "enter")
        await wait_until(pilot, lambda: len(_listed(app)) == 7, what="every match, page after page")
        assert _listed(app) == [str(i) for i in reversed(alphas)]


async def test_every_cell_is_drawn_whole_and_columns_stay_aligned_across_pages(store, wait_until, monkeypatch):
    """A later page with a wider cell widens its column for the rows already shown too."""
    _record(store, "zz first", "a")
    with store.start_session(prompt="zz second", model="a-model-with-a-very-long-name") as rec:
        rec.record(RunStart(t=0.0, model="a-model-with-a-very-long-name"))
    for i in range(3):
        _record(store, f"zz newer {i}", "a")
    monkeypatch.setattr(sessions_module, "PAGE_ROWS", 2)
    app = Harness(store)
    async with app.run_test(size=(250, 40)) as pilot:
        await wait_until(pilot, lambda: len(_listed(app)) == 5, what="all pages")
        await pilot.pause()
        lines = screen_lines(app)
        [header] = [line for line in lines if " prompt " in line]
        lists = [line.split("││")[0] for line in lines]  # not the preview beside the list
        rows = [line for line in lists if "│ " in line and " zz " in line]
        assert len(rows) == 5
        assert {row.index(" zz ") + 1 for row in rows} == {header.index(" prompt ") + 1}
        assert any("a-model-with-a-very-long-name" in row for row in rows)


async def test_a_click_moves_the_cursor_and_a_click_on_it_replays(store, wait_until):
    older = _record(store, "older", "one")
    newer = _record(store, "newer", "two")
    app = Harness(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{newer} "), what="the newest previewed")
        await pilot.click("#session-list", offset=(4, 3))  # border, header, newest, then this
        await wait_until(pilot, lambda: _facts(app).startswith(f"#{older} "), what="the clicked one previewed")
        assert app.choices == []
        await pilot.click("#session-list", offset=(4, 3))
        await pilot.pause()
    assert app.choices == [SessionChoice("replay", older, 1.0)]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]
