"""Textual's key footer, rebuilt only when what it shows changes.

The stock ``Footer`` recomposes (a widget per key, each styled twice) on every bindings
signal: every focus change, every ``refresh_bindings``. At start-up that is several full
rebuilds within the first second, each costing about as much as the rest of the screen.
This one compares what it would show — each key, its label and whether it is enabled —
with what it shows and skips the rebuild when nothing differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when its keys, labels or enabled states change."""

    def __init__(self, *, compact: bool = True, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: tuple[tuple[str, str, bool], ...] | None = None

    def _keys(self, screen: Screen) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            self._bindings_ready = True
            return
        keys = self._keys(screen)
        if keys == self._shown:
            return
        self._shown = keys
        super().bindings_changed(screen)
