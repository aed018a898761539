"""``claude-tui`` with no subcommand: open the terminal UI.

Import-light at module level (``cli.py`` imports it for every TUI start): Textual is
imported inside ``run`` and ``anthropic`` only after the first paint, in a worker.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from ..run.backend import Backend


def run(args: argparse.Namespace) -> int:
    """Open the TUI (with ``--profile NAME`` if given); a bad profile is a notice, not an exit."""
    from .. import gc_policy  # the stdlib's gc only: Textual is not imported yet

    gc_policy.starting()
    try:
        return _open(args)
    finally:
        gc_policy.release()


def _open(args: argparse.Namespace) -> int:
    settings = None
    notices: list[str] = []
    profile = getattr(args, "profile", None)
    if profile:
        from ..store.profiles import ProfileError, load_profile

        try:
            settings = load_profile(profile)
        except ProfileError as exc:
            notices.append(f"{exc} — starting with the default settings")
    from ..ui.app import ClaudeTUI

    try:
        backend = simulator_backend(getattr(args, "sim", None), settings.scenario if settings else None)
    except ValueError as exc:
        print(f"claude-tui: --sim: {exc}", file=sys.stderr)
        return 2
    app = ClaudeTUI(settings=settings, notices=notices, backend=backend)
    app.run()
    return app.return_code or 0


def simulator_backend(sim: str | None, profile_scenario: str | None) -> Backend | None:
    """``--sim[=SCENARIO]``'s backend: the simulator, a key set or not (None without
    ``--sim``: the environment decides). ``ValueError`` (a ``ScenarioError``) for a bad scenario."""
    if sim is None:
        return None
    from ..run.backend import Backend, BackendChoice
    from ..run.choice import TUI_SCENARIO_DEFAULT
    from ..simulator import load_scenario

    scenario = sim or profile_scenario or TUI_SCENARIO_DEFAULT
    if scenario:
        load_scenario(scenario)  # a bad name or file: one line now, not a failed start
    return Backend(BackendChoice.simulator(scenario))
