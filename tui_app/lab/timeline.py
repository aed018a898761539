"""The server's load over virtual time, kept in a bounded number of buckets for a chart.

Every change of load is one event of the simulation; keeping them all would cost more
memory than the run itself on a large N. So the timeline keeps at most ``size`` buckets
of equal width, each with its peak and the load it ended at; when a run outgrows them,
pairs merge and the width doubles. A long run gets coarser, never larger, and the peak of
the whole timeline stays the run's peak (the figure the table shows).
"""

from __future__ import annotations


class LoadTimeline:
    """Peak load per bucket of virtual time; :meth:`note` is called at each change."""

    __slots__ = ("size", "width", "peaks", "ends")

    def __init__(self, size: int = 256, width: float = 0.05) -> None:
        if size < 2 or width <= 0:
            raise ValueError("a load timeline needs at least 2 buckets and a width > 0")
        self.size, self.width = size, width
        self.peaks: list[int] = []
        self.ends: list[int] = []
        """The load at the end of each bucket: the next one starts at that level."""

    def note(self, t: float, load: int) -> None:
        """The load is ``load`` from time ``t`` on (times never go back)."""
        i = int(t / self.width)
        while i >= self.size:
            self._coarsen()
            i = int(t / self.width)
        n = len(self.peaks)
        if i >= n:  # the buckets in between held the last level throughout
            level = self.ends[-1] if n else 0
            self.peaks.extend([level] * (i - n + 1))
            self.ends.extend([level] * (i - n + 1))
        if load > self.peaks[i]:
            self.peaks[i] = load
        self.ends[i] = load

    def _coarsen(self) -> None:
        peaks, ends = self.peaks, self.ends
        self.peaks = [max(peaks[j : j + 2]) for j in range(0, len(peaks), 2)]
        self.ends = [ends[min(j + 1, len(ends) - 1)] for j in range(0, len(ends), 2)]
        self.width *= 2

    def points(self) -> list[tuple[float, int]]:
        """(start of bucket, peak load in it), in time order."""
        return [(i * self.width, peak) for i, peak in enumerate(self.peaks)]
