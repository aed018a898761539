"""Start-up: `claude-tui --help`/`--version` as processes, and time to the first painted frame.

    .venv/bin/python benchmarks/bench_startup.py [--quick] [--repeat N]

Side by side in one run, interleaved, the fastest of each (``_measure.interleaved_best``):
- ``claude-tui --help`` and ``--version`` beside ``python -c "import textual"`` (they must
  import neither textual nor anthropic) and ``python -c pass`` (the interpreter's floor);
- the main screen's first frame, in a real pseudo-terminal, from spawning the process until
  the prompt editor (its placeholder) is drawn, beside a minimal Textual app showing one
  ``TextArea`` measured the same way.
"""

from __future__ import annotations

import sys

from _measure import claude_tui, interleaved_best, load_note, parse_args, run_seconds, throwaway_home
from _pty import MINIMAL_TEXTAREA_APP, first_paint_seconds
from _table import Row, print_table

PLACEHOLDER = "Type a prompt, then ctrl+j to send"


def process_rows(repeat: int) -> list[Row]:
    ours = claude_tui()
    py = sys.executable
    best = interleaved_best(
        {
            "pass": lambda: run_seconds([py, "-c", "pass"]),
            "textual": lambda: run_seconds([py, "-c", "import textual"]),
            "help": lambda: run_seconds([*ours, "--help"]),
            "version": lambda: run_seconds([*ours, "--version"]),
        },
        repeat,
    )
    ms = {name: seconds * 1000 for name, seconds in best.items()}
    return [
        Row("`python -c pass` (the interpreter's floor, for reference)", ms["pass"], None, "ms", "–", True),
        Row(
            '`claude-tui --help` vs `python -c "import textual"`',
            ms["help"],
            ms["textual"],
            "ms",
            "≤ 1.50×",
            ms["help"] <= 1.5 * ms["textual"],
        ),
        Row(
            '`claude-tui --version` vs `python -c "import textual"`',
            ms["version"],
            ms["textual"],
            "ms",
            "≤ 1.50×",
            ms["version"] <= 1.5 * ms["textual"],
        ),
    ]


def first_paint_rows(repeat: int) -> list[Row]:
    ours = claude_tui()
    best = interleaved_best(
        {
            "minimal": lambda: first_paint_seconds([sys.executable, "-c", MINIMAL_TEXTAREA_APP], PLACEHOLDER),
            "ours": lambda: first_paint_seconds(ours, PLACEHOLDER),
        },
        repeat,
    )
    ours_ms, minimal_ms = best["ours"] * 1000, best["minimal"] * 1000
    return [
        Row(
            "first frame in a pty (prompt editor drawn) vs one-TextArea Textual app",
            ours_ms,
            minimal_ms,
            "ms",
            "≤ 1.50×",
            ours_ms <= 1.5 * minimal_ms,
        ),
        Row("first frame in a pty, absolute", ours_ms, None, "ms", "< 500 ms", ours_ms < 500),
    ]


def main() -> int:
    args = parse_args(__doc__, extra=[("--repeat", {"type": int, "default": 21, "help": "runs of each side"})])
    repeat = 1 if args.quick else args.repeat
    with throwaway_home():
        rows = process_rows(repeat) + first_paint_rows(repeat)
    ok = print_table(f"Start-up (fastest of {repeat}, interleaved; {load_note()})", rows)
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
