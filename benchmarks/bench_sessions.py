"""Session store: `sessions list`/`--search` over 100,000 sessions, and what recording costs.

    .venv/bin/python benchmarks/bench_sessions.py [--quick] [--sessions 100000] [--repeat 7]
        [--process-repeat 21] [--pairs 40]

Query times are in-process (``SessionStore.list_sessions``). Processes: what listing costs
on top of claude-tui's start-up (``sessions list`` minus ``sessions --help``) against what
the same listing costs a minimal hand-written sqlite3 script on top of the interpreter's
(``MINIMAL_LIST`` minus ``python -c pass``); interleaved, the fastest of 21 each (as for start-up: a process run here varies by
half its time from one run to the next, and 7 runs once printed 1.35x for a 1.12x
difference). Recording: a ~20,000-delta answer from the simulator (a process of its own)
run headless with and without recording, 40 back-to-back pairs in alternating order, the
ratio counterbalanced for which side ran second (``_measure.paired_ratio``); the target's
baseline adds to the unrecorded run a minimal hand-written recording of the same session
(see ``recording_rows``: durability has a fixed price no recorder avoids). Everything runs in a temporary data directory;
the real history is never touched.
"""

from __future__ import annotations

import contextlib
import io
import random
import statistics
import sys
import time

from _measure import (
    claude_tui,
    environ,
    interleaved_best,
    interleaved_medians,
    load_note,
    paired_ratio,
    parse_args,
    run_seconds,
    simulator_process,
    throwaway_home,
)
from _table import Row, print_table

WORDS = (
    "retry backoff jitter deadline stream socket timeout overload pelican python rust sqlite "
    "terminal answer prompt latency token model cache header budget policy event replay"
).split()


def build_history(n: int, rng: random.Random) -> None:
    """n finished sessions of ~12 events each, written in bulk (not through the recorder);
    one in 20 failed with ``overloaded`` on the simulator (for the filters), the rest ok on the API."""
    from tui_app.retry.events import AttemptStart, FirstToken, ResponseStart, RunStart, Success, TextDelta
    from tui_app.store.rows import encode
    from tui_app.store.sessions import SessionStore

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    with SessionStore.open() as store:
        for start in range(0, n, 5000):
            sessions, events = [], []
            for sid in range(start + 1, min(n, start + 5000) + 1):
                answer = text(80)
                failed = sid % 20 == 0
                sessions.append(
                    (sid, "2025-01-01T00:00:00.000Z", f"{text(15)} #{sid}", "test-model-a", answer)
                    + (
                        ("failed", "simulator", "overloaded", "overloaded_error")
                        if failed
                        else ("ok", "api", None, None)
                    )
                )
                run = [
                    RunStart(t=0.0, model="m"),
                    AttemptStart(t=0.0, attempt=1, model="m"),
                    ResponseStart(t=0.2, attempt=1, request_id="req"),
                    FirstToken(t=0.3, attempt=1, ttft=0.3),
                ]
                run += [TextDelta(t=0.3 + i / 100, attempt=1, text=answer[i * 60 : (i + 1) * 60]) for i in range(8)]
                run.append(Success(t=0.5, attempt=1, text=answer, elapsed=0.5))
                events += [(sid, seq, e.t, e.type, encode(e)) for seq, e in enumerate(run, 1)]
            with store.transaction() as conn:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
                if "backend" not in columns:  # an older schema (a baseline measured beside this)
                    sessions = [row[:6] for row in sessions]
                    conn.executemany(
                        "INSERT INTO sessions (id, created_at, prompt, model, response, status, attempts, elapsed,"
                        " pid) VALUES (?, ?, ?, ?, ?, ?, 1, 0.5, 1)",
                        sessions,
                    )
                else:
                    conn.executemany(
                        "INSERT INTO sessions (id, created_at, prompt, model, response, status, backend,"
                        " failure_kind, error_type, attempts, elapsed, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0.5, 1)",
                        sessions,
                    )
                conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", events)


MINIMAL_LIST = """
import os, sqlite3
folder = os.environ.get("CLAUDE_TUI_DATA_DIR")  # as claude-tui: platformdirs only without it
if not folder:
    import platformdirs
    folder = platformdirs.user_data_dir("claude-tui", appauthor=False)
db = os.path.join(folder, "sessions.db")
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
query = "SELECT id, created_at, status, attempts, elapsed, model, prompt FROM sessions ORDER BY id DESC LIMIT 50"
for row in conn.execute(query):
    print(*row)
"""
"""The least a hand-written script pays to list the same 50 sessions: the interpreter,
finding the database as claude-tui does, sqlite3, the query, the lines."""


def process_rows(repeat: int) -> list[Row]:
    """What listing adds to a process, against the same work done by a minimal script.

    Each side's own cost is its process minus its floor: ``sessions list`` minus
    ``sessions --help`` (claude-tui's start-up: the interpreter, the CLI, the command's
    parser; measured by the start-up rows), and ``MINIMAL_LIST`` minus ``python -c pass``.
    Whole processes are printed beside them for reference.
    """
    ours = claude_tui()
    ms = {
        name: t * 1000
        for name, t in interleaved_best(
            {
                "floor": lambda: run_seconds([*ours, "sessions", "--help"]),
                "list": lambda: run_seconds([*ours, "sessions", "list"]),
                "search": lambda: run_seconds([*ours, "sessions", "list", "--search", "pelican"]),
                "python": lambda: run_seconds([sys.executable, "-c", "pass"]),
                "minimal": lambda: run_seconds([sys.executable, "-c", MINIMAL_LIST]),
            },
            repeat,
        ).items()
    }
    listing, minimal = ms["list"] - ms["floor"], ms["minimal"] - ms["python"]
    return [
        Row(
            "listing 50 sessions, its own cost: `sessions list` − `sessions --help` vs a minimal"
            " sqlite3 script − `python -c pass`",
            listing,
            minimal,
            "ms",
            "≤ 1.30×",
            listing <= 1.3 * minimal,
        ),
        Row("`claude-tui sessions list` process vs the minimal script", ms["list"], ms["minimal"], "ms", "–", True),
        Row(
            "`claude-tui sessions list --search pelican` process vs `sessions --help`",
            ms["search"],
            ms["floor"],
            "ms",
            "–",
            True,
        ),
    ]


def query_rows(repeat: int, n: int) -> list[Row]:
    from tui_app.store.filters import SessionFilter
    from tui_app.store.sessions import SessionStore

    failed_on_sim = SessionFilter(status="failed", error="overloaded", backend="sim")

    with SessionStore.open() as store:
        ms = {
            name: t * 1000
            for name, t in interleaved_medians(
                {
                    "list": lambda: _seconds(lambda: store.list_sessions(limit=50)),
                    "common": lambda: _seconds(lambda: store.list_sessions(search="pelican", limit=50)),
                    "rare": lambda: _seconds(lambda: store.list_sessions(search=f"#{n // 2}", limit=50)),
                    "filtered": lambda: _seconds(lambda: store.list_sessions(limit=50, filters=failed_on_sim)),
                    "filtered search": lambda: _seconds(
                        lambda: store.list_sessions(search="pelican", limit=50, filters=failed_on_sim)
                    ),
                },
                repeat,
            ).items()
        }
    return [
        Row(f"list 50 newest of {n:,} sessions (query time)", ms["list"], None, "ms", "< 50 ms", ms["list"] < 50),
        Row(
            "full-text search, a word in half the sessions (query time)",
            ms["common"],
            None,
            "ms",
            "< 50 ms",
            ms["common"] < 50,
        ),
        Row("full-text search, a word in one session (query time)", ms["rare"], None, "ms", "< 50 ms", ms["rare"] < 50),
        Row(
            "list 50 newest --status failed --error overloaded --backend sim (1 in 20; query time)",
            ms["filtered"],
            None,
            "ms",
            "< 50 ms",
            ms["filtered"] < 50,
        ),
        Row(
            "the same filters with --search pelican (query time)",
            ms["filtered search"],
            None,
            "ms",
            "< 50 ms",
            ms["filtered search"] < 50,
        ),
    ]


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def recording_rows(pairs: int, answer_chars: int, n: int, history_bytes: int) -> list[Row]:
    """An answer of ``answer_chars`` (~1 delta per 6 chars) headless, with and without recording.

    The simulator runs in a process of its own (``simulator_process``) reached through
    ``ANTHROPIC_BASE_URL``, as the real API would be: in-process it would share the
    interpreter lock with the run being measured, and the noise would hide a few per cent.

    The target row's baseline is the run without recording *plus* what the least a
    hand-written recorder of the same session costs (``minimal_recording``): a session that
    is durable on disk has a fixed price (a write transaction to start it, one to end it,
    its answer indexed for search, and the WAL checkpoint's two fsyncs when the database is
    closed) that no recorder avoids, and against the bare run that price alone read 1.05x on
    one machine and 1.07x on a faster one (it does not shrink with the CPU). What is left is
    the recorder's own cost. The plain with/without ratio is printed too.
    """
    from tui_app import paths
    from tui_app.headless import HeadlessOptions, run_headless
    from tui_app.settings import RunSettings
    from tui_app.store.sessions import SessionStore

    settings = RunSettings(max_tokens=64_000)  # the simulator refuses more than its models' 64,000

    def run(record: bool) -> float:
        options = HeadlessOptions(prompt="bench", settings=settings, record=record, quiet=True)
        start = time.perf_counter()
        assert run_headless(options, stdout=io.StringIO(), stderr=io.StringIO()) == 0
        return time.perf_counter() - start

    unrecorded: list[float] = []

    def baseline(texts: list[str]) -> float:
        unrecorded.append(run(False))
        return unrecorded[-1] + _seconds(lambda: minimal_recording(str(paths.sessions_db()), texts))

    with (
        simulator_process({"name": "big", "answer_chars": answer_chars}) as url,
        environ(ANTHROPIC_BASE_URL=url, ANTHROPIC_API_KEY="sim-key"),
    ):
        before = _used_bytes()
        run(True)  # also warms up imports
        size = _used_bytes() - before
        with SessionStore.open() as store:
            [last] = store.list_sessions(limit=1)
            texts = [e.text for e in store.get_session(last.id).events if e.type == "text"]  # type: ignore[attr-defined]
        with contextlib.redirect_stderr(io.StringIO()):
            on, base, ratio = paired_ratio(lambda: run(True), lambda: baseline(texts), pairs)
    off = statistics.median(unrecorded)
    deltas = len(texts)
    return [
        Row(
            f"a {deltas:,}-delta run with recording vs without plus a minimal hand-written recording of it"
            f" (headless; simulator in its own process; {pairs} pairs, counterbalanced)",
            on * 1000,
            base * 1000,
            "ms",
            "≤ 1.05×",
            ratio <= 1.05,
            paired=ratio,
        ),
        Row(
            "the same run with recording vs without (medians; the fixed price included)",
            on * 1000,
            off * 1000,
            "ms",
            "–",
            True,
        ),
        Row(
            f"database size per session: {n:,} bulk-built sessions (~12 events each)",
            history_bytes / n / 1000,
            None,
            "kB",
            "–",
            True,
        ),
        Row(f"database size of the recorded {deltas:,}-delta session", size / 1000, None, "kB", "–", True),
    ]


def minimal_recording(db: str, texts: list[str]) -> None:
    """The least a recorder that keeps the same session durable and searchable writes, by
    hand with ``sqlite3``: its row when the run starts (one transaction), then at the end
    the deltas as one JSON list (their times left out) and the outcome with the answer, whose
    full-text entry the schema's trigger writes (one transaction), and the close."""
    import json
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        sid = conn.execute(
            "INSERT INTO sessions (created_at, prompt, model, status) VALUES ('2026-01-01T00:00:00Z', 'bench', 'm', 'running')"
        ).lastrowid
        conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO events (session_id, seq, t, type, data) VALUES (?, 1, 0, 'text', ?)", (sid, json.dumps(texts))
        )
        conn.execute("UPDATE sessions SET status = 'ok', response = ? WHERE id = ?", ("".join(texts), sid))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _used_bytes() -> int:
    from tui_app.store.sessions import SessionStore

    with SessionStore.open() as store:
        conn = store._conn
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0] - conn.execute("PRAGMA freelist_count").fetchone()[0]
        return pages * conn.execute("PRAGMA page_size").fetchone()[0]


def main() -> int:
    args = parse_args(
        __doc__,
        extra=[
            ("--sessions", {"type": int, "default": 100_000, "help": "sessions in the history"}),
            ("--repeat", {"type": int, "default": 7, "help": "runs of each query"}),
            ("--process-repeat", {"type": int, "default": 21, "help": "runs of each process"}),
            ("--pairs", {"type": int, "default": 40, "help": "pairs of runs with and without recording"}),
        ],
    )
    n, repeat, processes, pairs, chars = (
        (2000, 1, 1, 1, 6000) if args.quick else (args.sessions, args.repeat, args.process_repeat, args.pairs, 120_000)
    )
    with throwaway_home():
        build_history(n, random.Random(0))
        history_bytes = _used_bytes()
        rows = query_rows(repeat, n) + process_rows(processes) + recording_rows(pairs, chars, n, history_bytes)
    ok = print_table(
        f"Session store (queries: median of {repeat}; processes: fastest of {processes}, interleaved;"
        f" recording: paired runs; {load_note()})",
        rows,
    )
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
