"""How fast a model answers in the lab, when the faults do not say: time to first token and
streaming speed by model family.

Rough, round figures of the order people observe (smaller models faster), not
measurements, and the same for every model of a family; a scenario's ``ttft`` /
``tokens_per_second`` or a server model's override them. They set how long a request holds
a server slot, which is what contention depends on, not any absolute latency claim.
"""

from __future__ import annotations

from ..models import model_family

FAMILY_SPEED: dict[str, tuple[float, float]] = {
    "haiku": (0.5, 120.0),
    "sonnet": (1.0, 60.0),
    "opus": (1.5, 40.0),
}
"""Family -> (seconds to the first token, output tokens per second)."""
DEFAULT_SPEED = FAMILY_SPEED["sonnet"]


def model_speed(model: str) -> tuple[float, float]:
    """(ttft, tokens per second) of ``model``'s family, or the Sonnet figures."""
    return FAMILY_SPEED.get(model_family(model) or "", DEFAULT_SPEED)
