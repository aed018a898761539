"""The generated programs, run against scripted faults, behave like ``claude-tui run``.

Each case runs ``claude-tui run`` and every generated program (Python sync and async, and
TypeScript where Node.js is) on fresh simulators playing the same script; ``compare`` asserts the same exit code, the same stdout
(the exact answer, or nothing), the same number of requests and identical request bodies.
The assertions here say what that common behaviour is. They run in-process (see
conftest.py), but for two tests whose subject is the process a user starts: the first case
(``claude-tui run`` and both programs as processes) and the prompt piped to a program's
stdin.
"""

from __future__ import annotations

import pytest

from tui_app.simulator import answer_for
from tui_app.simulator.answers import split_deltas

from .conftest import FAST, PROGRAMS, PROMPT, WAIT_TOLERANCE, announced_waits, scripted

ANSWER = answer_for(PROMPT)
# The real waits (hints up to 2 s, three clients) on a loaded machine.
pytestmark = pytest.mark.timeout(600)


def programs(outcomes):
    return [outcomes[p] for p in PROGRAMS]


def test_two_overloads_then_an_answer(compare):
    """As processes: ``claude-tui run`` and ``python program.py``, as the user runs them."""
    two = scripted({"fault": "status", "status": 529}, {"fault": "status", "status": 529})
    outcomes = compare(two, *FAST, process=True)
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 3)
        assert ours.stderr.count("overloaded_error (HTTP 529)") == 2


def test_a_400_is_not_retried(compare):
    outcomes = compare(scripted({"fault": "status", "status": 400}), *FAST)
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 1)
        assert "giving up: that is not retried" in ours.stderr


def test_an_sse_error_mid_stream_restarts_and_the_answer_is_exact(compare):
    outcomes = compare(scripted({"fault": "sse_error", "after_chars": 60}), *FAST)
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 2)
        assert "failed after " in ours.stderr and "overloaded_error event in the stream" in ours.stderr
        assert ours.bodies[0] == ours.bodies[1]  # restart: the same request again


@pytest.mark.parametrize("fault", ["reset_mid_stream", "truncated", "malformed_sse"])
def test_a_broken_stream_restarts(compare, fault):
    outcomes = compare(scripted({"fault": fault, "after_chars": 80}), *FAST)
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 2)


def test_a_truncated_stream_is_never_printed_as_an_answer(compare):
    """The body ends cleanly without message_stop, on the only attempt allowed."""
    outcomes = compare(scripted({"fault": "truncated", "after_chars": 80}), *FAST, "--max-attempts", "1")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 1)
        assert "before message_stop" in ours.stderr


def test_a_stall_mid_stream_is_a_read_timeout_then_a_restart(compare):
    outcomes = compare(scripted({"fault": "stall_mid_stream", "seconds": 3, "after_chars": 80}), *FAST)
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 2)
        assert "ReadTimeout" in ours.stderr


@pytest.mark.parametrize(
    "hint", [{"retry_after_ms": 400}, {"retry_after": 0.4}, {"retry_after": 2, "retry_after_date": True}]
)
def test_retry_after_is_honoured(compare, hint):
    """The wait is the server's (ms, seconds, or an HTTP date: whole seconds, so 1 to 2 s
    here), not the few milliseconds of backoff the flags allow; the gap between the two
    requests is at least that wait and at most WAIT_TOLERANCE more."""
    outcomes = compare(scripted({"fault": "status", "status": 429, **hint}), *FAST)
    low = 0.5 if hint.get("retry_after_date") else 0.4
    for who, outcome in outcomes.items():
        assert (outcome.code, outcome.stdout) == (0, ANSWER)
        (announced,) = announced_waits(outcome, who)
        assert low - 0.05 <= announced <= 2.0, (who, outcome.stderr)
        assert announced - 0.05 <= outcome.gaps[0] <= announced + WAIT_TOLERANCE, who
    assert all("(retry-after)" in ours.stderr for ours in programs(outcomes))


def test_a_retry_after_past_the_deadline_gives_up_at_once(compare):
    outcomes = compare(scripted({"fault": "status", "status": 529, "retry_after": 30}), *FAST, "--deadline", "5")
    for ours in programs(outcomes):
        assert (ours.code, len(ours.requests)) == (1, 1)
        assert "retry-after asks for 30.0 s" in ours.stderr


def test_the_deadline_ends_a_stalled_attempt(compare):
    """A stall shorter than the read timeout but past the deadline: the attempt ends at the
    deadline (the sync program caps its timeouts by the time left), and nothing is retried."""
    stall = scripted({"fault": "stall_mid_stream", "seconds": 4, "after_chars": 40})
    outcomes = compare(stall, *FAST, "--read-timeout", "10", "--deadline", "1")
    for ours in programs(outcomes):
        assert (ours.code, len(ours.requests)) == (1, 1)
        assert "the 1 s deadline ran out" in ours.stderr


def test_x_should_retry_overrides_the_status(compare):
    stop = compare(scripted({"fault": "status", "status": 529, "should_retry": False}), *FAST)
    go_on = compare(scripted({"fault": "status", "status": 400, "should_retry": True}), *FAST)
    assert [len(o.requests) for o in programs(stop)] == [1] * len(PROGRAMS)
    assert [(o.code, len(o.requests)) for o in programs(go_on)] == [(0, 2)] * len(PROGRAMS)


def test_attempts_run_out(compare):
    outcomes = compare(scripted(*[{"fault": "status", "status": 503}] * 3), *FAST, "--max-attempts", "3")
    for ours in programs(outcomes):
        assert (ours.code, len(ours.requests)) == (1, 3)
        assert "no attempts left (all 3 used)" in ours.stderr


def test_continue_sends_the_text_so_far_and_answers_whole(compare):
    """Mid-stream "continue": the second request carries the partial answer and a new user
    turn, exactly as claude-tui sends them, and the answer printed is the whole one."""
    outcomes = compare(scripted({"fault": "reset_mid_stream", "after_chars": 100}), *FAST, "--mid-stream", "continue")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout) == (0, ANSWER)
        second = ours.bodies[1]["messages"]
        assert [m["role"] for m in second] == ["user", "assistant", "user"]
        assert second[1]["content"] and ANSWER.startswith(second[1]["content"])


@pytest.mark.parametrize("jitter", ["full", "equal", "decorrelated", "none", "sdk", "additive"])
def test_backoff_waits_stay_within_the_jitter_bounds(compare, jitter):
    """Base = cap = 0.2 s: equal jitter waits 0.1 to 0.2 s, full 0 to 0.2 s, decorrelated
    0.2 s (drawn between the base and three times the last wait, then capped), none 0.2 s,
    sdk 0.15 to 0.2 s (a quarter less at most), additive 0.2 s (0.2 s plus up to 1 s, capped)."""
    flags = ("--jitter", jitter, "--base-delay", "0.2", "--max-delay", "0.2")
    outcomes = compare(scripted(*[{"fault": "status", "status": 500}] * 2), *flags)
    low = {"full": 0.0, "equal": 0.1, "decorrelated": 0.2, "none": 0.2, "sdk": 0.15, "additive": 0.2}[jitter]
    for who, outcome in outcomes.items():
        waits = announced_waits(outcome, who)
        assert len(waits) == 2 and all(low - 0.05 <= w <= 0.2 for w in waits), (who, outcome.stderr)
        assert all(w - 0.05 <= gap <= w + WAIT_TOLERANCE for w, gap in zip(waits, outcome.gaps, strict=True)), who


def test_system_prompt_and_model_settings_reach_the_body(compare, other_model):
    flags = ("--system", "Answer in one line.", "--max-tokens", "300", "--model", other_model)
    outcomes = compare(scripted(), *FAST, *flags)
    body = outcomes["sync"].bodies[0]
    assert (body["system"], body["max_tokens"], body["model"]) == ("Answer in one line.", 300, other_model)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            ("--thinking", "adaptive", "--effort", "high", "--stop", "X"),
            {"thinking": {"type": "adaptive"}, "output_config": {"effort": "high"}, "stop_sequences": ["X"]},
        ),
        (
            ("--model", "sim-model", "--thinking", "off", "--temperature", "0.2", "--stop", 'say "a, b"'),
            {"thinking": {"type": "disabled"}, "temperature": 0.2, "stop_sequences": ['say "a, b"']},
        ),
    ],
    ids=["thinking-effort-stop", "off-temperature"],
)
def test_thinking_effort_temperature_and_stop_reach_the_body_as_run_sends_them(compare, flags, expected):
    outcomes = compare(scripted(models=["sim-model"]), *FAST, *flags)
    body = outcomes["sync"].bodies[0]
    assert {key: body[key] for key in expected} == expected


@pytest.mark.parametrize("program", PROGRAMS)
def test_without_a_prompt_the_program_takes_its_arguments_or_stdin(play, program):
    """The prompt piped to ``python program.py`` as a process: a real stdin."""
    by_args = play(scripted(), *FAST, program=program, prompt=None, args=("Tell", "me"))
    by_stdin = play(scripted(), *FAST, program=program, prompt=None, stdin="Tell me", process=True)
    assert (by_args.code, by_args.stdout) == (0, answer_for("Tell me"))
    assert (by_stdin.code, by_stdin.stdout) == (0, answer_for("Tell me"))


def test_give_up_mid_stream_stops_at_the_first_failure_after_the_response_started(compare):
    """``--mid-stream give-up`` (what the SDK alone does): an SSE error mid-answer ends the
    run; a 529 before the response is still retried."""
    broken = compare(scripted({"fault": "sse_error", "after_chars": 60}), *FAST, "--mid-stream", "give-up")
    for ours in programs(broken):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 1)
        assert "after the response started is not retried" in ours.stderr
    before = compare(scripted({"fault": "status", "status": 529}), *FAST, "--mid-stream", "give-up")
    assert [(o.code, o.stdout, len(o.requests)) for o in programs(before)] == [(0, ANSWER, 2)] * len(PROGRAMS)


def test_fallback_after_two_overloads_names_the_next_model(compare):
    """529, 529, answer with ``--fallback sim-fallback --fallback-after 2``: the third
    request's body names the fallback model; the first two the request's own."""
    two = scripted({"fault": "status", "status": 529}, {"fault": "status", "status": 529}, models=["sim-fallback"])
    outcomes = compare(two, *FAST, "--fallback", "sim-fallback", "--fallback-after", "2")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 3)
        models = [body["model"] for body in ours.bodies]
        assert models[2] == "sim-fallback" and models[0] == models[1] != "sim-fallback"
        assert "attempt 3 uses sim-fallback" in ours.stderr


def test_a_model_not_found_moves_on_to_the_fallback_at_once(compare):
    """A 404 for the model is not retried, but the next model of the chain is tried at once."""
    outcomes = compare(
        scripted(models=["sim-fallback"]), *FAST, "--model", "no-such-model", "--fallback", "sim-fallback"
    )
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout) == (0, ANSWER)
        assert [body["model"] for body in ours.bodies] == ["no-such-model", "sim-fallback"]
        assert announced_waits(ours, "sync") == [0.0]


def test_only_the_policys_statuses_are_retried(compare):
    outcomes = compare(scripted({"fault": "status", "status": 529}), *FAST, "--retry-status", "500")
    for ours in programs(outcomes):
        assert (ours.code, len(ours.requests)) == (1, 1)
        assert "giving up: that is not retried" in ours.stderr


def test_server_hints_ignored_leave_the_status_and_the_backoff_to_decide(compare):
    """``--server-hints ignore``: a 30 s retry-after and x-should-retry: false on a 529 are
    both ignored (retried after the backoff's few milliseconds)."""
    hinted = scripted({"fault": "status", "status": 529, "retry_after": 30, "should_retry": False})
    outcomes = compare(hinted, *FAST, "--server-hints", "ignore")
    for who, outcome in outcomes.items():
        assert (outcome.code, len(outcome.requests)) == (0, 2), who
        assert all(wait < 0.1 for wait in announced_waits(outcome, who)), (who, outcome.stderr)


def test_no_stream_sends_one_create_and_prints_the_exact_answer(compare):
    outcomes = compare(scripted({"fault": "status", "status": 529}), *FAST, "--no-stream")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 2)
        assert all("stream" not in body for body in ours.bodies)


def test_no_stream_the_read_timeout_bounds_the_whole_answer(compare):
    """The whole answer takes 0.8 s: a 0.3 s read timeout fires on each of the 2 attempts,
    though the same answer streamed would arrive (its chunks come every few ms)."""
    chars = 80
    tokens = len(split_deltas(answer_for(PROMPT, chars=chars)))
    slow = scripted(answer_chars=chars, tokens_per_second=tokens / 0.8)
    flags = (*FAST, "--read-timeout", "0.3", "--max-attempts", "2")
    outcomes = compare(slow, *flags, "--no-stream")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 2)
        assert "Timeout" in ours.stderr
    streamed = compare(slow, *flags)
    assert [(o.code, o.stdout) for o in programs(streamed)] == [(0, answer_for(PROMPT, chars=chars))] * len(PROGRAMS)


@pytest.mark.parametrize("fault", ["truncated", "malformed_sse"])
def test_no_stream_a_broken_body_is_retried(compare, fault):
    outcomes = compare(scripted({"fault": fault, "after_chars": 40}), *FAST, "--no-stream")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (0, ANSWER, 2)


def test_a_retry_budget_ends_the_call_when_spent(compare):
    """One request earns 20 % of a retry, plus the minimum of 1: one retry, then the budget
    is spent (the core's words), though attempts are left."""
    three = scripted(*[{"fault": "status", "status": 529}] * 3)
    outcomes = compare(three, *FAST, "--retry-budget", "0.2", "--retry-budget-min", "1")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 2)
        assert "giving up: the retry budget is spent: 1 retries for 1 requests" in ours.stderr
    generous = compare(three, *FAST, "--retry-budget", "0.2", "--retry-budget-min", "3")
    assert [(o.code, len(o.requests)) for o in programs(generous)] == [(0, 4)] * len(PROGRAMS)


def test_a_circuit_breaker_refuses_the_attempt_after_its_overloads(compare):
    """Two 529s in a row open the circuit: the third attempt is not sent; an answer
    between the overloads keeps it closed."""
    three = scripted(*[{"fault": "status", "status": 529}] * 3)
    outcomes = compare(three, *FAST, "--breaker-after", "2")
    for ours in programs(outcomes):
        assert (ours.code, ours.stdout, len(ours.requests)) == (1, "", 2)
        assert "attempt 3 not sent: the circuit is open after 2 overloads in a row" in ours.stderr
    mixed = scripted({"fault": "status", "status": 529}, {"fault": "status", "status": 500})
    apart = compare(mixed, *FAST, "--breaker-after", "2")
    assert [(o.code, o.stdout, len(o.requests)) for o in programs(apart)] == [(0, ANSWER, 3)] * len(PROGRAMS)
