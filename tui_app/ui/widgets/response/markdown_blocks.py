"""Where a growing Markdown answer splits into parts that render as they do in the whole.

The live answer (``live_answer.py``) draws its finished blocks once and only the rest again
on each repaint. For the parts to read like the whole answer rendered at once, a part may
end only where the document's block structure can no longer change, and only a CommonMark
parser knows where that is: a ``~~~`` fence is not closed by a line of backticks, nor a
four-backtick fence by three, a closing fence has no info string, a loose list goes on
past its blank lines, a fence inside a list item ends with the item. So the split is made
by the parser Rich renders with (markdown-it: CommonMark and tables), block rules only.

CommonMark never reopens a closed block, so a top-level block is finished once a line after
it has closed it. ``finished`` accepts three proofs, all from complete lines (a line still
arriving can change what it is): the next block has begun; a blank line follows a block
that a blank line ends (all but lists and indented code); or a blank line follows a list or
indented code and the line after starts with what cannot continue them. (markdown-it's one
look-ahead, a table's delimiter row, is a line it has already seen then.)

What no split settles: a link reference definition applies to the whole document, before
and after it. ``references`` collects the definitions, the parts are rendered with all of
them (``markdown``), and ``cited`` says which ones a part can use, so that a part drawn
before its definition arrived is drawn again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from ....safe_text import visible

if TYPE_CHECKING:
    from collections.abc import Mapping

    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from rich.markdown import Markdown

Spacing = Literal["start", "block", "rule"]
"""What a part follows: nothing, a block, or a thematic break. Rich puts a blank line between
top-level blocks, except before the first and after a rule (and always before a list, a
quote or a table: that part takes care of itself)."""

References = dict[str, dict[str, object]]
"""Link reference definitions as markdown-it keeps them: normalized label -> href, title."""

_OPEN_ENDED = {"bullet_list_open", "ordered_list_open", "code_block"}
"""Blocks that go on after a blank line (more items, more indented code)."""


@dataclass(frozen=True)
class Finished:
    """The finished head of a text: ``chars`` characters of whole blocks."""

    chars: int
    after: Spacing
    """What the rest of the text follows."""
    references: References = field(default_factory=dict)
    """The definitions in the finished head."""


@cache
def _block_parser() -> MarkdownIt:
    """Rich's parser's block rules only: where the blocks are, not what is in them (the
    inline rules are most of a parse, and run again when a part is rendered)."""
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("table").disable(["inline", "text_join"])


@cache
def _parser() -> MarkdownIt:
    """Rich's own parser (``rich.markdown.Markdown.__init__``), built once."""
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")


def _blocks(text: str) -> tuple[list[Token], References]:
    """The top-level blocks of ``text`` (opening tokens, each with its line span), and its
    definitions; parsed as it is drawn (``visible`` keeps every line break where it was)."""
    env: dict[str, References] = {}
    tokens = _block_parser().parse(visible(text), env)
    return [t for t in tokens if t.level == 0 and t.nesting >= 0 and t.map], env.get("references", {})


def finished(text: str, after: Spacing = "start") -> Finished:
    """The finished head of ``text`` (the blocks no later text can change), when ``text``
    follows ``after``.

    >>> finished("para one\\n\\n```\\ncode\\n\\nmore\\n```\\n\\npara two").chars
    29
    """
    complete = text[: text.rfind("\n") + 1]
    tops, references = _blocks(complete) if complete else ([], {})
    if not tops:
        return Finished(0, after)
    lines = complete.split("\n")  # one more than the complete lines: "" after the last break
    last, start, end = tops[-1], tops[-1].map[0], tops[-1].map[1]  # type: ignore[index]
    if end < len(lines) - 1 and _blank(lines[end]) and last.type not in _OPEN_ENDED:
        cut, before = end, last  # a blank line ended it
    elif last.type in _OPEN_ENDED and _blank(lines[-2]) and _ends(last, text[len(complete) :]):
        cut, before = end, last  # a blank line, then a line it cannot take
    elif len(tops) > 1:
        cut, before = start, tops[-2]  # the next block has begun
    else:
        return Finished(0, after)
    return Finished(
        _offset(complete, cut),
        "rule" if before.type == "hr" else "block",
        {label: ref for label, ref in references.items() if ref["map"][0] < cut},  # type: ignore[index]
    )


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _ends(block: Token, partial: str) -> bool:
    """Whether a line starting ``partial``, after a blank line, closes ``block`` (a list or
    indented code) whatever comes next: it is not indented, and it is not another item."""
    if not partial or partial[0] in " \t":
        return False
    if block.type == "bullet_list_open":
        return partial[0] not in "-+*"
    return block.type == "code_block" or not partial[0].isdigit()


def _offset(text: str, line: int) -> int:
    """Where line ``line`` of ``text`` starts."""
    pos = 0
    for _ in range(line):
        pos = text.index("\n", pos) + 1
    return pos


def references(text: str) -> References:
    """Every link reference definition in ``text`` (the first of a label wins, as it does
    in the whole document when ``text`` comes before the rest)."""
    return _blocks(text)[1] if "[" in text else {}


def cited(text: str, definitions: Mapping[str, Mapping[str, object]]) -> dict[str, tuple[object, object]]:
    """The definitions ``text`` may use: those whose label occurs in it (matched as labels
    are: case and runs of white space do not count). A superset is harmless."""
    if not definitions:
        return {}
    from markdown_it.common.utils import normalizeReference

    folded = normalizeReference(visible(text))
    return {label: (ref["href"], ref["title"]) for label, ref in definitions.items() if label in folded}


def markdown(text: str, definitions: Mapping[str, Mapping[str, object]] | None = None) -> Markdown:
    """Rich ``Markdown`` of ``text`` (already made ``visible``), its links resolved with
    ``definitions`` from elsewhere in the document as well as its own.

    Rich builds a new parser for every ``Markdown`` (about a millisecond, on every repaint
    of the live tail); this parses with one built once, the same way, into a copy of an
    empty ``Markdown`` (which carries Rich's defaults, whatever they are).
    """
    rendered = copy.copy(_empty())
    rendered.markup = text
    env = {"references": {label: dict(ref) for label, ref in (definitions or {}).items()}}
    rendered.parsed = _parser().parse(text, env)
    return rendered


@cache
def _empty() -> Markdown:
    from rich.markdown import Markdown

    return Markdown("")
