"""Export from the sessions screen: into the documented exports folder, never over a file
that exists, the full path in the notice."""

from __future__ import annotations

from textual.widgets import Label

from tui_app.paths import exports_dir
from tui_app.ui.screens.dialogs import AskText


async def test_e_exports_into_the_exports_folder_and_never_overwrites(make_app, started, send_and_wait, wait_until):
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "export me")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: app.screen.id == "sessions" and app.screen.current is not None, what="list")
        sessions = app.screen
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), what="the export dialog")
        await pilot.press("enter")  # the default name: session-N.md
        target = (exports_dir() / f"session-{sessions.current}.md").resolve()
        await wait_until(pilot, lambda: target.exists(), what="the export")
        assert target.read_text(encoding="utf-8").startswith(f"# Session {sessions.current}")
        await wait_until(pilot, lambda: any(str(target) in n.message for n in app._notifications), what="notice")

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), what="the export dialog again")
        before = target.read_text(encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskText)  # kept open, with why
        assert f"{target} exists: choose another name" in str(app.screen.query_one("#answer-error", Label).render())
        assert target.read_text(encoding="utf-8") == before
