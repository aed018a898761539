"""How a setting is declared (as a typed dataclass field), and the checks every source goes through.

A declaration is kept as the keywords given to :func:`setting`; the :class:`Setting` s are made
from them on first use (:func:`collect`), so declaring costs no more than the field itself:
``RunSettings``, the retry policy and the timeouts are declared before the TUI's first frame,
which reads none of the declarations.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import field, fields
from typing import TYPE_CHECKING, Literal, TypeVar, overload

from .errors import FieldError, Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from .described import Setting
    from .kinds import Kind

T = TypeVar("T")


_SETTING, _TABLE = "setting", "settings_table"


def setting(
    default: T,
    *,
    kind: Kind,
    help: str,
    flag: str,
    label: str,
    key: str | None = None,
    unit: str = "",
    form: Literal["settings", "prompt"] | None = "settings",
    preset_default: bool = False,
    at_least: str | None = None,
    doc_default: str | None = None,
    metavar: str | None = None,
) -> T:
    """A dataclass field that is also the setting's one declaration (see :class:`Setting`).

    The typed field carries the default; the declaration rides in its metadata, and
    :func:`collect` makes it a :class:`Setting` with its key (the field's name, under its table's) and ``attr``.
    ``key`` is only for a top-level field written in a table (``simulator.scenario``);
    ``at_least`` names a setting of the same table.
    """
    declared = {
        "key": key or "",
        "kind": kind,
        "help": help,
        "flag": flag,
        "label": label,
        "unit": unit,
        "form": form,
        "preset_default": preset_default,
        "at_least": at_least,
        "doc_default": doc_default,
        "metavar": metavar,
    }
    return field(default=default, metadata={_SETTING: declared})


def settings_table(name: str, declared_in: type, default_factory: Callable[[], T]) -> T:
    """A field holding a profile ``[name]`` table whose settings are ``declared_in``'s fields."""
    return field(default_factory=default_factory, metadata={_TABLE: (name, declared_in)})


_COLLECTED: dict[type, tuple[Setting, ...]] = {}


def collect(cls: type) -> tuple[Setting, ...]:
    """The settings declared in ``cls``'s fields (and its tables'), in declaration order."""
    if cls not in _COLLECTED:
        _COLLECTED[cls] = _walk(cls, "", "")
    return _COLLECTED[cls]


def _walk(cls: type, table: str, attr: str) -> tuple[Setting, ...]:
    from .described import Setting

    found: list[Setting] = []
    for f in fields(cls):
        if _SETTING in f.metadata:
            declared = dict(f.metadata[_SETTING])
            key = declared.pop("key") or (f"{table}.{f.name}" if table else f.name)
            low = declared.pop("at_least")
            at_least = f"{table}.{low}" if table and low else low
            found.append(Setting(key, attr=attr + f.name, at_least=at_least, **declared))
        elif _TABLE in f.metadata:
            name, declared_in = f.metadata[_TABLE]
            found.extend(_walk(declared_in, name, f"{f.name}."))
    return tuple(found)


class _Declared(Sequence["Setting"]):
    """``SETTINGS``: the settings of ``RunSettings``, collected on first use.

    The declarations are the typed fields themselves (``tui_app.settings``, ``retry.policy``,
    ``timeouts``), and those modules import :func:`setting` from here: the list can only be
    built once they are loaded, not while this module is.
    """

    @staticmethod
    def _all() -> tuple[Setting, ...]:
        from ..settings import RunSettings

        return collect(RunSettings)

    @overload
    def __getitem__(self, index: int) -> Setting: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Setting, ...]: ...
    def __getitem__(self, index: int | slice) -> Setting | tuple[Setting, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Setting]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"SETTINGS{self._all()!r}"


SETTINGS: Sequence[Setting] = _Declared()
"""Every request setting, in declaration order (flags, profile layout and docs follow it)."""

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
