"""Filling a ``DataTable`` safely: cells from outside text, and columns sized up front.

Both tables of the app (attempts, sessions) hold text that came from elsewhere (server error
types, request-ids, prompts) and change their rows while the screen keeps painting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from ...safe_text import one_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from textual.widgets import DataTable


def table_cell(text: str) -> str:
    """A ``DataTable`` cell from outside text (a request-id, a server's error type): one safe
    line, and markup-escaped, since the table reads a ``str`` cell as markup."""
    return escape(one_line(text))


def fit_columns(table: DataTable[str], keys: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Size the columns ``keys`` for ``rows`` (cells from :func:`table_cell`) *before* they
    are written.

    ``add_row`` and ``update_cell(update_width=True)`` widen a column only on the table's
    next idle, and without invalidating the rows it painted in between: a paint in that gap
    (any other widget's update repaints the screen) leaves a cut-off cell on screen for good,
    e.g. ``ok end_tu`` (seen in CI, Textual 8.2). Sized here, widths are right before any
    paint, and the table's own measuring at idle finds nothing to change.
    """
    from rich.text import Text
    from textual.widgets.data_table import ColumnKey

    widths = [0] * len(keys)
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], Text.from_markup(cell).cell_len)
    for key, width in zip(keys, widths, strict=True):
        column = table.columns.get(ColumnKey(key))
        if column is not None:
            column.content_width = max(column.label.cell_len, width)
