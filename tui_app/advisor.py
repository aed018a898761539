"""The timeout advisor: will these timeouts survive the answer these settings ask for?

The read timeout bounds one silence, the deadline the whole call, and which silence is the
longest depends on the settings: without streaming it is the whole answer (the first token,
then ``max_tokens`` generated at the model's speed: the response comes only once it is
complete); streaming, it is the wait for the first token, longer when the model thinks
without streaming its thinking (that thinking is silence too). The deadline must cover the
whole answer of at least one attempt. Speeds come from ``assets/model_speeds.toml``
(sourced, dated medians), overridden by ``speeds.toml`` in the config directory.

Pure: no Textual, no SDK; :func:`advise` is a function of its arguments, so each rule has a
test, and the settings panel, ``claude-tui run`` and ``profiles show`` show the same verdict.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .settings import RunSettings

MARGIN = 1.5
"""A suggested timeout is the estimate times this, rounded up: the figures are medians."""


@dataclass(frozen=True, slots=True)
class Speed:
    """How fast a model answers (one table entry)."""

    model: str
    tokens_per_second: float
    ttft: float
    source: str = ""
    thinking_shown: bool = True
    """False: its thinking is not streamed by default, so it is silence before the text."""
    assumed_from: str | None = None
    """The entry used for a model with none of its own (its family's), else None."""


@dataclass(frozen=True, slots=True)
class Advice:
    """The verdict: ``ok`` when both timeouts cover the estimates; ``line`` says it in one line."""

    ok: bool
    line: str
    silence: float
    """Seconds of the longest silence the read timeout must survive (estimate)."""
    total: float
    """Seconds of the whole answer of one attempt (estimate), which the deadline must cover."""


# -- the table ------------------------------------------------------------------------------------
def speeds_from_data(data: Mapping[str, Any]) -> dict[str, Speed]:
    """The entries of a speeds table (the shipped file's layout), by model id."""
    out: dict[str, Speed] = {}
    for model, entry in data.get("models", {}).items():
        out[model] = Speed(
            model,
            float(entry["tokens_per_second"]),
            float(entry["ttft"]),
            str(entry.get("source", "")),
            bool(entry.get("thinking_shown", True)),
        )
    return out


@cache
def _tables() -> tuple[dict[str, Speed], dict[str, str]]:
    """The shipped table with the user's ``speeds.toml`` over it; families from both."""
    from . import paths

    shipped = tomllib.loads((paths.assets_dir() / "model_speeds.toml").read_text(encoding="utf-8"))
    try:
        own = tomllib.loads((paths.config_dir() / "speeds.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        own = {}
    speeds = {**speeds_from_data(shipped), **speeds_from_data(own)}
    return speeds, {**shipped.get("families", {}), **own.get("families", {})}


def speed_for(model: str) -> Speed | None:
    """``model``'s entry, else its family's (marked ``assumed_from``), else None."""
    speeds, families = _tables()
    if model in speeds:
        return speeds[model]
    family = model.removeprefix("claude-").split("-")[0]
    stand_in = speeds.get(families.get(family, ""))
    if stand_in is None:
        return None
    return Speed(
        model, stand_in.tokens_per_second, stand_in.ttft, stand_in.source, stand_in.thinking_shown, stand_in.model
    )


# -- the rules ------------------------------------------------------------------------------------
def thinking_tokens(thinking: str | int | None, max_tokens: int, *, thinks_by_default: bool = False) -> int:
    """Tokens the model may think before its text: the budget, or (adaptive, or a model that
    thinks by default) up to ``max_tokens`` — thinking counts toward it; 0 with thinking off."""
    if isinstance(thinking, int):
        return min(thinking, max_tokens)
    if thinking == "adaptive" or (thinking is None and thinks_by_default):
        return max_tokens
    return 0


def advise(
    speed: Speed,
    *,
    max_tokens: int,
    stream: bool,
    read: float | None,
    deadline: float | None,
    thinking: int = 0,
) -> Advice:
    """The verdict for one request's settings (``thinking``: tokens it may think first)."""
    generating = max_tokens / speed.tokens_per_second
    hidden = 0.0 if speed.thinking_shown else thinking / speed.tokens_per_second
    silence = speed.ttft + (generating if not stream else hidden)
    total = speed.ttft + generating
    model = speed.model
    problems = []
    if read is not None and read < silence:
        if not stream:
            why, fix = f"for {max_tokens:,} tokens from {model} without streaming", "stream, or raise read to"
        elif hidden:
            why, fix = f"before the first text of {model} (its thinking is not streamed)", "raise read to"
        else:
            why, fix = f"to the first token of {model}", "raise read to"
        problems.append(f"read {read:g} s < ~{_s(silence)} {why}: {fix} {_suggest(silence)} s")
    if deadline is not None and deadline < total:
        problems.append(
            f"deadline {deadline:g} s < ~{_s(total)} for {max_tokens:,} tokens from {model} at "
            f"~{speed.tokens_per_second:g} tok/s: raise it to {_suggest(total)} s, or lower max_tokens"
        )
    assumed = f" ({speed.assumed_from}'s figures)" if speed.assumed_from else ""
    if problems:
        return Advice(False, "; ".join(problems) + assumed, silence, total)
    waited = "the whole answer" if not stream else "the first text" if hidden else "the first token"
    reads = "no read timeout" if read is None else f"read {read:g} s covers ~{_s(silence)} to {waited}"
    limit = "no deadline" if deadline is None else f"deadline {deadline:g} s covers ~{_s(total)}"
    return Advice(True, f"{reads}; {limit} for {max_tokens:,} tokens from {model}{assumed}", silence, total)


def advise_settings(settings: RunSettings) -> Advice | None:
    """:func:`advise` for ``settings`` (None when no figures for its model are known)."""
    speed = speed_for(settings.model)
    if speed is None:
        return None
    from .capabilities import from_table

    caps = from_table(settings.model)
    thinks = bool(caps and caps.thinks_by_default)
    return advise(
        speed,
        max_tokens=settings.max_tokens,
        stream=settings.stream,
        read=settings.timeouts().read,
        deadline=settings.effective_policy().deadline,
        thinking=thinking_tokens(settings.thinking, settings.max_tokens, thinks_by_default=thinks),
    )


def _s(seconds: float) -> str:
    """An estimate as people read it: whole seconds from 10 s, one decimal below."""
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


def _suggest(seconds: float) -> int:
    """A timeout for an estimate: ``MARGIN`` times it, rounded up (to 10 s from 10 s)."""
    wanted = seconds * MARGIN
    return math.ceil(wanted / 10) * 10 if wanted >= 10 else math.ceil(wanted)
