"""Recording that can never break a run.

The session recorder (``store/recorder.py``) already waits a bounded time for a locked
database and notices a file deleted or replaced under it; what it cannot do is decide
that a failed write is not the run's problem. This wrapper does: every store failure is
caught here, the run goes on, and the user hears about it once — one line saying the
session was not (fully) recorded and why. What was written stays consistent: each write
is one transaction, and a session whose outcome could not be stored reads as
``interrupted`` once this process has gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store.errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..retry.events import Event
    from ..store.recorder import SessionRecorder


class SafeRecorder:
    """Feeds a ``SessionRecorder`` (or nothing, for a run that is not recorded); never raises."""

    def __init__(self, recorder: SessionRecorder | None, notify: Callable[[str], None]) -> None:
        self._recorder = recorder
        self._notify = notify
        self.session_id = recorder.session_id if recorder is not None else None
        self.problem: str | None = None
        """Why the session is not (fully) recorded, once something went wrong."""

    def record(self, event: Event) -> None:
        """A consumer like any other; a store failure ends recording, never the run."""
        recorder = self._recorder
        if recorder is None:
            return
        try:
            recorder.record(event)
        except StoreError:
            if recorder.lost is not None:  # else a passing failure: the events stay buffered
                self._give_up(recorder.lost)
        except Exception as exc:  # a bug of ours in recording: shown, and still not the run's end
            self._give_up(f"{type(exc).__name__}: {exc} (please report this)")

    def finish(self) -> None:
        """Store the outcome (bounded wait for a locked database); idempotent. Blocks:
        on an event loop, await :meth:`finished` instead."""
        recorder = self._recorder
        if recorder is None:
            return
        try:
            recorder.finish()
        except StoreError as exc:
            self._give_up(recorder.lost or str(exc))
        except Exception as exc:
            self._give_up(f"{type(exc).__name__}: {exc} (please report this)")
        self._recorder = None

    async def finished(self) -> None:
        """:meth:`finish` in a worker thread: a locked database makes the run's end wait (up
        to the recorder's bounded patience), never the event loop the TUI draws with.

        The flush timer lives on the loop, so it is stopped here first; from then on only
        the worker touches the recorder. Cancelled while waiting (the app quitting), the
        worker still completes the session or leaves it ``interrupted``.
        """
        recorder = self._recorder
        if recorder is None:
            return
        recorder.hold()
        import asyncio

        await asyncio.to_thread(self.finish)

    def _give_up(self, reason: str) -> None:
        """Stop recording and say so — once, however many writes failed."""
        self._recorder = None
        if self.problem is None:
            self.problem = reason
            self._notify(f"session {self.session_id} is not fully recorded: {reason}")
