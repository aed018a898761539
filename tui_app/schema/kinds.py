"""Kinds of setting: a type, its rule in words, and its text form (flags, form fields).

Light on purpose: the retry core, ``RunSettings`` and so the TUI's first frame declare their
fields with these kinds. So they are small value classes (:class:`_Value`), not dataclasses
(each of those costs about a millisecond of generated code at import), and ``json`` is
imported only where a rule or an error is put in words.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, Protocol

from .errors import Problem, quoted, show

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

SECONDS_LIMIT = 86400
"""No delay, timeout or deadline above a day: a typo (36000 for 3600) should fail loudly."""


class Kind(Protocol):
    @property
    def metavar(self) -> str:
        """The flag's value placeholder (``N``, ``S``, the choices)."""
        ...

    @property
    def none_word(self) -> str | None:
        """How "not set / no limit" (``None``) is written, if the kind allows it (``none``)."""
        ...

    @property
    def widget(self) -> Literal["input", "select"]: ...

    @property
    def repeatable(self) -> bool:
        """A list of values: one flag per value, in order (``--fallback A --fallback B``)."""
        ...

    @property
    def input_type(self) -> Literal["integer", "number", "text"]: ...

    @property
    def optional(self) -> bool:
        """Unset (``None``) is a value: left out of a request, blank in the form, empty text."""
        ...

    def rule(self) -> str:
        """The rule in words, e.g. ``an integer between 1 and 1000`` (docs and errors)."""
        ...

    def check(self, value: object) -> object:
        """``value`` (from TOML or code) normalised; ``Problem`` if it breaks the rule."""
        ...

    def from_text(self, text: str) -> object:
        """A flag's or form field's text as a checked value; ``Problem`` if invalid."""
        ...

    def to_text(self, value: object) -> str:
        """The value as a flag or form field would take it back."""
        ...

    def options(self) -> tuple[str, ...]:
        """The choices offered by a select widget (empty for free entry)."""
        ...


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Value:
    """An immutable value whose fields are its ``__slots__``: equality, hash and repr come
    from them, as ``@dataclass(frozen=True)`` would give, without generating code."""

    __slots__: tuple[str, ...] = ()
    repeatable = False
    optional = False

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[tuple[str, object], ...]:
        names = [name for cls in reversed(type(self).__mro__) for name in cls.__dict__.get("__slots__", ())]
        return tuple((name, getattr(self, name)) for name in names)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Value) and type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in self._fields())})"


class _Free(_Value):
    """Free entry: no options, an input widget."""

    __slots__ = ()
    widget: Literal["input", "select"] = "input"
    none_word: str | None = None

    def options(self) -> tuple[str, ...]:
        return ()


class Integer(_Free):
    __slots__ = ("low", "high")
    low: int
    high: int
    metavar = "N"
    input_type: Literal["integer", "number", "text"] = "integer"

    def __init__(self, low: int, high: int) -> None:
        self._set(low=low, high=high)

    def rule(self) -> str:
        return f"an integer between {self.low} and {self.high}"

    def check(self, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not self.low <= value <= self.high:
            raise Problem(f"must be {self.rule()}, got {show(value)}")
        return value

    def from_text(self, text: str) -> int:
        try:
            return self.check(int(text.strip()))
        except (ValueError, Problem):  # the text as given, not as parsed
            raise Problem(f"must be {self.rule()}, got {show(text)}") from None

    def to_text(self, value: object) -> str:
        return str(value)


class Seconds(_Free):
    """A duration; ``none_word`` (if any) is how "no limit" (``None``) is written."""

    __slots__ = ("allow_zero", "none_word")
    allow_zero: bool
    none_word: str | None  # a field here, a constant of the other kinds
    metavar = "S"
    input_type: Literal["integer", "number", "text"] = "number"

    def __init__(self, allow_zero: bool = False, none_word: str | None = None) -> None:
        self._set(allow_zero=allow_zero, none_word=none_word)

    def rule(self) -> str:
        rule = f"a number of seconds {'>= 0' if self.allow_zero else '> 0'} and <= {SECONDS_LIMIT:.0f}"
        return f'{rule}, or "{self.none_word}"' if self.none_word else rule

    def check(self, value: object) -> float | None:
        if self.none_word and value in (None, self.none_word):
            return None
        if isinstance(value, str) and self.none_word:
            raise Problem(f'must be a number of seconds or "{self.none_word}", got {show(value)}')
        ok = _is_number(value) and math.isfinite(value)  # type: ignore[arg-type]
        low_ok = ok and (value >= 0 if self.allow_zero else value > 0)  # type: ignore[operator]
        if not (low_ok and value <= SECONDS_LIMIT):  # type: ignore[operator]
            bound = ">= 0" if self.allow_zero else "> 0"
            raise Problem(f"must be a number of seconds {bound} and <= {SECONDS_LIMIT:.0f}, got {show(value)}")
        return float(value)  # type: ignore[arg-type]

    def from_text(self, text: str) -> float | None:
        text = text.strip()
        if self.none_word and text == self.none_word:
            return None
        try:
            return self.check(float(text))
        except (ValueError, Problem):  # the text as given, not as parsed
            raise Problem(f"must be {self.rule()}, got {show(text)}") from None

    def to_text(self, value: object) -> str:
        return self.none_word or "" if value is None else f"{value:g}"


class Choice(_Value):
    """One of a list of words; ``choices`` may be a function (presets are data files)."""

    __slots__ = ("choices", "optional")
    choices: tuple[str, ...] | Callable[[], Iterable[str]]
    optional: bool
    """Unset is allowed (``None``: the form's blank, an empty text; e.g. "the model's default")."""
    none_word = None
    widget: Literal["input", "select"] = "select"
    input_type: Literal["integer", "number", "text"] = "text"

    def __init__(self, choices: tuple[str, ...] | Callable[[], Iterable[str]], optional: bool = False) -> None:
        self._set(choices=choices, optional=optional)

    def options(self) -> tuple[str, ...]:
        return self.choices if isinstance(self.choices, tuple) else tuple(self.choices())

    @property
    def metavar(self) -> str:
        """The words themselves when fixed; ``NAME`` when they are data (read only if needed)."""
        return "|".join(self.choices) if isinstance(self.choices, tuple) else "NAME"

    def rule(self) -> str:
        return "one of " + ", ".join(map(quoted, self.options()))

    def check(self, value: object) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str) or value not in self.options():
            raise Problem(f"must be {self.rule()}, got {show(value)}")
        return value

    def from_text(self, text: str) -> str | None:
        return self.check(text.strip() or (None if self.optional else ""))

    def to_text(self, value: object) -> str:
        return "" if value is None else str(value)


class Text(_Free):
    """A string; ``optional``: empty means unset (``None``); else ``example`` shows a good one."""

    __slots__ = ("optional", "example")
    optional: bool
    example: Callable[[], str] | None
    metavar = "TEXT"
    input_type: Literal["integer", "number", "text"] = "text"

    def __init__(self, optional: bool = False, example: Callable[[], str] | None = None) -> None:
        self._set(optional=optional, example=example)

    def rule(self) -> str:
        return "a quoted string" if self.optional else "a non-empty quoted string"

    def check(self, value: object) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str):
            raise Problem(f"must be a quoted string, got {show(value)}")
        if self.optional and not value:
            return None
        if not value.strip() and not self.optional:
            raise Problem("must not be empty" + (f", e.g. {quoted(self.example())}" if self.example else ""))
        return value

    def from_text(self, text: str) -> str | None:
        return self.check(text if self.optional else text.strip())

    def to_text(self, value: object) -> str:
        return "" if value is None else str(value)


class Boolean(_Value):
    __slots__ = ()
    metavar = "BOOL"
    none_word = None
    widget: Literal["input", "select"] = "select"
    input_type: Literal["integer", "number", "text"] = "text"

    def options(self) -> tuple[str, ...]:
        return ("true", "false")

    def rule(self) -> str:
        return "true or false"

    def check(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise Problem(f"must be true or false (unquoted), got {show(value)}")
        return value

    def from_text(self, text: str) -> bool:
        word = text.strip().lower()
        if word in ("true", "yes", "on", "1"):
            return True
        if word in ("false", "no", "off", "0"):
            return False
        raise Problem(f"must be true or false, got {show(text)}")

    def to_text(self, value: object) -> str:
        return show(value)


class ScenarioRef(Text):
    """A simulator scenario: a shipped name, or a file (relative to the profile's directory)."""

    __slots__ = ()
    metavar = "NAME|FILE"

    def __init__(self, optional: bool = True, example: Callable[[], str] | None = None) -> None:
        super().__init__(optional, example)

    def rule(self) -> str:
        return "a scenario name or a .toml/.json file path"

    def check(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise Problem(f"must be {self.rule()}, got {show(value)}")
        return value


def resolve_scenario(value: str, base_dir: Path, names: Sequence[str]) -> str:
    """A scenario file as an absolute path, or a known name; ``Problem`` otherwise."""
    if "/" in value or "\\" in value or value.endswith((".toml", ".json")):
        from pathlib import Path

        file = (base_dir / Path(value).expanduser()).resolve()
        if not file.is_file():
            raise Problem(f"names a file that does not exist: {file}")
        return str(file)
    if value not in names:
        known = ", ".join(names) if names else "none installed"
        raise Problem(f"is not a known scenario, got {show(value)}: use one of {known}, or a .toml/.json file path")
    return value
