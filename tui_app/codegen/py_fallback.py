"""The fallback piece of the Python program: which model the next attempt uses.

:func:`fallback` writes ``tui_app/retry/fallback.py``'s ``FallbackChain`` out, and fills the
slots of :data:`~.py_retry.GIVE_UP` with ``decide.next_step``'s ``switch`` branch: after
``FALLBACK_AFTER`` consecutive overloaded failures (HTTP 529, or ``overloaded_error``
mid-stream) the next attempt uses the next model; a 404 for the model moves on at once,
without a wait. Attempts and the deadline count across models, as in the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import py_str
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec

_MODELS = '''\
class Models:
    """The model of the next attempt: MODELS in order, moving on after FALLBACK_AFTER
    overloaded failures in a row on one (HTTP 529, or overloaded_error mid-stream), or
    at once when it is not found (HTTP 404)."""

    def __init__(self) -> None:
        self.index = 0
        self.overloads = 0  # consecutive overloaded failures on the current model

    @property
    def model(self) -> str:
        return MODELS[self.index]

    def after_failure(self, failure: Failure, attempt: int) -> str:
        """Count `failure` against the current model; why the next attempt uses the next
        one ("" when it does not)."""
        not_found = failure.error_type in (None, "not_found_error")
        overloaded = failure.status == 529 or failure.error_type == "overloaded_error"
        if failure.status == 404 and not_found:
            reason = f"{self.model} was not found (HTTP 404)"
        elif overloaded:
            self.overloads += 1
            if self.overloads < FALLBACK_AFTER:
                return ""
            times = f"{self.overloads} times in a row" if self.overloads > 1 else "once"
            reason = f"{self.model} was overloaded {times}"
        else:
            self.overloads = 0
            return ""
        if self.index + 1 >= len(MODELS):
            return ""  # the end of the chain: decide as without fallback
        self.index += 1
        self.overloads = 0
        return f"{reason}: attempt {attempt + 1} uses {self.model}"'''


def fallback(spec: ProgramSpec) -> Piece:
    """The chain of models (the request's, then ``retry.fallback`` in order) and its slots."""
    chain = [spec.model, *(m for m in spec.policy.fallback if m != spec.model)]
    constants = f"""\
# Fallback models: the request's model, then these in order. Attempts and the deadline
# count across models.
MODELS = [{", ".join(["MODEL", *map(py_str, chain[1:])])}]
FALLBACK_AFTER = {spec.policy.fallback_after}  # overloaded failures in a row before the next"""
    slots = {
        "MODEL": "models.model",
        "CHAIN": "models = Models()  # which model the next attempt uses",
        "FALL_BACK": "moved_on = models.after_failure(failure, attempt)",
        "NEXT_WAIT_PARAMS": """\
failure: Failure,
attempt: int,
deadline: float,
previous: float | None,
moved_on: str,""",
        "NEXT_WAIT_ARGS": "failure, attempt, deadline, previous, moved_on",
        "SWITCH_CHECK": """\
if moved_on and not failure.retryable and attempt < MAX_ATTEMPTS:
    return 0.0, "backoff"  # the next model, at once (a 404 is no reason to stop)""",
        "FALLBACK_NOTE": '''\
if moved_on:
    verdict += f"; {moved_on}"''',
    }
    return Piece(constants=constants, definitions=_MODELS, slots=slots)
