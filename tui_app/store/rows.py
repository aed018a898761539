"""How events are stored in the ``events`` table, and read back.

A row is ``(session_id, seq, t, type, data)`` with ``data`` the event's JSON minus ``type``
and ``t``. Consecutive text deltas of one attempt share one row,
``{"attempt": 2, "texts": [...], "ts": [...]}`` with every delta's own time, because a long
answer is tens of thousands of deltas: one row each made recording cost ~8 % of a
full-speed (simulator) 20,000-delta run and ~76 bytes a delta; one row per batch measured
~1-2 % and ~45 bytes a delta (``benchmarks/bench_sessions.py``). Replay still gets every delta at its
recorded time: reading expands the row. A plain one-delta row (``{"attempt", "text"}``)
is read too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from ..retry.events import EVENT_CLASSES, Event, TextDelta, event_from_dict
from .errors import StoreError

# Coalescing rebuilds TextDelta from (t, attempt, text): only valid while those are its fields.
CAN_COALESCE = tuple(f.name for f in fields(TextDelta)) == ("t", "attempt", "text")

Row = tuple[int, int, float, str, str]


def encode(event: Event) -> str:
    """One event's ``data`` column: its JSON without ``type`` and ``t``."""
    data = event.to_dict()
    del data["type"], data["t"]
    return _dumps(data)


def encode_texts(attempt: int, texts: list[str], ts: list[float]) -> str:
    """The ``data`` column of a row holding consecutive deltas of one attempt."""
    return _dumps({"attempt": attempt, "texts": texts, "ts": ts})


def decode(session_id: int, t: float, type_: str, data: str) -> Iterator[Event]:
    """The event(s) stored in one row."""
    if type_ not in EVENT_CLASSES:
        raise StoreError(f"session {session_id} holds an event of unknown type {type_!r} (from a newer claude-tui?)")
    payload: dict[str, Any] = json.loads(data)
    if type_ == "text" and "texts" in payload:
        attempt = payload["attempt"]
        for text, when in zip(payload["texts"], payload["ts"], strict=True):
            yield TextDelta(t=when, attempt=attempt, text=text)
        return
    yield event_from_dict({**payload, "type": type_, "t": t})


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
