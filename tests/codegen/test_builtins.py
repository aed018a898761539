"""Every built-in scenario: the generated programs do what ``claude-tui run`` does.

Same exit code, same stdout, same number of requests, identical bodies (``compare``), with
the read timeout below the scenarios' 3 s stalls and backoff of a few milliseconds, so the
real waits are the servers' own hints (``rate-limited``: 1 s, 0.5 s, then an HTTP date).
``chaos`` is played with three seeds, each its own draw of faults: 0 (a reset, a dribble,
an answer), 2 (two truncated streams, an answer) and 11 (529, 500, truncated, 529: attempts
run out). Seeds whose draw starts with a refused connection are left out: how many connects
fall inside the 1 s outage depends on how fast each process starts, not on its policy.
"""

from __future__ import annotations

import pytest

from tui_app.simulator import BUILTIN_SCENARIOS

from .conftest import FAST, PROGRAMS, WAIT_TOLERANCE, announced_waits

pytestmark = pytest.mark.timeout(900)


# live streams at real speeds (TTFT 1.2 s): under FAST's 0.5 s read timeout it fails by design.
@pytest.mark.parametrize("scenario", [s for s in BUILTIN_SCENARIOS if s not in ("chaos", "live")])
def test_builtin_scenario(compare, scenario):
    outcomes = compare(scenario, *FAST)
    for who, outcome in outcomes.items():
        assert outcome.code == 0, (who, outcome.stderr)
        waits = announced_waits(outcome, who)
        assert len(waits) == len(outcome.requests) - 1, (who, outcome.stderr)
    run = announced_waits(outcomes["run"], "run")
    for program in PROGRAMS:
        ours = announced_waits(outcomes[program], program)
        hinted = [(a, b) for a, b in zip(run, ours, strict=True) if max(a, b) >= 0.1]  # server hints, not backoff
        assert all(abs(a - b) <= WAIT_TOLERANCE for a, b in hinted), (run, ours)


@pytest.mark.parametrize(("seed", "code", "requests"), [(0, 0, 2), (2, 0, 3), (11, 1, 4)])
def test_chaos(compare, seed, code, requests):
    outcomes = compare("chaos", *FAST, seed=seed)
    assert (outcomes["sync"].code, len(outcomes["sync"].requests)) == (code, requests)
