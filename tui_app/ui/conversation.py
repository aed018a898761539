"""The conversation the next follow-up extends: the turns of the current session.

A plain send starts a new conversation; a follow-up (``alt+j``) sends every earlier turn's
prompt and answer before its own prompt and is recorded as a session that ``follows`` the
turn before it (``store/conversation.py``). Only answered turns count: a follow-up that
fails leaves the conversation as it was, so it can be sent again. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.conversation import History


class Conversation:
    """What the current session said so far, and the session id of its last answered turn."""

    def __init__(self) -> None:
        self.history: History = ()
        self.follows: int | None = None
        """The recorded session a follow-up follows (None when it was not recorded)."""

    @property
    def turns(self) -> int:
        return len(self.history)

    def answered(self, history: History, prompt: str, answer: str, session_id: int | None) -> None:
        """A turn sent with ``history`` got ``answer``: the next follow-up goes on from it."""
        self.history = (*history, (prompt, answer))
        self.follows = session_id

    def restore(self, history: History, follows: int | None) -> None:
        """Go on from a recorded conversation (a replay or re-run of one of its turns)."""
        self.history, self.follows = history, follows
