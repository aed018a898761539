"""The fault mix and the per-request invariants shared by the core soak and the CLI soak.

Every request, however it was driven (the retry core in-process, or a ``claude-tui run``
process), must end in exactly one outcome; carry exactly the server's text on success;
give up with a classified reason otherwise; never retry a non-retryable failure; never
use more attempts than the policy allows; never overrun its deadline (plus slack); and be
recorded as a session with the matching status and every event.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui_app.retry.events import TERMINAL_TYPES, Event
from tui_app.retry.failures import FAILURE_KINDS
from tui_app.simulator import answer_for

if TYPE_CHECKING:
    from tui_app.store.records import SessionDetail

STATUS_OF_OUTCOME = {"success": "ok", "give_up": "failed", "cancelled": "cancelled"}

FAULT_MIX: list[dict[str, Any]] = [
    {"weight": 12, "fault": "none"},
    *({"weight": 1, "fault": "status", "status": s} for s in (400, 401, 403, 404, 408, 409, 413, 500, 502, 503, 504)),
    {"weight": 2, "fault": "status", "status": 529},
    {"weight": 1, "fault": "status", "status": 429, "retry_after_ms": 20},
    {"weight": 1, "fault": "status", "status": 429, "retry_after": 1, "retry_after_date": True},
    {"weight": 1, "fault": "status", "status": 529, "retry_after": 60},
    {"weight": 1, "fault": "status", "status": 400, "should_retry": True},
    {"weight": 1, "fault": "status", "status": 503, "should_retry": False},
    {"weight": 1, "fault": "latency", "seconds": 0.05},
    {"weight": 1, "fault": "stall_before_headers", "seconds": 0.4},
    {"weight": 1, "fault": "stall_mid_stream", "seconds": 0.4, "after_chars": 50},
    {"weight": 1, "fault": "dribble", "tokens_per_second": 2000},
    {"weight": 1, "fault": "close_without_response"},
    {"weight": 1, "fault": "connection_refused", "seconds": 0.02},
    {"weight": 1, "fault": "reset_mid_stream", "after_chars": 60},
    {"weight": 1, "fault": "sse_error", "after_chars": 80},
    {"weight": 1, "fault": "sse_error", "after_chars": 80, "error_type": "invalid_request_error"},
    {"weight": 1, "fault": "truncated", "after_chars": 90},
    {"weight": 1, "fault": "malformed_sse", "after_chars": 30},
]
"""Every status kind, stalls before and during the stream, resets, refused connections,
SSE errors, truncated and malformed streams, slow dribble, and retry hints (milliseconds,
an HTTP date, and one longer than any deadline here). Read timeouts must be < 0.4 s."""


@dataclass
class Outcome:
    """One request as it happened: its events, how long it took, and its stored session."""

    prompt: str
    events: list[Event]
    wall: float
    detail: SessionDetail

    @property
    def end(self) -> Event:
        return self.events[-1]


def check_invariants(run: Outcome, *, answer_chars: int, max_attempts: int, deadline: float, slack: float) -> None:
    events = run.events
    timeline = [
        (e.type, round(e.t, 2), getattr(getattr(e, "failure", None), "kind", None)) for e in events if e.type != "text"
    ]
    terminal = [e for e in events if e.type in TERMINAL_TYPES]
    assert len(terminal) == 1 and events[-1] is terminal[0], f"exactly one outcome, and it is last: {timeline}"
    end = terminal[0]
    assert run.wall <= deadline + slack, f"{run.prompt!r} overran its deadline: {run.wall:.2f}s {timeline}"
    attempts = [e for e in events if e.type == "attempt_start"]
    assert 1 <= len(attempts) <= max_attempts, f"{len(attempts)} attempts, policy allows {max_attempts}: {timeline}"
    errors = [e for e in events if e.type == "attempt_error"]
    for err in errors:
        assert err.failure.kind in FAILURE_KINDS and err.failure.kind != "unexpected", err.failure
    for err in errors[:-1] if end.type != "success" else errors:
        assert err.failure.retryable, f"retried after a non-retryable failure: {err.failure}"
    if end.type == "success":
        assert end.text == answer_for(run.prompt, chars=answer_chars), "success carries exactly the server's text"
        assert len(errors) == len(attempts) - 1
    elif end.type == "give_up":
        assert end.failure is not None and end.failure.kind in FAILURE_KINDS
        assert end.reason in ("non_retryable", "max_attempts", "deadline")
        if end.reason == "non_retryable":
            assert not end.failure.retryable
    assert run.detail.status == STATUS_OF_OUTCOME[end.type]
    assert run.detail.prompt == run.prompt
    assert [e.to_dict() for e in run.detail.events] == [e.to_dict() for e in events], "every event recorded"


def summary(runs: list[Outcome]) -> str:
    """Requests, outcomes by kind, failures by kind, attempts, p50/p99 latency."""
    outcomes = Counter(r.end.type + (f":{r.end.reason}" if r.end.type == "give_up" else "") for r in runs)
    kinds = Counter(e.failure.kind for r in runs for e in r.events if e.type == "attempt_error")
    attempts = sum(1 for r in runs for e in r.events if e.type == "attempt_start")
    walls = sorted(r.wall for r in runs)
    p99 = walls[min(len(walls) - 1, int(len(walls) * 0.99))]
    return "\n".join(
        [
            f"requests {len(runs)}  attempts {attempts}  p50 {statistics.median(walls):.2f}s  p99 {p99:.2f}s",
            "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
            "failures: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        ]
    )


def failure_kinds(runs: list[Outcome]) -> set[str]:
    return {e.failure.kind for r in runs for e in r.events if e.type == "attempt_error"}
