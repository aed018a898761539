"""The settings form refuses nothing silently: a field's text that breaks its rule is marked
and explained under the form, and a send with several bad fields names each one."""

from __future__ import annotations

from textual.widgets import Input, Label


def errors_shown(screen) -> str:
    label = screen.query_one("#form-errors", Label)
    return str(label.render()) if label.display else ""


async def test_a_refused_value_says_why_and_what_the_field_takes(make_app, started):
    app, _sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("f3")
        deadline = screen.query_one("#deadline", Input)
        deadline.focus()
        deadline.value = ""
        await pilot.press(*"soon")  # typed, not silently dropped as by a number-only input
        await pilot.pause()
        assert deadline.value == "soon"
        assert deadline.has_class("-invalid")
        assert 'deadline s must be a number of seconds > 0 and <= 86400, or "none", got "soon"' in errors_shown(screen)
        deadline.value = "none"
        await pilot.pause()
        assert not deadline.has_class("-invalid") and errors_shown(screen) == ""


async def test_a_send_with_several_bad_fields_names_each(make_app, started, send):
    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.query_one("#max-attempts", Input).value = "0"
        screen.query_one("#read-timeout", Input).value = "-1"
        await send(pilot, "x")
        await pilot.pause()
        [notice] = [n.message for n in app._notifications if n.title == "Settings"]
        assert "attempts must be an integer between 1 and 1000" in notice
        assert "read s must be a number of seconds > 0" in notice
        assert sim.requests == []
