"""Timeout settings and the presets shipped in ``assets/presets.toml``.

The read timeout is per read: in a stream it bounds the longest silence between chunks,
not the whole answer. The whole call is bounded by the retry policy's deadline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Any

from .paths import assets_dir
from .schema.declared import setting
from .schema.kinds import Seconds

TIMEOUT_FIELDS = ("connect", "read", "write", "pool")


def _timeout(default: float, name: str, help: str) -> float:
    """A timeout's declaration: ``timeouts.NAME``, ``--NAME-timeout``; unset, the preset's."""
    return setting(
        default, kind=Seconds(), flag=f"--{name}-timeout", label=f"{name} s", unit="s", preset_default=True, help=help
    )


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds for each phase of one HTTP attempt (``anthropic.Timeout`` fields).

    Each field is also its setting's declaration; ``RunSettings`` keeps overrides of them.
    """

    connect: float = _timeout(5.0, "connect", "connecting to the server")
    read: float = _timeout(
        30.0, "read", "longest silence between two chunks of the stream (without streaming: the whole answer)"
    )
    write: float = _timeout(10.0, "write", "sending the request")
    pool: float = _timeout(5.0, "pool", "waiting for a free connection")

    def with_overrides(self, **overrides: float | None) -> Timeouts:
        """Copy with every non-None override applied (CLI flags, profile fields)."""
        changes = {k: v for k, v in overrides.items() if v is not None}
        result = replace(self, **changes)
        result.validate()
        return result

    def validate(self) -> None:
        """``ValueError`` naming ``timeouts.FIELD``: the settings schema's rules, as for a profile."""
        from .schema import SETTINGS, check_values

        prefix = "timeout_overrides."
        check_values({s.key: getattr(self, s.attr[len(prefix) :]) for s in SETTINGS if s.attr.startswith(prefix)})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    title: str
    description: str
    timeouts: Timeouts
    deadline: float | None


@cache
def load_presets() -> dict[str, Preset]:
    """Presets by name, in file order (the first is the default)."""
    import tomllib  # here, not at the top: ``--help`` and the first frame need no presets

    with open(assets_dir() / "presets.toml", "rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    presets: dict[str, Preset] = {}
    for name, entry in data["presets"].items():
        timeouts = Timeouts(**{k: float(entry[k]) for k in TIMEOUT_FIELDS})
        timeouts.validate()
        presets[name] = Preset(
            name=name,
            title=entry.get("title", name),
            description=entry.get("description", ""),
            timeouts=timeouts,
            deadline=entry.get("deadline"),
        )
    return presets


DEFAULT_PRESET = "quick"


def get_preset(name: str) -> Preset:
    """The named preset, or ``FieldError`` (a ``ValueError``) listing the known names."""
    presets = load_presets()
    if name not in presets:
        from .schema import by_key, check_value

        check_value(by_key()["preset"], name)  # raises: says which names there are
    return presets[name]
