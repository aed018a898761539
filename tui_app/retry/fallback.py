"""Model fallback: when to leave a model for the next one of the chain, in one place.

The rule (issue 13 §4; LiteLLM's router fallbacks are the anchor, claude-tui shows each
step): after ``fallback_after`` consecutive *overloaded* failures on one model (HTTP 529,
or an ``overloaded_error`` event mid-stream) the next attempt uses the next model of
``fallback``; a 404 ``not_found_error`` (the model does not exist for this key) moves on at
once. Other failures on a model break its run of overloads. Attempts and the deadline count
across models: the chain changes the model of the next attempt, never the limits.

Light on purpose (the policy module imports it): no SDK import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .failures import Failure


def is_overloaded(failure: Failure) -> bool:
    """HTTP 529, or an ``overloaded_error`` (the SSE ``error`` event mid-stream)."""
    return failure.kind == "overloaded" or failure.error_type == "overloaded_error"


def is_model_not_found(failure: Failure) -> bool:
    """A 404 ``not_found_error``: the model does not exist (for this key)."""
    return failure.status == 404 and failure.error_type in (None, "not_found_error")


class FallbackChain:
    """Which model the next attempt uses, and why it changed (``None``: it did not)."""

    def __init__(self, first: str, fallback: tuple[str, ...], after: int) -> None:
        self.models = (first, *(m for m in fallback if m != first))
        self.after = after
        self.index = 0
        self.overloads = 0
        """Consecutive overloaded failures on the current model."""

    @property
    def model(self) -> str:
        return self.models[self.index]

    def after_failure(self, failure: Failure) -> str | None:
        """Count ``failure`` against the current model; the reason to move on, if it is time."""
        model = self.model
        if is_model_not_found(failure):
            reason = f"{model} was not found (HTTP 404)"
        elif is_overloaded(failure):
            self.overloads += 1
            if self.overloads < self.after:
                return None
            times = "once" if self.overloads == 1 else f"{self.overloads} times in a row"
            reason = f"{model} was overloaded {times}"
        else:
            self.overloads = 0
            return None
        if self.index + 1 >= len(self.models):
            return None  # the end of the chain: the policy decides as without fallback
        self.index += 1
        self.overloads = 0
        return reason
