"""The prompt editor: what to ask, an optional system prompt, and the answer's token budget.

Only the editor is in the first frame: the system prompt and max tokens fields are mounted
right after it (``mount_options``), as they are folded away or one line high and the first
frame's cost grows with every widget in it. ``load`` and ``read`` work before that too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widgets import TextArea

from ....schema import FieldError, by_key, parse_text
from ....settings import RunSettings
from ..safe_edit import SafeTextArea

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widgets import Input


class PromptPanel(Vertical):
    """Multi-line prompt (soft wrap, undo), collapsible system prompt, max tokens."""

    def __init__(self, *, send_key: str = "ctrl+j", id: str | None = None) -> None:
        super().__init__(id=id)
        self._send_key = send_key
        self._loaded = RunSettings()
        """What the option fields show; what ``read`` returns until they are mounted."""
        self._mounting_options = False
        self._options_ready = False

    def compose(self) -> ComposeResult:
        prompt = SafeTextArea(
            id="prompt",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=f"Type a prompt, then {self._send_key} to send",
        )
        prompt.border_title = "Prompt"
        yield prompt

    async def mount_options(self) -> None:
        """Mount the system prompt and max tokens fields (idempotent), showing what was loaded."""
        if self._mounting_options:
            return
        self._mounting_options = True
        from textual.containers import Horizontal
        from textual.widgets import Collapsible, Input, Label

        system = self._loaded.system or ""
        box = Collapsible(
            SafeTextArea(system, id="system", soft_wrap=True, tab_behavior="focus", placeholder="(none)"),
            title="System prompt",
            collapsed=not system,
            id="system-box",
        )
        row = Horizontal(
            Label("max tokens", classes="field-label"),
            Input(str(self._loaded.max_tokens), id="max-tokens", type="integer", compact=True, classes="field-input"),
            classes="field-row",
        )
        await self.mount_all([box, row])
        self._options_ready = True
        self.load(self._loaded)  # in case a profile was loaded while they were mounting

    @property
    def prompt(self) -> str:
        return self.query_one("#prompt", TextArea).text

    def read(self, settings: RunSettings) -> RunSettings:
        """``settings`` with this panel's system prompt and max tokens, checked by the schema's
        rules; ``FieldError`` (a ``ValueError``) naming the field as labelled here."""
        if not self._options_ready:
            return settings.with_(system=self._loaded.system, max_tokens=self._loaded.max_tokens)
        values = {
            "max_tokens": self._max_tokens_input.value,
            "system": self.query_one("#system", TextArea).text.strip(),
        }
        try:
            checked = {key: parse_text(by_key()[key], text) for key, text in values.items()}
        except FieldError as exc:  # named as the panel labels it
            raise exc.named(by_key()[exc.field].label) from None
        return settings.with_values(checked)

    def load(self, settings: RunSettings) -> None:
        """Show a profile's (or the defaults') system prompt and max tokens."""
        self._loaded = settings
        if not self._options_ready:
            return
        self._max_tokens_input.value = str(settings.max_tokens)
        self.query_one("#system", TextArea).text = settings.system or ""
        if settings.system:
            from textual.widgets import Collapsible

            self.query_one("#system-box", Collapsible).collapsed = False

    @property
    def _max_tokens_input(self) -> Input:
        from textual.widgets import Input

        return self.query_one("#max-tokens", Input)
