"""The SIMULATOR banner: unmistakable, says how to reach the real API and what it plays.

One widget drawing one line (badge, hint, scenario on the right), not a row of three
labels: it is in the first frame, whose cost grows with each widget in it.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ....run.choice import REAL_API_HINT
from ....safe_text import one_line

HINT = "set ANTHROPIC_API_KEY for the real API"


def real_api_hint(switch_key: str) -> str:
    """The banner's way back to the real API: the switch's key once a key is set, else :data:`HINT`."""
    import os

    return f"{switch_key}: back to the real API" if os.environ.get("ANTHROPIC_API_KEY") else HINT


class SimulatorBanner(Widget):
    """Shown only on the simulator; names the fault scenario and the key that changes it."""

    def __init__(self, scenario: str, *, pick_key: str, hint: str = HINT, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scenario = scenario
        self._pick_key = pick_key
        self.show_hint(hint)

    def show_hint(self, hint: str) -> None:
        """How to reach the real API from here: set a key (none is set), or a key to press."""
        self._hint = hint
        self.tooltip = (
            f"No ANTHROPIC_API_KEY is set, so requests go to the built-in simulator. {REAL_API_HINT}."
            if hint == HINT
            else f"Requests go to the built-in simulator ({hint})."
        )
        self.refresh()

    def show_scenario(self, scenario: str) -> None:
        self._scenario = scenario
        self.refresh()

    @property
    def scenario_text(self) -> str:
        return one_line(f"scenario {self._scenario} ({self._pick_key})")  # a scenario may be a file path

    def render(self) -> Content:
        """Badge, then the hint (cut with an ellipsis when narrow), then the scenario at the right."""
        badge = Content.styled(" SIMULATOR ", "bold $background on $warning")
        scenario = Content.styled(f" {self.scenario_text} ", "bold")
        room = self.size.width - badge.cell_length - scenario.cell_length
        hint = Content(f" {self._hint}").truncate(room, ellipsis=True, pad=True) if room > 0 else Content("")
        return Content.assemble(badge, hint, scenario)
