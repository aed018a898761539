"""Opening the database: creation, migration from v1, refusing the future, moving damage aside."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from tui_app import paths
from tui_app.store import schema
from tui_app.store.errors import StoreError
from tui_app.store.sessions import SessionStore


def _pragma(name: str) -> object:
    with sqlite3.connect(paths.sessions_db()) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def _aside() -> list:
    return sorted(paths.data_dir().glob("sessions.db.corrupt-*"))


def test_fresh_database_is_private_tagged_wal_and_latest(store):
    db = paths.sessions_db()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert _pragma("user_version") == schema.LATEST == 4
    assert _pragma("application_id") == schema.APPLICATION_ID
    assert _pragma("journal_mode") == "wal"
    assert store.notices == [] and store.check() == []


def test_reopening_is_a_no_op(store, record):
    record([], prompt="kept")
    store.close()
    with SessionStore.open() as again:
        assert [s.prompt for s in again.list_sessions()] == ["kept"]


def test_empty_file_becomes_a_database():
    paths.ensure_private_dir(paths.data_dir())
    paths.sessions_db().write_bytes(b"")
    with SessionStore.open() as store:
        assert store.notices == [] and store.list_sessions() == []


def test_migrates_a_v1_database_made_by_hand():
    paths.ensure_private_dir(paths.data_dir())
    with sqlite3.connect(paths.sessions_db()) as conn:
        for sql in schema.MIGRATIONS[0]:
            conn.execute(sql)
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO sessions (id, created_at, prompt, model, status, response, attempts, pid)"
            " VALUES (7, '2024-01-01T00:00:00Z', 'Tell me about pelicans', 'claude-3', 'ok', 'Pelicans glide.', 1, 1)"
        )
        conn.execute("INSERT INTO events VALUES (7, 1, 0.0, 'run_start', '{\"model\": \"claude-3\"}')")
    conn.close()
    with SessionStore.open() as store:
        assert _pragma("user_version") == schema.LATEST
        assert [s.id for s in store.list_sessions(search="pelicans")] == [7]  # the FTS index was rebuilt
        assert [s.id for s in store.list_sessions(search="glide")] == [7]
        detail = store.get_session(7)
        assert detail.error is None and detail.response == "Pelicans glide."
        assert [e.type for e in detail.events] == ["run_start"]
        with store.start_session(prompt="a new one", model="m"):
            pass
        assert [s.id for s in store.list_sessions()] == [8, 7]


def test_a_failed_migration_leaves_the_old_version(monkeypatch):
    paths.ensure_private_dir(paths.data_dir())
    with sqlite3.connect(paths.sessions_db()) as conn:
        for sql in schema.MIGRATIONS[0]:
            conn.execute(sql)
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    monkeypatch.setattr(schema, "MIGRATIONS", (schema.V1, (*schema.V2, "THIS IS NOT SQL")))
    with pytest.raises(StoreError, match="cannot update the schema of .*sessions.db: near"):
        SessionStore.open()
    assert _pragma("user_version") == 1
    with sqlite3.connect(paths.sessions_db()) as conn:
        assert "sessions_fts" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_a_future_version_is_refused_and_left_alone():
    paths.ensure_private_dir(paths.data_dir())
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, future TEXT)")
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = paths.sessions_db().read_bytes()
    with pytest.raises(StoreError) as info:
        SessionStore.open()
    assert str(info.value) == (
        f"{paths.sessions_db()} was written by a newer claude-tui (schema v99; this version knows up to v4): "
        "upgrade claude-tui, or set CLAUDE_TUI_DATA_DIR to use another directory"
    )
    assert paths.sessions_db().read_bytes() == before and _aside() == []


def _foreign_db() -> None:
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.close()


def _foreign_app_id() -> None:
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("PRAGMA application_id = 1234")
    conn.close()


def _missing_tables() -> None:
    with SessionStore.open():
        pass
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("DROP TABLE events")
    conn.close()


def _garbage() -> None:
    paths.sessions_db().write_bytes(b"this is not a database at all\n" * 100)


def _bad_header() -> None:
    with SessionStore.open():
        pass
    data = bytearray(paths.sessions_db().read_bytes())
    data[16:24] = b"\xff" * 8  # page size and format bytes
    paths.sessions_db().write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_garbage, "not an SQLite database"),
        (_bad_header, "SQLite says: file is not a database"),
        (_foreign_db, "an SQLite database with other tables (notes)"),
        (_foreign_app_id, "an SQLite database of another application (application_id 0x4d2)"),
        (_missing_tables, "schema v4 without its table(s) events"),
    ],
)
def test_damaged_or_foreign_file_is_moved_aside_not_overwritten(damage, reason):
    paths.ensure_private_dir(paths.data_dir())
    damage()
    before = paths.sessions_db().read_bytes()
    with SessionStore.open() as store:
        [moved] = _aside()
        assert store.notices == [
            f"{paths.sessions_db()} was not a usable sessions database ({reason}); "
            f"moved it to {moved} and started a new one"
        ]
        assert moved.read_bytes() == before
        assert store.list_sessions() == [] and store.check() == []


def test_damaged_pages_are_reported_by_check(store, record):
    for i in range(200):
        record([], prompt=f"prompt number {i} " + "x" * 500)
    store.close()
    db = paths.sessions_db()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):
        data[offset + 8 : offset + 200] = b"\x07" * 192
    db.write_bytes(bytes(data))
    with SessionStore.open() as damaged:
        assert damaged.check() != []


def test_directory_in_place_of_the_database():
    paths.sessions_db().mkdir(parents=True)
    with pytest.raises(StoreError, match="is a directory, not a database file"):
        SessionStore.open()


def test_unwritable_data_directory_is_a_store_error(monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(schema, "ensure_private_dir", denied)
    with pytest.raises(StoreError, match=r"cannot open .*sessions.db: Permission denied"):
        SessionStore.open()
