"""The benchmarks' paired estimator, on synthetic timings (no clock involved)."""

from __future__ import annotations

import itertools
import statistics
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from _measure import paired_ratio


def _sides(true_ratio: float, second_penalty: float):
    """ours/baseline timing functions: ours costs ``true_ratio`` x the baseline, and whichever
    runs second in a pair takes ``second_penalty`` x longer (an order effect)."""
    calls = itertools.count()
    noise = itertools.cycle([1.00, 1.03, 0.98, 1.05, 0.99, 1.01, 1.04])

    def timed(cost: float):
        def run() -> float:
            second = next(calls) % 2 == 1
            return cost * next(noise) * (second_penalty if second else 1.0)

        return run

    return timed(true_ratio), timed(1.0)


@pytest.mark.parametrize("pairs", [25, 40, 41])
@pytest.mark.parametrize("penalty", [1.0, 1.08, 0.92])
def test_an_order_effect_does_not_move_the_ratio(pairs, penalty):
    ours, baseline = _sides(1.03, penalty)
    _on, _off, ratio = paired_ratio(ours, baseline, pairs)
    assert ratio == pytest.approx(1.03, abs=0.02)


def test_the_plain_median_of_pair_ratios_would_move():
    """What the estimator replaced, on the same timings: an odd number of pairs puts one more
    pair of one order in the middle, and the median lands on that order's side."""
    ours, baseline = _sides(1.03, 1.08)
    ratios = []
    for i in range(41):
        if i % 2:
            a, b = ours(), baseline()
        else:
            b, a = baseline(), ours()
        ratios.append(a / b)
    assert statistics.median(ratios) > 1.045  # the true ratio is 1.03
