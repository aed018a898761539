"""The timeout advisor's line at the top of the settings tab: it follows the edits (model,
max tokens, streaming, read timeout) and turns to a warning with the fix when a timeout
is too short. Snapshots at 80x24 and 120x40 (update with ``--snapshot-update``)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

SIZES = [(80, 24), (120, 40)]


async def _no_stream_4096(pilot):
    """Open the settings tab, then ask for 4,096 tokens without streaming (read stays 30 s)."""
    screen = pilot.app.main_screen
    await screen.after_first_frame()
    await pilot.press("f3")
    screen.query_one("#max-tokens", Input).value = "4096"
    screen.query_one("#stream", Select).value = "false"
    await pilot.pause()
    screen.query_one("#advice").scroll_visible(animate=False)
    await pilot.pause()


def _advice(screen) -> Static:
    return screen.query_one("#advice", Static)


async def test_the_line_follows_the_settings_and_warns_with_the_fix(snapshot_app):
    app = snapshot_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await screen.after_first_frame()
        await pilot.press("f3")
        await pilot.pause()
        line = str(_advice(screen).render())
        assert line.startswith("read 30 s covers ~1.2 s to the first token; deadline 60 s covers ~12 s")
        assert not _advice(screen).has_class("-warning")
        await _no_stream_4096(pilot)
        line = str(_advice(screen).render())
        assert line == (
            "read 30 s < ~44 s for 4,096 tokens from claude-sonnet-4-6 without streaming: stream, or raise read to 70 s"
        )
        assert _advice(screen).has_class("-warning")
        screen.query_one("#read-timeout", Input).value = "70"
        await pilot.pause()
        assert str(_advice(screen).render()).startswith("read 70 s covers ~44 s to the whole answer")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_advisor_snapshots(snap_compare, snapshot_app, size):
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=_no_stream_4096)


async def test_the_form_offers_only_the_effort_levels_the_model_takes(snapshot_app, monkeypatch):
    from tui_app import capabilities

    table = {"models": {"m-small": {"thinking": ["enabled", "disabled"], "effort": ["low", "high"]}}}
    monkeypatch.setattr(capabilities, "_table", lambda: capabilities.table_from_data(table))
    app = snapshot_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await screen.after_first_frame()
        await pilot.press("f3")
        effort = screen.query_one("#effort", Select)
        effort.value = "max"
        screen.query_one("#model", Input).value = "m-small"
        await pilot.pause()
        assert [str(option[0]) for option in effort._options[1:]] == ["low", "high"]
        assert effort.is_blank()  # "max" is not offered any more: the model's default
        assert screen.query_one("#thinking", Input).placeholder == "(default; takes off|N)"
        screen.query_one("#model", Input).value = "not-in-the-table"
        await pilot.pause()
        assert len(effort._options) == 1 + 5 and screen.query_one("#thinking", Input).placeholder == "(the model's)"
