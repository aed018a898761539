"""How the session store scales: `sessions list/search/show` over 100k sessions, and what
recording costs a 20,000-delta run.

    .venv/bin/python benchmarks/bench_sessions.py [--sessions 100000] [--repeat 5]

Process timings are printed beside `claude-tui --version` (the floor: interpreter start +
argument parsing), as ratios, because absolute times depend on the machine. Everything
runs in a temporary data directory; the real history is never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = (
    "retry backoff jitter deadline stream socket timeout overload pelican python rust sqlite "
    "terminal answer prompt latency token model cache header budget policy event replay"
).split()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build_history(n: int, rng: random.Random) -> None:
    """n finished sessions of ~12 events each, written in bulk (not through the recorder)."""
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
                sessions.append((sid, "2025-01-01T00:00:00.000Z", f"{text(15)} #{sid}", "claude-sonnet-4-5", answer))
                run = [RunStart(t=0.0, model="m"), AttemptStart(t=0.0, attempt=1, model="m"),
                       ResponseStart(t=0.2, attempt=1, request_id="req"), FirstToken(t=0.3, attempt=1, ttft=0.3)]
                run += [TextDelta(t=0.3 + i / 100, attempt=1, text=answer[i * 60 : (i + 1) * 60]) for i in range(8)]
                run.append(Success(t=0.5, attempt=1, text=answer, elapsed=0.5))
                events += [(sid, seq, e.t, e.type, encode(e)) for seq, e in enumerate(run, 1)]
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO sessions (id, created_at, prompt, model, response, status, attempts, elapsed, pid)"
                    " VALUES (?, ?, ?, ?, ?, 'ok', 1, 0.5, 1)", sessions,
                )
                conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", events)


def bench_processes(repeat: int, n: int) -> None:
    def cli(*args: str):
        return lambda: subprocess.run([sys.executable, "-m", "tui_app", *args], check=True, stdout=subprocess.DEVNULL, cwd=REPO)

    floor = median_ms(cli("--version"), repeat)
    print(f"\nprocess timings over {n:,} sessions (median of {repeat}):")
    print(f"  {'claude-tui --version':44} {floor:7.0f} ms   1.00x")
    for args in (
        ("sessions", "list"),
        ("sessions", "list", "--json", "--limit", "200"),
        ("sessions", "list", "--search", "pelican"),  # a common word: matches ~half the sessions
        ("sessions", "list", "--search", f"#{n // 2}"),  # a rare one
        ("sessions", "show", str(n // 2), "--json"),
        ("sessions", "export", str(n // 2), "--format", "md"),
    ):
        ms = median_ms(cli(*args), repeat)
        print(f"  {'claude-tui ' + ' '.join(args):44} {ms:7.0f} ms   {ms / floor:.2f}x")


def bench_in_process(repeat: int) -> None:
    from tui_app.store.sessions import SessionStore

    with SessionStore.open() as store:
        print("\nin-process (median):")
        for label, fn in (
            ("list_sessions(limit=50)", lambda: store.list_sessions()),
            ("list_sessions(search='pelican')", lambda: store.list_sessions(search="pelican")),
            ("list_sessions(search='pel', limit=None)", lambda: store.list_sessions(search="pel", limit=None)),
            ("get_session(1)", lambda: store.get_session(1)),
        ):
            print(f"  {label:44} {median_ms(fn, repeat):7.1f} ms")


def bench_recording(repeat: int) -> None:
    """A 20,000-delta answer from the simulator, headless, with and without recording."""
    from tui_app.headless import HeadlessOptions, run_headless
    from tui_app.settings import RunSettings
    from tui_app.store.sessions import SessionStore

    scenario = Path(os.environ["CLAUDE_TUI_DATA_DIR"]) / "big.toml"
    scenario.write_text("answer_chars = 120000\n")  # ~20,000 deltas of 1-10 chars
    settings = RunSettings(max_tokens=200_000)

    def run(record: bool) -> None:
        options = HeadlessOptions(prompt="bench", settings=settings, record=record, sim_scenario=str(scenario), quiet=True)
        assert run_headless(options, stdout=io.StringIO(), stderr=io.StringIO()) == 0

    def used_bytes() -> int:
        with SessionStore.open() as store:
            conn = store._conn
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.execute("PRAGMA page_count").fetchone()[0] - conn.execute("PRAGMA freelist_count").fetchone()[0]
            return pages * conn.execute("PRAGMA page_size").fetchone()[0]

    before = used_bytes()
    run(True)  # also warms up imports and the simulator
    size = used_bytes() - before
    with_rec, without = [], []
    for _ in range(repeat):  # interleaved, so machine noise hits both alike
        without.append(median_ms(lambda: run(False), 1))
        with_rec.append(median_ms(lambda: run(True), 1))
    a, b = statistics.median(without), statistics.median(with_rec)
    with SessionStore.open() as store:
        [last] = store.list_sessions(limit=1)
        deltas = sum(1 for e in store.get_session(last.id).events if e.type == "text")
    print(f"\nrecording a {deltas:,}-delta run (simulator, in-process, median of {repeat}):")
    print(f"  without recording {a:7.0f} ms\n  with recording    {b:7.0f} ms   {100 * (b - a) / a:+.1f}%")
    print(f"  stored: {size / 1e6:.2f} MB for the session (~{size / deltas:.0f} bytes a delta)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-recording", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp:
        os.environ["CLAUDE_TUI_DATA_DIR"] = tmp
        os.environ["CLAUDE_TUI_CONFIG_DIR"] = tmp
        start = time.perf_counter()
        build_history(args.sessions, random.Random(0))
        size = Path(tmp, "sessions.db").stat().st_size
        print(f"built {args.sessions:,} sessions in {time.perf_counter() - start:.1f} s ({size / 1e6:.0f} MB)")
        bench_processes(args.repeat, args.sessions)
        bench_in_process(args.repeat)
        if not args.skip_recording:
            with contextlib.redirect_stderr(io.StringIO()):
                bench_recording(args.repeat)


if __name__ == "__main__":
    main()
