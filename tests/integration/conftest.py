"""Real sockets: the simulator on 127.0.0.1 and the official SDK (or the CLI) against it.

``scenario_file`` and ``run_cli`` live in tests/conftest.py (the reliability tests use them too).
"""

from __future__ import annotations

import pytest

from tui_app.simulator import Simulator


@pytest.fixture
def simulator():
    with Simulator(scenario="happy") as sim:
        yield sim
