"""The model field is the one source of truth: the known-models picker follows it."""

from __future__ import annotations

from textual.widgets import Input, Select


async def test_the_picker_follows_what_is_typed_in_the_model_field(make_app, started):
    app, _sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        form = app.main_screen.form
        form.set_models(["model-a", "model-b"])
        field, picker = form.query_one("#model", Input), form.query_one("#model-list", Select)
        await pilot.pause()
        picker.value = "model-a"  # picked from the list
        await pilot.pause()
        assert field.value == "model-a"
        field.value = "model-a-typed-on"  # then edited by hand: the picker no longer claims model-a
        await pilot.pause()
        assert picker.value == Select.NULL
        field.value = "model-b"
        await pilot.pause()
        assert picker.value == "model-b"
        assert form.model == "model-b"
