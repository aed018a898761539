"""The records the session store hands out: a row of the list, a preview, a whole session.

Small slotted classes, not dataclasses, on purpose: ``sessions list`` is a process of its
own, and importing ``dataclasses`` (it imports ``inspect``, ``ast``, ``dis``) cost more than
the listing's own work; these records need no more than positional construction,
equality and a dict. :class:`~.sessions.SessionStore` builds them from its rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # the event classes, which ``sessions list`` never needs
    from ..retry.events import Event


class _Record:
    """An immutable record whose attributes are ``FIELDS``, built from values in that order."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.FIELDS)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f) for f in self.FIELDS))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self.FIELDS)})"

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.FIELDS}


class SessionSummary(_Record):
    """One row of ``sessions list``. ``status`` already says ``interrupted`` for dead writers."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "created_at",
        "model",
        "status",
        "attempts",
        "prompt",
        "elapsed",
        "input_tokens",
        "output_tokens",
        "parent_id",
        "error",
        "pid",
        "backend",
        "follows",
    )
    __slots__ = FIELDS
    id: int
    created_at: str
    model: str
    status: str
    attempts: int
    prompt: str
    elapsed: float | None
    input_tokens: int | None
    output_tokens: int | None
    parent_id: int | None
    """The session this one re-ran, if any."""
    error: str | None
    """One-line reason for ``failed``/``cancelled`` sessions."""
    pid: int | None
    backend: dict[str, Any] | None
    """``{"kind": "api", "host": ...}`` or ``{"kind": "simulator", "scenario": ..., "seed": ...}``;
    None for a session recorded before backends were (``store/backends.py``)."""
    follows: int | None
    """The turn this one follows up (a conversation's earlier turns, ``store/conversation.py``)."""


class SessionDetail(SessionSummary):
    """Everything recorded for one session, events rebuilt as ``Event`` objects."""

    __slots__ = ("system", "settings", "response", "events")
    FIELDS = SessionSummary.FIELDS + __slots__
    system: str | None
    settings: dict[str, Any]
    response: str | None
    events: list[Event]

    @property
    def partial_text(self) -> str:
        """Text streamed by the last attempt (the answer so far of an interrupted run)."""
        last = max((getattr(e, "attempt", 0) for e in self.events if e.type == "text"), default=0)
        return "".join(e.text for e in self.events if e.type == "text" and e.attempt == last)  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["events"] = [event.to_dict() for event in self.events]
        return data


class SessionPreview(SessionSummary):
    """What the sessions screen shows of one session, read without its deltas.

    A long answer is tens of thousands of recorded deltas: rebuilding them as events (what
    ``get_session`` does, for replay and export) takes a quarter of a second for a
    120,000-character answer, and showing all of it costs as much again. A preview needs
    the first few screens of the answer and how each attempt ended.
    """

    __slots__ = ("system", "settings", "answer", "answer_chars", "outcomes")
    FIELDS = SessionSummary.FIELDS + __slots__
    system: str | None
    settings: dict[str, Any]
    answer: str
    """The answer, or without one the last attempt's streamed text, cut to ``PREVIEW_CHARS``."""
    answer_chars: int
    """The whole answer's length (more than ``len(answer)`` when cut)."""
    outcomes: tuple[Event, ...]
    """How each attempt ended and the backoffs between (``OUTCOME_TYPES``), in order; a
    success's ``text`` is empty."""
