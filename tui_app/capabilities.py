"""What a model accepts for thinking, effort and temperature, and the check made before sending.

A request the model cannot take is a 400 after a round trip (and, in a retry loop, after
the wait for a connection): it is cheaper and clearer to say so first, naming the setting
and the fix. What a model accepts comes from ``GET /v1/models`` when the API (or the
simulator) lists it with ``capabilities`` (``ModelInfo.capabilities`` in anthropic 2.x),
and otherwise from the table shipped in ``assets/model_capabilities.toml`` (sourced and
dated there). What neither says is not checked: the request goes out as written.

Pure and import-light: no SDK, no Textual; the settings check and the request builder use it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from .schema import FieldError, show

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .settings import RunSettings

THINKING_TYPES = ("enabled", "adaptive", "disabled", "between_tools")
OFF_TYPES = ("disabled", "between_tools")
"""How a model turns thinking off, in order of preference: ``between_tools`` is "thinking off"
for models that take no ``disabled`` (progress notes between tool calls stay thinking
blocks; a request without tools has none)."""
TABLE_NAME = "assets/model_capabilities.toml"


@dataclass(frozen=True, slots=True)
class ModelCaps:
    """What one model accepts; ``None`` in a field means "not known" (not checked)."""

    model: str
    thinking: frozenset[str] | None = None
    """``thinking.type`` values the model accepts."""
    thinks_by_default: bool | None = None
    effort: tuple[str, ...] | None = None
    """``output_config.effort`` levels (empty: the model takes no effort parameter)."""
    temperature: bool | None = None
    source: str = ""
    """Where these facts come from, as named in errors ("GET /v1/models", the table)."""

    def over(self, fallback: ModelCaps | None) -> ModelCaps:
        """These facts, with what they leave unknown taken from ``fallback`` (both named as the source)."""
        if fallback is None:
            return self
        filled = ModelCaps(
            self.model,
            self.thinking if self.thinking is not None else fallback.thinking,
            self.thinks_by_default if self.thinks_by_default is not None else fallback.thinks_by_default,
            self.effort if self.effort is not None else fallback.effort,
            self.temperature if self.temperature is not None else fallback.temperature,
            self.source,
        )
        if filled == self:
            return self
        return replace(filled, source=f"{self.source} and {fallback.source}")


# -- the shipped table --------------------------------------------------------------------------
@cache
def _table() -> dict[str, ModelCaps]:
    from .paths import assets_dir

    data = tomllib.loads((assets_dir() / "model_capabilities.toml").read_text(encoding="utf-8"))
    return table_from_data(data)


def table_from_data(data: Mapping[str, Any]) -> dict[str, ModelCaps]:
    """The models of a capabilities table (the shipped file's layout), by id and alias."""
    defaults = data.get("defaults", {})
    checked = data.get("checked", "an unknown date")
    out: dict[str, ModelCaps] = {}
    for model, entry in data.get("models", {}).items():
        merged = {**defaults, **entry}
        caps = ModelCaps(
            model,
            frozenset(merged["thinking"]) if "thinking" in merged else None,
            merged.get("thinks_by_default"),
            tuple(merged["effort"]) if "effort" in merged else None,
            merged.get("temperature"),
            f"the shipped table {TABLE_NAME}, checked {checked}",
        )
        for name in (model, *merged.get("aliases", ())):
            out[name] = replace(caps, model=name)
    return out


def from_table(model: str) -> ModelCaps | None:
    """The shipped table's entry for ``model``, or None when it has none."""
    return _table().get(model)


# -- GET /v1/models ------------------------------------------------------------------------------
def from_model_info(info: Mapping[str, Any]) -> ModelCaps | None:
    """The capabilities of one ``/v1/models`` entry (a ``ModelInfo`` as a dict), or None when
    it lists none; the shipped table fills in what it does not say (temperature)."""
    caps = info.get("capabilities")
    if not isinstance(caps, dict):
        return None
    model = str(info.get("id", ""))
    thinking = caps.get("thinking") or {}
    types = thinking.get("types") or {}
    accepted = frozenset(t for t in THINKING_TYPES if _supported(types.get(t)))
    effort = caps.get("effort") or {}
    levels = tuple(level for level in ("low", "medium", "high", "xhigh", "max") if _supported(effort.get(level)))
    live = ModelCaps(
        model,
        thinking=accepted,
        effort=levels if _supported(effort) else (),
        source="GET /v1/models",
    )
    return live.over(from_table(model))


def _supported(entry: object) -> bool:
    return isinstance(entry, dict) and entry.get("supported") is True


# -- the request's part ---------------------------------------------------------------------------
def thinking_param(value: str | int | None, caps: ModelCaps | None) -> dict[str, Any] | None:
    """The request's ``thinking`` for a setting (``None``: leave it out, the model's default).

    ``off`` is sent explicitly rather than left out: the SDK's ``ThinkingConfigParam`` says
    "what happens when you omit ``thinking`` depends on the model", and newer ones think by
    default. It is ``disabled``, or ``between_tools`` for a model that takes only that.
    """
    if value is None:
        return None
    if value == "adaptive":
        return {"type": "adaptive"}
    if isinstance(value, int):
        return {"type": "enabled", "budget_tokens": value}
    accepted = caps.thinking if caps is not None and caps.thinking is not None else frozenset(OFF_TYPES[:1])
    off = next((t for t in OFF_TYPES if t in accepted), "disabled")
    return {"type": off}


def problem(settings: RunSettings, caps: ModelCaps | None) -> FieldError | None:
    """Why ``caps.model`` cannot take these settings (one line naming the field and the
    fix), or None; nothing is checked against what ``caps`` does not know."""
    if caps is None:
        return None
    return _thinking_problem(settings, caps) or _effort_problem(settings, caps) or _temperature_problem(settings, caps)


def _per(caps: ModelCaps) -> str:
    return f"per {caps.source}"


def _thinking_problem(settings: RunSettings, caps: ModelCaps) -> FieldError | None:
    value, accepted = settings.thinking, caps.thinking
    if value is None or accepted is None:
        return None
    model = caps.model
    if isinstance(value, int) and "enabled" not in accepted:
        fix = 'use "adaptive" (and an effort level for how much)' if "adaptive" in accepted else "leave it out"
        return FieldError("thinking", f"is a budget of {value} tokens, but {model} takes no budget ({_per(caps)})", fix)
    if value == "adaptive" and "adaptive" not in accepted:
        fix = "give a budget of tokens instead, e.g. 2048" if "enabled" in accepted else "leave it out"
        return FieldError("thinking", f'is "adaptive", but {model} has no adaptive thinking ({_per(caps)})', fix)
    if value == "off" and not accepted & set(OFF_TYPES):
        return FieldError(
            "thinking", f'is "off", but {model} always thinks ({_per(caps)})', 'leave it out, or use "adaptive"'
        )
    return None


def _effort_problem(settings: RunSettings, caps: ModelCaps) -> FieldError | None:
    if settings.effort is None or caps.effort is None:
        return None
    if not caps.effort:
        return FieldError("effort", f"is set, but {caps.model} takes no effort level ({_per(caps)})", "leave it out")
    if settings.effort not in caps.effort:
        levels = ", ".join(caps.effort)
        return FieldError(
            "effort", f"is {show(settings.effort)}, which {caps.model} does not take ({_per(caps)})", f"use {levels}"
        )
    return None


def _temperature_problem(settings: RunSettings, caps: ModelCaps) -> FieldError | None:
    if settings.temperature is None or caps.temperature is not False:
        return None
    return FieldError(
        "temperature",
        f"is set, but {caps.model} takes no sampling temperature ({_per(caps)})",
        "leave it out (effort is the setting newer models take instead)",
    )


def needs_check(settings: RunSettings) -> bool:
    """True when a setting depends on the model (only then is ``/v1/models`` asked)."""
    return settings.thinking is not None or settings.effort is not None or settings.temperature is not None
