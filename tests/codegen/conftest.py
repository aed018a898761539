"""Generated programs and ``claude-tui run``, each a real process against its own simulator.

``play(scenario, *flags)`` runs one of them (``program="run" | "sync" | "async"``) on a
fresh simulator playing ``scenario`` and returns an :class:`Outcome`: exit code, stdout,
stderr, the JSON body of every ``POST /v1/messages``, and when each request was answered,
so tests compare behaviour (requests, bodies, answers, waits), never wording.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tui_app.simulator import Scenario, Simulator, Step

if TYPE_CHECKING:
    from pathlib import Path

PROMPT = "How should a client retry an overloaded API?"
FAST = ("--base-delay", "0.01", "--max-delay", "0.02", "--read-timeout", "0.5")
"""Backoff waits of a few milliseconds and a short read timeout: stalls cost half a second."""
PROGRAMS = ("sync", "async")
WAIT_TOLERANCE = 1.0
"""Seconds by which a gap between two requests may exceed the wait the client announced
(the attempt itself, process scheduling on a loaded 2-core machine); never shorter."""


@dataclass
class Outcome:
    """What one client process did against the simulator."""

    code: int
    stdout: str
    stderr: str
    requests: list[Any] = field(default_factory=list)
    """``RecordedRequest`` s of ``POST /v1/messages``, in order."""
    answered_at: list[float] = field(default_factory=list)
    """Monotonic time each of those requests was answered (or given up on by the client)."""

    @property
    def bodies(self) -> list[Any]:
        return [r.body for r in self.requests]

    @property
    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.answered_at, self.answered_at[1:], strict=False)]


def scripted(*steps: dict[str, Any], **fields: Any) -> Scenario:
    """A scenario of these steps (dicts as in a scenario file), then happy answers."""
    return Scenario("test", steps=tuple(Step(**s) for s in steps), **fields)


def announced_waits(outcome: Outcome, program: str) -> list[float]:
    """The waits a client said it would make, in seconds, from its stderr lines."""
    pattern = r"waiting (\d+\.\d) s" if program == "run" else r"retrying in (\d+\.\d) s"
    return [float(s) for s in re.findall(pattern, outcome.stderr)]


@pytest.fixture
def generate(cli, tmp_path):
    """``generate(*flags, prompt=PROMPT, program="sync")`` -> path of the program that
    ``claude-tui code`` prints for those flags (``prompt=None`` leaves the prompt out)."""
    counter = iter(range(1000))

    def make(*flags: str, prompt: str | None = PROMPT, program: str = "sync") -> Path:
        argv = ["code", *([prompt] if prompt is not None else []), *flags]
        code, out, err = cli(*argv, *(["--async"] if program == "async" else []))
        assert code == 0, err
        path = tmp_path / f"program{next(counter)}_{program}.py"
        path.write_text(out, encoding="utf-8")
        return path

    return make


@pytest.fixture
def play(generate, isolated_env):
    """``play(scenario, *flags, program="sync", prompt=PROMPT, args=())`` -> :class:`Outcome`."""

    def run(
        scenario: object,
        *flags: str,
        program: str = "sync",
        prompt: str | None = PROMPT,
        args: tuple[str, ...] = (),
        stdin: str | None = None,
        seed: int = 0,
    ) -> Outcome:
        if program == "run":
            command = [sys.executable, "-m", "tui_app", "run", prompt or "-", "--no-record", *flags]
        else:
            command = [sys.executable, str(generate(*flags, prompt=prompt, program=program)), *args]
        stamps: dict[int, float] = {}

        def stamp(record: Any) -> None:
            if record.path == "/v1/messages":
                stamps[id(record)] = time.monotonic()

        with Simulator(scenario, seed=seed, on_request=stamp) as sim:  # type: ignore[arg-type]
            env = {**os.environ, "ANTHROPIC_BASE_URL": sim.base_url, "ANTHROPIC_API_KEY": "sim-key"}
            done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=90)
            requests = [r for r in sim.requests if (r.method, r.path) == ("POST", "/v1/messages")]
        times = [stamps.get(id(r), float("nan")) for r in requests]
        return Outcome(done.returncode, done.stdout, done.stderr, requests, times)

    return run


@pytest.fixture
def compare(play):
    """``compare(scenario, *flags)`` -> ``{"run": Outcome, "sync": Outcome, "async": Outcome}``:
    ``claude-tui run`` and both generated programs, after asserting what must be equal
    between run and each program: exit code, stdout (the exact answer, or nothing), the
    number of requests and every request body."""

    def every(scenario: object, *flags: str, seed: int = 0) -> dict[str, Outcome]:
        outcomes = {"run": play(scenario, *flags, program="run", seed=seed)}
        ours = outcomes["run"]
        for program in PROGRAMS:
            theirs = outcomes[program] = play(scenario, *flags, program=program, seed=seed)
            assert "Traceback" not in theirs.stderr, theirs.stderr
            assert (theirs.code, len(theirs.requests)) == (ours.code, len(ours.requests)), (
                program,
                ours.stderr,
                theirs.stderr,
            )
            assert theirs.stdout == ours.stdout, program
            assert theirs.bodies == ours.bodies, program
        return outcomes

    return every
