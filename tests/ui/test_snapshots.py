"""Snapshot tests of the main states at 80x24 and 120x40.

Deterministic by construction: a fake backend (no simulator, no SDK, no wall-clock
rate-limit resets), synthetic events with fixed times and request ids, a frozen clock and
no cursor blink. Update with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and
review the SVGs in the report before accepting.
"""

from __future__ import annotations

import pytest

from .conftest import play, synthetic_states

SIZES = [(80, 24), (120, 40)]
PHASES = {"streaming": "request", "backing_off": "backoff"}
"""States during which the controller would be running (so the footer enables its keys)."""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", list(synthetic_states()))
def test_main_states(snap_compare, snapshot_app, state, size):
    events = synthetic_states()[state]

    async def drive(pilot):
        await play(pilot, events, phase=PHASES.get(state))

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_real_api_status_line(snap_compare, snapshot_app, size):
    """With a key: no banner, and the status line names the real API."""
    assert snap_compare(snapshot_app("api"), terminal_size=size)
