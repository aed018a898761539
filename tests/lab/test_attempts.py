"""A simulated fault's failure is the classifier's own: the same kind, verdict and hints as
the SDK exception the wire gives for it (classified by ``retry/classify.py``)."""

from __future__ import annotations

import pytest

from tests.core.fakes import sse_error, status_error
from tui_app.lab.attempts import Speed, hint_headers, scripted
from tui_app.retry.classify import classify
from tui_app.simulator.steps import STATUS_ERROR_TYPES, Step

FIELDS = ("kind", "retryable", "status", "error_type", "retry_after", "should_retry", "mid_stream")


def _lab(step: Step, **kwargs):
    return scripted(step, chars=600, speed=Speed(), read_timeout=30.0, now=0.0, **kwargs).failure


@pytest.mark.parametrize("status", sorted(STATUS_ERROR_TYPES))
@pytest.mark.parametrize("hints", [{}, {"retry_after": 2.0, "should_retry": True}, {"retry_after_ms": 300.0}])
def test_a_status_step_is_classified_as_the_wire_gives_it(status, hints):
    step = Step(fault="status", status=status, **hints)
    wire = classify(status_error(status, STATUS_ERROR_TYPES[status], hint_headers(step, 0.0)))
    lab = _lab(step)
    assert [getattr(lab, f) for f in FIELDS] == [getattr(wire, f) for f in FIELDS]


@pytest.mark.parametrize("error_type", ["overloaded_error", "rate_limit_error", "api_error", "invalid_request_error"])
def test_an_error_event_mid_stream_is_classified_as_the_wire_gives_it(error_type):
    wire = classify(sse_error(error_type), streamed_chars=40, mid_stream=True)
    lab = _lab(Step(fault="sse_error", error_type=error_type, after_chars=40))
    assert [getattr(lab, f) for f in FIELDS] == [getattr(wire, f) for f in FIELDS]
    assert lab.streamed_chars == wire.streamed_chars == 40


@pytest.mark.parametrize(
    ("step", "read", "kind", "seconds", "mid_stream"),
    [
        (Step(fault="latency", seconds=2.0), 1.0, "read_timeout", 1.0, False),
        (Step(fault="stall_before_headers", seconds=2.0), 5.0, "connection_reset", 2.0, False),
        (Step(fault="stall_before_headers", seconds=2.0), 1.0, "read_timeout", 1.0, False),
        (Step(fault="stall_mid_stream", seconds=2.0, after_chars=40), 1.0, "read_timeout", 1.0 + 10 / 10 + 1.0, True),
        (Step(fault="reset_mid_stream", after_chars=40), 5.0, "connection_reset", 1.0 + 10 / 10, True),
        (Step(fault="truncated", after_chars=40), 5.0, "truncated_stream", 1.0 + 10 / 10, True),
        (Step(fault="malformed_sse", after_chars=40), 5.0, "malformed_stream", 1.0 + 10 / 10, True),
        (Step(fault="close_without_response"), 5.0, "connection_reset", 0.0, False),
    ],
)
def test_each_fault_fails_when_and_as_the_core_would_see_it(step, read, kind, seconds, mid_stream):
    """At 1 s to the first token and 10 tokens/s: 40 characters (10 tokens) take 1 s more."""
    outcome = scripted(step, chars=600, speed=Speed(1.0, 10.0), read_timeout=read, now=0.0)
    assert outcome.failure is not None
    assert (outcome.failure.kind, outcome.duration, outcome.failure.mid_stream) == (kind, seconds, mid_stream)
    assert outcome.failure.retryable


def test_a_stall_shorter_than_the_read_timeout_only_delays_the_answer():
    outcome = scripted(
        Step(fault="stall_mid_stream", seconds=2.0), chars=600, speed=Speed(1.0, 10.0), read_timeout=5.0, now=0.0
    )
    assert outcome.failure is None and outcome.duration == 1.0 + 150 / 10 + 2.0 and outcome.streamed_chars == 600
