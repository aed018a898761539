"""Generated programs and ``claude-tui run``, each against its own simulator.

``play(scenario, *flags)`` runs one of them (``program="run" | "sync" | "async"``) on a
fresh simulator playing ``scenario`` and returns an :class:`Outcome`: exit code, stdout,
stderr, the JSON body of every ``POST /v1/messages``, and when each request was answered,
so tests compare behaviour (requests, bodies, answers, waits), never wording.

In-process by default: each process would import the SDK again (~2.5 s of CPU), and what
these tests compare is the programs' behaviour, not how a process starts. The program is
run as ``python program.py`` runs it (``runpy`` with ``__name__ == "__main__"``, its own
``sys.argv``, stdin and environment; ``SystemExit`` is its exit code, an uncaught
exception a traceback and exit 1), ``claude-tui run`` through ``tui_app.cli.main``. After
each run, what a run could leave behind in the test process (:func:`process_state`) must
be as it was. ``process=True`` runs a real process instead, for the tests whose subject is
the program or the command as the user starts it.

The TypeScript program (``program="typescript"``) is always a process: ``tsx program.ts``
with the SDK, tsx and tsc from ``tests/typescript`` (``make test`` installs them with
``npm ci``). Where Node.js is, it is one of :data:`PROGRAMS`, so every case here runs it
too; without Node.js it is left out, and ``test_typescript.py`` says so as a skip.
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tui_app.simulator import Scenario, Simulator, Step

RUFF_RULES = "E,F,W,I,B,UP"
"""pycodestyle (line length included), pyflakes, isort, bugbear, pyupgrade."""


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """ruff with its own defaults (``--isolated``: line length 88), as a user's project has."""
    command = [sys.executable, "-m", "ruff", *args, "--isolated", "--target-version", "py311"]
    return subprocess.run(command, capture_output=True, text=True)


PROMPT = "How should a client retry an overloaded API?"
FAST = ("--base-delay", "0.01", "--max-delay", "0.02", "--read-timeout", "0.5")
"""Backoff waits of a few milliseconds and a short read timeout: stalls cost half a second."""
TYPESCRIPT_DIR = Path(__file__).parents[1] / "typescript"
"""package.json and package-lock.json of the SDK, tsx and tsc; tsconfig.json of the checks."""
TSX = TYPESCRIPT_DIR / "node_modules" / ".bin" / "tsx"
HAS_NODE = shutil.which("node") is not None
PROGRAMS = ("sync", "async", "typescript") if HAS_NODE else ("sync", "async")
"""The generated programs every case compares with ``claude-tui run``."""
WAIT_TOLERANCE = 1.0
"""Seconds by which a gap between two requests may exceed the wait the client announced
(the attempt itself, process scheduling on a loaded 2-core machine); never shorter."""


@dataclass
class Outcome:
    """What one client run did against the simulator."""

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


def process_state() -> dict[str, Any]:
    """What an in-process run could change for the tests after it: the environment, the
    garbage collector (``tui_app.gc_policy`` disables and freezes), logging handlers,
    the SIGINT handler (``claude-tui run`` sets its own), the event loop policy, and threads
    left behind (the simulator's own is stopped by then)."""
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in ("anthropic", "httpx", "httpx2", "tui_app"))]
    return {
        "environ": dict(os.environ),
        "gc": (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()),
        "logging": [(lg.name, lg.level, list(lg.handlers)) for lg in loggers],
        "sigint": signal.getsignal(signal.SIGINT),
        "event loop policy": asyncio.get_event_loop_policy(),
        "threads": sorted(t.name for t in threading.enumerate()),
    }


def run_program(path: Path, args: tuple[str, ...], stdin: str | None) -> int:
    """Run ``python path *args`` in this process (the caller patches the environment and
    captures the output); the exit code the interpreter would give."""
    saved_argv, saved_stdin = sys.argv, sys.stdin
    sys.argv, sys.stdin = [str(path), *args], io.StringIO(stdin or "")
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except Exception:
        traceback.print_exc()  # to the captured stderr, as the interpreter would
        return 1
    finally:
        sys.argv, sys.stdin = saved_argv, saved_stdin
    return 0


def link_node_modules(folder: Path) -> None:
    """Let a TypeScript program in ``folder`` import the SDK: Node.js looks for
    ``node_modules`` beside the file and in its parents."""
    assert TSX.exists(), f"no {TSX}: run `make test` (it runs npm ci in {TYPESCRIPT_DIR})"
    link = folder / "node_modules"
    if not link.exists():
        link.symlink_to(TYPESCRIPT_DIR / "node_modules", target_is_directory=True)


@pytest.fixture
def generate(cli, tmp_path):
    """``generate(*flags, prompt=PROMPT, program="sync")`` -> path of the program that
    ``claude-tui code`` prints for those flags (``prompt=None`` leaves the prompt out)."""
    counter = iter(range(1000))

    def make(*flags: str, prompt: str | None = PROMPT, program: str = "sync") -> Path:
        argv = ["code", *([prompt] if prompt is not None else []), *flags]
        lang = {"async": ["--async"], "typescript": ["--lang", "typescript"]}.get(program, [])
        code, out, err = cli(*argv, *lang)
        assert code == 0, err
        path = tmp_path / f"program{next(counter)}_{program}.{'ts' if program == 'typescript' else 'py'}"
        path.write_text(out, encoding="utf-8")
        if program == "typescript":
            link_node_modules(tmp_path)
        return path

    return make


@pytest.fixture
def play(generate, run_cli_in_process, capsys, monkeypatch, isolated_env):
    """``play(scenario, *flags, program="sync", prompt=PROMPT, args=(), stdin=None, seed=0,
    process=False)`` -> :class:`Outcome`."""

    def in_process(program: str, flags: tuple[str, ...], prompt: str | None, args: tuple[str, ...], stdin: str | None):
        if program == "run":
            done = run_cli_in_process("run", prompt or "-", "--no-record", *flags, input=stdin)
            return done.returncode, done.stdout, done.stderr
        path = generate(*flags, prompt=prompt, program=program)
        capsys.readouterr()  # only the program's own output from here
        code = run_program(path, args, stdin)
        out, err = capsys.readouterr()
        return code, out, err

    def as_process(program: str, flags: tuple[str, ...], prompt: str | None, args: tuple[str, ...], stdin: str | None):
        if program == "run":
            command = [sys.executable, "-m", "tui_app", "run", prompt or "-", "--no-record", *flags]
        elif program == "typescript":
            command = [str(TSX), str(generate(*flags, prompt=prompt, program=program)), *args]
        else:
            command = [sys.executable, str(generate(*flags, prompt=prompt, program=program)), *args]
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=dict(os.environ), timeout=90)
        return done.returncode, done.stdout, done.stderr

    def run(
        scenario: object,
        *flags: str,
        program: str = "sync",
        prompt: str | None = PROMPT,
        args: tuple[str, ...] = (),
        stdin: str | None = None,
        seed: int = 0,
        process: bool = False,
    ) -> Outcome:
        stamps: dict[int, float] = {}

        def stamp(record: Any) -> None:
            if record.path == "/v1/messages":
                stamps[id(record)] = time.monotonic()

        before = process_state()
        with Simulator(scenario, seed=seed, on_request=stamp) as sim:  # type: ignore[arg-type]
            with monkeypatch.context() as patch:
                patch.setenv("ANTHROPIC_BASE_URL", sim.base_url)
                patch.setenv("ANTHROPIC_API_KEY", "sim-key")
                as_user = process or program == "typescript"
                code, out, err = (as_process if as_user else in_process)(program, flags, prompt, args, stdin)
            requests = [r for r in sim.requests if (r.method, r.path) == ("POST", "/v1/messages")]
        assert process_state() == before, f"{program} left state behind in the test process"
        times = [stamps.get(id(r), float("nan")) for r in requests]
        return Outcome(code, out, err, requests, times)

    return run


@pytest.fixture
def compare(play):
    """``compare(scenario, *flags, seed=0, process=False)`` -> ``{"run": Outcome, "sync":
    Outcome, "async": Outcome}``: ``claude-tui run`` and both generated programs, after
    asserting what must be equal between run and each program: exit code, stdout (the exact
    answer, or nothing), the number of requests and every request body."""

    def every(scenario: object, *flags: str, seed: int = 0, process: bool = False) -> dict[str, Outcome]:
        outcomes = {"run": play(scenario, *flags, program="run", seed=seed, process=process)}
        ours = outcomes["run"]
        for program in PROGRAMS:
            theirs = outcomes[program] = play(scenario, *flags, program=program, seed=seed, process=process)
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
