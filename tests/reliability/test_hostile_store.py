"""A damaged, foreign, newer or misplaced sessions database never stops ``claude-tui run``
and is never overwritten: the answer still comes, and one line says what happened.

(How the store itself detects each case is tested in tests/store/test_schema.py.)
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.store.test_schema import _foreign_db, _garbage
from tui_app import paths
from tui_app.simulator import answer_for
from tui_app.store.sessions import SessionStore


def _newer() -> None:
    with SessionStore.open() as store, store.start_session(prompt="from the future", model="m"):
        pass
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()


@pytest.mark.parametrize("damage", [_garbage, _foreign_db])
def test_a_damaged_or_foreign_database_is_moved_aside_and_the_run_recorded(cli, damage):
    paths.ensure_private_dir(paths.data_dir())
    damage()
    before = paths.sessions_db().read_bytes()
    code, out, err = cli("run", "hello", "--sim")
    assert (code, out) == (0, answer_for("hello"))
    [notice] = [line for line in err.splitlines() if "moved it to" in line]
    assert "\x1b" not in err
    [aside] = paths.data_dir().glob("sessions.db.corrupt-*")
    assert aside.read_bytes() == before and str(aside) in notice
    with SessionStore.open() as store:
        assert [s.prompt for s in store.list_sessions()] == ["hello"]


def test_a_newer_database_is_left_alone_and_the_run_still_answers(cli):
    _newer()
    before = paths.sessions_db().read_bytes()
    code, out, err = cli("run", "hello", "--sim")
    assert (code, out) == (0, answer_for("hello"))
    assert "warning: this run is not recorded" in err and "newer claude-tui (schema v99" in err
    assert paths.sessions_db().read_bytes() == before and not list(paths.data_dir().glob("*.corrupt-*"))


def test_a_directory_in_place_of_the_database_is_left_alone(cli):
    paths.sessions_db().mkdir(parents=True)
    (paths.sessions_db() / "keep.txt").write_text("mine")
    code, out, err = cli("run", "hello", "--sim")
    assert (code, out) == (0, answer_for("hello"))
    assert "warning: this run is not recorded" in err and "is a directory" in err
    assert (paths.sessions_db() / "keep.txt").read_text() == "mine"
