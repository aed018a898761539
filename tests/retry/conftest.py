"""A scripted stand-in for the SDK's non-streaming call, so the whole-answer attempt is
tested without sockets (its real-socket behaviour is checked against the simulator in
tests/simulator and tests/integration)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Answer:
    """One scripted response: raise ``before`` the headers, or send ``body`` (raising
    ``on_read`` instead of it), ``takes`` seconds of the fake clock after the request."""

    body: bytes | dict[str, Any] | None = None
    before: BaseException | None = None
    on_read: BaseException | None = None
    takes: float = 0.0


def message(text: str = "Hello there", stop_reason: str | None = "end_turn", **fields: Any) -> dict[str, Any]:
    """A Messages API ``Message`` as the API returns it without streaming."""
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 5},
    }
    return body | fields


class _Response:
    def __init__(self, answer: Answer, request_id: str, advance: Any) -> None:
        self.answer, self.advance = answer, advance
        self.headers = {"request-id": request_id, "anthropic-ratelimit-requests-remaining": "7"}

    async def __aenter__(self) -> _Response:
        if self.answer.before is not None:
            raise self.answer.before
        return self

    async def __aexit__(self, *exc: object) -> bool:
        return False

    async def read(self) -> bytes:
        self.advance(self.answer.takes)
        if self.answer.on_read is not None:
            raise self.answer.on_read
        body = self.answer.body if self.answer.body is not None else message()
        return body if isinstance(body, bytes) else json.dumps(body).encode()


class WholeClient:
    """``client.messages.with_streaming_response.create(**kw)`` following a list of answers;
    records each call's arguments. Streaming calls are a test failure."""

    timeout = type("T", (), {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0})()

    def __init__(self, answers: list[Answer], fake_time: Any = None) -> None:
        self.answers, self.calls = answers, []
        self.messages = self
        self.with_streaming_response = self
        self._time = fake_time

    def _advance(self, seconds: float) -> None:
        if self._time is not None:
            self._time.now += seconds

    def create(self, **kwargs: Any) -> _Response:
        assert "stream" not in kwargs, "a non-streaming attempt sends no stream argument"
        self.calls.append(kwargs)
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return _Response(answer, f"req_{len(self.calls)}", self._advance)


@pytest.fixture
def whole_client(fake_time):
    """``whole_client(Answer(...), ...)`` -> a WholeClient on the test's fake clock."""
    return lambda *answers: WholeClient(list(answers), fake_time)
