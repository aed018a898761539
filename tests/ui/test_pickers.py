"""Pickers say what each choice is; saving a profile keeps the dialog open on a bad name and
saves the simulator's scenario with it."""

from __future__ import annotations

import tomllib

from tui_app import paths
from tui_app.ui.screens.dialogs import AskText, PickOne


async def test_the_scenario_picker_shows_descriptions_and_a_file_by_its_name(
    make_app, started, wait_until, screen_text, tmp_path
):
    scenario = tmp_path / "incident-0412.toml"
    scenario.write_text('name = "last night"\ndescription = "the 04:12 overload"\n', encoding="utf-8")
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, PickOne), what="the scenario picker")
        await pilot.pause()
        text = screen_text(app)
        assert "One 529 overloaded error (retry-after 0.5 s), then an answer; repeats." in text
        await pilot.press("end")
        await pilot.pause()
        assert "a scenario of your own: a .toml or .json file" in screen_text(app)
        await pilot.press("escape")
        screen.side.use_scenario(str(scenario))
        await pilot.pause()
        assert sim.scenario.name == "last night"
        banner = str(screen.query_one("#banner").render())
        assert "last night" in banner and "incident-0412" not in banner


async def test_a_bad_profile_name_keeps_the_dialog_open_with_the_error(make_app, started, wait_until, screen_text):
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.side.use_scenario("stalls")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), what="the name dialog")
        await pilot.press(*"no/slash", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AskText)  # still open, what was typed kept
        assert "no/slash" in screen_text(app)
        error = str(app.screen.query_one("#answer-error").render())
        assert error and app.screen.query_one("#answer-error").display
        for _ in "no/slash":
            await pilot.press("backspace")
        await pilot.press(*"storm", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, AskText), what="the dialog to close")
        saved = tomllib.loads((paths.profiles_dir() / "storm.toml").read_text(encoding="utf-8"))
        assert saved["simulator"]["scenario"] == "stalls"


async def test_the_profile_picker_shows_what_each_holds_and_marks_invalid_ones(
    make_app, started, wait_until, screen_text
):
    paths.profiles_dir().mkdir(parents=True, exist_ok=True)
    (paths.profiles_dir() / "broken.toml").write_text("[retry]\nmax_attempts = 0\n", encoding="utf-8")
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), what="the name dialog")
        await pilot.press(*"good", "enter")
        await wait_until(pilot, lambda: (paths.profiles_dir() / "good.toml").exists(), what="the profile")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, PickOne), what="the profile picker")
        await pilot.pause()
        text = screen_text(app)
        assert "INVALID: " in text and "max_attempts" in text
        assert f"{screen.settings.model} · preset quick · 4 attempts" in text
