"""A recorded run as a scenario: what the server did, attempt by attempt, to rehearse offline.

The point is an incident on the real API becoming a file that ``claude-tui run --sim=FILE``,
``claude-tui simulate --scenario FILE`` or the ``claude_sim`` pytest fixture replays against
any client. The events hold what the *client* saw, so the scenario says what a server must do
for a client to see it again: each attempt becomes one step, a ``recorded`` step for every
response that had a status line (status, error type and message, ``retry-after`` and
``x-should-retry`` hints, the rate-limit headers, time to headers, the streamed text verbatim
with its pacing, and how it ended), a fault step for a failure before any response
(``connection_refused``, ``close_without_response``, ``stall_before_headers``).

What the events cannot say, and what is done instead (each step's comment line says it too):
- which header carried a retry hint: the failure keeps the seconds, so a whole number is
  written as ``retry_after`` (seconds, as the API sends it) and a fraction as ``retry_after_ms``;
  an HTTP-date ``retry-after`` becomes the seconds it meant when it arrived;
- exact chunk timing: condensed to a pause before the first text, pauses longer than
  ``PAUSE_MIN`` seconds (and ``PAUSE_FACTOR`` times the median gap) where they happened,
  and one steady rate between them (see :mod:`tui_app.simulator.recorded`);
- how long a silence would have lasted when the client gave up on it (a read timeout, the
  deadline, a cancel): the replayed silence is twice as long, at least a second more, so
  the same client gives up at the same point.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..retry.events import AttemptError, AttemptStart, Cancelled, GiveUp, ResponseStart, RunStart, Success, TextDelta

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..retry.events import Event
    from ..retry.failures import Failure

PAUSE_MIN = 0.1
PAUSE_FACTOR = 4.0
_STATUS_KINDS = frozenset({"rate_limited", "overloaded", "server_error", "client_error", "auth_error", "stream_error"})
_ENDS = {
    "connection_reset": "reset_mid_stream",
    "truncated_stream": "truncated",
    "malformed_stream": "malformed_sse",
    "read_timeout": "stall_mid_stream",
    "deadline_exceeded": "stall_mid_stream",
    "cancelled": "stall_mid_stream",
}
"""A failure after the headers -> how the recorded response ends (else: an SSE error event)."""
_SILENT_KINDS = frozenset({"read_timeout", "deadline_exceeded", "cancelled", "write_timeout", "pool_timeout"})


@dataclass
class _Attempt:
    """What the events say about one attempt."""

    number: int
    start: float
    carried: str = ""
    response_at: float | None = None
    ratelimit: dict[str, str] = field(default_factory=dict)
    deltas: list[TextDelta] = field(default_factory=list)
    end: float | None = None
    failure: Failure | None = None
    success: Success | None = None

    @property
    def text(self) -> str:
        """What the server sent in this attempt (not the text a ``continue`` carried over)."""
        if self.deltas:
            return "".join(d.text for d in self.deltas)
        if self.success is not None:
            return (self.success.text or "").removeprefix(self.carried)
        return ""


def scenario_data(events: Sequence[Event], *, name: str) -> tuple[dict[str, Any], list[str]]:
    """The scenario (file data) replaying ``events`` of one run, and one note per attempt."""
    runs = [e for e in events if isinstance(e, RunStart)]
    if len(runs) > 1:
        raise ValueError(f"the events hold {len(runs)} runs: give the events of one run (one --events file per run)")
    attempts = _attempts(events)
    if not attempts:
        raise ValueError("the events hold no attempt: nothing to replay")
    models = [runs[0].model] if runs else []
    models += [e.model for e in events if isinstance(e, AttemptStart)]
    steps, notes, free_at = [], [], 0.0
    for i, attempt in enumerate(attempts):
        next_start = attempts[i + 1].start if i + 1 < len(attempts) else None
        step, note = _step(attempt, free_at, next_start)
        steps.append(step)
        notes.append(f"attempt {attempt.number}: {note}")
        free_at = _server_free_at(attempt, step, free_at)
    outcome = _outcome(events)
    data: dict[str, Any] = {
        "name": name,
        "description": f"What the server did in {name} ({len(attempts)} attempts, {outcome}), replayed.",
        "models": sorted({m for m in models if m}),
        "then": "last",
        "steps": steps,
    }
    return data, notes


def _attempts(events: Sequence[Event]) -> list[_Attempt]:
    found: dict[int, _Attempt] = {}
    for event in events:
        if isinstance(event, AttemptStart):
            found[event.attempt] = _Attempt(event.attempt, event.t, event.carried_text)
            continue
        attempt = found.get(getattr(event, "attempt", 0))
        if attempt is None:
            continue
        if isinstance(event, ResponseStart):
            attempt.response_at, attempt.ratelimit = event.t, dict(event.ratelimit)
        elif isinstance(event, TextDelta):
            attempt.deltas.append(event)
        elif isinstance(event, AttemptError):
            attempt.failure, attempt.end = event.failure, event.t
        elif isinstance(event, Success):
            attempt.success, attempt.end = event, event.t
        elif isinstance(event, (GiveUp, Cancelled)) and attempt.end is None:
            attempt.end = event.t  # cut short by the deadline or a cancel, with no attempt_error
    return [found[n] for n in sorted(found)]


def _outcome(events: Sequence[Event]) -> str:
    last = next((e for e in reversed(events) if isinstance(e, (Success, GiveUp, Cancelled))), None)
    if isinstance(last, Success):
        return "answered"
    if isinstance(last, GiveUp):
        return f"gave up: {last.reason}"
    return "cancelled" if last is not None else "no outcome recorded"


def _step(a: _Attempt, free_at: float, next_start: float | None) -> tuple[dict[str, Any], str]:
    """One attempt's step and its note."""
    f, took = a.failure, _seconds((a.end if a.end is not None else a.start) - a.start)
    if a.success is not None:
        step = _response(a) | {"stop_reason": a.success.stop_reason or "end_turn"}
        return step, f"the answer, {len(a.text)} chars in {took} s ({step['stop_reason']})"
    kind = f.kind if f is not None else "cancelled"
    if f is not None and f.status not in (None, 200) and not f.mid_stream:
        step = {"fault": "recorded", "status": f.status, "headers_after": took, **_error(f)}
        return _with_headers(step, f.headers), f"HTTP {f.status} {f.label} after {took} s{_hint_note(f)}"
    if a.response_at is not None or (f is not None and f.mid_stream):
        step = _response(a)
        if f is not None and (f.kind in _STATUS_KINDS or f.status == 200) and f.kind not in _ENDS:
            step |= {"end": "sse_error", **_error(f)}
            return step, f"{len(a.text)} chars, then an SSE error event {f.label}{_hint_note(f)}"
        step["end"] = _ENDS.get(kind, "truncated")
        if step["end"] == "stall_mid_stream":
            step["seconds"] = _longer(_silence(a))
        return step, f"{len(a.text)} chars in {took} s, then {kind} ({step['end']})"
    if kind in ("connect_failed", "connect_timeout"):
        seconds = _refused_for(a, free_at, next_start)
        return {"fault": "connection_refused", "seconds": seconds}, f"{kind}: the port refused for {seconds} s"
    if kind in _SILENT_KINDS:
        seconds = _longer(_silence(a))
        return {"fault": "stall_before_headers", "seconds": seconds}, f"{kind} after {took} s with no response"
    return {"fault": "close_without_response"}, f"{kind} after {took} s: the connection closed with no response"


def _response(a: _Attempt) -> dict[str, Any]:
    """A ``recorded`` 200: time to headers, the text verbatim and its pacing, the rate limits."""
    headers_at = a.response_at if a.response_at is not None else (a.deltas[0].t if a.deltas else a.start)
    step: dict[str, Any] = {"fault": "recorded", "status": 200, "headers_after": _seconds(headers_at - a.start)}
    step["text"] = a.text
    step |= _pacing(a.deltas, headers_at)
    return _with_headers(step, a.ratelimit)


def _pacing(deltas: list[TextDelta], headers_at: float) -> dict[str, Any]:
    """The deltas' timing condensed to pauses and a steady rate (see the module doc)."""
    if not deltas:
        return {}
    gaps = [deltas[0].t - headers_at] + [b.t - a.t for a, b in zip(deltas, deltas[1:], strict=False)]
    threshold = max(PAUSE_MIN, PAUSE_FACTOR * statistics.median(gaps[1:])) if len(gaps) > 1 else PAUSE_MIN
    pauses, offset = [], 0
    for i, (delta, gap) in enumerate(zip(deltas, gaps, strict=True)):
        if (i == 0 and gap >= 0.001) or (i > 0 and gap > threshold):
            pauses.append({"after_chars": offset, "seconds": _seconds(gap)})
        offset += len(delta.text)
    steady = deltas[-1].t - deltas[0].t - sum(p["seconds"] for p in pauses if p["after_chars"] > 0)
    chars = offset - len(deltas[0].text)
    out: dict[str, Any] = {"chars_per_second": round(chars / steady, 1) if chars and steady > 0.001 else 0.0}
    if pauses:
        out["pauses"] = pauses
    return out


def _error(f: Failure) -> dict[str, Any]:
    out: dict[str, Any] = {"message": f.message}
    if f.error_type:
        out["error_type"] = f.error_type
    if f.retry_after is not None:
        whole = float(f.retry_after).is_integer()
        ms = round(f.retry_after * 1000, 3)
        out |= {"retry_after": f.retry_after} if whole else {"retry_after_ms": int(ms) if ms.is_integer() else ms}
    if f.should_retry is not None:
        out["should_retry"] = f.should_retry
    return out


def _hint_note(f: Failure) -> str:
    hints = [f"retry-after {f.retry_after:g} s"] if f.retry_after is not None else []
    hints += [f"x-should-retry {str(f.should_retry).lower()}"] if f.should_retry is not None else []
    return f" ({', '.join(hints)})" if hints else ""


def _with_headers(step: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return step | {"headers": dict(headers)} if headers else step


def _silence(a: _Attempt) -> float:
    """How long the client had heard nothing when the attempt ended."""
    last = a.deltas[-1].t if a.deltas else a.response_at if a.response_at is not None else a.start
    return max(0.0, (a.end if a.end is not None else last) - last)


def _longer(silence: float) -> float:
    return _seconds(max(2 * silence, silence + 1.0))


def _refused_for(a: _Attempt, free_at: float, next_start: float | None) -> float:
    """An outage from when the server was last free until halfway between this attempt's end
    and the next attempt's start: this one is refused, the next one gets through."""
    ended = a.end if a.end is not None else a.start
    until = (ended + next_start) / 2 if next_start is not None else ended + 1.0
    return _seconds(max(until - free_at, 0.01))


def _server_free_at(a: _Attempt, step: dict[str, Any], free_at: float) -> float:
    """When the server finished with this attempt (the end of an outage, or of the response)."""
    if step["fault"] == "connection_refused":
        return free_at + float(step["seconds"])
    return a.end if a.end is not None else a.start


def _seconds(value: float) -> float:
    return round(max(0.0, value), 3)


def scenario_toml(events: Sequence[Event], *, name: str, origin: str, prompt: str | None = None) -> str:
    """The scenario file (TOML) replaying ``events``: a comment per attempt saying what it
    replays, then the data. ``origin`` names the source in comments and errors."""
    import tomli_w

    from ..safe_text import one_line
    from ..simulator.scenarios import scenario_from_dict

    data, notes = scenario_data(events, name=name)
    scenario_from_dict(data, source=origin)  # what is written must load: a ScenarioError here is a bug
    head = [
        f"# {origin}, as a scenario: what the server did, attempt by attempt.",
        "# Replay it: claude-tui run --sim=FILE PROMPT (any prompt: the text is the recorded one),",
        "# or claude-tui simulate --scenario FILE for other clients.",
    ]
    if prompt is not None:
        head.append(f"# Prompt: {one_line(prompt)[:200]}")
    head += [
        f"# Pacing is condensed: a pause before the first text, pauses over {PAUSE_MIN:g} s where they",
        "# happened, a steady chars_per_second between them. Silences a client gave up on last twice as long.",
        *(f"# {one_line(note)}" for note in notes),
    ]
    return "\n".join(head) + "\n\n" + tomli_w.dumps(data, multiline_strings=True)
