"""The request log: what the simulator saw of each API request and what it answered.

Tests and the TUI read it to check what a client really did (how many attempts, with
which read timeout, which fault each got), so it records facts from the wire, with the
credentials masked: a log may be shown, pasted or saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .http import Request
    from .steps import Step

_MASKED = {"x-api-key", "authorization"}


@dataclass(slots=True)
class RecordedRequest:
    """One API request as the simulator saw it (admin ``/_sim/*`` requests are not logged).

    A ``connection_refused`` attempt has no request: it is logged with method and path
    ``-`` so the attempt numbering stays continuous.
    """

    method: str
    path: str
    headers: dict[str, str]
    """Lower-case names; ``x-api-key`` and ``authorization`` values are masked."""
    body: Any
    """The JSON body, or None when empty or not JSON."""
    attempt: int | None = None
    """1-based count of ``POST /v1/messages`` since start/reset; None for other endpoints."""
    step: Step | None = None
    """The step this attempt got (even when validation answered instead of the fault)."""
    read_timeout: float | None = None
    """The client's read timeout, from the SDK's ``x-stainless-read-timeout`` header."""
    status: int | None = None
    """HTTP status line sent (set as it goes out); None before, or when none was sent."""

    @classmethod
    def of(cls, request: Request) -> RecordedRequest:
        """A new entry for ``request`` (attempt, step and status are filled in later)."""
        headers, body = _mask(request.headers), request.json()
        return cls(request.method, request.path, headers, body, read_timeout=_read_timeout(request))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "headers": self.headers,
            "body": self.body,
            "attempt": self.attempt,
            "step": self.step.to_dict() if self.step else None,
            "read_timeout": self.read_timeout,
            "status": self.status,
        }


def _mask(headers: dict[str, str]) -> dict[str, str]:
    masked = dict(headers)
    for name in _MASKED & masked.keys():
        scheme = "Bearer " if masked[name].lower().startswith("bearer ") else ""
        masked[name] = scheme + "***"
    return masked


def _read_timeout(request: Request) -> float | None:
    try:
        return float(request.headers["x-stainless-read-timeout"])
    except (KeyError, ValueError):
        return None
