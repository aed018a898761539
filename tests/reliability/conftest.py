"""Fixtures for the reliability tests: real processes (in a pseudo-terminal for the TUI),
bounded polling, a read-only look at the sessions database, a raw HTTP server.

Suite-wide isolation (HOME, XDG and CLAUDE_TUI_* dirs per test, no API key) comes from
tests/conftest.py, whose ``run_cli`` and ``scenario_file`` fixtures are used here too.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from tui_app import paths

from .raw_http import Canned, RawServer

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

CLI = [sys.executable, "-m", "tui_app"]


def wait_until(
    predicate: Callable[[], Any],
    timeout: float = 30.0,
    what: str = "condition",
    *,
    describe: Callable[[], str] | None = None,
) -> Any:
    """Poll ``predicate`` until it returns something truthy (bounded); return that value.

    ``describe`` adds what was seen (say, the terminal's last lines) to a timeout's message.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)  # polling another process: there is nothing to await
    seen = f"; seen:\n{describe()}" if describe is not None else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{seen}")


def db_rows(sql: str, params: tuple = ()) -> list[tuple]:
    """Rows from the sessions database, read-only (as another process sees it); [] if not there yet."""
    db = paths.sessions_db()
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.Error:  # created but not migrated yet, or busy: ask again later
        return []


def event_types_stored() -> list[str]:
    return [row[0] for row in db_rows("SELECT type FROM events ORDER BY session_id, seq")]


def integrity_check() -> str:
    with sqlite3.connect(paths.sessions_db()) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return result


class PtyApp:
    """A process whose stdin/stdout/stderr are a pseudo-terminal of a fixed size.

    Everything it writes is collected (raw bytes, escape sequences included) by a reader
    thread, so it never blocks on a full terminal buffer.
    """

    def __init__(self, argv: list[str], env: dict[str, str], *, cols: int = 120, rows: int = 40) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self._master: int | None = master
        self._lock = threading.Lock()
        self._output = bytearray()
        self._stop_reading = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(master,), daemon=True)
        self._reader.start()

    def _read(self, master: int) -> None:
        while not self._stop_reading.is_set():
            if not select.select([master], [], [], 0.05)[0]:
                continue  # nothing yet: look at the stop flag again (``hang_up`` closes the fd)
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other side closed
                return
            if not data:
                return
            with self._lock:
                self._output += data

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def text_tail(self, chars: int = 3000) -> str:
        """The last of the output as text, escape sequences dropped (for failure messages)."""
        text = self.output[-4 * chars :].decode("utf-8", "replace")
        return re.sub(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)", "", text)[
            -chars:
        ]

    def type(self, data: str | bytes) -> None:
        assert self._master is not None, "the terminal was hung up"
        os.write(self._master, data.encode() if isinstance(data, str) else data)

    def wait_for(self, needle: bytes, timeout: float = 30.0, *, after: int = 0) -> int:
        """Wait until ``needle`` shows in the output (from offset ``after``); return the offset past it."""

        def seen() -> int:
            at = self.output.find(needle, after)
            if at < 0 and self.proc.poll() is not None:
                self._reader.join(timeout=5)  # what it wrote last may still be in flight
                at = self.output.find(needle, after)
                assert at >= 0, f"exited with {self.proc.returncode} before {needle!r} showed"
            return at + 1  # 0: not yet

        return wait_until(seen, timeout, f"{needle!r} on the terminal", describe=self.text_tail) - 1 + len(needle)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def hang_up(self) -> None:
        """Close the terminal's other end, as a dead terminal emulator does; no signal is sent
        (the app is in a session of its own, so the kernel sends it no SIGHUP either)."""
        self._stop_reading.set()
        self._reader.join(timeout=5)
        if self._master is not None:
            os.close(self._master)
            self._master = None

    def close(self) -> None:
        self.kill()
        self.hang_up()


@pytest.fixture
def pty_app(isolated_env):
    """Start processes in a pseudo-terminal; every one still running is SIGKILLed at the end."""
    started: list[PtyApp] = []

    def start(*args: str, env: dict[str, str] | None = None) -> PtyApp:
        full = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", **(env or {})}
        for name in ("NO_COLOR", "TEXTUAL_THEME", "COLUMNS", "LINES"):
            full.pop(name, None)
        app = PtyApp([*CLI, *args], full)
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


@pytest.fixture
async def raw_server():
    """``await raw_server(Canned(...), ...)``: a loopback server answering with exactly those bytes."""
    servers: list[RawServer] = []

    async def start(*responses: Canned) -> RawServer:
        servers.append(await RawServer(list(responses)).start())
        return servers[-1]

    yield start
    for server in servers:
        await server.close()


def private_tree_problems(root: Path) -> list[str]:
    """Files and directories under ``root`` (inclusive) readable or writable by others."""
    problems = []
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        want = 0o700 if path.is_dir() else 0o600
        if mode & 0o077:
            problems.append(f"{path} is {oct(mode)}, want {oct(want)}")
    return problems
