"""Policy lab speed: 10,000 requests x 3 policies on the ``crowded`` server model.

    .venv/bin/python benchmarks/bench_lab.py [--quick]

The lab runs in virtual time: what it simulates (minutes of backoff per request, answers at
the model's speed) costs only the events it takes. Measured: the wall time of one
``run_lab`` call (the best of 3, in-process, imports done), beside the virtual time it
covered (the longest of the three policies' runs); the speed-up is their ratio. Requests
arrive at 6 a second (a Poisson process), about what 20 slots of 3.5 s answers serve, so
the server is busy without a burst's give-ups ending the run early.
"""

from __future__ import annotations

import sys
import time

from _measure import load_note, parse_args, throwaway_home
from _table import Row, print_table

POLICIES = ["no-jitter", "full-jitter", "claude-tui"]
TARGET_S = 5.0


def measure(requests: int, repeats: int) -> tuple[float, float]:
    """(best wall seconds, virtual seconds) of the comparison."""
    from tui_app.lab import load_faults, load_policies, run_lab

    faults, policies = load_faults("crowded"), load_policies(POLICIES)
    best, virtual = float("inf"), 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        result = run_lab(faults, policies, requests=requests, arrival=6.0, seed=1)
        best = min(best, time.perf_counter() - started)
        virtual = result.virtual_seconds
    return best, virtual


def main() -> int:
    args = parse_args(__doc__)
    requests, repeats = (1_000, 1) if args.quick else (10_000, 3)
    with throwaway_home():
        wall, virtual = measure(requests, repeats)
    rows = [
        Row(
            f"lab: {requests:,} requests x {len(POLICIES)} policies on crowded, wall time (best of {repeats})",
            wall,
            None,
            "s",
            f"< {TARGET_S:g} s",
            wall < TARGET_S,
        ),
        Row(
            f"virtual time simulated per policy ({virtual:,.0f} s) / wall time: speed-up",
            virtual / wall,
            None,
            "×",
            "–",
            True,
        ),
    ]
    ok = print_table(f"Policy lab ({load_note()})", rows)
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
