"""Notice when the terminal goes away without a SIGHUP, and quit instead of spinning.

A dropped SSH session or a closed terminal window normally sends SIGHUP, and the app
exits. But a pseudo-terminal whose other end is closed while the app is not in its
session (a harness, a multiplexer that died, a ``setsid`` launch) sends nothing, and two
things go wrong in Textual (8.2): its input thread spins at full CPU on the end-of-file
reads, and its output thread dies on the first failed write, after which the event loop
blocks for ever on the full output queue. So the driver's output file ignores the errors
of a gone terminal (``hangup_safe``), which keeps the loop running, and the app checks
every second whether the terminal is hung up (``POLLHUP``: one system call) and quits.
"""

from __future__ import annotations

import select
import sys
from typing import IO, Any

CHECK_SECONDS = 1.0
"""How often the app asks whether its terminal is still there."""


def terminal_fd() -> int | None:
    """The descriptor of the terminal the app reads keys from, or None if it is not a terminal."""
    stream = sys.__stdin__
    try:
        return stream.fileno() if stream is not None and stream.isatty() else None
    except (OSError, ValueError):  # closed or detached
        return None


def hung_up(fd: int) -> bool:
    """True once the terminal on ``fd`` is gone (its other end closed, or ``fd`` no longer valid)."""
    poller = select.poll()
    try:
        poller.register(fd, select.POLLHUP)
        events = poller.poll(0)
    except (OSError, ValueError):  # cannot tell: keep running
        return False
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


class _TerminalFile:
    """The file Textual draws the screen into, minus the write errors of a terminal that is
    gone: the output thread lives on, so the app keeps running until it sees the hang-up."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file

    def write(self, text: str) -> int:
        try:
            return self._file.write(text)
        except OSError:  # EIO: nobody is on the other end any more
            return len(text)

    def flush(self) -> None:
        try:
            self._file.flush()
        except OSError:
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def hangup_safe(driver_class: type) -> type:
    """``driver_class`` with its output file wrapped in ``_TerminalFile`` (POSIX terminals;
    any other driver is returned as it is)."""
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # not a POSIX system
        return driver_class
    if not issubclass(driver_class, LinuxDriver):
        return driver_class

    class HangupSafeDriver(driver_class):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._file = _TerminalFile(self._file)  # type: ignore[has-type,arg-type]

    return HangupSafeDriver
