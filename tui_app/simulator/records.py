"""The request log: what the simulator saw of each API request and what it answered.

Tests and the TUI read it to check what a client really did (how many attempts, with
which read timeout, which fault each got), so it records facts from the wire, with the
credentials masked: a log may be shown, pasted or saved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
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
    received_at: float | None = None
    """Seconds since the simulator started (monotonic) when the request had been read (for
    a refused attempt: when its outage began). Gaps between attempts are the client's waits."""
    headers_after: float | None = None
    """Seconds from ``received_at`` to the status line; None when none was sent."""
    duration: float | None = None
    """Seconds from ``received_at`` until the response was over (last byte, or the connection
    dropped); None while it is still going, and for a refused attempt."""
    _received: float = field(default_factory=time.monotonic, repr=False, compare=False)

    @classmethod
    def of(cls, request: Request, received_at: float) -> RecordedRequest:
        """A new entry for ``request`` (attempt, step and status are filled in later)."""
        headers, body = _mask(request.headers), request.json()
        return cls(
            request.method, request.path, headers, body, read_timeout=_read_timeout(request), received_at=received_at
        )

    @property
    def fault(self) -> str | None:
        """The fault this attempt got (``"none"`` for a normal answer); None off ``/v1/messages``."""
        return self.step.fault if self.step is not None else None

    def status_sent(self, status: int) -> None:
        """The status line went out now."""
        self.status = status
        self.headers_after = time.monotonic() - self._received

    def ended(self) -> None:
        """The response is over now (answered, cut off, or the client left)."""
        self.duration = time.monotonic() - self._received

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
            "fault": self.fault,
            "received_at": self.received_at,
            "headers_after": self.headers_after,
            "duration": self.duration,
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
