"""Editors that never hand a control character to the terminal, yet keep the text exact.

Textual's ``TextArea`` and ``Input`` draw their text as is: a prompt re-run from a recorded
session, pasted from a file, or a model id from a profile holding ``ESC ] 52 ; …`` would be
obeyed by the terminal (set the clipboard, clear the screen). Read-only text could simply be
shown through :func:`~tui_app.safe_text.visible`, but in an editor the text *is* the value
sent: escaping it would change the prompt. So these widgets change only what is drawn —
one stand-in character per control character (:func:`~tui_app.safe_text.stand_in`, e.g.
``␛``), which keeps every cursor and selection offset pointing at the same character.

The one cost: a control character measures zero cells where its stand-in takes one, so on
a line holding them the cursor is drawn that many cells early. A display-only blemish on
hostile text, chosen over sending something else than what was recorded or typed.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import TextArea

from ...safe_text import stand_in


class SafeTextArea(TextArea):
    """A ``TextArea`` whose lines are drawn with control characters replaced (see module)."""

    def get_line(self, line_index: int) -> Text:
        """Textual's documented hook for the ``Text`` drawn for one line of the document.

        Built from the document's line, not from ``super()``'s ``Text``: Rich silently drops
        a few controls (BEL, BS, CR...), which would shift every character after them.
        """
        return Text(stand_in(self.document.get_line(line_index)), end="", no_wrap=True)


class StandInHighlighter(Highlighter):
    """For ``Input(highlighter=...)``: the value drawn with control characters replaced."""

    def __call__(self, text: str | Text) -> Text:
        plain = text.plain if isinstance(text, Text) else text
        shown = stand_in(plain)
        if isinstance(text, Text) and shown == plain:
            return text
        return Text(shown, no_wrap=True, overflow="ignore", end="")

    def highlight(self, text: Text) -> None:  # required by the base class; __call__ does the work
        return None
