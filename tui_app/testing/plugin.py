"""The pytest plugin (entry point ``pytest11``: ``claude_tui``): the ``claude_sim`` fixture.

pytest imports this module in every run of every project where claude-tui is installed, so
it imports pytest and nothing else at module level: the simulator is imported when a test
first asks for the fixture (``tests/testing/test_plugin.py`` checks it). Disable it with
``-p no:claude_tui``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .sim import ClaudeSim

MARKER = "claude_sim"
_FILE_SUFFIXES = (".toml", ".json")
_MARKER_HELP = (
    "claude_sim(scenario='happy', seed=0): the scenario (a built-in name, or a .toml/.json file, "
    "relative to the test file) and seed of the claude_sim fixture's simulator"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER_HELP)


@pytest.fixture
def claude_sim(request: pytest.FixtureRequest) -> Iterator[ClaudeSim]:
    """A fault-injecting Anthropic Messages API simulator on 127.0.0.1, for this test.

    The scenario and seed come from ``@pytest.mark.claude_sim(scenario=..., seed=...)``
    on the test, its class or its module (default ``happy``, seed 0). Use ``.base_url``,
    ``.api_key`` and ``.model`` with any client; ``.requests`` is what reached the server.
    """
    from ..simulator import ScenarioError
    from .sim import ClaudeSim

    scenario, seed = _marker_arguments(request)
    try:
        sim = ClaudeSim(scenario, seed=seed)
    except ScenarioError as exc:
        pytest.fail(f"@pytest.mark.{MARKER}: {exc}", pytrace=False)
    with sim:
        yield sim


def _marker_arguments(request: pytest.FixtureRequest) -> tuple[Any, int]:
    """(scenario, seed) from the closest ``claude_sim`` marker; bad arguments fail the test
    with one line naming the argument."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return "happy", 0
    args, kwargs = list(marker.args), dict(marker.kwargs)
    if len(args) > 1 or (args and "scenario" in kwargs):
        _bad("give the scenario once, e.g. claude_sim(scenario='overload-storm', seed=1)")
    scenario = kwargs.pop("scenario", args[0] if args else "happy")
    seed = kwargs.pop("seed", 0)
    if kwargs:
        _bad(f"unknown argument {next(iter(kwargs))!r} (use scenario=..., seed=...)")
    if not isinstance(seed, int) or isinstance(seed, bool):
        _bad(f"seed must be a whole number, not {seed!r} (e.g. seed=1)")
    return _beside_the_test(scenario, request.path), seed


def _beside_the_test(scenario: Any, test_file: Path) -> Any:
    """A relative scenario file path is taken from the test file's folder, so a test finds its
    scenario wherever pytest was started; built-in names and other values pass through."""
    from ..simulator import BUILTIN_SCENARIOS

    if isinstance(scenario, str) and (scenario in BUILTIN_SCENARIOS or Path(scenario).suffix not in _FILE_SUFFIXES):
        return scenario  # a name (a misspelt one gets the simulator's list of names)
    if isinstance(scenario, (str, Path)) and not Path(scenario).is_absolute():
        return test_file.parent / scenario
    return scenario


def _bad(problem: str) -> NoReturn:
    pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)
