"""The last line of defence: an exception nobody expected becomes one line and a crash log.

Whatever failed — a command, the TUI, or a bug the retry core caught — the terminal gets
one line (what failed, where the full report is, how to report it) and the traceback goes
to a private file in the data dir, ``crash-YYYYmmdd-HHMMSS-PID.log``. A TUI's screen or a
script's stderr is no place for sixty lines of frames, and Textual's own report prints
local variables, which can hold the API key. No report holds the key: the values of
``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` (and anything shaped like a key) are
masked in everything written.

Import-light: the CLI imports it only once something has failed.
"""

from __future__ import annotations

import os
import platform
import re
import shlex
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import __version__, paths

_SECRET_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
_MIN_SECRET = 8
"""Shorter values are not real keys, and masking every "k" would make a report unreadable."""
_KEY_SHAPE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}")
_MESSAGE_CHARS = 300
"""How much of the exception's message the one line keeps (the log has all of it)."""


def handle(exc: BaseException, *, where: str) -> str:
    """Write ``exc``'s crash log and return the one line to show for it."""
    return crash_line(exc, where=where, log=write_report(exc, where=where))


def write_report(exc: BaseException, *, where: str) -> Path | None:
    """Write the full report of ``exc`` (0600) to the data dir, or to the temp dir when the
    data dir cannot take it; its path, or None when neither could."""
    text = scrub(_report(exc, where))
    for directory in (paths.crash_dir, lambda: Path(tempfile.gettempdir())):
        try:
            return _write_new(paths.ensure_private_dir(directory()), text)
        except OSError:
            continue
    return None


def crash_line(exc: BaseException, *, where: str, log: Path | None) -> str:
    """e.g. 'claude-tui: internal error in claude-tui run (TypeError: boom) — full report
    in /…/crash-20261201-224500-4242.log; this is a bug, please report it with that file'."""
    from .safe_text import one_line

    what = describe(exc)
    if len(what) > _MESSAGE_CHARS:
        what = f"{what[:_MESSAGE_CHARS]}…"
    if log is not None:
        report = f"full report in {log}; this is a bug, please report it with that file"
    else:
        report = "no crash log could be written; this is a bug, please report it with this line"
    return one_line(scrub(f"claude-tui: internal error in {where} ({what}) — {report}"))


def describe(exc: BaseException) -> str:
    """'TypeError: message' (or just the type), even for an exception whose str() fails."""
    try:
        message = str(exc)
    except Exception:  # the report must never fail on the exception it reports
        message = "<str() of the exception failed>"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def scrub(text: str) -> str:
    """``text`` with every API key (the environment's, and anything shaped like one) masked."""
    from .secrets import mask_key

    for name in _SECRET_VARIABLES:
        value = os.environ.get(name) or ""
        for secret in {value, value.strip()}:
            if len(secret) >= _MIN_SECRET:
                text = text.replace(secret, mask_key(secret))
    return _KEY_SHAPE.sub(lambda match: mask_key(match.group()), text)


def _report(exc: BaseException, where: str) -> str:
    frames = "".join(traceback.format_exception(exc))
    return (
        f"claude-tui {__version__}: internal error in {where}\n"
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}\n"
        f"python: {sys.version.split()[0]} ({platform.platform()})\n"
        f"command: claude-tui {shlex.join(sys.argv[1:])}\n\n"
        f"{frames}"
    )


def _write_new(directory: Path, text: str) -> Path:
    """A new file (never one already there: two crashes in one second each keep theirs)."""
    stem = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for n in range(1, 100):
        path = directory / (f"{stem}.log" if n == 1 else f"{stem}-{n}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as file:
            file.write(text)
        return path
    raise FileExistsError(17, "File exists", str(directory / f"{stem}.log"))
