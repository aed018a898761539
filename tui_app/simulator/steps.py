"""One scripted fault (a :class:`Step`): its kinds, fields, defaults and validation.

A step says what the simulator does to ONE attempt (one ``POST /v1/messages``). Steps are
plain data so scenarios can live in TOML/JSON files that people edit by hand; that is why
validation is strict and every problem is reported as one line naming the field and the
fix (:class:`ScenarioError`), never as a traceback. Unknown keys are errors too: a typo
such as ``retry_afer`` would otherwise silently do nothing.

Defaults are resolved while parsing, so the :class:`Step` recorded for an attempt shows
the concrete values that were applied (e.g. ``seconds = 3.0``), not ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..schema.errors import FieldError as SettingsFieldError
from . import recorded

FAULTS: tuple[str, ...] = (
    "none",
    "status",
    "latency",
    "stall_before_headers",
    "stall_mid_stream",
    "dribble",
    "connection_refused",
    "close_without_response",
    "reset_mid_stream",
    "sse_error",
    "truncated",
    "malformed_sse",
)

STEP_KINDS: tuple[str, ...] = (*FAULTS, recorded.RECORDED)
"""What a step's ``fault`` may be: a fault to inject, or ``recorded`` (a response replayed
as it happened, see :mod:`.recorded`)."""

MID_STREAM_FAULTS = frozenset({"stall_mid_stream", "reset_mid_stream", "sse_error", "truncated", "malformed_sse"})
"""Faults that act after ``after_chars`` characters of answer text were sent."""

STATUS_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "invalid_request_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}
"""Every status a ``status`` step may use, with the API error type it carries by default."""

ERROR_TYPE_STATUS: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
"""Every API error type, with the status a non-streaming response uses for it."""

_HINTS = ("retry_after", "retry_after_ms", "retry_after_date", "should_retry")
_ALLOWED: dict[str, tuple[str, ...]] = {
    "none": (),
    "status": ("status", "error_type", "message", *_HINTS),
    "latency": ("seconds",),
    "stall_before_headers": ("seconds",),
    "stall_mid_stream": ("seconds", "after_chars"),
    "dribble": ("tokens_per_second",),
    "connection_refused": ("seconds",),
    "close_without_response": (),
    "reset_mid_stream": ("after_chars",),
    "sse_error": ("after_chars", "error_type", "message", *_HINTS),
    "truncated": ("after_chars",),
    "malformed_sse": ("after_chars",),
    recorded.RECORDED: recorded.FIELDS,
}
_DEFAULT_SECONDS = {
    "latency": 1.0,
    "stall_before_headers": 3.0,
    "stall_mid_stream": 3.0,
    "connection_refused": 1.0,
}
DEFAULT_AFTER_CHARS = 40
DEFAULT_DRIBBLE_TPS = 30.0


class ScenarioError(ValueError):
    """A scenario (file, dict or name) is not valid; the message is one line for people."""


class FieldError(ScenarioError, SettingsFieldError):
    """A problem with one field (the one field-error type of settings, profiles and scenarios);
    the scenario loader prefixes it with the source. Worded ``field: problem (fix)``."""

    def __init__(self, field: str, problem: str, fix: str = "", *, shown_as: str | None = None) -> None:
        SettingsFieldError.__init__(self, field, problem, fix, shown_as=shown_as)

    def message(self) -> str:
        return f"{self.shown_as}: {self.problem} ({self.fix})"


@dataclass(frozen=True, slots=True)
class Step:
    """What the simulator does to one attempt. Only the fields of its ``fault`` are set."""

    fault: str = "none"
    status: int | None = None
    error_type: str | None = None
    message: str | None = None
    seconds: float | None = None
    after_chars: int | None = None
    tokens_per_second: float | None = None
    retry_after: float | None = None
    retry_after_ms: float | None = None
    retry_after_date: bool = False
    should_retry: bool | None = None
    weight: float = 1.0
    """Relative chance of this step in a scenario's ``[[random]]`` list."""
    # Fields of a ``recorded`` step only (see :mod:`.recorded`).
    headers: tuple[tuple[str, str], ...] | None = None
    headers_after: float | None = None
    text: str | None = None
    chars_per_second: float | None = None
    pauses: tuple[tuple[int, float], ...] | None = None
    end: str | None = None
    stop_reason: str | None = None

    def __post_init__(self) -> None:
        # Defaults are filled here (not only when parsing files) so a Step built in code
        # behaves and logs exactly like the same step read from a scenario file.
        if self.fault not in STEP_KINDS:
            raise FieldError("fault", f"unknown fault {self.fault!r}", "use one of: " + ", ".join(STEP_KINDS))
        for name, value in _defaults(self).items():
            object.__setattr__(self, name, value)

    @property
    def label(self) -> str:
        """Short human description, e.g. ``status 529 overloaded_error`` or ``latency 1.5s``."""
        parts = [self.fault]
        if self.status is not None:
            parts.append(str(self.status))
        if self.error_type is not None:
            parts.append(self.error_type)
        if self.seconds is not None:
            parts.append(f"{self.seconds:g}s")
        if self.tokens_per_second is not None:
            parts.append(f"{self.tokens_per_second:g} tok/s")
        if self.after_chars is not None:
            parts.append(f"after {self.after_chars} chars")
        if self.text is not None:
            parts.append(f"{len(self.text)} chars then {self.end}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The step as scenario-file data: the fault plus every field not at its default."""
        out: dict[str, Any] = {"fault": self.fault}
        for f in fields(self):
            if f.name != "fault" and getattr(self, f.name) != f.default:
                out[f.name] = getattr(self, f.name)
        if self.headers is not None:
            out["headers"] = dict(self.headers)
        if self.pauses is not None:
            out["pauses"] = [{"after_chars": n, "seconds": s} for n, s in self.pauses]
        return out


def parse_step(data: object, where: str, *, weighted: bool = False) -> Step:
    """Validate one step table (``where`` names it, e.g. ``steps[2]``) and fill defaults."""
    if not isinstance(data, Mapping):
        raise FieldError(where, "must be a table", 'write it as [[steps]] with fault = "..."')
    fault = data.get("fault")
    if fault not in STEP_KINDS:
        raise FieldError(
            f"{where}.fault",
            f"unknown fault {fault!r}" if fault is not None else "missing",
            "use one of: " + ", ".join(STEP_KINDS),
        )
    allowed = set(_ALLOWED[fault]) | {"fault"} | ({"weight"} if weighted else set())
    for key in data:
        if key not in allowed:
            extra = ", ".join(sorted(allowed - {"fault"})) or "no other fields"
            raise FieldError(f"{where}.{key}", f"not a field of fault {fault!r}", f"allowed: {extra}")
    values: dict[str, Any] = {"fault": fault}
    for key in data:
        if key != "fault":
            own = fault == recorded.RECORDED and key in recorded.OWN_CHECKS
            check = recorded.check_field if own else _check_field
            values[key] = check(key, data[key], f"{where}.{key}")
    try:
        return Step(**values)
    except FieldError as exc:  # a required or inconsistent field: name it in full
        raise FieldError(f"{where}.{exc.field}", exc.problem, exc.fix) from None


def _defaults(step: Step) -> dict[str, Any]:
    """Values for the unset fields that ``step.fault`` uses; FieldError if one is required."""
    fault, out = step.fault, dict[str, Any]()
    if fault == recorded.RECORDED:
        return recorded.defaults(step)
    if fault == "status":
        if step.status is None:
            raise FieldError("status", "missing", "add status = 529 (or another status)")
        if step.error_type is None:
            out["error_type"] = STATUS_ERROR_TYPES.get(step.status, "api_error")
    if fault == "sse_error" and step.error_type is None:
        out["error_type"] = "overloaded_error"
    if step.retry_after_date and step.retry_after is None:
        raise FieldError("retry_after_date", "needs retry_after", "add retry_after = 1 (seconds from now)")
    if fault in _DEFAULT_SECONDS and step.seconds is None:
        out["seconds"] = _DEFAULT_SECONDS[fault]
    if fault == "connection_refused" and float(out.get("seconds", step.seconds) or 0) <= 0:
        raise FieldError("seconds", "must be > 0", "give the outage a length, e.g. 1.0")
    if fault in MID_STREAM_FAULTS and step.after_chars is None:
        out["after_chars"] = DEFAULT_AFTER_CHARS
    if fault == "dribble" and step.tokens_per_second is None:
        out["tokens_per_second"] = DEFAULT_DRIBBLE_TPS
    return out


def _check_field(key: str, value: object, where: str) -> Any:
    if key == "status":
        if not _is_int(value) or value not in STATUS_ERROR_TYPES:
            known = ", ".join(map(str, STATUS_ERROR_TYPES))
            raise FieldError(where, f"unsupported status {value!r}", f"use one of: {known}")
        return value
    if key == "error_type":
        if value not in ERROR_TYPE_STATUS:
            raise FieldError(where, f"unknown error type {value!r}", "use one of: " + ", ".join(ERROR_TYPE_STATUS))
        return value
    if key == "message":
        if not isinstance(value, str):
            raise FieldError(where, "must be a string", 'quote it: message = "..."')
        return value
    if key in ("retry_after_date", "should_retry"):
        if not isinstance(value, bool):
            raise FieldError(where, f"must be true or false, not {value!r}", "write true or false, unquoted")
        return value
    if key == "after_chars":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FieldError(where, f"must be a whole number >= 0, not {value!r}", "e.g. after_chars = 40")
        return value
    if key == "tokens_per_second":
        return positive_number(value, where, "e.g. tokens_per_second = 30")
    if key == "weight":
        return positive_number(value, where, "e.g. weight = 2")
    # seconds, retry_after, retry_after_ms
    return non_negative_number(value, where)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def non_negative_number(value: object, where: str) -> float:
    """A finite number >= 0 (booleans are not numbers here)."""
    if not _is_number(value) or value < 0:  # type: ignore[operator]
        raise FieldError(where, f"must be a number >= 0, not {value!r}", "e.g. 0.5")
    return float(value)  # type: ignore[arg-type]


def positive_number(value: object, where: str, example: str) -> float:
    """A finite number > 0."""
    if not _is_number(value) or value <= 0:  # type: ignore[operator]
        raise FieldError(where, f"must be a number > 0, not {value!r}", example)
    return float(value)  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


HAPPY = Step()
"""The step of an attempt that goes well."""
