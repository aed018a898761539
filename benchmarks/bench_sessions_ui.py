"""Sessions screen: does browsing a big history ever stall the UI?

    .venv/bin/python benchmarks/bench_sessions_ui.py [--quick] [--sessions 100000] [--baseline REF]

The real app (``ClaudeTUI`` in ``App.run_test``, 120x40, simulator backend) over a
history of 100,000 sessions built in a throw-away data directory (``bench_sessions``' bulk
fill), one of them a 120,000-character answer recorded as 20,000 deltas (second newest, so
the first cursor move lands on it). Measured with a probe (an asyncio task asking for a
5 ms sleep and recording how late it wakes: the longest time the event loop could not
answer a key press), max and p99, while:

- opening the screen (ctrl+g, until the list and the first preview are shown);
- moving onto the big session (down, until its preview is painted), also: how long until
  then, and how many times its answer was rendered;
- scrolling the list (40 x down, one every 30 ms: a held-down key);
- typing a search (ctrl+f, then "pelican" at one key every 80 ms, until the list shows its
  results), also: how long after the last key the results are shown.

Baseline: the screen before it drew its list with ``SessionList`` (commit ``BASELINE_REF``:
a ``DataTable`` of 200 rows refilled on each search, every preview painted while the cursor
runs), checked out with ``git archive`` and measured in the same run: each pass runs both
versions, one process each, in alternating order, over the same history. (Issue 12 measured,
before anything moved off the loop: opening 149 ms, moving onto the big session 288 ms and its
preview after 636 ms, rendered twice; the first search letter 38 ms.) Target: no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _measure import REPO, load_note, parse_args, percentile, throwaway_home
from _stream import markdown_answer
from _table import Row, print_table
from bench_sessions import build_history

BIG_CHARS = 120_000
BIG_DELTAS = 20_000
STALL_MS = 50.0
BASELINE_REF = "aee42a5"
"""The last commit whose sessions screen listed its sessions in a ``DataTable``."""
MEASURES = ("max", "p99", "elapsed_ms", "after_ms", "renders")


def add_big_session(session_id: int) -> None:
    """A 20,000-delta session of ``BIG_CHARS`` of Markdown, stored as the recorder stores
    one (coalesced runs of 50 deltas)."""
    from tui_app.retry.events import AttemptStart, FirstToken, ResponseStart, RunStart, Success
    from tui_app.store.rows import encode, encode_texts
    from tui_app.store.sessions import SessionStore

    answer = markdown_answer(BIG_CHARS, seed=7)[:BIG_CHARS]
    step = len(answer) // BIG_DELTAS
    deltas = [answer[i * step : (i + 1) * step] for i in range(BIG_DELTAS - 1)]
    deltas.append(answer[(BIG_DELTAS - 1) * step :])
    head = [
        RunStart(t=0.0, model="m"),
        AttemptStart(t=0.0, attempt=1, model="m"),
        ResponseStart(t=0.2, attempt=1, request_id="req"),
        FirstToken(t=0.3, attempt=1, ttft=0.3),
    ]
    rows = [(e.t, e.type, encode(e)) for e in head]
    for start in range(0, BIG_DELTAS, 50):
        texts = deltas[start : start + 50]
        rows.append(
            (0.3 + start / 1000, "text", encode_texts(1, texts, [0.3 + (start + i) / 1000 for i in range(len(texts))]))
        )
    done = Success(t=20.3, attempt=1, text=answer, elapsed=20.3, output_tokens=30_000, input_tokens=20)
    rows.append((done.t, done.type, encode(done)))
    with SessionStore.open() as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO sessions (id, created_at, prompt, model, response, status, attempts, elapsed, pid)"
            " VALUES (?, '2025-01-02T00:00:00.000Z', 'write me a very long essay', 'claude-sonnet-4-5', ?, 'ok', 1,"
            " 20.3, 1)",
            (session_id, answer),
        )
        conn.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
            [(session_id, seq, t, kind, data) for seq, (t, kind, data) in enumerate(rows, 1)],
        )


def add_newest(session_id: int) -> None:
    """A short session above the big one (where the cursor starts)."""
    from tui_app.store.sessions import SessionStore

    with SessionStore.open() as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO sessions (id, created_at, prompt, model, response, status, attempts, elapsed, pid)"
            " VALUES (?, '2025-01-03T00:00:00.000Z', 'say hi', 'claude-sonnet-4-5', 'Hi!', 'ok', 1, 0.4, 1)",
            (session_id,),
        )


class Probe:
    """How late a 5 ms sleep wakes up, sample after sample (ms)."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + 0.005
            await asyncio.sleep(0.005)
            self.lags.append(max(0.0, time.perf_counter() - due) * 1000)

    async def stop(self) -> list[float]:
        await asyncio.sleep(0.05)  # a stall right at the end is still counted
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.lags


@dataclass
class Phase:
    lags: list[float]
    elapsed_ms: float
    """From the first key until the screen showed the result."""
    after_ms: float
    """From the last key (its handling included) until then."""
    renders: int = 0

    @property
    def max(self) -> float:
        return max(self.lags, default=0.0)

    @property
    def p99(self) -> float:
        return percentile(self.lags, 99)


def press(app, key: str) -> None:
    """Send a key as the terminal would: at once, whatever the app is doing (``pilot.press``
    waits for the app to look idle after each key, which on a busy machine takes up to a
    second and would pace the keys by the app instead of by the user)."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


async def until(predicate, timeout: float = 60.0) -> None:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"gave up waiting after {timeout} s")
        await asyncio.sleep(0.002)


RENDERS: list[int] = []
"""The widths the big answer's preview was rendered at, since last cleared."""


def count_renders() -> None:
    """Count the preview's renders of a long answer, wherever they happen."""
    from tui_app.ui.screens import sessions
    from tui_app.ui.widgets.response import markdown_lines

    original = markdown_lines.render_markdown

    def counting(widget, source, width, **kwargs):
        if len(source) > 1000 and widget.id == "session-answer":
            RENDERS.append(width)
        return original(widget, source, width, **kwargs)

    markdown_lines.render_markdown = counting  # drawing, on the event loop
    sessions.render_markdown = counting  # in the preview's worker thread


class Session:
    """One pass over the four phases in a fresh app."""

    def __init__(self, big_id: int, search_ids: list[str]) -> None:
        self.big_id, self.search_ids = big_id, search_ids

    def preview_of(self, app, session_id: int) -> bool:
        screen = app.screen
        if screen.id != "sessions" or not screen.query("#session-answer"):
            return False
        text = str(screen.query_one("#session-facts").render())
        return text.startswith(f"#{session_id} ") and screen.query_one("#session-answer")._width is not None

    def listed(self, app) -> list[str]:
        for table in app.screen.query("#session-list"):
            if hasattr(table, "ordered_rows"):  # the screen's ``DataTable`` before ``SessionList``
                return [str(row.key.value) for row in table.ordered_rows]
            return [str(key) for key in table.keys]
        return []

    async def run(self) -> dict[str, Phase]:
        from tui_app.ui.app import ClaudeTUI

        phases: dict[str, Phase] = {}
        app = ClaudeTUI(cursor_blink=False)  # the simulator backend: the key is unset here
        async with app.run_test(size=(120, 40)) as pilot:
            await app.backend.ready()  # the SDK import and the store's opening are not measured
            await pilot.pause()
            newest = str(self.big_id + 1)

            async def phase(name: str, act, done) -> None:
                probe, start = Probe(), time.perf_counter()
                await act()
                acted = time.perf_counter()
                await until(done)
                end = time.perf_counter()
                phases[name] = Phase(await probe.stop(), (end - start) * 1000, (end - acted) * 1000)
                await pilot.pause()

            async def open_screen() -> None:
                press(app, "ctrl+g")

            await phase(
                "open",
                open_screen,
                lambda: (
                    app.screen.id == "sessions"
                    and self.listed(app)[:1] == [newest]
                    and self.preview_of(app, int(newest))
                ),
            )
            RENDERS.clear()

            async def down() -> None:
                press(app, "down")

            await phase("big", down, lambda: self.preview_of(app, self.big_id))
            phases["big"].renders = len(RENDERS)

            async def scroll() -> None:
                for i in range(40):
                    await asyncio.sleep(0.03 if i else 0.0)
                    press(app, "down")

            target = self.listed(app)[41]
            await phase("scroll", scroll, lambda: self.preview_of(app, int(target)))

            async def search() -> None:
                press(app, "ctrl+f")
                for letter in "pelican":
                    await asyncio.sleep(0.08)
                    press(app, letter)

            await phase("search", search, lambda: self.listed(app) == self.search_ids)
            await pilot.press("escape")
        return phases


def checkout(ref: str, into: Path) -> Path | None:
    """This repository at ``ref``, unpacked in ``into`` (None if git cannot produce it)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref], capture_output=True, check=False)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def measure_pass(code: Path, big_id: int, data_dir: Path | None = None) -> dict[str, dict[str, float]]:
    """One pass of the four phases over the app in ``code``, in a process of its own (so
    the two versions never share a module, a cache or a garbage collector); ``data_dir``:
    its own history (a baseline cannot open a database of a newer schema)."""
    env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(data_dir)} if data_dir is not None else None
    out = subprocess.run(
        [sys.executable, __file__, "--code", str(code), "--big-id", str(big_id)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the pass over {code} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.splitlines()[-1])


def build_all(n: int) -> None:
    """The history the passes browse, written by whichever code is on ``sys.path``."""
    build_history(n - 2, random.Random(0))
    add_big_session(n - 1)
    add_newest(n)


def build_with(code: Path, n: int, data_dir: Path) -> None:
    """The same history for the app in ``code``, in ``data_dir``, built by that code (its
    own schema version: an older baseline refuses a database a newer version wrote)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, __file__, "--code", str(code), "--build", str(n)],
        check=True,
        env={**os.environ, "CLAUDE_TUI_DATA_DIR": str(data_dir)},
    )


def one_pass(code: Path, big_id: int) -> int:
    """``--code``: measure the app in ``code`` over the history already built (in the data
    dir this process inherits) and print each phase's measures as one JSON line."""
    sys.path.insert(0, str(code))
    import tui_app
    from tui_app.store.sessions import SessionStore

    assert Path(tui_app.__file__).resolve().is_relative_to(code.resolve()), tui_app.__file__
    with SessionStore.open() as store:
        search_ids = [str(s.id) for s in store.list_sessions(search="pelican", limit=200)]
    count_renders()
    phases = asyncio.run(Session(big_id, search_ids).run())
    print(json.dumps({name: {m: float(getattr(p, m)) for m in MEASURES} for name, p in phases.items()}))
    return 0


def main() -> int:
    args = parse_args(
        __doc__,
        extra=[
            ("--sessions", {"type": int, "default": 100_000, "help": "sessions in the history"}),
            ("--repeat", {"type": int, "default": 3, "help": "passes (fresh app each, both versions)"}),
            (
                "--baseline",
                {"help": f"the git ref measured beside this checkout (default {BASELINE_REF}; none with --quick)"},
            ),
            ("--code", {"type": Path, "help": argparse.SUPPRESS}),
            ("--big-id", {"type": int, "help": argparse.SUPPRESS}),
            ("--build", {"type": int, "help": argparse.SUPPRESS}),
        ],
    )
    if args.code is not None and args.build:
        sys.path.insert(0, str(args.code))
        build_all(args.build)
        return 0
    if args.code is not None:
        return one_pass(args.code, args.big_id)
    n, repeat = (3000, 1) if args.quick else (args.sessions, args.repeat)
    with throwaway_home() as home:
        build_all(n)
        big_id = n - 1
        ref = args.baseline or (None if args.quick else BASELINE_REF)
        baseline = checkout(ref, Path(tempfile.mkdtemp(prefix="baseline-", dir=home))) if ref else None
        baseline_data = Path(home) / "baseline-data"
        if baseline is not None:
            build_with(baseline, n, baseline_data)
        ours: list[dict[str, dict[str, float]]] = []
        theirs: list[dict[str, dict[str, float]]] = []
        for i in range(repeat):  # interleaved, the order alternating: load drifts hit both
            order = [(REPO, ours), (baseline, theirs)] if i % 2 == 0 else [(baseline, theirs), (REPO, ours)]
            for code, results in order:
                if code is not None:
                    results.append(measure_pass(code, big_id, baseline_data if code is baseline else None))
    if ref and baseline is None:
        print(f"(no baseline: git could not check out {ref})")
    ok = print_table(f"Sessions screen, {n:,} sessions (median of {repeat} passes; {load_note()})", rows(ours, theirs))
    return 0 if ok or args.quick else 1


def rows(ours: list[dict[str, dict[str, float]]], theirs: list[dict[str, dict[str, float]]]) -> list[Row]:
    """The table: this checkout's medians beside the baseline's."""

    def med(runs: list[dict[str, dict[str, float]]], phase: str, measure: str) -> float | None:
        return statistics.median(run[phase][measure] for run in runs) if runs else None

    table = []
    for phase, what in (
        ("open", "opening the screen (ctrl+g until list and preview shown)"),
        ("big", f"moving onto a {BIG_CHARS // 1000}k-character, {BIG_DELTAS:,}-delta session"),
        ("scroll", "scrolling the list (40 rows, a key every 30 ms)"),
        ("search", 'typing a search ("pelican", a key every 80 ms)'),
    ):
        worst = med(ours, phase, "max") or 0.0
        table.append(
            Row(f"{what}: longest loop stall", worst, med(theirs, phase, "max"), "ms", "< 50 ms", worst < STALL_MS)
        )
        table.append(
            Row(f"{what}: loop lag p99", med(ours, phase, "p99") or 0.0, med(theirs, phase, "p99"), "ms", "–", True)
        )
    shown = med(ours, "big", "elapsed_ms") or 0.0
    table.append(
        Row("the big session's preview shown after the key", shown, med(theirs, "big", "elapsed_ms"), "ms", "–", True)
    )
    renders = med(ours, "big", "renders") or 0.0
    table.append(
        Row("renders of the big preview's answer", renders, med(theirs, "big", "renders"), "", "1", renders == 1)
    )
    after = med(ours, "search", "after_ms") or 0.0
    table.append(
        Row("search results shown after the last key", after, med(theirs, "search", "after_ms"), "ms", "–", True)
    )
    return table


if __name__ == "__main__":
    sys.exit(main())
