"""Markdown drawn once per width, then reused by every layout and every frame.

A ``Static`` holding Rich ``Markdown`` renders the whole document again each time Textual
asks for its height (every layout) and again to paint it: with a long conversation on
screen that is every earlier answer — code highlighting, tables and all — on each
repaint of the live answer, and frames slow down as history grows. ``MarkdownLines``
(Textual's line API) renders its source into lines once for a given width and serves
height and lines from them; a new width (a resize) or a restyle (a theme, a ``-partial``
dim: ``notify_style_update``) renders it once more.

Text is drawn through :func:`tui_app.safe_text.visible` (an answer is outside text, and
its control characters must not reach the terminal); ``source`` stays exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from ....safe_text import visible
from .markdown_blocks import markdown

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.geometry import Size

    from .markdown_blocks import Spacing


_LEADS: dict[Spacing, tuple[str, int]] = {"start": ("", 0), "block": ("x\n\n", 1), "rule": ("---\n\n", 2)}
"""What a part is rendered after, for each ``Spacing``, and how many lines that draws."""


def render_markdown(
    widget: Widget,
    source: str,
    width: int,
    *,
    after: Spacing = "start",
    definitions: Mapping[str, Mapping[str, object]] | None = None,
) -> list[Strip]:
    """``source`` as Markdown, in lines ``width`` cells wide, on ``widget``'s style (as
    Textual renders a Rich renderable in a ``Static``).

    ``after``: ``source`` is a part of a document, after a block or a rule (see
    ``markdown_blocks``), and its lines must start as they would there. Rich puts space
    between blocks by what they are, so rather than guess, a one-line paragraph or a rule
    is rendered before it and its lines dropped. ``definitions``: link references defined
    elsewhere in the document.
    """
    if width <= 0 or not source:
        return []
    lead, drop = _LEADS[after]
    app = widget.app
    options = app.console_options.update(highlight=False, width=width, height=None)
    renderable = widget.post_render(markdown(lead + visible(source), definitions), widget.rich_style)
    segments = app.console.render(renderable, options.update_width(width))
    lines = [Strip(line) for line in Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)]
    return lines[drop:]


class RenderedLines(Widget):
    """Textual's line API over lines kept between frames: ``lines_at(width)`` says what
    they are (rendering only what is stale); height and painting just read them."""

    DEFAULT_CSS = """
    RenderedLines {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._width: int | None = None
        """The width the kept lines are for; None when all are stale (resize, restyle)."""

    def lines_at(self, width: int) -> list[Strip]:
        raise NotImplementedError

    def height_for(self, lines: int) -> int:
        """The widget's height for this many lines of content."""
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.height_for(len(self.lines_at(width)))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self.lines_at(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)

    def notify_style_update(self) -> None:
        """Textual restyled this widget (a theme, ``-discarded``): the lines carry the old
        style, so they are rendered again when next asked for."""
        self._width = None
        super().notify_style_update()


class MarkdownLines(RenderedLines):
    """A finished Markdown document, rendered once per width and style."""

    def __init__(self, source: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = source
        self._lines: list[Strip] = []

    def show(self, source: str) -> None:
        """Draw ``source`` instead (rendered when next asked for)."""
        if source != self.source:
            self.source, self._width = source, None
            self.refresh(layout=True)

    def lines_at(self, width: int) -> list[Strip]:
        """The lines at ``width``, rendered now only if the width or style changed.

        Asked for every line painted and by every layout: it must cost nothing when the
        lines are current (even computing ``rich_style`` costs a walk up the DOM).
        """
        if self._width != width:
            self._lines = render_markdown(self, self.source, width)
            self._width = width
        return self._lines
