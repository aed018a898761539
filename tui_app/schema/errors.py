"""The one error type of settings, profiles and scenario files, and how values are shown in it."""

from __future__ import annotations

import math


class FieldError(ValueError):
    """One setting (or scenario field) is wrong: ``field`` is its dotted path, ``fix`` what to do.

    The one error type of settings, profiles and scenario files. ``shown_as`` is how the
    field is named to the person who set it: the path in a file, ``--max-delay`` for a
    flag, the label in the form.
    """

    def __init__(self, field: str, problem: str, fix: str = "", *, shown_as: str | None = None) -> None:
        self.field, self.problem, self.fix = field, problem, fix
        self.shown_as = field if shown_as is None else shown_as
        super().__init__(self.message())

    def message(self) -> str:
        text = f"{self.shown_as} {self.problem}" if self.shown_as else self.problem
        return f"{text}; {self.fix}" if self.fix else text

    def named(self, shown_as: str) -> FieldError:
        """The same error, naming the field as the user set it (a flag, a form label)."""
        return type(self)(self.field, self.problem, self.fix, shown_as=shown_as)


class Problem(Exception):
    """A value breaks its kind's rule; the text says how (the caller names the field)."""


def quoted(text: str) -> str:
    """``text`` in double quotes, escaped as TOML (and JSON) write it.

    ``json`` is imported here, when a rule or an error is put in words: the first frame and
    ``--help`` need neither.
    """
    import json

    return json.dumps(text, ensure_ascii=False)


def show(value: object) -> str:
    """A value as written in TOML (quoted strings, true/false), on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return str(value).replace("\n", " ")
