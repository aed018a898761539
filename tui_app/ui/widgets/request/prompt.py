"""The prompt editor: what to ask, an optional system prompt, and the answer's token budget."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Input, Label, TextArea

from ....settings import RunSettings


class PromptPanel(Vertical):
    """Multi-line prompt (soft wrap, undo), collapsible system prompt, max tokens."""

    def __init__(self, *, send_key: str = "ctrl+j", id: str | None = None) -> None:
        super().__init__(id=id)
        self._send_key = send_key

    def compose(self) -> ComposeResult:
        prompt = TextArea(id="prompt", soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                          placeholder=f"Type a prompt, then {self._send_key} to send")
        prompt.border_title = "Prompt"
        yield prompt
        with Collapsible(title="System prompt", collapsed=True, id="system-box"):
            yield TextArea(id="system", soft_wrap=True, tab_behavior="focus", placeholder="(none)")
        with Horizontal(classes="field-row"):
            yield Label("max tokens", classes="field-label")
            yield Input(id="max-tokens", type="integer", compact=True, classes="field-input")

    @property
    def prompt(self) -> str:
        return self.query_one("#prompt", TextArea).text

    def read(self, settings: RunSettings) -> RunSettings:
        """``settings`` with this panel's system prompt and max tokens; ValueError if invalid."""
        raw = self.query_one("#max-tokens", Input).value.strip()
        try:
            max_tokens = int(raw)
        except ValueError:
            raise ValueError(f"max tokens: {raw!r} is not a whole number (e.g. 1024)") from None
        if not 1 <= max_tokens <= 1_000_000:
            raise ValueError("max tokens must be between 1 and 1000000")
        system = self.query_one("#system", TextArea).text.strip() or None
        return settings.with_(system=system, max_tokens=max_tokens)

    def load(self, settings: RunSettings) -> None:
        """Show a profile's (or the defaults') system prompt and max tokens."""
        self.query_one("#max-tokens", Input).value = str(settings.max_tokens)
        self.query_one("#system", TextArea).text = settings.system or ""
        if settings.system:
            self.query_one("#system-box", Collapsible).collapsed = False
