"""The conversation: each prompt, its answer streamed live, then kept as one static render.

The answer streaming now is a ``LiveAnswer`` (its finished blocks rendered once, only the
block still arriving rendered again), repainted at most ``FLUSH_HZ`` times a second
however fast deltas arrive. A finished answer becomes one ``MarkdownLines`` (see
``_collapse``): a long conversation then costs each later frame two widgets a turn, whose
lines are already rendered.

Prompts and answers are outside text: what is drawn goes through ``safe_text`` (Markdown
is built from escaped source), while ``last_answer`` and ``live_text`` stay exact — copy
copies what the model wrote.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from textual.containers import VerticalScroll
from textual.widgets import Static

from .... import present
from ....safe_text import one_line, visible
from .live_answer import LiveAnswer
from .markdown_lines import MarkdownLines
from .thinking import ThinkingSection

if TYPE_CHECKING:  # dispatch is on ``event.type``: the event classes load after the first frame
    from textual.timer import Timer

    from ....retry.events import AttemptStart, Cancelled, Event, GiveUp, Success, ThinkingDelta

MAX_PROMPT_ECHO = 300
FLUSH_HZ = 30
"""At most this many repaints of the live tail a second."""


class OutputPanel(VerticalScroll):
    """Shows every answer of this session; ``apply(event)`` drives the live one."""

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._live: LiveAnswer | None = None
        self._text: list[str] = []
        """What the live attempt streamed (a carried prefix first, when continuing)."""
        self._flush_timer: Timer | None = None
        self._last_flush = 0.0
        self.last_answer: str | None = None
        """The text of the last complete answer (what ``copy answer`` copies)."""
        self._thinking: ThinkingSection | None = None
        """The live attempt's thinking, above its answer (None until it thinks)."""
        self._thinking_since: float | None = None

    async def begin_turn(self, prompt: str, *, note: str | None = None) -> None:
        """A new run: close whatever was live, echo the prompt (under ``note``, e.g. which
        turn of a conversation it is), start an empty live answer."""
        await self._close_live(discard=False)
        echo = prompt if len(prompt) <= MAX_PROMPT_ECHO else prompt[:MAX_PROMPT_ECHO] + "…"
        if note:
            await self.mount(Static(visible(note), classes="turn-note", markup=False))
        await self.mount(Static(visible(echo), classes="turn-prompt" + (" follow-up" if note else ""), markup=False))
        await self._open_live("")
        self.anchor()

    async def apply(self, event: Event) -> None:
        """Fold one event of the current run into the view."""
        kind = event.type
        if kind == "text":
            if self._live is None:
                await self._open_live("")
            if self._thinking is not None and not self._thinking.collapsed:
                self._fold_thinking(event.t)
            self._text.append(event.text)  # type: ignore[attr-defined]
            self._schedule_flush()
        elif kind == "thinking":
            await self._think(cast("ThinkingDelta", event))
        elif kind == "attempt_start":
            start = cast("AttemptStart", event)
            if start.attempt > 1 or start.carried_text:
                await self._close_live(discard=True)
                await self._open_live(start.carried_text)
        elif kind == "attempt_error":
            if self._live is not None:
                self._live.add_class("-discarded")
            if self._thinking is not None:
                self._thinking.add_class("-discarded")
        elif kind == "success":
            await self._finish(cast("Success", event))
        elif kind == "give_up":
            await self._end_note(present.give_up_line(cast("GiveUp", event)), "-failed")
        elif kind == "cancelled":
            await self._end_note(present.cancelled_line(cast("Cancelled", event)), "-cancelled")

    @property
    def live_text(self) -> str | None:
        """What the screen shows of the answer streaming now (None between answers)."""
        return None if self._live is None else self._live.source

    @property
    def thinking_text(self) -> str | None:
        """The live attempt's thinking as shown (None when it has not thought)."""
        return None if self._thinking is None else self._thinking.text

    # -- the live thinking ----------------------------------------------------------------
    async def _think(self, event: ThinkingDelta) -> None:
        if self._live is None:
            await self._open_live("")
        if self._thinking is None:
            self._thinking, self._thinking_since = ThinkingSection(), event.t
            await self.mount(self._thinking, before=self._live)
        self._thinking.add(event.text, redacted=event.redacted)
        self._schedule_flush()

    def _fold_thinking(self, t: float | None) -> None:
        if self._thinking is not None:
            since = self._thinking_since
            self._thinking.fold(thought_for=None if t is None or since is None else max(0.0, t - since))

    # -- the live answer ------------------------------------------------------------------
    async def _open_live(self, carried: str) -> None:
        self._thinking = self._thinking_since = None  # a new attempt thinks anew
        self._text = [carried] if carried else []
        self._live = LiveAnswer(classes="answer -live")
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
        """Show the live text (the live answer renders only what changed)."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        if self._thinking is not None:
            self._thinking.show()
        if self._live is None:
            return
        self._last_flush = time.monotonic()
        text = "".join(self._text)
        self._text = [text]
        self._live.show(text)

    def _end_live(self) -> LiveAnswer | None:
        """Stop streaming into the live answer and hand it over (None if there was none)."""
        live = self._live
        if self._flush_timer is not None:
            self._flush_timer.stop()
        self._live, self._flush_timer, self._text = None, None, []
        self._thinking = self._thinking_since = None
        return live

    async def _close_live(self, *, discard: bool) -> None:
        """Stop streaming; drop the answer (discard), or keep what arrived as partial.
        A discarded attempt's thinking goes with it; a kept one's stays, folded."""
        text = "".join(self._text)
        if self._thinking is not None:
            if discard:
                await self._thinking.remove()
            else:
                self._fold_thinking(None)
        live = self._end_live()
        if live is not None:
            await self._collapse(live, "" if discard else text, "-partial")

    async def _finish(self, event: Success) -> None:
        if self._thinking is not None and not self._thinking.collapsed:
            self._fold_thinking(None)  # it thought, but wrote no text
        await self._collapse(self._end_live(), event.text, "")
        self.last_answer = event.text

    async def _collapse(self, live: LiveAnswer | None, text: str, kind: str) -> None:
        """Replace the live answer by one static render of ``text`` (none if empty).

        History is then two widgets a turn (prompt and answer), however long the answers:
        each widget of the conversation costs something in every later frame. (What is
        left alive is then frozen out of the garbage collector's way by the screen, once the
        whole run is over: ``MainScreen.turn_over``.)
        """
        if text:
            answer = MarkdownLines(text, classes=f"answer -static {kind}".strip())
            await (self.mount(answer, after=live) if live is not None else self.mount(answer))
        if live is not None:
            await live.remove()

    async def refused(self, line: str) -> None:
        """The turn ended before anything was sent (a setting the model does not take)."""
        await self._end_note(f"not sent: {line}", "-failed")

    async def _end_note(self, line: str, kind: str) -> None:
        await self._close_live(discard=False)
        await self.mount(Static(one_line(line), classes=f"turn-note {kind}", markup=False))
