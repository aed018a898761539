"""Time to first painted frame: start a program in a real pseudo-terminal and read what it
draws until a given text appears on screen.

The clock starts just before the process is spawned (so interpreter start and imports
count) and stops when the bytes read from the terminal, with escape sequences removed,
contain the marker. Escapes are stripped because a cursor drawn inside the text (the
editor's cursor sits on the placeholder's first letter) splits it with colour codes.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
"""CSI sequences (colours, cursor moves), OSC strings, and two-byte escapes."""

MINIMAL_TEXTAREA_APP = """
from textual.app import App
from textual.widgets import TextArea

class Minimal(App):
    def compose(self):
        yield TextArea(placeholder="Type a prompt, then ctrl+j to send")

Minimal().run()
"""
"""The baseline: a Textual app showing one TextArea, with the same placeholder as ours."""


def first_paint_seconds(
    argv: Sequence[str],
    marker: str,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 30.0,
) -> float:
    """Seconds from spawning ``argv`` in a ``size`` (columns, rows) pty until ``marker`` shows."""
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    wanted = marker.encode()
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    seen = b""
    try:
        while (elapsed := time.perf_counter() - start) < timeout:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                seen += os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            if wanted in ESCAPES.sub(b"", seen):
                return time.perf_counter() - start
        tail = ESCAPES.sub(b"", seen)[-400:].decode(errors="replace")
        raise RuntimeError(f"{marker!r} not drawn after {elapsed:.1f} s by {' '.join(argv)}: ...{tail!r}")
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
