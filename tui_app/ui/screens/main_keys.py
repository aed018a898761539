"""Which of the main screen's keys can act now: the footer shows only those.

An 80-column footer has room for about ten keys, so it shows the ones that apply in the
current phase (steering keys during a backoff, Resume while a replay is paused ...); the
command palette and the README list every key. Kept apart from the screen, which asks
:func:`key_acts` from ``check_action``: the rules read as one table here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main import MainScreen

REPLAY_HIDES = frozenset({"send", "follow_up", "load_profile", "pick_scenario", "refresh_models", "copy_as_code"})
"""Keys that cannot act during a replay (a send waits for it to end), left out of the footer then."""


def key_acts(screen: MainScreen, action: str) -> bool | None:
    """Whether ``action``'s key acts now (False hides it from the footer)."""
    replaying = screen.replaying
    if action in ("retry_now", "retry_with_settings"):
        return bool(screen.controller.phase == "backoff")
    if action == "cancel":
        return bool(screen.is_busy)
    if action == "replay_pause":
        return replaying.active and not replaying.paused
    if action == "replay_resume":
        return replaying.paused
    if action == "replay_step":
        return replaying.active
    if replaying.active and action in REPLAY_HIDES:
        return False  # an 80-column footer keeps room for Resume and Step
    if action == "follow_up":
        return bool(screen.conversation.turns) and not screen.is_busy
    if action == "pick_scenario":
        return bool(screen.backend.choice.kind == "simulator")
    return True


def breakpoint_classes(width: int, breakpoints: list[tuple[int, str]] | None) -> set[str]:
    """The class Textual gives a screen this wide (the last breakpoint at or under ``width``).

    Set before the first styling pass: when Textual sets it on the first resize instead,
    every widget of the screen is styled a second time before the first frame.
    """
    fitting = [name for at, name in sorted(breakpoints or []) if width >= at]
    return set(fitting[-1:])
