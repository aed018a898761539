"""Memory: one TUI process streams 20 answers of 50,000 characters; does it keep growing?

    .venv/bin/python benchmarks/bench_memory.py [--quick]

The real app (``ClaudeTUI`` in ``App.run_test``, 120x40) on the built-in simulator, with
session recording on, exactly as a user would run it: type a prompt, ctrl+j, wait for the
answer to finish, again. Resident memory (``VmRSS``) is read after the 1st and after the
last answer; the 1st answer is the baseline (it pays for the imports, the SDK client and
the first render caches). Target: the last within 100 MB of the 1st.
"""

from __future__ import annotations

import asyncio
import sys
import time

from _measure import load_note, parse_args, rss_mb, throwaway_home
from _table import Row, print_table


async def stream_answers(answers: int, chars: int) -> list[float]:
    """RSS (MB) after each answer, streamed through the real app."""
    from tui_app.run.backend import Backend, BackendChoice
    from tui_app.simulator import Simulator
    from tui_app.ui.app import ClaudeTUI

    rss: list[float] = []
    with Simulator({"name": "memory", "answer_chars": chars}) as sim:
        app = ClaudeTUI(backend=Backend(BackendChoice("simulator"), simulator=sim))
        async with app.run_test(size=(120, 40)) as pilot:
            await app.backend.ready()
            screen = app.main_screen
            for n in range(answers):
                screen.query_one("#prompt").text = f"answer number {n}: tell me about retries"  # type: ignore[attr-defined]
                await pilot.press("ctrl+j")
                await wait_done(pilot, screen, timeout=300)
                rss.append(rss_mb())
    return rss


async def wait_done(pilot, screen, timeout: float) -> None:
    start = time.monotonic()
    await pilot.pause()
    while screen.is_busy or screen.run_state.state != "done":
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"the answer did not finish in {timeout} s (state {screen.run_state.state})")
        await pilot.pause(0.05)


def main() -> int:
    args = parse_args(__doc__)
    answers, chars = (3, 2000) if args.quick else (20, 50_000)
    with throwaway_home():
        rss = asyncio.run(stream_answers(answers, chars))
    first, last = rss[0], rss[-1]
    rows = [
        Row(
            f"RSS after answer {answers} vs after answer 1 ({chars:,} chars each)",
            last,
            first,
            "MB",
            "≤ +100 MB",
            last - first <= 100,
        ),
        Row(
            f"growth per answer after the 1st (answers 2–{answers})",
            (last - first) / max(1, answers - 1),
            None,
            "MB",
            "–",
            True,
        ),
    ]
    ok = print_table(f"Memory ({load_note()})", rows)
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
