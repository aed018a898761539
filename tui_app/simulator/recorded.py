"""The ``recorded`` step: one server response as it happened, for replaying an incident.

The fault steps script what goes *wrong*; a recorded step says what a server *did*, read
from a recorded session (``claude-tui sessions export ID --format scenario``): the status and
error it answered with and the headers that matter, how long it took to send the headers,
the text it streamed verbatim with its timing, and how the response ended. Timing is
condensed, so an answer of 20,000 chunks stays a readable file: a steady ``chars_per_second``
between ``pauses`` (each ``{after_chars = N, seconds = S}``: a silence of S seconds once N
characters were sent; ``after_chars = 0`` is the wait for the first text). Chunk boundaries
are the simulator's own (word-ish deltas), not the recorded ones.

Validation here follows the scenario schema's rule: one line naming the field and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .steps import Step

RECORDED = "recorded"

ENDS: tuple[str, ...] = (
    "message_stop",
    "sse_error",
    "reset_mid_stream",
    "stall_mid_stream",
    "truncated",
    "malformed_sse",
)
"""How a recorded response ended: a complete answer (``message_stop``), or the mid-stream
fault of that name after all of ``text`` was sent."""

FIELDS: tuple[str, ...] = (
    "status",
    "error_type",
    "message",
    "retry_after",
    "retry_after_ms",
    "should_retry",
    "headers",
    "headers_after",
    "text",
    "chars_per_second",
    "pauses",
    "end",
    "seconds",
    "stop_reason",
)
OWN_CHECKS = frozenset(
    {"status", "error_type", "headers", "headers_after", "text", "chars_per_second", "pauses", "end", "stop_reason"}
)
"""Fields checked here; the others (message, retry hints, seconds) as in a fault step. The error
type is any string: a real server may send one the fault steps do not know."""
DEFAULT_STALL_SECONDS = 30.0
_STREAM_FIELDS = ("text", "chars_per_second", "pauses", "end", "stop_reason")


def check_field(key: str, value: object, where: str) -> Any:
    """The validated value of one field of a recorded step (fields shared with the fault
    steps are checked by the caller); raises the scenario ``FieldError``."""
    from .steps import FieldError, non_negative_number

    if key == "status":
        if not isinstance(value, int) or isinstance(value, bool) or (value != 200 and not 400 <= value <= 599):
            raise FieldError(where, f"must be 200 or an error status 400-599, not {value!r}", "e.g. status = 529")
        return value
    if key == "headers":
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise FieldError(
                where, "must be a table of header names to strings", 'e.g. headers = { "retry-after" = "1" }'
            )
        return tuple((k.lower(), v) for k, v in value.items())
    if key in ("text", "stop_reason", "error_type"):
        if not isinstance(value, str) or (key != "text" and not value):
            raise FieldError(
                where, "must be a string" + ("" if key == "text" else ", not empty"), f'quote it: {key} = "..."'
            )
        return value
    if key == "end":
        if value not in ENDS:
            raise FieldError(where, f"unknown end {value!r}", "use one of: " + ", ".join(ENDS))
        return value
    if key == "pauses":
        return _pauses(value, where)
    return non_negative_number(value, where)  # headers_after, chars_per_second


def _pauses(value: object, where: str) -> tuple[tuple[int, float], ...]:
    from .steps import FieldError, non_negative_number

    if not isinstance(value, list):
        raise FieldError(where, "must be a list of tables", "e.g. pauses = [{ after_chars = 0, seconds = 0.4 }]")
    out = []
    for i, pause in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(pause, Mapping) or set(pause) != {"after_chars", "seconds"}:
            raise FieldError(
                here, "must have after_chars and seconds, nothing else", "e.g. { after_chars = 0, seconds = 0.4 }"
            )
        chars = pause["after_chars"]
        if not isinstance(chars, int) or isinstance(chars, bool) or chars < 0:
            raise FieldError(
                f"{here}.after_chars", f"must be a whole number >= 0, not {chars!r}", "e.g. after_chars = 40"
            )
        out.append((chars, non_negative_number(pause["seconds"], f"{here}.seconds")))
    return tuple(out)


def defaults(step: Step) -> dict[str, Any]:
    """Values for the unset fields of a recorded step: a complete 200 answer unless it says
    otherwise; an error response's type from its status. An error response streams nothing."""
    from .steps import STATUS_ERROR_TYPES, FieldError

    out: dict[str, Any] = {}
    status = 200 if step.status is None else step.status
    out["status"] = status
    if status != 200:
        streamed = [name for name in _STREAM_FIELDS if getattr(step, name) is not None]
        if streamed:
            raise FieldError(
                streamed[0], f"is not used by an error response (status {status})", "remove it, or set status = 200"
            )
        if step.error_type is None:
            out["error_type"] = STATUS_ERROR_TYPES.get(status, "api_error")
        return out
    out["end"] = step.end or "message_stop"
    if step.error_type is None and out["end"] == "sse_error":
        out["error_type"] = "overloaded_error"
    if out["end"] == "stall_mid_stream" and step.seconds is None:
        out["seconds"] = DEFAULT_STALL_SECONDS
    if step.text is None:
        out["text"] = ""
    return out
