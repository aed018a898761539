"""A fault-injecting Anthropic Messages API simulator: a real HTTP server on 127.0.0.1.

The official ``anthropic`` SDK talks to it exactly as to the real API (point
``base_url`` / ``ANTHROPIC_BASE_URL`` at :attr:`Simulator.base_url`), so its timeouts,
retries and parsing are exercised for real while scenarios script what goes wrong on
each attempt: error statuses with retry hints, stalls, resets, truncated or malformed
streams, refused connections. Importing this package does not import ``anthropic``.
"""

from .answers import answer_for
from .host import Simulator
from .records import RecordedRequest
from .scenarios import BUILTIN_SCENARIOS, Scenario, load_scenario, scenario_from_dict
from .steps import FAULTS, ScenarioError, Step

__all__ = [
    "BUILTIN_SCENARIOS",
    "FAULTS",
    "RecordedRequest",
    "Scenario",
    "ScenarioError",
    "Simulator",
    "Step",
    "answer_for",
    "load_scenario",
    "scenario_from_dict",
]
