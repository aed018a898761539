"""Small modal dialogs: ask for one line of text, pick one item of a list.

Both dismiss with the answer, or ``None`` on escape, so callers use ``push_screen(...,
callback)`` and never block the event loop waiting for a person. Titles and items name
profiles and scenarios (file names, a user's or anyone's): they are shown as one safe line
of plain text, and the answer is the item itself, not what was shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from ...safe_text import one_line

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from textual.app import ComposeResult

_CLOSE = [Binding("escape", "close", "Close", id="dialog-close", tooltip="Close without choosing.")]


class AskText(ModalScreen[str | None]):
    """One line of input: a profile name, a scenario file path."""

    BINDINGS = _CLOSE  # type: ignore[assignment]  # Textual types BINDINGS as an invariant list

    def __init__(
        self,
        title: str,
        *,
        placeholder: str = "",
        value: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """``check(answer)`` acts on the answer (e.g. saves under that name) and returns
        None, or what is wrong with it: then the dialog stays open with that error under
        the field, and what was typed is kept for fixing."""
        super().__init__(classes="dialog")
        self._title, self._placeholder, self._value = title, placeholder, value
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(one_line(self._title), classes="dialog-title", markup=False)
            yield Input(self._value, placeholder=self._placeholder, id="answer")
            yield Label("", id="answer-error", classes="dialog-error", markup=False)
            yield Label("enter to confirm · escape to close", classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip() or None
        problem = self._check(answer) if answer is not None and self._check is not None else None
        if problem:
            error = self.query_one("#answer-error", Label)
            error.update(one_line(problem))
            error.display = True
            return
        self.dismiss(answer)

    def action_close(self) -> None:
        self.dismiss(None)


class PickOne(ModalScreen[str | None]):
    """Choose one of ``items`` (a saved profile, ...)."""

    BINDINGS = _CLOSE  # type: ignore[assignment]  # Textual types BINDINGS as an invariant list

    def __init__(
        self,
        title: str,
        items: list[str],
        *,
        empty: str = "nothing to choose from",
        details: Mapping[str, str] | None = None,
    ) -> None:
        """``details``: a second, dimmed line under an item (what a scenario does, what a
        profile holds)."""
        super().__init__(classes="dialog")
        self._title, self._items, self._empty = title, items, empty
        self._details = details or {}

    def _option(self, item: str) -> Text:
        detail = self._details.get(item)
        if not detail:
            return Text(one_line(item))
        return Text.assemble((one_line(item), "bold"), "\n", (one_line(detail), "dim"))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -with-details" if self._details else "dialog-box"):
            yield Label(one_line(self._title), classes="dialog-title", markup=False)
            if self._items:
                yield OptionList(*(self._option(item) for item in self._items), id="choices", markup=False)
            else:
                yield Label(self._empty, classes="dialog-hint")
            yield Label("enter to choose · escape to close", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._items[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
