"""A loopback HTTP server that answers with exact, hostile bytes: what no valid API sends.

The simulator only speaks well-formed Anthropic responses (plus scripted faults); these
tests need a body the simulator would never write — an HTML page with status 200, SSE
with CRLF line ends or invalid UTF-8, unknown event and error types. Each request gets
the next canned response (the last one repeats), and the connection is then closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field

from tui_app.simulator.sse import frame


@dataclass(frozen=True, slots=True)
class Canned:
    """One raw HTTP response."""

    body: bytes
    status: int = 200
    content_type: str = "text/event-stream"
    headers: tuple[tuple[str, str], ...] = ()

    def to_bytes(self, request_id: str) -> bytes:
        head = [
            f"HTTP/1.1 {self.status} Whatever",
            f"content-type: {self.content_type}",
            f"content-length: {len(self.body)}",
            f"request-id: {request_id}",
            "connection: close",
            *(f"{k}: {v}" for k, v in self.headers),
        ]
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class RawServer:
    """Serves ``responses`` in order on 127.0.0.1 (on the test's own event loop)."""

    responses: list[Canned]
    requests: list[bytes] = field(default_factory=list)
    _server: asyncio.base_events.Server | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def start(self) -> RawServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            self.requests.append(head + await reader.readexactly(length))
            canned = self.responses[min(len(self.requests), len(self.responses)) - 1]
            writer.write(canned.to_bytes(f"req_raw_{len(self.requests)}"))
            await writer.drain()
        writer.close()


def message_stream(text: str, *, extra: bytes = b"", line_end: bytes = b"\n") -> bytes:
    """A complete, valid Messages API stream answering ``text`` in two deltas.

    ``extra`` is inserted after the first delta (e.g. a comment or an unknown event);
    ``line_end`` replaces every ``\\n`` of the SSE framing (``\\r\\n`` or ``\\r``).
    """
    message = {
        "id": "msg_raw",
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": "test-model-a",
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 1},
    }
    half = len(text) // 2

    def delta(piece: str) -> bytes:
        return frame(
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
        )

    body = (
        frame("message_start", {"type": "message_start", "message": message})
        + frame(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        )
        + delta(text[:half])
        + extra
        + delta(text[half:])
        + frame("content_block_stop", {"type": "content_block_stop", "index": 0})
        + frame(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 2},
            },
        )
        + frame("message_stop", {"type": "message_stop"})
    )
    return body.replace(b"\n", line_end)


def error_json(error_type: str, message: str) -> bytes:
    return json.dumps({"type": "error", "error": {"type": error_type, "message": message}}).encode()
