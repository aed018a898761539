"""Pieces of the Python program: which failures are retried, how long to wait, when to stop.

Each mirrors a part of the retry core: :func:`classify` ``tui_app/retry/classify.py`` and
``decide.retried`` (the policy's retried statuses, the error types, ``x-should-retry`` when
server hints are obeyed, transport failures before and during the stream),
:data:`SERVER_WAIT` its ``parse_retry_after``, :func:`jitter` ``backoff_delay`` of
``tui_app/retry/policy.py``, and :data:`GIVE_UP` the give-up rules of ``decide.next_step``
(deadline, a failure mid-stream under "give-up", a fallback switch, not retryable,
attempts used, a wait past the deadline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import py_int_set, py_seconds
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def classify(spec: ProgramSpec, retryable_error_types: frozenset[str]) -> Piece:
    """Failure -> retryable or not: the policy's statuses and server hints, and the core's
    error types (passed in by the caller)."""
    error_types = "".join(f'    "{name}",\n' for name in sorted(retryable_error_types))
    obey = spec.policy.server_hints == "obey"
    hints = (
        "# Obey the server's hints: x-should-retry overrides the status (false stops any retry)\n"
        "# and retry-after-ms / retry-after set the wait."
        if obey
        else "# Ignore the server's hints (x-should-retry, retry-after-ms, retry-after): the\n"
        "# statuses and the backoff alone decide."
    )
    constants = f"""\
# Worth another attempt: these statuses, and these error types in an `error` event
# mid-stream.
{py_int_set("RETRYABLE_STATUS", spec.policy.retry_statuses)}
RETRYABLE_ERROR_TYPES = {{
{error_types}}}
{hints}
OBEY_SERVER_HINTS = {obey}"""
    definitions = '''\
@dataclass
class Failure:
    """One failed attempt: what happened, and whether another attempt may help."""

    what: str
    retryable: bool
    wait: float | None = None  # the server's retry-after hint, in seconds
    mid_stream: bool = False  # after the response started
    status: int | None = None
    error_type: str | None = None


def classify(exc: Exception) -> Failure | None:
    """What failed, and whether another attempt may help; None for a bug of ours."""
    if isinstance(exc, anthropic.APIStatusError):
        return status_failure(exc)
    if isinstance(exc, anthropic.APIConnectionError):
        # Before the response (refused, dropped, timed out), the SDK wraps them.
        return Failure(type(exc.__cause__ or exc).__name__, retryable=True)
    if isinstance(exc, (httpx2.TransportError, OSError)):
        # Mid-stream (a reset, a stall) they arrive as httpx2's own.
        return Failure(type(exc).__name__, retryable=True, mid_stream=True)
    # A truncated answer, or data that no valid response holds.
    bad_data = (json.JSONDecodeError, UnicodeDecodeError, httpx2.DecodingError)
    if isinstance(exc, (BrokenAnswer, anthropic.APIResponseValidationError, *bad_data)):
        return Failure(f"{type(exc).__name__}: {exc}", retryable=True, mid_stream=True)
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
    if OBEY_SERVER_HINTS and should_retry in ("true", "false"):
        retryable = should_retry == "true"  # the server's word overrides the status
    if headers.get("request-id"):
        what += f" [request-id {headers['request-id']}]"
    wait = server_wait(headers) if OBEY_SERVER_HINTS else None
    mid_stream = exc.status_code == 200
    return Failure(what, retryable, wait, mid_stream, exc.status_code, error_type)'''
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
    "full": f"{_STEP}\n    return random.uniform(0, step)",
    "equal": f"{_STEP}\n    return step / 2 + random.uniform(0, step / 2)",
    "none": f"return {_STEP.removeprefix('step = ')}",
    "sdk": f"{_STEP}\n    return step * (1 - 0.25 * random.random())",
    "additive": "return min(MAX_DELAY, BASE_DELAY * 2 ** min(retry - 1, 64) + random.uniform(0, 1))",
    "decorrelated": "last = previous if previous is not None else BASE_DELAY\n"
    "    return min(MAX_DELAY, random.uniform(BASE_DELAY, max(BASE_DELAY, last * 3)))",
}
"""The body of ``backoff`` for each jitter mode (:data:`~.prose.JITTER_DOCS` says it in words)."""


def jitter(spec: ProgramSpec) -> Piece:
    """The backoff wait of the policy's jitter mode (only that one: a program, not a menu)."""
    from .prose import BACKOFF_DOC, JITTER_DOCS, wrapped

    text = BACKOFF_DOC.format(none="None") + JITTER_DOCS[spec.policy.jitter]
    doc = "\n".join(wrapped(text, '    """', "    ", width=85))
    definitions = f'''\
def backoff(retry: int, previous: float | None) -> float:
{doc}"""
    {_JITTERS[spec.policy.jitter]}'''
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
    $NEXT_WAIT_PARAMS
) -> tuple[float, str]:
    """How long to wait before the next attempt, and why; GiveUp when there is none."""
    left = deadline - time.monotonic()
    if left <= 0.001:  # the deadline came (to within the clock's resolution)
        raise GiveUp(f"the {DEADLINE:g} s deadline ran out during the attempt")
    $MID_STREAM_CHECK
    $SWITCH_CHECK
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
    $BUDGET_CHECK
    return wait, why''',
)
"""The give-up rules, in the core's order: deadline, not retryable, attempts, a wait too long.
The mid-stream and fallback pieces fill its slots when the policy has them."""

NEXT_WAIT_DEFAULTS = {
    "NEXT_WAIT_PARAMS": "failure: Failure, attempt: int, deadline: float, previous: float | None",
    "NEXT_WAIT_ARGS": "failure, attempt, deadline, previous",
    "MID_STREAM_CHECK": "",
    "SWITCH_CHECK": "",
}
""":data:`GIVE_UP`'s slots without a fallback chain or the "give-up" mid-stream policy."""


def give_up_mid_stream(spec: ProgramSpec) -> Piece:
    """Mid-stream policy "give-up": a failure once the response started ends the run."""
    from .conversation import PYTHON, first_turns

    constants = f"""\
# After a failure mid-answer, give up (as the SDK does: it never retries a stream once
# it has started); every attempt sends the same conversation.
MESSAGES = {first_turns(spec, PYTHON)}"""
    slots = {
        "MESSAGES": "MESSAGES",
        "CARRIED": "",
        "KEEP": "",
        "ANSWER": "answer",
        "MID_STREAM_CHECK": """\
if failure.mid_stream:
    raise GiveUp("a failure after the response started is not retried")""",
    }
    return Piece(constants=constants, slots=slots)
