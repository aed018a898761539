"""Opening the sessions database: file checks, connection settings, schema migrations.

The schema version lives in ``PRAGMA user_version`` and the file is tagged with our own
``PRAGMA application_id``, so a file that is not ours (or no longer readable) is told
apart from an old version of ours. Migrations are an ordered list of SQL statements, run
in one ``BEGIN IMMEDIATE`` transaction: two processes starting together cannot both
migrate, and a crash mid-migration leaves the previous version intact.

A damaged or foreign file is never overwritten: it is moved aside to
``sessions.db.corrupt-<timestamp>`` (with its ``-wal``/``-shm`` companions) and a fresh
database is started, with a notice saying where the old one went. A file written by a
*newer* claude-tui is refused instead: moving it aside would hide the user's history.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..paths import ensure_private_dir
from .errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

APPLICATION_ID = 0x434C5455  # "CLTU": marks the file as a claude-tui sessions database
BUSY_TIMEOUT_MS = 5000  # another process may hold the write lock for a moment
SQLITE_HEADER = b"SQLite format 3\x00"

V1 = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        prompt TEXT NOT NULL,
        system TEXT,
        model TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'ok', 'failed', 'cancelled', 'interrupted')),
        response TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        parent_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        pid INTEGER,
        elapsed REAL
    )""",
    "CREATE INDEX sessions_parent ON sessions(parent_id)",
    "CREATE INDEX sessions_running ON sessions(pid) WHERE status = 'running'",
    """CREATE TABLE events (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        t REAL NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID""",
)

# v2: full-text search over prompts and answers (external content: the text is stored
# once, in `sessions`; triggers keep the index in step), and a one-line failure reason.
V2 = (
    "ALTER TABLE sessions ADD COLUMN error TEXT",
    """CREATE VIRTUAL TABLE sessions_fts USING fts5(
        prompt, response, content='sessions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
        INSERT INTO sessions_fts(rowid, prompt, response) VALUES (new.id, new.prompt, new.response);
    END""",
    """CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
        INSERT INTO sessions_fts(sessions_fts, rowid, prompt, response)
            VALUES ('delete', old.id, old.prompt, old.response);
    END""",
    """CREATE TRIGGER sessions_fts_update AFTER UPDATE OF prompt, response ON sessions BEGIN
        INSERT INTO sessions_fts(sessions_fts, rowid, prompt, response)
            VALUES ('delete', old.id, old.prompt, old.response);
        INSERT INTO sessions_fts(rowid, prompt, response) VALUES (new.id, new.prompt, new.response);
    END""",
    "INSERT INTO sessions_fts(sessions_fts) VALUES ('rebuild')",
)

# Per failure, what search finds besides the prompt and the answer: the failure kind, the
# API's error type and message, and every request id (of failures, headers and success).
_SEARCH_EXTRA = """(SELECT group_concat(
        trim(ifnull(json_extract(data, '$.failure.kind'), '') || ' '
        || ifnull(json_extract(data, '$.failure.error_type'), '') || ' '
        || ifnull(json_extract(data, '$.failure.message'), '') || ' '
        || ifnull(json_extract(data, '$.failure.request_id'), ifnull(json_extract(data, '$.request_id'), ''))),
        ' ')
    FROM events WHERE session_id = sessions.id
        AND type IN ('attempt_error', 'give_up', 'response_start', 'success'))"""

# v3: the backend a session ran against (NULL for older sessions: unknown); its last
# failure's kind and error type, for the filters (backfilled from the events); the failure
# text and request ids in the full-text index (rebuilt with a third column).
V3 = (
    "ALTER TABLE sessions ADD COLUMN backend TEXT",  # 'api' | 'simulator' | NULL (unknown)
    "ALTER TABLE sessions ADD COLUMN backend_host TEXT",  # the API's base URL host (and port)
    "ALTER TABLE sessions ADD COLUMN sim_scenario TEXT",
    "ALTER TABLE sessions ADD COLUMN sim_seed INTEGER",
    "ALTER TABLE sessions ADD COLUMN failure_kind TEXT",
    "ALTER TABLE sessions ADD COLUMN error_type TEXT",
    "ALTER TABLE sessions ADD COLUMN search_extra TEXT",
    """UPDATE sessions SET (failure_kind, error_type) = (
        SELECT json_extract(data, '$.failure.kind'), json_extract(data, '$.failure.error_type')
        FROM events WHERE session_id = sessions.id AND type IN ('attempt_error', 'give_up')
            AND json_extract(data, '$.failure') IS NOT NULL
        ORDER BY seq DESC LIMIT 1)""",
    f"UPDATE sessions SET search_extra = {_SEARCH_EXTRA}",
    "CREATE INDEX sessions_status ON sessions(status)",
    "CREATE INDEX sessions_model ON sessions(model)",
    "CREATE INDEX sessions_backend ON sessions(backend)",
    "CREATE INDEX sessions_failure_kind ON sessions(failure_kind) WHERE failure_kind IS NOT NULL",
    "CREATE INDEX sessions_error_type ON sessions(error_type) WHERE error_type IS NOT NULL",
    "DROP TRIGGER sessions_fts_insert",
    "DROP TRIGGER sessions_fts_delete",
    "DROP TRIGGER sessions_fts_update",
    "DROP TABLE sessions_fts",
    """CREATE VIRTUAL TABLE sessions_fts USING fts5(
        prompt, response, search_extra, content='sessions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
        INSERT INTO sessions_fts(rowid, prompt, response, search_extra)
            VALUES (new.id, new.prompt, new.response, new.search_extra);
    END""",
    """CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
        INSERT INTO sessions_fts(sessions_fts, rowid, prompt, response, search_extra)
            VALUES ('delete', old.id, old.prompt, old.response, old.search_extra);
    END""",
    """CREATE TRIGGER sessions_fts_update AFTER UPDATE OF prompt, response, search_extra ON sessions BEGIN
        INSERT INTO sessions_fts(sessions_fts, rowid, prompt, response, search_extra)
            VALUES ('delete', old.id, old.prompt, old.response, old.search_extra);
        INSERT INTO sessions_fts(rowid, prompt, response, search_extra)
            VALUES (new.id, new.prompt, new.response, new.search_extra);
    END""",
    "INSERT INTO sessions_fts(sessions_fts) VALUES ('rebuild')",
)

# v4: conversations. A follow-up turn is a session of its own that ``follows`` the turn
# before it (whose prompt and answer it sent as history); the chain of ``follows`` links is
# the conversation. Deleting a turn unlinks what followed it (the later turns keep what
# they sent: their own events say).
V4 = (
    "ALTER TABLE sessions ADD COLUMN follows INTEGER REFERENCES sessions(id) ON DELETE SET NULL",
    "CREATE INDEX sessions_follows ON sessions(follows) WHERE follows IS NOT NULL",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3, V4)
"""``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``. Append only."""
LATEST = len(MIGRATIONS)

# Tables each version must have; a file claiming a version without them is damaged.
EXPECTED_TABLES = {
    1: {"sessions", "events"},
    2: {"sessions", "events", "sessions_fts"},
    3: {"sessions", "events", "sessions_fts"},
    4: {"sessions", "events", "sessions_fts"},
}


class _Unusable(Exception):
    """The file is damaged or not ours: move it aside and start afresh."""


def connect(path: Path) -> tuple[sqlite3.Connection, list[str]]:
    """Open (creating or migrating) the database; return it with notices for the user."""
    ensure_private_dir(path.parent)
    notices: list[str] = []
    with _open_lock(path):
        try:
            _check_header(path)
            conn = _connect_checked(path)
        except _Unusable as exc:
            notices.append(_move_aside(path, str(exc)))
            conn = _connect_checked(path)
        try:
            _migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot update the schema of {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
    return conn, notices


def _connect_checked(path: Path) -> sqlite3.Connection:
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # owner-only from the start
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _inspect(conn, path)  # before anything writes: a file that is not ours stays byte-identical
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_corruption(exc):
            raise _Unusable(f"SQLite says: {exc}") from exc
        raise StoreError(f"cannot open {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def is_corruption(exc: sqlite3.DatabaseError) -> bool:
    """True for 'malformed'/'not a database' errors (not for 'locked' or 'disk full')."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path} is a directory, not a database file: move it away") from None
    if head and head != SQLITE_HEADER:
        raise _Unusable("not an SQLite database")


def _inspect(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    }
    if app_id not in (0, APPLICATION_ID):
        raise _Unusable(f"an SQLite database of another application (application_id {app_id:#x})")
    if version > LATEST:
        raise StoreError(
            f"{path} was written by a newer claude-tui (schema v{version}; this version knows up to "
            f"v{LATEST}): upgrade claude-tui, or set CLAUDE_TUI_DATA_DIR to use another directory"
        )
    if version == 0 and tables:
        raise _Unusable(f"an SQLite database with other tables ({', '.join(sorted(tables))})")
    missing = EXPECTED_TABLES.get(version, set()) - tables
    if missing:
        raise _Unusable(f"schema v{version} without its table(s) {', '.join(sorted(missing))}")


def _migrate(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA user_version").fetchone()[0] == LATEST:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
        for statements in MIGRATIONS[version:]:
            for sql in statements:
                conn.execute(sql)
        conn.execute(f"PRAGMA user_version = {LATEST}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _move_aside(path: Path, reason: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    for suffix in ("-wal", "-shm", ""):  # the main file last: its companions belong with it
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, dest.with_name(dest.name + suffix))
    return f"{path} was not a usable sessions database ({reason}); moved it to {dest} and started a new one"


@contextlib.contextmanager
def _open_lock(path: Path) -> Iterator[None]:
    """Serialize check + move-aside + migrate between processes (POSIX advisory lock).

    Without it, two processes finding a damaged file together could each move a file
    aside — the second one moving the fresh database the first had just created.
    """
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking still protects the migration
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems SQLite finds in the file (empty when healthy). Reads every page: not per open."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    return [] if rows == ["ok"] else rows
