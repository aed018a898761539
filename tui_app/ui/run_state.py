"""What the status line and the backoff countdown show, folded from the event stream.

Pure data: events go in, words come out, with ``now`` passed in rather than read, so a
snapshot test can freeze time and a replay can drive it. Times shown come from events
(``t``, ``ttft``, ``elapsed``) whenever the run is over, and from the clock only while it
is live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # dispatch is on ``event.type``: the event classes load after the first frame
    from ..retry import events as ev

LIVE_STATES = frozenset({"loading", "connecting", "waiting", "thinking", "streaming", "attempt failed", "backing off"})


@dataclass(slots=True)
class RunState:
    """The current run as the user sees it: state, speed, time used, tokens."""

    state: str = "idle"
    attempt: int = 0
    max_attempts: int = 0
    deadline: float | None = None
    started_at: float | None = None
    """Clock reading when the run started (live elapsed = now - started_at)."""
    final_elapsed: float | None = None
    first_token_at: float | None = None
    chars: int = 0
    ttft: float | None = None
    tokens_per_s: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    backoff: ev.Backoff | None = None
    backoff_until: float | None = None
    ratelimit: dict[str, str] = field(default_factory=dict)
    stream: bool = True
    """False: each attempt waits for the whole answer, bounded by the read timeout."""
    read_timeout: float | None = None
    attempt_started_at: float | None = None
    """Clock reading when the current attempt started (the read timeout's countdown)."""
    attempt_t: float = 0.0
    """The current attempt's start on the run's time (``t``), for the times to first tokens."""
    thinking_ttft: float | None = None
    """Seconds from the attempt's start to its first thinking (None: it has not thought)."""
    thinking_chars: int = 0
    cut_off: bool = False
    """The answer is complete but was cut by ``max_tokens`` (``stop_reason``)."""

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES

    def reset(self) -> None:
        """Back to the defaults: a new run shows nothing of the previous one."""
        self.__init__()  # type: ignore[misc]

    def loading(self, now: float) -> None:
        """Send was pressed before the SDK finished loading: the run waits for it."""
        self.reset()
        self.state, self.started_at = "loading", now

    def apply(self, event: ev.Event, now: float) -> None:
        """Fold one event in; ``now`` is the clock reading when it arrived."""
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event, now)

    def elapsed(self, now: float) -> float | None:
        if self.final_elapsed is not None:
            return self.final_elapsed
        return None if self.started_at is None else max(0.0, now - self.started_at)

    def backoff_left(self, now: float) -> float | None:
        if self.state != "backing off" or self.backoff_until is None:
            return None
        return max(0.0, self.backoff_until - now)

    def live_tokens_per_s(self, now: float) -> float | None:
        """Final speed when known; while streaming an estimate (about 4 characters a token)."""
        if self.tokens_per_s is not None or self.state != "streaming" or self.first_token_at is None:
            return self.tokens_per_s
        span = now - self.first_token_at
        return (self.chars / 4) / span if span > 0.05 else None

    def read_timeout_left(self, now: float) -> float | None:
        """Without streaming, while the attempt waits: seconds until its read timeout fires.

        Counted from the attempt's start: the SDK's read timeout runs from when the request
        was sent, which is that moment give or take the connect and write.
        """
        if self.stream or self.state not in ("connecting", "waiting") or self.read_timeout is None:
            return None
        if self.attempt_started_at is None:
            return None
        return max(0.0, self.read_timeout - (now - self.attempt_started_at))

    def state_text(self, now: float) -> str:
        if self.state == "backing off":
            left = self.backoff_left(now) or 0.0
            return f"backing off {left:.1f} s"
        words = _STATE_WORDS.get(self.state, self.state)
        countdown = self.read_timeout_left(now)
        if countdown is not None:
            words = "waiting for the whole answer"
        if self.state == "done" and self.cut_off:
            words = "done · cut off at max_tokens"
        if self.state in ("connecting", "waiting", "thinking", "streaming") and self.max_attempts > 1:
            words = f"{words} (attempt {self.attempt}/{self.max_attempts})"
        if countdown is not None:
            words = f"{words} · read timeout in {countdown:.1f} s"
        return words


_STATE_WORDS = {"waiting": "waiting for first token", "loading": "loading SDK…"}


def _run_start(s: RunState, e: ev.RunStart, now: float) -> None:
    s.reset()
    s.state, s.started_at, s.max_attempts, s.deadline = "connecting", now, e.max_attempts, e.deadline
    s.stream, s.read_timeout = e.stream, e.timeouts.get("read")


def _attempt_start(s: RunState, e: ev.AttemptStart, now: float) -> None:
    s.state, s.attempt, s.chars, s.first_token_at, s.ttft = "connecting", e.attempt, len(e.carried_text), None, None
    s.backoff = s.backoff_until = None
    s.attempt_started_at, s.attempt_t, s.thinking_ttft, s.thinking_chars = now, e.t, None, 0


def _response_start(s: RunState, e: ev.ResponseStart, now: float) -> None:
    s.state = "waiting"
    if e.ratelimit:
        s.ratelimit = dict(e.ratelimit)


def _first_token(s: RunState, e: ev.FirstToken, now: float) -> None:
    s.state, s.ttft, s.first_token_at = "streaming", e.ttft, now


def _text(s: RunState, e: ev.TextDelta, now: float) -> None:
    s.chars += len(e.text)


def _thinking(s: RunState, e: ev.ThinkingDelta, now: float) -> None:
    if s.thinking_ttft is None:
        s.thinking_ttft = max(0.0, e.t - s.attempt_t)
    if s.state in ("connecting", "waiting"):
        s.state = "thinking"
    s.thinking_chars += len(e.text)


def _attempt_error(s: RunState, e: ev.AttemptError, now: float) -> None:
    s.state = "attempt failed"
    if e.failure is not None and e.failure.headers:
        s.ratelimit = dict(e.failure.headers)


def _backoff(s: RunState, e: ev.Backoff, now: float) -> None:
    s.state, s.backoff, s.backoff_until = "backing off", e, now + e.delay


def _success(s: RunState, e: ev.Success, now: float) -> None:
    s.state, s.final_elapsed, s.ttft, s.tokens_per_s = "done", e.elapsed, e.ttft, e.tokens_per_s
    s.input_tokens, s.output_tokens = e.input_tokens, e.output_tokens
    s.cut_off = e.cut_off


def _give_up(s: RunState, e: ev.GiveUp, now: float) -> None:
    s.state, s.final_elapsed, s.backoff_until = "failed", e.elapsed, None


def _cancelled(s: RunState, e: ev.Cancelled, now: float) -> None:
    s.state, s.final_elapsed, s.backoff_until = "cancelled", e.elapsed, None


_HANDLERS: dict[str, Any] = {
    "run_start": _run_start,
    "attempt_start": _attempt_start,
    "response_start": _response_start,
    "first_token": _first_token,
    "text": _text,
    "thinking": _thinking,
    "attempt_error": _attempt_error,
    "backoff": _backoff,
    "success": _success,
    "give_up": _give_up,
    "cancelled": _cancelled,
}
