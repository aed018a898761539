"""Notices: plain text, shown once, and out of the way of the status line and attempts."""

from __future__ import annotations

from textual.widgets._toast import Toast

from tui_app.ui.widgets.status.status_line import StatusLine


def shown(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


async def test_ctrl_c_says_how_to_quit_in_plain_text(make_app, started):
    app, _sim = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert shown(app) == [("Quit?", "Press ^q to quit.")]  # was "Press [b]ctrl+q[/b] to quit the app"


async def test_a_notice_already_on_screen_is_not_stacked_again(make_app, started):
    app, _sim = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        for _ in range(3):
            app.notify("Profile saved")
        app.notify("Profile saved", severity="error")  # a different notice
        await pilot.pause()
        assert shown(app) == [("", "Profile saved")] * 2


async def test_notices_cover_neither_the_status_line_nor_the_attempts(make_app, started, wait_until):
    app, _sim = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await started(pilot)
        app.notify("first")
        app.notify("second", title="Two lines")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 2, what="two toasts")
        await pilot.pause()
        kept_clear = [app.main_screen.query_one(StatusLine).region, app.main_screen.query_one("#attempts").region]
        for toast in app.screen.query(Toast):
            assert all(not toast.region.overlaps(region) for region in kept_clear), (toast.region, kept_clear)
