"""The conversation: each answer streamed live, its finished blocks frozen as it goes.

A live answer is a group of ``Static`` widgets holding Rich ``Markdown`` renders: frozen
pieces (whole blocks, up to ``PIECE_CHARS`` each) and a live tail (the block still
arriving). Each flush — at most ``FLUSH_HZ`` a second, however fast deltas arrive — moves
the blocks that have ended (a blank line outside a code fence, then a new block) from the
tail into the last piece, and re-renders the tail. So a frame costs about one block, not
the whole answer or the conversation: a live Textual ``Markdown`` widget re-lays out its
whole block tree as it grows (tens to hundreds of ms a frame once tables and code are on
screen). A finished answer becomes one static render (see ``_collapse``), so a long
conversation costs each later frame two widgets a turn.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.containers import VerticalGroup, VerticalScroll
from textual.visual import visualize
from textual.widgets import Static

from .... import present
from ... import gc_policy
from ....retry.events import AttemptError, AttemptStart, Cancelled, Event, GiveUp, Success, TextDelta

if TYPE_CHECKING:
    from textual.timer import Timer

MAX_PROMPT_ECHO = 300
PIECE_CHARS = 1000
"""A frozen piece takes finished blocks until it holds this many characters."""
FLUSH_HZ = 30
"""At most this many repaints of the live tail a second."""


class OutputPanel(VerticalScroll):
    """Shows every answer of this session; ``apply(event)`` drives the live one."""

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._live: VerticalGroup | None = None
        self._tail: Static | None = None
        self._text: list[str] = []
        """What the live attempt streamed (a carried prefix first, when continuing)."""
        self._frozen = 0
        """How many characters of it are in frozen pieces."""
        self._piece: _Piece | None = None
        """The frozen piece that takes the next finished blocks."""
        self._flush_timer: Timer | None = None
        self._last_flush = 0.0
        self.last_answer: str | None = None
        """The text of the last complete answer (what ``copy answer`` copies)."""

    async def begin_turn(self, prompt: str) -> None:
        """A new run: close whatever was live, echo the prompt, start an empty live answer."""
        await self._close_live(discard=False)
        echo = prompt if len(prompt) <= MAX_PROMPT_ECHO else prompt[:MAX_PROMPT_ECHO] + "…"
        await self.mount(Static(echo, classes="turn-prompt", markup=False))
        await self._open_live("")
        self.anchor()

    async def apply(self, event: Event) -> None:
        """Fold one event of the current run into the view."""
        if isinstance(event, TextDelta):
            if self._live is None:
                await self._open_live("")
            self._text.append(event.text)
            self._schedule_flush()
        elif isinstance(event, AttemptStart):
            if event.attempt > 1 or event.carried_text:
                await self._close_live(discard=True)
                await self._open_live(event.carried_text)
        elif isinstance(event, AttemptError):
            if self._live is not None:
                self._live.add_class("-discarded")
        elif isinstance(event, Success):
            await self._finish(event)
        elif isinstance(event, GiveUp):
            await self._end_note(present.give_up_line(event), "-failed")
        elif isinstance(event, Cancelled):
            await self._end_note(present.cancelled_line(event), "-cancelled")

    @property
    def live_text(self) -> str | None:
        """What the screen shows of the answer streaming now (None between answers)."""
        if self._live is None:
            return None
        return "".join(self._text)[: self._frozen] + (self._tail.source if self._tail else "")  # type: ignore[attr-defined]

    # -- the live answer ------------------------------------------------------------------
    async def _open_live(self, carried: str) -> None:
        self._text, self._frozen, self._piece = ([carried] if carried else []), 0, None
        self._tail = _Piece("")
        self._live = VerticalGroup(self._tail, classes="answer -live")
        self._live.display = False  # until text arrives: an empty answer takes no line
        await self.mount(self._live)
        if carried:
            self._flush()

    def _schedule_flush(self) -> None:
        """Repaint the tail now, or once ``1 / FLUSH_HZ`` s after the last repaint."""
        if self._flush_timer is not None:
            return
        wait = self._last_flush + 1 / FLUSH_HZ - time.monotonic()
        if wait <= 0:
            self._flush()
        else:
            self._flush_timer = self.set_timer(wait, self._flush)

    def _flush(self) -> None:
        """Show the live text: freeze the blocks that have ended, re-render the tail."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        if self._live is None or self._tail is None:
            return
        self._last_flush = time.monotonic()
        text = "".join(self._text)
        self._live.display = bool(text)
        self._text = [text]
        tail = text[self._frozen :]
        cut = _freeze_point(tail)
        if cut:
            self._freeze(tail[:cut])
            tail = tail[cut:]
        self._tail.show(tail)

    def _freeze(self, blocks: str) -> None:
        """Move finished ``blocks`` out of the tail, into the last piece or a new one."""
        assert self._live is not None
        self._frozen += len(blocks)
        piece = self._piece
        if piece is not None and len(piece.source) + len(blocks) <= PIECE_CHARS:
            piece.show(piece.source + blocks)
        else:
            self._piece = _Piece(blocks)
            self._live.mount(self._piece, before=self._tail)

    def _end_live(self) -> VerticalGroup | None:
        """Stop streaming into the live answer and hand it over (None if there was none)."""
        live = self._live
        if self._flush_timer is not None:
            self._flush_timer.stop()
        self._live, self._tail, self._piece, self._flush_timer = None, None, None, None
        self._text, self._frozen = [], 0
        return live

    async def _close_live(self, *, discard: bool) -> None:
        """Stop streaming; drop the answer (discard), or keep what arrived as partial."""
        text = "".join(self._text)
        live = self._end_live()
        if live is not None:
            await self._collapse(live, "" if discard else text, "-partial")

    async def _finish(self, event: Success) -> None:
        await self._collapse(self._end_live(), event.text, "")
        self.last_answer = event.text

    async def _collapse(self, live: VerticalGroup | None, text: str, kind: str) -> None:
        """Replace the live pieces by one static render of ``text`` (none if empty).

        History is then two widgets a turn (prompt and answer), however long the answers:
        each widget of the conversation costs something in every later frame.

        Then what is alive is frozen out of the garbage collector's way (``gc_policy``):
        otherwise a full collection over the conversation stalls the next stream.
        """
        if text:
            answer = Static(_rich_markdown(text), classes=f"answer -static {kind}".strip())
            await (self.mount(answer, after=live) if live is not None else self.mount(answer))
        if live is not None:
            await live.remove()
        gc_policy.turn_done()

    async def _end_note(self, line: str, kind: str) -> None:
        await self._close_live(discard=False)
        await self.mount(Static(line, classes=f"turn-note {kind}", markup=False))


class _Piece(Static):
    """A run of whole Markdown blocks of an answer, rendered once by Rich."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = None
        self.show(source)

    def show(self, source: str) -> None:
        """Render ``source``; lay the screen out again only if the height changed.

        Most flushes add words to the last line: a repaint of this widget is enough, where
        a layout would reflow and repaint the whole screen.
        """
        if source == self.source:
            return
        self.source = source
        self.display = bool(source)  # an empty Static would still take a line
        content = _rich_markdown(source) if source else ""
        width, height = self.content_size
        same_height = bool(width and source) and visualize(self, content).get_height(self.styles, width) == height
        self.update(content, layout=not same_height)


def _rich_markdown(source: str) -> Any:
    from rich.markdown import Markdown  # imported at the first answer, not before first paint

    return Markdown(source)


def _freeze_point(text: str) -> int:
    """Where ``text`` splits into two Markdown documents that render as it does: the start
    of the last top-level block that follows a blank line outside a code fence (not right
    after a heading, which would lose its spacing); 0 if there is none.

    >>> _freeze_point("para one\\n\\n```\\ncode\\n\\nmore\\n```\\n\\npara two")
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
