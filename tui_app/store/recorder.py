"""Record one run's events into its session row, as the run goes.

Text deltas are batched because a long answer is tens of thousands of them: they are
written ``FLUSH_INTERVAL`` after the oldest one waiting arrived, so a kill loses at most
that much text. Under asyncio a timer sees to that, even when the stream goes quiet, and a
delta then costs two list appends (``record`` runs once per delta: its cost is most of what
recording adds to a fast answer). Without an event loop, ``record`` checks the clock itself
and also writes as soon as ``FLUSH_EVERY`` are waiting (at most one write per
``MIN_FLUSH_GAP``). Every other event (attempt start, error, backoff, outcome) is rare and is
what a post-mortem needs, so it is written at once, with the deltas before it.
How rows look: ``rows.py``.

Writes run on the caller's thread (the event loop, for the TUI and ``claude-tui run``), so
a database another process keeps locked must not freeze the stream: each write waits at
most ``LOCK_WAIT`` for the lock, failed writes keep their events buffered and are retried
(at most once per ``MIN_FLUSH_GAP``), and once writes have failed for ``GIVE_UP_AFTER``
the recorder gives up: ``lost`` says why, and ``RecordingLost`` is raised. A database file
deleted or replaced mid-run is given up at once: SQLite would go on writing to a file
nobody can open any more. Each write is one transaction, so what was stored is whole;
a session whose outcome could not be stored stays ``running`` with this process's pid,
which reads as ``interrupted`` once the process is gone.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn

from ..retry.events import TERMINAL_TYPES, AttemptError, AttemptStart, Cancelled, Event, GiveUp, Success
from .errors import StoreError
from .rows import CAN_COALESCE, Row, encode, encode_texts

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from pathlib import Path

    from ..retry.failures import Failure
    from .sessions import SessionStore

FLUSH_EVERY = 50
MIN_FLUSH_GAP = 0.25
FLUSH_INTERVAL = 0.25
LOCK_WAIT = 0.05
"""Seconds one write during the run waits for another process's lock (SQLite busy_timeout)."""
GIVE_UP_AFTER = 2.0
"""Seconds of failing writes (by the recorder's clock) before recording is given up;
``finish`` waits out what is left of it, so a lock released within it loses nothing."""


class RecordingLost(StoreError):
    """The recorder gave up: the rest of this session cannot be stored (``lost`` says why)."""


BATCHED = frozenset({"text", "thinking"})
"""Deltas: buffered and written in batches (a thinking delta is a row of its own)."""


class SessionRecorder:
    """Feeds one session. ``record`` each event, then ``finish`` (or use ``with``)."""

    def __init__(self, store: SessionStore, session_id: int, *, clock: Any = time.monotonic) -> None:
        self._store = store
        self.session_id = session_id
        self._clock = clock
        self._rows: list[Row] = []
        self._texts: list[str] = []  # the open run of deltas (one attempt), not yet a row
        self._ts: list[float] = []
        self._texts_attempt = 0
        self._pending = 0  # text deltas waiting, in rows or in the open run
        self._pending_since = 0.0
        self._last_flush = float("-inf")
        self._seq = 0
        self._attempts = self._stored_attempts = 0
        self._model: str | None = None
        """The model of the latest attempt: the session lists the model that answered (a
        fallback may have taken over from the one asked for)."""
        self._last_t = 0.0
        self._terminal: Event | None = None
        self._failure: Failure | None = None
        """The last failure (for the ``--error`` filter)."""
        self._found: list[str] = []
        """What search finds besides prompt and answer: failures' words, request ids."""
        self._failure_stored = True
        """Whether the row has the last failure (request ids alone wait for the outcome:
        each write of them rewrites the session's full-text entry)."""
        self._timer: Any = None  # asyncio.TimerHandle
        self._held = False
        self._failing_since: float | None = None
        self._file_id = _file_id(store.path)
        self.finished = False
        self.lost: str | None = None
        """Why recording was given up (one phrase naming the file), or None."""

    def __enter__(self) -> SessionRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.finish()

    def record(self, event: Event) -> None:
        """Buffer ``event``; write it now unless it is a text delta that can wait a little."""
        if self._timer is not None and event.type == "text" and event.attempt == self._texts_attempt:  # type: ignore[attr-defined]
            # The hot path, almost every delta: a timer is armed (so the batch is bounded in
            # age) and the delta continues the open run of deltas. A finished recorder has no
            # timer; without CAN_COALESCE no run is ever open (``_texts_attempt`` stays 0).
            self._texts.append(event.text)  # type: ignore[attr-defined]
            self._ts.append(event.t)
            self._pending += 1
            return
        if self.lost is not None:
            raise RecordingLost(self.lost)
        if self.finished:
            raise StoreError(f"session {self.session_id} is finished: start a new session to record more")
        t = self._last_t = event.t
        if event.type == "text" and CAN_COALESCE:
            # The first delta of a batch or of an attempt, or any delta without a loop.
            attempt = event.attempt  # type: ignore[attr-defined]
            if attempt != self._texts_attempt:
                self._close_texts()
                self._texts_attempt = attempt
                if attempt > self._attempts:
                    self._attempts = attempt
            self._texts.append(event.text)  # type: ignore[attr-defined]
            self._ts.append(t)
        else:
            attempt = getattr(event, "attempt", 0) or 0
            if attempt > self._attempts:
                self._attempts = attempt
            if event.type not in BATCHED:
                self._close_texts()
                self._append(t, event.type, encode(event))
                if isinstance(event, AttemptStart) and event.model:
                    self._model = event.model
                self._note(event)
                if event.type in TERMINAL_TYPES:
                    self._terminal = event
                self.flush()
                return
            if event.type == "thinking":  # a row each, written in batches as text deltas are
                self._close_texts()
            self._append(t, event.type, encode(event))
        self._pending += 1
        now = self._clock()
        if self._pending == 1:
            self._pending_since = now
            self._arm_timer()
        elif now - self._last_flush >= MIN_FLUSH_GAP and (
            self._pending >= FLUSH_EVERY or now - self._pending_since >= FLUSH_INTERVAL
        ):
            self.flush()

    def _append(self, t: float, type_: str, data: str) -> None:
        self._seq += 1
        self._rows.append((self.session_id, self._seq, t, type_, data))

    def _note(self, event: Event) -> None:
        """Keep the failure and the request ids ``event`` carries (written with its row)."""
        failure = event.failure if isinstance(event, AttemptError | GiveUp) else None
        if failure is not None:
            self._failure, self._failure_stored = failure, False
            words = (failure.kind, failure.error_type, failure.message, failure.request_id)
            self._found.append(" ".join(w for w in words if w))
        elif event.type in ("response_start", "success") and getattr(event, "request_id", None):
            self._found.append(event.request_id)  # type: ignore[attr-defined]

    def _close_texts(self) -> None:
        if self._texts:
            self._last_t = max(self._last_t, self._ts[-1])  # the hot path does not keep it
            self._append(self._ts[0], "text", encode_texts(self._texts_attempt, self._texts, self._ts))
            self._texts, self._ts = [], []

    def flush(self) -> None:
        """Write the buffered events (and the attempt count) in one transaction.

        On failure the events stay buffered and ``StoreError`` is raised; the next flush
        retries them — until writes have failed for ``GIVE_UP_AFTER`` (``RecordingLost``).
        """
        self._cancel_timer()
        if self.lost is not None:
            raise RecordingLost(self.lost)
        self._close_texts()
        if not self._rows and self._attempts == self._stored_attempts and self._failure_stored:
            return
        self._write(self._insert_rows, wait=LOCK_WAIT, last_chance=False)
        self._last_flush = self._clock()

    def _insert_rows(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT INTO events (session_id, seq, t, type, data) VALUES (?, ?, ?, ?, ?)", self._rows)
        if self._attempts != self._stored_attempts:
            conn.execute("UPDATE sessions SET attempts = ? WHERE id = ?", (self._attempts, self.session_id))
        if not self._failure_stored:  # rare: an attempt failed
            conn.execute(
                "UPDATE sessions SET failure_kind = ?, error_type = ?, search_extra = ? WHERE id = ?",
                (*self._failure_columns(), self.session_id),
            )

    def _failure_columns(self) -> tuple[str | None, str | None, str]:
        f = self._failure
        return (f.kind if f else None, f.error_type if f else None, " ".join(self._found))

    def _write(self, write: Callable[[sqlite3.Connection], None], *, wait: float, last_chance: bool) -> None:
        """One transaction; on failure keep everything buffered, and give up when it is time."""
        if _file_id(self._store.path) != self._file_id:
            self._lose(f"{self._store.path} was deleted or replaced during the run")
        try:
            with self._store.transaction(busy_timeout=wait) as conn:
                write(conn)
        except StoreError as exc:
            now = self._last_flush = self._clock()
            if self._failing_since is None:
                self._failing_since = now
            if last_chance or now - self._failing_since >= GIVE_UP_AFTER:
                self._lose(_reason(exc, self._store.path))
            raise
        self._failing_since = None
        self._rows.clear()
        self._pending = 0
        self._stored_attempts = self._attempts
        self._failure_stored = True

    def _lose(self, reason: str) -> NoReturn:
        """Give up recording: drop the buffer, try (no wait) to store ``interrupted``, raise."""
        self.lost = reason
        self._cancel_timer()
        self._rows.clear()
        self._texts, self._ts = [], []
        self._pending = 0
        try:
            with self._store.transaction(busy_timeout=0) as conn:
                conn.execute(
                    "UPDATE sessions SET status = 'interrupted', attempts = ? WHERE id = ? AND status = 'running'",
                    (self._stored_attempts, self.session_id),
                )
        except StoreError:
            pass  # the same fault: the row stays ``running`` with our pid, read as interrupted once we exit
        raise RecordingLost(reason)

    def hold(self) -> None:
        """Stop the flush timer (on the loop that armed it): what is buffered waits for
        :meth:`finish`, which may then run on another thread."""
        self._cancel_timer()
        self._held = True

    def finish(self) -> None:
        """Flush and store the outcome of the terminal event; idempotent.

        Without a terminal event (the consumer stopped early) the session is stored as
        ``interrupted``, with what had arrived.
        """
        if self.finished:
            return
        self.finished = True  # whatever happens next: a finished recorder never writes again
        self._cancel_timer()
        if self.lost is not None:
            raise RecordingLost(self.lost)
        self._close_texts()
        failing_for = 0.0 if self._failing_since is None else self._clock() - self._failing_since
        wait = min(GIVE_UP_AFTER, max(LOCK_WAIT, GIVE_UP_AFTER - failing_for))
        self._write(self._store_outcome, wait=wait, last_chance=True)

    def _store_outcome(self, conn: sqlite3.Connection) -> None:
        """The rest of the events and the outcome, in the same transaction: all or nothing."""
        self._insert_rows(conn)
        status, response, error = _outcome(self._terminal)
        ev = self._terminal
        conn.execute(
            "UPDATE sessions SET status = ?, response = ?, error = ?, input_tokens = ?, output_tokens = ?,"
            " attempts = ?, elapsed = ?, model = COALESCE(?, model), failure_kind = ?, error_type = ?,"
            " search_extra = ? WHERE id = ?",
            (
                status,
                response,
                error,
                ev.input_tokens if isinstance(ev, Success) else None,
                ev.output_tokens if isinstance(ev, Success) else None,
                self._attempts,
                getattr(ev, "elapsed", None) if ev is not None else self._last_t,
                self._model,
                *self._failure_columns(),
                self.session_id,
            ),
        )

    def _arm_timer(self) -> None:
        if self._timer is not None or self._held:
            return
        asyncio = sys.modules.get("asyncio")  # not imported here: `sessions list` need not pay for it
        if asyncio is None:
            return  # so no event loop runs: the age check in record() still bounds the batch
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(FLUSH_INTERVAL, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except StoreError:
            pass  # the events stay buffered; the next record()/flush()/finish() retries and raises

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _outcome(event: Event | None) -> tuple[str, str | None, str | None]:
    """(status, response, error) stored for a terminal event."""
    if isinstance(event, Success):
        return "ok", event.text, None
    if isinstance(event, GiveUp):
        label = event.failure.label if event.failure else None
        return "failed", None, f"{event.reason}: {label}" if label else event.reason
    if isinstance(event, Cancelled):
        return "cancelled", None, f"cancelled during {event.during}"
    return "interrupted", None, None


def _reason(exc: StoreError, path: Path) -> str:
    """Why a write failed, for the one line the user reads."""
    name = str(getattr(exc.__cause__, "sqlite_errorname", ""))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return f"{path} stayed locked by another process for over {GIVE_UP_AFTER:g} s"
    return str(exc)


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now: a different answer means deleted or replaced."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
