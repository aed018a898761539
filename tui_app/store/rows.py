"""How events are stored in the ``events`` table, and read back.

A row is ``(session_id, seq, t, type, data)`` with ``data`` the event's JSON minus ``type``
and ``t``. Consecutive text deltas of one attempt share one row,
``{"attempt": 2, "text": "all of them", "lens": [3, 4, 4], "ts64": "..."}``: the deltas'
text joined, each delta's length, and each delta's own time as little-endian float64s in
base64 — exact, and a third of the cost of writing the times as JSON numbers (float repr
was most of a flush). A long answer is tens of thousands of deltas: one row each made
recording cost ~8 % of a full-speed (simulator) 20,000-delta run and ~76 bytes a delta;
a list of texts and JSON times per batch ~28 bytes; this form ~18
(``benchmarks/bench_sessions.py``). Replay still gets every delta at its recorded time:
reading expands the row. Older forms are read too: ``{"attempt", "texts", "ts"}`` and a
plain one-delta row ``{"attempt", "text"}``.
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..retry.events import EVENT_CLASSES, AttemptStart, Event, Success, TextDelta, event_from_dict
from .errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Iterator

# Coalescing rebuilds TextDelta from (t, attempt, text): only valid while those are its fields.
CAN_COALESCE = tuple(f.name for f in fields(TextDelta)) == ("t", "attempt", "text")

Row = tuple[int, int, float, str, str]


def encode(event: Event) -> str:
    """One event's ``data`` column: its JSON without ``type`` and ``t``.

    A success's answer is not stored here: the session's ``response`` column holds it (and
    the deltas hold it too), so the row says ``"text_from": "response"`` instead of a third
    copy — a sixth of a long answer's session, and of what recording it writes.
    """
    data = event.to_dict()
    del data["type"], data["t"]
    if event.type == "success":
        del data["text"]
        data["text_from"] = "response"
    return _dumps(data)


def encode_texts(attempt: int, texts: list[str], ts: list[float]) -> str:
    """The ``data`` column of a row holding consecutive deltas of one attempt."""
    times = base64.b64encode(struct.pack(f"<{len(ts)}d", *ts)).decode("ascii")
    return _dumps({"attempt": attempt, "text": "".join(texts), "lens": list(map(len, texts)), "ts64": times})


def decode_all(session_id: int, rows: list[tuple[float, str, str]], response: str | None) -> list[Event]:
    """A session's events from its rows (``t, type, data``) and its ``response`` column.

    A success's text comes from ``response`` (see ``encode``); while the session is still
    being written (or when its writer died between the two), from what it is made of: the
    text its attempt continued plus that attempt's deltas.
    """
    events = [event for row in rows for event in decode(session_id, *row, response=response)]
    if response is None:
        for i, event in enumerate(events):
            if isinstance(event, Success) and event.text is None:
                carried = next(
                    (e.carried_text for e in events if isinstance(e, AttemptStart) and e.attempt == event.attempt), ""
                )
                deltas = "".join(e.text for e in events[:i] if isinstance(e, TextDelta) and e.attempt == event.attempt)
                events[i] = replace(event, text=carried + deltas)
    return events


def decode(session_id: int, t: float, type_: str, data: str, *, response: str | None = None) -> Iterator[Event]:
    """The event(s) stored in one row; ``response`` is the session's (see ``encode``:
    ``None`` leaves a success's text ``None`` for ``decode_all`` to rebuild)."""
    if type_ not in EVENT_CLASSES:
        raise StoreError(f"session {session_id} holds an event of unknown type {type_!r} (from a newer claude-tui?)")
    try:
        payload: dict[str, Any] = json.loads(data)
        if type_ == "text" and "lens" in payload:
            yield from _expand(payload)
            return
        if type_ == "text" and "texts" in payload:
            attempt = payload["attempt"]
            for text, when in zip(payload["texts"], payload["ts"], strict=True):
                yield TextDelta(when, attempt, text)
            return
    except (ValueError, TypeError, KeyError, struct.error) as exc:  # JSON, base64 and length errors are ValueErrors
        raise StoreError(f"session {session_id} holds a damaged event row ({type(exc).__name__}: {exc})") from exc
    if payload.pop("text_from", None) == "response":
        payload["text"] = response
    yield event_from_dict({**payload, "type": type_, "t": t})


def last_attempt_text(session_id: int, datas: list[str], max_chars: int) -> tuple[str, int]:
    """What the last attempt streamed (``SessionDetail.partial_text``), from its text rows'
    ``data`` in order, without making an event per delta: its first ``max_chars``
    characters and its whole length."""
    pieces: list[tuple[int, str]] = []
    for data in datas:
        try:
            payload: dict[str, Any] = json.loads(data)
            text = payload["text"] if "text" in payload else "".join(payload["texts"])
            pieces.append((payload["attempt"], text))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"session {session_id} holds a damaged event row ({type(exc).__name__}: {exc})") from exc
    last = max((attempt for attempt, _text in pieces), default=0)
    whole = "".join(text for attempt, text in pieces if attempt == last)
    return whole[:max_chars], len(whole)


def _expand(payload: dict[str, Any]) -> Iterator[TextDelta]:
    attempt, text, lens = payload["attempt"], payload["text"], payload["lens"]
    packed = base64.b64decode(payload["ts64"], validate=True)
    times = struct.unpack(f"<{len(lens)}d", packed)
    if sum(lens) != len(text):
        raise ValueError(f"the deltas' lengths add up to {sum(lens)}, the text has {len(text)} characters")
    end = 0
    for n, when in zip(lens, times, strict=False):
        start, end = end, end + n
        yield TextDelta(when, attempt, text[start:end])


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
