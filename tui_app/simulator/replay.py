"""Answering an attempt whose step is ``recorded``: the response a server once sent, again.

The bytes come from the same places as every answer's (:class:`~.api.AnswerPlan` frames,
:mod:`.respond`'s error responses and mid-stream endings), so a replayed incident is parsed
by the SDK exactly like a scripted fault; what is new here is only the pacing: headers after
``headers_after`` seconds, the recorded text at its steady rate with its pauses, then the
recorded ending. Pacing follows the loop's clock (each delta is due at a time), so thousands
of small waits do not add up to drift.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from .answers import split_deltas
from .respond import _mid_stream_fault, _whole, hint_headers
from .sse import text_delta_frame
from .steps import ERROR_TYPE_STATUS, HAPPY, Step

if TYPE_CHECKING:
    from .api import AnswerPlan
    from .http import Connection
    from .respond import Reply

_MIN_WAIT = 0.001
"""Seconds ahead of schedule below which a delta goes out at once (batched with others)."""


async def respond_recorded(reply: Reply, plan: AnswerPlan, step: Step, *, stream: bool) -> None:
    """Send the recorded response of ``step`` (its text, whatever the prompt)."""
    conn = reply.conn
    if step.headers:  # the recorded values replace the simulator's own (rate limits)
        names = {name for name, _ in step.headers}
        reply.headers = [h for h in reply.headers if h[0] not in names] + list(step.headers)
    if step.headers_after and not await conn.wait_or_gone(step.headers_after):
        return
    if step.status != 200:
        assert step.status is not None and step.error_type is not None  # defaults of a recorded step
        await reply.send_error(step.status, step.error_type, step.message or "", hint_headers(step))
        return
    plan = replace(plan, deltas=split_deltas(step.text or ""), stop_reason=step.stop_reason or "end_turn")
    ending = None  # a complete answer, else the mid-stream fault it ended with
    if step.end != "message_stop":
        ending = Step(step.end or "truncated", seconds=step.seconds, error_type=step.error_type, message=step.message)
    if stream:
        await _stream(reply, plan, step, ending)
    elif ending is not None and ending.fault == "sse_error":  # no stream to carry it: an error response
        error_type = ending.error_type or "api_error"
        await reply.send_error(
            ERROR_TYPE_STATUS.get(error_type, 500), error_type, step.message or "", hint_headers(step)
        )
    else:
        reply.ttft = 0.0  # the recorded wait was headers_after
        await _whole(reply, plan, ending or HAPPY, 0.0)


async def _stream(reply: Reply, plan: AnswerPlan, step: Step, ending: Step | None) -> None:
    conn = reply.conn
    head = [("content-type", "text/event-stream"), ("cache-control", "no-cache"), ("transfer-encoding", "chunked")]
    if ending is not None and ending.fault == "sse_error":
        head += hint_headers(step)
    conn.write(reply.head(200, head))
    conn.send_chunk(plan.head_frames())
    await conn.flush(force_drain=True)
    loop = asyncio.get_running_loop()
    pauses = list(step.pauses or ())
    per_char = 1.0 / step.chars_per_second if step.chars_per_second else 0.0
    due, sent = loop.time(), 0
    for delta in plan.deltas:
        while pauses and pauses[0][0] <= sent:
            due += pauses.pop(0)[1]
        if sent:  # the first text goes out after the first pause; later text at the steady rate
            due += len(delta) * per_char
        if not await _until(conn, due - loop.time()):
            return
        if conn.send_chunk(text_delta_frame(delta)):
            await conn.flush()
        sent += len(delta)
    due += sum(seconds for _, seconds in pauses)  # a silence after the last text, before the end
    if not await _until(conn, due - loop.time()):
        return
    if ending is None:
        conn.send_chunk(plan.tail_frames())
        await conn.end_body()
    elif not await _mid_stream_fault(reply, ending):  # a stall the client sat through: nothing more was recorded
        await conn.hang_up()


async def _until(conn: Connection, wait: float) -> bool:
    """Stay silent for ``wait`` seconds (the text so far on the wire) when that is worth a
    wait; False if the client left meanwhile."""
    if wait <= _MIN_WAIT:
        return True
    await conn.flush(force_drain=True)
    return await conn.wait_or_gone(wait)
