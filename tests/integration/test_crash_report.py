"""The last line of defence: a bug anywhere ends with one line, a crash log and exit 70.

The bug is injected from outside, as a user would never see it but a real one would behave:
a ``sitecustomize.py`` on ``PYTHONPATH`` replaces one of our functions in the real process
with one that raises (quoting the API key, as an HTTP library's message can), so nothing in
the product knows about the test.
"""

from __future__ import annotations

import os
import re
import textwrap

import pytest

from tests.reliability.conftest import CLI, PtyApp
from tui_app import paths
from tui_app.cli import EXIT_INTERNAL

KEY = "sk-ant-api03-MARKERmarker0123456789"
LOG_NAME = re.compile(r"crash-\d{8}-\d{6}-\d+\.log")


def _inject(tmp_path, module: str, target: str, error: str, *, is_async: bool = False) -> dict[str, str]:
    """The environment of a process in which ``module.target`` raises ``error`` (which may
    quote the key); the key is set, so scrubbing it has something to do."""
    site = tmp_path / "site"
    site.mkdir()
    site.joinpath("sitecustomize.py").write_text(
        textwrap.dedent(f"""\
            import importlib, os
            module = importlib.import_module({module!r})
            owner, _, name = {target!r}.rpartition(".")
            holder = getattr(module, owner) if owner else module

            {"async " if is_async else ""}def broken(*args, **kwargs):
                raise {error}

            setattr(holder, name, broken)
        """)
    )
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]), "ANTHROPIC_API_KEY": KEY}


def _only_crash_log():
    [log] = list(paths.crash_dir().glob("crash-*.log"))
    assert LOG_NAME.fullmatch(log.name) and log.stat().st_mode & 0o777 == 0o600
    return log, log.read_text()


def test_a_bug_in_a_command_prints_one_line_and_writes_the_traceback_to_a_crash_log(run_cli, tmp_path):
    env = _inject(
        tmp_path,
        "tui_app.store.sessions",
        "SessionStore.list_sessions",
        'KeyError("x-api-key: " + os.environ["ANTHROPIC_API_KEY"])',
    )
    result = run_cli("sessions", "list", env=env)

    assert result.returncode == EXIT_INTERNAL and result.stdout == ""
    [line] = result.stderr.splitlines()
    log, report = _only_crash_log()
    assert line == (
        "claude-tui: internal error in claude-tui sessions (KeyError: 'x-api-key: sk-ant-…6789') — "
        f"full report in {log}; this is a bug, please report it with that file"
    )
    assert "Traceback (most recent call last)" in report and "in _list" in report and "in broken" in report
    assert "internal error in claude-tui sessions" in report and "command: claude-tui sessions list" in report
    assert KEY not in report and KEY not in result.stderr


def test_a_bug_in_the_retry_core_ends_run_with_exit_70_and_a_crash_log(run_cli, scenario_file, tmp_path):
    """The core catches it (the session records the give-up), and the exit code says "bug",
    not "the API failed", so a script can tell them apart."""
    env = _inject(
        tmp_path,
        "tui_app.retry.decide",
        "backoff_delay",  # planning the wait after the 529
        'ZeroDivisionError("float division by zero, key " + os.environ["ANTHROPIC_API_KEY"])',
    )
    overloaded = scenario_file('name = "once"\n[[steps]]\nfault = "status"\nstatus = 529\n')
    result = run_cli("run", "hello", "--sim", "--scenario", overloaded, env=env)

    assert result.returncode == EXIT_INTERNAL and result.stdout == ""
    log, report = _only_crash_log()
    [gave_up] = [line for line in result.stderr.splitlines() if "gave up" in line]
    assert "ZeroDivisionError in claude-tui" in gave_up and str(log) in gave_up and "this is a bug" in gave_up
    assert "in broken" in report and KEY not in report and KEY not in result.stderr


def test_an_api_failure_still_exits_1(run_cli_in_process, scenario_file):
    refused = scenario_file('name = "no"\n[[steps]]\nfault = "status"\nstatus = 400\n')
    result = run_cli_in_process("run", "hello", "--sim", "--scenario", refused)
    assert result.returncode == 1 and "gave up" in result.stderr and not list(paths.crash_dir().glob("*.log"))


def test_a_bug_in_the_tui_restores_the_terminal_then_prints_one_line(tmp_path):
    """Textual would print a traceback with local variables over the terminal on exit."""
    env = _inject(
        tmp_path,
        "tui_app.ui.screens.main",
        "MainScreen.after_first_frame",
        'TypeError("injected after the first frame, key " + os.environ["ANTHROPIC_API_KEY"])',
        is_async=True,
    )
    full_env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", **env}
    for name in ("NO_COLOR", "TEXTUAL_THEME", "COLUMNS", "LINES"):
        full_env.pop(name, None)
    app = PtyApp(list(CLI), full_env)
    try:
        assert app.proc.wait(timeout=60) == EXIT_INTERNAL
        app.hang_up()  # joins the reader: everything written is in app.output
    finally:
        app.close()

    log, report = _only_crash_log()
    output = app.output.decode("utf-8", "replace")
    restored = output.rindex("\x1b[?1049l")  # the alternate screen left: the terminal is the user's again
    line = (
        "claude-tui: internal error in the terminal UI (TypeError: injected after the first frame, "
        f"key sk-ant-…6789) — full report in {log}; this is a bug, please report it with that file"
    )
    assert output[restored:].rstrip("\r\n").endswith(line)
    assert "Traceback" not in output and KEY not in output
    assert "in on_ready" in report and "in broken" in report and "internal error in the terminal UI" in report
    assert KEY not in report


async def test_under_a_pilot_an_unhandled_exception_still_fails_the_test():
    """The override keeps Textual's re-raise under ``run_test``: pilot tests of broken code fail."""
    from tui_app.ui.app import ClaudeTUI

    def boom() -> None:
        raise ZeroDivisionError("in a handler")

    app = ClaudeTUI()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test() as pilot:
            app.call_later(boom)
            await pilot.pause()
    assert isinstance(app.crash, ZeroDivisionError) and app.return_code == 1


def test_interrupt_and_a_closed_pipe_keep_their_codes(cli, monkeypatch):
    from tui_app.commands import sessions

    for error, code in ((KeyboardInterrupt(), 130), (BrokenPipeError(), 0), (RuntimeError("bug"), EXIT_INTERNAL)):

        def run(args, error=error):
            raise error

        monkeypatch.setattr(sessions, "run", run)
        assert cli("sessions", "list")[0] == code
