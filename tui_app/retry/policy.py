"""Retry policy: how many attempts, how long to wait between them, and when to stop.

Backoff follows the AWS Architecture Blog analysis "Exponential Backoff and Jitter":
*full* jitter (``uniform(0, min(cap, base * 2**n))``) is the default because it spreads
competing clients best for the least total work; *equal* keeps at least half the
exponential delay; *decorrelated* (``min(cap, uniform(base, prev * 3))``) grows from the
previous delay instead of the attempt number; *none* waits exactly the capped exponential
(lock-step clients: the AWS study's worst case); *sdk* is the official SDK's own formula
(``_base_client.py`` ``_calculate_retry_timeout``: the capped exponential times
``1 - 0.25 * random()``, i.e. up to a quarter less, never more); *additive* adds
``uniform(0, 1)`` seconds to the exponential before the cap (the popular hand-written loop,
and Google Cloud's "truncated exponential backoff").

Which failures are retried, whether server hints are obeyed, and the retry budget are
policy settings too, so that the policies people compare (the SDK's, a hand-written loop,
claude-tui's) differ only in values of the same fields (:mod:`.decide` applies them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Literal

from ..schema.amounts import Fraction, Number
from ..schema.declared import setting
from ..schema.kinds import SECONDS_LIMIT as SECONDS_LIMIT  # re-exported: the core's bound on any delay
from ..schema.kinds import Choice, Integer, Seconds
from ..schema.lists import ModelList, StatusList

Jitter = Literal["full", "equal", "decorrelated", "none", "sdk", "additive"]
MidStreamPolicy = Literal["restart", "continue", "give-up"]
ServerHints = Literal["obey", "ignore"]

MAX_ATTEMPTS_LIMIT = 1000

JITTERS: tuple[str, ...] = ("full", "equal", "decorrelated", "none", "sdk", "additive")
MID_STREAM_POLICIES: tuple[str, ...] = ("restart", "continue", "give-up")
SERVER_HINTS: tuple[str, ...] = ("obey", "ignore")


RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
"""Status codes worth another attempt (the API's own advice plus 408/409): the default of
the policy's ``retry_statuses``."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Frozen, documented defaults; override with ``dataclasses.replace`` or ``with_``.

    Each field is also its setting's declaration (:func:`tui_app.schema.setting`): in a
    profile it is ``retry.NAME``.

    >>> RetryPolicy(max_attempts=3, base_delay=0.5).with_(jitter="equal").max_attempts
    3
    """

    max_attempts: int = setting(
        4,
        kind=Integer(1, MAX_ATTEMPTS_LIMIT),
        flag="--max-attempts",
        label="attempts",
        help="attempts in all, including the first (1 = never retry)",
    )
    base_delay: float = setting(
        0.5,
        kind=Seconds(allow_zero=True),
        flag="--base-delay",
        label="base delay",
        unit="s",
        help="first backoff delay",
    )
    """The first backoff is drawn around this value."""
    max_delay: float = setting(
        8.0,
        kind=Seconds(allow_zero=True),
        flag="--max-delay",
        label="max delay",
        unit="s",
        at_least="base_delay",
        help="cap of one backoff delay",
    )
    """No computed backoff exceeds this cap (server hints may, up to the deadline)."""
    jitter: Jitter = setting(
        "full",
        kind=Choice(JITTERS),
        flag="--jitter",
        label="jitter",
        help=(
            "backoff jitter (none: the capped exponential as is; sdk: the official SDK's, up to 25 % less; "
            "additive: plus up to 1 s)"
        ),
    )
    deadline: float | None = setting(
        120.0,
        kind=Seconds(none_word="none"),
        flag="--deadline",
        label="deadline s",
        unit="s",
        preset_default=True,
        help="bound on the whole call, all attempts and waits",
    )
    """None = no deadline; left unset in a profile, the timeout preset's applies."""
    mid_stream: MidStreamPolicy = setting(
        "restart",
        kind=Choice(MID_STREAM_POLICIES),
        flag="--mid-stream",
        label="mid-stream",
        help="after a failure mid-answer: start over, ask the model to continue, or give up",
    )
    """On a failure after the response started: restart from scratch (discard the partial
    text), continue (ask the model, in a new user turn, to carry on from the partial text),
    or give up (what the SDK alone does: it never retries once a stream has started)."""
    retry_statuses: tuple[int, ...] = setting(
        tuple(sorted(RETRYABLE_STATUS)),
        kind=StatusList(),
        flag="--retry-status",
        label="retried statuses",
        doc_default=", ".join(map(str, sorted(RETRYABLE_STATUS))),
        help="HTTP statuses worth another attempt (repeatable; x-should-retry overrides them)",
    )
    """Error responses with these statuses are retried; connection failures and errors
    mid-stream follow their own rules (:func:`.statuses.status_retryable`)."""
    server_hints: ServerHints = setting(
        "obey",
        kind=Choice(SERVER_HINTS),
        flag="--server-hints",
        label="server hints",
        help="obey or ignore the server's retry-after(-ms) and x-should-retry headers",
    )
    retry_budget: float | None = setting(
        None,
        kind=Fraction(none_word="none"),
        flag="--retry-budget",
        label="retry budget",
        doc_default="none",
        help="retry at most this share of the requests of the last 10 s, per process (e.g. 0.2 or 20%)",
    )
    """Envoy/Finagle-style retry budget (:mod:`.budget`), shared by every request of one process."""
    retry_budget_min: int = setting(
        3,
        kind=Integer(0, MAX_ATTEMPTS_LIMIT),
        flag="--retry-budget-min",
        label="budget minimum",
        help="retries the budget allows in any 10 s on top of its share, so a quiet client can still retry",
    )
    breaker_after: int = setting(
        0,
        kind=Integer(0, MAX_ATTEMPTS_LIMIT),
        flag="--breaker-after",
        label="breaker after",
        help="open the circuit after this many overloaded failures in a row, per process (0: no breaker)",
    )
    """Circuit breaker (:mod:`.gate`): while open, attempts are refused without a call."""
    breaker_cooldown: float = setting(
        30.0,
        kind=Seconds(),
        flag="--breaker-cooldown",
        label="breaker cooldown",
        unit="s",
        help="seconds an open circuit refuses attempts before it lets one probe through",
    )
    throttle_k: float | None = setting(
        None,
        kind=Number(1.0, 100.0, none_word="none"),
        flag="--throttle-k",
        label="throttle K",
        doc_default="none",
        help=(
            "adaptive throttling (SRE book): refuse locally with probability "
            "max(0, (requests - K * accepts) / (requests + 1)) over 2 minutes, per process; K = 2 is typical"
        ),
    )
    fallback: tuple[str, ...] = setting(
        (),
        kind=ModelList(),
        flag="--fallback",
        label="fallback models",
        doc_default="none",
        help="models to use next, in order, when one stays overloaded or is not found (repeatable)",
    )
    """The chain after the request's model (:mod:`.fallback` says when to move on)."""
    fallback_after: int = setting(
        2,
        kind=Integer(1, MAX_ATTEMPTS_LIMIT),
        flag="--fallback-after",
        label="fallback after",
        help="consecutive overloaded failures on one model before the next fallback model",
    )

    def with_(self, **changes: object) -> RetryPolicy:
        return replace(self, **changes)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Raise ``ValueError`` naming the field (``retry.max_attempts``) and the fix.

        The rules are the settings schema's (:mod:`tui_app.schema`), the same a profile or a
        flag goes through; imported here, not at the top, as the schema builds on this module.
        """
        from ..schema import SETTINGS, check_values

        prefix = "policy."
        check_values({s.key: getattr(self, s.attr[len(prefix) :]) for s in SETTINGS if s.attr.startswith(prefix)})


def backoff_delay(
    policy: RetryPolicy,
    retry_number: int,
    previous_delay: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Delay before retry number ``retry_number`` (1 = the wait after the first failure).

    Always within ``[0, policy.max_delay]``.
    """
    rand = rng or random
    cap, base = policy.max_delay, policy.base_delay
    exp = min(cap, base * (2.0 ** min(retry_number - 1, 64)))  # bounded exponent: no overflow
    if policy.jitter == "full":
        delay = rand.uniform(0, exp)
    elif policy.jitter == "equal":
        delay = exp / 2 + rand.uniform(0, exp / 2)
    elif policy.jitter == "none":
        delay = exp
    elif policy.jitter == "sdk":
        delay = exp * (1 - 0.25 * rand.random())
    elif policy.jitter == "additive":
        delay = min(cap, base * (2.0 ** min(retry_number - 1, 64)) + rand.uniform(0, 1))
    else:  # decorrelated
        prev = previous_delay if previous_delay is not None else base
        delay = rand.uniform(base, max(base, prev * 3))
    return max(0.0, min(cap, delay))
