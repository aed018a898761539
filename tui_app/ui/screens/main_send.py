"""The main screen's sending: a new conversation (ctrl+j) or a follow-up turn (alt+j), and
the run worker that feeds a run's events to the panels.

An object the screen owns (``MainScreen.sending``), like ``main_side`` and
``main_steering``: it reaches the screen through its public parts only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import TextArea

from ...run.links import NO_LINKS, Links
from ...schema import FieldError, by_key
from ..widgets.request.prompt import PromptPanel
from ..widgets.response.output import OutputPanel
from ..widgets.status.status_line import StatusLine

if TYPE_CHECKING:
    from ...settings import RunSettings
    from .main import MainScreen


class SendActions:
    """Send the prompt, as a new conversation or the next turn of the current one."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.sending = False
        """A send is on its way (between the key and the run's end)."""

    def send(self, *, follow_up: bool = False) -> None:
        """Send, once the editor has handled the keys typed before ctrl+j (or alt+j).

        ctrl+j is a priority binding, handled as it arrives, while the characters typed
        (or pasted) just before it may still wait in the editor's queue: queueing the send
        behind them means the prompt read is the prompt the user saw.
        """
        screen = self.screen
        if follow_up and not screen.conversation.turns:
            screen.notify(f"Nothing to follow up yet: send a prompt first ({screen.keys['send']}).", severity="warning")
            return
        screen.query_one("#prompt", TextArea).call_later(self._send_now, follow_up)

    def _send_now(self, follow_up: bool) -> None:
        screen = self.screen
        if screen.is_busy:
            screen.notify(
                "A request is running: wait for it or press escape to cancel it first.",
                title="Not sent",
                severity="warning",
            )
            return
        prompt = screen.query_one(PromptPanel).prompt
        if not prompt.strip():
            screen.notify("Type a prompt first.", title="Not sent", severity="warning")
            return
        settings = screen.settings_or_notice()
        if settings is None:
            return
        conversation = screen.conversation
        links = Links(follows=conversation.follows, history=conversation.history) if follow_up else NO_LINKS
        self.start_run(prompt, settings, links)

    def start_run(self, prompt: str, settings: RunSettings, links: Links = NO_LINKS) -> None:
        """Run ``prompt``: a new conversation, or (``history``) the next turn of one."""
        screen = self.screen
        self.sending = True
        screen.run_settings = settings
        status = screen.query_one(StatusLine)  # (a replay left the recorded session's there)
        status.model, status.preset = settings.model, settings.preset
        screen.app.remember(last_model=settings.model)  # type: ignore[attr-defined]
        screen.run_worker(self._run(prompt, settings, links), group="run", exit_on_error=False)

    async def _run(self, prompt: str, settings: RunSettings, links: Links) -> None:
        """Consume one run's events into the panels; nothing that happens here crashes the app."""
        screen = self.screen
        try:
            await screen.after_first_frame()  # a send typed ahead of the first frame
            history = links.history
            note = f"follow-up · turn {len(history) + 1}" if history else None
            await screen.query_one(OutputPanel).begin_turn(prompt, note=note)
            if not screen.backend.is_ready:
                screen.run_state.loading(screen.clock())
                screen.render_live()
            last = await screen.controller.execute(prompt, settings, screen.show_event, links=links)
            if last.type == "success":  # the conversation goes on from this answer
                recorder = screen.controller.recorder
                session_id = recorder.session_id if recorder is not None and recorder.problem is None else None
                screen.conversation.answered(history, prompt, last.text, session_id)  # type: ignore[attr-defined]
        except FieldError as exc:  # a setting the model does not take: nothing was sent
            failed = by_key().get(exc.field)
            message = str(exc.named(failed.label) if failed else exc)
            screen.run_state.state = "idle"
            await screen.query_one(OutputPanel).refused(message)
            screen.notify(message, title="Settings", severity="error")
        except Exception as exc:
            screen.log.error("run failed", exc)
            screen.run_state.state = "failed"
            screen.notify(f"{type(exc).__name__}: {exc}", title="Internal error", severity="error")
        finally:
            self.sending = False
            screen.turn_over()
            screen.side.flush_notices()
