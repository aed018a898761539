"""The conversation a program sends, spelled in either language: a follow-up turn's earlier
turns as named constants and a ``HISTORY`` list, then the prompt.

One function per shape, with a :class:`Spelling` per language, so the two programs name
and order the turns the same way (the tests compare the messages they send with the
session's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .literals import py_assign, ts_assign

if TYPE_CHECKING:
    from collections.abc import Callable

    from .spec import ProgramSpec


@dataclass(frozen=True, slots=True)
class Spelling:
    """How one language writes a comment, a string constant, a message and a list."""

    comment: str
    assign: Callable[[str, str], str]
    message: str
    """A message literal, with ``{role}`` and ``{content}`` (a name) to fill."""
    indent: str
    history_open: str
    history_close: str
    spread: str
    """How a list is spread into another: ``*`` or ``...``."""


PYTHON = Spelling("#", py_assign, '{{"role": "{role}", "content": {content}}}', "    ", "HISTORY = [", "]", "*")
TYPESCRIPT = Spelling(
    "//",
    ts_assign,
    '{{ role: "{role}", content: {content} }}',
    "  ",
    "const HISTORY: Anthropic.MessageParam[] = [",
    "];",
    "...",
)


def history_lines(history: tuple[tuple[str, str], ...], spelling: Spelling) -> list[str]:
    """A follow-up turn's conversation so far, one named constant a message (long texts
    wrap as the language's ``assign`` wraps them), then the list of turns sent before the
    prompt; nothing for a first turn."""
    if not history:
        return []
    lines = [f"{spelling.comment} The conversation so far (this is a follow-up turn), sent before PROMPT every time."]
    turns = []
    for number, (user, assistant) in enumerate(history, 1):
        user_name, answer_name = f"TURN_{number}_USER", f"TURN_{number}_ANSWER"
        lines += [spelling.assign(user_name, user), spelling.assign(answer_name, assistant)]
        turns += [
            f"{spelling.indent}{spelling.message.format(role='user', content=user_name)},",
            f"{spelling.indent}{spelling.message.format(role='assistant', content=answer_name)},",
        ]
    return [*lines, spelling.history_open, *turns, spelling.history_close]


def first_turns(spec: ProgramSpec, spelling: Spelling) -> str:
    """The messages every attempt starts with: the conversation so far, then the prompt."""
    prompt = spelling.message.format(role="user", content="PROMPT")
    return f"[{spelling.spread}HISTORY, {prompt}]" if spec.history else f"[{prompt}]"
