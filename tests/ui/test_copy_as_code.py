"""Copy as code (ctrl+n): the program claude-tui code prints for the same prompt and settings."""

from __future__ import annotations

from tui_app.settings import RunSettings
from tui_app.ui.screens.code import CodeScreen


async def test_the_modal_shows_what_claude_tui_code_prints_and_copies_it(make_app, started, wait_until, cli):
    (code, sync, err), (_, async_, _) = cli("code", "Why retry?"), cli("code", "Why retry?", "--async")
    assert code == 0, err
    typescript = cli("code", "Why retry?", "--lang", "typescript")[1]
    app, _sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press(*"Why retry?")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, CodeScreen), what="the code modal")
        assert app.screen.source.rstrip("\n") == sync.rstrip("\n")  # print adds the last newline
        await pilot.press("a")
        assert "AsyncAnthropic" in app.screen.source
        assert app.screen.source.rstrip("\n") == async_.rstrip("\n")
        await pilot.press("c")
        assert app.clipboard == app.screen.source
        await pilot.press("l")  # TypeScript, the same program as --lang typescript
        assert app.screen.source.rstrip("\n") == typescript.rstrip("\n")
        assert "TypeScript" in str(app.screen.query_one("#code-title").render())
        await pilot.press("a")  # no async variant: still the TypeScript program
        assert app.screen.source.rstrip("\n") == typescript.rstrip("\n")
        await pilot.press("c")
        assert app.clipboard == typescript.rstrip("\n") + "\n"
        await pilot.press("l")
        assert app.screen.source.rstrip("\n") == async_.rstrip("\n")  # back to Python, still async
        await pilot.press("l", "escape")  # closed on TypeScript
        await pilot.pause()
        assert not isinstance(app.screen, CodeScreen)
        await pilot.press("ctrl+n")  # opens on what it showed last
        await wait_until(pilot, lambda: isinstance(app.screen, CodeScreen), what="the code modal again")
        assert app.screen.source.rstrip("\n") == typescript.rstrip("\n")


async def test_a_setting_code_cannot_write_is_a_notice(make_app, started):
    """Adaptive throttling (at random, from a history of the process's requests) is not written as code."""
    app, _sim = make_app(settings=RunSettings().with_values({"retry.throttle_k": 2.0}))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not isinstance(app.screen, CodeScreen)
        [notice] = [n.message for n in app._notifications if n.title == "Not written as code"]
        assert "--throttle-k" in notice and "cannot be written as code yet" in notice
