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


def _env_command(*args: str) -> str:
    """The shell command tmux runs: claude-tui ARGS with only the test's own environment."""
    env = {
        "TERM": "xterm-256color",
        "CLAUDE_TUI_CONFIG_DIR": os.environ["CLAUDE_TUI_CONFIG_DIR"],
        "CLAUDE_TUI_DATA_DIR": os.environ["CLAUDE_TUI_DATA_DIR"],
        "HOME": os.environ["HOME"],
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
    }
    return " ".join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), _binary(), *args])


def test_real_binary_answers_a_prompt_on_the_simulator(tmux, isolated_env):
    tmux("new-session", "-d", "-s", "tui", "-x", "120", "-y", "40", _env_command())
    tmux.wait_for("SIMULATOR")
    tmux.wait_for("Type a prompt")
    tmux("send-keys", "-t", "tui", "-l", PROMPT)
    tmux.wait_for(PROMPT)
    tmux("send-keys", "-t", "tui", "C-j")
    first_line = answer_for(PROMPT).splitlines()[0]
    tmux.wait_for("ok end_turn")  # the attempts row: not a word the answer may hold
    tmux.wait_for(first_line)  # the answer pane draws on its own timer, maybe a frame later
    assert "· done ·" in tmux.wait_for("· done ·")
    tmux("send-keys", "-t", "tui", "C-q")


def test_a_three_turn_conversation_with_a_529_in_the_middle_then_replayed(tmux, isolated_env, tmp_path):
    scenario = tmp_path / "middle-529.toml"
    scenario.write_text(
        'name = "middle-529"\ndescription = "turn 2 meets a 529"\nanswer_chars = 80\nthen = "happy"\n'
        '[[steps]]\nfault = "none"\n[[steps]]\nfault = "status"\nstatus = 529\nretry_after = 0.2\n'
        '[[steps]]\nfault = "none"\n[[steps]]\nfault = "none"\n',
        encoding="utf-8",
    )
    tmux("new-session", "-d", "-s", "tui", "-x", "120", "-y", "40", _env_command(f"--sim={scenario}"))
    tmux.wait_for("scenario middle-529")
    tmux.wait_for("Type a prompt")
    typed = ""
    for number, (prompt, key) in enumerate([("Q one", "C-j"), ("Q two", "M-j"), ("Q three", "M-j")], 1):
        if typed:  # the editor keeps the last prompt: erase it
            tmux("send-keys", "-t", "tui", "-N", str(len(typed)), "BSpace")
            tmux.wait_for("Type a prompt")
        tmux("send-keys", "-t", "tui", "-l", prompt)
        tmux.wait_for(f"│ {prompt} ")
        typed = prompt
        tmux("send-keys", "-t", "tui", key)
        screen = tmux.wait_for(f"Simulated answer to: {prompt}")
        if number > 1:
            assert f"follow-up · turn {number}" in screen
    assert "529" in tmux.screen()  # turn 2's failed attempt is still in the attempts panel's history
    tmux("send-keys", "-t", "tui", "C-g")
    tmux.wait_for("m Max")  # the sessions screen (its footer), the newest session under the cursor
    tmux("send-keys", "-t", "tui", "m")  # replay the last turn without waits: the whole conversation
    screen = tmux.wait_for("turn 3 of 3")
    assert "REPLAY" in screen or "· done ·" in screen
    tmux.wait_for("· done ·")
    tmux("send-keys", "-t", "tui", "C-q")
