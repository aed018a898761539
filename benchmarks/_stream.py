"""Synthetic answers for the UI benchmarks, and an event-loop lag probe.

The text is the Markdown an assistant writes (headings, paragraphs, bullet lists, fenced
code, tables), seeded so every run and both sides of a comparison see the same bytes,
and cut into chunks of 1–10 characters like the deltas of a real stream.
"""

from __future__ import annotations

import asyncio
import random
import time

_WORDS = (
    "retry backoff jitter deadline stream socket timeout answer token latency budget header "
    "the a of to and with each every after before waits reads sends grows calmly quickly"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def _block(rng: random.Random, n: int) -> str:
    kind = n % 5
    if kind == 0:
        return f"## Part {n}\n\n" + " ".join(_sentence(rng) for _ in range(4)) + "\n\n"
    if kind == 1:
        return "".join(f"- `{rng.choice(_WORDS)}`: {_sentence(rng)}\n" for _ in range(5)) + "\n"
    if kind == 2:
        body = "".join(f"    delay_{i} = min(cap, base * 2 ** {i})  # {rng.choice(_WORDS)}\n" for i in range(6))
        return f"```python\ndef plan_{n}(base, cap):\n{body}    return delay_5\n```\n\n"
    if kind == 3:
        rows = "".join(f"| {i} | {rng.randint(1, 999)} ms | {rng.choice(_WORDS)} |\n" for i in range(6))
        return "| attempt | delay | outcome |\n| --- | --- | --- |\n" + rows + "\n"
    return " ".join(_sentence(rng) for _ in range(6)) + "\n\n"


def markdown_answer(chars: int, seed: int = 0) -> str:
    """About ``chars`` characters of assistant-style Markdown (whole blocks, fences closed)."""
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < chars:
        block = _block(rng, n)
        parts.append(block)
        size += len(block)
        n += 1
    return "".join(parts)


def chunked(text: str, seed: int = 0) -> list[str]:
    """``text`` cut into chunks of 1 to 10 characters."""
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        step = rng.randint(1, 10)
        out.append(text[i : i + step])
        i += step
    return out


class LagProbe:
    """A timer that records how late it fires: the event loop's responsiveness, in seconds.

    >>> probe = LagProbe(); probe.start(); ...; probe.stop(); probe.lags   # doctest: +SKIP
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.lags.clear()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + self.interval
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, time.perf_counter() - due))

    async def stop(self) -> list[float]:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.lags
