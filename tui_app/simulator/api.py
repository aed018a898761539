"""The shapes of the Anthropic Messages API: request validation, messages, events, errors.

Everything here is pure data-in/data-out (no sockets), so the wire format the official
SDK parses is defined in one place and the fault logic in :mod:`.respond` stays about
*when* bytes go out, not *what* they look like.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .answers import answer_for, input_tokens_for, split_deltas
from .sse import frame

REQUESTS_LIMIT = 1000
TOKENS_LIMIT = 400_000


def known_models() -> tuple[str, ...]:
    """Model ids the installed SDK knows (the literal values of ``anthropic.types.Model``)."""
    from ..models import sdk_models

    return sdk_models()


class ApiError(Exception):
    """An API error response: HTTP status, error type and message."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


def check_auth(headers: dict[str, str]) -> None:
    """Any key is accepted, but one must be sent (the SDK 2.x sends ``Authorization: Bearer``)."""
    if headers.get("x-api-key") or headers.get("authorization", "").lower().startswith("bearer "):
        return
    raise ApiError(401, "authentication_error", "missing API key: send an x-api-key or authorization: Bearer header")


@dataclass(frozen=True, slots=True)
class MessageRequest:
    """The parts of a valid ``POST /v1/messages`` body the simulator uses."""

    model: str
    max_tokens: int
    prompt: str
    """Text of the FIRST user message: the answer depends on it only, so every retry
    gets the same answer."""
    stream: bool
    already_written: str = ""
    """The last assistant turn, when a user turn follows it (the "continue" mid-stream
    policy: the partial answer, then a request to go on). A model continues where that
    text stopped; so does the simulator, when it is the start of its answer."""


def parse_messages_body(body: Any, extra_models: tuple[str, ...]) -> MessageRequest:
    """Validate a request body the way the API does, naming the bad field."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request_error", "body: must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "invalid_request_error", "model: Field required (a model id string)")
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise ApiError(400, "invalid_request_error", "max_tokens: Field required (an integer >= 1)")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        raise ApiError(400, "invalid_request_error", "messages: must be a non-empty list of message objects")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "invalid_request_error", "stream: must be a boolean")
    if model not in known_models() and model not in extra_models:
        raise ApiError(404, "not_found_error", f"model: {model}")
    return MessageRequest(model, max_tokens, _first_user_text(messages), stream, _continued_from(messages))


def _first_user_text(messages: list[dict[str, Any]]) -> str:
    for message in messages:
        if message.get("role") == "user":
            return _text_of(message)
    return ""


def _continued_from(messages: list[dict[str, Any]]) -> str:
    """The assistant turn just before the final user turn, if there is one."""
    if len(messages) >= 3 and messages[-1].get("role") == "user" and messages[-2].get("role") == "assistant":
        return _text_of(messages[-2])
    return ""


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")
    return ""


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    """Everything about one answer decided up front: id, deltas, usage, stop reason."""

    message_id: str
    model: str
    deltas: list[str]
    input_tokens: int
    stop_reason: str

    @classmethod
    def build(cls, req: MessageRequest, attempt: int, answer_chars: int) -> AnswerPlan:
        answer = answer_for(req.prompt, chars=answer_chars)
        if req.already_written and answer.startswith(req.already_written):
            answer = answer[len(req.already_written) :]  # go on where the cut-off answer stopped
        deltas = split_deltas(answer)
        stop = "end_turn"
        if len(deltas) > req.max_tokens:  # one delta = one output token
            deltas, stop = deltas[: req.max_tokens], "max_tokens"
        return cls(f"msg_sim_{attempt:06d}", req.model, deltas, input_tokens_for(req.prompt), stop)

    @property
    def text(self) -> str:
        return "".join(self.deltas)

    def _message(self, content: list[dict[str, Any]], stop_reason: str | None, output_tokens: int) -> dict[str, Any]:
        return {
            "id": self.message_id,
            "type": "message",
            "role": "assistant",
            "content": content,
            "model": self.model,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": output_tokens},
        }

    def message(self) -> dict[str, Any]:
        """The whole Message, for ``stream: false``."""
        content = [{"type": "text", "text": self.text}]
        return self._message(content, self.stop_reason, len(self.deltas))

    def head_frames(self) -> bytes:
        """``message_start``, ``content_block_start`` and ``ping``."""
        return (
            frame("message_start", {"type": "message_start", "message": self._message([], None, 1)})
            + frame(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            )
            + frame("ping", {"type": "ping"})
        )

    def tail_frames(self) -> bytes:
        """``content_block_stop``, ``message_delta`` (stop reason, usage) and ``message_stop``."""
        delta = {
            "type": "message_delta",
            "delta": {"stop_reason": self.stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": len(self.deltas)},
        }
        return (
            frame("content_block_stop", {"type": "content_block_stop", "index": 0})
            + frame("message_delta", delta)
            + frame("message_stop", {"type": "message_stop"})
        )


def models_page(extra_models: tuple[str, ...]) -> dict[str, Any]:
    """``GET /v1/models``: one page with every model, newest first like the API."""
    ids = list(dict.fromkeys([*extra_models, *known_models()]))
    data = [
        {
            "type": "model",
            "id": model,
            "display_name": model.replace("-", " ").title(),
            "created_at": f"2025-{1 + i % 12:02d}-01T00:00:00Z",
            "lifecycle": "active",
        }
        for i, model in enumerate(ids)
    ]
    return {"data": data, "has_more": False, "first_id": ids[0], "last_id": ids[-1]}


class RateLimits:
    """Believable ``anthropic-ratelimit-*`` headers over a sliding one-minute window."""

    def __init__(self) -> None:
        self._window: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self._window.clear()

    def headers(
        self, tokens: int, *, count: bool = True, exhausted: bool = False, reset_in: float = 60.0
    ) -> list[tuple[str, str]]:
        """Headers for one response; ``count`` adds the request to the window first."""
        now = time.monotonic()
        if count:
            self._window.append((now, tokens))
        while self._window and self._window[0][0] < now - 60:
            self._window.popleft()
        used_tokens = sum(t for _, t in self._window)
        requests_left = 0 if exhausted else max(0, REQUESTS_LIMIT - len(self._window))
        tokens_left = 0 if exhausted else max(0, TOKENS_LIMIT - used_tokens)
        # A timestamp for people and SDKs, not a delay: wall clock is right here.
        reset_at = (datetime.now(UTC) + timedelta(seconds=reset_in)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            ("anthropic-ratelimit-requests-limit", str(REQUESTS_LIMIT)),
            ("anthropic-ratelimit-requests-remaining", str(requests_left)),
            ("anthropic-ratelimit-requests-reset", reset_at),
            ("anthropic-ratelimit-tokens-limit", str(TOKENS_LIMIT)),
            ("anthropic-ratelimit-tokens-remaining", str(tokens_left)),
            ("anthropic-ratelimit-tokens-reset", reset_at),
        ]
