"""The Lab screen: opened by its key and the palette, runs the lab in a worker thread with
the form's values, shows the CLI's table and the charts, saves a compared policy as a
profile; and a snapshot of the table and charts for a fixed seed.

Update the snapshot with ``pytest tests/ui/test_lab_screen.py --snapshot-update`` and
review the SVG before accepting.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Label, ProgressBar, SelectionList, Static

from tui_app.lab import load_faults, load_policies, run_lab
from tui_app.lab.report import table
from tui_app.store.profiles import list_profiles, load_profile
from tui_app.ui.screens.lab import DEFAULT_FAULTS, DEFAULT_POLICIES, LabScreen
from tui_app.ui.screens.main import MainScreen
from tui_app.ui.widgets.lab_charts import CURVE_POINTS, latency_curve

N, SEED = 40, 3


async def open_and_run(pilot: Any, wait_until: Any, *, requests: str = str(N), seed: str = str(SEED)) -> LabScreen:
    """Open the lab with its key, fill N and seed, run (ctrl+j) and wait for the figures."""
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LabScreen), what="the lab screen")
    screen = pilot.app.screen
    screen.query_one("#lab-requests", Input).value = requests
    screen.query_one("#lab-seed", Input).value = seed
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.result is not None, what="the lab's result")
    await pilot.pause()
    return screen


def expected_table(requests: int = N, seed: int = SEED) -> str:
    result = run_lab(load_faults(DEFAULT_FAULTS), load_policies(list(DEFAULT_POLICIES)), requests=requests, seed=seed)
    return table(result)


async def test_the_key_opens_the_lab_and_a_run_shows_the_clis_table(snapshot_app, wait_until):
    app = snapshot_app()
    async with app.run_test(size=(130, 50)) as pilot:
        screen = await open_and_run(pilot, wait_until)
        shown = str(screen.query_one("#lab-table", Static).render())
        assert shown.rstrip("\n") == expected_table().rstrip("\n")
        assert [p["name"] for p in screen.result.policies] == list(DEFAULT_POLICIES)
        bar = screen.query_one("#lab-progress", ProgressBar)
        assert bar.total == bar.progress == N * len(DEFAULT_POLICIES)
        assert "done: 3 × 40 requests" in str(screen.query_one("#lab-status", Label).render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back to the prompt")


async def test_the_palette_lists_the_lab(snapshot_app):
    app = snapshot_app()
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.main_screen)]
        assert "Open policy lab" in titles


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("#lab-requests", "0", "N: a whole number from 1 to 1000000"),
        ("#lab-requests", "many", "N: a whole number"),
        ("#lab-seed", "1.5", "seed: a whole number"),
    ],
)
async def test_a_bad_field_is_named_and_nothing_runs(snapshot_app, wait_until, field, value, error):
    app = snapshot_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, LabScreen), what="the lab screen")
        screen = app.screen
        screen.query_one(field, Input).value = value
        await pilot.press("ctrl+j")
        await pilot.pause()
        status = screen.query_one("#lab-status", Label)
        assert error in str(status.render())
        assert status.has_class("-error")
        assert screen.result is None and not screen.workers


async def test_no_policy_checked_is_named(snapshot_app, wait_until):
    app = snapshot_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, LabScreen), what="the lab screen")
        app.screen.query_one("#lab-policies", SelectionList).deselect_all()
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert "policies: check 1 to 6 (space toggles), not 0" in str(app.screen.query_one("#lab-status").render())


async def test_a_compared_policy_is_saved_as_a_profile_and_listed(snapshot_app, wait_until):
    app = snapshot_app()
    async with app.run_test(size=(130, 50)) as pilot:
        screen = await open_and_run(pilot, wait_until)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen.id != "lab", what="the policy picker")
        await pilot.press("down", "enter")  # the second compared policy: no-jitter
        await wait_until(pilot, lambda: bool(app.screen.query("#answer")), what="the name dialog")
        assert app.screen.query_one("#answer", Input).value == "lab-no-jitter"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the lab")
        assert "lab-no-jitter" in list_profiles()
        saved = load_profile("lab-no-jitter")
        assert saved.effective_policy() == load_policies(["no-jitter"])[0].policy
        listed = screen.query_one("#lab-policies", SelectionList)
        assert "lab-no-jitter" in [listed.get_option_at_index(i).value for i in range(listed.option_count)]


def test_the_latency_curve_levels_off_at_the_share_answered():
    xs, ys = latency_curve([3.0, 1.0, 2.0], requests=4)
    assert xs == [0.0, 1.0, 2.0, 3.0]
    assert ys == [0.0, 25.0, 50.0, 75.0]
    xs, ys = latency_curve([float(i) for i in range(10_000)], requests=10_000)
    assert len(xs) <= CURVE_POINTS + 2
    assert (xs[-1], ys[-1]) == (9999.0, 100.0)
    assert latency_curve([], requests=5) == ([], [])


def test_lab_table_and_charts(snap_compare, snapshot_app, wait_until):
    """The table (best of each column marked) and both charts for a fixed seed."""

    async def run(pilot: Any) -> None:
        await open_and_run(pilot, wait_until)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(snapshot_app(), terminal_size=(130, 50), run_before=run)


async def test_leaving_the_screen_stops_its_run(snapshot_app, wait_until, monkeypatch):
    """A run far too long to finish in the test's time ends soon after escape."""
    import tui_app.lab

    ended: list[str] = []
    real_run_lab = tui_app.lab.run_lab

    def recorded(*args: Any, **kwargs: Any) -> Any:
        try:
            return real_run_lab(*args, **kwargs)
        except BaseException as exc:
            ended.append(type(exc).__name__)
            raise

    monkeypatch.setattr(tui_app.lab, "run_lab", recorded)
    app = snapshot_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, LabScreen), what="the lab screen")
        screen = app.screen
        screen.query_one("#lab-requests", Input).value = "100000"
        await pilot.press("ctrl+j")
        bar = screen.query_one("#lab-progress", ProgressBar)
        await wait_until(pilot, lambda: (bar.progress or 0) > 0, what="the run under way")
        await pilot.press("escape")
        await wait_until(pilot, lambda: ended == ["_Stopped"], what="the run to stop")
        assert isinstance(app.screen, MainScreen) and screen.result is None
