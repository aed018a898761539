"""Keep Python's garbage collector off objects that will live as long as the process.

A full collection walks every tracked object: the ~200k the imports made, then a long
conversation's widgets and render caches — 150–200 ms a pass here, a stall in the middle of
a stream. So at quiet moments (the first frame, the end of each turn) what is alive is
frozen: moved where the collector does not look. Reference counting still frees whatever
is not in a cycle; the cycles a turn leaves (a dropped attempt's widgets) are collected just
before each freeze. Used by the TUI (the app at start and exit, the main screen at the end
of each run or replay) and by ``claude-tui run``: a process-wide decision, so made where
the whole process's state is known, never inside a widget.

An interactive app goes one step further (``interactive``): full collections wait for a
quiet moment (``QuietMoments``: no key for a second, nothing running). Even over a small
heap a full pass costs 20–80 ms here, a visible hitch when it lands between two key
presses of someone scrolling the history; the young generations are still collected as
usual, which is where almost all cycles die.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_DEFAULT_THRESHOLDS = gc.get_threshold()
FULL_AT_MOST_EVERY = 1000
"""Young (generation 1) collections between two automatic full ones while interactive:
ten thousand times rarer than Python's default (10) — a bound on what can pile up should
quiet moments never come (a held key for hours), not a schedule."""


def starting() -> None:
    """Before the imports: no collections until start-up is over.

    Start-up makes a few hundred thousand objects that all stay alive, and a full
    collection over them (several run before the first frame otherwise) finds nothing
    to free and costs tens of milliseconds each. ``ready`` turns the collector back on.
    """
    gc.disable()


def ready() -> None:
    """Start-up is over (the TUI's first frame is out; ``claude-tui run`` has its client):
    keep what it made out of the collector's way, and collect again from here on. A long
    stream makes tens of thousands of short-lived objects, and the full collections they
    trigger then walk only those."""
    gc.freeze()
    gc.enable()


def turn_done() -> None:
    """A run or replay ended and the screen shows it: collect its cycles (only objects made since the last freeze are
    walked, so this is short), then freeze what survives — it is history now."""
    gc.collect()
    gc.freeze()


def interactive() -> None:
    """From now on, full collections wait for ``quiet`` (see the module's docstring)."""
    young, middle, _ = _DEFAULT_THRESHOLDS
    gc.set_threshold(young, middle, FULL_AT_MOST_EVERY)


def quiet() -> bool:
    """Nobody is waiting on the process: run the full collection it has put off, if objects
    aged into the old generation since the last one (else there is nothing new to look at).
    Only collects, never freezes: what a screen made may be dropped later (the sessions
    screen closes), and a frozen cycle would stay until the process ends. True if it ran."""
    if gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True


class QuietMoments:
    """Tells when the user is not looking, for ``quiet``: no input for ``after`` seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, after: float = 1.0) -> None:
        self._clock = clock
        self._after = after
        self._last_input = clock()

    def input(self) -> None:
        """A key, a click or a mouse move arrived."""
        self._last_input = self._clock()

    def check(self, *, busy: bool) -> bool:
        """Collect if it is a quiet moment (no input lately and nothing ``busy``); True if it did."""
        if busy or self._clock() - self._last_input < self._after:
            return False
        return quiet()


def release() -> None:
    """The command is over: hand frozen objects back to the collector and make sure it
    runs as Python's defaults say (matters to a process that goes on, e.g. a test run
    calling ``cli.main``)."""
    gc.unfreeze()
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
    gc.enable()
