"""Human wording for events, shared by the CLI's stderr lines and the TUI's panels.

One place decides how a failure, a wait or an outcome reads, so the terminal UI, the
headless run and exports never drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the TUI imports this before its first frame, the events after
    from .retry.events import AttemptError, Backoff, Cancelled, GiveUp, Success
    from .retry.failures import Failure


def seconds(value: float | None) -> str:
    """Times shown to people: seconds with one decimal."""
    return "–" if value is None else f"{value:.1f} s"


def failure_summary(failure: Failure) -> str:
    """e.g. 'overloaded_error (HTTP 529, mid-stream after 120 chars)'."""
    parts = []
    if failure.status is not None:
        parts.append(f"HTTP {failure.status}")
    if failure.mid_stream:
        parts.append(f"mid-stream after {failure.streamed_chars} chars")
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{failure.label}{detail}: {failure.message}"


def request_id_suffix(request_id: str | None) -> str:
    return f" [request-id {request_id}]" if request_id else ""


def attempt_error_line(event: AttemptError, max_attempts: int | None = None) -> str:
    failure = event.failure
    assert failure is not None
    of = f"/{max_attempts}" if max_attempts else ""
    verdict = "retryable" if failure.retryable else "not retryable"
    from .retry.fallback import is_model_not_found  # the run has its events: no import at start-up

    if is_model_not_found(failure):
        verdict = "not retryable with this model"  # a fallback model, if any, is tried next
    return (
        f"attempt {event.attempt}{of} failed after {seconds(event.duration)}: "
        f"{failure_summary(failure)} — {verdict}{request_id_suffix(failure.request_id)}"
    )


def backoff_line(event: Backoff) -> str:
    return f"waiting {seconds(event.delay)} ({event.detail}) before attempt {event.attempt + 1}"


def _with(model: str | None) -> str:
    return f" with {model}" if model else ""


def success_line(event: Success, *, model: str | None = None) -> str:
    """``model``: the one the last attempt used (``claude-tui run`` names it: scripts log it)."""
    usage = ""
    if event.input_tokens is not None or event.output_tokens is not None:
        usage = f", {event.input_tokens or 0} in / {event.output_tokens or 0} out tokens"
    speed = f", {event.tokens_per_s:.0f} tok/s" if event.tokens_per_s else ""
    plural = "s" if event.attempt != 1 else ""
    # max_tokens: complete as the API sees it, yet not the whole answer the model meant.
    reason = "max_tokens: the answer is cut off" if event.stop_reason == "max_tokens" else event.stop_reason
    return (
        f"done in {seconds(event.elapsed)} after {event.attempt} attempt{plural}{_with(model)} "
        f"({reason}{usage}, TTFT {seconds(event.ttft)}{speed})"
        f"{request_id_suffix(event.request_id)}"
    )


def give_up_line(event: GiveUp, *, model: str | None = None) -> str:
    """The detail already says why (written by the core for each give-up reason)."""
    last = f"; last error: {failure_summary(event.failure)}" if event.failure else ""
    rid = request_id_suffix(event.failure.request_id if event.failure else None)
    plural = "s" if event.attempt != 1 else ""
    return (
        f"gave up after {event.attempt} attempt{plural}{_with(model)} in {seconds(event.elapsed)}: "
        f"{event.detail}{last}{rid}"
    )


def cancelled_line(event: Cancelled) -> str:
    return f"cancelled during {event.during} of attempt {event.attempt} after {seconds(event.elapsed)}"
