"""The garbage-collection policy: interactive use puts full collections off until a quiet moment."""

from __future__ import annotations

import gc

import pytest

from tui_app import gc_policy


@pytest.fixture
def collections():
    """The generations of the collections that ran during the test; gc left as found."""
    seen: list[int] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            seen.append(info["generation"])

    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.collect()
    gc.enable()
    gc.callbacks.append(callback)
    yield seen
    gc.callbacks.remove(callback)
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def churn(young_collections: int) -> list[object]:
    """Make objects, some of which live on (Python runs a full collection once those that
    aged into the old generation reach a quarter of it), until generation 1 has been
    collected that many times; returns the survivors."""
    survivors: list[object] = []
    start = gc.get_stats()[1]["collections"]
    while gc.get_stats()[1]["collections"] - start < young_collections:
        for _ in range(1000):
            survivors.append([])
    return survivors


def test_interactive_defers_full_collections_that_python_would_run(collections):
    churn(30)  # Python's defaults: a full collection every ~10 generation-1 passes
    assert 2 in collections
    collections.clear()
    gc_policy.interactive()
    churn(30)
    assert 2 not in collections and 1 in collections


def test_quiet_runs_the_full_collection_it_put_off_once(collections):
    gc_policy.interactive()
    churn(3)
    assert gc_policy.quiet() is True
    assert collections[-1] == 2
    assert gc_policy.quiet() is False  # nothing aged since: no second pass over the same heap


def test_release_restores_pythons_defaults(collections):
    gc_policy.interactive()
    gc_policy.release()
    churn(30)
    assert 2 in collections


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quiet_moments_wait_a_second_after_the_last_input_and_for_the_run(collections):
    clock = Clock()
    moments = gc_policy.QuietMoments(clock, after=1.0)
    gc_policy.interactive()
    churn(3)
    clock.now += 0.9
    assert moments.check(busy=False) is False  # just started: as if a key was pressed
    clock.now += 0.2
    moments.input()
    clock.now += 0.5
    assert moments.check(busy=False) is False
    clock.now += 0.5
    assert moments.check(busy=True) is False  # a run is streaming: it waits for its end
    assert 2 not in collections
    assert moments.check(busy=False) is True
    assert collections[-1] == 2
