"""Where requests go — the built-in simulator or the real API — decided before any import.

The TUI with no ``ANTHROPIC_API_KEY`` uses the simulator, and says so on screen; a headless
script never gets simulated answers silently: ``claude-tui run`` without a key needs
``--sim``. Import-light (``--help`` and the first frame load this).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..secrets import api_key_problem, mask_key

if TYPE_CHECKING:
    from collections.abc import Mapping

SIM_SCENARIO_DEFAULT = "happy"
"""What ``claude-tui run --sim`` and ``simulate`` play without a scenario: answers at once
(scripts and tests want them fast)."""
TUI_SCENARIO_DEFAULT = "live"
"""What the TUI's simulator plays without a scenario: answers at each model's speed and
time to first token (``assets/model_speeds.toml``), so people see an answer arrive."""
REAL_API_HINT = "export ANTHROPIC_API_KEY=sk-ant-... and restart to use the real API"


class ChoiceError(ValueError):
    """No usable backend for a headless run: one line saying what to set or pass."""


@dataclass(frozen=True, slots=True)
class BackendChoice:
    """Which backend to use, decided from the environment before anything heavy loads."""

    kind: Literal["simulator", "api"]
    api_key: str | None = None
    base_url: str | None = None
    scenario: str = SIM_SCENARIO_DEFAULT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, scenario: str | None = None) -> BackendChoice:
        """The TUI's choice: no ``ANTHROPIC_API_KEY`` → the simulator (never the network by surprise)."""
        env = os.environ if environ is None else environ
        key = env.get("ANTHROPIC_API_KEY")
        if key:
            return cls("api", api_key=key, base_url=env.get("ANTHROPIC_BASE_URL") or None)
        return cls.simulator(scenario or TUI_SCENARIO_DEFAULT)

    @classmethod
    def simulator(cls, scenario: str | None = None) -> BackendChoice:
        return cls("simulator", scenario=scenario or SIM_SCENARIO_DEFAULT)

    @classmethod
    def for_headless(
        cls, *, simulate: bool, scenario: str | None = None, environ: Mapping[str, str] | None = None
    ) -> BackendChoice:
        """``claude-tui run``'s choice: ``--sim``, else a usable key; ``ChoiceError`` otherwise."""
        if simulate:
            return cls.simulator(scenario)
        env = os.environ if environ is None else environ
        key = env.get("ANTHROPIC_API_KEY")
        if not key:
            raise ChoiceError(
                "ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-... to use the API, "
                "or pass --sim to use the built-in simulator"
            )
        problem = api_key_problem(key)
        if problem:
            raise ChoiceError(f"ANTHROPIC_API_KEY ({mask_key(key)}) {problem}: export it again without that character")
        return cls("api", api_key=key, base_url=env.get("ANTHROPIC_BASE_URL") or None)

    @property
    def label(self) -> str:
        """What the status line calls this backend; the simulator must be unmistakable."""
        if self.kind == "simulator":
            return "SIMULATOR"
        return f"API {self.base_url}" if self.base_url else "real API"
