"""The help overlay (f1, or ``?`` where no text field has the focus): the keys that apply
now on the screen below it, and what each of its panels shows.

Built from that screen's live bindings (``Screen.active_bindings``: the screen's and the
app's, remapped keys included; a focused editor's own cursor keys are left out) and its ``PANELS`` notes, so it
cannot drift from what the keys do; keys that exist but do nothing at the moment (retry
outside a backoff, pause outside a replay) are listed apart, saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class HelpScreen(ModalScreen[None]):
    """Keys and panels of ``screen``; any of escape, f1, ``?`` or q closes it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close", id="help-close", tooltip="Close the help.")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__(classes="dialog", id="help")
        self._keys = _keys_table(screen)
        self._panels = _panels_table(screen)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help-box"):
            yield Label("Keys that apply now", classes="dialog-title")
            yield Static(self._keys, id="help-keys")
            if self._panels is not None:
                yield Label("What each panel shows", classes="dialog-title")
                yield Static(self._panels, id="help-panels")
            yield Label("escape, f1 or ? to close · ctrl+p lists every command", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


def _keys_table(screen: Screen[object]) -> Table:
    now: list[tuple[Text, Text]] = []
    later: list[tuple[Text, Text]] = []
    for key, (node, binding, enabled, tooltip) in screen.active_bindings.items():
        if node not in (screen, screen.app) or binding.action in ("help", "app.help") or binding.system:
            continue  # a text field's own editing keys are its business, not this list's
        row = (Text(screen.app.get_key_display(binding) or key, style="bold"), Text(tooltip or binding.description))
        (now if enabled else later).append(row)
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for row in now:
        table.add_row(*row)
    if later:
        table.add_row("", "")
        table.add_row(Text("not now", style="dim italic"), Text("these keys act at another moment", style="dim"))
        for key_text, what in later:
            table.add_row(Text(key_text.plain, style="dim"), Text(what.plain, style="dim"))
    return table


def _panels_table(screen: Screen[object]) -> Table | None:
    notes: tuple[tuple[str, str], ...] = getattr(screen, "PANELS", ())
    if not notes:
        return None
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for panel, what in notes:
        table.add_row(panel, what)
    return table
