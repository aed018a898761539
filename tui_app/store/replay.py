"""Recorded events fed back with their original timing, for the consumers of a live run.

Replay is not a second rendering path: the TUI panels and ``--print`` consume this async
iterator exactly as they consume ``RetryRun.events()``.

>>> async for event in replay_events(detail.events, speed=2.0):   # doctest: +SKIP
...     panel.on_event(event)

Waits are the gaps between consecutive events divided by ``speed``, measured from the
moment the previous event was handed over. That makes pause free: a consumer that stops
iterating (pause, single-step) resumes with the next gap, never with a burst of catch-up.
"""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

    from ..retry.events import Event

YIELD_EVERY = 64
"""At ``speed=None`` the loop still yields to the event loop this often, so a UI repaints."""


async def replay_events(
    events: Iterable[Event],
    *,
    speed: float | None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> AsyncIterator[Event]:
    """Yield ``events`` with their recorded spacing divided by ``speed`` (None = no waits)."""
    if speed is not None and not (isinstance(speed, (int, float)) and math.isfinite(speed) and speed > 0):
        raise ValueError(f"speed must be a finite number > 0 (or None for max), got {speed!r}")
    previous_t: float | None = None
    for count, event in enumerate(events, 1):
        if speed is not None and previous_t is not None:
            gap = (event.t - previous_t) / speed
            if gap > 0:
                await sleep(gap)
        elif speed is None and count % YIELD_EVERY == 0:
            await sleep(0)
        previous_t = event.t
        yield event
