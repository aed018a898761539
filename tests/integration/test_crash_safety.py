"""SIGKILL in the middle of a stream leaves a sound database and an `interrupted` session."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tui_app import paths
from tui_app.simulator import answer_for


def _text_rows(db) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM events WHERE type = 'text'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_stream_leaves_interrupted_session(scenario_file, run_cli_in_process):
    scenario = scenario_file(
        'name = "slow"\nanswer_chars = 4000\n[[steps]]\nfault = "dribble"\ntokens_per_second = 100\n'
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_app", "run", "tell a long story", f"--sim={scenario}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    db = paths.sessions_db()
    give_up_at = time.monotonic() + 30
    while _text_rows(db) == 0 and time.monotonic() < give_up_at and proc.poll() is None:
        time.sleep(0.05)  # polling for a condition, bounded; not waiting out a race
    assert _text_rows(db) > 0, "the recorder writes text while the stream runs"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # What a later command sees: the commands themselves need no fresh process.
    listed = run_cli_in_process("sessions", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    sessions = json.loads(listed.stdout)
    assert len(sessions) == 1 and sessions[0]["status"] == "interrupted"
    shown = json.loads(run_cli_in_process("sessions", "show", str(sessions[0]["id"]), "--json").stdout)
    types = [e["type"] for e in shown["events"]]
    assert types[:2] == ["run_start", "attempt_start"] and "text" in types
    assert not {"success", "give_up", "cancelled"} & set(types)
    partial = "".join(e["text"] for e in shown["events"] if e["type"] == "text")
    answer = answer_for("tell a long story", chars=4000)
    assert partial and answer.startswith(partial) and len(partial) < len(answer)

    again = run_cli_in_process("run", "after the crash", "--sim")
    assert again.returncode == 0, "the next start works"
    statuses = [s["status"] for s in json.loads(run_cli_in_process("sessions", "list", "--json").stdout)]
    assert statuses == ["ok", "interrupted"]
