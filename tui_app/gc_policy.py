"""Keep Python's garbage collector off objects that will live as long as the process.

A full collection walks every tracked object: the ~200k the imports made, then a long
conversation's widgets and render caches — 150–200 ms a pass here, a stall in the middle of
a stream. So at quiet moments (the first frame, the end of each turn) what is alive is
frozen: moved where the collector does not look. Reference counting still frees whatever
is not in a cycle; the cycles a turn leaves (a dropped attempt's widgets) are collected just
before each freeze. Used by the TUI (the app at start and exit, the main screen at the end
of each run or replay) and by ``claude-tui run``: a process-wide decision, so made where
the whole process's state is known, never inside a widget.
"""

from __future__ import annotations

import gc


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


def release() -> None:
    """The command is over: hand frozen objects back to the collector and make sure it
    runs (matters to a process that goes on, e.g. a test run calling ``cli.main``)."""
    gc.unfreeze()
    gc.enable()
