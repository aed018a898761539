"""The main screen's steering of a live run: cancel, retry now, retry with edits.

Split from :mod:`.main` (layout and the run's events) as ``main_side`` and ``main_history``
are: the screen owns the panels and the run; this object acts on them for its keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..widgets.status.status_line import StatusLine

if TYPE_CHECKING:
    from ...settings import RunSettings
    from .main import MainScreen


class SteeringActions:
    """Cancel, retry now and retry with edits for ``screen``'s run."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def hint(self) -> str:
        """The keys that steer a live run's backoff (none during a replay: it only plays)."""
        if self.screen.replaying.active:
            return ""
        k = self.screen.keys
        return (
            f"{k['retry-now']} retry now · {k['retry-with-settings']} retry with edits · "
            f"{k['load-profile']} profile · {k['cancel']} give up"
        )

    def cancel(self) -> None:
        screen = self.screen
        if screen.controller.cancel():
            return
        if screen.is_busy:  # a replay, or a run not started yet: stop it where it is
            screen.workers.cancel_group(screen, "run")
            screen.run_state.state = "cancelled"
            screen.render_live()
            return
        screen.notify("Nothing to cancel.", severity="information")

    def retry_now(self) -> None:
        screen = self.screen
        if not screen.controller.retry_now():
            screen.notify("Retry now works during a backoff wait.", severity="warning")

    def retry_with_settings(self) -> None:
        screen = self.screen
        if screen.controller.phase != "backoff":
            screen.notify("Switching settings mid-run works during a backoff wait.", severity="warning")
            return
        settings = screen.settings_or_notice()
        if settings is not None:
            self.switch_and_retry(settings)

    def switch_and_retry(self, settings: RunSettings) -> None:
        """Next attempt uses ``settings``' model, timeouts and policy, starting now; the notice
        names every setting that changed."""
        from ...schema.derive import changes

        screen = self.screen
        edits = changes(screen.run_settings.values(effective=True), settings.values(effective=True))
        screen.run_settings = settings
        screen.controller.switch(settings)
        screen.controller.retry_now()
        screen.query_one(StatusLine).model = settings.model
        screen.notify(
            "Retrying now with edits: " + " · ".join(edits) if edits else "Retrying now (no setting was edited)."
        )
