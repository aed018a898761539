"""Session history in SQLite: every run recorded as it goes, listed, searched, shown, deleted.

>>> store = SessionStore.open()                                  # doctest: +SKIP
>>> with store.start_session(prompt="Hi", model="claude-sonnet-4-5") as rec:
...     async for event in run.events():
...         rec.record(event)
>>> store.list_sessions(search="hi")[0].status
'ok'

Written as the run goes — not only at the end — so a crash or a SIGKILL leaves a readable
session with whatever had arrived; its row stays ``running`` with the writer's pid, and is
reported (and, at the next open, stored) as ``interrupted`` once that process is gone.
One connection per process, shared by every recorder; calls are synchronous because
batched SQLite writes take well under a millisecond (see ``recorder.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from . import backends, schema
from .errors import SessionNotFound, StoreError
from .filters import STATUSES, SessionFilter, fts_query, list_query
from .liveness import pid_alive
from .records import SessionDetail, SessionPreview, SessionSummary

if TYPE_CHECKING:  # the recorder imports the event classes, which ``sessions list`` never needs
    from collections.abc import Iterator

    from .recorder import SessionRecorder

PREVIEW_CHARS = 4000
"""How much of an answer ``get_preview`` reads: a few screens of the preview pane."""
OUTCOME_TYPES = ("attempt_error", "backoff", "success", "give_up", "cancelled")
"""What a preview's attempts timeline is made of: how each attempt ended, and the waits."""

_SUMMARY_COLUMNS = (
    "id, created_at, model, status, attempts, prompt, elapsed, input_tokens, output_tokens, parent_id, error, pid, "
    + backends.COLUMNS
    + ", follows"
)
_SUMMARY_WIDTH = 17
"""Columns read for a ``SessionSummary`` (the backend's four become its one field)."""
__all__ = ["STATUSES", "SessionFilter", "SessionStore", "fts_query"]


class SessionStore:
    """The sessions database of this process. Open with ``SessionStore.open()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notices: list[str]) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.notices = notices
        """Messages for the user from opening (e.g. a damaged file moved aside)."""

    @classmethod
    def open(cls, path: Path | str | None = None) -> SessionStore:
        """Open (create, migrate) the database; ``StoreError`` when it cannot be used."""
        db = Path(path) if path is not None else paths.sessions_db()
        try:
            conn, notices = schema.connect(db)
        except OSError as exc:
            raise StoreError(f"cannot open {db}: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {db}: {exc}") from exc
        store = cls(conn, db, notices)
        store._store_interrupted()
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recording -------------------------------------------------------------------

    def start_session(
        self,
        *,
        prompt: str,
        model: str,
        system: str | None = None,
        settings: dict[str, Any] | None = None,
        parent_id: int | None = None,
        backend: dict[str, Any] | None = None,
        follows: int | None = None,
    ) -> SessionRecorder:
        """Insert a ``running`` row for this process and return its recorder; ``backend``
        as ``store/backends.py`` makes it (None: unknown); ``follows``: the turn this one
        follows up."""
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        for link in (parent_id, follows):
            if link is not None and not self._exists(link):
                raise StoreError(f"cannot link to session {link}: no session with that id")
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (created_at, prompt, system, model, settings, status, pid, parent_id, follows,"
                f" {backends.COLUMNS}) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
                (
                    created_at,
                    prompt,
                    system,
                    model,
                    json.dumps(settings or {}),
                    os.getpid(),
                    parent_id,
                    follows,
                    *backends.to_columns(backend),
                ),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        from .recorder import SessionRecorder

        return SessionRecorder(self, session_id)

    @contextlib.contextmanager
    def transaction(self, *, busy_timeout: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` so a busy database waits, not fails:
        ``busy_timeout`` seconds at most when given, else the connection's wait. A failed
        ``COMMIT`` (disk full) is rolled back too, so the next transaction can begin."""
        with self._lock, self._errors():
            if busy_timeout is not None:
                self._conn.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                if busy_timeout is not None:
                    self._conn.execute(f"PRAGMA busy_timeout = {schema.BUSY_TIMEOUT_MS}")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            hint = (
                " (the file is damaged: move it aside)"
                if isinstance(exc, sqlite3.DatabaseError) and schema.is_corruption(exc)
                else ""
            )
            raise StoreError(f"{self.path}: {exc}{hint}") from exc

    # -- reading ---------------------------------------------------------------------

    def list_sessions(
        self,
        search: str | None = None,
        limit: int | None = 50,
        *,
        before: int | None = None,
        filters: SessionFilter | None = None,
    ) -> list[SessionSummary]:
        """Newest first; ``search`` matches words (and word prefixes) in prompts, answers,
        failures (kind, error type, message) and request ids; ``before``: only sessions older
        than that id (the next page of a list); ``filters``: see ``filters.py``."""
        filters = SessionFilter() if filters is None else filters.checked()
        query = None
        if search is not None and search.strip():
            query = fts_query(search)
            if query is None:
                return []
        with self._lock, self._errors():
            sql, params = list_query(self._conn, _SUMMARY_COLUMNS, query, limit, before, filters)
            rows = self._conn.execute(sql, params).fetchall()
        sessions = [SessionSummary(*_effective(row)) for row in rows]
        if filters.status is not None:  # a row read as running may be a dead writer's, and back
            sessions = [s for s in sessions if s.status == filters.status]
        return sessions

    def get_session(self, session_id: int) -> SessionDetail:
        """The session with its events; ``SessionNotFound`` for an unknown id."""
        with self._lock, self._errors():
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, system, settings, response FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
            if row is None:
                raise SessionNotFound(session_id)
            event_rows = self._conn.execute(
                "SELECT t, type, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        summary, (system, settings, response) = _effective(row[:_SUMMARY_WIDTH]), row[_SUMMARY_WIDTH:]
        from . import rows

        events = rows.decode_all(session_id, event_rows, response)
        return SessionDetail(*summary, system, json.loads(settings), response, events)

    def get_preview(self, session_id: int, max_chars: int = PREVIEW_CHARS) -> SessionPreview:
        """The session's summary, settings, first ``max_chars`` of its answer and attempt
        outcomes; ``SessionNotFound`` for an unknown id. Text deltas are read (for a session
        without an answer) but never expanded into events."""
        with self._lock, self._errors():
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, system, settings, substr(response, 1, ?), length(response)"
                " FROM sessions WHERE id = ?",
                (max_chars, session_id),
            ).fetchone()
            if row is None:
                raise SessionNotFound(session_id)
            marks = ", ".join("?" * len(OUTCOME_TYPES))
            outcome_rows = self._conn.execute(
                f"SELECT t, type, data FROM events WHERE session_id = ? AND type IN ({marks}) ORDER BY seq",
                (session_id, *OUTCOME_TYPES),
            ).fetchall()
            text_rows = (
                []
                if row[_SUMMARY_WIDTH + 2] is not None
                else self._conn.execute(
                    "SELECT data FROM events WHERE session_id = ? AND type = 'text' ORDER BY seq", (session_id,)
                ).fetchall()
            )
        from . import rows

        summary, (system, settings, answer, answer_chars) = _effective(row[:_SUMMARY_WIDTH]), row[_SUMMARY_WIDTH:]
        if answer is None:
            answer, answer_chars = rows.last_attempt_text(session_id, [r[0] for r in text_rows], max_chars)
        outcomes = tuple(e for r in outcome_rows for e in rows.decode(session_id, *r, response=""))
        return SessionPreview(*summary, system, json.loads(settings), answer, answer_chars, outcomes)

    def chain(self, session_id: int) -> list[tuple[int, str, str | None, str]]:
        """``(id, prompt, response, status)`` of ``session_id`` and of every turn it follows,
        oldest first (one query; ``store/conversation.py`` makes a conversation of it)."""
        with self._lock, self._errors():
            rows = self._conn.execute(
                "WITH RECURSIVE chain(id, follows, depth) AS ("
                " SELECT id, follows, 0 FROM sessions WHERE id = ?"
                " UNION ALL SELECT s.id, s.follows, chain.depth + 1 FROM sessions s JOIN chain ON s.id = chain.follows"
                " WHERE chain.depth < 10000)"
                " SELECT s.id, s.prompt, s.response, s.status FROM chain JOIN sessions s USING (id) ORDER BY depth DESC",
                (session_id,),
            ).fetchall()
        if not rows:
            raise SessionNotFound(session_id)
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def delete_session(self, session_id: int) -> None:
        """Delete a session and its events; refuses one still being recorded by a live process."""
        with self.transaction() as conn:
            row = conn.execute("SELECT status, pid FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(session_id)
            if row[0] == "running" and pid_alive(row[1]):
                raise StoreError(f"session {session_id} is still running (pid {row[1]}): cancel it first")
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def check(self) -> list[str]:
        """Problems ``PRAGMA quick_check`` finds (empty when healthy). Reads the whole file."""
        with self._lock, self._errors():
            return schema.quick_check(self._conn)

    def _exists(self, session_id: int) -> bool:
        with self._lock, self._errors():
            return self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def _store_interrupted(self) -> None:
        """Persist ``interrupted`` for sessions whose writer died (live writers untouched)."""
        with self._lock, self._errors():
            pids = [r[0] for r in self._conn.execute("SELECT DISTINCT pid FROM sessions WHERE status = 'running'")]
        dead = [pid for pid in pids if not pid_alive(pid)]
        if not dead:
            return
        try:
            with self.transaction() as conn:
                conn.executemany(
                    "UPDATE sessions SET status = 'interrupted' WHERE status = 'running' AND pid IS ?",
                    [(pid,) for pid in dead],
                )
        except StoreError:
            pass  # read-only or busy file: listing still reports them as interrupted (_effective)


def _effective(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A summary's values from its row: ``running`` turned into ``interrupted`` when its
    writer is gone, the backend's columns into its one field."""
    status = "interrupted" if row[3] == "running" and not pid_alive(row[11]) else row[3]
    return (*row[:3], status, *row[4:12], backends.from_columns(*row[12:16]), row[16])
