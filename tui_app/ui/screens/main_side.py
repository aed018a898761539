"""The main screen's secondary actions: profiles, scenario, models, copy, sessions, replay.

Kept apart from ``main.py`` (which owns sending and the event sink) so each file reads as
one concern. Every action reports its outcome as a notice; none can crash the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from ..widgets.response.output import OutputPanel
from ..widgets.status.banner import SimulatorBanner
from .dialogs import AskText, PickOne

CUSTOM_FILE = "a scenario file of my own…"

if TYPE_CHECKING:
    from ...settings import RunSettings


class SideActions:
    """Mixin for ``MainScreen`` (uses its ``backend``, ``controller`` and ``notify``)."""

    backend: Any
    controller: Any
    settings: RunSettings

    def flush_notices(self: Any) -> None:
        """Tell the user what the backend noticed (store problems, unrecorded runs)."""
        notices, self.backend.notices[:] = list(self.backend.notices), []
        for notice in notices:
            self.notify(notice, title="Sessions", severity="warning", timeout=8)

    # -- copy -------------------------------------------------------------------------------
    def action_copy_answer(self: Any) -> None:
        answer = self.query_one(OutputPanel).last_answer
        if not answer:
            self.notify("No complete answer yet.", severity="warning")
            return
        self.app.copy_to_clipboard(answer)
        self.notify(f"Answer copied ({len(answer)} characters).")

    # -- profiles -------------------------------------------------------------------------------
    def action_save_profile(self: Any) -> None:
        settings = self.settings_or_notice()
        if settings is None:
            return

        def save(name: str | None) -> None:
            if not name:
                return
            from ...store.profiles import ProfileError, save_profile

            try:
                path = save_profile(name, settings)
            except ProfileError as exc:
                self.notify(str(exc), title="Profile not saved", severity="error", timeout=10)
                return
            self.notify(f"Saved profile {name!r} ({path})")

        self.app.push_screen(AskText("Save the current settings as profile", placeholder="name, e.g. fast"), save)

    def action_load_profile(self: Any) -> None:
        from ...store.profiles import list_profiles

        def chosen(name: str | None) -> None:
            if name:
                self.use_profile(name)

        names = list_profiles()
        self.app.push_screen(
            PickOne("Switch to profile", names, empty="No saved profiles yet: ctrl+s saves the current settings."),
            chosen,
        )

    def use_profile(self: Any, name: str) -> None:
        """Load profile ``name``; during a backoff it applies to the next attempt at once."""
        from ...store.profiles import ProfileError, load_profile

        try:
            settings = load_profile(name)
        except ProfileError as exc:
            self.notify(str(exc), title="Profile not loaded", severity="error", timeout=10)
            return
        self.apply_settings(settings, announce=False)
        if settings.scenario and self.backend.scenarios:
            self.use_scenario(settings.scenario)
        if self.controller.phase == "backoff":
            self.switch_and_retry(settings)
        else:
            self.notify(f"Profile {name!r}: {settings.model}, preset {settings.preset}")

    # -- scenario (simulator only) ----------------------------------------------------------
    def action_pick_scenario(self: Any) -> None:
        if self.backend.choice.kind != "simulator":
            self.notify("Scenarios apply to the simulator only.", severity="warning")
            return
        self.pick_scenario()

    @work(group="scenario", exclusive=True, exit_on_error=False)
    async def pick_scenario(self: Any) -> None:
        """Offer the built-in scenarios and a file of one's own (once the simulator is up)."""
        try:
            await self.backend.ready()
        except Exception as exc:
            self.notify(f"The simulator is not running: {exc}", severity="error")
            return

        def chosen(choice: str | None) -> None:
            if choice == CUSTOM_FILE:
                self.app.push_screen(
                    AskText("Scenario file (.toml or .json)", placeholder="path/to/scenario.toml"),
                    lambda path: self.use_scenario(path) if path else None,
                )
            elif choice:
                self.use_scenario(choice)

        choices = [*self.backend.scenarios, CUSTOM_FILE]
        self.app.push_screen(PickOne(f"Simulator scenario (now: {self.backend.scenario_name})", choices), chosen)

    def use_scenario(self: Any, scenario: str) -> None:
        """Make the simulator play ``scenario`` from the next request."""
        from ...simulator import ScenarioError

        try:
            self.backend.set_scenario(scenario)
        except (ScenarioError, OSError) as exc:
            self.notify(str(exc), title="Scenario not loaded", severity="error", timeout=10)
            return
        self.query_one(SimulatorBanner).show_scenario(scenario)
        self.notify(f"Simulator scenario: {scenario}")

    # -- models -------------------------------------------------------------------------------
    def action_refresh_models(self: Any) -> None:
        self.refresh_models()

    @work(group="models", exclusive=True, exit_on_error=False)
    async def refresh_models(self: Any) -> None:
        """Ask ``/v1/models`` for the models this key can use; keep the SDK's list on error."""
        try:
            await self.backend.ready()
            listed = await self.backend.list_models()
        except Exception as exc:
            self.notify(f"Could not list models: {exc}", title="Models", severity="error")
            return
        merged = list(dict.fromkeys([*listed, *self.backend.known_models]))
        self.form.set_models(merged)
        self.notify(f"{len(listed)} models listed by the API.", title="Models")

    # -- sessions -------------------------------------------------------------------------------
    def action_sessions(self: Any) -> None:
        from .sessions import SessionsScreen

        if self.backend.store is None:
            why = "still loading" if not self.backend.is_ready else "not available (see the earlier notice)"
            self.notify(f"The session history is {why}.", severity="warning")
            return
        self.app.push_screen(SessionsScreen(self.backend.store, self))

    def rerun(self: Any, detail: Any) -> None:
        """Send a past session's prompt again with its settings; the new session links to it."""
        from .sessions import settings_from_session

        if self.is_busy:
            self.notify("A request is running: cancel it first.", title="Not re-run", severity="warning")
            return
        settings = settings_from_session(detail.settings, self.settings)
        if settings is None:
            settings = self.settings.with_(model=detail.model)
            self.notify("The session's settings could not be restored: using the current ones.", severity="warning")
        self.apply_settings(settings, announce=False)
        # Exactly the recorded prompt, control characters included: the editor (SafeTextArea)
        # draws stand-ins for them, so what is shown is safe and what is sent is unchanged.
        self.query_one("#prompt").text = detail.prompt
        self.start_run(detail.prompt, settings, parent_id=detail.id)

    @work(group="run", exit_on_error=False)
    async def replay(self: Any, detail: Any, speed: float | None) -> None:
        """Play a recorded session through the same panels, with its timing / ``speed``."""
        from ...store.replay import replay_events

        if self.is_busy:
            self.notify("A request is running: cancel it first.", title="Not replayed", severity="warning")
            return
        self._replaying = detail.id
        self._replay_gate.set()
        self._set_replay_label()
        try:
            await self.query_one(OutputPanel).begin_turn(detail.prompt)
            async for event in replay_events(detail.events, speed=speed):
                await self._replay_gate.wait()
                await self.show_event(event)
                if self._replay_stepping:
                    self._replay_stepping = False
                    self._replay_gate.clear()
            if self.run_state.live:  # an interrupted session ends without an outcome
                self.run_state.state = "interrupted"
        finally:
            self._replaying = None
            self._set_replay_label()

    def action_replay_pause(self: Any) -> None:
        if self._replaying is None:
            self.notify("Pause works during a replay (ctrl+g, then a session).", severity="warning")
            return
        if self._replay_gate.is_set():
            self._replay_gate.clear()
        else:
            self._replay_gate.set()
        self._set_replay_label()

    def action_replay_step(self: Any) -> None:
        if self._replaying is None or self._replay_gate.is_set():
            self.notify("Step works while a replay is paused.", severity="warning")
            return
        self._replay_stepping = True
        self._replay_gate.set()

    def _set_replay_label(self: Any) -> None:
        """The status line says REPLAY (and paused) instead of the backend while replaying."""
        from ..widgets.status.status_line import StatusLine

        label = self.backend.choice.label
        if self._replaying is not None:
            label = f"REPLAY #{self._replaying}" + ("" if self._replay_gate.is_set() else " (paused)")
        self.query_one(StatusLine).backend_label = label
        self.render_live()
        self.refresh_bindings()
