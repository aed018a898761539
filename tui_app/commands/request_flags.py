"""The request flags shared by ``run``, ``profiles save`` and the TUI's ``--profile``.

One definition, so a profile saved from flags and a run given the same flags can never
disagree. Import-light (argparse only) because ``--help`` builds every parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..settings import (
    RunSettings,
    parse_non_negative_float,
    parse_positive_float,
    parse_positive_int,
)

if TYPE_CHECKING:
    import argparse

TIMEOUT_FLAGS = ("connect", "read", "write", "pool")


def add_request_flags(parser: argparse.ArgumentParser, *, with_profile: bool = True) -> None:
    """Model, prompt options, timeouts and retry policy flags (all optional)."""
    if with_profile:
        parser.add_argument("--profile", metavar="NAME", help="start from this saved profile")
    group = parser.add_argument_group("request")
    group.add_argument("--model", metavar="ID", help="model id, e.g. claude-sonnet-4-5")
    group.add_argument("--system", metavar="TEXT", help="system prompt")
    group.add_argument("--max-tokens", metavar="N", type=parse_positive_int, help="max output tokens")
    group.add_argument("--preset", metavar="NAME", help=f"timeout preset (default quick): {_preset_help()}")
    timeouts = parser.add_argument_group("timeouts (seconds, override the preset)")
    for name in TIMEOUT_FLAGS:
        timeouts.add_argument(f"--{name}-timeout", metavar="S", type=parse_positive_float)
    retry = parser.add_argument_group("retry policy")
    retry.add_argument("--max-attempts", metavar="N", type=parse_positive_int, help="attempts in all (1 = no retry)")
    retry.add_argument(
        "--deadline", metavar="S", type=parse_positive_float, help="bound on the whole call, all attempts"
    )
    retry.add_argument("--base-delay", metavar="S", type=parse_non_negative_float, help="first backoff delay")
    retry.add_argument("--max-delay", metavar="S", type=parse_non_negative_float, help="cap of a backoff delay")
    retry.add_argument("--jitter", choices=("full", "equal", "decorrelated"), help="backoff jitter (default full)")
    retry.add_argument(
        "--mid-stream",
        choices=("restart", "continue"),
        help="after a failure mid-answer: restart from scratch (default) or ask to continue",
    )
    parser.add_argument(
        "--scenario",
        metavar="NAME|FILE",
        help="simulator scenario these settings prefer (used by --sim and the TUI's simulator)",
    )


def _preset_help() -> str:
    from ..timeouts import load_presets

    return "; ".join(
        f"{p.name} (read {p.timeouts.read:g} s, deadline {p.deadline:g} s)" for p in load_presets().values()
    )


def settings_from_args(args: argparse.Namespace, base: RunSettings | None = None) -> RunSettings:
    """Apply the flags that were given on top of ``base`` (a profile, or the defaults).

    Raises ``ValueError`` with a one-line message naming the flag and the fix.
    """
    settings = base or RunSettings()
    changes: dict[str, Any] = {}
    for attr in ("model", "system", "max_tokens", "preset", "scenario"):
        value = getattr(args, attr, None)
        if value is not None:
            changes[attr] = value
    overrides = dict(settings.timeout_overrides)
    for name in TIMEOUT_FLAGS:
        value = getattr(args, f"{name}_timeout", None)
        if value is not None:
            overrides[name] = value
    changes["timeout_overrides"] = overrides
    policy_changes = {
        attr: getattr(args, attr)
        for attr in ("max_attempts", "deadline", "base_delay", "max_delay", "jitter", "mid_stream")
        if getattr(args, attr, None) is not None
    }
    if policy_changes:
        changes["policy"] = settings.policy.with_(**policy_changes)
        if "deadline" in policy_changes:
            changes["deadline_override"] = True
    result = settings.with_(**changes)
    try:
        result.validate()
    except ValueError as exc:
        raise ValueError(_flag_hint(str(exc))) from None
    return result


def _flag_hint(message: str) -> str:
    """Point the user at the flag that sets the field named in a validation message."""
    for field_name, flag in (
        ("max_delay", "--max-delay"),
        ("base_delay", "--base-delay"),
        ("deadline", "--deadline"),
        ("max_attempts", "--max-attempts"),
        ("preset", "--preset"),
        ("model", "--model"),
        ("max_tokens", "--max-tokens"),
        *((f"{t} timeout", f"--{t}-timeout") for t in TIMEOUT_FLAGS),
    ):
        if (
            message.startswith(field_name)
            or f" {field_name} " in message
            or message.startswith(f"unknown {field_name}")
        ):
            return f"{flag}: {message}"
    return message
