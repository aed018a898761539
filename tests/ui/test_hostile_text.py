"""Outside text with terminal escape sequences is shown escaped, never handed to the terminal.

A prompt, an answer, a server's error message or type, a scenario path or a model id from
``/v1/models`` may hold ``ESC ] 52 ; c ; … BEL`` (write the clipboard) or ``ESC [ 2 J``
(clear the screen). Textual draws a widget's text as it is, so each widget showing such text
must be given its safe form (``tui_app.safe_text``). These tests look at what the app
actually draws — every character of every line of the screen, toasts and modals included
— and at what it sends: the escapes are shown as ``\\x1b``, the prompt sent stays exact.
"""

from __future__ import annotations

import re

from tests.reliability.raw_http import Canned, RawServer, error_json
from tui_app.run.backend import Backend, BackendChoice
from tui_app.ui.app import ClaudeTUI

HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b[2J"
"""OSC 52 (set the clipboard to 'Hello') and clear-screen."""
SHOWN = r"\x1b]52;c;SGVsbG8=\x07\x1b[2J"
"""The same as ``visible()`` shows it: each control character as its escape."""
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_drawn_safely(text: str, *expected: str) -> None:
    """No control character on screen (but newlines between rows); each ``expected`` shown."""
    assert not RAW.search(text), f"raw control character drawn: {RAW.search(text)!r} in {text!r}"
    for needle in expected:
        assert needle in text, f"{needle!r} not on screen:\n{text}"


async def test_a_hostile_prompt_is_drawn_escaped_and_sent_exactly(make_app, started, screen_text, wait_until):
    """Prompt echo, streamed answer (the simulator echoes the prompt), prompt editor, and a
    re-run loading the recorded prompt into the editor: all drawn safely, sent as typed."""
    prompt = f"{HOSTILE} evil prompt"
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.query_one("#prompt").text = prompt  # typed keys cannot carry ESC; a paste or re-run can
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.run_state.state == "done" and not screen.is_busy, what="done")
        drawn = screen_text(app)
        assert_drawn_safely(drawn, f"answer to: {SHOWN}")  # the answer, not just the echo
        assert "␛]52;c;SGVsbG8=␇␛[2J evil prompt" in drawn  # the editor's one-character stand-ins
        assert screen.query_one("#output").last_answer.startswith(f"Simulated answer to: {HOSTILE}")  # copy is exact

        store = app.backend.store
        first = store.get_session(store.list_sessions(limit=1)[0].id)
        assert first.prompt == prompt
        screen.query_one("#prompt").text = ""
        screen.rerun(first)
        await wait_until(pilot, lambda: len(store.list_sessions(limit=5)) == 2 and not screen.is_busy, what="re-run")
        assert screen.query_one("#prompt").text == prompt  # the editor holds the exact prompt...
        assert_drawn_safely(screen_text(app), "␛]52;c;SGVsbG8=␇␛[2J evil prompt")  # ...drawn safely
        assert store.get_session(store.list_sessions(limit=1)[0].id).prompt == prompt
        assert [r.body["messages"][0]["content"] for r in sim.requests[-2:]] == [prompt, prompt]

        from tui_app.ui.screens.sessions import SessionsScreen

        app.push_screen(SessionsScreen(store))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, SessionsScreen) and "Prompt:" in screen_text(app),
            what="the sessions screen",
        )
        assert_drawn_safely(screen_text(app), SHOWN)  # table row, facts and the answer's Markdown


async def test_a_server_error_with_escapes_is_drawn_escaped(screen_text, started, send_and_wait, wait_until):
    """A 400 whose error type and message carry escapes: the attempts row, the give-up note,
    the attempt's detail modal and the status line (base URL) all show them escaped."""
    body = error_json(f"evil{HOSTILE}_error", f"bad {HOSTILE} news")
    server = await RawServer([Canned(body, status=400, content_type="application/json")]).start()
    try:
        backend = Backend(BackendChoice("api", api_key="sk-ant-test-0000000000000000", base_url=server.base_url))
        app = ClaudeTUI(backend=backend)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await started(pilot)
            screen.query_one("StatusLine").backend_label = f"API {server.base_url}/{HOSTILE}"
            await send_and_wait(pilot, "hi", "failed")
            drawn = screen_text(app)  # the give-up note wraps: look for pieces without spaces
            assert_drawn_safely(drawn, f"400 evil{SHOWN}_error  0 ", f"/{SHOWN}", f"(evil{SHOWN}_error)")
            assert drawn.count(SHOWN) >= 4  # row, note (type twice, message once), status line

            await screen.action_focus_attempts()
            await pilot.press("enter")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "AttemptDetail", what="the detail modal")
            await pilot.pause()
            assert_drawn_safely(screen_text(app), f"Attempt 1 · 400 evil{SHOWN}_error", "request-id req_raw_1")
    finally:
        await server.close()


async def test_notices_and_dialogs_show_outside_names_escaped(make_app, started, screen_text, wait_until):
    """A notice quoting a path (a scenario file that cannot load), a dialog listing items, a
    model list from the API: escaped where drawn, the item picked is the real one."""
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await started(pilot)
        screen.use_scenario(f"/nonexistent/{HOSTILE}.toml")
        await wait_until(pilot, lambda: "Scenario not loaded" in screen_text(app), what="the notice")
        assert_drawn_safely(screen_text(app), SHOWN)  # in the toast (it wraps: the path is cut)

        from tui_app.ui.screens.dialogs import PickOne

        picked: list[str | None] = []
        app.push_screen(PickOne(f"Pick {HOSTILE}", [f"one{HOSTILE}", "two"]), picked.append)
        await wait_until(
            pilot, lambda: isinstance(app.screen, PickOne) and f"one{SHOWN}" in screen_text(app), what="the dialog"
        )
        assert_drawn_safely(screen_text(app), f"Pick {SHOWN}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: picked, what="the choice")
        assert picked == [f"one{HOSTILE}"]

        await screen.action_focus_settings()
        screen.form.set_models([f"claude{HOSTILE}", "test-model-a"])
        screen.form.query_one("#model").value = f"claude{HOSTILE}"
        await pilot.click("#model-list")
        await wait_until(pilot, lambda: f"claude{SHOWN}" in screen_text(app), what="the model list")
        assert_drawn_safely(screen_text(app), "claude␛]52")  # the model field draws stand-ins
