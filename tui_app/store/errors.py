"""Errors of the store: one line each, naming the file and what to do about it."""

from __future__ import annotations


class StoreError(Exception):
    """The sessions database cannot be used as asked (newer schema, locked, unknown id...)."""


class SessionNotFound(StoreError):
    """No session has this id."""

    def __init__(self, session_id: int) -> None:
        super().__init__(f"no session with id {session_id} (see `claude-tui sessions list`)")
        self.session_id = session_id
