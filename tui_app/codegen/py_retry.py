"""Pieces of the Python program: which failures are retried, how long to wait, when to stop.

Each mirrors a part of the retry core: :func:`classify` ``tui_app/retry/classify.py``
(retried statuses and error types, ``x-should-retry``, transport failures before and
during the stream), :data:`SERVER_WAIT` its ``parse_retry_after``, :func:`jitter`
``backoff_delay`` of ``tui_app/retry/policy.py``, and :data:`GIVE_UP` the give-up rules of
``RetryRun._next_step`` (deadline, not retryable, attempts used, a wait past the deadline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import py_seconds
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def classify(retryable_status: frozenset[int], retryable_error_types: frozenset[str]) -> Piece:
    """Failure -> retryable or not: the sets are the core's own, passed in by the caller."""
    error_types = "".join(f'    "{name}",\n' for name in sorted(retryable_error_types))
    constants = f"""\
# Worth another attempt: these statuses, and these error types in an `error` event
# mid-stream. Not 400, 401, 403, 404 or 413, unless the server says x-should-retry: true
# (and x-should-retry: false stops any retry).
RETRYABLE_STATUS = {{{", ".join(map(str, sorted(retryable_status)))}}}
RETRYABLE_ERROR_TYPES = {{
{error_types}}}"""
    definitions = '''\
@dataclass
class Failure:
    """One failed attempt: what happened, and whether another attempt may help."""

    what: str
    retryable: bool
    wait: float | None = None  # the server's retry-after hint, in seconds


def classify(exc: Exception) -> Failure | None:
    """What failed, and whether another attempt may help; None for a bug of ours."""
    if isinstance(exc, anthropic.APIStatusError):
        return status_failure(exc)
    if isinstance(exc, (anthropic.APIConnectionError, httpx2.TransportError, OSError)):
        # Refused, dropped or reset connections and timeouts. The SDK wraps them before
        # the response; mid-stream (a reset, a stall) they arrive as httpx2's own.
        return Failure(type(exc.__cause__ or exc).__name__, retryable=True)
    # A truncated stream, or data that no valid stream holds.
    bad_data = (json.JSONDecodeError, UnicodeDecodeError, httpx2.DecodingError)
    if isinstance(exc, (BrokenStream, anthropic.APIResponseValidationError, *bad_data)):
        return Failure(f"{type(exc).__name__}: {exc}", retryable=True)
    return None


def status_failure(exc: anthropic.APIStatusError) -> Failure:
    """An error response, or an `error` event mid-stream: then the HTTP status is 200
    and the body carries the real type (e.g. overloaded_error)."""
    error = exc.body.get("error") if isinstance(exc.body, dict) else None
    error_type = error.get("type") if isinstance(error, dict) else None
    if exc.status_code == 200:
        retryable = error_type is None or error_type in RETRYABLE_ERROR_TYPES
        what = f"{error_type} event in the stream"
    else:
        retryable = exc.status_code in RETRYABLE_STATUS
        what = f"{error_type} (HTTP {exc.status_code})"
    headers = exc.response.headers
    should_retry = headers.get("x-should-retry", "").strip().lower()
    if should_retry in ("true", "false"):  # the server's word overrides the status
        retryable = should_retry == "true"
    if headers.get("request-id"):
        what += f" [request-id {headers['request-id']}]"
    return Failure(what, retryable, server_wait(headers))'''
    imports = ("import json", "from dataclasses import dataclass", "import anthropic", "import httpx2")
    return Piece(imports=imports, constants=constants, definitions=definitions)


SERVER_WAIT = Piece(
    imports=("import email.utils", "import math", "from datetime import UTC, datetime"),
    definitions='''\
def server_wait(headers: httpx2.Headers) -> float | None:
    """The server's hint in seconds: retry-after-ms, else retry-after (seconds or an
    HTTP date); None without a usable one."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            seconds = float(headers.get(name, "")) * scale
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    try:
        when = email.utils.parsedate_to_datetime(headers.get("retry-after", ""))
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())''',
)

_STEP = "step = min(MAX_DELAY, BASE_DELAY * 2 ** min(retry - 1, 64))"
_JITTERS = {
    "full": (
        'Full jitter (AWS "Exponential Backoff and Jitter"): drawn\n'
        "    from 0 up to BASE_DELAY * 2**(retry - 1), capped at MAX_DELAY.",
        f"{_STEP}\n    return random.uniform(0, step)",
    ),
    "equal": (
        'Equal jitter (AWS "Exponential Backoff and Jitter"): half\n'
        "    of BASE_DELAY * 2**(retry - 1), capped at MAX_DELAY, plus up to the other half.",
        f"{_STEP}\n    return step / 2 + random.uniform(0, step / 2)",
    ),
    "none": (
        "No jitter: BASE_DELAY * 2**(retry - 1), capped at\n    MAX_DELAY (every client that failed together retries together).",
        f"return {_STEP.removeprefix('step = ')}",
    ),
    "sdk": (
        "The official SDK's own backoff (_base_client.py):\n"
        "    BASE_DELAY * 2**(retry - 1), capped at MAX_DELAY, times 1 - 0.25 * random().",
        f"{_STEP}\n    return step * (1 - 0.25 * random.random())",
    ),
    "additive": (
        "Exponential plus up to one second: BASE_DELAY *\n    2**(retry - 1) + uniform(0, 1), capped at MAX_DELAY.",
        "return min(MAX_DELAY, BASE_DELAY * 2 ** min(retry - 1, 64) + random.uniform(0, 1))",
    ),
    "decorrelated": (
        'Decorrelated jitter (AWS "Exponential Backoff and\n'
        '    Jitter"): drawn between BASE_DELAY and three times the previous wait, capped at\n'
        "    MAX_DELAY.",
        "last = previous if previous is not None else BASE_DELAY\n"
        "    return min(MAX_DELAY, random.uniform(BASE_DELAY, max(BASE_DELAY, last * 3)))",
    ),
}


def jitter(spec: ProgramSpec) -> Piece:
    """The backoff wait of the policy's jitter mode (only that one: a program, not a menu)."""
    doc, body = _JITTERS[spec.policy.jitter]
    definitions = f'''\
def backoff(retry: int, previous: float | None) -> float:
    """Seconds to wait after failed attempt `retry` (`previous`: the last backoff wait,
    None before the first). {doc}"""
    {body}'''
    return Piece(imports=() if spec.policy.jitter == "none" else ("import random",), definitions=definitions)


def policy(spec: ProgramSpec) -> Piece:
    """Attempts, backoff bounds and the deadline (the constants; :data:`GIVE_UP` uses them)."""
    p = spec.policy
    deadline_note = "seconds for the whole call, attempts and waits included"
    if p.deadline is None:
        deadline_note = "no bound on the whole call (only MAX_ATTEMPTS ends it)"
    constants = f"""\
# Retry policy.
MAX_ATTEMPTS = {p.max_attempts}  # attempts in all, the first included
BASE_DELAY = {py_seconds(p.base_delay)}  # seconds: the first backoff step
MAX_DELAY = {py_seconds(p.max_delay)}  # seconds: no backoff wait is longer (a server hint may be)
DEADLINE = {py_seconds(p.deadline)}  # {deadline_note}"""
    return Piece(imports=("import math",) if p.deadline is None else (), constants=constants)


GIVE_UP = Piece(
    imports=("import time",),
    definitions='''\
class GiveUp(Exception):
    """No further attempt; the message says why."""


def next_wait(
    failure: Failure, attempt: int, deadline: float, previous: float | None
) -> tuple[float, str]:
    """How long to wait before the next attempt, and why; GiveUp when there is none."""
    left = deadline - time.monotonic()
    if left <= 0.001:  # the deadline came (to within the clock's resolution)
        raise GiveUp(f"the {DEADLINE:g} s deadline ran out during the attempt")
    if not failure.retryable:
        raise GiveUp("that is not retried")
    if attempt >= MAX_ATTEMPTS:
        raise GiveUp(f"no attempts left (all {MAX_ATTEMPTS} used)")
    if failure.wait:  # a server hint wins over the computed backoff
        wait, why = failure.wait, "retry-after"
    else:
        wait, why = backoff(attempt, previous), "backoff"
    if wait >= left:  # never sleep past the deadline: say so now instead
        raise GiveUp(f"{why} asks for {wait:.1f} s, {left:.1f} s before the deadline")
    return wait, why''',
)
"""The give-up rules, in the core's order: deadline, not retryable, attempts, a wait too long."""
