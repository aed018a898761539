"""Real sockets: the simulator on 127.0.0.1 and the official SDK (or the CLI) against it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui_app.simulator import Simulator


@pytest.fixture
def scenario_file(tmp_path):
    """Write a scenario TOML (dedented) and return its path."""
    counter = iter(range(1000))

    def write(text: str) -> Path:
        path = tmp_path / f"scenario{next(counter)}.toml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def simulator():
    with Simulator(scenario="happy") as sim:
        yield sim


@pytest.fixture
def run_cli(isolated_env):
    """Run the real ``claude-tui`` process; returns CompletedProcess (text mode)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60):
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "tui_app", *args],
            input=input, capture_output=True, text=True, env=full_env, timeout=timeout,
        )

    return run
