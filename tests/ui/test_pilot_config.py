"""Pilot tests of start-up, backends, preferences (theme, model, keys), palette and profiles."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, Select

from tui_app import paths
from tui_app.run.backend import Backend, BackendChoice
from tui_app.settings import DEFAULT_MODEL
from tui_app.ui.app import ClaudeTUI
from tui_app.ui.config import UIConfig


async def test_no_key_starts_on_the_simulator_with_a_banner(screen_text, started):
    app = ClaudeTUI()  # from the environment: ANTHROPIC_API_KEY is unset by the suite
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        text = screen_text(app)
        assert "SIMULATOR" in text.splitlines()[0]
        assert "ANTHROPIC_API_KEY" in text
        assert app.main_screen.query_one("#status").backend_label == "SIMULATOR"
        assert app.backend.simulator is not None  # started by the app, stopped on exit


async def test_key_selects_the_api_and_honours_base_url(monkeypatch, make_sim, screen_text, started, send_and_wait):
    sim = make_sim("happy")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
    app = ClaudeTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert "SIMULATOR" not in screen_text(app)
        assert f"API {sim.base_url}" in screen_text(app)
        await send_and_wait(pilot, "hi")
        assert sim.requests[-1].headers.get("authorization", "").startswith("Bearer")


async def test_backend_that_cannot_start_is_a_failed_attempt(screen_text, send_and_wait):
    class Broken(Backend):
        def _load(self) -> None:
            raise OSError("address already in use")

    app = ClaudeTUI(backend=Broken(BackendChoice("simulator")))
    async with app.run_test(size=(80, 24)) as pilot:
        await send_and_wait(pilot, "hi", "failed")
        text = screen_text(app)
        assert "backend_unavailable" in text and "OSError: address" in text  # (wrapped in the answer pane)


async def test_keys_can_be_remapped_in_the_config_file(make_app, started, wait_until):
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text('[keys]\nsend = "f10"\nnot-a-binding = "f11"\n')
    app, sim = make_app("happy", config=UIConfig.load())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert any("unknown binding id 'not-a-binding'" in n.message for n in app._notifications)
        await pilot.press("h", "i", "f10")
        await wait_until(pilot, lambda: screen.run_state.state == "done", what="f10 to send")
        assert len(sim.requests) == 1
        await pilot.press("ctrl+j")  # the old key no longer sends
        await pilot.pause()
        assert len(sim.requests) == 1


async def test_theme_and_last_model_are_remembered(make_app, started, send_and_wait, other_model):
    app, _sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        app.theme = "nord"
        screen.query_one("#model", Input).value = other_model
        await send_and_wait(pilot, "x")
    saved = tomllib.loads(paths.config_file().read_text())
    assert saved == {"theme": "nord", "last_model": other_model}
    again, _sim = make_app("happy")
    async with again.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert again.theme == "nord"
        assert again.main_screen.query_one("#model", Input).value == other_model


async def test_unreadable_config_is_a_notice_and_never_overwritten(make_app, started):
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text("theme = [broken")
    app, _sim = make_app("happy", config=UIConfig.load())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert any("cannot read" in n.message for n in app._notifications)
        app.theme = "nord"
        await pilot.pause()
    assert config_file.read_text() == "theme = [broken"


async def test_palette_lists_every_action_with_its_key(make_app, started):
    app, _sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        assert "(ctrl+j)" in commands["Send prompt"]
        assert {
            "Cancel request / give up",
            "Retry now",
            "Retry with edits",
            "Copy answer",
            "Save settings as profile",
            "Switch profile",
            "Open sessions",
        } <= set(commands)


async def test_save_and_switch_profile(make_app, started, wait_until):
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.query_one("#preset", Select).value = "long-form"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.press(*"slow", "enter")
        await wait_until(pilot, lambda: (paths.profiles_dir() / "slow.toml").exists(), what="the profile file")
        screen.query_one("#preset", Select).value = "quick"
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.press("enter")  # the only profile
        await pilot.pause()
        assert screen.query_one("#preset", Select).value == "long-form"
        assert screen.current_settings().timeouts().read == 180.0
        assert screen.current_settings().model == DEFAULT_MODEL


async def test_scenario_can_be_switched_from_the_picker(make_app, started):
    app, sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press("f8")
        await pilot.pause()
        from tui_app.simulator import BUILTIN_SCENARIOS

        await pilot.press(*["down"] * list(BUILTIN_SCENARIOS).index("529-then-ok"), "enter")  # in the list's order
        await pilot.pause()
        assert sim.scenario.name == "529-then-ok"
        assert "529-then-ok" in str(screen.query_one("#banner").render())


async def test_form_fields_are_the_schemas_and_errors_name_their_label(make_app, started, send):
    from tui_app.schema import form_fields

    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        for setting in form_fields("settings"):
            assert screen.query_one(f"#{setting.widget_id}") is not None
        screen.query_one("#max-attempts", Input).value = "0"
        await send(pilot, "x")
        await pilot.pause()
        assert any(
            n.message == 'attempts must be an integer between 1 and 1000, got "0"' for n in app._notifications
        ), [n.message for n in app._notifications]
        screen.query_one("#max-attempts", Input).value = "2"
        screen.query_one("#base-delay", Input).value = "3"
        screen.query_one("#max-delay", Input).value = "1"
        await send(pilot, "y")
        await pilot.pause()
        assert any(n.message.startswith("max delay must be >= retry.base_delay (3)") for n in app._notifications)
        assert sim.requests == []
        screen.query_one("#max-delay", Input).value = "4"
        screen.query_one("#deadline", Input).value = ""
        settings = screen.current_settings()
        assert settings.policy.max_attempts == 2 and settings.effective_policy().deadline is None
