"""Flags, profile tables, form fields and the docs table, derived from the declarations.

Each function takes the schema as an argument (``SETTINGS`` by default), so what a new
declaration adds can be seen without touching the product's list.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Literal

from .declared import NO_VALUE, SETTINGS, TABLE_TITLES, by_key, check_values, suggest, tables
from .errors import FieldError, Problem, show
from .kinds import Boolean, Choice

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .described import Setting

API_KEY_NAMES = ("api_key", "apikey", "anthropic_api_key")


# -- flags ---------------------------------------------------------------------------------
def add_flags(
    parser: argparse.ArgumentParser, defaults: Mapping[str, object], schema: Sequence[Setting] = SETTINGS
) -> None:
    """One optional flag per setting, grouped by profile table; a bad value exits 2 naming the flag.

    ``defaults`` (values by key, e.g. ``RunSettings().values()``) are shown in the help.
    """
    groups: dict[str, argparse._ArgumentGroup] = {}
    for s in schema:
        if s.table not in groups:
            groups[s.table] = parser.add_argument_group(TABLE_TITLES.get(s.table, s.table))
        if isinstance(s.kind, Boolean):
            groups[s.table].add_argument(s.flag, action=argparse.BooleanOptionalAction, help=flag_help(s, defaults))
        elif s.kind.repeatable:  # one flag per value, in order
            group, metavar = groups[s.table], s.metavar or s.kind.metavar
            group.add_argument(
                s.flag, metavar=metavar, action="append", type=_flag_type(s), help=flag_help(s, defaults)
            )
        else:
            group, metavar = groups[s.table], s.metavar or s.kind.metavar
            group.add_argument(s.flag, metavar=metavar, type=_flag_type(s), help=flag_help(s, defaults))


def flag_help(s: Setting, defaults: Mapping[str, object]) -> str:
    text = s.help
    if isinstance(s.kind, Choice) and not isinstance(s.kind.choices, tuple):
        text += f": {' | '.join(s.kind.options())}"
    if s.key in defaults or s.doc_default or s.preset_default:
        text += f" (default: {default_text(s, defaults, as_toml=False)})"
    return text.replace("%", "%%")


def _flag_type(s: Setting) -> Callable[[str], object]:
    def parse(text: str) -> object:
        try:
            value = s.kind.from_text(text)
        except Problem as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return NO_VALUE if value is None else value

    return parse


def flag_values(args: argparse.Namespace, schema: Sequence[Setting] = SETTINGS) -> dict[str, object]:
    """The settings given as flags, by key (flags left out are absent)."""
    values: dict[str, object] = {}
    for s in schema:
        value = getattr(args, s.dest, None)
        if isinstance(value, list):  # a repeatable flag: each value parsed, joined in order
            value = tuple(item for given in value for item in given)
        if value is not None:
            values[s.key] = None if value is NO_VALUE else value
    return values


def flag_error(error: FieldError, schema: Sequence[Setting] = SETTINGS) -> FieldError:
    """``error`` naming the flag that sets its field (the schema maps field → flag)."""
    setting = by_key(schema).get(error.field)
    return error.named(setting.flag) if setting else error


# -- profile tables --------------------------------------------------------------------------
def parse_table(data: Mapping[str, Any], schema: Sequence[Setting] = SETTINGS) -> dict[str, object]:
    """Parsed TOML → checked values by key; ``FieldError`` (dotted path and fix) on the first problem."""
    names = tables(schema)
    _check_keys(data, schema, names)
    for name in names:
        if name in data and not isinstance(data[name], dict):
            raise FieldError(name, f"must be a [{name}] table, got {show(data[name])}")
    flat: dict[str, object] = {}
    for s in schema:
        container = data.get(s.table, {}) if s.table else data
        if s.leaf in container:
            flat[s.key] = container[s.leaf]
    return check_values(flat, schema)


def _check_keys(data: Mapping[str, Any], schema: Sequence[Setting], names: tuple[str, ...]) -> None:
    known = by_key(schema)
    for key, value in data.items():
        dotted_keys = [f"{key}.{sub}" for sub in value] if key in names and isinstance(value, dict) else [key]
        for dotted in dotted_keys:
            if dotted.rsplit(".", 1)[-1].lower() in API_KEY_NAMES:
                raise FieldError(
                    dotted, "is not allowed: profiles never store the API key", "delete it and set ANTHROPIC_API_KEY"
                )
            if dotted not in known and dotted not in names:
                raise FieldError(dotted, f"is not a profile key: {suggest(dotted, schema)}")


def to_table(values: Mapping[str, object], schema: Sequence[Setting] = SETTINGS) -> dict[str, Any]:
    """Values by key → TOML data (top-level keys, then one table each); unset values left out."""
    data: dict[str, Any] = {}
    for s in schema:
        if s.key not in values:
            continue
        value = values[s.key]
        if value is None:
            value = s.kind.none_word
            if value is None:
                continue
        (data.setdefault(s.table, {}) if s.table else data)[s.leaf] = value
    return data


# -- the TUI and the docs --------------------------------------------------------------------
def form_fields(place: Literal["settings", "prompt"], schema: Sequence[Setting] = SETTINGS) -> list[Setting]:
    """The settings the TUI edits at ``place``, in schema order."""
    return [s for s in schema if s.form == place]


def changes(
    before: Mapping[str, object], after: Mapping[str, object], schema: Sequence[Setting] = SETTINGS
) -> list[str]:
    """What differs between two sets of values, one ``label old → new`` each, in schema order
    (e.g. the notice confirming what a retry with edits changed)."""

    def text(s: Setting, value: object) -> str:
        return "none" if value is None else s.kind.to_text(value)

    return [
        f"{s.label} {text(s, before.get(s.key))} → {text(s, after.get(s.key))}"
        for s in schema
        if before.get(s.key) != after.get(s.key)
    ]


def default_text(s: Setting, defaults: Mapping[str, object], *, as_toml: bool = True) -> str:
    """The default in words: as written in a profile (``as_toml``), or as a flag takes it."""
    if s.doc_default:
        return s.doc_default
    if s.preset_default:
        return "the preset's"
    value = defaults.get(s.key)
    if value is None:
        return "unset"
    if as_toml:
        return show(value)
    return s.kind.to_text(value) + (f" {s.unit}" if s.unit == "s" else "")


def markdown_table(defaults: Mapping[str, object], schema: Sequence[Setting] = SETTINGS) -> str:
    """The README's table of profile keys and flags (a test keeps the README equal to it)."""
    rows = ["| profile key | flag | value | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for s in schema:
        flag = f"--[no-]{s.flag[2:]}" if isinstance(s.kind, Boolean) else f"{s.flag} {s.metavar or s.kind.metavar}"
        rule = s.kind.rule() + (f", >= `{s.at_least}`" if s.at_least else "")
        cells = (f"`{s.key}`", f"`{flag}`", rule, default_text(s, defaults), s.help)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"
