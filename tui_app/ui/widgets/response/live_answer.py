"""The answer streaming now: one widget whose finished blocks are rendered once.

On every repaint (at most ``FLUSH_HZ`` a second, see ``output.py``) the panel hands this
widget the whole text so far. The blocks that have ended (a blank line outside a code
fence, then a new block) are frozen into pieces of up to ``PIECE_CHARS`` characters, each
rendered once; only the tail — the block still arriving — is rendered again. So a repaint
costs about one block, not the whole answer: a live Textual ``Markdown`` widget re-lays out
its whole block tree as it grows (tens to hundreds of ms a frame once tables and code are
on screen).

It is one widget, not a widget per piece, and its height grows in steps of ``STEP`` lines
(blank until filled): a change of height makes Textual lay out and repaint the whole
screen, which is most of a frame's cost, and with pieces as widgets every freeze (a piece
grows, the tail shrinks) was such a change. Now a layout happens once every ``STEP`` lines
of answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markdown_lines import RenderedLines, render_markdown

if TYPE_CHECKING:
    from textual.strip import Strip

PIECE_CHARS = 1000
"""A frozen piece takes finished blocks until it holds this many characters."""
STEP = 4
"""The widget's height grows in steps of this many lines."""


class LiveAnswer(RenderedLines):
    """Shows ``show(text)``: frozen pieces rendered once, then the tail."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.display = False  # until text arrives: an empty answer takes no line
        self.pieces: list[str] = []
        """Frozen Markdown, in pieces of whole blocks (the last one may still grow)."""
        self._piece_lines: list[list[Strip] | None] = []
        """Each piece's lines at ``_width`` (None: to render)."""
        self._frozen_chars = 0
        self.tail = ""
        """The text after the frozen pieces: the block still arriving."""
        self._tail_lines: list[Strip] | None = None
        self._lines: list[Strip] = []
        """All lines, pieces then tail, as last assembled."""

    @property
    def source(self) -> str:
        """The text shown (frozen pieces and tail)."""
        return "".join(self.pieces) + self.tail

    def show(self, text: str) -> None:
        """Show ``text``, the whole answer so far (it only grows): freeze the blocks that
        have ended, render what changed, lay the screen out again only if the height did."""
        if len(text) == self._frozen_chars + len(self.tail):
            return  # nothing new (text only grows, so the same length is the same text)
        before = self.height_for(len(self._lines))
        tail = text[self._frozen_chars :]
        cut = freeze_point(tail)
        if cut:
            self._freeze(tail[:cut])
            tail = tail[cut:]
        self.tail, self._tail_lines = tail, None
        self.display = bool(text)
        width = self.content_size.width
        same_height = bool(width) and before == self.height_for(len(self.lines_at(width)))
        self.refresh(layout=not same_height)

    def _freeze(self, blocks: str) -> None:
        self._frozen_chars += len(blocks)
        if self.pieces and len(self.pieces[-1]) + len(blocks) <= PIECE_CHARS:
            self.pieces[-1] += blocks
            self._piece_lines[-1] = None
        else:
            self.pieces.append(blocks)
            self._piece_lines.append(None)

    def height_for(self, lines: int) -> int:
        return -(-lines // STEP) * STEP  # rounded up to a step

    def lines_at(self, width: int) -> list[Strip]:
        """All lines at ``width``: render the stale parts only, reuse the rest."""
        if width != self._width:
            self._piece_lines = [None] * len(self.pieces)
            self._tail_lines = None
            self._width = width
        stale = self._tail_lines is None or None in self._piece_lines
        if stale:
            for i, lines in enumerate(self._piece_lines):
                if lines is None:
                    self._piece_lines[i] = render_markdown(self, self.pieces[i], width, follows_a_block=i > 0)
            if self._tail_lines is None:
                self._tail_lines = render_markdown(self, self.tail, width, follows_a_block=bool(self.pieces))
            self._lines = [line for lines in [*self._piece_lines, self._tail_lines] if lines for line in lines]
        return self._lines


def freeze_point(text: str) -> int:
    """Where ``text`` splits into two Markdown documents that render as it does: the start
    of the last top-level block that follows a blank line outside a code fence (not right
    after a heading, which would lose its spacing); 0 if there is none.

    >>> freeze_point("para one\\n\\n```\\ncode\\n\\nmore\\n```\\n\\npara two")
    30
    """
    point = pos = 0
    in_fence = after_blank = False
    previous = ""
    for line in text.splitlines(keepends=True):
        if not line.strip():
            after_blank = after_blank or not in_fence
        else:
            if after_blank and line[0] not in " \t" and not previous.startswith("#"):
                point = pos
            after_blank = False
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            previous = line
        pos += len(line)
    return point
