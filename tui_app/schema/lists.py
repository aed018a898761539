"""Kinds of setting that hold several values: model ids, HTTP statuses, strings.

Each is repeatable as a flag (one value per flag, in order) and a TOML array in a profile;
split from :mod:`.kinds` (the scalar kinds) by what they hold.
"""

from __future__ import annotations

from typing import Literal

from .errors import Problem, show
from .kinds import _Free


class ModelList(_Free):
    """Model ids in order (``--fallback A --fallback B``: one flag per value; the form takes
    them comma-separated; a profile a TOML array of strings)."""

    __slots__ = ()
    metavar = "MODEL"
    repeatable = True
    input_type: Literal["integer", "number", "text"] = "text"

    def rule(self) -> str:
        return "an array of model ids"

    def check(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)):
            raise Problem(f'must be an array of model ids, e.g. ["claude-haiku-4-5"], got {show(value)}')
        for item in value:
            if not isinstance(item, str) or not item.strip() or "," in item:
                raise Problem(f"must hold model ids (non-empty strings without commas), got {show(item)}")
        return tuple(item.strip() for item in value)

    def from_text(self, text: str) -> tuple[str, ...]:
        return self.check([part for part in (p.strip() for p in text.split(",")) if part])

    def to_text(self, value: object) -> str:
        return ", ".join(value) if isinstance(value, (list, tuple)) else ""


class StatusList(_Free):
    """HTTP status codes (``--retry-status 429 --retry-status 529``: one flag per value, or
    comma-separated; a profile a TOML array of integers)."""

    __slots__ = ()
    metavar = "STATUS"
    repeatable = True
    input_type: Literal["integer", "number", "text"] = "text"

    def rule(self) -> str:
        return "an array of HTTP statuses (100-599)"

    def check(self, value: object) -> tuple[int, ...]:
        if not isinstance(value, (list, tuple)):
            raise Problem(f"must be an array of HTTP statuses, e.g. [429, 529], got {show(value)}")
        for item in value:
            if not isinstance(item, int) or isinstance(item, bool) or not 100 <= item <= 599:
                raise Problem(f"must hold HTTP statuses (integers 100-599), got {show(item)}")
        return tuple(sorted(set(value)))

    def from_text(self, text: str) -> tuple[int, ...]:
        try:
            return self.check([int(part) for part in (p.strip() for p in text.split(",")) if part])
        except ValueError:
            raise Problem(f"must be HTTP statuses such as 429,529, got {show(text)}") from None

    def to_text(self, value: object) -> str:
        return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else ""


class TextList(_Free):
    """Strings in order (``--stop A --stop B``: one flag per value, each taken whole). The form
    takes one value as it is, or several as a JSON array (``["END", "###"]``)."""

    __slots__ = ()
    metavar = "TEXT"
    repeatable = True
    input_type: Literal["integer", "number", "text"] = "text"

    def rule(self) -> str:
        return "an array of non-empty strings"

    def check(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)):
            raise Problem(f'must be an array of strings, e.g. ["END"], got {show(value)}')
        for item in value:
            if not isinstance(item, str) or not item:
                raise Problem(f"must hold non-empty strings, got {show(item)}")
        return tuple(value)

    def from_text(self, text: str) -> tuple[str, ...]:
        if not text.strip():
            return ()
        if not text.lstrip().startswith("["):
            return self.check([text])
        import json

        try:
            items = json.loads(text)
        except ValueError:
            raise Problem(f'must be one string, or a JSON array of them (["END", "###"]), got {show(text)}') from None
        return self.check(items)

    def to_text(self, value: object) -> str:
        if not isinstance(value, (list, tuple)) or not value:
            return ""
        if len(value) == 1 and not str(value[0]).lstrip().startswith("["):
            return str(value[0])
        import json

        return json.dumps(list(value), ensure_ascii=False)
