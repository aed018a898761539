"""Everything that shapes one request: model, prompt options, timeouts, retry policy.

``RunSettings`` is what a profile stores, what ``claude-tui run`` flags build, and what the
TUI's settings form edits. Which settings exist, their rules, flags and profile keys are
declared once, each as the typed field that holds it (:func:`tui_app.schema.setting`), and
:mod:`tui_app.schema` derives the rest; :meth:`RunSettings.values` /
:meth:`RunSettings.with_values` map between fields and keys (a setting's ``attr`` says where). It stays free of heavy imports so ``--help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .models import default_model
from .retry.policy import JITTERS, MID_STREAM_POLICIES, RetryPolicy
from .schema import (
    SETTINGS,
    Boolean,
    Choice,
    FieldError,
    Integer,
    Number,
    ScenarioRef,
    Text,
    TextList,
    Thinking,
    by_key,
    check_values,
    collect,
    parse_table,
    setting,
    settings_table,
    show,
    suggest,
    to_table,
)
from .timeouts import DEFAULT_PRESET, Timeouts, get_preset, load_presets

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .schema import Setting

DEFAULT_MODEL = default_model()
"""The newest Sonnet-class model of the installed SDK (see :mod:`tui_app.models`)."""
DEFAULT_MAX_TOKENS = 1024
EFFORTS: tuple[str, ...] = ("low", "medium", "high", "xhigh", "max")
"""``output_config.effort`` levels of the SDK's ``OutputConfigParam``."""
SETTINGS_VERSION = 2
"""Layout of ``to_dict()`` (stored with each session). 1 (records without the key): the
dataclass fields as they are; 2: the profile layout of the schema plus ``effective``."""


def _preset_names() -> tuple[str, ...]:
    return tuple(load_presets())


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The settings of a request. Each field holding one is its one declaration (:func:`setting`):
    the value's type and default, and how flags, profiles, the form and the docs show it; the
    settings of the retry policy and the timeouts are declared in their own classes."""

    model: str = setting(
        DEFAULT_MODEL,
        kind=Text(example=default_model),
        flag="--model",
        metavar="ID",
        label="model",
        form=None,  # the form's own row: free entry plus the ids the API lists
        doc_default="newest Sonnet of the installed SDK",
        help="model id",
    )
    max_tokens: int = setting(
        DEFAULT_MAX_TOKENS,
        kind=Integer(1, 1_000_000),
        flag="--max-tokens",
        label="max tokens",
        unit="tokens",
        form="prompt",
        help="max output tokens",
    )
    system: str | None = setting(
        None, kind=Text(optional=True), flag="--system", label="system prompt", form="prompt", help="system prompt"
    )
    thinking: str | int | None = setting(
        None,
        kind=Thinking(),
        flag="--thinking",
        label="thinking",
        doc_default="the model's",
        help='thinking: "off", "adaptive", or a budget of N tokens (below max_tokens)',
    )
    effort: str | None = setting(
        None,
        kind=Choice(EFFORTS, optional=True),
        flag="--effort",
        label="effort",
        doc_default="the model's",
        help="output_config.effort: how much effort (and thinking) the model spends",
    )
    temperature: float | None = setting(
        None,
        kind=Number(0.0, 1.0, optional=True),
        flag="--temperature",
        label="temperature",
        doc_default="the model's",
        help="sampling temperature; only with thinking off, and only where the model takes one (see Thinking and effort)",
    )
    stop_sequences: tuple[str, ...] = setting(
        (),
        kind=TextList(),
        flag="--stop",
        label="stop sequences",
        doc_default="none",
        help="stop the answer at this text (repeatable; stop_reason is then stop_sequence)",
    )
    preset: str = setting(
        DEFAULT_PRESET,
        kind=Choice(_preset_names),
        flag="--preset",
        label="preset",
        help="timeout preset (see Timeout presets)",
    )
    stream: bool = setting(
        True,
        kind=Boolean(),
        flag="--stream",
        label="stream",
        help="stream the answer (false: one response once it is complete, the read timeout bounding the whole wait)",
    )
    allow_long_no_stream: bool = setting(
        False,
        kind=Boolean(),
        flag="--allow-long-no-stream",
        label="long no-stream",
        help="send a request without streaming even when max_tokens is over the SDK's 10-minute rule for one",
    )
    timeout_overrides: dict[str, float] = settings_table("timeouts", Timeouts, dict)
    """Per-field overrides of the preset's timeouts (connect/read/write/pool)."""
    policy: RetryPolicy = settings_table("retry", RetryPolicy, RetryPolicy)
    deadline_override: bool = False
    """True when ``policy.deadline`` was set explicitly (else the preset's deadline applies)."""
    scenario: str | None = setting(
        None,
        key="simulator.scenario",
        kind=ScenarioRef(),
        flag="--scenario",
        label="scenario",
        form=None,  # picked with the TUI's scenario picker
        help="simulator scenario these settings prefer (--sim and the TUI's simulator)",
    )
    """Simulator scenario (name or file) this settings set prefers, if any."""

    def timeouts(self) -> Timeouts:
        """The preset's timeouts with overrides applied."""
        return get_preset(self.preset).timeouts.with_overrides(**self.timeout_overrides)

    def effective_policy(self) -> RetryPolicy:
        """The policy, with the preset's deadline unless one was set explicitly."""
        if self.deadline_override:
            return self.policy
        return self.policy.with_(deadline=get_preset(self.preset).deadline)

    # -- by schema key -----------------------------------------------------------------------
    @classmethod
    def schema(cls) -> tuple[Setting, ...]:
        """The settings declared in this class's fields (``SETTINGS`` for ``RunSettings``)."""
        return collect(cls)

    def values(self, *, effective: bool = False) -> dict[str, object]:
        """Every setting by key. Preset-driven ones (timeouts, deadline) only where set
        explicitly, unless ``effective``: then the values a run uses."""
        out: dict[str, object] = {}
        for s in self.schema():
            head, _, name = s.attr.partition(".")
            if head == "policy":
                is_set = not s.preset_default or self.deadline_override
                value = getattr(self.effective_policy() if effective else self.policy, name)
            elif head == "timeout_overrides":
                is_set = name in self.timeout_overrides
                value = getattr(self.timeouts(), name) if effective else self.timeout_overrides.get(name)
            else:
                is_set, value = True, getattr(self, head)
            if is_set or effective:
                out[s.key] = value
        return out

    def with_values(self, values: Mapping[str, object]) -> RunSettings:
        """A copy with ``values`` (by key) checked and applied; ``FieldError`` naming the field."""
        known, checked = by_key(self.schema()), check_values(values, self.schema())
        changes: dict[str, Any] = {}
        policy: dict[str, object] = {}
        overrides = dict(self.timeout_overrides)
        for key, value in checked.items():
            head, _, name = known[key].attr.partition(".")
            if head == "policy":
                policy[name] = value
                if known[key].preset_default:  # the deadline, set: the preset's no longer applies
                    changes["deadline_override"] = True
            elif head == "timeout_overrides":
                overrides[name] = value  # type: ignore[assignment]
            else:
                changes[head] = value
        result = replace(self, timeout_overrides=overrides, policy=self.policy.with_(**policy), **changes)
        result.validate()
        return result

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> RunSettings:
        """The defaults with ``values`` applied (what a profile file or a v2 record holds)."""
        return cls().with_values(values)

    def validate(self) -> None:
        """Raise ``FieldError`` (a ``ValueError``) naming the field path and the fix."""
        schema = self.schema()
        attrs = {s.attr for s in schema}
        for name in self.timeout_overrides:
            if f"timeout_overrides.{name}" not in attrs:
                raise FieldError(f"timeouts.{name}", f"is not a setting: {suggest(f'timeouts.{name}', schema)}")
        check_values(self.values(), schema)
        self._check_no_stream()
        self._check_thinking()

    def _check_thinking(self) -> None:
        """The API's rules between thinking and the rest of the request (the SDK's
        ``ThinkingConfigEnabledParam``: the budget "must be ≥1024 and less than max_tokens",
        as thinking tokens count toward it; a sampling temperature only with thinking off)."""
        if isinstance(self.thinking, int) and self.thinking >= self.max_tokens:
            raise FieldError(
                "thinking",
                f"is a budget of {self.thinking} tokens, not below max_tokens ({self.max_tokens})",
                "lower the budget, or raise max_tokens above it (thinking counts toward max_tokens)",
            )
        if self.temperature is not None and self.thinking not in (None, "off"):
            raise FieldError(
                "temperature",
                f"cannot be set while thinking is on (thinking is {show(self.thinking)})",
                "leave temperature out, or set thinking to off",
            )

    def _check_no_stream(self) -> None:
        """The SDK's rule for non-streaming requests (:mod:`tui_app.retry.nonstreaming`),
        which it skips for a client with its own timeout, as claude-tui's always is."""
        if self.stream or self.allow_long_no_stream:
            return
        from .retry.nonstreaming import refusal, token_limit

        problem = refusal(self.model, self.max_tokens)
        if problem:
            fix = (
                f"stream (--stream, stream = true), lower it to {token_limit(self.model)} or less, "
                "or force it (--allow-long-no-stream, allow_long_no_stream = true)"
            )
            raise FieldError("max_tokens", problem, fix)

    # -- records -------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSettings:
        """Inverse of ``to_dict``, for every version stored so far: see :func:`settings_from_record`."""
        return settings_from_record(data)

    def with_(self, **changes: Any) -> RunSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for sessions (no secrets: settings never hold the key), ``SETTINGS_VERSION``
        layout: the profile's tables, plus the ``effective`` preset-driven values a run used."""
        effective = self.values(effective=True)
        return {
            "settings_version": SETTINGS_VERSION,
            **to_table(self.values(), self.schema()),
            "effective": {s.key: effective[s.key] for s in self.schema() if s.preset_default},
        }


def settings_from_record(data: Mapping[str, Any]) -> RunSettings:
    """The settings a stored record (a session's ``to_dict()``, any version) describes.

    The one reader of stored settings (re-run, export). Raises ``FieldError`` (a
    ``ValueError``) for a missing, mistyped or no longer valid field (e.g. a preset since
    removed), so a caller can fall back and say why rather than crash on an old record.
    """
    version = data.get("settings_version", 1)
    if version == 1:
        values = _values_from_v1(data)
    elif version == SETTINGS_VERSION:
        values = parse_table({k: v for k, v in data.items() if k not in ("settings_version", "effective")})
    else:
        raise FieldError("settings_version", f"is {show(version)}, from a newer claude-tui", "upgrade to read it")
    return RunSettings.from_values(values)


def _values_from_v1(data: Mapping[str, Any]) -> dict[str, object]:
    """Version 1 held the dataclass fields: ``policy`` and ``timeout_overrides`` as dicts."""
    values: dict[str, object] = {}
    for key in ("model", "max_tokens", "preset"):
        if key not in data:
            raise FieldError(key, "is missing from the recorded settings")
        values[key] = data[key]
    if data.get("system") is not None:
        values["system"] = data["system"]
    if data.get("scenario") is not None:
        values["simulator.scenario"] = data["scenario"]
    policy, overrides = data.get("policy") or {}, data.get("timeout_overrides") or {}
    if not isinstance(policy, dict) or not isinstance(overrides, dict):
        raise FieldError("policy", "is not a table in the recorded settings")
    values.update({f"timeouts.{name}": value for name, value in overrides.items()})
    for s in SETTINGS:
        head, _, name = s.attr.partition(".")
        if head == "policy" and name in policy and (not s.preset_default or data.get("deadline_override")):
            values[s.key] = policy[name]
    return values


__all__ = [
    "DEFAULT_MAX_TOKENS",
    "DEFAULT_MODEL",
    "EFFORTS",
    "JITTERS",
    "MID_STREAM_POLICIES",
    "SETTINGS_VERSION",
    "RunSettings",
    "settings_from_record",
]
