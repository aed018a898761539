"""The recorded backend of a session, the list's filters and what search finds besides prompts."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.samples import overloaded
from tui_app import paths
from tui_app.retry.events import AttemptError, AttemptStart, GiveUp, ResponseStart, RunStart
from tui_app.retry.failures import Failure
from tui_app.store import backends, schema
from tui_app.store.filters import SessionFilter, parse_words
from tui_app.store.sessions import SessionStore

from .conftest import gave_up, overloaded_then_ok

SIM = backends.simulator("overload-storm", 7)
API = backends.api("api.anthropic.com")
TIMEOUT = Failure(kind="read_timeout", retryable=True, message="no byte for 30 s", request_id="req_slow_42")


def timed_out() -> list:
    return [
        RunStart(t=0.0, model="m", max_attempts=1),
        AttemptStart(t=0.0, attempt=1, model="m"),
        ResponseStart(t=0.1, attempt=1, request_id="req_slow_42"),
        AttemptError(t=30.0, attempt=1, failure=TIMEOUT, duration=30.0),
        GiveUp(t=30.0, attempt=1, reason="max_attempts", failure=TIMEOUT, detail="1 of 1", elapsed=30.0),
    ]


@pytest.fixture
def mixed(record) -> dict[str, int]:
    """Four sessions: failed overloaded (sim), recovered from overloaded (api), timed out (sim), old."""
    return {
        "failed_sim": record(gave_up(), prompt="pelican one", backend=SIM),
        "recovered_api": record(overloaded_then_ok(), prompt="pelican two", backend=API),
        "timeout_sim": record(timed_out(), prompt="heron", backend=SIM),
        "unknown": record(overloaded_then_ok(), prompt="pelican three"),
    }


def _ids(store: SessionStore, search: str | None = None, **filters: str) -> list[int]:
    return [s.id for s in store.list_sessions(search, filters=SessionFilter(**filters))]


def test_the_backend_is_recorded_and_read_back(store, mixed):
    by_id = {s.id: s.backend for s in store.list_sessions()}
    assert by_id[mixed["failed_sim"]] == {"kind": "simulator", "scenario": "overload-storm", "seed": 7}
    assert by_id[mixed["recovered_api"]] == {"kind": "api", "host": "api.anthropic.com"}
    assert by_id[mixed["unknown"]] is None
    assert store.get_session(mixed["failed_sim"]).to_dict()["backend"] == SIM
    assert store.get_preview(mixed["recovered_api"]).backend == API


def test_an_unknown_backend_kind_is_refused(store):
    with pytest.raises(ValueError, match="backend kind 'cloud': use one of api, simulator"):
        store.start_session(prompt="p", model="m", backend={"kind": "cloud"})


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "failed"}, ["timeout_sim", "failed_sim"]),
        ({"status": "ok"}, ["unknown", "recovered_api"]),
        ({"error": "overloaded"}, ["unknown", "recovered_api", "failed_sim"]),  # the kind; recovered ones too
        ({"error": "overloaded_error"}, ["unknown", "recovered_api", "failed_sim"]),  # the API's error type
        ({"error": "read_timeout"}, ["timeout_sim"]),
        ({"status": "failed", "error": "overloaded"}, ["failed_sim"]),
        ({"backend": "sim"}, ["timeout_sim", "failed_sim"]),
        ({"backend": "api"}, ["recovered_api"]),
        ({"backend": "unknown"}, ["unknown"]),
        ({"model": "m", "backend": "sim", "status": "failed"}, ["timeout_sim", "failed_sim"]),  # the answering model
        ({"model": "test-model-a"}, ["unknown", "recovered_api"]),
        ({"model": "no-such-model"}, []),
        ({"error": "no_such_error"}, []),
    ],
)
def test_filters(store, mixed, filters, expected):
    assert _ids(store, **filters) == [mixed[name] for name in expected]


def test_filters_combine_with_search_and_pages(store, mixed):
    assert _ids(store, "pelican", error="overloaded") == [mixed["unknown"], mixed["recovered_api"], mixed["failed_sim"]]
    assert _ids(store, "pelican", backend="sim") == [mixed["failed_sim"]]
    # the limit counts matching sessions, not search hits that a filter drops
    assert [s.id for s in store.list_sessions("pelican", 1, filters=SessionFilter(backend="sim"))] == [
        mixed["failed_sim"]
    ]
    older = store.list_sessions("pelican", 5, before=mixed["unknown"], filters=SessionFilter(error="overloaded"))
    assert [s.id for s in older] == [mixed["recovered_api"], mixed["failed_sim"]]


def test_search_finds_failures_and_request_ids(store, mixed):
    assert _ids(store, "req_slow_42") == [mixed["timeout_sim"]]
    assert _ids(store, "no byte") == [mixed["timeout_sim"]]
    assert _ids(store, "req_ok") == [mixed["unknown"], mixed["recovered_api"]]  # a success's request id
    assert _ids(store, "overloaded_error") == [mixed["unknown"], mixed["recovered_api"], mixed["failed_sim"]]


def test_bad_filter_values_name_the_filter(store):
    with pytest.raises(ValueError, match="status 'broken': use one of running, ok, failed"):
        store.list_sessions(filters=SessionFilter(status="broken"))
    with pytest.raises(ValueError, match="backend 'cloud': use api, sim or unknown"):
        SessionFilter(backend="cloud").checked()


def test_filter_words_in_the_search_box():
    text, filters = parse_words("status:failed pelican error:overloaded  backend:sim model:claude-x")
    assert text == "pelican"
    assert filters == SessionFilter("failed", "overloaded", "claude-x", "sim")
    assert parse_words(filters.words() + " heron") == ("heron", filters)
    assert parse_words("status: model:m")[1] == SessionFilter(model="m")  # an empty value clears it
    assert parse_words("notstatus:failed")[0] == "notstatus:failed"  # only whole words
    with pytest.raises(ValueError, match="status 'nope'"):
        parse_words("status:nope")


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"status": "failed"}, "sessions_status"),
        ({"model": "m"}, "sessions_model"),
        ({"backend": "sim"}, "sessions_backend"),
        ({"error": "overloaded_error"}, "sessions_error_type"),
    ],
)
def test_each_filter_walks_an_index_newest_first(store, record, filters, index):
    """No sort and no full scan: the list of 50 newest stays fast on a big history."""
    from tui_app.store.filters import list_query

    record(gave_up(), backend=SIM)
    sql, params = list_query(store._conn, "id", None, 50, None, SessionFilter(**filters))
    plan = " ".join(row[-1] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan
    assert "TEMP B-TREE" not in plan


def _v2_database_with_a_failed_session() -> None:
    paths.ensure_private_dir(paths.data_dir())
    with sqlite3.connect(paths.sessions_db()) as conn:
        for sql in (*schema.V1, *schema.V2):
            conn.execute(sql)
        conn.execute("PRAGMA user_version = 2")
        conn.execute(
            "INSERT INTO sessions (id, created_at, prompt, model, status, attempts, pid, error)"
            " VALUES (3, '2025-01-01T00:00:00Z', 'Old pelican', 'claude-old', 'failed', 1, 1, 'max_attempts: x')"
        )
        failure = overloaded("req_old_9")
        rows = [
            (3, 1, 0.0, "run_start", '{"model": "claude-old"}'),
            (3, 2, 0.1, "attempt_error", AttemptError(t=0.1, attempt=1, failure=failure).to_dict()),
        ]
        for session_id, seq, t, type_, data in rows:
            if isinstance(data, dict):
                del data["type"], data["t"]
                data = json.dumps(data)
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)", (session_id, seq, t, type_, data))
    conn.close()


def test_a_v2_database_opens_with_backends_unknown_and_failures_backfilled():
    _v2_database_with_a_failed_session()
    with SessionStore.open() as store:
        [old] = store.list_sessions()
        assert old.id == 3 and old.backend is None
        assert _ids(store, backend="unknown") == [3]
        assert _ids(store, error="overloaded") == [3] == _ids(store, error="overloaded_error")
        assert _ids(store, "req_old_9") == [3] == _ids(store, "pelican")  # the FTS index was rebuilt
        with store.start_session(prompt="new pelican", model="m", backend=SIM):
            pass
        assert _ids(store, "pelican") == [4, 3]
        store.delete_session(3)
        assert _ids(store, "pelican") == [4]  # the rebuilt index's triggers work


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (None, "api.anthropic.com"),
        ("https://api.anthropic.com", "api.anthropic.com"),
        ("https://user:secret@proxy.example:8443/v1?token=abc", "proxy.example:8443"),
        ("http://[::1]:9000", "[::1]:9000"),
        ("proxy.internal", "proxy.internal"),
    ],
)
def test_the_api_host_never_carries_credentials(url, host):
    assert backends.url_host(url, "api.anthropic.com") == host


def test_cli_lists_the_backend_and_filters(cli, mixed):
    code, out, err = cli("sessions", "list")
    assert code == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split()[6] == "BACKEND"
    assert [row.split()[7] for row in rows] == ["unknown", "sim:overload-storm#7", "api:api.anthropic.com"] + [
        "sim:overload-storm#7"
    ]
    code, out, _ = cli("sessions", "list", "--status", "failed", "--error", "overloaded", "--backend", "sim", "--json")
    [row] = json.loads(out)
    assert (row["id"], row["backend"]) == (mixed["failed_sim"], SIM)
    _, out, _ = cli("sessions", "list", "--search", "pelican", "--model", "test-model-a", "--backend", "api", "--json")
    assert [r["id"] for r in json.loads(out)] == [mixed["recovered_api"]]
    assert cli("sessions", "list", "--error", "read_timeout", "--backend", "api") == (0, "", "no sessions match\n")


def test_cli_show_and_export_carry_the_backend(cli, mixed):
    _, out, _ = cli("sessions", "show", str(mixed["recovered_api"]), "--json")
    assert json.loads(out)["backend"] == {"kind": "api", "host": "api.anthropic.com"}
    _, out, _ = cli("sessions", "show", str(mixed["failed_sim"]))
    assert "| Backend | simulator (scenario overload-storm, seed 7) |" in out
    _, out, _ = cli("sessions", "export", str(mixed["unknown"]))
    assert "| Backend | unknown (recorded before claude-tui stored it) |" in out


def test_cli_refuses_a_bad_filter(cli):
    code, _, err = cli("sessions", "list", "--backend", "cloud")
    assert code == 2 and "--backend: invalid choice: 'cloud'" in err
