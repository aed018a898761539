""" "Copy as code": the current prompt and settings as the program ``claude-tui code`` prints.

The same generator as the command (:mod:`tui_app.codegen`), so what the TUI shows is what
``claude-tui code`` would print for the same settings: highlighted here (Rich's ``Syntax``:
Pygments comes with Rich), copied whole to the clipboard with ``c`` (the terminal's OSC 52,
as ``ctrl+o`` copies an answer). ``a`` switches between the sync and the async program.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.syntax import Syntax
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...codegen.spec import ProgramSpec


class CodeScreen(ModalScreen[None]):
    """The program for ``spec``; c copies it, a toggles async, escape closes."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="code-close", tooltip="Close."),
        Binding("c", "copy", "Copy", id="code-copy", tooltip="Copy the program to the clipboard."),
        Binding("a", "toggle_async", "Sync/async", id="code-async", tooltip="Show the async (or sync) program."),
    ]

    def __init__(self, spec: ProgramSpec, *, use_async: bool = False) -> None:
        super().__init__(classes="dialog", id="code")
        self._spec, self._async = spec, use_async
        self.source = self._program()
        """The program shown (what ``c`` copies)."""

    def _program(self) -> str:
        from ...codegen.python import python_program

        return python_program(self._spec, use_async=self._async)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box wide"):
            yield Label(self._title(), id="code-title", classes="dialog-title")
            yield Static(self._syntax(), id="code-source")
            yield Label("c copy · a sync/async · escape close", classes="dialog-hint")

    def _title(self) -> str:
        return f"Your settings as a {'async ' if self._async else ''}Python program (claude-tui code)"

    def _syntax(self) -> Syntax:
        return Syntax(self.source, "python", line_numbers=False, word_wrap=False, theme="ansi_dark")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.source)
        self.notify(f"Program copied ({len(self.source.splitlines())} lines).")

    def action_toggle_async(self) -> None:
        self._async = not self._async
        self.source = self._program()
        self.query_one("#code-source", Static).update(self._syntax())
        self.query_one("#code-title", Label).update(self._title())

    def action_close(self) -> None:
        self.dismiss(None)
