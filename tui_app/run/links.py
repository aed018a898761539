"""How a run relates to recorded sessions, in one value the run's callers pass along.

A re-run links to the session it repeats (``parent_id``); a follow-up turn to the turn it
follows (``follows``) and sends that conversation's ``history`` before its prompt. The
TUI's send, its re-run and ``claude-tui run --continue`` all build one; the controller
hands the ids to the recorder and the history to the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.conversation import History


@dataclass(frozen=True, slots=True)
class Links:
    parent_id: int | None = None
    """The session this run re-runs."""
    follows: int | None = None
    """The turn this run follows up (its conversation's last answered turn)."""
    history: History = ()
    """The conversation so far, (user, assistant) a turn: sent before the prompt."""


NO_LINKS = Links()
"""A new conversation, linked to nothing."""
