"""The one table format every benchmark prints: what, this project, baseline, ratio, target, pass/fail.

Absolute times are noisy on a shared 2-core machine; the ratio measured side by side in
one run is the result.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    what: str
    ours: float
    baseline: float | None
    unit: str
    target: str
    passed: bool
    paired: float | None = None
    """The median of paired ratios (``_measure.paired_ratio``) when that is the result,
    rather than ours / baseline of the two columns."""

    @property
    def ratio(self) -> str:
        if self.paired is not None:
            return f"{self.paired:.2f}× (paired)"
        if self.baseline in (None, 0):
            return "–"
        return f"{self.ours / self.baseline:.2f}×"


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} {unit}" if unit else f"{value:.2f}"


def print_table(title: str, rows: list[Row]) -> bool:
    """Print a Markdown table (pasteable into the README); return True if all passed."""
    print(f"\n### {title}\n")
    print("| what | this project | baseline | ratio | target | result |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r.what} | {fmt(r.ours, r.unit)} | {fmt(r.baseline, r.unit)} | {r.ratio} | {r.target} | "
            f"{'pass' if r.passed else 'FAIL'} |"
        )
    return all(r.passed for r in rows)
