"""The shapes of the Anthropic Messages API: request validation, messages, events, errors.

Everything here is pure data-in/data-out (no sockets), so the wire format the official
SDK parses is defined in one place and the fault logic in :mod:`.respond` stays about
*when* bytes go out, not *what* they look like.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..retry.continuation import CONTINUE_INSTRUCTION
from .answers import answer_for, input_tokens_for, signature_for, split_deltas, thinking_for
from .catalog import entry_for
from .sse import frame, text_delta_frame, thinking_delta_frame

if TYPE_CHECKING:
    from collections.abc import Iterator

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
    """Text of the last user turn that asks something (not a request to continue): the
    answer depends on it only, so every retry — and every history before it — gets the
    same answer to it."""
    stream: bool
    already_written: str = ""
    """The last assistant turn, when a user turn follows it (the "continue" mid-stream
    policy: the partial answer, then a request to go on). A model continues where that
    text stopped; so does the simulator, when it is the start of its answer."""
    thinking: str | None = None
    """The request's ``thinking.type`` (None when it sent none)."""
    budget_tokens: int | None = None
    """``thinking.budget_tokens`` of an ``enabled`` request: the most thinking it may get."""
    stop_sequences: tuple[str, ...] = ()
    system: str = ""
    """The system prompt's text: it shapes the answer, as a model's."""
    input_tokens: int = 1
    """The request's input tokens: the system prompt and every message, about four characters a token."""


def parse_messages_body(body: Any, extra_models: tuple[str, ...], today: date) -> MessageRequest:
    """Validate a request body the way the API does, naming the bad field; ``today`` decides
    which models are retired (a 404, as the API answers for them)."""
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
    entry = entry_for(model)
    if entry.lifecycle(today) == "retired":
        raise ApiError(
            404, "not_found_error", f"model: {model} was retired on {entry.retires_at} (use a current model)"
        )
    if max_tokens > entry.max_tokens:
        raise ApiError(
            400,
            "invalid_request_error",
            f"max_tokens: {max_tokens} > {entry.max_tokens}, which is the maximum allowed number of output tokens "
            f"for {model}",
        )
    thinking, budget = _thinking(body.get("thinking"), max_tokens)
    stops = body.get("stop_sequences", [])
    if not isinstance(stops, list) or not all(isinstance(stop, str) and stop for stop in stops):
        raise ApiError(400, "invalid_request_error", "stop_sequences: must be a list of non-empty strings")
    system = _system_text(body.get("system"))
    prompt, written = _asked_text(messages), _continued_from(messages)
    # Not checked against max_input_tokens: hostile-input tests send megabytes on purpose,
    # and the context window is the listing's to say (GET /v1/models), not a fault to inject.
    counted = input_tokens_for(system + "".join(_text_of(m) for m in messages))
    return MessageRequest(model, max_tokens, prompt, stream, written, thinking, budget, tuple(stops), system, counted)


def _system_text(system: object) -> str:
    """``system`` as text: a string, or the text of its blocks (other shapes are a 400)."""
    if system is None:
        return ""
    if isinstance(system, str):
        return system
    if isinstance(system, list) and all(isinstance(b, dict) for b in system):
        return "".join(str(b.get("text", "")) for b in system if b.get("type") == "text")
    raise ApiError(400, "invalid_request_error", "system: must be a string or a list of text blocks")


THINKING_TYPES = ("enabled", "adaptive", "disabled", "between_tools")


def _thinking(thinking: object, max_tokens: int) -> tuple[str | None, int | None]:
    """``thinking``'s type and budget, checked as the API does (the SDK's ``ThinkingConfigParam``)."""
    if thinking is None:
        return None, None
    kind = thinking.get("type") if isinstance(thinking, dict) else None
    if kind not in THINKING_TYPES:
        raise ApiError(400, "invalid_request_error", f"thinking.type: must be one of {', '.join(THINKING_TYPES)}")
    assert isinstance(thinking, dict)
    if kind != "enabled":
        return kind, None
    budget = thinking.get("budget_tokens")
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 1024:
        raise ApiError(400, "invalid_request_error", "thinking.budget_tokens: must be an integer >= 1024")
    if budget >= max_tokens:
        raise ApiError(400, "invalid_request_error", "max_tokens: must be greater than thinking.budget_tokens")
    return kind, budget


def _asked_text(messages: list[dict[str, Any]]) -> str:
    """The question the answer is about: the last user turn (a follow-up's, in a
    conversation), or the one before a request to continue."""
    asked = [m for m in messages if m.get("role") == "user" and not _is_continue(m)]
    return _text_of(asked[-1]) if asked else ""


def _continued_from(messages: list[dict[str, Any]]) -> str:
    """The partial answer a request to continue goes on from: the assistant turn just
    before a final user turn asking to continue (the core's "continue" policy). Any other
    user turn after an assistant turn is a follow-up, answered afresh."""
    if len(messages) >= 3 and _is_continue(messages[-1]) and messages[-2].get("role") == "assistant":
        return _text_of(messages[-2])
    return ""


def _is_continue(message: dict[str, Any]) -> bool:
    return message.get("role") == "user" and _text_of(message) == CONTINUE_INSTRUCTION


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")
    return ""


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    """Everything about one answer decided up front: id, deltas, usage, stop reason.

    With thinking, a thinking block (``thoughts``, then a signature) comes first, as the
    API sends it, and the text is the second block. Every delta is one output token, and
    thinking tokens count toward ``max_tokens`` as the API counts them.
    """

    message_id: str
    model: str
    deltas: list[str]
    input_tokens: int
    stop_reason: str
    thoughts: tuple[str, ...] = ()
    stop_sequence: str | None = None
    """The stop sequence the answer ended at (``stop_reason`` ``stop_sequence``)."""

    @classmethod
    def build(cls, req: MessageRequest, attempt: int, answer_chars: int, *, thinking_chars: int = 0) -> AnswerPlan:
        """``thinking_chars``: how much the model thinks first (0: not at all)."""
        answer = answer_for(req.prompt, chars=answer_chars, system=req.system)
        if req.already_written and answer.startswith(req.already_written):
            answer = answer[len(req.already_written) :]  # go on where the cut-off answer stopped
        thoughts = split_deltas(thinking_for(req.prompt, chars=thinking_chars)) if thinking_chars else []
        limit = min(req.budget_tokens or req.max_tokens, req.max_tokens - 1)
        thoughts = thoughts[: max(limit, 1)]
        answer, matched = _until_stop(answer, req.stop_sequences)
        deltas = split_deltas(answer)
        stop = "end_turn" if matched is None else "stop_sequence"
        room = req.max_tokens - len(thoughts)
        if len(deltas) > room:  # one delta = one output token
            deltas, stop, matched = deltas[:room], "max_tokens", None
        return cls(f"msg_sim_{attempt:06d}", req.model, deltas, req.input_tokens, stop, tuple(thoughts), matched)

    @property
    def text(self) -> str:
        return "".join(self.deltas)

    @property
    def thinking(self) -> str:
        return "".join(self.thoughts)

    @property
    def text_index(self) -> int:
        """The text block's index: 1 after a thinking block, else 0."""
        return 1 if self.thoughts else 0

    @property
    def output_tokens(self) -> int:
        return len(self.thoughts) + len(self.deltas)

    def _message(self, content: list[dict[str, Any]], stop_reason: str | None, output_tokens: int) -> dict[str, Any]:
        return {
            "id": self.message_id,
            "type": "message",
            "role": "assistant",
            "content": content,
            "model": self.model,
            "stop_reason": stop_reason,
            "stop_sequence": self.stop_sequence if stop_reason else None,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": output_tokens},
        }

    def _thinking_block(self) -> dict[str, Any]:
        return {"type": "thinking", "thinking": self.thinking, "signature": signature_for(self.thinking)}

    def message(self) -> dict[str, Any]:
        """The whole Message, for ``stream: false``."""
        content = [self._thinking_block()] if self.thoughts else []
        content.append({"type": "text", "text": self.text})
        return self._message(content, self.stop_reason, self.output_tokens)

    def head_frames(self) -> bytes:
        """``message_start``, the first ``content_block_start`` (thinking or text) and ``ping``."""
        first = {"type": "thinking", "thinking": "", "signature": ""} if self.thoughts else {"type": "text", "text": ""}
        return (
            frame("message_start", {"type": "message_start", "message": self._message([], None, 1)})
            + frame("content_block_start", {"type": "content_block_start", "index": 0, "content_block": first})
            + frame("ping", {"type": "ping"})
        )

    def body_frames(self) -> Iterator[tuple[bytes, int]]:
        """The deltas' frames in order, each with its characters (0: no token, e.g. the
        thinking block's signature and end, and the text block's start)."""
        for thought in self.thoughts:
            yield thinking_delta_frame(thought), len(thought)
        if self.thoughts:
            yield self._thinking_end(), 0
        index = self.text_index
        for delta in self.deltas:
            yield text_delta_frame(delta, index), len(delta)

    def _thinking_end(self) -> bytes:
        signature = {"type": "signature_delta", "signature": signature_for(self.thinking)}
        text_start = {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}
        return (
            frame("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": signature})
            + frame("content_block_stop", {"type": "content_block_stop", "index": 0})
            + frame("content_block_start", text_start)
        )

    def tail_frames(self) -> bytes:
        """``content_block_stop``, ``message_delta`` (stop reason, usage) and ``message_stop``."""
        delta = {
            "type": "message_delta",
            "delta": {"stop_reason": self.stop_reason, "stop_sequence": self.stop_sequence},
            "usage": {"output_tokens": self.output_tokens},
        }
        return (
            frame("content_block_stop", {"type": "content_block_stop", "index": self.text_index})
            + frame("message_delta", delta)
            + frame("message_stop", {"type": "message_stop"})
        )


def _until_stop(answer: str, stops: tuple[str, ...]) -> tuple[str, str | None]:
    """The answer up to the first stop sequence in it (which is not sent), and that sequence."""
    found = [(answer.find(stop), stop) for stop in stops if stop in answer]
    if not found:
        return answer, None
    at, stop = min(found)
    return answer[:at], stop


def model_ids(extra_models: tuple[str, ...]) -> list[str]:
    """Every model the simulator serves: the scenario's own first, then the SDK's (newest first)."""
    return list(dict.fromkeys([*extra_models, *known_models()]))


def models_page(extra_models: tuple[str, ...], today: date) -> dict[str, Any]:
    """``GET /v1/models``: one page with every model as the API lists it today (retired
    ones included: the API keeps them in the catalogue with ``lifecycle`` "retired")."""
    ids = model_ids(extra_models)
    data = [entry_for(model).info(today) for model in ids]
    return {"data": data, "has_more": False, "first_id": ids[0], "last_id": ids[-1]}


def model_info(model: str, extra_models: tuple[str, ...], today: date) -> dict[str, Any]:
    """``GET /v1/models/{id}``: one model, or a 404 for an id the simulator does not serve."""
    if model not in model_ids(extra_models):
        raise ApiError(404, "not_found_error", f"model: {model}")
    return entry_for(model).info(today)


class RateLimits:
    """Believable ``anthropic-ratelimit-*`` headers over fixed one-minute windows.

    As the API's: within a window ``remaining`` only counts down and the reset time stays
    the same (the window's end); the window after it starts full again at the first
    request it sees. A scripted 429 says "exhausted" with its own ``retry-after`` as reset.
    """

    WINDOW = 60.0

    def __init__(self) -> None:
        self._started: float | None = None
        self._reset_at = ""
        self._requests = 0
        self._tokens = 0

    def reset(self) -> None:
        self._started = None
        self._requests = self._tokens = 0

    def _window(self, now: float) -> None:
        if self._started is None or now >= self._started + self.WINDOW:
            self._started, self._requests, self._tokens = now, 0, 0
            # A timestamp for people and SDKs, not a delay: wall clock is right here.
            end = datetime.now(UTC) + timedelta(seconds=self.WINDOW)
            self._reset_at = end.strftime("%Y-%m-%dT%H:%M:%SZ")

    def headers(
        self, tokens: int, *, count: bool = True, exhausted: bool = False, reset_in: float = 60.0
    ) -> list[tuple[str, str]]:
        """Headers for one response; ``count`` adds the request to the window first."""
        self._window(time.monotonic())
        if count:
            self._requests += 1
            self._tokens += tokens
        requests_left = 0 if exhausted else max(0, REQUESTS_LIMIT - self._requests)
        tokens_left = 0 if exhausted else max(0, TOKENS_LIMIT - self._tokens)
        reset_at = self._reset_at
        if exhausted:
            reset_at = (datetime.now(UTC) + timedelta(seconds=reset_in)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            ("anthropic-ratelimit-requests-limit", str(REQUESTS_LIMIT)),
            ("anthropic-ratelimit-requests-remaining", str(requests_left)),
            ("anthropic-ratelimit-requests-reset", reset_at),
            ("anthropic-ratelimit-tokens-limit", str(TOKENS_LIMIT)),
            ("anthropic-ratelimit-tokens-remaining", str(tokens_left)),
            ("anthropic-ratelimit-tokens-reset", reset_at),
        ]
