"""The TOML layout of a profile, both ways: parsed TOML -> ``RunSettings`` and back.

Every check names the dotted field it failed on and the fix, because a person wrote the
file by hand. The layout is flat where it can be (``model``, ``preset``...) with one table
per concern: ``[timeouts]`` (overrides of the preset), ``[retry]``, ``[simulator]``.
Anything the file leaves out takes the same default as ``claude-tui run`` without flags.
"""

from __future__ import annotations

import difflib
import json
import math
from pathlib import Path
from typing import Any

import tomli_w

from .. import paths
from ..retry.policy import JITTERS, MID_STREAM_POLICIES, RetryPolicy
from ..settings import RunSettings
from ..timeouts import TIMEOUT_FIELDS, load_presets

MAX_SECONDS = 86400.0  # a day: anything longer is a typo, and overflows some timers
MAX_TOKENS_LIMIT = 1_000_000
MAX_ATTEMPTS = 1000
TOP_KEYS = ("model", "max_tokens", "preset", "system", "timeouts", "retry", "simulator")
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "timeouts": TIMEOUT_FIELDS,
    "retry": ("max_attempts", "base_delay", "max_delay", "jitter", "deadline", "mid_stream"),
    "simulator": ("scenario",),
}
VALID_KEYS = tuple(k for k in TOP_KEYS if k not in TABLE_KEYS) + tuple(
    f"{table}.{key}" for table, keys in TABLE_KEYS.items() for key in keys
)
NO_DEADLINE = "none"

HEADER = """\
# claude-tui profile: edit freely (`claude-tui profiles show NAME` checks it).
# Left-out fields take the defaults of `claude-tui run`; [timeouts] override the preset's.
"""


class FieldError(ValueError):
    """One field of a profile is wrong: ``field`` is its dotted name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}" if field else message)
        self.field = field


def dumps(settings: RunSettings) -> str:
    """The profile file for ``settings`` (never an API key: settings hold none)."""
    data: dict[str, Any] = {"model": settings.model, "max_tokens": settings.max_tokens, "preset": settings.preset}
    if settings.system:
        data["system"] = settings.system
    if settings.timeout_overrides:
        data["timeouts"] = {k: settings.timeout_overrides[k] for k in TIMEOUT_FIELDS if k in settings.timeout_overrides}
    policy = settings.policy
    retry: dict[str, Any] = {
        "max_attempts": policy.max_attempts,
        "base_delay": policy.base_delay,
        "max_delay": policy.max_delay,
        "jitter": policy.jitter,
    }
    if settings.deadline_override:
        retry["deadline"] = NO_DEADLINE if policy.deadline is None else policy.deadline
    retry["mid_stream"] = policy.mid_stream
    data["retry"] = retry
    if settings.scenario:
        data["simulator"] = {"scenario": settings.scenario}
    return HEADER + "\n" + tomli_w.dumps(data, multiline_strings=True)


def parse(data: dict[str, Any], *, base_dir: Path) -> RunSettings:
    """Check a parsed profile and build its settings; ``FieldError`` on the first problem.

    ``base_dir`` anchors a relative scenario file path (the profile's own directory).
    """
    _check_keys(data)
    tables = {name: _table(data, name) for name in TABLE_KEYS}
    defaults = RunSettings()
    policy = _policy(tables["retry"], defaults.policy)
    settings = RunSettings(
        model=_string(data, "model", defaults.model, non_empty=True),
        system=_string(data, "system", None) or None,
        max_tokens=_integer(data, "max_tokens", defaults.max_tokens, 1, MAX_TOKENS_LIMIT),
        preset=_preset(data.get("preset", defaults.preset)),
        timeout_overrides={k: _seconds(tables["timeouts"], k, "timeouts.") for k in tables["timeouts"]},
        policy=policy,
        deadline_override="deadline" in tables["retry"],
        scenario=_scenario(tables["simulator"].get("scenario"), base_dir),
    )
    try:
        settings.validate()  # the same rules as flags: a safety net behind the checks above
    except ValueError as exc:
        raise FieldError("", str(exc)) from None
    return settings


def _check_keys(data: dict[str, Any]) -> None:
    for key, value in data.items():
        tables = {key: value} if key in TABLE_KEYS and isinstance(value, dict) else {}
        flat = [f"{key}.{sub}" for sub in value] if tables else [key]
        for dotted in flat:
            if dotted.rsplit(".", 1)[-1].lower() in ("api_key", "apikey", "anthropic_api_key"):
                raise FieldError(
                    dotted, "is not allowed: profiles never store the API key; delete it and set ANTHROPIC_API_KEY"
                )
            if dotted not in VALID_KEYS and dotted not in TABLE_KEYS:
                raise FieldError(dotted, f"is not a profile key: {_suggest(dotted)}")


def _suggest(dotted: str) -> str:
    leaf = dotted.rsplit(".", 1)[-1]

    def score(valid: str) -> float:
        return max(
            difflib.SequenceMatcher(None, dotted, valid).ratio(),
            difflib.SequenceMatcher(None, leaf, valid.rsplit(".", 1)[-1]).ratio(),
        )

    best = max((*VALID_KEYS, *TABLE_KEYS), key=score)
    if score(best) < 0.6:
        return f"use one of {', '.join(VALID_KEYS)}"
    if best in TABLE_KEYS:
        return f"did you mean the [{best}] table?"
    table, _, key = best.rpartition(".")
    where = f"{key} in the [{table}] table" if table else f"{key} at the top (before any [table])"
    return f"did you mean {where}?"


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise FieldError(name, f"must be a [{name}] table, got {show(value)}")
    return value


def _string(data: dict[str, Any], key: str, default: str | None, *, non_empty: bool = False) -> Any:
    value = data.get(key, default)
    if value is not None and not isinstance(value, str):
        raise FieldError(key, f"must be a quoted string, got {show(value)}")
    if non_empty and not (value or "").strip():
        raise FieldError(key, f"must not be empty, e.g. {json.dumps(RunSettings().model)}")
    return value


def _integer(table: dict[str, Any], key: str, default: int, low: int, high: int, prefix: str = "") -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise FieldError(f"{prefix}{key}", f"must be an integer between {low} and {high}, got {show(value)}")
    return value


def _seconds(table: dict[str, Any], key: str, prefix: str, *, allow_zero: bool = False) -> float:
    value = table[key]
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    low_ok = ok and (value >= 0 if allow_zero else value > 0)
    if not (low_ok and value <= MAX_SECONDS):
        bound = ">= 0" if allow_zero else "> 0"
        raise FieldError(
            f"{prefix}{key}", f"must be a number of seconds {bound} and <= {MAX_SECONDS:.0f}, got {show(value)}"
        )
    return float(value)


def _choice(table: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> Any:
    value = table.get(key, default)
    if value not in choices:
        raise FieldError(f"retry.{key}", f"must be one of {', '.join(map(json.dumps, choices))}, got {show(value)}")
    return value


def _policy(retry: dict[str, Any], defaults: RetryPolicy) -> RetryPolicy:
    changes: dict[str, Any] = {
        "max_attempts": _integer(retry, "max_attempts", defaults.max_attempts, 1, MAX_ATTEMPTS, "retry."),
        "jitter": _choice(retry, "jitter", JITTERS, defaults.jitter),
        "mid_stream": _choice(retry, "mid_stream", MID_STREAM_POLICIES, defaults.mid_stream),
    }
    for key in ("base_delay", "max_delay"):
        if key in retry:
            changes[key] = _seconds(retry, key, "retry.", allow_zero=True)
    deadline = retry.get("deadline")
    if isinstance(deadline, str) and deadline != NO_DEADLINE:
        raise FieldError("retry.deadline", f'must be a number of seconds or "{NO_DEADLINE}", got {show(deadline)}')
    if "deadline" in retry:
        changes["deadline"] = None if deadline == NO_DEADLINE else _seconds(retry, "deadline", "retry.")
    policy = defaults.with_(**changes)
    if policy.max_delay < policy.base_delay:
        raise FieldError(
            "retry.max_delay", f"must be >= retry.base_delay ({policy.base_delay:g}), got {policy.max_delay:g}"
        )
    return policy


def _preset(value: Any) -> str:
    presets = load_presets()
    if value not in presets:
        raise FieldError("preset", f"must be one of {', '.join(map(json.dumps, presets))}, got {show(value)}")
    return str(value)


def scenario_names() -> list[str]:
    """Scenarios shipped with the simulator (``assets/scenarios/*.toml`` stems)."""
    return sorted(p.stem for p in (paths.assets_dir() / "scenarios").glob("*.toml"))


def _scenario(value: Any, base_dir: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise FieldError("simulator.scenario", f"must be a scenario name or a .toml/.json file path, got {show(value)}")
    if "/" in value or "\\" in value or value.endswith((".toml", ".json")):
        file = (base_dir / Path(value).expanduser()).resolve()
        if not file.is_file():
            raise FieldError("simulator.scenario", f"names a file that does not exist: {file}")
        return str(file)
    names = scenario_names()
    if value not in names:
        known = ", ".join(names) if names else "none installed"
        raise FieldError(
            "simulator.scenario",
            f"is not a known scenario, got {show(value)}: use one of {known}, or a .toml/.json file path",
        )
    return value


def show(value: Any) -> str:
    """A value as the user wrote it in TOML (quoted strings, true/false), on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return str(value).replace("\n", " ")
