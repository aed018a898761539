"""Model fallback: when to leave a model for the next one of the chain, in one place.

The rule (issue 13 §4; LiteLLM's router fallbacks are the anchor, claude-tui shows each
step): after ``fallback_after`` consecutive *overloaded* failures on one model (HTTP 529,
or an ``overloaded_error`` event mid-stream) the next attempt uses the next model of
``fallback``; a 404 ``not_found_error`` (the model does not exist for this key) moves on at
once. Other failures on a model break its run of overloads. Attempts and the deadline count
across models: the chain changes the model of the next attempt, never the limits.

Light on purpose (the policy declares its fields with :class:`ModelList`): no SDK import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..schema.errors import Problem, show

if TYPE_CHECKING:
    from .failures import Failure


@dataclass(frozen=True)
class ModelList:
    """A setting's kind: model ids in order (``--fallback`` is repeatable; the form takes
    them comma-separated; a profile a TOML array of strings)."""

    metavar = "MODEL"
    none_word = None
    repeatable = True
    """One flag per value (``--fallback A --fallback B``)."""
    widget: Literal["input", "select"] = "input"
    input_type: Literal["integer", "number", "text"] = "text"

    def options(self) -> tuple[str, ...]:
        return ()

    def rule(self) -> str:
        return "an array of model ids"

    def check(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)):
            raise Problem(f'must be an array of model ids, e.g. ["claude-haiku-4-5"], got {show(value)}')
        for item in value:
            if not isinstance(item, str) or not item.strip() or "," in item:
                raise Problem(f"must hold model ids (non-empty strings without commas), got {show(item)}")
        return tuple(item.strip() for item in value)

    def from_text(self, text: str) -> tuple[str, ...]:
        return self.check([part for part in (p.strip() for p in text.split(",")) if part])

    def to_text(self, value: object) -> str:
        return ", ".join(value) if isinstance(value, (list, tuple)) else ""


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
