"""``sessions export ID --format python``: the program of a recorded session is the one
``claude-tui code`` prints for the same prompt and flags, and it behaves as the run did."""

from __future__ import annotations

import json

import pytest

from tui_app.simulator import Simulator, answer_for

from .conftest import FAST, PROMPT, run_program, scripted

FLAGS = (*FAST, "--max-attempts", "5", "--jitter", "equal", "--system", "Be brief.", "--no-stream")


def record(cli, monkeypatch, scenario, *flags: str) -> int:
    """Run ``claude-tui run PROMPT *flags`` against ``scenario``, recorded; the session's id."""
    with Simulator(scenario) as sim, monkeypatch.context() as patch:
        patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        patch.setenv("ANTHROPIC_API_KEY", "sim-key")
        code, _, err = cli("run", PROMPT, *flags)
    assert code == 0, err
    _, out, _ = cli("sessions", "list", "--json")
    return json.loads(out)[0]["id"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_recorded_session_exports_the_program_code_prints(cli, monkeypatch, use_async):
    session = record(cli, monkeypatch, scripted({"fault": "status", "status": 529}), *FLAGS)
    extra = ("--async",) if use_async else ()
    code, exported, err = cli("sessions", "export", str(session), "--format", "python", *extra)
    assert code == 0, err
    assert cli("code", PROMPT, *FLAGS, *extra) == (0, exported, "")


def test_the_exported_program_runs_like_the_session(cli, monkeypatch, capsys, tmp_path):
    session = record(cli, monkeypatch, scripted({"fault": "status", "status": 529}), *FLAGS)
    path = tmp_path / "session.py"
    assert cli("sessions", "export", str(session), "--format", "python", "--output", str(path))[0] == 0
    with Simulator(scripted({"fault": "status", "status": 529})) as sim, monkeypatch.context() as patch:
        patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        patch.setenv("ANTHROPIC_API_KEY", "sim-key")
        capsys.readouterr()
        code = run_program(path, (), None)
        out, err = capsys.readouterr()
        bodies = [r.body for r in sim.requests if r.path == "/v1/messages"]
    assert (code, out, len(bodies)) == (0, answer_for(PROMPT), 2), err
    assert bodies[0]["system"] == "Be brief." and "stream" not in bodies[0]


def test_settings_no_program_writes_are_one_line_exit_2(cli, monkeypatch):
    session = record(cli, monkeypatch, scripted(), *FAST, "--breaker-after", "3")
    code, out, err = cli("sessions", "export", str(session), "--format", "python")
    assert (code, out) == (2, "")
    assert "--breaker-after cannot be written as code yet" in err and len(err.strip().splitlines()) == 1
