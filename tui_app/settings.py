"""Everything that shapes one request: model, prompt options, timeouts, retry policy.

``RunSettings`` is what a profile stores, what ``claude-tui run`` flags build, and what the
TUI's settings form edits. It stays free of heavy imports so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .models import default_model
from .retry.policy import JITTERS, MID_STREAM_POLICIES, RetryPolicy
from .timeouts import DEFAULT_PRESET, TIMEOUT_FIELDS, Timeouts, get_preset

DEFAULT_MODEL = default_model()
"""The newest Sonnet-class model of the installed SDK (see :mod:`tui_app.models`)."""
DEFAULT_MAX_TOKENS = 1024


@dataclass(frozen=True, slots=True)
class RunSettings:
    model: str = DEFAULT_MODEL
    system: str | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    preset: str = DEFAULT_PRESET
    timeout_overrides: dict[str, float] = field(default_factory=dict)
    """Per-field overrides of the preset's timeouts (connect/read/write/pool)."""
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    deadline_override: bool = False
    """True when ``policy.deadline`` was set explicitly (else the preset's deadline applies)."""
    scenario: str | None = None
    """Simulator scenario (name or file) this settings set prefers, if any."""

    def timeouts(self) -> Timeouts:
        """The preset's timeouts with overrides applied."""
        return get_preset(self.preset).timeouts.with_overrides(**self.timeout_overrides)

    def effective_policy(self) -> RetryPolicy:
        """The policy, with the preset's deadline unless one was set explicitly."""
        if self.deadline_override:
            return self.policy
        return self.policy.with_(deadline=get_preset(self.preset).deadline)

    def validate(self) -> None:
        """Raise ``ValueError`` naming the field and the fix."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError("model must be a non-empty model id, e.g. claude-sonnet-4-5")
        if (
            not isinstance(self.max_tokens, int)
            or isinstance(self.max_tokens, bool)
            or not 1 <= self.max_tokens <= 1_000_000
        ):
            raise ValueError("max_tokens must be an integer between 1 and 1000000")
        get_preset(self.preset)
        for key, _value in self.timeout_overrides.items():
            if key not in TIMEOUT_FIELDS:
                raise ValueError(f"unknown timeout field {key!r}: use one of {', '.join(TIMEOUT_FIELDS)}")
        self.timeouts()
        self.effective_policy().validate()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSettings:
        """Inverse of ``to_dict`` (derived keys ignored); validated.

        Raises ``ValueError`` (also for missing or mistyped keys) so a caller such as
        re-run can fall back and say why, rather than crash on an old record.
        """
        try:
            known = RetryPolicy.__dataclass_fields__
            policy = RetryPolicy(**{k: v for k, v in (data.get("policy") or {}).items() if k in known})
            settings = cls(
                model=data["model"],
                system=data.get("system"),
                max_tokens=data["max_tokens"],
                preset=data["preset"],
                timeout_overrides=dict(data.get("timeout_overrides") or {}),
                policy=policy,
                deadline_override=bool(data.get("deadline_override")),
                scenario=data.get("scenario"),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"settings record is incomplete or malformed ({exc})") from None
        settings.validate()
        return settings

    def with_(self, **changes: Any) -> RunSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for sessions and profiles (no secrets: settings never hold the key)."""
        data = asdict(self)
        data["policy"] = asdict(self.policy)
        data["timeouts"] = self.timeouts().as_dict()
        data["effective_deadline"] = self.effective_policy().deadline
        return data


def _parse_seconds(text: str, *, allow_zero: bool) -> float:
    """argparse ``type=`` body: argparse names the flag on error and exits 2."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number {bound}")
    return value


def parse_positive_float(text: str) -> float:
    """A finite number > 0 (timeouts, deadline)."""
    return _parse_seconds(text, allow_zero=False)


def parse_non_negative_float(text: str) -> float:
    """A finite number >= 0 (backoff delays)."""
    return _parse_seconds(text, allow_zero=True)


def parse_positive_int(text: str) -> int:
    """A whole number >= 1 (attempts, max tokens)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value


__all__ = [
    "DEFAULT_MAX_TOKENS",
    "DEFAULT_MODEL",
    "JITTERS",
    "MID_STREAM_POLICIES",
    "RunSettings",
    "parse_non_negative_float",
    "parse_positive_float",
    "parse_positive_int",
]
