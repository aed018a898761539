"""Small modal dialogs: ask for one line of text, pick one item of a list.

Both dismiss with the answer, or ``None`` on escape, so callers use ``push_screen(...,
callback)`` and never block the event loop waiting for a person. Titles and items name
profiles and scenarios (file names, a user's or anyone's): they are shown as one safe line
of plain text, and the answer is the item itself, not what was shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from ...safe_text import one_line

if TYPE_CHECKING:
    from textual.app import ComposeResult

_CLOSE = [Binding("escape", "close", "Close", id="dialog-close", tooltip="Close without choosing.")]


class AskText(ModalScreen[str | None]):
    """One line of input: a profile name, a scenario file path."""

    BINDINGS = _CLOSE  # type: ignore[assignment]  # Textual types BINDINGS as an invariant list

    def __init__(self, title: str, *, placeholder: str = "", value: str = "") -> None:
        super().__init__(classes="dialog")
        self._title, self._placeholder, self._value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(one_line(self._title), classes="dialog-title", markup=False)
            yield Input(self._value, placeholder=self._placeholder, id="answer")
            yield Label("enter to confirm · escape to close", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)


class PickOne(ModalScreen[str | None]):
    """Choose one of ``items`` (a saved profile, ...)."""

    BINDINGS = _CLOSE  # type: ignore[assignment]  # Textual types BINDINGS as an invariant list

    def __init__(self, title: str, items: list[str], *, empty: str = "nothing to choose from") -> None:
        super().__init__(classes="dialog")
        self._title, self._items, self._empty = title, items, empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(one_line(self._title), classes="dialog-title", markup=False)
            if self._items:
                yield OptionList(*(one_line(item) for item in self._items), id="choices", markup=False)
            else:
                yield Label(self._empty, classes="dialog-hint")
            yield Label("enter to choose · escape to close", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._items[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
