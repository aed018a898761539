"""The policies the lab compares: built-ins, saved profiles and policy files.

A policy is a whole :class:`~tui_app.settings.RunSettings` (retry policy, timeouts, model),
so a profile that runs in ``claude-tui run`` is compared as it would run; the built-ins are
settings values too, never rules of their own: what makes ``sdk-default`` the SDK is the
values of the same fields :func:`tui_app.retry.decide.next_step` reads for every policy.

Where each built-in's figures come from:

``sdk-default`` — what ``anthropic`` (2.15, ``anthropic/_constants.py`` and
``anthropic/_base_client.py``) does on its own: ``DEFAULT_MAX_RETRIES = 2`` (3 attempts);
``_should_retry``: ``x-should-retry`` true/false first, then 408, 409, 429 and every status
>= 500, and (``_should_retry_exception``) any ``APIConnectionError``, timeouts included;
``_calculate_retry_timeout``: a positive ``retry-after-ms``/``retry-after`` as is (no cap
but ``4_294_967`` s), else ``min(INITIAL_RETRY_DELAY * 2**n, MAX_RETRY_DELAY) * (1 - 0.25 *
random())`` with 0.5 and 8.0 s (jitter ``sdk``); no deadline; ``DEFAULT_TIMEOUT =
Timeout(600, connect=5.0)``; its retries wrap only the request, never a stream once it has
started (``mid_stream = give-up``).

``seed-article`` — the hand-written loop seen in many posts: 6 attempts, ``min(60, 2**n +
uniform(0, 1))`` seconds from 1 s (jitter ``additive``), retrying 429, 500, 502, 503 and 529
and connection errors, reading neither ``retry-after`` nor ``x-should-retry``, no deadline,
nothing done about a failure mid-stream; the SDK's default timeouts.

``no-jitter``, ``full-jitter``, ``equal-jitter``, ``decorrelated-jitter`` — the AWS
"Exponential Backoff and Jitter" modes on one shared base: 10 attempts, 0.5 s base, 30 s
cap, no deadline, claude-tui's other defaults. ``none``: one attempt. ``claude-tui``: the
defaults of ``claude-tui run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..simulator.steps import ScenarioError

if TYPE_CHECKING:
    from ..retry.policy import RetryPolicy
    from ..settings import RunSettings
    from ..timeouts import Timeouts

SDK_TIMEOUTS = {"connect": 5.0, "read": 600.0, "write": 600.0, "pool": 600.0}
"""``anthropic._constants.DEFAULT_TIMEOUT``: 600 s for everything but connecting (5 s)."""
SDK_RETRIED = (408, 409, 429, *range(500, 600))
AWS_BASE = {"retry.max_attempts": 10, "retry.base_delay": 0.5, "retry.max_delay": 30.0, "retry.deadline": None}

BUILTIN_POLICIES: dict[str, dict[str, object]] = {
    "none": {"retry.max_attempts": 1, "retry.deadline": None},
    "sdk-default": {
        "retry.max_attempts": 3,
        "retry.base_delay": 0.5,
        "retry.max_delay": 8.0,
        "retry.jitter": "sdk",
        "retry.retry_statuses": SDK_RETRIED,
        "retry.mid_stream": "give-up",
        "retry.deadline": None,
        **{f"timeouts.{k}": v for k, v in SDK_TIMEOUTS.items()},
    },
    "seed-article": {
        "retry.max_attempts": 6,
        "retry.base_delay": 1.0,
        "retry.max_delay": 60.0,
        "retry.jitter": "additive",
        "retry.retry_statuses": (429, 500, 502, 503, 529),
        "retry.server_hints": "ignore",
        "retry.mid_stream": "give-up",
        "retry.deadline": None,
        **{f"timeouts.{k}": v for k, v in SDK_TIMEOUTS.items()},
    },
    "no-jitter": {**AWS_BASE, "retry.jitter": "none"},
    "full-jitter": {**AWS_BASE, "retry.jitter": "full"},
    "equal-jitter": {**AWS_BASE, "retry.jitter": "equal"},
    "decorrelated-jitter": {**AWS_BASE, "retry.jitter": "decorrelated"},
    "claude-tui": {},
}
"""Built-in name -> the settings (by profile key) that make it, on top of the defaults."""

MAX_POLICIES = 6


@dataclass(frozen=True, slots=True)
class LabPolicy:
    """A named set of settings; the lab reads its effective retry policy, timeouts and model."""

    name: str
    settings: RunSettings

    @property
    def policy(self) -> RetryPolicy:
        return self.settings.effective_policy()

    @property
    def timeouts(self) -> Timeouts:
        return self.settings.timeouts()

    @property
    def model(self) -> str:
        return self.settings.model


def builtin(name: str) -> LabPolicy:
    from ..settings import RunSettings

    return LabPolicy(name, RunSettings.from_values(BUILTIN_POLICIES[name]))


def load_policy(spec: str) -> LabPolicy:
    """A built-in name, a policy file (profile-format TOML; named by its stem) or a profile.

    Raises ``ScenarioError`` (one line) when it is none of them or does not load.
    """
    if spec in BUILTIN_POLICIES:
        return builtin(spec)
    path = Path(spec).expanduser()
    if path.suffix.lower() == ".toml" or "/" in spec:
        return LabPolicy(path.stem, _policy_file(path))
    from ..store.profiles import ProfileError, list_profiles, load_profile

    if spec not in list_profiles():
        known = ", ".join(BUILTIN_POLICIES)
        raise ScenarioError(f"policy {spec!r}: not a built-in ({known}), a saved profile or a .toml file")
    try:
        return LabPolicy(spec, load_profile(spec))
    except ProfileError as exc:
        raise ScenarioError(str(exc)) from None


def _policy_file(path: Path) -> RunSettings:
    from ..schema import FieldError
    from ..store.profile_format import parse
    from .servers import read_toml

    data = read_toml(path, f"policy file {path}")
    try:
        return parse(data, base_dir=path.parent)
    except FieldError as exc:
        raise ScenarioError(f"policy file {path}: {exc}") from None


def _simulated(policy: LabPolicy) -> LabPolicy:
    """``policy``, if the lab can play it: every answer it simulates is streamed."""
    if not policy.settings.stream:
        raise ScenarioError(
            f"policy {policy.name!r}: stream = false is not simulated by the lab yet (it streams every answer); "
            "leave stream out"
        )
    return policy


def load_policies(specs: list[str]) -> list[LabPolicy]:
    """1 to 6 policies with distinct names, in the order given."""
    if not 1 <= len(specs) <= MAX_POLICIES:
        raise ScenarioError(f"--policy: give 1 to {MAX_POLICIES} policies, not {len(specs)}")
    policies = [_simulated(load_policy(spec)) for spec in specs]
    names = [p.name for p in policies]
    for name in names:
        if names.count(name) > 1:
            raise ScenarioError(f"--policy: {name!r} is given twice (each policy once, named by its file stem)")
    return policies
