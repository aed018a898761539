"""Suite-wide isolation: no test touches the real home, the real API or real backoff."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

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


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


SLOW = (
    "tests/reliability/test_cli_soak.py",
    "tests/reliability/test_chaos_soak.py",
    "tests/reliability/test_crash_safety.py",
    "tests/integration/test_crash_safety.py",
    "tests/store/test_run_recording.py::test_sigkill_mid_stream_leaves_an_interrupted_session",
    "tests/ui/test_e2e_tmux.py",
    "tests/ui/test_snapshots.py",
    "tests/ui/test_startup.py::test_first_screen_paints_before_anthropic_is_imported",
    "tests/bench/test_bench_quick.py::test_quick_mode_runs_and_prints_the_table",
    "tests/test_model_table.py",
    "tests/integration/test_no_stream_cli.py::test_without_streaming_a_slow_answer_times_out_on_every_attempt",
    "tests/integration/test_no_stream_cli.py::test_the_same_answer_streamed_more_slowly_survives_the_same_read_timeout",
    "tests/codegen/test_builtins.py",
    "tests/codegen/test_programs.py::test_retry_after_is_honoured",
    "tests/codegen/test_programs.py::test_thinking_effort_temperature_and_stop_reach_the_body_as_run_sends_them",
    "tests/ui/test_thinking_ui.py::test_thinking_snapshots",
    "tests/ui/test_advisor_ui.py::test_advisor_snapshots",
)
"""Tests that take seconds each (soaks, killed processes, a real terminal, snapshots, the
benchmark scripts, a sub-suite): marked ``slow`` so ``-m 'not slow'`` is a quick loop. Kept
in one list, so what the quick loop leaves out is seen at a glance."""

HEAVY = (
    "tests/bench/test_bench_quick.py::test_quick_mode_runs_and_prints_the_table",
    "tests/test_model_table.py",
)
"""Tests that load a whole core for long (benchmark scripts, a sub-suite in a subprocess):
one xdist group (``--dist loadgroup`` in the Makefile), so at most one runs at a time and
the other workers keep a core for the tests that wait on timers."""


@pytest.hookimpl(tryfirst=True)  # before xdist reads the group markers
def pytest_collection_modifyitems(config, items):
    """Mark SLOW and HEAVY tests (tests/test_suite_hygiene.py checks every name still exists)."""
    for item in items:
        for names, marker in ((SLOW, pytest.mark.slow), (HEAVY, pytest.mark.xdist_group("heavy"))):
            for name in names:
                if item.nodeid == name or item.nodeid.startswith((f"{name}::", f"{name}[")):
                    item.add_marker(marker)


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
def other_model() -> str:
    """A model of the installed SDK's table that is not the default, for tests that switch.

    Never a literal: the table changes between SDK releases (2.15 dropped ``claude-sonnet-4-5``)
    and the simulator answers 404 for a model it lacks.
    """
    from tui_app.models import sdk_models
    from tui_app.settings import DEFAULT_MODEL

    return next(m for m in sdk_models() if m != DEFAULT_MODEL)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def scenario_file(tmp_path):
    """Write a scenario TOML (dedented) and return its path."""
    counter = iter(range(1000))

    def write(text: str) -> Path:
        path = tmp_path / f"scenario{next(counter)}.toml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


def default_sigint() -> None:
    """``preexec_fn`` for a child a test interrupts with SIGINT: the signal at its default,
    so Python raises KeyboardInterrupt there. An ignored signal stays ignored across exec,
    and the test run may ignore SIGINT itself (started in the background: ``make test &``,
    ``nohup``); the child must not inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def run_cli(isolated_env):
    """Run the real ``claude-tui`` process; returns CompletedProcess (text mode)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60):
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "tui_app", *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
        )

    return run


@pytest.fixture
def cli(capsys):
    """Run ``tui_app.cli.main(argv)`` in-process; returns (exit code, stdout, stderr).

    A usage error (argparse's ``SystemExit``) gives its exit code like any other. The
    SIGINT handler is put back afterwards: ``claude-tui run`` sets its own on the event loop,
    and asyncio's ``remove_signal_handler`` leaves Python's default behind (not what the test
    process had: an xdist worker ignores SIGINT), which a process that exits never notices.
    """
    from tui_app.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        sigint = signal.getsignal(signal.SIGINT)
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        finally:
            signal.signal(signal.SIGINT, sigint)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def run_cli_in_process(cli, monkeypatch):
    """``run_cli``'s interface (a ``CompletedProcess``), but ``tui_app.cli.main`` in this
    process: for tests of what a command does, not of the process boundary (a process
    imports the SDK again: ~2.5 s of CPU). ``input`` is stdin, ``env`` is added to the
    environment, both for this call only. Each call starts, as a process would, with no
    retry budget or circuit breaker of earlier calls (they are process-wide)."""
    from tui_app.retry import budget, gate

    def run(*args: str | os.PathLike[str], input: str | None = None, env: dict[str, str] | None = None):
        argv = [os.fspath(arg) for arg in args]  # paths too, as ``subprocess`` takes them
        with monkeypatch.context() as patch:
            patch.setattr(budget, "_SHARED", {})
            patch.setattr(gate, "_SHARED", {})
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8"))
            code, out, err = cli(*argv)
        return subprocess.CompletedProcess(["claude-tui", *argv], code, out, err)

    return run


@pytest.fixture
def make_sim():
    """Factory: ``make_sim(scenario="happy", **kwargs)`` -> a started in-process simulator
    (``Simulator``'s own defaults: seed 0), stopped after the test."""
    from tui_app.simulator import Simulator

    started: list[Simulator] = []

    def make(scenario: object = "happy", **kwargs: object) -> Simulator:
        sim = Simulator(scenario, **kwargs).start()  # type: ignore[arg-type]
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()
