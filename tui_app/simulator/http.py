"""Hand-written HTTP/1.1 over asyncio streams: request parsing and response writing.

Why not an HTTP framework: faults must be exact at the byte and socket level (say nothing
for N seconds, stop in the middle of a chunked body, end the body cleanly without the
last events, send a TCP RST, close before the status line), which frameworks hide or
"fix". This module keeps only what the official SDK sends and expects: ``Content-Length``
request bodies, keep-alive, and chunked responses for streams.

Writes are batched: a stream of 20,000 small SSE frames is gathered into large chunks,
and ``drain()`` is awaited only when the transport buffer is big or a fault needs the
bytes on the wire *now* (before a stall, a reset, or between dribbled tokens).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
_BATCH_BYTES = 64 * 1024
_DRAIN_ABOVE = 256 * 1024
LAST_CHUNK = b"0\r\n\r\n"
RST_GRACE_SECONDS = 0.05


class BadRequest(Exception):
    """The bytes received are not an HTTP/1.1 request we can answer; reply 400 and close."""


@dataclass(slots=True)
class Request:
    """One parsed request. Header names are lower-case."""

    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The target without its query string (the SDK adds ``?beta=true`` for betas)."""
        return self.target.split("?", 1)[0]

    @property
    def wants_close(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        return connection == "close" or (self.version == "HTTP/1.0" and connection != "keep-alive")

    def json(self) -> Any:
        """The body parsed as JSON, or ``None`` when it is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request; ``None`` when the client closed the idle connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise BadRequest("connection closed in the middle of the request head") from None
    except asyncio.LimitOverrunError:
        raise BadRequest("request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ")
    except ValueError:
        raise BadRequest(f"bad request line {lines[0][:80]!r}") from None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise BadRequest(f"bad header line {line[:80]!r}")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise BadRequest("chunked request bodies are not supported; send Content-Length")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise BadRequest("bad Content-Length") from None
    if not 0 <= length <= MAX_BODY_BYTES:
        raise BadRequest("request body too large")
    body = await reader.readexactly(length) if length else b""
    return Request(method, target, version, headers, body)


def reason(status: int) -> str:
    """Reason phrase for the status line (529 is Anthropic's own)."""
    if status == 529:
        return "Overloaded"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def response_head(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Status line plus headers, ready to write."""
    lines = [f"HTTP/1.1 {status} {reason(status)}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def chunk(data: bytes) -> bytes:
    """One chunk of a ``Transfer-Encoding: chunked`` body."""
    return b"%x\r\n%s\r\n" % (len(data), data)


class Connection:
    """One client socket: writes, batched chunked bodies, waits that notice a hang-up, RST."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.keep_alive = True
        """Cleared when the connection must close after the current response."""
        self._pending: list[bytes] = []
        self._pending_size = 0

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    async def drain(self) -> None:
        await self.writer.drain()

    def send_chunk(self, data: bytes) -> bool:
        """Queue ``data`` for the chunked body; True when the batch is big enough to flush."""
        self._pending.append(data)
        self._pending_size += len(data)
        return self._pending_size >= _BATCH_BYTES

    async def flush(self, *, force_drain: bool = False) -> None:
        """Write the queued batch as one chunk; drain if asked or the buffer is large."""
        if self._pending:
            self.writer.write(chunk(b"".join(self._pending)))
            self._pending.clear()
            self._pending_size = 0
        if force_drain or self.writer.transport.get_write_buffer_size() > _DRAIN_ABOVE:
            await self.writer.drain()

    async def end_body(self) -> None:
        """Flush and write the last chunk: the body ends cleanly, the connection may be reused."""
        await self.flush()
        self.writer.write(LAST_CHUNK)
        await self.writer.drain()

    async def wait_or_gone(self, seconds: float) -> bool:
        """Stay silent for ``seconds``; return False early if the client hangs up.

        Anything the client sends meanwhile is discarded, so the connection is then closed
        after this response instead of being reused.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                data = await asyncio.wait_for(self.reader.read(4096), left)
            except TimeoutError:
                return True
            except ConnectionError:
                return False
            if not data:
                return False
            self.keep_alive = False
        return True

    async def hang_up(self, *, reset: bool = False) -> None:
        """End the connection now: a clean close (FIN), or an abort with a TCP RST
        (SO_LINGER 0) as a crashed proxy or load balancer does.

        Before a RST the server pauses briefly: a RST makes the client's kernel drop
        whatever it has not read yet, and the text sent before the fault must arrive.
        """
        self.keep_alive = False
        if not reset:
            self.close()
            return
        await asyncio.sleep(RST_GRACE_SECONDS)
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def close(self) -> None:
        """Close cleanly (FIN)."""
        self.writer.close()
