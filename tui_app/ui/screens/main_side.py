"""The main screen's secondary actions: profiles, scenario, models, copy, backend notices.

An object the screen owns (``MainScreen.side``), not a mixin: it reaches the screen only
through the screen's public methods (``apply_settings``, ``settings_or_notice``,
``switch_and_retry``, ``notify``...), so each file reads as one concern and both are typed.
Every action reports its outcome as a notice; none can crash the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...run.choice import SIM_SCENARIO_DEFAULT, TUI_SCENARIO_DEFAULT
from ..widgets.request.prompt import PromptPanel
from ..widgets.response.output import OutputPanel
from ..widgets.status.banner import SimulatorBanner, real_api_hint
from .dialogs import AskText, PickOne

if TYPE_CHECKING:
    from ...run.choice import BackendChoice
    from .main import MainScreen

CUSTOM_FILE = "a scenario file of my own…"


class SideActions:
    """What the main screen does besides sending: each method is one key's action."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.backend = screen.backend
        self.controller = screen.controller
        chosen = screen.backend.choice.scenario
        self._scenario_spec: str = "" if chosen in (SIM_SCENARIO_DEFAULT, TUI_SCENARIO_DEFAULT) else chosen
        """The scenario chosen for the simulator (a name or a file), saved with a profile;
        empty while it plays its default."""
        self._code_choice: tuple[str, bool] = ("python", False)
        """The language and async-ness "Copy as code" showed last: it opens on them again."""

    def flush_notices(self) -> None:
        """Tell the user what the backend noticed (store problems, unrecorded runs)."""
        notices, self.backend.notices[:] = list(self.backend.notices), []
        for notice in notices:
            self.screen.notify(notice, title="Sessions", severity="warning", timeout=8)

    def copy_answer(self) -> None:
        answer = self.screen.query_one(OutputPanel).last_answer
        if not answer:
            self.screen.notify("No complete answer yet.", severity="warning")
            return
        self.screen.app.copy_to_clipboard(answer)
        self.screen.notify(f"Answer copied ({len(answer)} characters).")

    def copy_as_code(self) -> None:
        """The prompt and settings as ``claude-tui code``'s program, in a modal to copy."""
        from ...codegen.spec import ProgramSpec
        from ...schema import FieldError
        from .code import CodeScreen

        settings = self.screen.settings_or_notice()
        if settings is None:
            return
        prompt = self.screen.query_one(PromptPanel).prompt or None
        try:
            spec = ProgramSpec.from_settings(prompt, settings)
        except FieldError as exc:
            self.screen.notify(str(exc), title="Not written as code", severity="warning")
            return
        lang, use_async = self._code_choice
        self.screen.app.push_screen(CodeScreen(spec, lang=lang, use_async=use_async), self._remember_code_choice)

    def _remember_code_choice(self, choice: tuple[str, bool] | None) -> None:
        if choice is not None:
            self._code_choice = choice

    def advise(self) -> None:
        """Show the timeout advisor's verdict on the settings as edited (unchanged while a
        field does not parse: its own error is shown when sending)."""
        screen = self.screen
        if screen._form is None or not screen._form.is_mounted:
            return
        from ...advisor import advise_settings
        from ...capabilities import from_table

        screen._form.offer(from_table(screen._form.model))
        try:
            advice = advise_settings(screen.current_settings())
        except ValueError:
            return
        if advice is None:
            screen._form.show_advice("no speed figures for this model: no timeout advice", ok=True)
        else:
            screen._form.show_advice(advice.line, ok=advice.ok)

    # -- profiles -------------------------------------------------------------------------------
    def save_profile(self) -> None:
        """Ask for a name and save; a bad name or a refused save keeps the dialog open with
        the reason under the field. On the simulator the scenario it plays is saved too."""
        settings = self.screen.settings_or_notice()
        if settings is None:
            return
        if self.backend.choice.kind == "simulator" and self._scenario_spec:
            settings = settings.with_(scenario=self._scenario_spec)

        def save(name: str) -> str | None:
            from ...store.profiles import ProfileError, save_profile

            try:
                path = save_profile(name, settings)
            except ProfileError as exc:
                return exc.message
            self.screen.notify(f"Saved profile {name!r} ({path})")
            return None

        self.screen.app.push_screen(
            AskText("Save the current settings as profile", placeholder="name, e.g. fast", check=save)
        )

    def load_profile(self) -> None:
        from ...store.profiles import list_profiles

        def chosen(name: str | None) -> None:
            if name:
                self.use_profile(name)

        names = list_profiles()
        self.screen.app.push_screen(
            PickOne(
                "Switch to profile",
                names,
                empty="No saved profiles yet: ctrl+s saves the current settings.",
                details={name: _profile_summary(name) for name in names},
            ),
            chosen,
        )

    def use_profile(self, name: str) -> None:
        """Load profile ``name``; during a backoff it applies to the next attempt at once."""
        from ...store.profiles import ProfileError, load_profile

        try:
            settings = load_profile(name)
        except ProfileError as exc:
            self.screen.notify(str(exc), title="Profile not loaded", severity="error", timeout=10)
            return
        self.screen.apply_settings(settings, announce=False)
        if settings.scenario and self.backend.scenarios:
            self.use_scenario(settings.scenario)
        if self.controller.phase == "backoff":
            self.screen.switch_and_retry(settings)
        else:
            self.screen.notify(f"Profile {name!r}: {settings.model}, preset {settings.preset}")

    # -- backend ------------------------------------------------------------------------------
    def switch_backend(self) -> None:
        """The real API ⇄ the simulator, between runs. The simulator plays the scenario
        chosen for it (a profile's, f8's), the API needs a key in the environment."""
        from ...run.choice import REAL_API_HINT, BackendChoice

        if self.screen.is_busy:
            self.screen.notify("A run is in progress: cancel it (or let it end), then switch.", severity="warning")
            return
        if self.backend.choice.kind == "api":
            choice = BackendChoice.simulator(
                self._scenario_spec or self.screen.settings.scenario or TUI_SCENARIO_DEFAULT
            )
        else:
            choice = BackendChoice.from_env()
            if choice.kind != "api":
                self.screen.notify(
                    f"No ANTHROPIC_API_KEY is set: {REAL_API_HINT}.", title="Backend", severity="warning"
                )
                return
        self.screen.run_worker(self._switch(choice), group="backend", exclusive=True, exit_on_error=False)

    async def _switch(self, choice: BackendChoice) -> None:
        from ..widgets.status.status_line import StatusLine

        try:
            await self.backend.switch(choice)
        except Exception as exc:
            self.screen.notify(f"Could not switch: {exc}", title="Backend", severity="error", timeout=10)
            return
        on_sim = choice.kind == "simulator"
        banner = self.screen.query_one(SimulatorBanner)
        banner.display = on_sim
        if on_sim:
            banner.show_scenario(self.backend.scenario_name)
            banner.show_hint(real_api_hint(self.screen.keys["backend"]))
        self.screen.query_one(StatusLine).backend_label = choice.label
        self.screen.refresh_bindings()
        self.screen.backend_loaded()
        where = f"the SIMULATOR (scenario {self.backend.scenario_name})" if on_sim else choice.label
        self.screen.notify(f"Requests now go to {where}.", title="Backend")

    # -- scenario (simulator only) ----------------------------------------------------------
    def pick_scenario(self) -> None:
        if self.backend.choice.kind != "simulator":
            self.screen.notify("Scenarios apply to the simulator only.", severity="warning")
            return
        self.screen.run_worker(self._pick_scenario(), group="scenario", exclusive=True, exit_on_error=False)

    async def _pick_scenario(self) -> None:
        """Offer the built-in scenarios and a file of one's own (once the simulator is up)."""
        try:
            await self.backend.ready()
        except Exception as exc:
            self.screen.notify(f"The simulator is not running: {exc}", severity="error")
            return

        def chosen(choice: str | None) -> None:
            if choice == CUSTOM_FILE:
                self.screen.app.push_screen(
                    AskText("Scenario file (.toml or .json)", placeholder="path/to/scenario.toml"),
                    lambda path: self.use_scenario(path) if path else None,
                )
            elif choice:
                self.use_scenario(choice)

        choices = [*self.backend.scenarios, CUSTOM_FILE]
        title = f"Simulator scenario (now: {self.backend.scenario_name})"
        details = self.backend.scenario_descriptions()
        details[CUSTOM_FILE] = "a scenario of your own: a .toml or .json file"
        self.screen.app.push_screen(PickOne(title, choices, details=details), chosen)

    def use_scenario(self, scenario: str) -> None:
        """Make the simulator play ``scenario`` from the next request."""
        from ...simulator import ScenarioError

        try:
            self.backend.set_scenario(scenario)
        except (ScenarioError, OSError) as exc:
            self.screen.notify(str(exc), title="Scenario not loaded", severity="error", timeout=10)
            return
        self._scenario_spec = scenario
        name = self.backend.scenario_name
        self.screen.query_one(SimulatorBanner).show_scenario(name)
        self.screen.notify(f"Simulator scenario: {name}" + (f" ({scenario})" if scenario != name else ""))

    # -- models -------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        self.screen.run_worker(self._refresh_models(), group="models", exclusive=True, exit_on_error=False)

    async def _refresh_models(self) -> None:
        """Ask ``/v1/models`` for the models this key can use; keep the SDK's list on error."""
        try:
            await self.backend.ready()
            listed = await self.backend.list_models()
        except Exception as exc:
            self.screen.notify(f"Could not list models: {exc}", title="Models", severity="error")
            return
        merged = list(dict.fromkeys([*listed, *self.backend.known_models]))
        self.screen.form.set_models(merged)
        self.screen.notify(f"{len(listed)} models listed by the API.", title="Models")


def _profile_summary(name: str) -> str:
    """What a saved profile holds, in a line; INVALID and why when it cannot be loaded."""
    from ...store.profiles import ProfileError, load_profile

    try:
        s = load_profile(name)
    except ProfileError as exc:
        return f"INVALID: {exc}"
    parts = [s.model, f"preset {s.preset}", f"{s.policy.max_attempts} attempts"]
    if s.scenario:
        parts.append(f"scenario {s.scenario}")
    return " · ".join(parts)
