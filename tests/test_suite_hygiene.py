"""The suite's own bookkeeping: the slow/heavy lists name real tests, the markers are known."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import HEAVY, SLOW, pytest_collection_modifyitems

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(set(SLOW + HEAVY)))
def test_every_slow_or_heavy_name_is_a_test(name):
    """A renamed test would silently leave the list (and the quick loop would slow down)."""
    file, _, function = name.partition("::")
    assert (ROOT / file).is_file(), name
    if function:
        assert re.search(rf"^(async )?def {re.escape(function)}\(", (ROOT / file).read_text(), re.M), name


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid, self.markers = nodeid, []

    def add_marker(self, marker) -> None:
        self.markers.append(marker.name)


def test_the_collection_hook_marks_what_the_lists_name():
    names = [
        "tests/bench/test_bench_quick.py::test_quick_mode_runs_and_prints_the_table[bench_core]",
        "tests/ui/test_snapshots.py::test_main_states[idle-80x24]",
        "tests/ui/test_startup.py::test_first_screen_paints_before_anthropic_is_imported",
        "tests/ui/test_startup.py::test_first_screen_paints_before_anthropic_is_imported_too",
        "tests/ui/test_snapshots_more.py::test_x",
    ]
    items = [_Item(n) for n in names]
    pytest_collection_modifyitems(None, items)
    assert [item.markers for item in items] == [["slow", "xdist_group"], ["slow"], ["slow"], [], []]
