"""Textual's key footer, rebuilt only when what it shows changes.

The stock ``Footer`` recomposes (a widget per key, each styled twice) on every bindings
signal: every focus change, every ``refresh_bindings``. At start-up that is several full
rebuilds within the first second, each costing about as much as the rest of the screen.
This one compares what it would show — each key, its label and whether it is enabled —
with what it shows and skips the rebuild when nothing differs.

It also shows only the keys that fit whole: the stock one scrolls the rest out of view,
which at 80 columns during a run cut the last visible key in half ("^g ▏"). The keys are
in order of use, and the command palette (always shown, right) lists every one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when its keys, labels or enabled states change."""

    def __init__(self, *, compact: bool = True, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette, id=id)
        self._shown: tuple[tuple[str, str, bool], ...] | None = None

    def _keys(self, screen: Screen[object]) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            self._bindings_ready = True
            return
        keys = self._keys(screen)
        if keys == self._shown:
            return
        self._shown = keys
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        self._fit_keys()

    def on_resize(self) -> None:
        self._fit_keys()

    def _fit_keys(self) -> None:
        """Hide the keys, from the last, that would not fit whole beside the palette key.

        Widths come from what each key renders (not from a layout, which new keys do not
        have yet), so this runs as soon as they are mounted, before they are painted.
        """
        keys = list(self.query_children("FooterKey"))
        room = self.size.width - sum(
            self._width(k) + k.styles.margin.width for k in keys if k.has_class("-command-palette")
        )
        used = 0
        for key in keys:
            if not key.has_class("-command-palette"):
                end = used + key.styles.margin.left + self._width(key)
                key.display = end <= room  # its right margin may fall under the palette's border
                used = end + key.styles.margin.right

    def _width(self, key: Widget) -> int:
        return key.get_content_width(self.size, self.app.size) + key.styles.gutter.width
