"""Tables (attempts, sessions): a cell is never drawn cut off, whenever the screen paints."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.widgets import DataTable

from tui_app.retry.events import AttemptStart, FirstToken, RunStart, Success, TextDelta
from tui_app.ui.widgets.response.attempts import AttemptsPanel
from tui_app.ui.widgets.table_cells import fit_columns, table_cell


class Harness(App[None]):
    def compose(self):
        yield AttemptsPanel(id="attempts")


class TableHarness(App[None]):
    def compose(self):
        yield DataTable()


def _row_text(panel: AttemptsPanel, number: int) -> str:
    table = panel.table
    assert table is not None
    return table.render_line(number).text  # line 0 is the header


async def test_a_cell_that_grows_is_drawn_whole_by_a_paint_before_the_tables_idle():
    """Textual widens a column on the table's next idle and keeps rows it painted in between:
    a paint in that gap (any other widget repainting the screen) used to leave ``ok end_tu``
    on screen for good. The panel sizes its columns before writing, so no paint is early."""
    app = Harness()
    async with app.run_test(size=(100, 12)) as pilot:
        panel = app.query_one(AttemptsPanel)
        await panel.mount_table()
        panel.apply(RunStart(t=0.0, model="m", max_attempts=3))
        panel.apply(AttemptStart(t=0.0, attempt=1, model="m"))
        panel.apply(FirstToken(t=0.1, attempt=1, ttft=0.1))
        await pilot.pause()
        assert "streaming" in _row_text(panel, 1)

        for _ in range(100):
            panel.apply(TextDelta(t=0.1, attempt=1, text="abcdefghij"))
        panel.apply(Success(t=0.2, attempt=1, text="x" * 1000, stop_reason="end_turn", request_id="req_1"))
        painted_early = _row_text(panel, 1)  # no await: the table has had no idle yet
        await pilot.pause()
        painted_after = _row_text(panel, 1)
        for screen_row in (painted_early, painted_after):
            assert "ok end_turn" in screen_row and "1000" in screen_row, screen_row


async def test_mounting_the_table_twice_at_once_mounts_one_table():
    """The app's on_ready and a send typed the moment the first frame showed both mount it:
    the second used to mount another table with the same id (``DuplicateIds``: no run)."""
    app = Harness()
    async with app.run_test(size=(100, 12)) as pilot:
        panel = app.query_one(AttemptsPanel)
        await asyncio.gather(panel.mount_table(), panel.mount_table())
        await pilot.pause()
        assert len(panel.query(DataTable)) == 1 and panel.table is not None


async def test_a_new_row_wider_than_the_columns_is_drawn_whole_at_once():
    app = Harness()
    async with app.run_test(size=(100, 12)) as pilot:
        panel = app.query_one(AttemptsPanel)
        await panel.mount_table()
        await pilot.pause()
        panel.apply(AttemptStart(t=12345.0, attempt=1, model="m"))
        assert "12345.0" in _row_text(panel, 1) and "connecting" in _row_text(panel, 1)


async def test_a_refilled_table_sized_by_fit_columns_is_drawn_whole_at_once():
    """The sessions list clears and refills on every search keystroke."""
    app = TableHarness()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(DataTable)
        for key in ("id", "prompt"):
            table.add_column(key, key=key)
        table.add_row("1", "short", key="1")
        await pilot.pause()
        table.clear()
        rows = [("2", table_cell("a much longer [b]prompt[/b] than before"))]
        fit_columns(table, ("id", "prompt"), rows)
        table.add_row(*rows[0], key="2")
        assert "a much longer [b]prompt[/b] than before" in table.render_line(1).text
