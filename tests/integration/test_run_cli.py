"""The black-box contract of ``claude-tui run``: stdout, stderr, events file, exit codes.

Through ``tui_app.cli.main`` in-process (``run_cli_in_process``), but where the process is
the subject: the exact stdout of a real process, a prompt piped to its stdin, Ctrl-C as a
signal, and what ``--help`` imports in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from tests.conftest import default_sigint
from tui_app.simulator import answer_for

PROMPT = "What is jitter?"
FAST = ["--base-delay", "0.01", "--max-delay", "0.02", "--read-timeout", "0.5"]


def test_no_key_and_no_sim_exits_2_with_a_hint(run_cli_in_process):
    result = run_cli_in_process("run", PROMPT)
    assert result.returncode == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and "ANTHROPIC_API_KEY" in line and "--sim" in line


def test_happy_run_prints_exactly_the_answer(run_cli):
    result = run_cli("run", PROMPT, "--sim")
    assert result.returncode == 0, result.stderr
    assert result.stdout == answer_for(PROMPT)
    assert "SIMULATOR" in result.stderr and "done in" in result.stderr
    assert "Traceback" not in result.stderr


def test_retries_then_success_with_events_file(run_cli_in_process, scenario_file, tmp_path):
    scenario = scenario_file("""
        name = "t"
        then = "happy"
        [[steps]]
        fault = "status"
        status = 529
        [[steps]]
        fault = "status"
        status = 429
        retry_after_ms = 50
        [[steps]]
        fault = "reset_mid_stream"
        after_chars = 10
    """)
    events_path = tmp_path / "events.jsonl"
    result = run_cli_in_process("run", PROMPT, f"--sim={scenario}", "--events", str(events_path), *FAST)
    assert result.returncode == 0, result.stderr
    assert result.stdout == answer_for(PROMPT)
    lines = result.stderr.splitlines()
    assert sum("failed" in line for line in lines) == 3
    assert any("overloaded_error (HTTP 529" in line and "request-id req_" in line for line in lines)
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    ts = [e["t"] for e in events]
    assert ts == sorted(ts) and all("type" in e for e in events)
    errs = [e for e in events if e["type"] == "attempt_error"]
    assert [(e["attempt"], e["status"], e["error"], e["retryable"]) for e in errs] == [
        (1, 529, "overloaded_error", True),
        (2, 429, "rate_limit_error", True),
        (3, None, "connection_reset", True),
    ]
    backoffs = [e for e in events if e["type"] == "backoff"]
    assert [b["reason"] for b in backoffs] == ["backoff", "retry-after", "backoff"]
    assert backoffs[1]["delay"] == pytest.approx(0.05)
    assert events[-1]["type"] == "success" and events[-1]["attempt"] == 4
    assert [e["attempt"] for e in events if e["type"] == "attempt_start"] == [1, 2, 3, 4]


def test_non_retryable_exits_1(run_cli_in_process, scenario_file):
    scenario = scenario_file('name = "t"\n[[steps]]\nfault = "status"\nstatus = 401\n')
    result = run_cli_in_process("run", PROMPT, f"--sim={scenario}")
    assert result.returncode == 1 and result.stdout == ""
    assert "authentication_error" in result.stderr and "gave up" in result.stderr


def test_attempts_exhausted_exits_1(run_cli_in_process, scenario_file):
    scenario = scenario_file('name = "t"\nthen = "last"\n[[steps]]\nfault = "status"\nstatus = 503\n')
    result = run_cli_in_process("run", PROMPT, f"--sim={scenario}", "--max-attempts", "2", *FAST)
    assert result.returncode == 1 and "no attempts left" in result.stderr


def test_prompt_from_stdin(run_cli):
    result = run_cli("run", "-", "--sim", input="from stdin\n")
    assert result.returncode == 0 and result.stdout == answer_for("from stdin\n")


def test_events_to_stdout(run_cli_in_process):
    result = run_cli_in_process("run", PROMPT, "--sim", "--events", "-")
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["type"] == "run_start" and events[-1]["type"] == "success"
    assert events[-1]["text"] == answer_for(PROMPT)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--max-attempts", "zero"], "--max-attempts"),
        (["--read-timeout", "-1"], "--read-timeout"),
        (["--deadline", "nan"], "--deadline"),
        (["--preset", "nope"], "preset"),
        (["--base-delay", "5", "--max-delay", "1"], "--max-delay"),
        (["--jitter", "wild"], "--jitter"),
        (["--profile", "missing"], "missing"),
    ],
)
def test_bad_flags_exit_2_with_one_line(run_cli_in_process, args, needle):
    result = run_cli_in_process("run", PROMPT, "--sim", *args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_prompt_exits_2(run_cli_in_process):
    result = run_cli_in_process("run", "   ", "--sim")
    assert result.returncode == 2 and "empty" in result.stderr


def test_bad_scenario_exits_2(run_cli_in_process, scenario_file):
    scenario = scenario_file('name = "t"\n[[steps]]\nfault = "explode"\n')
    result = run_cli_in_process("run", PROMPT, f"--sim={scenario}")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_ctrl_c_during_backoff_exits_130_quickly(scenario_file, isolated_env, tmp_path):
    scenario = scenario_file(
        'name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = 529\nretry_after = 30\n'
    )
    events_path = tmp_path / "events.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_app",
            "run",
            PROMPT,
            f"--sim={scenario}",
            "--deadline",
            "100",
            "--events",
            str(events_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 30
    seen = ""
    while "waiting" not in seen and time.monotonic() < deadline:
        seen += proc.stderr.readline()
    assert "waiting 30.0 s" in seen
    # The events file is flushed as events happen, not at exit.
    written = [json.loads(line)["type"] for line in events_path.read_text().splitlines()]
    assert written[-2:] == ["attempt_error", "backoff"]
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)  # well before the 30 s wait would have ended
    assert proc.returncode == 130 and "cancelled during backoff" in err and "Traceback" not in err


def test_help_on_every_subcommand(run_cli_in_process):
    import importlib.util

    from tui_app.cli import COMMANDS

    assert run_cli_in_process("--help").returncode == 0
    version = run_cli_in_process("--version")
    assert version.returncode == 0 and version.stdout.startswith("claude-tui ")
    built = [c for c in COMMANDS if importlib.util.find_spec(f"tui_app.commands.{c}")]
    assert {"run", "simulate", "profiles", "sessions"} <= set(built)
    for command in built:
        result = run_cli_in_process(command, "--help")
        assert result.returncode == 0 and "usage: claude-tui" in result.stdout, command


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["run", "--help"]])
def test_help_and_version_import_neither_anthropic_nor_textual(argv):
    code = (
        "import sys\nfrom tui_app.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'textual', 'httpx2', 'rich'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert "HEAVY []" in result.stderr, result.stderr


def test_profile_scenario_drives_sim_and_flags_override_profile(run_cli_in_process, scenario_file, tmp_path):
    scenario = scenario_file('name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = 503\n')
    saved = run_cli_in_process("profiles", "save", "rehearse", "--scenario", str(scenario), "--max-attempts", "1")
    assert saved.returncode == 0, saved.stderr
    result = run_cli_in_process("run", PROMPT, "--profile", "rehearse", "--sim")
    assert result.returncode == 1 and "503" in result.stderr and "no attempts left" in result.stderr
    result = run_cli_in_process("run", PROMPT, "--profile", "rehearse", "--sim", "--max-attempts", "2", *FAST)
    assert result.returncode == 0 and result.stdout == answer_for(PROMPT)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK's own; a process hides it too
def test_a_deprecated_model_is_named_with_its_end_of_life_date(run_cli_in_process, scenario_file):
    from anthropic._data import DEPRECATED_MODELS

    from tui_app.simulator.catalog import entry_for

    # One the simulator still serves today (past its end of life it is retired: a 404).
    today = datetime.now(UTC).date()
    model, date = next((m, d) for m, d in DEPRECATED_MODELS.items() if entry_for(m).lifecycle(today) != "retired")
    serves_it = f"--sim={scenario_file(f'models = [{model!r}]')}"  # even if the table drops it
    result = run_cli_in_process("run", "hi", serves_it, "--model", model)
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stderr.splitlines() if "is deprecated" in line]
    assert note == f"claude-tui: model {model} is deprecated (end of life: {date}): pick a newer one"
    quiet = run_cli_in_process("run", "hi", serves_it, "--model", model, "--quiet")
    assert "is deprecated" not in quiet.stderr
    assert "deprecated" not in run_cli_in_process("run", "hi", "--sim").stderr  # the default model is current


def test_sim_is_a_switch_that_leaves_the_prompt_alone(run_cli_in_process):
    result = run_cli_in_process("run", "--sim", "Hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == answer_for("Hello")
    assert "scenario happy" in result.stderr


@pytest.mark.parametrize("flags", [["--sim=529-then-ok"], ["--sim", "--scenario", "529-then-ok"]])
def test_the_scenario_is_picked_by_scenario_or_sim_equals(run_cli_in_process, flags):
    result = run_cli_in_process("run", *flags, "Hello", *FAST)
    assert result.returncode == 0, result.stderr
    assert result.stdout == answer_for("Hello")
    assert "scenario 529-then-ok" in result.stderr and "overloaded_error" in result.stderr


def test_the_outcome_line_names_the_model(run_cli_in_process, scenario_file):
    from tui_app.settings import DEFAULT_MODEL

    done = run_cli_in_process("run", "--sim", "Hello")
    [line] = [line for line in done.stderr.splitlines() if "done in" in line]
    assert f"after 1 attempt with {DEFAULT_MODEL} (end_turn" in line
    scenario = scenario_file('name = "t"\n[[steps]]\nfault = "status"\nstatus = 401\n')
    failed = run_cli_in_process("run", "--sim", "--scenario", str(scenario), "Hello")
    [line] = [line for line in failed.stderr.splitlines() if "gave up" in line]
    assert f"gave up after 1 attempt with {DEFAULT_MODEL} in " in line
