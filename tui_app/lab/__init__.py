"""The policy lab: compare retry policies on the same faults, many requests, in virtual time.

>>> from tui_app.lab import load_faults, load_policies, run_lab
>>> result = run_lab(load_faults("crowded"), load_policies(["none", "full-jitter"]), requests=200, seed=1)
>>> [p["name"] for p in result.policies]
['none', 'full-jitter']

One function (:func:`run_lab`) takes the faults (a scenario or a server model), the
policies, N, the arrivals and a seed, and returns a :class:`LabResult`; ``progress`` is
called as requests finish, so a screen can show a bar. The simulation itself is
:mod:`.engine`; its decisions are the live core's (:mod:`tui_app.retry.decide`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .policies import LabPolicy, load_policies
from .servers import ServerModel

if TYPE_CHECKING:
    from ..simulator.scenarios import Scenario
    from .tally import Tally

__all__ = ["LabPolicy", "LabResult", "ServerModel", "load_faults", "load_policies", "run_lab"]

MAX_REQUESTS = 1_000_000
Progress = Callable[[int, int, int], None]
"""``progress(policy_index, requests_done, requests)``."""


@dataclass(frozen=True, slots=True)
class LabResult:
    scenario: str
    seed: int
    requests: int
    arrival: str
    virtual_seconds: float
    wall_seconds: float
    policies: list[dict[str, Any]]
    """One object per policy, in the order given (:meth:`.tally.Tally.figures`)."""
    notes: tuple[str, ...] = ()
    """Assumptions the figures rest on (a price taken from the model's family ...)."""
    tallies: tuple[Tally, ...] = ()
    """What the figures were made from, in the same order: each policy's latencies and
    load timeline, for charts (the JSON and the table show figures only)."""
    real_time: bool = False
    """Run with ``real_time``: ``virtual_seconds`` is then the wall clock's span."""

    def to_json(self, *, wall_time: bool = False) -> dict[str, Any]:
        """The ``--json`` document; ``wall_seconds`` is null unless ``wall_time`` (it is
        the one figure that differs between two runs of the same seed)."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "requests": self.requests,
            "virtual_seconds": round(self.virtual_seconds, 6),
            "wall_seconds": round(self.wall_seconds, 3) if wall_time else None,
            "policies": self.policies,
        }


def load_faults(spec: str) -> Scenario | ServerModel:
    """A server model (built-in name, or a file with a ``[server]`` table) or a scenario."""
    from pathlib import Path

    from ..simulator.scenarios import BUILTIN_SCENARIOS, load_scenario
    from ..simulator.steps import ScenarioError
    from .servers import BUILTIN_SERVERS, is_server_file, load_server

    if spec in BUILTIN_SERVERS:
        return load_server(spec)
    if spec not in BUILTIN_SCENARIOS and not spec.lower().endswith((".toml", ".json")) and not Path(spec).exists():
        raise ScenarioError(
            f"--scenario: unknown {spec!r} (use a scenario: {', '.join(BUILTIN_SCENARIOS)}; a server model: "
            f"{', '.join(BUILTIN_SERVERS)}; or a .toml/.json file)"
        )
    if spec.lower().endswith(".toml"):
        import tomllib

        try:
            if is_server_file(tomllib.loads(Path(spec).read_text(encoding="utf-8"))):
                return load_server(spec)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            pass  # the scenario loader says what is wrong with the file
    return load_scenario(spec)


def arrival_times(requests: int, arrival: str | float, seed: int) -> list[float]:
    """``burst``: all at 0; a rate: a Poisson process of that many requests per second."""
    if arrival == "burst":
        return [0.0] * requests
    rate = float(arrival)
    rng = random.Random(f"lab-arrivals:{seed}")
    t, times = 0.0, []
    for _ in range(requests):
        times.append(t)
        t += rng.expovariate(rate)
    return times


def run_lab(
    faults: Scenario | ServerModel,
    policies: list[LabPolicy],
    *,
    requests: int,
    arrival: str | float = "burst",
    seed: int = 0,
    concurrency: int | None = None,
    progress: Progress | None = None,
    real_time: bool = False,
) -> LabResult:
    """Run every policy over the same faults and arrivals; the figures in policy order.

    ``real_time``: through real sockets and the live core on the wall clock
    (:mod:`.realtime`; a scenario and at most ``MAX_REAL_TIME_REQUESTS``, else ``ValueError``).
    """
    from .engine import Simulation

    started = time.perf_counter()
    arrivals = arrival_times(requests, arrival, seed)
    if real_time:
        return _real_time(faults, policies, arrivals, arrival, seed=seed, concurrency=concurrency, started=started)
    tallies = []
    for index, policy in enumerate(policies):
        done = [0]

        def tick(n: int, index: int = index, done: list[int] = done) -> None:
            done[0] += n
            if progress is not None:
                progress(index, done[0], requests)

        sim = Simulation(policy, faults, arrivals, seed=seed, concurrency=concurrency, progress=tick)
        tallies.append(sim.run())
    return _result(faults, seed, requests, arrival, tallies, started)


def _real_time(
    faults: Scenario | ServerModel,
    policies: list[LabPolicy],
    arrivals: list[float],
    arrival: str | float,
    *,
    seed: int,
    concurrency: int | None,
    started: float,
) -> LabResult:
    from .realtime import MAX_REAL_TIME_REQUESTS, run_real_time

    if isinstance(faults, ServerModel):
        raise ValueError(
            f"--real-time: {faults.name} is a server model, which runs in virtual time only (the simulator"
            " plays scenarios): leave --real-time out, or pick a scenario"
        )
    if len(arrivals) > MAX_REAL_TIME_REQUESTS:
        raise ValueError(
            f"--real-time: at most {MAX_REAL_TIME_REQUESTS} requests (each has a simulator of its own and really"
            f" waits), got {len(arrivals)}: lower --requests"
        )
    tallies = [run_real_time(faults, p, arrivals, seed=seed, concurrency=concurrency) for p in policies]
    return _result(faults, seed, len(arrivals), arrival, tallies, started, real_time=True)


def _result(
    faults: Scenario | ServerModel,
    seed: int,
    requests: int,
    arrival: str | float,
    tallies: list[Tally],
    started: float,
    *,
    real_time: bool = False,
) -> LabResult:
    from ..prices import load_prices

    prices = load_prices()
    notes = []
    for model in sorted({m for t in tallies for m in t.prices}):
        price = prices.price(model)
        if price is None:
            notes.append(f"{model}: no price in {prices.source}; its cost counts as 0")
        elif price.assumed:
            notes.append(
                f"{model}: priced as its family (${price.input:g}/${price.output:g} per million tokens, "
                f"{price.source}, {price.date}): an assumption"
            )
    return LabResult(
        scenario=faults.name,
        seed=seed,
        requests=requests,
        arrival=str(arrival),
        virtual_seconds=max((t.virtual_seconds for t in tallies), default=0.0),
        wall_seconds=time.perf_counter() - started,
        policies=[t.figures() for t in tallies],
        notes=tuple(notes),
        tallies=tuple(tallies),
        real_time=real_time,
    )
