"""Hand-made events the store, UI and run tests share: one way to write an overloaded
failure and a successful ending, so the fixtures that build runs from them cannot drift."""

from __future__ import annotations

from tui_app.retry.events import Success
from tui_app.retry.failures import Failure


def overloaded(request_id: str, *, retry_after: float | None = None) -> Failure:
    """A 529 ``overloaded_error``, as the classifier makes it."""
    return Failure(
        kind="overloaded",
        retryable=True,
        message="Overloaded",
        status=529,
        error_type="overloaded_error",
        request_id=request_id,
        retry_after=retry_after,
    )


def success(
    t: float, attempt: int, text: str, *, request_id: str, output_tokens: int, ttft: float, tokens_per_s: float
) -> Success:
    """The run's last event: ``text`` complete (``end_turn``) at ``t``, ``t`` after the start."""
    return Success(
        t=t,
        attempt=attempt,
        text=text,
        stop_reason="end_turn",
        input_tokens=12,
        output_tokens=output_tokens,
        ttft=ttft,
        tokens_per_s=tokens_per_s,
        request_id=request_id,
        elapsed=t,
    )
