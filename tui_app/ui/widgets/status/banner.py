"""The SIMULATOR banner: unmistakable, says how to reach the real API and what it plays."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from ...backend import REAL_API_HINT


class SimulatorBanner(Horizontal):
    """Shown only on the simulator; names the fault scenario and the key that changes it."""

    def __init__(self, scenario: str, *, pick_key: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scenario = scenario
        self._pick_key = pick_key

    def compose(self) -> ComposeResult:
        yield Label("SIMULATOR", id="sim-badge")
        hint = Label("set ANTHROPIC_API_KEY for the real API", id="sim-hint")
        hint.tooltip = f"No ANTHROPIC_API_KEY is set, so requests go to the built-in simulator. {REAL_API_HINT}."
        yield hint
        yield Label(self._scenario_text(), id="scenario", markup=False)

    def show_scenario(self, scenario: str) -> None:
        self._scenario = scenario
        self.query_one("#scenario", Label).update(self._scenario_text())

    def _scenario_text(self) -> str:
        return f"scenario {self._scenario} ({self._pick_key})"
