"""Suite-wide isolation: no test touches the real home, the real API or real backoff."""

from __future__ import annotations

import asyncio
import os
import tempfile

import pytest

_SESSION_HOME = tempfile.mkdtemp(prefix="claude-tui-tests-")


def pytest_configure(config):
    """Process-wide safety net, before any test module is imported: even code that runs
    outside a test's monkeypatch (threads, workers finishing late, subprocesses started
    without an explicit env) sees a throw-away home, never the developer's."""
    os.environ["HOME"] = _SESSION_HOME
    os.environ["XDG_CONFIG_HOME"] = os.path.join(_SESSION_HOME, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(_SESSION_HOME, "data")
    os.environ["CLAUDE_TUI_CONFIG_DIR"] = os.path.join(_SESSION_HOME, "config", "claude-tui")
    os.environ["CLAUDE_TUI_DATA_DIR"] = os.path.join(_SESSION_HOME, "data", "claude-tui")
    os.environ.pop("ANTHROPIC_API_KEY", None)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """Config and data in temp dirs; no API key; no colour/theme overrides leaking in."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", str(root / "config" / "claude-tui"))
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(root / "data" / "claude-tui"))
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "NO_COLOR", "TEXTUAL_THEME"):
        monkeypatch.delenv(name, raising=False)
    return root


class FakeTime:
    """A clock and sleep pair for the retry core: sleeping advances the clock instantly.

    Tests assert on planned delays without waiting for them; ``sleeps`` records each one.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
