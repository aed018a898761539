"""Copy the write-ahead log into the database on a thread of its own.

In WAL mode a commit only appends to the log (no fsync with ``synchronous = NORMAL``); the
syncs happen at checkpoints: inside a commit once the log passes 1000 pages, and when the
last connection closes. Each costs ~10 ms here, on the thread that happens to be writing —
the event loop's: a stall in the TUI, and most of what recording a fast answer cost (the
close alone was a quarter of it). So while a recorder writes batches, a second connection
checkpoints after each one on a worker thread (SQLite releases the interpreter lock while
it works), and the main connection's close finds little left to copy and sync.
Durability is unchanged: the same checkpoints with the same syncs, only sooner and elsewhere.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class Checkpointer:
    """``poke()`` after a write; ``close()`` before the main connection closes."""

    def __init__(self, path: Path, *, busy_timeout_ms: int) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._wake = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self.checkpoints = 0
        """Checkpoints run so far (for tests and benchmarks)."""

    def poke(self) -> None:
        """Checkpoint soon; starts the worker on first use (a read-only command never does)."""
        if self._closing:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="claude-tui checkpoint", daemon=True)
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the worker (after the checkpoint it is running, if any) and wait for it."""
        self._closing = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False,
                                   timeout=self._busy_timeout_ms / 1000)
        except sqlite3.Error:
            return  # the main connection's close still checkpoints
        try:
            conn.execute("PRAGMA synchronous = NORMAL")  # sync as the main connection would
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._closing:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    pass  # busy or damaged: the next poke, or the main connection's close, does it
        finally:
            conn.close()  # not the last connection: no checkpoint of its own here
