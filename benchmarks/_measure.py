"""Measuring helpers every benchmark shares: processes, percentiles, memory, a throw-away home.

Importing this module puts the repository root first on ``sys.path``, so a script run as
``python benchmarks/bench_x.py`` measures this checkout even without an install.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def parse_args(doc: str, *, extra: Sequence[tuple[str, dict]] = ()) -> argparse.Namespace:
    """``--quick`` (tiny sizes: checks the script runs and prints its table, not timings)."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes; always exits 0")
    for flag, options in extra:
        parser.add_argument(flag, **options)
    return parser.parse_args()


def claude_tui() -> list[str]:
    """The installed ``claude-tui`` console script (what users run), else ``python -m tui_app``.

    The package's bytecode is compiled first, as an installed package has it: with
    ``PYTHONDONTWRITEBYTECODE`` set (as in some shells and CI), every timed run would
    otherwise compile each module edited since its ``.pyc`` was written.
    """
    compileall.compile_dir(REPO / "tui_app", quiet=1)
    script = Path(sys.executable).parent / "claude-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui_app"]


@contextlib.contextmanager
def environ(**values: str | None) -> Iterator[None]:
    """Environment variables set (``None``: unset) for the duration, then restored."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        _put_environ(values)
        yield
    finally:
        _put_environ(saved)


def _put_environ(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def throwaway_home() -> Iterator[Path]:
    """Config and data in a temp dir for the duration: the real history is never touched."""
    with (
        tempfile.TemporaryDirectory(prefix="claude-tui-bench-") as tmp,
        environ(
            CLAUDE_TUI_DATA_DIR=tmp,
            CLAUDE_TUI_CONFIG_DIR=tmp,
            ANTHROPIC_API_KEY=None,
            NO_COLOR=None,
            TEXTUAL_THEME=None,
        ),
    ):
        yield Path(tmp)


@contextlib.contextmanager
def simulator_process(scenario: dict) -> Iterator[str]:
    """``claude-tui simulate`` playing ``scenario`` in a process of its own; yields its base URL.

    In-process (``tui_app.simulator.Simulator`` runs in a thread) the server would share
    the measured code's interpreter lock: which thread runs when then decides the time as
    much as the code does (the same stream took 1.8 s or 3.4 s, run to run).
    """
    import json
    import re

    with tempfile.TemporaryDirectory(prefix="claude-tui-bench-sim-") as tmp:
        path = Path(tmp) / "scenario.json"
        path.write_text(json.dumps(scenario))
        proc = subprocess.Popen(
            [*claude_tui(), "simulate", "--port", "0", "--scenario", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            found = re.search(r"listening on (http://\S+)", line)
            if not found:
                raise RuntimeError(f"the simulator did not start: {line!r}")
            # Its per-request log lines must not fill the pipe and block it: drain them.
            drain = threading.Thread(target=proc.stdout.read, daemon=True)
            drain.start()
            yield found.group(1)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def run_seconds(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one process run to completion (it must exit 0)."""
    start = time.perf_counter()
    result = subprocess.run(list(argv), env=env, capture_output=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return elapsed


def interleaved_samples(measures: dict[str, object], repeat: int) -> dict[str, list[float]]:
    """``repeat`` calls of each zero-argument measure, taken in turn, so that machine
    noise (other jobs on a shared box) hits every side alike."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            samples[name].append(measure())  # type: ignore[operator]
    return samples


def interleaved_medians(measures: dict[str, object], repeat: int) -> dict[str, float]:
    """Median of ``repeat`` interleaved calls of each measure (for latencies: the typical one)."""
    return {name: statistics.median(values) for name, values in interleaved_samples(measures, repeat).items()}


def interleaved_best(measures: dict[str, object], repeat: int) -> dict[str, float]:
    """Fastest of ``repeat`` interleaved calls of each measure: for the time a fixed piece
    of work takes (a process run, a whole stream).

    Noise only ever adds time, and on this shared 2-core machine it comes in bursts (the
    same ratio measured 1.02x and 1.22x by medians of five, minutes apart): the fastest
    run is the closest to what the work itself costs, on both sides alike, as ``timeit``
    advises.
    """
    return {name: min(values) for name, values in interleaved_samples(measures, repeat).items()}


def paired_ratio(ours: object, baseline: object, pairs: int) -> tuple[float, float, float]:
    """(ours, baseline, ratio) for a small difference between two runs of a fixed piece of work:
    each side's median, and the median of counterbalanced pair ratios.

    For a difference of a few per cent the fastest-of rule is not enough here: this machine
    runs the same work 1.7x slower for seconds at a time, so the two sides' fastest runs
    can come from different phases (the same 5 % measured 0.91x and 1.20x). A pair runs
    within a second, inside one phase, and the order alternates. Two pairs of opposite
    orders are then combined (geometric mean of their ratios) before the median: a run
    that goes second can be systematically slower or faster (what the first left behind:
    dirty pages being written back, warm caches), and with more pairs of one order than
    of the other a plain median of the ratios lands on that order's side — it printed
    1.06x while the two sides' medians were 0.97x apart.
    """
    pairs = max(2, pairs + pairs % 2)  # whole ABBA blocks
    ratios, ours_s, base_s = [], [], []
    for i in range(pairs):
        if i % 2:
            a = ours()  # type: ignore[operator]
            b = baseline()  # type: ignore[operator]
        else:
            b = baseline()  # type: ignore[operator]
            a = ours()  # type: ignore[operator]
        ours_s.append(a)
        base_s.append(b)
        ratios.append(a / b)
    blocks = [(ratios[i] * ratios[i + 1]) ** 0.5 for i in range(0, pairs, 2)]
    return statistics.median(ours_s), statistics.median(base_s), statistics.median(blocks)


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100), nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def rss_mb() -> float:
    """This process's resident set size in MB (Linux ``/proc``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def load_note() -> str:
    """'load 1.23 on 2 cores': said beside the tables, since absolute times depend on it."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
