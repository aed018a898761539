"""Writing one ``/v1/messages`` answer with its step's fault applied, byte by byte.

Faults are about *when* bytes go out and *how* the connection ends, so they live here,
next to the socket writes; the bytes themselves come from :mod:`.api`.

Before the headers: ``latency`` (silence, then a normal answer), ``stall_before_headers``
(silence, then close), ``close_without_response`` (close at once), ``status`` (an error
response with optional retry hints). After the headers (``MID_STREAM_FAULTS``) the fault
fires once ``after_chars`` characters of answer text were sent (thinking first, when the
answer thinks: a fault can strike during thinking). A non-streaming request
has no events, so there a mid-stream fault acts after ``after_chars`` bytes of the JSON
body (``truncated``: the connection closes short of Content-Length; ``malformed_sse``: the
body is cut to invalid JSON; ``sse_error``: an error response of the error type's status);
``dribble`` makes it wait as long as the stream would have taken.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from email.utils import formatdate
from typing import TYPE_CHECKING

from .api import AnswerPlan, error_body
from .http import Connection, json_bytes, response_head
from .sse import frame, raw_frame
from .steps import ERROR_TYPE_STATUS, MID_STREAM_FAULTS, Step

if TYPE_CHECKING:
    from .records import RecordedRequest

_MALFORMED_DATA = '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "unterminated'


@dataclass(slots=True)
class Reply:
    """Per-response context: the connection, the ids/rate-limit headers, the dribble rate."""

    conn: Connection
    request_id: str
    headers: list[tuple[str, str]]
    tokens_per_second: float = 0.0
    ttft: float = 0.0
    """Seconds before the first token (the scenario's); without streaming, before the response."""
    record: RecordedRequest | None = None
    """The log entry whose ``status`` is set the moment the status line is written."""

    def head(self, status: int, headers: list[tuple[str, str]]) -> bytes:
        """The status line and headers, with request-id, rate limits and Connection added."""
        if self.record is not None:
            self.record.status_sent(status)
        extra = [] if self.conn.keep_alive else [("connection", "close")]
        return response_head(status, [("request-id", self.request_id), *self.headers, *extra, *headers])

    async def send_json(self, status: int, obj: object, hints: list[tuple[str, str]] | None = None) -> None:
        body = json_bytes(obj)
        head = [("content-type", "application/json"), ("content-length", str(len(body))), *(hints or [])]
        self.conn.write(self.head(status, head) + body)
        await self.conn.drain()

    async def send_error(
        self, status: int, error_type: str, message: str, hints: list[tuple[str, str]] | None = None
    ) -> None:
        await self.send_json(status, error_body(error_type, message, self.request_id), hints)


def hint_headers(step: Step) -> list[tuple[str, str]]:
    """``retry-after`` (seconds or HTTP date), ``retry-after-ms`` and ``x-should-retry``."""
    hints = []
    if step.retry_after is not None:
        if step.retry_after_date:
            hints.append(("retry-after", formatdate(time.time() + step.retry_after, usegmt=True)))
        else:
            hints.append(("retry-after", f"{step.retry_after:g}"))
    if step.retry_after_ms is not None:
        hints.append(("retry-after-ms", f"{step.retry_after_ms:g}"))
    if step.should_retry is not None:
        hints.append(("x-should-retry", "true" if step.should_retry else "false"))
    return hints


def _step_message(step: Step) -> str:
    return step.message or f"simulated {step.error_type} ({step.label})"


async def respond(reply: Reply, plan: AnswerPlan, step: Step, *, stream: bool) -> None:
    """Answer one attempt (``reply.record.status`` tells what status line, if any, went out)."""
    conn, fault = reply.conn, step.fault
    if fault in ("latency", "stall_before_headers") and not await conn.wait_or_gone(step.seconds or 0):
        return
    if fault in ("stall_before_headers", "close_without_response", "connection_refused"):
        # connection_refused here means the client got in before the listener closed.
        await conn.hang_up()
        return
    if fault == "status":
        assert step.status is not None and step.error_type is not None
        await reply.send_error(step.status, step.error_type, _step_message(step), hint_headers(step))
        return
    tps = step.tokens_per_second if fault == "dribble" else reply.tokens_per_second
    if stream:
        await _stream(reply, plan, step, tps or 0.0)
    else:
        await _whole(reply, plan, step, tps or 0.0)


async def _stream(reply: Reply, plan: AnswerPlan, step: Step, tps: float) -> None:
    conn = reply.conn
    head = [("content-type", "text/event-stream"), ("cache-control", "no-cache"), ("transfer-encoding", "chunked")]
    if step.fault == "sse_error":
        head += hint_headers(step)
    conn.write(reply.head(200, head))
    conn.send_chunk(plan.head_frames())
    if reply.ttft:
        await conn.flush(force_drain=True)
        if not await conn.wait_or_gone(reply.ttft):
            return
    delay = 1.0 / tps if tps else 0.0
    pending = step.fault in MID_STREAM_FAULTS
    sent = 0
    for chunk, chars in plan.body_frames():  # thinking (if any), then text: one token a delta
        if pending and chars and sent >= (step.after_chars or 0):
            if await _mid_stream_fault(reply, step):
                return
            pending = False
        if conn.send_chunk(chunk):
            await conn.flush()
        sent += chars
        if delay and chars:
            await conn.flush(force_drain=True)
            await asyncio.sleep(delay)
    if pending and await _mid_stream_fault(reply, step):
        return
    conn.send_chunk(plan.tail_frames())
    await conn.end_body()


async def _mid_stream_fault(reply: Reply, step: Step) -> bool:
    """Apply a mid-stream fault; True when the response is over (ended or aborted)."""
    conn, fault = reply.conn, step.fault
    if fault in ("stall_mid_stream", "reset_mid_stream"):
        await conn.flush(force_drain=True)
        if fault == "stall_mid_stream" and await conn.wait_or_gone(step.seconds or 0):
            return False  # the client waited: carry on
        await conn.hang_up(reset=fault == "reset_mid_stream")
        return True
    if fault == "sse_error":
        error = {"type": "error", "error": {"type": step.error_type, "message": _step_message(step)}}
        conn.send_chunk(frame("error", error | {"request_id": reply.request_id}))
    elif fault == "malformed_sse":
        conn.send_chunk(raw_frame("content_block_delta", _MALFORMED_DATA))
    await conn.end_body()  # truncated, sse_error, malformed_sse: the body ends cleanly
    return True


async def _whole(reply: Reply, plan: AnswerPlan, step: Step, tps: float) -> None:
    conn, fault = reply.conn, step.fault
    if fault == "sse_error":
        assert step.error_type is not None
        status = ERROR_TYPE_STATUS[step.error_type]
        await reply.send_error(status, step.error_type, _step_message(step), hint_headers(step))
        return
    # No byte goes out before the whole answer is "generated": TTFT, then every token at
    # the scenario's speed, so the client's read timeout bounds the whole wait.
    generating = reply.ttft + (plan.output_tokens / tps if tps else 0.0)
    if generating and not await conn.wait_or_gone(generating):
        return
    if fault not in MID_STREAM_FAULTS:
        await reply.send_json(200, plan.message())
        return
    body = json_bytes(plan.message())
    cut = min(max(step.after_chars or 0, 1), len(body) - 1)
    length = cut if fault == "malformed_sse" else len(body)  # malformed: complete, but not JSON
    head = [("content-type", "application/json"), ("content-length", str(length))]
    conn.write(reply.head(200, head) + body[:cut])
    await conn.drain()
    if fault == "stall_mid_stream" and await conn.wait_or_gone(step.seconds or 0):
        conn.write(body[cut:])
        await conn.drain()
    elif fault != "malformed_sse":  # reset, truncated, or the client left during the stall
        await conn.hang_up(reset=fault == "reset_mid_stream")
