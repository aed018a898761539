"""End to end: the installed ``claude-tui`` binary in a real terminal (tmux), no API key.

A private tmux server (``-L``), a fixed 120x40 window and TERM=xterm-256color make the
screen reproducible; the test types with ``send-keys -l``, sends ctrl+j, and polls
``capture-pane`` with a bounded wait. Skipped only where tmux is missing (``.ci/run``
installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui_app.simulator import answer_for

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
PROMPT = "Why do retries need jitter?"


def _binary() -> str:
    beside_python = Path(sys.executable).parent / "claude-tui"
    found = str(beside_python) if beside_python.exists() else shutil.which("claude-tui")
    if found is None:
        pytest.fail("claude-tui is not installed in this environment (pip install -e .)")
    return found


class Tmux:
    """One private tmux server running one window; killed at the end whatever happens."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "tui")

    def wait_for(self, text: str, timeout: float = 60.0) -> str:  # a bound, not a speed target
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)  # polling a separate process: nothing to await
        raise AssertionError(f"{text!r} not on screen after {timeout} s:\n{self.screen()}")


@pytest.fixture
def tmux(isolated_env):
    session = Tmux(f"claude-tui-test-{uuid.uuid4().hex[:8]}")
    yield session
    session("kill-server")


def test_real_binary_answers_a_prompt_on_the_simulator(tmux, isolated_env):
    env = {
        "TERM": "xterm-256color",
        "CLAUDE_TUI_CONFIG_DIR": os.environ["CLAUDE_TUI_CONFIG_DIR"],
        "CLAUDE_TUI_DATA_DIR": os.environ["CLAUDE_TUI_DATA_DIR"],
        "HOME": os.environ["HOME"],
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
    }
    command = " ".join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), _binary()])
    tmux("new-session", "-d", "-s", "tui", "-x", "120", "-y", "40", command)
    tmux.wait_for("SIMULATOR")
    tmux.wait_for("Type a prompt")
    tmux("send-keys", "-t", "tui", "-l", PROMPT)
    tmux.wait_for(PROMPT)
    tmux("send-keys", "-t", "tui", "C-j")
    first_line = answer_for(PROMPT).splitlines()[0]
    screen = tmux.wait_for("ok end_turn")  # the attempts row: not a word the answer may hold
    assert first_line in screen
    assert "· done ·" in tmux.wait_for("· done ·")
    tmux("send-keys", "-t", "tui", "C-q")
