"""A bug of ours in the middle of a run is shown as one, never retried as a "malformed stream".

Each test injects a bug into a function the attempt or the loop calls (from outside: the
product has no hook for it) and checks what the user gets: one attempt, an ``unexpected``
failure naming the exception's type and a crash log holding the traceback, and a
``non_retryable`` give-up.
"""

from __future__ import annotations

import tempfile

import pytest

from tests.core.fakes import FakeClient, Step, status_error
from tui_app import paths
from tui_app.retry import attempt, decide
from tui_app.retry.policy import RetryPolicy
from tui_app.retry.runner import Request, RetryRun

REQ = Request(prompt="hello", model="claude-sonnet-5-5", max_tokens=50)


def _raise(exc: BaseException):
    def broken(*args, **kwargs):
        raise exc

    return broken


async def _run(client, fake_time):
    run = RetryRun(REQ, client=client, policy=RetryPolicy(max_attempts=4), clock=fake_time.clock, sleep=fake_time.sleep)
    return [e async for e in run.events()]


def _crash_logs():
    return sorted(paths.crash_dir().glob("crash-*.log"))


# (module, function, the bug, streamed before it): reading the response's headers, the
# first token, a later delta, the usage of message_start, the stop reason at the end.
BUGS = [
    (attempt, "ratelimit_headers", KeyError("anthropic-ratelimit-requests-remaining")),
    (attempt, "FirstToken", TypeError("FirstToken() got an unexpected keyword argument 'ttft'")),
    (attempt, "TextDelta", AttributeError("'NoneType' object has no attribute 'text'")),
    (attempt, "_token_count", TypeError("'<' not supported between 'str' and 'int'")),
    (attempt, "_stop_reason", AttributeError("'Delta' object has no attribute 'stop_reason'")),
]


@pytest.mark.parametrize("module, name, bug", BUGS, ids=[name for _, name, _ in BUGS])
async def test_a_bug_while_reading_the_stream_is_unexpected_and_not_retried(monkeypatch, fake_time, module, name, bug):
    monkeypatch.setattr(module, name, _raise(bug))
    client = FakeClient([Step(chunks=["Hel", "lo"])])
    events = await _run(client, fake_time)

    assert len(client.calls) == 1, "a bug is never retried"
    [error] = [e for e in events if e.type == "attempt_error"]
    give_up = events[-1]
    assert (error.failure.kind, error.failure.retryable) == ("unexpected", False)
    assert give_up.type == "give_up" and give_up.reason == "non_retryable" and give_up.failure == error.failure
    assert give_up.detail == "a bug in claude-tui is not retried"
    [log] = _crash_logs()
    assert error.failure.message == (
        f"{type(bug).__name__} in claude-tui: {bug} — this is a bug, please report it with the crash log {log}"
    )
    report = log.read_text()
    assert "internal error in the retry core (attempt 1, claude-sonnet-5-5)" in report
    assert f"{type(bug).__name__}: {bug}" in report and "in run_attempt" in report and "in broken" in report


async def test_a_bug_in_the_loop_itself_ends_the_run_as_unexpected(monkeypatch, fake_time):
    """Planning the wait after a retryable 529 fails: no attempt error, the give-up says it."""
    monkeypatch.setattr(decide, "backoff_delay", _raise(ZeroDivisionError("float division by zero")))
    client = FakeClient([Step(before=status_error(529, "overloaded_error")), Step(chunks=["ok"])])
    events = await _run(client, fake_time)

    assert len(client.calls) == 1 and events[-1].type == "give_up" and events[-1].reason == "non_retryable"
    failure = events[-1].failure
    assert failure.kind == "unexpected" and failure.message.startswith("ZeroDivisionError in claude-tui")
    [log] = _crash_logs()
    assert str(log) in failure.message and "in _next_step" in log.read_text()


async def test_the_report_never_holds_the_api_key(monkeypatch, fake_time):
    key = "sk-ant-api03-MARKERmarker0123456789"
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    monkeypatch.setattr(attempt, "ratelimit_headers", _raise(KeyError(f"header x-api-key: {key}")))
    events = await _run(FakeClient([Step(chunks=["Hi"])]), fake_time)

    [log] = _crash_logs()
    report = log.read_text()
    assert key not in report and key not in events[-1].failure.message
    assert "sk-ant-…6789" in report and log.stat().st_mode & 0o777 == 0o600


async def test_the_crash_log_falls_back_to_the_temp_dir_then_to_none(monkeypatch, fake_time, tmp_path):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path / "file" / "data"))  # under a file: no dir
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    monkeypatch.setattr(attempt, "_stop_reason", _raise(TypeError("boom")))
    events = await _run(FakeClient([Step(chunks=["Hi"])]), fake_time)
    [log] = (tmp_path / "tmp").glob("crash-*.log")
    assert events[-1].failure.message.endswith(f"please report it with the crash log {log}")

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "file" / "tmp"))
    events = await _run(FakeClient([Step(chunks=["Hi"])]), fake_time)
    assert events[-1].failure.message == "TypeError in claude-tui: boom — this is a bug, please report it"
