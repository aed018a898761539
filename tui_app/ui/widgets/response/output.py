"""The conversation: each answer streamed live as Markdown, then collapsed to one static render.

Streaming goes through ``Markdown.get_stream`` (a ``MarkdownStream`` batches fragments the
widget cannot render fast enough), never a full re-render per token. A finished answer is
replaced by a single ``Static`` holding a Rich ``Markdown``: a live Markdown widget is a
tree of block widgets, and a history of them makes every later stream slower; one static
render per answer keeps the cost flat however long the conversation gets.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import Static

from .... import present
from ....retry.events import AttemptError, AttemptStart, Cancelled, Event, GiveUp, Success, TextDelta

if TYPE_CHECKING:
    from textual.widgets import Markdown
    from textual.widgets.markdown import MarkdownStream

MAX_PROMPT_ECHO = 300


class OutputPanel(VerticalScroll):
    """Shows every answer of this session; ``apply(event)`` drives the live one."""

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._live: Markdown | None = None
        self._stream: MarkdownStream | None = None
        self._attempt_text: list[str] = []
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
            if self._stream is None:
                await self._open_live("")
            self._attempt_text.append(event.text)
            await self._stream.write(event.text)  # type: ignore[union-attr]
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

    async def _open_live(self, carried: str) -> None:
        from textual.widgets import Markdown  # imported at the first answer, not before first paint

        self._attempt_text = [carried] if carried else []
        self._live = Markdown(carried, classes="answer -live")
        await self.mount(self._live)
        self._stream = Markdown.get_stream(self._live)

    async def _stop_stream(self) -> None:
        """Stop the stream, flushing what it holds into the live widget.

        Yield once first: stopping a ``MarkdownStream`` whose task has not started yet makes
        ``stop()`` raise ``CancelledError`` (textual 8.2), e.g. when a retry comes at once.
        """
        stream, self._stream = self._stream, None
        if stream is not None:
            await asyncio.sleep(0)
            await stream.stop()

    async def _close_live(self, *, discard: bool) -> None:
        """Stop streaming; drop the widget (discard) or turn its text into a static render."""
        await self._stop_stream()
        live, text = self._live, "".join(self._attempt_text)
        self._stream, self._live, self._attempt_text = None, None, []
        if live is None:
            return
        if not discard and text:
            await self.mount(_static_answer(text, "-partial"), after=live)
        await live.remove()

    async def _finish(self, event: Success) -> None:
        await self._stop_stream()
        live = self._live
        self._stream, self._live, self._attempt_text = None, None, []
        answer = _static_answer(event.text, "")
        await (self.mount(answer, after=live) if live is not None else self.mount(answer))
        if live is not None:
            await live.remove()
        self.last_answer = event.text

    async def _end_note(self, line: str, kind: str) -> None:
        await self._close_live(discard=False)
        await self.mount(Static(line, classes=f"turn-note {kind}", markup=False))


def _static_answer(text: str, kind: str) -> Static:
    """One render for a whole answer: cheap to keep on screen however many there are."""
    from rich.markdown import Markdown as RichMarkdown

    return Static(RichMarkdown(text), classes=f"answer -static {kind}".strip())
