""" "Copy as code": the current prompt and settings as the program ``claude-tui code`` prints.

The same generator as the command (:mod:`tui_app.codegen`), so what the TUI shows is what
``claude-tui code`` would print for the same settings: highlighted here (Rich's ``Syntax``:
Pygments comes with Rich), copied whole to the clipboard with ``c`` (the terminal's OSC 52,
as ``ctrl+o`` copies an answer). ``a`` switches between the sync and the async Python
program, ``l`` between Python and TypeScript (``--lang typescript``, async only).
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


class CodeScreen(ModalScreen[tuple[str, bool]]):
    """The program for ``spec``; c copies it, a toggles async, l the language, escape closes
    (with the language and async-ness shown last, for the next time)."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="code-close", tooltip="Close."),
        Binding("c", "copy", "Copy", id="code-copy", tooltip="Copy the program to the clipboard."),
        Binding("a", "toggle_async", "Sync/async", id="code-async", tooltip="Show the async (or sync) program."),
        Binding("l", "toggle_lang", "Python/TS", id="code-lang", tooltip="Show the TypeScript (or Python) program."),
    ]

    def __init__(self, spec: ProgramSpec, *, use_async: bool = False, lang: str = "python") -> None:
        super().__init__(classes="dialog", id="code")
        self._spec, self._async, self._lang = spec, use_async, lang
        self.source = self._program()
        """The program shown (what ``c`` copies)."""

    def _program(self) -> str:
        from ...codegen import program_source

        typescript = self._lang == "typescript"
        return program_source(self._spec, self._lang, use_async=self._async and not typescript)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box wide"):
            yield Label(self._title(), id="code-title", classes="dialog-title")
            yield Static(self._syntax(), id="code-source")
            yield Label("c copy · a sync/async · l Python/TypeScript · escape close", classes="dialog-hint")

    def _title(self) -> str:
        if self._lang == "typescript":
            return "Your settings as a TypeScript program (claude-tui code --lang typescript)"
        return f"Your settings as a {'async ' if self._async else ''}Python program (claude-tui code)"

    def _syntax(self) -> Syntax:
        return Syntax(self.source, self._lang, line_numbers=False, word_wrap=False, theme="ansi_dark")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.source)
        self.notify(f"Program copied ({len(self.source.splitlines())} lines).")

    def action_toggle_async(self) -> None:
        if self._lang == "typescript":
            self.notify("A TypeScript program is always async: l shows the Python one.")
            return
        self._async = not self._async
        self._show()

    def action_toggle_lang(self) -> None:
        self._lang = "python" if self._lang == "typescript" else "typescript"
        self._show()

    def _show(self) -> None:
        self.source = self._program()
        self.query_one("#code-source", Static).update(self._syntax())
        self.query_one("#code-title", Label).update(self._title())

    def action_close(self) -> None:
        self.dismiss((self._lang, self._async))
