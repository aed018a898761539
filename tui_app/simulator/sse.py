"""Server-Sent Events: encoding the frames the Messages API streams, and a tiny parser.

Each frame is ``event: NAME\\ndata: JSON\\n\\n``, exactly as the API sends them. The text
delta frame has its own pre-built byte template because a long answer is tens of
thousands of them: encoding them with one ``json.dumps`` of a short string each keeps the
simulator far faster than the SDK that parses them (the fidelity of timing tests depends
on the server never being the bottleneck).

:func:`parse_sse` is for tests and tools that read a raw stream (e.g. with a plain
socket) without the SDK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_DELTA_HEADS = tuple(
    b'event: content_block_delta\ndata: {"type":"content_block_delta","index":%d,"delta":{"type":"text_delta","text":'
    % index
    for index in (0, 1)
)
"""The text block is the first one, or the second after a thinking block."""
_DELTA_TAIL = b"}}\n\n"


def frame(event: str, data: Any) -> bytes:
    """One SSE frame with ``data`` as compact JSON."""
    return b"event: %s\ndata: %s\n\n" % (event.encode(), json.dumps(data, separators=(",", ":")).encode())


def text_delta_frame(text: str, index: int = 0) -> bytes:
    """A ``content_block_delta`` frame carrying ``text`` in block ``index`` (0 or 1; the same
    bytes as :func:`frame` would give)."""
    return _DELTA_HEADS[index] + json.dumps(text).encode() + _DELTA_TAIL


def thinking_delta_frame(thinking: str) -> bytes:
    """A ``thinking_delta`` of the thinking block (always the first block, index 0)."""
    delta = {"type": "thinking_delta", "thinking": thinking}
    return frame("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})


def raw_frame(event: str, data: str) -> bytes:
    """A frame whose data is sent verbatim, e.g. deliberately invalid JSON."""
    return f"event: {event}\ndata: {data}\n\n".encode()


@dataclass(frozen=True, slots=True)
class SseEvent:
    """One parsed event: its name and its data (JSON-decoded when possible, else the text)."""

    event: str | None
    data: Any


def parse_sse(payload: bytes | str) -> list[SseEvent]:
    """Parse a whole SSE body (``\\n``, ``\\r\\n`` or ``\\r`` line ends) into events."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    events: list[SseEvent] = []
    name: str | None = None
    data: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            if name is not None or data:
                events.append(SseEvent(name, _decode("\n".join(data))))
            name, data = None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
    return events


def _decode(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data
