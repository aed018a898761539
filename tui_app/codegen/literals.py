"""Values as source: Python that ``ruff format`` leaves as it is, and TypeScript.

Whatever people typed (a prompt, a system prompt, a model id) reaches the generated
program only through these functions: a literal, never code, whatever its characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


def py_str(text: str) -> str:
    """A string literal in the formatter's preferred quotes: double, unless the text holds
    more double quotes than single ones (then single, as ``ruff format`` would choose)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = repr(text)[1:-1]  # escapes for control characters, backslashes, odd code points
    if repr(text)[0] == "'":
        body = body.replace("\\'", "'")
    else:
        body = body.replace('\\"', '"')
    return quote + body.replace(quote, "\\" + quote) + quote


def py_seconds(value: float | None) -> str:
    """A number of seconds (``math.inf`` for "no bound")."""
    if value is None or math.isinf(value):
        return "math.inf"
    return repr(float(value))


WIDTH = 88
"""``ruff format``'s default line length, which the generated program is formatted for."""


def columns(source: str) -> int:
    """How wide ``ruff format`` counts a line: two columns for a wide (CJK, emoji)
    character, none for a combining mark. A character this Python's Unicode tables do not
    know never appears here: ``py_str`` writes it as an escape."""
    return sum(_char_columns(char) for char in source)


def _char_columns(char: str) -> int:
    if char.isascii():
        return 1
    if unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def py_assign(name: str, text: str) -> str:
    """``NAME = "text"``; a text too long for one line is split at spaces and newlines
    into implicitly concatenated parts, one a line, as a person would write it."""
    line = f"{name} = {py_str(text)}"
    if columns(line) <= WIDTH:
        return line
    parts = "\n".join(f"    {py_str(part)}" for part in _parts(text, WIDTH - 4, py_str))
    return f"{name} = (\n{parts}\n)"


def _parts(text: str, width: int, literal: Callable[[str], str]) -> list[str]:
    """``text`` cut into pieces whose literals fit ``width``, after a space or a newline
    where there is one, anywhere otherwise."""
    parts, current = [], ""
    for token in re.findall(r"[^\s]*\s*", text):
        while token:
            if columns(literal(current + token)) <= width:
                current, token = current + token, ""
            elif current:
                parts.append(current)
                current = ""
            else:  # one token too long for a line: cut it where it no longer fits
                cut = max(
                    1, next(i for i in range(min(len(token), width), 0, -1) if columns(literal(token[:i])) <= width)
                )
                parts.append(token[:cut])
                token = token[cut:]
        if current.endswith("\n"):
            parts.append(current)
            current = ""
    return [*parts, current] if current else parts


def py_int_set(name: str, values: Iterable[int]) -> str:
    """``NAME = {...}`` of whole numbers, runs of four or more written as ``*range(a, b)``
    (the SDK's "every status >= 500" is one item, not a hundred); one item a line when the
    set does not fit one, as ``ruff format`` splits it."""
    items = [item for first, last in _runs(values) for item in _run_items(first, last, "*range({}, {})")]
    line = f"{name} = {{{', '.join(items)}}}"
    if columns(line) <= WIDTH:
        return line
    return f"{name} = {{\n" + "".join(f"    {item},\n" for item in items) + "}"


def ts_int_set(name: str, values: Iterable[int]) -> str:
    """``const NAME = new Set([...]);`` as :func:`py_int_set` writes it, a run of four or
    more as ``...range(a, b)`` spelled with ``Array.from``."""
    spread = "...Array.from({{ length: {1} - {0} }}, (_, i) => {0} + i)"
    items = [item for first, last in _runs(values) for item in _run_items(first, last, spread)]
    line = f"const {name} = new Set([{', '.join(items)}]);"
    if columns(line) <= WIDTH:
        return line
    return f"const {name} = new Set([\n" + "".join(f"  {item},\n" for item in items) + "]);"


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted whole numbers as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for value in sorted(set(values)):
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _run_items(first: int, last: int, range_form: str) -> list[str]:
    """A run of four or more as one range item (``range_form`` of first and last + 1),
    a shorter one as its numbers."""
    if last - first >= 3:
        return [range_form.format(first, last + 1)]
    return [str(value) for value in range(first, last + 1)]


def ts_str(text: str) -> str:
    """A TypeScript string literal in double quotes: printable characters as they are,
    the rest (controls, separators, lone surrogates) as ``\\u`` escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char.isprintable() or char == " ":
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def ts_assign(name: str, text: str, annotation: str = "") -> str:
    """``const NAME = "text";``; a text too long for one line is cut as :func:`py_assign`
    cuts it, the parts joined with ``+`` one a line (as Prettier lays them out)."""
    line = f"const {name}{annotation} = {ts_str(text)};"
    if columns(line) <= WIDTH:
        return line
    parts = _parts(text, WIDTH - 6, ts_str)
    body = " +\n".join(f"  {ts_str(part)}" for part in parts)
    return f"const {name}{annotation} =\n{body};"


def ts_seconds(value: float | None) -> str:
    """A number of seconds (``Infinity`` for "no bound")."""
    if value is None or math.isinf(value):
        return "Infinity"
    return repr(float(value))
