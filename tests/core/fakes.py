"""A scripted stand-in for ``AsyncAnthropic`` so runner logic is tested without sockets.

Real-socket behaviour (the SDK's own exceptions and parsing) is covered against the
simulator in tests/integration; here each attempt follows a script step.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import anthropic
import httpx2

URL = "http://sim.test/v1/messages"


def status_error(status: int, error_type: str, headers: dict[str, str] | None = None) -> anthropic.APIStatusError:
    """The SDK exception the real client raises for an HTTP error status."""
    request = httpx2.Request("POST", URL)
    body = {"type": "error", "error": {"type": error_type, "message": f"{error_type} message"}}
    response = httpx2.Response(
        status, headers={"request-id": f"req_{status}", **(headers or {})}, json=body, request=request
    )
    client = anthropic.AsyncAnthropic(api_key="k", base_url="http://sim.test")
    return client._make_status_error_from_response(response)


def sse_error(error_type: str = "overloaded_error") -> anthropic.APIStatusError:
    """What the SDK raises for an SSE ``error`` event mid-stream (status 200)."""
    request = httpx2.Request("POST", URL)
    response = httpx2.Response(200, headers={"request-id": "req_sse"}, request=request)
    body = {"type": "error", "error": {"type": error_type, "message": "mid-stream"}}
    client = anthropic.AsyncAnthropic(api_key="k", base_url="http://sim.test")
    return client._make_status_error(str(body), body=body, response=response)


class Step:
    """One scripted attempt: raise before the stream, or stream ``chunks`` then act."""

    def __init__(self, *, before=None, chunks=(), after=None, stop=True, hang=False):
        self.before, self.chunks, self.after, self.stop, self.hang = before, list(chunks), after, stop, hang


class _Stream:
    """The raw event stream ``messages.create(stream=True)`` returns."""

    def __init__(self, step: Step, request_id: str):
        self.step = step
        self.response = SimpleNamespace(
            headers={"request-id": request_id, "anthropic-ratelimit-requests-remaining": "9"}
        )

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    async def __aiter__(self):
        yield SimpleNamespace(type="message_start", message=SimpleNamespace(usage=SimpleNamespace(input_tokens=3)))
        for chunk in self.step.chunks:  # answer text, or any other event as it is
            await asyncio.sleep(0)
            if not isinstance(chunk, str):
                yield chunk
                continue
            yield SimpleNamespace(
                type="content_block_delta", index=0, delta=SimpleNamespace(type="text_delta", text=chunk)
            )
        if self.step.hang:
            await asyncio.Event().wait()
        if self.step.after is not None:
            raise self.step.after
        if self.step.stop:
            yield SimpleNamespace(
                type="message_delta",
                delta=SimpleNamespace(stop_reason="end_turn"),
                usage=SimpleNamespace(output_tokens=len(self.step.chunks)),
            )
            yield SimpleNamespace(type="message_stop")


class FakeClient:
    """``client.messages.create(stream=True, **kw)`` following a list of ``Step``s; records each call."""

    timeout = SimpleNamespace(connect=1.0, read=2.0, write=3.0, pool=4.0)

    def __init__(self, steps: list[Step]):
        self.steps = steps
        self.calls: list[dict] = []
        self.messages = self

    async def create(self, *, stream: bool, **kwargs):
        assert stream is True, "the core always streams"
        self.calls.append(kwargs)
        step = self.steps[min(len(self.calls), len(self.steps)) - 1]
        if step.hang and not step.chunks:
            await asyncio.Event().wait()
        if step.before is not None:
            raise step.before
        return _Stream(step, f"req_{len(self.calls)}")
