"""The API key never leaves memory: a marker key runs real sessions, then everything scanned.

``claude-tui run`` talks to the simulator as to the real API (``ANTHROPIC_BASE_URL`` and
``ANTHROPIC_API_KEY``, no ``--sim``; a process, and in-process) through failed attempts and
a failed run; then sessions are exported and shown, a profile is saved, and the core runs
in-process with the key too. Every
file under the config and data directories, every output, the events files, exports and
the simulator's request log must be free of the key; those directories must be private.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess

from tui_app import paths
from tui_app.client import build_client
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import Simulator, answer_for
from tui_app.store.sessions import SessionStore
from tui_app.timeouts import Timeouts

from .conftest import CLI, private_tree_problems

MARKER = "sk-ant-TESTMARKER-abcd1234"
RETRIED = {
    "name": "retried",
    "steps": [
        {"fault": "status", "status": 529, "retry_after_ms": 10},
        {"fault": "sse_error", "after_chars": 40},
        {"fault": "none"},
    ],
}
REFUSED = {"name": "refused", "steps": [{"fault": "status", "status": 401}]}


def _run_process(tmp_path, sim: Simulator) -> subprocess.CompletedProcess:
    """A ``claude-tui run`` process that succeeds after two failed attempts."""
    env = {**os.environ, "ANTHROPIC_API_KEY": MARKER, "ANTHROPIC_BASE_URL": sim.base_url}
    argv = [*CLI, "run", "secret test ok", "--base-delay", "0.01", "--events", str(tmp_path / "ok.jsonl")]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)


async def _run_core() -> str:
    """The core in-process with the marker key, through a 401: every event, and the log."""
    with Simulator(
        {"name": "core", "steps": [{"fault": "status", "status": 503}, {"fault": "status", "status": 401}]}
    ) as sim:
        client = build_client(Timeouts(), api_key=MARKER, base_url=sim.base_url)
        run = RetryRun(
            Request(prompt="core secret", model=DEFAULT_MODEL),
            client=client,
            policy=RetryPolicy(base_delay=0.01, max_delay=0.02),
        )
        with SessionStore.open() as store, store.start_session(prompt="core secret", model=DEFAULT_MODEL) as rec:
            events = []
            async for event in run.events():
                rec.record(event)
                events.append(event.to_dict())
        await client.close()
        assert events[-1]["type"] == "give_up" and events[-1]["failure"]["kind"] == "auth_error"
        return json.dumps(events) + repr(sim.requests)


def test_a_marker_key_appears_in_no_file_output_or_log(cli, tmp_path, monkeypatch):
    outputs = [asyncio.run(_run_core())]
    with Simulator(RETRIED) as ok_sim, Simulator(REFUSED) as bad_sim:
        ok = _run_process(tmp_path, ok_sim)
        monkeypatch.setenv("ANTHROPIC_API_KEY", MARKER)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", bad_sim.base_url)
        code, out, err = cli("run", "secret test bad", "--events", str(tmp_path / "bad.jsonl"))
        assert (len(ok_sim.requests), len(bad_sim.requests)) == (3, 1)
        outputs += [repr(sim.requests) + json.dumps([r.to_dict() for r in sim.requests]) for sim in (ok_sim, bad_sim)]
    assert ok.returncode == 0 and ok.stdout == answer_for("secret test ok"), ok.stderr
    assert code == 1 and "authentication_error" in err
    outputs += [ok.stdout, ok.stderr, out, err]

    with SessionStore.open() as store:
        ids = [str(s.id) for s in store.list_sessions()]
    assert len(ids) == 3
    for sid in ids:
        for argv in (
            ("sessions", "show", sid),
            ("sessions", "show", sid, "--json"),
            ("sessions", "export", sid, "--format", "json", "--output", str(tmp_path / f"{sid}.json")),
            ("sessions", "export", sid, "--format", "md", "--output", str(tmp_path / f"{sid}.md")),
        ):
            code, out, err = cli(*argv)
            assert code == 0, err
            outputs += [out, err]
    for argv in (
        ("sessions", "list", "--json"),
        ("profiles", "save", "mine", "--max-attempts", "3"),
        ("profiles", "show", "mine"),
        ("profiles", "show", "mine", "--json"),
        ("profiles", "list"),
    ):
        code, out, err = cli(*argv)
        assert code == 0, err
        outputs += [out, err]

    files = [p for root in (paths.config_dir(), paths.data_dir(), tmp_path) for p in root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".toml" for p in files) and any(p.name == "sessions.db" for p in files)
    leaks = [str(p) for p in files if MARKER.encode() in p.read_bytes()]
    leaks += [f"output #{i}" for i, text in enumerate(outputs) if MARKER in text or "TESTMARKER" in text]
    assert leaks == []
    assert private_tree_problems(paths.config_dir()) == [] and private_tree_problems(paths.data_dir()) == []


def test_a_key_that_cannot_be_sent_is_refused_and_shown_masked(cli, monkeypatch):
    """h11 quotes a header it refuses (``Bearer sk-ant-...``) in its error: such a key must
    never reach it, or the key lands in the session, the events file and stderr."""
    for bad in (MARKER + "\n", MARKER + "\r", " " + MARKER, MARKER[:10] + "\x7f" + MARKER[10:]):
        monkeypatch.setenv("ANTHROPIC_API_KEY", bad)
        code, out, err = cli("run", "hi")
        assert (code, out) == (2, "") and err.count("\n") == 1
        assert err.startswith("claude-tui run: ANTHROPIC_API_KEY (sk-ant-…1234) ")
        assert "TESTMARKER" not in err
    assert not paths.sessions_db().exists(), "nothing was sent, nothing recorded"
