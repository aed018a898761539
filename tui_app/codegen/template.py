"""How a generated program is put together: pieces, slots, and one renderer.

A program is a list of :class:`Piece` s, one per concern (the request, the timeouts, the
jitter, the deadline ...). A piece brings the imports it needs, its constants (the top of
the program, where people read and change the settings), its definitions (functions and
classes), and text for the *slots* other pieces leave open: the main loop, for instance,
leaves ``$CALL`` (how one attempt is called) to the deadline piece. A new setting is a new
piece, or another variant of one, and touches no other piece's text.

Templates are ``string.Template`` text: ``$NAME`` in Python, which has no ``$`` of its
own, and ``@@NAME`` in TypeScript, whose template literals use ``${}`` (:data:`TYPESCRIPT`).
Values people typed (the prompt) never pass through a template — they go in as literals
(:mod:`.literals`), so nothing they write can be read as template syntax.
"""

from __future__ import annotations

import string
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping


class TypeScriptTemplate(string.Template):
    """``@@NAME`` slots: TypeScript's own ``${...}`` stays as it is."""

    delimiter = "@@"


PYTHON: type[string.Template] = string.Template
TYPESCRIPT: type[string.Template] = TypeScriptTemplate


@dataclass(frozen=True, slots=True)
class Piece:
    """One concern of a generated program."""

    imports: tuple[str, ...] = ()
    """Whole import lines (``import math``, ``from datetime import UTC, datetime``)."""
    constants: str = ""
    """A block of the settings section at the top, comment first. Plain text, not a template:
    it holds what people typed (as literals), which may contain ``$``."""
    definitions: str = ""
    """Functions and classes, each separated by two blank lines."""
    slots: Mapping[str, str] = field(default_factory=dict)
    """Text for the slots of other pieces' templates."""


def render(template: str, values: Mapping[str, str], syntax: type[string.Template] = PYTHON) -> str:
    """``template`` with its ``$NAME`` slots (``syntax``'s delimiter) filled.

    A line holding nothing but one slot takes the slot's text as whole lines at its own
    indentation, and disappears when that text is empty, so an optional statement leaves
    no blank line behind. Any other slot is replaced inline. A slot nobody filled is a
    ``KeyError``: a program is never printed with a hole in it.
    """
    mark = syntax.delimiter
    out: list[str] = []
    for line in template.splitlines():
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        name = stripped[len(mark) :].strip("{}")
        if stripped.startswith(mark) and name.isidentifier() and stripped in (f"{mark}{name}", f"{mark}{{{name}}}"):
            text = render(values[name], values, syntax) if values[name] else ""
            out += [indent + part if part else "" for part in text.splitlines()]
        else:  # a value of several lines continues at this line's indentation
            at_indent = {key: value.replace("\n", "\n" + indent) for key, value in values.items()}
            out.append(syntax(line).substitute(at_indent))
    return "\n".join(out) + "\n"


def import_block(lines: Iterable[str]) -> str:
    """The imports sorted as ruff's isort rules want them: the standard library first,
    then third-party packages; in each, ``import x`` lines before ``from x import y``."""
    unique = sorted(set(lines), key=lambda line: (line.startswith("from "), _module(line)))
    stdlib = [line for line in unique if _module(line).split(".")[0] in sys.stdlib_module_names]
    others = [line for line in unique if line not in stdlib]
    future = ["from __future__ import annotations"]  # definitions may name later ones
    return "\n\n".join("\n".join(group) for group in (future, stdlib, others) if group) + "\n"


def _module(line: str) -> str:
    return line.split()[1]


def assemble(
    docstring: str,
    pieces: Iterable[Piece],
    main: str,
    values: Mapping[str, str],
    *,
    syntax: type[string.Template] = PYTHON,
    imports: Callable[[Iterable[str]], str] = import_block,
    blank_lines: int = 2,
) -> str:
    """The whole program: docstring, imports, constants, definitions, then ``main``.

    Every piece's definitions are rendered with ``values`` plus every piece's slots, in
    ``syntax``; ``imports`` orders the pieces' import lines. ``blank_lines`` go before each
    top-level definition (two in Python, as PEP 8 wants; one in TypeScript).
    """
    pieces = list(pieces)
    filled = dict(values)
    for piece in pieces:
        filled.update(piece.slots)
    import_lines = imports(line for piece in pieces for line in piece.imports)
    constants = "\n\n".join(p.constants for p in pieces if p.constants)  # literals, never templates
    definitions = [render(p.definitions, filled, syntax) for p in pieces if p.definitions]
    head = "\n\n".join(part.rstrip("\n") for part in (docstring, import_lines, constants))
    gap = "\n" * (blank_lines + 1)
    body = gap.join(part.rstrip("\n") for part in (*definitions, render(main, filled, syntax)))
    return f"{head}{gap}{body}\n"
