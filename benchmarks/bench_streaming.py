"""Streaming UI: the answer panel under a fast stream, with a long conversation above it.

    .venv/bin/python benchmarks/bench_streaming.py [--quick]

Headless (``App.run_test``, 120x40, the app's own stylesheet). The conversation first holds
150,000 characters of earlier answers; then a synthetic answer (paragraphs, lists, code
fences, tables) arrives in chunks of 1–10 characters at a fixed rate (100 and 400 chunks/s)
or flat out. Measured: event-loop lag (a 10 ms timer's lateness, p50/p99) while streaming;
how long after the last chunk was due the screen shows the whole answer; and the flat-out
rate (chunks / time until the screen is current).

This project: ``OutputPanel`` (``begin_turn``, ``apply(TextDelta)``: finished blocks frozen
into static renders, a small live tail repainted at most 30 times a second; ``Success``
collapses the answer into one static render).
Baseline, same run, same stream, same history: what a good Textual-only app does. The
answer streams into a ``Markdown`` widget through Textual's own ``MarkdownStream``
(``Markdown.get_stream``: fragments that arrive while it renders are joined, only the last
block is re-parsed); each finished answer is one static render (a ``Static`` holding a Rich
``Markdown``) below its prompt, and the garbage collector is frozen after each turn, as ours.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _measure import load_note, parse_args, percentile
from _stream import LagProbe, chunked, markdown_answer
from _table import Row, print_table

HISTORY_ANSWER_CHARS = 10_000


class Ours:
    """The product's answer panel, driven by events as the main screen drives it."""

    def __init__(self) -> None:
        from tui_app.ui.widgets.response.output import OutputPanel

        self.panel = OutputPanel(id="output")

    async def add_history(self, answers: list[str]) -> None:
        from tui_app import gc_policy
        from tui_app.retry.events import Success

        for i, answer in enumerate(answers):
            await self.panel.begin_turn(f"earlier question {i}")
            await self.panel.apply(Success(t=0.0, attempt=1, text=answer))
            gc_policy.turn_done()  # what the main screen does once a run is over (``turn_over``)

    async def begin(self) -> None:
        await self.panel.begin_turn("the question being answered")

    async def feed(self, chunk: str) -> None:
        from tui_app.retry.events import TextDelta

        await self.panel.apply(TextDelta(t=0.0, attempt=1, text=chunk))

    async def settle(self, text: str) -> None:
        """Until the live answer holds all of ``text`` (its repaint timer shows the rest)."""
        while self.panel.live_text != text:
            await asyncio.sleep(0.002)

    async def finish(self, text: str) -> None:
        from tui_app.retry.events import Success

        await self.panel.apply(Success(t=0.0, attempt=1, text=text))


class TextualStream:
    """Baseline: the same history as one static render per answer, the answer through
    ``MarkdownStream``, and a static render again when it is done."""

    def __init__(self) -> None:
        from textual.containers import VerticalScroll

        self.panel = VerticalScroll(id="output")

    async def add_history(self, answers: list[str]) -> None:
        from rich.markdown import Markdown as RichMarkdown
        from textual.widgets import Static

        from tui_app import gc_policy

        for i, answer in enumerate(answers):
            await self.panel.mount(Static(f"earlier question {i}", classes="turn-prompt"))
            await self.panel.mount(Static(RichMarkdown(answer), classes="answer"))
            gc_policy.turn_done()

    async def begin(self) -> None:
        from textual.widgets import Markdown, Static

        await self.panel.mount(Static("the question being answered", classes="turn-prompt"))
        self.markdown = Markdown(classes="answer")
        await self.panel.mount(self.markdown)
        self.panel.anchor()
        self.stream = Markdown.get_stream(self.markdown)

    async def feed(self, chunk: str) -> None:
        await self.stream.write(chunk)

    async def settle(self, text: str) -> None:
        """The stream is over: ``stop`` waits for every fragment to be rendered."""
        await self.stream.stop()
        assert self.markdown.source == text

    async def finish(self, text: str) -> None:
        from rich.markdown import Markdown as RichMarkdown
        from textual.widgets import Static

        await self.panel.mount(Static(RichMarkdown(text), classes="answer"), after=self.markdown)
        await self.markdown.remove()


@dataclass
class Trial:
    lags_ms: list[float]
    behind_ms: float
    """From the moment the last chunk was due until the screen showed all of it."""
    rate: float
    """Chunks per second, from the first chunk until the screen was current."""

    @property
    def p99(self) -> float:
        return percentile(self.lags_ms, 99)

    @property
    def p50(self) -> float:
        return percentile(self.lags_ms, 50)


async def trial(side_type: type, history: list[str], chunks: list[str], rate: float | None) -> Trial:
    from textual.app import App

    import tui_app.ui

    side = side_type()

    class Harness(App[None]):
        CSS_PATH = Path(tui_app.ui.__file__).parent / "app.tcss"

        def compose(self):
            yield side.panel

    app = Harness()
    async with app.run_test(size=(120, 40)) as pilot:
        await side.add_history(history)
        await side.begin()
        await pilot.pause()
        probe, text = LagProbe(), "".join(chunks)
        probe.start()
        start = time.perf_counter()
        for i, chunk in enumerate(chunks):
            wait = start + i / rate - time.perf_counter() if rate else 0.0
            await asyncio.sleep(max(0.0, wait))  # late chunks come at once, as from a socket
            await side.feed(chunk)
        last_due = start + (len(chunks) - 1) / rate if rate else time.perf_counter()
        await side.settle(text)
        await painted(app)
        current = time.perf_counter()
        lags = await probe.stop()
        await side.finish(text)
        await pilot.pause()
    return Trial([lag * 1000 for lag in lags], (current - last_due) * 1000, len(chunks) / (current - start))


async def painted(app) -> None:
    """Return once the screen has been repainted (after-refresh callbacks run then)."""
    done = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: done.done() or done.set_result(None))
    await done


def stream(seconds: float, rate: float, seed: int) -> list[str]:
    chunks = chunked(markdown_answer(int(seconds * rate * 6) + 200, seed), seed)
    return chunks[: int(seconds * rate)]


def main() -> int:
    args = parse_args(__doc__, extra=[("--repeat", {"type": int, "default": 3, "help": "runs of each side"})])
    quick = args.quick
    history_chars, repeat = (10_000, 1) if quick else (150_000, args.repeat)
    seconds, flat_chunks = (0.3, 30) if quick else (3.0, 200)
    history = [markdown_answer(HISTORY_ANSWER_CHARS, seed) for seed in range(history_chars // HISTORY_ANSWER_CHARS)]
    at100, at400, flat = stream(seconds, 100, 1), stream(seconds, 400, 2), stream(flat_chunks / 400, 400, 3)
    runs = {  # name: (history, chunks, rate); each run by both sides
        "100": (history, at100, 100),
        "400": (history, at400, 400),
        "flat": (history, flat, None),
        "100_empty": ([], at100, 100),
    }

    async def measure() -> dict[str, list[Trial]]:
        got: dict[str, list[Trial]] = {f"{side}{name}": [] for name in runs for side in ("ours", "base")}
        for n in range(repeat):  # interleaved, and each side first in turn: noise hits both
            sides = [("ours", Ours), ("base", TextualStream)]
            for name, (past, chunks, rate) in runs.items():
                for side, kind in sides if n % 2 == 0 else sides[::-1]:
                    got[f"{side}{name}"].append(await trial(kind, past, chunks, rate))
        return got

    got = asyncio.run(measure())

    def med(name: str, measure: str) -> float:
        """Median over the runs of ``name`` of one trial measure (p99, p50, behind_ms, rate)."""
        return statistics.median(getattr(t, measure) for t in got[name])

    def row(what: str, run: str, measure: str, unit: str, target: str, passed: bool) -> Row:
        return Row(what, med(f"ours{run}", measure), med(f"base{run}", measure), unit, target, passed)

    def at_most(run: str, measure: str, limit: float) -> bool:
        return med(f"ours{run}", measure) < limit

    kchars = f"{history_chars // 1000}k chars of history"
    rows = [
        row(f"100 chunks/s, {kchars}: loop lag p99", "100", "p99", "ms", "< 50 ms", at_most("100", "p99", 50)),
        row("100 chunks/s: loop lag p50", "100", "p50", "ms", "–", True),
        row(
            "100 chunks/s: screen current after the last chunk",
            "100",
            "behind_ms",
            "ms",
            "< 100 ms",
            at_most("100", "behind_ms", 100),
        ),
        row(
            f"400 chunks/s, {kchars}: loop lag p99",
            "400",
            "p99",
            "ms",
            "≤ baseline",
            med("ours400", "p99") <= med("base400", "p99"),
        ),
        row("400 chunks/s: loop lag p50", "400", "p50", "ms", "–", True),
        row(
            "400 chunks/s: screen current after the last chunk",
            "400",
            "behind_ms",
            "ms",
            "< 100 ms",
            at_most("400", "behind_ms", 100),
        ),
        row(
            f"flat out, {len(flat)} chunks: sustainable rate (chunks/s, higher is better)",
            "flat",
            "rate",
            "",
            "≥ baseline",
            med("oursflat", "rate") >= med("baseflat", "rate"),
        ),
        row("no history, 100 chunks/s: loop lag p99", "100_empty", "p99", "ms", "–", True),
    ]
    title = f"Streaming UI vs Textual's MarkdownStream (median of {repeat} runs of each; {load_note()})"
    ok = print_table(title, rows)
    return 0 if ok or quick else 1


if __name__ == "__main__":
    sys.exit(main())
