"""Shared fixtures for the simulator tests: simulators, scripted scenarios, SDK and raw clients.

Every server here is real (127.0.0.1, ephemeral port) and every delay is tiny; the
official ``anthropic`` SDK is the client whenever fidelity is the point.
"""

from __future__ import annotations

import http.client
import json
from typing import Any

import anthropic
import pytest

from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import Scenario, Simulator, Step

MODEL = DEFAULT_MODEL  # the installed SDK's own: a literal id can drop out of its table
PROMPT = "How should a client retry an overloaded API?"


@pytest.fixture
def sim(make_sim: Any) -> Simulator:
    """A started simulator on the ``happy`` scenario."""
    return make_sim()


@pytest.fixture
def scripted() -> Any:
    """``scripted(step, ..., **scenario_fields)`` -> a Scenario named ``test``; steps may be
    :class:`Step` objects or dicts as in a scenario file."""

    def build(*steps: Step | dict[str, Any], **fields: Any) -> Scenario:
        parsed = tuple(s if isinstance(s, Step) else Step(**s) for s in steps)
        return Scenario("test", steps=parsed, **fields)

    return build


class SdkDriver:
    """The official async SDK pointed at a simulator, with no retries of its own."""

    def __init__(self, base_url: str, read: float) -> None:
        timeout = anthropic.Timeout(connect=1.0, read=read, write=1.0, pool=1.0)
        self.client = anthropic.AsyncAnthropic(base_url=base_url, api_key="sim-key", max_retries=0, timeout=timeout)

    async def stream(self, prompt: str = PROMPT, *, max_tokens: int = 4096, **kw: Any) -> tuple[str, Any]:
        """Stream with ``messages.stream``; return (text, final message). SDK errors propagate."""
        messages = kw.pop("messages", [{"role": "user", "content": prompt}])
        async with self.client.messages.stream(model=MODEL, max_tokens=max_tokens, messages=messages, **kw) as s:
            text = "".join([delta async for delta in s.text_stream])
            return text, await s.get_final_message()

    async def create(self, prompt: str = PROMPT, *, max_tokens: int = 4096, **kw: Any) -> Any:
        """Non-streaming ``messages.create``."""
        return await self.client.messages.create(
            model=kw.pop("model", MODEL), max_tokens=max_tokens, messages=[{"role": "user", "content": prompt}], **kw
        )

    async def call(self, *, stream: bool) -> str:
        """Either way of asking; return the answer text."""
        if stream:
            return (await self.stream())[0]
        message = await self.create()
        return message.content[0].text


@pytest.fixture
async def sdk() -> Any:
    """Factory: ``sdk(sim, read=2.0)`` -> :class:`SdkDriver`; clients closed after the test."""
    drivers: list[SdkDriver] = []

    def make(sim: Simulator, *, read: float = 2.0) -> SdkDriver:
        driver = SdkDriver(sim.base_url, read)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        await driver.client.close()


class RawResponse:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture
def raw() -> Any:
    """``raw(sim, method, path, body=None, headers=None)`` over stdlib http.client (no SDK):
    for what the SDK would refuse to send, and for admin endpoints."""

    def request(
        sim: Simulator, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> RawResponse:
        conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
        data = json.dumps(body).encode() if body is not None else None
        sent = {"x-api-key": "sim-key", "content-type": "application/json"} if headers is None else headers
        try:
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    return request


@pytest.fixture
def message_body() -> dict[str, Any]:
    """A valid non-streaming request body."""
    return {"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": PROMPT}]}


@pytest.fixture
def prompt() -> str:
    """The prompt every SdkDriver call sends by default."""
    return PROMPT


@pytest.fixture
def model() -> str:
    """The model every SdkDriver call uses (one the SDK knows and does not deprecate)."""
    return MODEL
