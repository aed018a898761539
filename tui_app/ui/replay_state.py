"""The replay in progress: which session, at what speed, paused or stepping — one object.

The main screen's actions (pause, step, cancel) and its footer ask this object; the
replay loop (``play``) waits on it between events. Nothing here knows Textual: the screen
owns the worker the loop runs in and only tells this object about it.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from ..retry.events import Event


class ReplayState:
    """Idle until ``begin``; ``play`` feeds a session's events to a sink with their timing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        """The screen's clock: the pause stops the replay's time (``clock``)."""
        self.session_id: int | None = None
        """The session being replayed, None when no replay runs."""
        self.speed: float | None = 1.0
        """Recorded pace multiplied by this; None: no waits at all."""
        self.recorded_on: str | None = None
        """Where the session was recorded (``sim:happy#0``, ``api:HOST``), once it is read."""
        self._gate = asyncio.Event()
        self._gate.set()
        self._stepping = False
        self._paused_total = 0.0
        self._paused_at: float | None = None

    def now(self) -> float:
        """The screen's clock as the replay sees time: stopped while paused, and without the
        paused spans afterwards (so a countdown resumes where it stopped)."""
        now = self._clock() if self._paused_at is None else self._paused_at
        return now - self._paused_total

    @property
    def active(self) -> bool:
        return self.session_id is not None

    @property
    def paused(self) -> bool:
        return self.active and not self._gate.is_set()

    def begin(self, session_id: int, speed: float | None) -> None:
        """A replay of ``session_id`` starts (running, not paused)."""
        self.session_id, self.speed, self._stepping, self.recorded_on = session_id, speed, False, None
        self._paused_total, self._paused_at = 0.0, None
        self._gate.set()

    def end(self) -> None:
        self.session_id, self._stepping = None, False
        self._gate.set()

    def toggle_pause(self) -> bool:
        """Pause a running replay or resume a paused one; False when none runs."""
        if not self.active:
            return False
        if self._gate.is_set():
            self._pause()
        else:
            self._resume()
        return True

    def step(self) -> bool:
        """Let one more event through a paused replay; False unless one is paused."""
        if not self.paused:
            return False
        self._stepping = True
        self._resume()
        return True

    def _pause(self) -> None:
        self._gate.clear()
        self._paused_at = self._clock()

    def _resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None
        self._gate.set()

    def label(self, backend_label: str) -> str:
        """What the status line says: the backend, or REPLAY #id, where it was recorded (and paused)."""
        if not self.active:
            return backend_label
        recorded = f" of {self.recorded_on}" if self.recorded_on else ""
        return f"REPLAY #{self.session_id}{recorded}" + (" (paused)" if self.paused else "")

    async def play(self, events: Sequence[Event], sink: Callable[[Event], Awaitable[None]]) -> None:
        """Feed ``events`` to ``sink`` at their recorded times (scaled by ``speed``),
        holding while paused, and pausing again after each event let through by ``step``.
        The run service's :func:`~tui_app.run.controller.replay` does the feeding, as for
        ``claude-tui replay --print``; the pause gate is one more consumer in front of ``sink``."""
        from ..run.controller import replay

        async def gated(event: Event) -> None:
            await self._gate.wait()
            await sink(event)
            if self._stepping:
                self._stepping = False
                self._pause()

        await replay(events, [gated], speed=self.speed)
