"""Every benchmark script runs in ``--quick`` mode and prints its table.

These keep the scripts from rotting; they never judge a timing (quick mode exits 0
whatever the numbers, and the sizes are too small to mean anything).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))
TABLE_HEADER = "| what | this project | baseline | ratio | target | result |"


def test_every_script_is_found():
    assert {p.name for p in SCRIPTS} >= {
        "bench_core.py",
        "bench_memory.py",
        "bench_sessions.py",
        "bench_startup.py",
        "bench_streaming.py",
        "bench_timing.py",
    }


@pytest.mark.timeout(600)
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_quick_mode_runs_and_prints_the_table(script):
    result = subprocess.run(
        [sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=600, cwd=BENCHMARKS.parent
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert TABLE_HEADER in out, out[-2000:]
    rows = [line for line in out.splitlines() if line.startswith("| ") and line.rstrip().endswith(("pass |", "FAIL |"))]
    assert rows, out[-2000:]


def test_the_report_starts_by_describing_the_machine():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run_all
    finally:
        sys.path.remove(str(BENCHMARKS))
    line = run_all.describe_machine()
    assert line.startswith("Machine: ") and "cores" in line and "textual " in line and "anthropic " in line
