"""The model's thinking, above its answer: dimmed, in a section that folds away.

Thinking is not the answer (``copy answer`` and ``run``'s stdout never include it), but it
is what the wait was spent on, so it is shown as it arrives: open while the model thinks,
folded once the answer starts (one click or enter opens it again). Plain text, escaped as
all outside text is (``safe_text.visible``); repainted at the panel's rate, not per delta.
"""

from __future__ import annotations

from textual.widgets import Collapsible, Static

from ....safe_text import visible

REDACTED = "[redacted thinking: the API sent it encrypted]"


class ThinkingSection(Collapsible):
    """``add(text)`` pieces of thinking, ``show()`` them; ``fold()`` when the answer starts."""

    def __init__(self) -> None:
        self._body = Static("", classes="thinking-text", markup=False)
        super().__init__(self._body, title="Thinking…", collapsed=False, classes="thinking")
        self._parts: list[str] = []
        self._shown = 0

    @property
    def text(self) -> str:
        """The thinking so far, as the model wrote it (a redacted block as a note)."""
        return "".join(self._parts)

    def add(self, text: str, *, redacted: bool = False) -> None:
        self._parts.append(f"{REDACTED}\n" if redacted else text)

    def show(self) -> None:
        """Repaint if anything arrived since the last time."""
        if len(self._parts) == self._shown:
            return
        self._shown = len(self._parts)
        self._body.update(visible(self.text))

    def fold(self, *, thought_for: float | None = None) -> None:
        """The answer started (or the attempt ended): fold the thinking away, saying how much."""
        self.show()
        chars = len(self.text)
        took = f", {thought_for:.1f} s" if thought_for is not None else ""
        self.title = f"Thinking ({chars:,} chars{took})"
        self.collapsed = True
