"""Kinds of setting that are amounts with a word for "off": a plain number (temperature,
the throttle's K), a share (the retry budget), thinking (off, adaptive or a budget of tokens).

Split from :mod:`.kinds` (seconds, integers, choices, text) by concern; same value classes.
"""

from __future__ import annotations

import math
from typing import Literal

from .errors import Problem, show
from .kinds import _Free, _is_number


class Number(_Free):
    """A plain number in ``[low, high]`` (``(low, high]`` when ``low_open``); ``none_word``
    is how "off" (``None``) is written."""

    __slots__ = ("low", "high", "none_word", "low_open", "optional")
    low: float
    high: float
    none_word: str | None
    low_open: bool
    optional: bool
    """Unset (``None``, an empty field) is allowed: the model's default, say."""
    metavar = "X"
    input_type: Literal["integer", "number", "text"] = "number"

    def __init__(
        self, low: float, high: float, none_word: str | None = None, *, low_open: bool = False, optional: bool = False
    ) -> None:
        self._set(low=low, high=high, none_word=none_word, low_open=low_open, optional=optional or bool(none_word))

    def rule(self) -> str:
        if self.low_open:
            rule = f"a number > {self.low:g} and <= {self.high:g}"
        else:
            rule = f"a number between {self.low:g} and {self.high:g}"
        return f'{rule}, or "{self.none_word}"' if self.none_word else rule

    def check(self, value: object) -> float | None:
        if self.optional and value in (None, self.none_word):
            return None
        ok = _is_number(value) and math.isfinite(value) and value <= self.high  # type: ignore[arg-type, operator]
        if not (ok and (value > self.low if self.low_open else value >= self.low)):  # type: ignore[operator]
            raise Problem(f"must be {self.rule()}, got {show(value)}")
        return float(value)  # type: ignore[arg-type]

    def from_text(self, text: str) -> float | None:
        text = text.strip()
        if self.optional and text in ("", self.none_word):
            return None
        try:
            return self.check(self._parse(text))
        except (ValueError, Problem):  # the text as given, not as parsed
            raise Problem(f"must be {self._text_rule()}, got {show(text)}") from None

    def _parse(self, text: str) -> float:
        return float(text)

    def _text_rule(self) -> str:
        return self.rule()

    def to_text(self, value: object) -> str:
        return self.none_word or "" if value is None else f"{value:g}"


class Fraction(Number):
    """A share between 0 (excluded) and 1; its text form also takes a percentage (``20%``)."""

    __slots__ = ()
    metavar = "FRACTION"
    input_type: Literal["integer", "number", "text"] = "text"

    def __init__(self, none_word: str | None = None) -> None:
        super().__init__(0.0, 1.0, none_word, low_open=True)

    def _parse(self, text: str) -> float:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)

    def _text_rule(self) -> str:
        return f"{self.rule()} (or a percentage such as 20%)"


THINKING_WORDS = ("off", "adaptive")
THINKING_MIN_BUDGET = 1024
"""The API's least ``budget_tokens`` (the SDK's ``ThinkingConfigEnabledParam``: "Must be ≥1024")."""


class Thinking(_Free):
    """How the model thinks: ``off``, ``adaptive``, or a budget of N tokens (``enabled``);
    unset (``None``) sends nothing, so the model's own default applies."""

    __slots__ = ()
    metavar = "off|adaptive|N"
    optional = True
    input_type: Literal["integer", "number", "text"] = "text"

    def rule(self) -> str:
        return f'"off", "adaptive" or a budget of N >= {THINKING_MIN_BUDGET} tokens'

    def check(self, value: object) -> str | int | None:
        if value is None or value in THINKING_WORDS:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and THINKING_MIN_BUDGET <= value <= 1_000_000:
            return value
        raise Problem(f"must be {self.rule()}, got {show(value)}")

    def from_text(self, text: str) -> str | int | None:
        word = text.strip().lower()
        if not word:
            return None
        if word.isdigit():
            try:
                return self.check(int(word))
            except Problem:
                raise Problem(f"must be {self.rule()}, got {show(text)}") from None
        return self.check(word if word in THINKING_WORDS else text.strip())

    def to_text(self, value: object) -> str:
        return "" if value is None else str(value)
