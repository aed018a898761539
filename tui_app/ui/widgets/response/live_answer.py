"""The answer streaming now: one widget whose finished blocks are rendered once.

On every repaint (at most ``FLUSH_HZ`` a second, see ``output.py``) the panel hands this
widget the whole text so far. The blocks that have ended (``markdown_blocks.finished``: the
parser's word, not a guess from blank lines) are frozen into pieces of up to
``PIECE_CHARS`` characters, each rendered once; only the tail — the block still arriving —
is rendered again. So a repaint costs about one block, not the whole answer: a live
Textual ``Markdown`` widget re-lays out its whole block tree as it grows (tens to hundreds
of ms a frame once tables and code are on screen). Every frame draws what the whole text
so far would draw rendered at once; the one thing a later line changes in a finished
block, a link reference defined after its use, makes the pieces that cite it render again.

It is one widget, not a widget per piece, and its height grows in steps of ``STEP`` lines
(blank until filled): a change of height makes Textual lay out and repaint the whole
screen, which is most of a frame's cost, and with pieces as widgets every freeze (a piece
grows, the tail shrinks) was such a change. Now a layout happens once every ``STEP`` lines
of answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .markdown_blocks import References, Spacing, cited, finished, references
from .markdown_lines import RenderedLines, render_markdown

if TYPE_CHECKING:
    from textual.strip import Strip

    from .markdown_blocks import Finished

PIECE_CHARS = 1000
"""A frozen piece takes finished blocks until it holds this many characters."""
STEP = 4
"""The widget's height grows in steps of this many lines."""


@dataclass
class _Piece:
    """Finished blocks rendered together (more may be added while it is short)."""

    source: str
    after: Spacing
    """What its first block follows."""
    lines: list[Strip] | None = None
    """Its lines at the widget's width (None: to render)."""
    cites: dict[str, tuple[object, object]] = field(default_factory=dict)
    """The definitions it was rendered with (those it may use)."""


class LiveAnswer(RenderedLines):
    """Shows ``show(text)``: frozen pieces rendered once, then the tail."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.display = False  # until text arrives: an empty answer takes no line
        self._pieces: list[_Piece] = []
        self._frozen_chars = 0
        self._after: Spacing = "start"
        """What the tail follows."""
        self._split_at = (0, False)
        """Where the text's complete lines ended, and whether a line had begun after them,
        when it was last split (only a new line, or a line's first characters, split it further)."""
        self._frozen_definitions: References = {}
        self._definitions: References = {}
        """Every link reference definition in the text so far (frozen pieces and tail)."""
        self.tail = ""
        """The text after the frozen pieces: the block still arriving."""
        self._tail_lines: list[Strip] | None = None
        self._lines: list[Strip] = []
        """All lines, pieces then tail, as last assembled."""

    @property
    def pieces(self) -> list[str]:
        """Frozen Markdown, in pieces of whole blocks (the last one may still grow)."""
        return [piece.source for piece in self._pieces]

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
        complete = text.rfind("\n") + 1
        if (complete, complete < len(text)) != self._split_at:
            self._split_at = (complete, complete < len(text))
            head = finished(tail, self._after)
            if head.chars:
                self._freeze(tail[: head.chars], head)
                tail = tail[head.chars :]
        self.tail, self._tail_lines = tail, None
        self._resolve(tail)
        self.display = bool(text)
        width = self.content_size.width
        same_height = bool(width) and before == self.height_for(len(self.lines_at(width)))
        self.refresh(layout=not same_height)

    def _freeze(self, blocks: str, head: Finished) -> None:
        self._frozen_chars += len(blocks)
        for label, ref in head.references.items():
            self._frozen_definitions.setdefault(label, ref)
        last = self._pieces[-1] if self._pieces else None
        if last is not None and len(last.source) + len(blocks) <= PIECE_CHARS:
            last.source += blocks
            last.lines = None
        else:
            self._pieces.append(_Piece(blocks, self._after))
        self._after = head.after

    def _resolve(self, tail: str) -> None:
        """Keep ``_definitions`` those of the whole text; a piece rendered with other
        definitions than it may now use is rendered again."""
        definitions = dict(self._frozen_definitions)
        for label, ref in references(tail).items():
            definitions.setdefault(label, ref)  # the first definition of a label wins
        if definitions == self._definitions:
            return
        self._definitions = definitions
        for piece in self._pieces:
            if piece.lines is not None and cited(piece.source, definitions) != piece.cites:
                piece.lines = None

    def height_for(self, lines: int) -> int:
        return -(-lines // STEP) * STEP  # rounded up to a step

    def lines_at(self, width: int) -> list[Strip]:
        """All lines at ``width``: render the stale parts only, reuse the rest."""
        if width != self._width:
            for piece in self._pieces:
                piece.lines = None
            self._tail_lines = None
            self._width = width
        if self._tail_lines is None or any(piece.lines is None for piece in self._pieces):
            for piece in self._pieces:
                if piece.lines is None:
                    piece.cites = cited(piece.source, self._definitions)
                    piece.lines = self._draw(piece.source, width, piece.after)
            if self._tail_lines is None:
                self._tail_lines = self._draw(self.tail, width, self._after)
            self._lines = [line for piece in self._pieces for line in piece.lines or ()] + self._tail_lines
        return self._lines

    def _draw(self, source: str, width: int, after: Spacing) -> list[Strip]:
        return render_markdown(self, source, width, after=after, definitions=self._definitions)
