"""Keep Python's garbage collector off objects that will live as long as the process.

A full collection walks every tracked object: the ~200k the imports made, then a long
conversation's widgets and render caches — 150–200 ms a pass here, a stall in the middle of
a stream. So at quiet moments (the first frame, the end of each turn) what is alive is
frozen: moved where the collector does not look. Reference counting still frees whatever
is not in a cycle; the cycles a turn leaves (a dropped attempt's widgets) are collected just
before each freeze.
"""

from __future__ import annotations

import gc


def started() -> None:
    """The first frame is out: keep what start-up made out of the collector's way."""
    gc.freeze()


def turn_done() -> None:
    """A turn ended: collect its cycles (only objects made since the last freeze are
    walked, so this is short), then freeze what survives — it is history now."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """The app is closing: hand frozen objects back to the collector (matters to a
    process that goes on, e.g. a test run)."""
    gc.unfreeze()
