"""``claude-tui simulate`` as a real subprocess: startup lines, logging, Ctrl-C, errors."""

from __future__ import annotations

import http.client
import json
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import default_sigint

ROOT = Path(__file__).resolve().parents[2]


def _simulate(*args: str, **kw) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui_app", "simulate", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,  # interrupted with SIGINT below
        **kw,
    )


def _startup_lines(proc: subprocess.Popen[str], timeout: float = 10) -> tuple[str, str]:
    """The two lines printed once listening (both are flushed together)."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "no output from claude-tui simulate"
    return proc.stdout.readline(), proc.stdout.readline()  # type: ignore[union-attr]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "tui_app", "simulate", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=20)


def test_serves_logs_and_exits_130_on_ctrl_c(message_body) -> None:
    proc = _simulate("--port", "0", "--scenario", "529-then-ok")
    try:
        first, second = _startup_lines(proc)
        url = re.search(r"listening on (http://127\.0\.0\.1:(\d+))$", first.strip())
        assert url and "scenario: 529-then-ok" in first
        assert second.strip() == f"export ANTHROPIC_BASE_URL={url[1]} ANTHROPIC_API_KEY=sim-key"
        conn = http.client.HTTPConnection("127.0.0.1", int(url[2]), timeout=5)
        conn.request("POST", "/v1/messages", json.dumps(message_body), {"x-api-key": "k"})
        assert conn.getresponse().status == 529
        conn.close()
        time.sleep(0.1)  # let the log line reach stderr before the interrupt
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert re.search(r"#1  POST /v1/messages  \[status 529 overloaded_error\]  -> 529", err)


def test_bad_scenario_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[steps]]\nfault = "status"\nstatus = 999\n')
    result = _run("--port", "0", "--scenario", str(bad))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "steps[0].status" in result.stderr and str(bad) in result.stderr
    unknown = _run("--scenario", "nope")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_port_in_use_exits_2_with_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("--port", str(port))
    assert result.returncode == 2
    expected = f"claude-tui simulate: port {port} is already in use (pass --port 0 for a free port)"
    assert result.stderr.strip() == expected


@pytest.mark.parametrize("flag", ["--list", "--help"])
def test_list_and_help(flag: str) -> None:
    result = _run(flag)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "chaos" in result.stdout if flag == "--list" else "--scenario" in result.stdout
