"""Which sessions a listing shows: full-text search and the status/error/model/backend filters,
as one SQL query (``list_query``), and the same filters typed as ``key:value`` words.

Every filter is an indexed column (schema v3), and the list is read newest first with a
``LIMIT``, so SQLite walks one index backwards and stops at the limit. ``error`` is the
session's last failure: its failure kind (``overloaded``, ``read_timeout``, ...) or the
API's error type (``overloaded_error``, ...); the two name sets do not overlap, so which
column a value names is looked up (one index probe) rather than ``OR``-ing both, which
would make SQLite collect and sort every match. Import-light: ``sessions list`` runs it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from .backends import UNKNOWN

if TYPE_CHECKING:
    import sqlite3

STATUSES = ("running", "ok", "failed", "cancelled", "interrupted")
BACKENDS = {"api": "api", "sim": "simulator", "simulator": "simulator", UNKNOWN: None}
"""What ``--backend`` takes, and the stored kind each names (``unknown``: none stored)."""
FILTER_KEYS = ("status", "error", "model", "backend")


class SessionFilter(NamedTuple):
    """Filters of a listing; None is "any". Values are checked by ``checked``."""

    status: str | None = None
    error: str | None = None
    model: str | None = None
    backend: str | None = None
    """``api``, ``sim`` (or ``simulator``) or ``unknown``."""

    def checked(self) -> SessionFilter:
        """Itself, or ``ValueError`` naming the filter and what it takes."""
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"status {self.status!r}: use one of {', '.join(STATUSES)}")
        if self.backend is not None and self.backend not in BACKENDS:
            raise ValueError(f"backend {self.backend!r}: use api, sim or {UNKNOWN}")
        return self

    @property
    def active(self) -> bool:
        return any(value is not None for value in self)

    def words(self) -> str:
        """The filters as ``key:value`` words (what ``parse_words`` reads back)."""
        return " ".join(f"{key}:{value}" for key, value in zip(FILTER_KEYS, self, strict=True) if value is not None)


_WORD = re.compile(r"(?<!\S)(status|error|model|backend):(\S*)")


def parse_words(text: str) -> tuple[str, SessionFilter]:
    """Split ``status:failed pelican error:overloaded`` into the search text and the filters
    (the sessions screen's search box takes both). An empty value clears that filter;
    ``ValueError`` for a value the filter does not take."""
    found: dict[str, str | None] = {}
    for key, value in _WORD.findall(text):
        found[key] = value or None
    rest = " ".join(_WORD.sub(" ", text).split())
    return rest, SessionFilter(**found).checked()


def list_query(
    conn: sqlite3.Connection,
    columns: str,
    query: str | None,
    limit: int | None,
    before: int | None,
    filters: SessionFilter,
) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) listing ``columns`` of the matching sessions, newest
    first; ``query`` is an FTS5 query already made safe (``fts_query``)."""
    where, params = _filter_terms(conn, filters)
    if before is not None:
        where.append("id < ?")
        params.append(before)
    last = [-1 if limit is None else limit]
    if query is not None and filters.active:
        # Matches walked newest first, each joined to its row and filtered, until the limit:
        # ``id IN (matches)`` would collect every match first (2-3x slower for a common word).
        named = ", ".join(f"sessions.{column.strip()}" for column in columns.split(","))
        where.insert(0, "sessions_fts MATCH ?")
        sql = f"SELECT {named} FROM sessions_fts JOIN sessions ON sessions.id = sessions_fts.rowid"
        return f"{sql} WHERE {' AND '.join(where)} ORDER BY sessions_fts.rowid DESC LIMIT ?", [query, *params, *last]
    if query is not None:
        # The limit inside too: FTS5 walks its matches newest first and stops early.
        older = " AND rowid < ?" if before is not None else ""
        where.append(
            f"id IN (SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ?{older} ORDER BY rowid DESC LIMIT ?)"
        )
        params += [query, *([] if before is None else [before]), *last]
    sql = f"SELECT {columns} FROM sessions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY id DESC LIMIT ?", [*params, *last]


def _filter_terms(conn: sqlite3.Connection, filters: SessionFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.status is not None:
        # A dead writer's ``running`` row reads as interrupted (sessions.py ``_effective``).
        if filters.status == "interrupted":
            where.append("status IN ('interrupted', 'running')")
        else:
            where.append("status = ?")
            params.append(filters.status)
    if filters.model is not None:
        where.append("model = ?")
        params.append(filters.model)
    if filters.backend is not None:
        kind = BACKENDS[filters.backend]
        if kind is None:
            where.append("backend IS NULL")
        else:
            where.append("backend = ?")
            params.append(kind)
    if filters.error is not None:
        column = "failure_kind" if _is_failure_kind(conn, filters.error) else "error_type"
        where.append(f"{column} = ?")
        params.append(filters.error)
    return where, params


def _is_failure_kind(conn: sqlite3.Connection, name: str) -> bool:
    """Whether any session failed with kind ``name`` (else ``name`` is read as an error type)."""
    return conn.execute("SELECT 1 FROM sessions WHERE failure_kind = ? LIMIT 1", (name,)).fetchone() is not None


def fts_query(text: str) -> str | None:
    """User text -> a safe FTS5 query: every word quoted (so ``"``, ``*``, ``AND``, ``NEAR``
    are plain text), each a prefix, all required. None when the text has no words."""
    words = re.findall(r"\w+", text.replace("\x00", " "))
    return " ".join(f'"{word}"*' for word in words) if words else None
