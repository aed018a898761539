"""What a generated program embeds: the request and the effective settings of a run.

Built from the same :class:`~tui_app.settings.RunSettings` that ``claude-tui run`` uses (a
profile plus flags), with the preset's timeouts and deadline resolved, so the program does
what that run would. A setting the generator cannot write yet is refused, naming its flag:
a program that silently ignored one would behave differently from the run it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..schema import FieldError, by_key

if TYPE_CHECKING:
    from ..retry.policy import RetryPolicy
    from ..settings import RunSettings
    from ..timeouts import Timeouts

WRITTEN = frozenset(
    {
        "model",
        "max_tokens",
        "system",
        "thinking",
        "effort",
        "temperature",
        "stop_sequences",
        "preset",
        "timeouts.connect",
        "timeouts.read",
        "timeouts.write",
        "timeouts.pool",
        "retry.max_attempts",
        "retry.base_delay",
        "retry.max_delay",
        "retry.jitter",
        "retry.deadline",
        "retry.mid_stream",
        "retry.fallback",
        "retry.fallback_after",
        "retry.retry_statuses",
        "retry.server_hints",
        "retry.retry_budget",
        "retry.retry_budget_min",
        "retry.breaker_after",
        "retry.breaker_cooldown",
        "stream",
        "allow_long_no_stream",
        "simulator.scenario",
    }
)
NOT_WRITTEN_YET = frozenset({"retry.throttle_k"})
"""Settings the generator refuses (away from their default): adaptive throttling refuses
attempts at random from a history of the process's requests, which a program that asks
once never has (the retry budget and the circuit breaker are written, as process-wide
objects: see :mod:`.py_gate`)."""
"""The settings the generator writes into a program (by profile key). A setting added to the
schema later is accepted while it has its default value, refused otherwise."""


@dataclass(frozen=True, slots=True)
class ProgramSpec:
    """The request and settings of one generated program."""

    prompt: str | None
    """None: the program reads its prompt from its arguments, or stdin."""
    model: str
    max_tokens: int
    system: str | None
    preset: str
    timeouts: Timeouts
    policy: RetryPolicy
    """The effective policy: the preset's deadline unless one was set."""
    scenario: str | None = None
    """The simulator scenario the settings prefer, named in the program's docstring."""
    thinking: dict[str, Any] | None = None
    """The request's ``thinking`` as ``claude-tui run`` sends it (None: left out)."""
    effort: str | None = None
    temperature: float | None = None
    stop_sequences: tuple[str, ...] = ()
    stream: bool = True
    """False: one ``messages.create`` without streaming (``--no-stream``)."""
    history: tuple[tuple[str, str], ...] = ()
    """A follow-up turn's conversation so far, (user, assistant) a turn: sent before the prompt."""

    @classmethod
    def from_settings(
        cls, prompt: str | None, settings: RunSettings, history: tuple[tuple[str, str], ...] = ()
    ) -> ProgramSpec:
        """``FieldError`` (naming the flag) for a setting the generator cannot write yet."""
        from ..capabilities import from_table, thinking_param

        refuse_unwritten(settings)
        return cls(
            prompt=prompt,
            model=settings.model,
            max_tokens=settings.max_tokens,
            system=settings.system,
            preset=settings.preset,
            timeouts=settings.timeouts(),
            policy=settings.effective_policy(),
            scenario=settings.scenario,
            thinking=thinking_param(settings.thinking, from_table(settings.model)),
            effort=settings.effort,
            temperature=settings.temperature,
            stop_sequences=settings.stop_sequences,
            stream=settings.stream,
            history=history,
        )


def refuse_unwritten(settings: RunSettings) -> None:
    """Raise for the first setting outside :data:`WRITTEN` that is not at its default."""
    defaults = type(settings)().values(effective=True)
    known = by_key(settings.schema())
    for key, value in settings.values(effective=True).items():
        if key not in WRITTEN and value != defaults.get(key):
            flag = known[key].flag
            if value is False:  # a switch turned off: name the flag the user wrote
                flag = f"--no-{flag[2:]}"
            raise FieldError(key, "cannot be written as code yet", f"leave {flag} out").named(flag)
