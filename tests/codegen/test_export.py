"""``sessions export ID --format python``: the program of a recorded session is the one
``claude-tui code`` prints for the same prompt and flags, and it behaves as the run did."""

from __future__ import annotations

import json

import pytest

from tui_app.simulator import Simulator, answer_for

from .conftest import FAST, PROMPT, RUFF_RULES, ruff, run_program, scripted

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
    assert (code, out, len(bodies)) == (0, answer_for(PROMPT, system="Be brief."), 2), err
    assert bodies[0]["system"] == "Be brief." and "stream" not in bodies[0]


def test_settings_no_program_writes_are_one_line_exit_2(cli, monkeypatch):
    session = record(cli, monkeypatch, scripted(), *FAST, "--throttle-k", "2")
    code, out, err = cli("sessions", "export", str(session), "--format", "python")
    assert (code, out) == (2, "")
    assert "--throttle-k cannot be written as code yet" in err and len(err.strip().splitlines()) == 1


LAB = ("lab", "--scenario", "crowded", "--policy", "sdk-default", "--policy", "seed-article", "--policy", "claude-tui")


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_the_lab_exports_each_compared_policy_as_a_ruff_clean_program(cli, tmp_path, use_async):
    extra = ("--async",) if use_async else ()
    for name in ("sdk-default", "seed-article", "claude-tui"):
        code, source, err = cli(*LAB, "--export-code", name, *extra)
        assert code == 0, err
        (tmp_path / f"{name.replace('-', '_')}.py").write_text(source, encoding="utf-8")
    sdk = (tmp_path / "sdk_default.py").read_text()
    assert "RETRYABLE_STATUS = {408, 409, 429, *range(500, 600)}" in sdk and "MAX_ATTEMPTS = 3" in sdk
    assert "OBEY_SERVER_HINTS = False" in (tmp_path / "seed_article.py").read_text()
    check = ruff("check", "--select", RUFF_RULES, "--output-format", "concise", str(tmp_path))
    assert check.returncode == 0, check.stdout
    assert ruff("format", "--check", str(tmp_path)).returncode == 0


def test_the_sdk_default_program_retries_a_529_but_not_a_broken_stream(cli, monkeypatch, capsys, tmp_path):
    """The SDK's own policy as code: a 529 is retried; a stream once started is not."""
    path = tmp_path / "sdk.py"
    path.write_text(cli(*LAB, "--export-code", "sdk-default")[1], encoding="utf-8")
    results = []
    for step in ({"fault": "status", "status": 529}, {"fault": "sse_error", "after_chars": 40}):
        with Simulator(scripted(step)) as sim, monkeypatch.context() as patch:
            patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
            patch.setenv("ANTHROPIC_API_KEY", "sim-key")
            capsys.readouterr()
            code = run_program(path, ("Tell", "me"), None)
            out, err = capsys.readouterr()
            results.append((code, out, len([r for r in sim.requests if r.path == "/v1/messages"])))
    assert results == [(0, answer_for("Tell me"), 2), (1, "", 1)]


def test_exporting_a_policy_not_compared_is_one_line_exit_2(cli):
    code, out, err = cli(*LAB, "--export-code", "full-jitter")
    assert (code, out) == (2, "")
    assert "'full-jitter' is not a compared policy (sdk-default, seed-article, claude-tui)" in err
    assert len(err.strip().splitlines()) == 1


def record_follow_up(cli, monkeypatch) -> tuple[int, list]:
    """Two recorded turns (the second ``run --continue`` the first): the second session's
    id, and the messages its request sent."""
    first = record(cli, monkeypatch, scripted(), *FAST)
    with Simulator(scripted()) as sim, monkeypatch.context() as patch:
        patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        patch.setenv("ANTHROPIC_API_KEY", "sim-key")
        assert cli("run", "--continue", str(first), "And with jitter?", *FAST)[0] == 0
        recorded = [r.body["messages"] for r in sim.requests if r.path == "/v1/messages"][-1]
    _, out, _ = cli("sessions", "list", "--json")
    return json.loads(out)[0]["id"], recorded


def test_a_follow_up_turn_exports_a_program_that_sends_its_conversation(cli, monkeypatch, capsys, tmp_path):
    second, recorded = record_follow_up(cli, monkeypatch)
    path = tmp_path / "follow_up.py"
    assert cli("sessions", "export", str(second), "--output", str(path))[0] == 0  # .py: the program
    source = path.read_text(encoding="utf-8")
    assert "HISTORY = [" in source and "MESSAGES = [*HISTORY, " in source
    check = ruff("check", "--select", RUFF_RULES, "--output-format", "concise", str(path))
    assert check.returncode == 0, check.stdout
    assert ruff("format", "--check", str(path)).returncode == 0
    with Simulator(scripted()) as sim, monkeypatch.context() as patch:
        patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
        patch.setenv("ANTHROPIC_API_KEY", "sim-key")
        capsys.readouterr()
        code = run_program(path, (), None)
        out, err = capsys.readouterr()
        sent = [r.body["messages"] for r in sim.requests if r.path == "/v1/messages"]
    assert (code, out, len(sent)) == (0, answer_for("And with jitter?"), 1), err
    assert sent[0] == recorded  # the same conversation the session sent


def test_a_program_run_without_a_key_says_what_to_set(cli, monkeypatch, capsys, tmp_path):
    code, source, err = cli("code", PROMPT)
    assert code == 0, err
    path = tmp_path / "ask.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    capsys.readouterr()
    assert run_program(path, (), None) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a simulator)\n")
