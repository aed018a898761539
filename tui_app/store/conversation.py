"""Conversations: follow-up turns, each a session of its own, chained by ``follows``.

A turn is recorded like any run (its attempts, its answer); what makes it a follow-up is
the history it sent — every earlier turn's prompt and answer — and the link to the turn
before it. Storing turns as sessions keeps every tool that knows sessions (list, search,
filters, replay, export) working on each turn, and the chain gives back the conversation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import StoreError

if TYPE_CHECKING:
    from .records import SessionSummary
    from .sessions import SessionStore

History = tuple[tuple[str, str], ...]
"""(user, assistant) of each earlier turn, oldest first: ``Request.history``."""


def turn_ids(store: SessionStore, session_id: int) -> list[int]:
    """The ids of the conversation's turns up to ``session_id``, oldest first."""
    return [row[0] for row in store.chain(session_id)]


def history_through(store: SessionStore, session_id: int) -> History:
    """The history a follow-up of ``session_id`` sends: that turn and all before it.

    ``StoreError`` (one line, with the fix) when a turn of it has no answer: a
    conversation goes on from what the model said, so a failed turn is re-run first.
    """
    history = []
    for turn_id, prompt, response, status in store.chain(session_id):
        if status != "ok" or response is None:
            raise StoreError(
                f"session {turn_id} has no answer to follow up ({status}): re-run it first"
                f" (`claude-tui sessions list` shows its state)"
            )
        history.append((prompt, response))
    return tuple(history)


def earlier_turns(store: SessionStore, detail: SessionSummary) -> list[tuple[int, str, str | None, str]]:
    """A follow-up's earlier turns as ``SessionStore.chain`` gives them, oldest first (none
    for a first turn): what an export shows as its conversation."""
    return store.chain(detail.id)[:-1] if detail.follows is not None else []


def history_before(store: SessionStore, follows: int | None) -> History:
    """The history of a turn that follows ``follows`` (empty for a first turn)."""
    return () if follows is None else history_through(store, follows)
