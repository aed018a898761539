"""The app defers full garbage collections to quiet moments while it runs, and only then."""

from __future__ import annotations

import gc

from tui_app import gc_policy


async def test_full_collections_wait_for_quiet_moments_while_the_app_runs(make_app, started):
    defaults = gc.get_threshold()
    app, _sim = make_app()
    async with app.run_test() as pilot:
        await started(pilot)
        assert gc.get_threshold()[2] == gc_policy.FULL_AT_MOST_EVERY
    assert gc.get_threshold() == defaults
