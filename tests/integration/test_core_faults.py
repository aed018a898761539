"""The retry core against the simulator: every fault kind, real SDK, real sockets."""

from __future__ import annotations

import pytest

from tui_app.client import build_client
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.settings import DEFAULT_MODEL
from tui_app.simulator import answer_for
from tui_app.timeouts import Timeouts

PROMPT = "Tell me about retries"
FAST = Timeouts(connect=1, read=0.3, write=1, pool=1)
POLICY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02, deadline=20)


async def drive(sim, scenario_path, *, policy=POLICY, timeouts=FAST):
    sim.set_scenario(scenario_path)
    sim.reset()
    client = build_client(timeouts, api_key="sim-key", base_url=sim.base_url)
    try:
        run = RetryRun(Request(prompt=PROMPT, model=DEFAULT_MODEL, max_tokens=4096), client=client, policy=policy)
        return [e async for e in run.events()]
    finally:
        await client.close()


def errors(events):
    return [e.failure for e in events if e.type == "attempt_error"]


FAULTS = {
    "status 529": ('fault = "status"\nstatus = 529', "overloaded", 529),
    "status 500": ('fault = "status"\nstatus = 500', "server_error", 500),
    "status 502": ('fault = "status"\nstatus = 502', "server_error", 502),
    "status 503": ('fault = "status"\nstatus = 503', "server_error", 503),
    "status 504": ('fault = "status"\nstatus = 504', "server_error", 504),
    "status 429": ('fault = "status"\nstatus = 429', "rate_limited", 429),
    "stall before headers": ('fault = "stall_before_headers"\nseconds = 1.0', "read_timeout", None),
    "stall mid-stream": ('fault = "stall_mid_stream"\nafter_chars = 20\nseconds = 1.0', "read_timeout", None),
    "close without response": ('fault = "close_without_response"', "connection_reset", None),
    "reset mid-stream": ('fault = "reset_mid_stream"\nafter_chars = 20', "connection_reset", None),
    "sse error": ('fault = "sse_error"\nafter_chars = 20', "overloaded", 200),
    "truncated": ('fault = "truncated"\nafter_chars = 20', "truncated_stream", 200),
    "malformed": ('fault = "malformed_sse"\nafter_chars = 20', "malformed_stream", None),
    "connection refused": ('fault = "connection_refused"\nseconds = 1.0', "connect_failed", None),
}


@pytest.mark.parametrize("name", list(FAULTS))
async def test_retryable_fault_then_success(simulator, scenario_file, name):
    step, kind, status = FAULTS[name]
    path = scenario_file(f'name = "t"\nthen = "happy"\n[[steps]]\n{step}\n')
    # The refused window opens with the scenario and lasts 1 s (long enough for the first attempt
    # to fall into it on a loaded machine): wait longer than that (1.2-2.4 s) before the second.
    policy = POLICY.with_(base_delay=2.4, max_delay=2.4, jitter="equal") if name == "connection refused" else POLICY
    events = await drive(simulator, path, policy=policy)
    failures = errors(events)
    assert [f.kind for f in failures] == [kind]
    assert failures[0].retryable and failures[0].status == status
    success = events[-1]
    assert success.type == "success" and success.attempt == 2
    assert success.text == answer_for(PROMPT)
    posts = [r for r in simulator.requests if r.path == "/v1/messages"]
    assert len({str(r.body) for r in posts}) == 1, "every attempt sends the identical body"
    if (
        kind in ("read_timeout", "connection_reset", "truncated_stream", "malformed_stream", "overloaded")
        and status != 529
    ):
        assert failures[0].mid_stream == (name not in ("stall before headers", "close without response"))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413])
async def test_non_retryable_status_gives_up_after_one_attempt(simulator, scenario_file, status):
    path = scenario_file(f'name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = {status}\n')
    events = await drive(simulator, path)
    assert [e.type for e in events].count("attempt_start") == 1
    assert events[-1].type == "give_up" and events[-1].reason == "non_retryable"
    assert events[-1].failure.request_id and events[-1].failure.request_id.startswith("req_")


async def test_should_retry_header_makes_a_400_retryable(simulator, scenario_file):
    path = scenario_file('name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = 400\nshould_retry = true\n')
    events = await drive(simulator, path)
    assert events[-1].type == "success" and events[-1].attempt == 2


async def test_retry_after_ms_delay_is_honoured(simulator, scenario_file):
    path = scenario_file(
        'name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = 429\nretry_after_ms = 150\n'
    )
    events = await drive(simulator, path)
    backoff = next(e for e in events if e.type == "backoff")
    assert backoff.reason == "retry-after" and backoff.delay == pytest.approx(0.15)
    starts = [e.t for e in events if e.type == "attempt_start"]
    assert starts[1] - backoff.t >= 0.15


async def test_retry_after_longer_than_deadline_gives_up_at_once(simulator, scenario_file):
    path = scenario_file('name = "t"\nthen = "happy"\n[[steps]]\nfault = "status"\nstatus = 529\nretry_after = 60\n')
    events = await drive(simulator, path, policy=POLICY.with_(deadline=5))
    assert events[-1].type == "give_up" and events[-1].reason == "deadline"
    assert [e.type for e in events].count("attempt_start") == 1 and "backoff" not in [e.type for e in events]


async def test_attempts_exhausted(simulator, scenario_file):
    path = scenario_file('name = "t"\nthen = "last"\n[[steps]]\nfault = "status"\nstatus = 529\n')
    events = await drive(simulator, path)
    assert [e.type for e in events].count("attempt_start") == 3
    assert events[-1].type == "give_up" and events[-1].reason == "max_attempts"


async def test_slow_dribble_within_read_timeout_succeeds(simulator, scenario_file):
    path = scenario_file(
        'name = "t"\nanswer_chars = 60\nthen = "happy"\n[[steps]]\nfault = "dribble"\ntokens_per_second = 200\n'
    )
    events = await drive(simulator, path)
    assert events[-1].type == "success" and events[-1].attempt == 1
    assert len([e for e in events if e.type == "text"]) > 5


async def test_deadline_cuts_a_slow_stream(simulator, scenario_file):
    path = scenario_file(
        'name = "t"\nanswer_chars = 2000\nthen = "last"\n[[steps]]\nfault = "dribble"\ntokens_per_second = 50\n'
    )
    events = await drive(simulator, path, policy=POLICY.with_(deadline=0.5))
    assert events[-1].type == "give_up" and events[-1].reason == "deadline"
    assert errors(events)[-1].kind == "deadline_exceeded"
    streamed = "".join(e.text for e in events if e.type == "text")
    assert 0 < len(streamed) < 2000, "cut by the deadline, not by the end of the answer (~10 s at 50 tok/s)"


async def test_latency_before_headers_within_read_timeout_is_not_a_failure(simulator, scenario_file):
    path = scenario_file('name = "t"\n[[steps]]\nfault = "latency"\nseconds = 0.1\n')
    events = await drive(simulator, path)
    assert events[-1].type == "success" and events[-1].attempt == 1
    assert events[-1].ttft >= 0.1


async def test_read_timeout_reaches_the_server(simulator, scenario_file):
    path = scenario_file('name = "t"\n[[steps]]\nfault = "none"\n')
    await drive(simulator, path, timeouts=Timeouts(connect=1, read=7.5, write=1, pool=1))
    assert simulator.requests[-1].read_timeout == 7.5


@pytest.mark.parametrize(
    "step", ['fault = "sse_error"\nafter_chars = 40', 'fault = "reset_mid_stream"\nafter_chars = 40']
)
async def test_continue_policy_keeps_the_partial_text_and_asks_for_the_rest(simulator, scenario_file, step):
    events = await drive(
        simulator,
        scenario_file(f'name = "t"\nthen = "happy"\n[[steps]]\n{step}\n'),
        policy=POLICY.with_(mid_stream="continue"),
    )
    [failure] = errors(events)
    assert failure.mid_stream
    [second] = [e for e in events if e.type == "attempt_start" and e.attempt == 2]
    assert len(second.carried_text) >= 40 and answer_for(PROMPT).startswith(second.carried_text)
    assert events[-1].type == "success" and events[-1].text == answer_for(PROMPT), "no gap, no repeat"
    continued = simulator.requests[1].body["messages"]
    assert [m["role"] for m in continued] == ["user", "assistant", "user"]
    assert continued[1]["content"] == second.carried_text
