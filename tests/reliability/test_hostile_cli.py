"""Hostile and bad input at the command line: one escaped line and exit 2, nothing lost.

Every numeric flag of every command with junk; empty prompts; every broken profile of
tests/store (there checked in-process, here through the CLI that people use); control
characters and escape sequences in arguments, profiles and prompts, which must never
reach a terminal raw; a 5 MB prompt (with NUL and escapes) that must work and be recorded.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.store.test_profile_validation import INVALID
from tui_app import paths
from tui_app.simulator import answer_for
from tui_app.store.sessions import SessionStore

ESC = "\x1b]52;c;SGVsbG8=\x07\x1b[2J"
"""OSC 52 (write the clipboard) and clear-screen: what a hostile string would try."""
HUGE_INT = "9" * 400

RUN = ("run", "a prompt", "--sim")
INT_JUNK = ("abc", "", "1.5", "-3", "0", HUGE_INT, ESC)
POSITIVE_JUNK = ("abc", "", "nan", "inf", "-1", "0", "1e999", "1e300", ESC)
NON_NEGATIVE_JUNK = ("abc", "nan", "-1", "1e300", ESC)
CASES = [
    *((RUN, flag, junk) for flag in ("--max-tokens", "--max-attempts") for junk in INT_JUNK),
    *(
        (RUN, flag, junk)
        for flag in ("--connect-timeout", "--read-timeout", "--write-timeout", "--pool-timeout", "--deadline")
        for junk in POSITIVE_JUNK
    ),
    *((RUN, flag, junk) for flag in ("--base-delay", "--max-delay") for junk in NON_NEGATIVE_JUNK),
    *((RUN, "--seed", junk) for junk in ("abc", "1.5", "", ESC)),
    *((("profiles", "save", "p"), flag, junk) for flag, junk in (("--max-attempts", "zero"), ("--deadline", "nan"))),
    *((("sessions", "list"), "--limit", junk) for junk in ("abc", "0", "-1", ESC)),
    *((("simulate",), "--port", junk) for junk in ("abc", "-1", "70000", HUGE_INT, ESC)),
    *(
        ((*cmd, junk), "ID", "")
        for cmd in (("sessions", "show"), ("sessions", "export"), ("sessions", "delete"), ("replay",))
        for junk in ("abc", "0", "1e3", ESC)
    ),
]


def assert_one_clean_line(code: int, out: str, err: str, *needles: str) -> None:
    assert (code, out) == (2, ""), err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and not any(c in err for c in "\x00\x07\x1b\x9b"), repr(err)
    for needle in needles:
        assert needle in err, err


@pytest.mark.parametrize("argv, flag, junk", CASES, ids=[f"{' '.join(a[:2])} {f} {j[:12]!r}" for a, f, j in CASES])
def test_numeric_flags_reject_junk_in_one_escaped_line(cli, argv, flag, junk):
    code, out, err = cli(*argv, *((flag, junk) if flag != "ID" else ()))
    assert_one_clean_line(code, out, err, flag)


@pytest.mark.parametrize(
    "argv, stdin",
    [
        (("run", "", "--sim"), None),
        (("run", "--sim"), None),
        (("run", "-", "--sim"), b""),
        (("run", "-", "--sim"), b" \n\t\r\n"),
    ],
)
def test_empty_prompts_exit_2(cli, monkeypatch, argv, stdin):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code, out, err = cli(*argv)
    assert_one_clean_line(code, out, err, "claude-tui run: ")
    assert "empty" in err or "missing PROMPT" in err


def _write_profile(name: str, content: str | bytes) -> Path:
    path = paths.ensure_private_dir(paths.profiles_dir()) / f"{name}.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize("content", [c for c, _ in INVALID.values()], ids=list(INVALID))
def test_every_broken_profile_is_one_line_exit_2_from_the_cli_and_left_alone(cli, content):
    path = _write_profile("p", content)
    before = path.read_bytes()
    for argv in (("run", "hi", "--sim", "--profile", "p"), ("profiles", "show", "p"), ("profiles", "save", "p")):
        code, out, err = cli(*argv)
        assert_one_clean_line(code, out, err, f"profile 'p' ({path}): ")
    code, out, _ = cli("profiles", "list")
    assert code == 0 and out.startswith("p  INVALID: ") and out.count("\n") == 1
    assert path.read_bytes() == before, "a broken profile is never rewritten"


def test_escape_sequences_in_a_profile_never_reach_the_terminal(cli):
    _write_profile("evil", f'"{ESC}" = 1\n'.replace("\x1b", "\\u001b").replace("\x07", "\\u0007"))
    for argv in (("run", "hi", "--sim", "--profile", "evil"), ("profiles", "show", "evil")):
        code, out, err = cli(*argv)
        assert_one_clean_line(code, out, err, "\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J is not a profile key")
    code, out, _ = cli("profiles", "list")
    assert code == 0 and "\x1b" not in out and "\\x1b]52" in out


def test_profile_in_place_of_a_directory_and_unreadable_profile_via_the_cli(cli, monkeypatch):
    (paths.ensure_private_dir(paths.profiles_dir()) / "d.toml").mkdir()
    assert_one_clean_line(*cli("run", "hi", "--sim", "--profile", "d"), "is a directory, not a profile file")
    _write_profile("locked", 'model = "m"\n')

    def denied(self):  # tests run as root, where chmod 000 still reads: make the OS refuse
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert_one_clean_line(*cli("run", "hi", "--sim", "--profile", "locked"), "cannot be read (permission denied)")


def test_unknown_arguments_with_escapes_are_escaped(cli):
    code, out, err = cli("run", "hi", "--sim", f"--bogus{ESC}")
    assert_one_clean_line(code, out, err, "unrecognized arguments: --bogus\\x1b]52")


def test_a_5mb_prompt_with_nul_and_escapes_from_stdin_works_and_is_recorded(cli, monkeypatch):
    prompt = f"\x00{ESC} hostile start " + "lorem ipsum " * 440_000  # 5.3 MB
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(prompt.encode())))
    code, out, err = cli("run", "-", "--sim")
    assert code == 0, err[-2000:]
    answer = answer_for(prompt)
    assert ESC in answer and out == answer, "a pipe gets the answer exactly"
    assert "\x1b" not in err and "Traceback" not in err
    with SessionStore.open() as store:
        [summary] = store.list_sessions()
        detail = store.get_session(summary.id)
    assert (detail.status, detail.prompt, detail.response) == ("ok", prompt, answer)


def test_escapes_in_answers_and_server_errors_are_shown_escaped_on_a_terminal(pty_app, scenario_file):
    message = ESC.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
    scenario = scenario_file(f'[[steps]]\nfault = "status"\nstatus = 529\nmessage = "busy {message}"\n')
    prompt = f"{ESC} echo me"
    run = pty_app("run", prompt, f"--sim={scenario}", "--base-delay", "0.01")
    run.wait_for(b"done in")
    assert run.proc.wait(timeout=30) == 0
    screen = run.output
    assert b"\x1b]52" not in screen and b"\x1b[2J" not in screen and b"\x07" not in screen
    assert screen.count(b"\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J") == 2, "the error line and the answer, both escaped"


def test_recorded_escapes_are_shown_escaped_on_a_terminal_and_exported_exactly(cli, monkeypatch):
    with SessionStore.open() as store, store.start_session(prompt=f"{ESC} stored prompt", model="m") as rec:
        pass
    sid = str(rec.session_id)
    assert ESC in cli("sessions", "show", sid)[1], "a pipe gets the data exactly"
    assert json.loads(cli("sessions", "export", sid, "--format", "json")[1])["prompt"] == f"{ESC} stored prompt"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")  # the list cuts the prompt to the terminal's width
    for argv in (("sessions", "list"), ("sessions", "show", sid), ("sessions", "export", sid)):
        code, out, _ = cli(*argv)
        assert code == 0 and "\x1b" not in out and "\\x1b]52;c;SGVsbG8=\\x07" in out
