"""The fallback chain in the TUI: set in the settings form, followed by the run, and shown
in the attempts panel on the row that made the chain move on."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable, Input

from .conftest import fast_scenario


async def _no_wait(delay: float) -> None:
    await asyncio.sleep(0)


async def test_an_overloaded_model_falls_back_and_the_row_says_so(make_app, started, send_and_wait, other_model):
    app, sim = make_app(fast_scenario({"fault": "status", "status": 529}), sleep=_no_wait)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.query_one("#fallback", Input).value = other_model
        screen.query_one("#fallback-after", Input).value = "1"
        await pilot.pause()
        assert screen.current_settings().policy.fallback == (other_model,)
        await send_and_wait(pilot, "hello")
        assert [r.body["model"] for r in sim.requests][1] == other_model
        table = screen.query_one("#attempt-table", DataTable)
        assert table.row_count == 2
        assert str(table.get_cell("1", "outcome")) == f"529 overloaded_error → {other_model}"
        assert screen.query_one("#attempts").records[2].fallback_reason.endswith("was overloaded once")
