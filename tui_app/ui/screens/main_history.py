"""The main screen's session history: open the sessions screen, then re-run or replay.

The sessions screen hands its choice back with ``dismiss`` (to ``chosen``, the callback
``push_screen`` was given); this object turns it into a run or a replay on the main screen.
What a session is made of is read off the event loop (``asyncio.to_thread``): a long
answer is tens of thousands of deltas to rebuild. The replay's own state (session, speed,
pause, step) is ``MainScreen.replaying``, a ``ReplayState``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.widgets import TextArea

from ...store import backends
from ..widgets.response.attempts import AttemptsPanel
from ..widgets.response.output import OutputPanel
from ..widgets.status.status_line import StatusLine

if TYPE_CHECKING:
    from ...store.conversation import History
    from ...store.records import SessionDetail, SessionPreview
    from ...store.sessions import SessionStore
    from .main import MainScreen
    from .sessions import SessionChoice


class HistoryActions:
    """Sessions, re-runs and replays for ``screen`` (which owns the panels and the run)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.replaying = screen.replaying

    @property
    def store(self) -> SessionStore | None:
        store: SessionStore | None = self.screen.backend.store
        return store

    def open_sessions(self) -> None:
        from .sessions import SessionsScreen

        if self.store is None:
            why = "still loading" if not self.screen.backend.is_ready else "not available (see the earlier notice)"
            self.screen.notify(f"The session history is {why}.", severity="warning")
            return
        self.screen.app.push_screen(SessionsScreen(self.store), self.chosen)

    def chosen(self, choice: SessionChoice | None) -> None:
        """What the sessions screen was dismissed with."""
        if choice is None:
            return
        if choice.action == "rerun":
            self.screen.run_worker(self._rerun_stored(choice.session_id), group="run", exit_on_error=False)
        else:
            self.replay(choice.session_id, choice.speed)

    async def _rerun_stored(self, session_id: int) -> None:
        """Read the session's prompt and settings (not its events), then re-run it."""
        from ...store.errors import StoreError

        assert self.store is not None
        try:
            session = await asyncio.to_thread(self.store.get_preview, session_id)
        except StoreError as exc:
            self.screen.notify(str(exc), title="Not re-run", severity="error")
            return
        self.rerun(session)

    def rerun(self, session: SessionPreview | SessionDetail) -> None:
        """Send a past session's prompt again with its settings; the new session links to it."""
        from .sessions import settings_from_session

        screen = self.screen
        if screen.is_busy:
            screen.notify("A request is running: cancel it first.", title="Not re-run", severity="warning")
            return
        settings = settings_from_session(session.settings, screen.settings)
        if settings is None:
            settings = screen.settings.with_(model=session.model)
            screen.notify("The session's settings could not be restored: using the current ones.", severity="warning")
        screen.apply_settings(settings, announce=False)
        # Exactly the recorded prompt, control characters included: the editor (SafeTextArea)
        # draws stand-ins for them, so what is shown is safe and what is sent is unchanged.
        screen.query_one("#prompt", TextArea).text = session.prompt
        from ...run.links import Links

        history = self._history_before(session)
        if history is None:
            return
        screen.start_run(
            session.prompt, settings, Links(parent_id=session.id, follows=session.follows, history=history)
        )

    def _history_before(self, session: SessionPreview | SessionDetail) -> History | None:
        """What a re-run of a later turn sends before its prompt: the same history (None
        after saying why it cannot be had)."""
        from ...store.conversation import history_before
        from ...store.errors import StoreError

        if session.follows is None or self.store is None:
            return ()
        try:
            return history_before(self.store, session.follows)
        except StoreError as exc:
            self.screen.notify(str(exc), title="Not re-run", severity="error")
            return None

    # -- replay -------------------------------------------------------------------------------
    def replay(self, session_id: int, speed: float | None, detail: SessionDetail | None = None) -> None:
        """Play session ``session_id`` (``detail`` if already read) in the "run" worker
        group: the screen's cancel stops it like a run."""
        self.screen.run_worker(self._replay(session_id, speed, detail), group="run", exit_on_error=False)

    async def _replay(self, session_id: int, speed: float | None, detail: SessionDetail | None) -> None:
        from ...store.errors import StoreError

        screen = self.screen
        if screen.is_busy:
            screen.notify("A request is running: cancel it first.", title="Not replayed", severity="warning")
            return
        self.replaying.begin(session_id, speed)
        self._show_state()
        try:
            turns = await asyncio.to_thread(self._turns, session_id, detail)
            for number, turn in enumerate(turns, 1):  # a conversation: every turn, in order
                self.replaying.session_id = turn.id
                self.replaying.recorded_on = backends.short(turn.backend)
                self._show_recorded(turn)
                self._show_state()
                note = f"turn {number} of {len(turns)}" if len(turns) > 1 else None
                await screen.query_one(OutputPanel).begin_turn(turn.prompt, note=note)
                await self.replaying.play(turn.events, screen.show_event)
                if screen.run_state.live:  # an interrupted session ends without an outcome
                    screen.run_state.state = "interrupted"
            if all(t.status == "ok" and t.response is not None for t in turns):  # alt+j goes on from here
                screen.conversation.restore(tuple((t.prompt, t.response or "") for t in turns), turns[-1].id)
        except StoreError as exc:
            screen.notify(str(exc), title="Not replayed", severity="error")
        finally:
            self.replaying.end()
            self._show_state()
            screen.turn_over()

    def _turns(self, session_id: int, detail: SessionDetail | None) -> list[SessionDetail]:
        """The session and, for a follow-up, the turns before it (oldest first)."""
        from ...store.conversation import turn_ids

        assert self.store is not None or detail is not None
        if detail is not None and detail.follows is None:
            return [detail]
        assert self.store is not None
        ids = turn_ids(self.store, session_id)
        return [detail if detail is not None and i == detail.id else self.store.get_session(i) for i in ids]

    def _show_recorded(self, detail: SessionDetail) -> None:
        """The status line names the recorded session's model and preset, during the replay
        and after it, until the next send."""
        from .sessions import settings_from_session

        status = self.screen.query_one(StatusLine)
        recorded = settings_from_session(detail.settings, None)
        status.model = detail.model
        status.preset = recorded.preset if recorded is not None else ""

    def toggle_pause(self) -> None:
        if not self.replaying.toggle_pause():
            self.screen.notify("Pause works during a replay (ctrl+g, then a session).", severity="warning")
            return
        self._show_state()

    def step(self) -> None:
        if not self.replaying.step():
            self.screen.notify("Step works while a replay is paused.", severity="warning")

    def _show_state(self) -> None:
        """The status line says REPLAY (and paused) instead of the backend while replaying;
        the attempts panel drops the steering keys (a replay cannot be steered)."""
        self.screen.query_one(StatusLine).backend_label = self.replaying.label(self.screen.backend.choice.label)
        self.screen.query_one(AttemptsPanel).backoff_hint = self.screen.steering_hint()
        self.screen.render_live()
        self.screen.refresh_bindings()
