"""The Lab screen's charts: each policy's latency distribution and the server's load over time.

Drawn with ``textual-plot`` (a native Textual widget), imported by this module only: it
pulls numpy, which nothing else in the app needs, so the main screen's first frame does not
pay for it. The charts read a :class:`~tui_app.lab.LabResult`'s tallies (the figures the
table shows come from the same runs), one colour per policy, the same in both charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual_plot import HiResMode, PlotWidget
from textual_plot.plot_widget import LegendLocation

if TYPE_CHECKING:
    from ...lab import LabResult
    from ...lab.tally import Tally

COLOURS = ("red", "green", "dodger_blue1", "yellow", "magenta", "cyan")
"""One per policy (the lab compares at most six)."""
CURVE_POINTS = 200
"""Points drawn per latency curve, whatever N: a chart is a few dozen columns wide."""


def latency_curve(latencies: list[float], requests: int) -> tuple[list[float], list[float]]:
    """The share of *all* requests answered within x seconds (x, percent): a policy that
    gives up on some levels off below 100, so the curve shows both speed and success."""
    ordered = sorted(latencies)
    if not ordered or requests <= 0:
        return [], []
    step = max(1, len(ordered) // CURVE_POINTS)
    ranks = list(range(step - 1, len(ordered), step))
    if ranks[-1] != len(ordered) - 1:
        ranks.append(len(ordered) - 1)
    return [0.0, *(ordered[i] for i in ranks)], [0.0, *((i + 1) * 100 / requests for i in ranks)]


class _LabChart(PlotWidget):
    """A plot that redraws itself from a lab result."""

    X_LABEL = ""
    Y_LABEL = ""
    LEGEND = LegendLocation.TOPRIGHT
    """Where the curves are not, mostly."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, allow_pan_and_zoom=False)

    def show(self, result: LabResult) -> None:
        self.clear()
        self.set_xlabel(self.X_LABEL)
        self.set_ylabel(self.Y_LABEL)
        for colour, tally in zip(COLOURS, result.tallies, strict=False):
            xs, ys = self.series(result, tally)
            if xs:
                self.plot(xs, ys, line_style=colour, hires_mode=HiResMode.BRAILLE, label=tally.name)
        self.show_legend(self.LEGEND)

    def series(self, result: LabResult, tally: Tally) -> tuple[list[float], list[float]]:
        raise NotImplementedError


class LatencyChart(_LabChart):
    """Per policy: the percentage of the N requests answered within x seconds."""

    X_LABEL = "latency (s)"
    Y_LABEL = "% answered"
    LEGEND = LegendLocation.BOTTOMRIGHT

    def show(self, result: LabResult) -> None:
        super().show(result)
        self.set_ylimits(0, 100)

    def series(self, result: LabResult, tally: Tally) -> tuple[list[float], list[float]]:
        return latency_curve(tally.latencies, result.requests)


class LoadChart(_LabChart):
    """Per policy: the most calls the server held at once, over virtual time."""

    X_LABEL = "virtual time (s)"
    Y_LABEL = "calls held"

    def series(self, result: LabResult, tally: Tally) -> tuple[list[float], list[float]]:
        points = tally.timeline.points()
        return [t for t, _ in points], [float(load) for _, load in points]
