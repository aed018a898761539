"""The load timeline the Lab screen charts: bounded, its peak the table's, its levels right."""

from __future__ import annotations

import pytest

from tui_app.lab import load_faults, load_policies, run_lab
from tui_app.lab.timeline import LoadTimeline


def test_levels_carry_over_buckets_without_a_change():
    timeline = LoadTimeline(size=8, width=1.0)
    timeline.note(0.2, 3)
    timeline.note(0.7, 1)
    timeline.note(3.5, 0)
    assert timeline.points() == [(0.0, 3), (1.0, 1), (2.0, 1), (3.0, 1)]
    assert timeline.ends == [1, 1, 1, 0]


def test_a_long_run_coarsens_instead_of_growing():
    timeline = LoadTimeline(size=4, width=1.0)
    for t, load in [(0.5, 5), (1.5, 2), (2.5, 7), (3.5, 1), (9.0, 4)]:
        timeline.note(t, load)
    assert timeline.width == 4.0
    assert timeline.points() == [(0.0, 7), (4.0, 1), (8.0, 4)]


def test_a_bad_shape_is_refused():
    with pytest.raises(ValueError, match="at least 2 buckets"):
        LoadTimeline(size=1)


def test_the_runs_timeline_peaks_at_the_tables_peak_and_ends_idle():
    result = run_lab(load_faults("crowded"), load_policies(["none", "full-jitter"]), requests=200, seed=1)
    for figures, tally in zip(result.policies, result.tallies, strict=True):
        timeline = tally.timeline
        assert max(peak for _, peak in timeline.points()) == figures["peak_server_load"]
        assert timeline.ends[-1] == 0
        assert len(timeline.peaks) <= timeline.size
        assert timeline.points()[-1][0] <= result.virtual_seconds
    assert len(result.tallies[1].latencies) == result.policies[1]["succeeded"]
