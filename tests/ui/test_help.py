"""The help overlay: the keys that apply now and what each panel shows (f1, or ? outside text)."""

from __future__ import annotations

from textual.widgets import TextArea

from tui_app.ui.screens.help import HelpScreen

from .conftest import fast_scenario

LONG_WAIT = {"fault": "status", "status": 529, "retry_after": 30}


async def test_f1_lists_the_keys_that_apply_now_and_the_panels(make_app, started, screen_text):
    app, _sim = make_app()
    async with app.run_test(size=(100, 36)) as pilot:  # tall enough for every key and panel
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys that apply now" in text and "What each panel shows" in text
        assert "Send the prompt with the current settings." in text and "^j" in text
        assert "Attempts (f5)" in text
        assert "Cursor up" not in text  # the editor's own keys are not the app's
        assert "During a backoff: retry now" not in text  # nothing to retry while idle
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_question_mark_types_in_the_editor_and_opens_help_elsewhere(make_app, started):
    app, _sim = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(pilot)
        await pilot.press("w", "h", "y", "question_mark")
        assert screen.query_one("#prompt", TextArea).text == "why?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f5", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_during_a_backoff_help_lists_the_steering_keys(
    make_app, started, send_and_wait, gated_sleep, screen_text
):
    app, _sim = make_app(fast_scenario(LONG_WAIT), sleep=gated_sleep)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "hi", "backing off")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "retry now" in text and "retry with edits" in text
        await pilot.press("escape")
        await pilot.press("escape")  # give up


async def test_the_sessions_screen_has_its_own_help(make_app, started, screen_text):
    app, _sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Replay at the recorded pace." in text and "preview" in text
