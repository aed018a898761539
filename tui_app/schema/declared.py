"""The declarations: every request setting, once, and the checks every source goes through."""

from __future__ import annotations

import argparse
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Literal

from ..models import default_model
from ..retry.policy import JITTERS, MAX_ATTEMPTS_LIMIT, MID_STREAM_POLICIES
from .errors import FieldError, Problem
from .kinds import Choice, Integer, Kind, ScenarioRef, Seconds, Text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def _preset_names() -> tuple[str, ...]:
    from ..timeouts import load_presets

    return tuple(load_presets())


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting, declared once.

    ``key`` is its profile key and the field path errors name; ``attr`` is where
    ``RunSettings`` keeps the value: a field, ``policy.FIELD`` (the retry policy) or
    ``timeout_overrides.NAME`` (an override of the preset's timeout). The default is the
    one of that typed attribute (``RunSettings().values()``).
    """

    key: str
    _: KW_ONLY
    attr: str
    kind: Kind
    help: str
    """One line: the flag's help, the README's "meaning" column."""
    flag: str
    label: str
    """How the TUI labels its field, and names it in an error there."""
    unit: str = ""
    form: Literal["settings", "prompt"] | None = "settings"
    """Where the TUI edits it: the settings tab, the prompt panel, or nowhere."""
    preset_default: bool = False
    """Left unset, the timeout preset's value applies (timeouts, deadline)."""
    at_least: str | None = None
    """Key of another setting this one may not be below (max_delay >= base_delay)."""
    doc_default: str | None = None
    """The default in words, where the value depends on the install (the model)."""
    metavar: str | None = None
    """The flag's value placeholder, if not the kind's (``ID`` for the model)."""

    @property
    def table(self) -> str:
        """The profile's ``[table]`` it is written in ("" = the top of the file)."""
        return self.key.rpartition(".")[0]

    @property
    def leaf(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def dest(self) -> str:
        """The argparse attribute of its flag (``--max-attempts`` → ``max_attempts``)."""
        return self.flag.removeprefix("--").replace("-", "_")

    @property
    def widget_id(self) -> str:
        """The id of its field in the TUI: the flag's name (``--read-timeout`` → ``read-timeout``)."""
        return self.flag.removeprefix("--")


def _timeout(name: str, help: str) -> Setting:
    return Setting(
        f"timeouts.{name}",
        attr=f"timeout_overrides.{name}",
        kind=Seconds(),
        flag=f"--{name}-timeout",
        label=f"{name} s",
        unit="s",
        preset_default=True,
        help=help,
    )


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "model",
        attr="model",
        kind=Text(example=default_model),
        flag="--model",
        metavar="ID",
        label="model",
        form=None,  # the form's own row: free entry plus the ids the API lists
        doc_default="newest Sonnet of the installed SDK",
        help="model id",
    ),
    Setting(
        "max_tokens",
        attr="max_tokens",
        kind=Integer(1, 1_000_000),
        flag="--max-tokens",
        label="max tokens",
        unit="tokens",
        form="prompt",
        help="max output tokens",
    ),
    Setting(
        "system",
        attr="system",
        kind=Text(optional=True),
        flag="--system",
        label="system prompt",
        form="prompt",
        help="system prompt",
    ),
    Setting(
        "preset",
        attr="preset",
        kind=Choice(_preset_names),
        flag="--preset",
        label="preset",
        help="timeout preset (see Timeout presets)",
    ),
    _timeout("connect", "connecting to the server"),
    _timeout("read", "longest silence between two chunks of the stream"),
    _timeout("write", "sending the request"),
    _timeout("pool", "waiting for a free connection"),
    Setting(
        "retry.max_attempts",
        attr="policy.max_attempts",
        kind=Integer(1, MAX_ATTEMPTS_LIMIT),
        flag="--max-attempts",
        label="attempts",
        help="attempts in all, including the first (1 = never retry)",
    ),
    Setting(
        "retry.base_delay",
        attr="policy.base_delay",
        kind=Seconds(allow_zero=True),
        flag="--base-delay",
        label="base delay",
        unit="s",
        help="first backoff delay",
    ),
    Setting(
        "retry.max_delay",
        attr="policy.max_delay",
        kind=Seconds(allow_zero=True),
        flag="--max-delay",
        label="max delay",
        unit="s",
        at_least="retry.base_delay",
        help="cap of one backoff delay",
    ),
    Setting(
        "retry.jitter",
        attr="policy.jitter",
        kind=Choice(JITTERS),
        flag="--jitter",
        label="jitter",
        help="backoff jitter",
    ),
    Setting(
        "retry.deadline",
        attr="policy.deadline",
        kind=Seconds(none_word="none"),
        flag="--deadline",
        label="deadline s",
        unit="s",
        preset_default=True,
        help="bound on the whole call, all attempts and waits",
    ),
    Setting(
        "retry.mid_stream",
        attr="policy.mid_stream",
        kind=Choice(MID_STREAM_POLICIES),
        flag="--mid-stream",
        label="mid-stream",
        help="after a failure mid-answer: start over, or ask the model to continue",
    ),
    Setting(
        "simulator.scenario",
        attr="scenario",
        kind=ScenarioRef(),
        flag="--scenario",
        label="scenario",
        form=None,  # picked with the TUI's scenario picker
        help="simulator scenario these settings prefer (--sim and the TUI's simulator)",
    ),
)

TABLE_TITLES = {
    "": "request",
    "timeouts": "timeouts (seconds; override the preset's)",
    "retry": "retry policy",
    "simulator": "simulator scenario",
}
"""Titles of the flag groups, one per profile table."""

NO_VALUE = argparse.Namespace()
"""What a flag's value is when the user wrote the "none" word (``--deadline none``)."""


def by_key(schema: Sequence[Setting] = SETTINGS) -> dict[str, Setting]:
    return {s.key: s for s in schema}


def check_value(setting: Setting, value: object) -> object:
    """``value`` checked against ``setting``; ``FieldError`` naming its key."""
    try:
        return setting.kind.check(value)
    except Problem as exc:
        raise FieldError(setting.key, str(exc)) from None


def parse_text(setting: Setting, text: str) -> object:
    """A flag's or form field's text as the setting's value; ``FieldError`` naming its key."""
    try:
        return setting.kind.from_text(text)
    except Problem as exc:
        raise FieldError(setting.key, str(exc)) from None


def check_values(values: Mapping[str, object], schema: Sequence[Setting] = SETTINGS) -> dict[str, object]:
    """Every value checked (unknown keys, kinds, then rules between settings); normalised copy."""
    settings = by_key(schema)
    for key in values:
        if key not in settings:
            raise FieldError(key, f"is not a setting: {suggest(key, schema)}")
    checked = {s.key: check_value(s, values[s.key]) for s in schema if s.key in values}
    for s in schema:
        low = checked.get(s.at_least) if s.at_least else None
        value = checked.get(s.key)
        if isinstance(low, float) and isinstance(value, float) and value < low:
            raise FieldError(s.key, f"must be >= {s.at_least} ({low:g}), got {value:g}")
    return checked


def tables(schema: Sequence[Setting] = SETTINGS) -> tuple[str, ...]:
    """The profile's ``[tables]``, in schema order."""
    return tuple(dict.fromkeys(s.table for s in schema if s.table))


def suggest(key: str, schema: Sequence[Setting] = SETTINGS) -> str:
    """The fix for an unknown key: the closest valid key (or table), else the whole list."""
    import difflib  # only on an error: not at start-up

    keys, names = [s.key for s in schema], tables(schema)
    leaf = key.rsplit(".", 1)[-1]

    def score(valid: str) -> float:
        return max(
            difflib.SequenceMatcher(None, key, valid).ratio(),
            difflib.SequenceMatcher(None, leaf, valid.rsplit(".", 1)[-1]).ratio(),
        )

    best = max((*keys, *names), key=score)
    if score(best) < 0.6:
        return f"use one of {', '.join(keys)}"
    if best in names:
        return f"did you mean the [{best}] table?"
    table, _, name = best.rpartition(".")
    where = f"{name} in the [{table}] table" if table else f"{name} at the top (before any [table])"
    return f"did you mean {where}?"
