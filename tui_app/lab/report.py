"""The lab's terminal table: one row per policy, the best value of each column marked.

Plain text (the same in a pipe, a README and a terminal), from the same figures as
``--json`` (:meth:`~tui_app.lab.LabResult.to_json`), so the two cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from . import LabResult

BEST = "*"

# (heading, key, formatter, best: "min" | "max" | None)
_COLUMNS: tuple[tuple[str, str, Callable[[Any], str], str | None], ...] = (
    ("ok", "succeeded", str, "max"),
    ("failed", "failed", str, "min"),
    ("success", "success_rate", lambda v: f"{v * 100:.1f}%", "max"),
    ("calls", "attempts", str, "min"),
    ("calls/ok", "calls_per_success", lambda v: f"{v:.2f}", "min"),
    ("p50 s", "latency_p50", lambda v: f"{v:.1f}", "min"),
    ("p95 s", "latency_p95", lambda v: f"{v:.1f}", "min"),
    ("p99 s", "latency_p99", lambda v: f"{v:.1f}", "min"),
    ("max s", "latency_max", lambda v: f"{v:.1f}", "min"),
    ("wait s", "waiting_seconds", lambda v: f"{v:.0f}", "min"),
    ("peak", "peak_server_load", str, "min"),
    ("out tok", "output_tokens", str, None),
    ("wasted tok", "wasted_output_tokens", str, "min"),
    ("cost $", "cost_usd", lambda v: f"{v:.4f}", "min"),
    ("wasted $", "wasted_cost_usd", lambda v: f"{v:.4f}", "min"),
)


def table(result: LabResult) -> str:
    """The comparison as aligned text, then the give-ups and notes (a column whose values
    are all the same marks none)."""
    rows = [["policy", *(c[0] for c in _COLUMNS)]]
    for p in result.policies:
        rows.append([p["name"], *(_cell(p, column, result.policies) for column in _COLUMNS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    head = f"{result.scenario}: {result.requests} requests ({_arrival(result.arrival)}), seed {result.seed}, "
    head += f"{result.virtual_seconds:.1f} s of {'real time (--real-time)' if result.real_time else 'virtual time'}"
    out = [head, "", *lines, "", f"{BEST} best of the column. Give-ups by reason:"]
    for p in result.policies:
        reasons = ", ".join(f"{k} {v}" for k, v in p["give_ups"].items()) or "none"
        out.append(f"  {p['name']}: {reasons}")
    out += [f"note: {note}" for note in result.notes]
    return "\n".join(out) + "\n"


def _arrival(arrival: str) -> str:
    return "arriving together" if arrival == "burst" else f"arriving at {arrival}/s"


def _cell(
    policy: dict[str, Any], column: tuple[str, str, Callable[[Any], str], str | None], every: list[dict[str, Any]]
) -> str:
    _, key, fmt, best = column
    value = policy[key]
    if value is None:
        return "–"
    text = fmt(value)
    values = [p[key] for p in every if p[key] is not None]
    if best is not None and len(set(values)) > 1 and value == (min(values) if best == "min" else max(values)):
        text += BEST
    return text
