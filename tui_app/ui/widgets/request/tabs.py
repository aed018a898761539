"""The request side's tab bar (Prompt, Settings) drawn as one line of clickable text.

Textual's ``TabbedContent`` would do, but it is eleven widgets, and every widget in the first
frame is styled, laid out and drawn before the prompt editor shows: this is one. The pages
themselves live in a ``ContentSwitcher`` beside it; the screen switches both.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

PAGES = {"prompt": "focus_prompt", "settings": "focus_settings"}
"""Page id -> the screen action that opens it (a click runs the same action as its key)."""


class RequestTabs(Static):
    """``Prompt ^1  Settings ^2``, the open page highlighted; click or press the key."""

    def __init__(self, titles: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles = titles
        """Page id -> its label with the key that opens it, e.g. ``"Prompt ctrl+1"``."""
        self.page = "prompt"
        self.show("prompt")

    def show(self, page: str) -> None:
        """Highlight ``page`` as the open one."""
        self.page = page
        parts = []
        for name, action in PAGES.items():
            style = "b $text-accent underline" if name == page else "$text-muted"
            parts.append(Content.styled(f" {self._titles[name]} ", style).stylize(f"@click=screen.{action}"))
        self.update(Content("  ").join(parts))
