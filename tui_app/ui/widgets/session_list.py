"""The sessions screen's list: a table drawn with Textual's line API, a page at a time.

A ``DataTable`` of a few hundred rows stalled the event loop for 100-400 ms each time it
was filled (it measures every cell at idle and renders each visible cell through Rich),
and tens of milliseconds per cursor move. Here a row is one pre-padded string: drawing a
line is a slice of it with one style, and only the visible lines are ever drawn. Rows
arrive as pages made in a worker thread (``ListPage``); when the cursor (or the wheel)
comes within a screenful of the last row and the page was full, the list asks for the
next, older, page with ``NearEnd``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.style import Style
    from textual import events
    from textual.binding import BindingType
    from textual.geometry import Region

STRIPS_KEPT = 1000
"""Rows kept drawn (a few screens' worth, in each of the styles a row is drawn in)."""


@dataclass(frozen=True, slots=True)
class ListPage:
    """Rows for the list, made off the event loop."""

    rows: list[tuple[int, tuple[str, ...]]]
    """(session id, one line of safe text per column), newest first."""
    widths: tuple[int, ...]
    """Each column's widest cell, in terminal cells."""
    more: bool
    """The page was full: older sessions may follow."""


class SessionList(ScrollView, can_focus=True):
    """Sessions, one per row under a fixed header; the cursor's row is the one acted on."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"session-list--header", "session-list--cursor"}
    DEFAULT_CSS = """
    SessionList {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .session-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .session-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .session-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on another session (or the list was refilled)."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    class Selected(Message):
        """The cursor's row was clicked."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    class NearEnd(Message):
        """The user is near the last row of a full page: the sessions older than ``before``
        are wanted (answer with ``add_page(page, after=before)``)."""

        def __init__(self, before: int) -> None:
            super().__init__()
            self.before = before

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.cursor = 0
        """Index of the row under the cursor."""
        self._ids: list[int] = []
        self._cells: list[tuple[str, ...]] = []
        self._widths = tuple(cell_len(label) for label in self.columns)
        self._lines: dict[int, str] = {}
        """Padded rows already drawn once (index -> line); cleared when a column widens."""
        self._strips: dict[tuple[int, Style], Strip] = {}
        self._styles: tuple[Style, Style, Style] | None = None
        """(row, header, cursor), set at the start of each paint by ``render_lines``."""
        self._more = False
        self._asked = False
        self._fitted: tuple[int, ...] = self._widths
        """The widths drawn: ``_widths`` fitted to the widget (``fit_widths``)."""

    # -- what it holds ---------------------------------------------------------------
    @property
    def keys(self) -> list[int]:
        """The ids of the sessions listed, top to bottom."""
        return list(self._ids)

    @property
    def row_count(self) -> int:
        return len(self._ids)

    @property
    def current(self) -> int | None:
        """The id of the session under the cursor, None when the list is empty."""
        return self._ids[self.cursor] if self._ids else None

    def show_page(self, page: ListPage) -> None:
        """Replace the rows with ``page``; the cursor goes to its first row."""
        self._ids = [session_id for session_id, _cells in page.rows]
        self._cells = [cells for _session_id, cells in page.rows]
        self._widths = tuple(cell_len(label) for label in self.columns)
        self.cursor = 0
        self._lines.clear()
        self._strips.clear()
        self._take(page)
        self.scroll_to(0, 0, animate=False, force=True)
        if self._ids:
            self.post_message(self.Highlighted(self._ids[0]))
        self._check_near_end()  # a page shorter than the screen

    def add_page(self, page: ListPage, *, after: int) -> None:
        """Append ``page`` (the sessions older than ``after``) unless the list has changed
        since it was asked for."""
        if not self._ids or self._ids[-1] != after:
            return
        self._ids += [session_id for session_id, _cells in page.rows]
        self._cells += [cells for _session_id, cells in page.rows]
        self._take(page)
        self._check_near_end()

    def _take(self, page: ListPage) -> None:
        widths = tuple(max(old, new) for old, new in zip(self._widths, page.widths, strict=True))
        if widths != self._widths:
            self._lines.clear()
            self._strips.clear()
        self._widths = widths
        self._more, self._asked = page.more, False
        self._refit()
        self.refresh()

    # -- moving ----------------------------------------------------------------------
    @property
    def _page_rows(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped), scrolled into view."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self._refresh_row(old)
        self._refresh_row(index)
        top = round(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + self._page_rows:
            self.scroll_to(y=index - self._page_rows + 1, animate=False)
        self.post_message(self.Highlighted(self._ids[index]))
        self._check_near_end()

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)  # below the header

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * self._page_rows)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._ids) - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_near_end()

    def _check_near_end(self) -> None:
        """Ask for older sessions once the cursor or the view is within a screenful of the end."""
        if not self._more or self._asked or not self._ids:
            return
        shown_to = max(self.cursor, round(self.scroll_y) + self._page_rows)
        if shown_to >= len(self._ids) - self._page_rows:
            self._asked = True
            self.post_message(self.NearEnd(self._ids[-1]))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a click on the cursor's row selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or not self._ids:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index == self.cursor:
            self.post_message(self.Selected(self._ids[index]))
        elif index < len(self._ids):
            self.move_cursor(index)

    # -- drawing ---------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """The widget's styles worked out once per paint, not per line: each of these
        walks the widget's ancestors (about 1 ms a line with the header and cursor)."""
        base = self.rich_style
        self._styles = (
            base,
            base + self.get_component_rich_style("session-list--header"),
            base + self.get_component_rich_style("session-list--cursor"),
        )
        return super().render_lines(crop)

    def on_resize(self) -> None:
        self._refit()

    def _refit(self) -> None:
        """Fit the measured widths to the widget; drawn rows are stale when they change."""
        fitted = fit_widths(self.columns, self._widths, self.scrollable_content_region.width)
        if fitted != self._fitted:
            self._fitted = fitted
            self._lines.clear()
            self._strips.clear()
        self.virtual_size = Size(sum(w + 2 for w in fitted if w), len(self._ids) + 1)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        base, header, cursor = self._styles or (self.rich_style, self.rich_style, self.rich_style)
        width = self.scrollable_content_region.width
        index = -1 if y == 0 else scroll_y + y - 1  # the header is row -1, never scrolled away
        if index >= len(self._ids):
            return Strip.blank(width, base)
        style = header if index < 0 else cursor if index == self.cursor else base
        return self._strip(index, style).crop_extend(scroll_x, scroll_x + width, base)

    def _strip(self, index: int, style: Style) -> Strip:
        """Row ``index`` (-1: the header) as one segment, kept: a repaint reuses it and the
        crops it caches, where a new ``Strip`` (with its seven caches) per line per frame
        would make the garbage collector run every few frames."""
        key = (index, style)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > STRIPS_KEPT:
                self._strips.clear()
            if index < 0:
                text = self._pad(self.columns)
            else:
                text = self._lines.get(index) or self._lines.setdefault(index, self._pad(self._cells[index]))
            strip = self._strips[key] = Strip([Segment(text, style)], cell_len(text))
        return strip

    def _pad(self, cells: Sequence[str]) -> str:
        """One row: each cell padded (or cut, with an ellipsis) to its column's fitted
        width, a space either side."""
        return "".join(f" {_fit(cell, width)} " for cell, width in zip(cells, self._fitted, strict=True) if width)


SHRINKABLE = ("model", "backend")
"""Columns that give up room to the prompt when the list is narrow (cut with an ellipsis)."""
DROPPABLE = ("backend",)
"""Columns hidden when cutting them is not enough (the preview says the same, and ``b``
filters by it)."""
SHRUNK_MIN = 10
PROMPT_SHARE = 0.4
"""The least share of the list's width the prompt keeps (the column people read)."""


def fit_widths(columns: Sequence[str], widths: Sequence[int], room: int) -> tuple[int, ...]:
    """Column widths for ``room`` cells (0: hidden): as measured while everything fits;
    otherwise the shrinkable columns give way, widest first down to ``SHRUNK_MIN``, then
    the droppable ones go, until the last column, the prompt, has ``PROMPT_SHARE`` of the
    room (or all it needs)."""
    fitted = list(widths)
    if not columns or sum(w + 2 for w in fitted) <= room:
        return tuple(fitted)
    want = min(max(int(room * PROMPT_SHARE), 12), widths[-1])

    def short() -> int:
        return want - (room - sum(w + 2 for w in fitted[:-1] if w) - 2)

    shrinkable = [i for i, c in enumerate(columns) if c in SHRINKABLE]
    while short() > 0:
        i = max(shrinkable, key=lambda j: fitted[j], default=None)
        if i is None or fitted[i] <= SHRUNK_MIN:
            break
        fitted[i] -= 1
    for i, column in enumerate(columns):
        if column in DROPPABLE and short() > 0:
            fitted[i] = 0
    fitted[-1] = max(room - sum(w + 2 for w in fitted[:-1] if w) - 2, min(widths[-1], SHRUNK_MIN))
    return tuple(fitted)


def _fit(cell: str, width: int) -> str:
    if cell_len(cell) <= width:
        return cell + " " * (width - cell_len(cell))
    return set_cell_size(cell, max(width - 1, 0)) + "…"
