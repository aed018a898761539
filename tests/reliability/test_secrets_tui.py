"""The TUI never draws the API key: every byte it writes to the terminal is scanned.

test_secrets.py covers files, exports, logs and the CLI's output; this covers the screen.
The real TUI process runs in a pseudo-terminal with a marker key against a simulator (as
against the real API: ``ANTHROPIC_BASE_URL``), sends a prompt that the server refuses (401),
and opens the failed attempt's details — the places where a key could leak through an
error message. A key the HTTP layer cannot send (a trailing CR) is refused before use; the
notice must show it masked (``sk-ant-…1234``), never whole. Files written under the
config and data directories are scanned too.
"""

from __future__ import annotations

from tui_app import paths
from tui_app.secrets import mask_key
from tui_app.simulator import Simulator

from .conftest import private_tree_problems

MARKER = "sk-ant-TESTMARKER-abcd1234"
REFUSED = {"name": "refused", "steps": [{"fault": "status", "status": 401}]}
F5, CTRL_J, ENTER = b"\x1b[15~", b"\n", b"\r"  # keys as a terminal sends them


def _scan_written_files(root) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]


def _open_attempt_detail(tui, *, after: int) -> None:
    """f5 (focus the attempts table), enter (inspect the selected, last, attempt).

    f5's focus change lands a moment after the key (the action awaits the table), and
    nothing on a terminal says when: an enter sent before it goes to the prompt editor
    instead. So the pair is sent again until the detail is drawn (bounded).
    """
    for _ in range(10):
        tui.type(F5)
        tui.type(ENTER)
        try:
            tui.wait_for(b"streamed text", timeout=1, after=after)
            return
        except AssertionError:
            continue
    raise AssertionError("the attempt detail never opened")


def test_the_tui_never_draws_the_key(pty_app, isolated_env):
    with Simulator(REFUSED) as sim:
        tui = pty_app(env={"ANTHROPIC_API_KEY": MARKER, "ANTHROPIC_BASE_URL": sim.base_url})
        tui.wait_for(b"Type a prompt")
        tui.type("secret tui test")
        tui.type(CTRL_J)
        shown = tui.wait_for(b"gave up")  # the give-up note: the 401's message is on screen
        _open_attempt_detail(tui, after=shown)
        assert len(sim.requests) == 1 and all(MARKER not in repr(r) for r in sim.requests)
    assert MARKER.encode() not in tui.output
    assert not _scan_written_files(isolated_env)
    assert not private_tree_problems(paths.data_dir())


def test_a_key_that_cannot_be_sent_is_named_masked(pty_app, isolated_env):
    tui = pty_app(env={"ANTHROPIC_API_KEY": MARKER + "\r", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"})
    tui.wait_for(b"Type a prompt")
    tui.wait_for(mask_key(MARKER).encode())  # "Could not start the backend: ANTHROPIC_API_KEY sk-ant-…1234 ..."
    tui.type("hi")
    tui.type(CTRL_J)  # a send shows the same problem as a failed attempt
    tui.wait_for(b"gave up")
    assert MARKER.encode() not in tui.output
    assert not _scan_written_files(isolated_env)
