"""SIGKILL at the worst moments: during a backoff wait, in the middle of a TUI stream, in the
middle of a profile save; a terminal that vanishes mid-stream. Nothing may be lost or
half-written, and the next start works.

(SIGKILL of ``claude-tui run`` mid-stream: tests/integration/test_crash_safety.py.)
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
import tomllib

from tui_app import paths
from tui_app.retry.events import event_from_dict
from tui_app.simulator import answer_for
from tui_app.store.profiles import list_profiles, load_profile
from tui_app.store.sessions import SessionStore

from .conftest import CLI, db_rows, event_types_stored, integrity_check, private_tree_problems, wait_until

LONG_WAIT = 'name = "wait"\n[[steps]]\nfault = "status"\nstatus = 529\nretry_after = 30\n'
SLOW = 'name = "slow"\nanswer_chars = 4000\n[[steps]]\nfault = "dribble"\ntokens_per_second = 100\n'
F2, CTRL_G, CTRL_J, ESCAPE = b"\x1bOQ", b"\x07", b"\n", b"\x1b"  # keys as a terminal sends them


def _stored_deltas() -> int:
    rows = db_rows(
        "SELECT coalesce(sum(coalesce(json_array_length(data, '$.lens'), 1)), 0) FROM events WHERE type = 'text'"
    )
    return rows[0][0] if rows else 0


def _sessions() -> list[dict]:
    with SessionStore.open() as store:
        return [s.to_dict() for s in store.list_sessions(limit=None)]


def test_sigkill_of_run_during_a_backoff_keeps_every_event(scenario_file, cli, tmp_path):
    events_file = tmp_path / "events.jsonl"
    proc = subprocess.Popen(
        [
            *CLI,
            "run",
            "wait for it",
            f"--sim={scenario_file(LONG_WAIT)}",
            "--deadline",
            "100",
            "--events",
            str(events_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: "backoff" in event_types_stored(), what="the backoff event in the database")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert integrity_check() == "ok"
    [session] = _sessions()
    assert (session["status"], session["attempts"], session["prompt"]) == ("interrupted", 1, "wait for it")
    with SessionStore.open() as store:
        stored = [e.to_dict() for e in store.get_session(session["id"]).events]
    written = [event_from_dict(json.loads(line)).to_dict() for line in events_file.read_text().splitlines()]
    assert [e["type"] for e in stored] == ["run_start", "attempt_start", "attempt_error", "backoff"]
    assert stored == written, "the database holds exactly what the run had reported"

    code, out, _ = cli("run", "after the crash", "--sim")  # the next start (in-process: imports paid)
    assert (code, out) == (0, answer_for("after the crash"))
    assert [s["status"] for s in _sessions()] == ["ok", "interrupted"]


def _profile(name: str, scenario) -> None:
    folder = paths.ensure_private_dir(paths.profiles_dir())
    (folder / f"{name}.toml").write_text(f'[retry]\ndeadline = 100\n[simulator]\nscenario = "{scenario}"\n')


def _tui_streaming(pty_app, scenario_file):
    """A TUI in a pty, in the middle of a slow answer (20 deltas already stored)."""
    _profile("slow", scenario_file(SLOW))
    tui = pty_app("--profile", "slow")
    tui.wait_for(b"Type a prompt")
    tui.type("tell me a long story")
    tui.type(CTRL_J)
    wait_until(lambda: _stored_deltas() >= 20, what="20 streamed deltas in the database", describe=tui.text_tail)
    return tui


def test_sigkill_of_the_tui_mid_stream_and_during_a_backoff(pty_app, scenario_file, run_cli_in_process):
    _profile("wait", scenario_file(LONG_WAIT))
    tui = _tui_streaming(pty_app, scenario_file)
    tui.kill()
    assert integrity_check() == "ok"
    [first] = _sessions()
    assert first["status"] == "interrupted"
    with SessionStore.open() as store:
        detail = store.get_session(first["id"])
    types = [e.type for e in detail.events]
    assert types[:2] == ["run_start", "attempt_start"] and "text" in types
    assert not {"success", "give_up", "cancelled"} & set(types)
    answer = answer_for("tell me a long story", chars=4000)
    assert len(detail.partial_text) >= 20 and answer.startswith(detail.partial_text) and detail.partial_text != answer

    tui = pty_app("--profile", "wait")  # the next start works, and lists the interrupted session
    tui.wait_for(b"Type a prompt")
    before = len(tui.output)
    tui.type(CTRL_G)
    shown = tui.wait_for(b"interrupted", after=before)
    tui.type(ESCAPE)
    tui.wait_for(b"Type a prompt", after=shown)  # back on the main screen (repainted)
    tui.type(F2)
    tui.type("wait for it")
    tui.type(CTRL_J)
    wait_until(lambda: "backoff" in event_types_stored(), what="the backoff event in the database")
    tui.kill()
    assert integrity_check() == "ok"
    second, _ = _sessions()
    assert (second["status"], second["prompt"], second["attempts"]) == ("interrupted", "wait for it", 1)
    with SessionStore.open() as store:
        assert [e.type for e in store.get_session(second["id"]).events] == [
            "run_start",
            "attempt_start",
            "attempt_error",
            "backoff",
        ]
    listed = run_cli_in_process("sessions", "list", "--json")  # what a later command sees
    assert listed.returncode == 0 and [s["status"] for s in json.loads(listed.stdout)] == ["interrupted", "interrupted"]
    assert private_tree_problems(paths.data_dir()) == [], "what the TUI wrote is private"
    assert not paths.config_file().exists() or paths.config_file().stat().st_mode & 0o077 == 0


def test_the_tui_quits_when_its_terminal_vanishes_mid_stream(pty_app, scenario_file):
    """No SIGHUP comes (the app has a session of its own): it must notice the dead terminal
    itself, end the run cleanly and exit with 129, rather than spin on end-of-file for ever."""
    tui = _tui_streaming(pty_app, scenario_file)
    tui.hang_up()
    assert wait_until(lambda: tui.proc.poll() is not None, timeout=15, what="the TUI to exit") is not None
    assert tui.proc.returncode == 129
    assert integrity_check() == "ok"
    [session] = _sessions()
    assert session["status"] == "cancelled", session
    with SessionStore.open() as store:
        detail = store.get_session(session["id"])
    assert len(detail.partial_text) >= 20


SAVER = textwrap.dedent("""
    import sys
    from tui_app.settings import RunSettings
    from tui_app.store.profiles import save_profile

    print("saving", flush=True)
    n = 0
    while True:
        n += 1
        version = "A" if n % 2 else "B"
        save_profile("big", RunSettings(system=version * 400_000, max_tokens=1000 + n % 7))
""")


def test_sigkill_during_profile_saves_never_leaves_a_half_written_file():
    rng = random.Random(7)
    for _ in range(6):
        saver = subprocess.Popen([sys.executable, "-c", SAVER], stdout=subprocess.PIPE, text=True)
        try:
            assert saver.stdout.readline() == "saving\n"
            wait_until(lambda: paths.profiles_dir().is_dir(), what="the profiles directory")
            time.sleep(rng.uniform(0.01, 0.3))  # a random kill point among the saves (each ~10-50 ms)
        finally:
            saver.send_signal(signal.SIGKILL)
            saver.wait(timeout=10)
        if not (paths.profiles_dir() / "big.toml").exists():
            continue  # killed before the first rename: nothing was ever saved, which is fine
        settings = load_profile("big")  # parses and validates: the old file or the new one, whole
        assert settings.system in ("A" * 400_000, "B" * 400_000)
        tomllib.loads((paths.profiles_dir() / "big.toml").read_text())
    assert list_profiles() == ["big"], "temp files left by a kill are never listed as profiles"
