"""The key footer shows whole keys only: what does not fit is left to the command palette."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding

from tui_app.ui.keys import KEYS
from tui_app.ui.widgets.status.footer import KeyFooter

LABELS = [k.label for k in KEYS if k.footer][:10]
"""The app's own footer labels, in order: the widths that matter."""


class Harness(App[None]):
    BINDINGS = [Binding(f"f{i + 1}", f"noop_{i}", label) for i, label in enumerate(LABELS)]

    def compose(self):
        yield KeyFooter()


async def _footer_keys(pilot, footer: KeyFooter):
    for _ in range(50):  # the footer fills in after the first refresh: wait for it (bounded)
        keys = list(footer.query_children("FooterKey"))
        if keys:
            break
        await pilot.pause(0.02)
    await pilot.pause()
    return [k for k in keys if not k.has_class("-command-palette")], next(
        k for k in keys if k.has_class("-command-palette")
    )


@pytest.mark.parametrize("width", [30, 60, 80, 200])
async def test_only_whole_keys_are_shown_in_order(width):
    app = Harness()
    async with app.run_test(size=(width, 5)) as pilot:
        footer = app.query_one(KeyFooter)
        keys, palette = await _footer_keys(pilot, footer)
        shown = [k.display for k in keys]
        assert shown[0], "the first key always fits"
        assert shown == sorted(shown, reverse=True), "only a tail of keys is hidden"
        for key in keys:
            if key.display:
                assert key.region.right <= palette.region.x, (key.description, key.region, palette.region)
        if width == 200:
            assert all(shown)
        else:
            assert not all(shown)
            last, hidden = keys[shown.index(False) - 1], keys[shown.index(False)]
            start = last.region.right + last.styles.margin.right
            assert start + hidden.get_content_width(footer.size, app.size) > palette.region.x, "a key hidden that fits"


async def test_keys_come_back_when_the_terminal_widens():
    app = Harness()
    async with app.run_test(size=(50, 5)) as pilot:
        footer = app.query_one(KeyFooter)
        keys, _palette = await _footer_keys(pilot, footer)
        assert not all(k.display for k in keys)
        await pilot.resize_terminal(200, 5)
        await pilot.pause()
        assert all(k.display for k in keys)
