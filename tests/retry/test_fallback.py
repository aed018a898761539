"""Model fallback: the rule (:mod:`tui_app.retry.fallback`) and the run following it."""

from __future__ import annotations

import argparse

import pytest

from tests.core.fakes import FakeClient, Step, sse_error, status_error
from tui_app.commands.request_flags import add_request_flags, settings_from_args
from tui_app.retry.failures import Failure
from tui_app.retry.fallback import FallbackChain
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun
from tui_app.schema import FieldError, parse_table
from tui_app.settings import RunSettings

OVERLOADED = Failure(kind="overloaded", retryable=True, message="", status=529, error_type="overloaded_error")
MID_STREAM = Failure(kind="overloaded", retryable=True, message="", status=200, error_type="overloaded_error")
NOT_FOUND = Failure(kind="client_error", retryable=False, message="", status=404, error_type="not_found_error")
RESET = Failure(kind="connection_reset", retryable=True, message="")


def test_n_overloads_in_a_row_move_on_and_other_failures_break_the_run():
    chain = FallbackChain("a", ("b", "c"), after=2)
    assert chain.after_failure(OVERLOADED) is None and chain.model == "a"
    assert chain.after_failure(RESET) is None  # breaks the run of overloads
    assert chain.after_failure(MID_STREAM) is None
    assert chain.after_failure(OVERLOADED) == "a was overloaded 2 times in a row" and chain.model == "b"
    assert chain.after_failure(NOT_FOUND) == "b was not found (HTTP 404)" and chain.model == "c"
    assert chain.after_failure(OVERLOADED) is None and chain.after_failure(OVERLOADED) is None  # the end
    assert chain.model == "c"


def test_the_first_model_is_not_its_own_fallback():
    assert FallbackChain("a", ("a", "b"), after=1).models == ("a", "b")


def _run(client, fake_time, fallback=("m2",), after=2, attempts=4):
    policy = RetryPolicy(max_attempts=attempts, base_delay=0.1, max_delay=0.2, fallback=fallback, fallback_after=after)
    request = Request(prompt="hi", model="m1", max_tokens=10)
    return RetryRun(request, client=client, policy=policy, clock=fake_time.clock, sleep=fake_time.sleep)


async def test_529_529_then_an_answer_the_third_request_names_the_fallback(fake_time):
    client = FakeClient([Step(before=status_error(529, "overloaded_error"))] * 2 + [Step(chunks=["ok"])])
    events = [e async for e in _run(client, fake_time).events()]

    assert [call["model"] for call in client.calls] == ["m1", "m1", "m2"]
    starts = [e for e in events if e.type == "attempt_start"]
    assert [(s.model, s.fallback_reason) for s in starts] == [
        ("m1", ""),
        ("m1", ""),
        ("m2", "m1 was overloaded 2 times in a row"),
    ]
    [_, second] = [e for e in events if e.type == "backoff"]
    assert second.detail.endswith("; m1 was overloaded 2 times in a row: attempt 3 uses m2")
    assert events[-1].type == "success" and events[-1].text == "ok"


async def test_an_overloaded_error_mid_stream_counts_too(fake_time):
    client = FakeClient([Step(chunks=["a"], after=sse_error())] + [Step(chunks=["ok"])])
    [e async for e in _run(client, fake_time, after=1).events()]
    assert [call["model"] for call in client.calls] == ["m1", "m2"]


async def test_a_model_not_found_moves_on_at_once(fake_time):
    client = FakeClient([Step(before=status_error(404, "not_found_error")), Step(chunks=["ok"])])
    events = [e async for e in _run(client, fake_time).events()]

    assert [call["model"] for call in client.calls] == ["m1", "m2"]
    [backoff] = [e for e in events if e.type == "backoff"]
    assert backoff.delay == 0.0 and fake_time.sleeps == []
    assert events[-1].type == "success"


async def test_not_found_at_the_end_of_the_chain_gives_up_as_without_fallback(fake_time):
    client = FakeClient([Step(before=status_error(404, "not_found_error"))])
    events = [e async for e in _run(client, fake_time, fallback=()).events()]
    assert len(client.calls) == 1 and events[-1].reason == "non_retryable"


async def test_attempts_count_across_models(fake_time):
    client = FakeClient([Step(before=status_error(529, "overloaded_error"))])
    events = [e async for e in _run(client, fake_time, after=1, attempts=3, fallback=("m2", "m3", "m4")).events()]
    assert [call["model"] for call in client.calls] == ["m1", "m2", "m3"]
    assert events[-1].type == "give_up" and events[-1].reason == "max_attempts"


def test_flags_repeat_in_order_and_profiles_take_an_array():
    parser = argparse.ArgumentParser()
    add_request_flags(parser)
    args = parser.parse_args(["--fallback", "m2", "--fallback", "m3", "--fallback-after", "3"])
    settings = settings_from_args(args)
    assert (settings.policy.fallback, settings.policy.fallback_after) == (("m2", "m3"), 3)
    assert RunSettings().policy.fallback == () and RunSettings().policy.fallback_after == 2
    stored = RunSettings.from_dict(settings.to_dict())
    assert stored.policy.fallback == ("m2", "m3")
    assert parse_table({"retry": {"fallback": ["m2"], "fallback_after": 1}}) == {
        "retry.fallback": ("m2",),
        "retry.fallback_after": 1,
    }
    with pytest.raises(FieldError, match=r'^retry.fallback must be an array of model ids, e.g. \["claude-haiku'):
        parse_table({"retry": {"fallback": "m2"}})
