"""Every built-in scenario, driven by the official SDK alone (no claude-tui client code).

The loop stands in for any retrying client: ask, note what went wrong, ask again, until a
complete answer arrives. What each scenario makes the SDK raise is pinned down exactly.
"""

from __future__ import annotations

import asyncio
import json
import time

import anthropic
import httpx2
import pytest

from tui_app.simulator import BUILTIN_SCENARIOS, answer_for

EXPECTED = {
    "happy": [],
    "529-then-ok": ["OverloadedError"],
    "overload-storm": ["OverloadedError"] * 3,
    "rate-limited": ["RateLimitError"] * 3,
    "flaky-network": ["ReadError", "APIConnectionError", "truncated"],
    "stalls": ["APITimeoutError", "ReadTimeout"],
    "mid-stream-error": ["APIStatusError"],
}
# What any scenario may make the SDK raise (chaos draws from all of them).
ALLOWED = (
    anthropic.APIStatusError,
    anthropic.APIConnectionError,
    httpx2.ReadTimeout,
    httpx2.ReadError,
    json.JSONDecodeError,
)


async def _until_complete(driver, prompt: str, *, seconds: float) -> list[str]:
    """Ask until a complete answer; return the failures seen on the way."""
    failures: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            text, final = await driver.stream()
        except ALLOWED as exc:
            failures.append(type(exc).__name__)
            await asyncio.sleep(0.02)
            continue
        if final.stop_reason is None:
            failures.append("truncated")
            continue
        assert text == answer_for(prompt) and final.stop_reason == "end_turn"
        return failures
    raise AssertionError(f"no complete answer within {seconds}s; failures: {failures}")


def test_every_builtin_is_covered() -> None:
    assert set(EXPECTED) | {"chaos", "live"} == set(BUILTIN_SCENARIOS)  # live: real speeds, tested apart


@pytest.mark.parametrize("name", list(EXPECTED))
async def test_builtin_scenario_through_the_sdk(make_sim, sdk, prompt, name) -> None:
    sim = make_sim(name)
    assert await _until_complete(sdk(sim, read=0.4), prompt, seconds=10) == EXPECTED[name]
    assert sim.requests[-1].status == 200


async def test_chaos_with_seed_0_through_the_sdk(make_sim, sdk, prompt) -> None:
    """Seed 0 draws: reset, dribble | 529, none | 429, 529, refused (1 s), none."""
    sim = make_sim("chaos", seed=0)
    driver = sdk(sim, read=0.4)
    failures = [f for _ in range(3) for f in await _until_complete(driver, prompt, seconds=10)]
    assert failures[:4] == ["ReadError", "OverloadedError", "RateLimitError", "OverloadedError"]
    assert set(failures[4:]) == {"APIConnectionError"}  # as many as fit in the outage window
    assert [r.step.fault for r in sim.requests][:3] == ["reset_mid_stream", "dribble", "status"]
