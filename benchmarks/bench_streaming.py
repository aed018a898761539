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
Baseline, same run, same history: a ``Markdown`` widget re-rendered with the full text on
every chunk (``await markdown.update(text)``).
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

    def shown(self) -> str:
        return self.panel.live_text or ""

    async def finish(self, text: str) -> None:
        from tui_app.retry.events import Success

        await self.panel.apply(Success(t=0.0, attempt=1, text=text))


class FullRerender:
    """Baseline: the same history, and one ``Markdown`` re-rendered in full per chunk."""

    def __init__(self) -> None:
        from textual.containers import VerticalScroll

        self.panel = VerticalScroll(id="output")
        self.text = ""

    async def add_history(self, answers: list[str]) -> None:
        from rich.markdown import Markdown as RichMarkdown
        from textual.widgets import Static

        await self.panel.mount_all(Static(RichMarkdown(answer), classes="answer") for answer in answers)

    async def begin(self) -> None:
        from textual.widgets import Markdown

        self.markdown = Markdown(classes="answer")
        await self.panel.mount(self.markdown)
        self.panel.anchor()

    async def feed(self, chunk: str) -> None:
        self.text += chunk
        await self.markdown.update(self.text)

    def shown(self) -> str:
        return self.markdown.source

    async def finish(self, text: str) -> None:
        pass


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
        while side.shown() != text:
            await asyncio.sleep(0.002)
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
    args = parse_args(__doc__, extra=[("--repeat", {"type": int, "default": 3, "help": "runs of each of ours"})])
    quick = args.quick
    history_chars, repeat = (10_000, 1) if quick else (150_000, args.repeat)
    seconds, flat_chunks = (0.3, 30) if quick else (3.0, 200)
    history = [markdown_answer(HISTORY_ANSWER_CHARS, seed) for seed in range(history_chars // HISTORY_ANSWER_CHARS)]
    at100, at400, flat = stream(seconds, 100, 1), stream(seconds, 400, 2), stream(flat_chunks / 400, 400, 3)
    # The baseline cannot keep up (it takes minutes to show 3 s of stream): it gets the
    # first third of each stream, which is enough to show its lag and its backlog, once.
    base_at100, base_at400 = at100[: len(at100) // 3], at400[: len(at400) // 3]
    runs = {  # name: (side, history, chunks, rate, times)
        "ours100": (Ours, history, at100, 100, repeat),
        "ours400": (Ours, history, at400, 400, repeat),
        "ours_flat": (Ours, history, flat, None, repeat),
        "ours100_empty": (Ours, [], at100, 100, repeat),
        "base100": (FullRerender, history, base_at100, 100, 1),
        "base400": (FullRerender, history, base_at400, 400, 1),
        "base_flat": (FullRerender, history, flat, None, 1),
    }

    async def measure() -> dict[str, list[Trial]]:
        got: dict[str, list[Trial]] = {name: [] for name in runs}
        for n in range(repeat):  # ours interleaved with itself and the baseline, noise hits all
            for name, (side, past, chunks, rate, times) in runs.items():
                if n < times:
                    got[name].append(await trial(side, past, chunks, rate))
        return got

    got = asyncio.run(measure())

    def med(name: str, measure: str) -> float:
        """Median over the runs of ``name`` of one trial measure (p99, p50, behind_ms, rate)."""
        return statistics.median(getattr(t, measure) for t in got[name])

    kchars = f"{history_chars // 1000}k chars of history"
    rows = [
        Row(
            f"100 chunks/s, {kchars}: loop lag p99 (baseline: first ⅓ of the stream)",
            med("ours100", "p99"),
            med("base100", "p99"),
            "ms",
            "< 50 ms",
            med("ours100", "p99") < 50,
        ),
        Row("100 chunks/s: loop lag p50", med("ours100", "p50"), med("base100", "p50"), "ms", "–", True),
        Row(
            "100 chunks/s: screen current after the last chunk",
            med("ours100", "behind_ms"),
            med("base100", "behind_ms"),
            "ms",
            "< 100 ms",
            med("ours100", "behind_ms") < 100,
        ),
        Row(
            f"400 chunks/s, {kchars}: screen current after the last chunk (baseline: first ⅓)",
            med("ours400", "behind_ms"),
            med("base400", "behind_ms"),
            "ms",
            "< 100 ms",
            med("ours400", "behind_ms") < 100,
        ),
        Row("400 chunks/s: loop lag p99", med("ours400", "p99"), med("base400", "p99"), "ms", "–", True),
        Row(
            f"flat out, {len(flat)} chunks: sustainable rate (chunks/s, higher is better)",
            med("ours_flat", "rate"),
            med("base_flat", "rate"),
            "",
            "≥ 10×",
            med("ours_flat", "rate") >= 10 * med("base_flat", "rate"),
        ),
        Row(
            f"history cost: lag p99 at 100 chunks/s with {kchars} vs none",
            med("ours100", "p99"),
            med("ours100_empty", "p99"),
            "ms",
            "–",
            True,
        ),
    ]
    ok = print_table(f"Streaming UI (ours: median of {repeat} runs; {load_note()})", rows)
    return 0 if ok or quick else 1


if __name__ == "__main__":
    sys.exit(main())
