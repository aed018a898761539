"""The timeline's model: events fold into lanes of segments, laid out on one time axis."""

from __future__ import annotations

from tests.samples import overloaded, success
from tui_app.retry.events import (
    AttemptError,
    AttemptStart,
    Backoff,
    Cancelled,
    FirstToken,
    GiveUp,
    ResponseStart,
    RunStart,
    TextDelta,
    ThinkingDelta,
)
from tui_app.retry.failures import Failure
from tui_app.ui.timeline_model import DEADLINE_MARK, Timeline, axis_ticks

from .conftest import synthetic_states


def fold(events) -> Timeline:
    timeline = Timeline()
    for event in events:
        timeline.apply(event)
    return timeline


def shape(timeline: Timeline) -> dict[int, list[tuple]]:
    return {
        n: [(s.kind, s.start, s.end, s.label) for s in lane.segments] + [lane.outcome]
        for n, lane in timeline.lanes.items()
    }


def test_a_retried_run_is_two_lanes_with_the_failure_and_the_wait_on_the_first():
    timeline = fold(synthetic_states()["done"])
    assert shape(timeline) == {
        1: [
            ("connecting", 0.0, 0.3, ""),
            ("failed", 0.3, 0.3, ""),
            ("backoff", 0.3, 2.3, "retry-after"),
            "529 overloaded",
        ],
        2: [("connecting", 2.3, 2.4, ""), ("waiting", 2.4, 2.5, ""), ("streaming", 2.5, 2.9, ""), "✓ end_turn"],
    }
    assert timeline.finished and timeline.deadline == 60.0
    assert timeline.now(elapsed=0.0) == 2.9  # over: the last event's time, whatever the clock


def test_while_live_the_open_segment_runs_to_now_and_a_wait_shows_what_is_left():
    timeline = fold(synthetic_states()["backing_off"])
    backoff = timeline.lanes[1].segments[-1]
    assert (backoff.kind, backoff.end, backoff.planned_end) == ("backoff", None, 2.3)
    assert timeline.now(elapsed=0.1) == 0.3  # never behind the events
    assert timeline.now(elapsed=1.0) == 1.0
    assert timeline.axis_end(1.0) == 2.3  # the whole wait is on the axis
    layout = timeline.layout(width=40, rows=5, now=1.0)
    ((_n, runs),) = layout.lanes
    kinds = [(r.kind, r.start, r.end) for r in runs if r.kind is not None]
    bar = layout.bar_width
    col = lambda t: int(t / 2.3 * bar)  # noqa: E731
    assert kinds == [
        ("connecting", 0, col(0.3)),
        ("failed", col(0.3), col(0.3) + 1),
        ("backoff", col(0.3) + 1, col(1.0)),
        ("due", col(1.0), col(2.3)),
    ]
    text = "".join(r.text for r in runs)
    assert "✗ retry-after·" in text and text.endswith("· 529 overloa…")  # the wait to come dotted; a third for words


def test_text_deltas_change_nothing_once_the_attempt_streams():
    timeline = fold(synthetic_states()["streaming"])
    before = shape(timeline)
    assert not timeline.apply(TextDelta(t=2.8, attempt=2, text="x" * 10_000))
    assert shape(timeline) == before


def test_thinking_comes_between_the_headers_and_the_first_token():
    timeline = fold(
        [
            RunStart(t=0.0, deadline=None),
            AttemptStart(t=0.0, attempt=1),
            ResponseStart(t=0.2, attempt=1),
            ThinkingDelta(t=0.5, attempt=1, text="hmm"),
            ThinkingDelta(t=0.9, attempt=1, text="more"),
            FirstToken(t=1.5, attempt=1, ttft=1.5),
            TextDelta(t=1.5, attempt=1, text="Hi"),
            success(2.0, 1, "Hi", request_id="r", output_tokens=1, ttft=1.5, tokens_per_s=2.0),
        ]
    )
    assert [(s.kind, s.start, s.end) for s in timeline.lanes[1].segments] == [
        ("connecting", 0.0, 0.2),
        ("waiting", 0.2, 0.5),
        ("thinking", 0.5, 1.5),
        ("streaming", 1.5, 2.0),
    ]


def test_text_without_a_first_token_event_still_starts_the_stream():
    timeline = fold([RunStart(t=0.0), AttemptStart(t=0.0, attempt=1), TextDelta(t=0.4, attempt=1, text="a")])
    assert [s.kind for s in timeline.lanes[1].segments] == ["connecting", "streaming"]


def test_a_near_deadline_is_marked_on_every_lane_a_far_one_named_at_the_axis_end():
    events = synthetic_states()["done"]
    near = fold([RunStart(t=0.0, max_attempts=4, deadline=4.0), *events[1:]])
    layout = near.layout(width=60, rows=5, now=near.now(None))
    assert layout.deadline_col == int(4.0 / 4.0 * layout.bar_width) - 1 and not layout.deadline_note
    for _n, runs in layout.lanes:
        marks = [r for r in runs if r.deadline]
        assert len(marks) == 1 and marks[0].start == layout.deadline_col and marks[0].text == DEADLINE_MARK
    far = fold(events).layout(width=60, rows=5, now=2.9)
    assert far.deadline_col is None and far.deadline_note == "deadline 60 s →"


def test_runs_cover_each_lane_and_the_outcome_follows_the_bar():
    timeline = fold(synthetic_states()["done"])
    layout = timeline.layout(width=60, rows=5, now=2.9)
    assert layout.label_width + layout.bar_width + len(" 529 overloaded") <= 60
    for _n, runs in layout.lanes:
        assert runs[0].start == 0 and all(a.end == b.start for a, b in zip(runs, runs[1:], strict=False))
        assert all(len(r.text) == r.end - r.start for r in runs)
        assert runs[-1].kind is None and runs[-1].start == layout.bar_width
    assert layout.lanes[1][1][-1].text.strip() == "✓ end_turn"


def test_only_the_latest_lanes_that_fit_are_laid_out():
    events: list = [RunStart(t=0.0, max_attempts=9)]
    for n in range(1, 8):
        events += [
            AttemptStart(t=n - 1.0, attempt=n),
            AttemptError(t=n - 0.5, attempt=n, failure=overloaded(f"r{n}")),
            Backoff(t=n - 0.5, attempt=n, delay=0.5),
        ]
    layout = fold(events).layout(width=60, rows=3, now=7.0)
    assert [n for n, _runs in layout.lanes] == [5, 6, 7] and layout.hidden == 4


def test_a_cancel_and_a_give_up_end_the_picture():
    start = [RunStart(t=0.0), AttemptStart(t=0.0, attempt=1), ResponseStart(t=0.1, attempt=1)]
    cancelled = fold([*start, Cancelled(t=0.7, attempt=1, during="request", elapsed=0.7)])
    assert shape(cancelled)[1] == [
        ("connecting", 0.0, 0.1, ""),
        ("waiting", 0.1, 0.7, ""),
        ("cancelled", 0.7, 0.7, ""),
        "cancelled",
    ]
    timeout = Failure(kind="read_timeout", retryable=True, message="silent")
    gave_up = fold(
        [
            *start,
            AttemptError(t=0.5, attempt=1, failure=timeout),
            Backoff(t=0.5, attempt=1, delay=9.0),
            GiveUp(t=1.0, attempt=1, reason="deadline", elapsed=1.0),
        ]
    )
    assert shape(gave_up)[1][-2:] == [("backoff", 0.5, 1.0, "backoff"), "read_timeout"]
    assert gave_up.finished and gave_up.axis_end(gave_up.now(None)) == 1.0  # the cut wait is not drawn on


def test_a_new_run_starts_a_new_picture():
    timeline = fold(synthetic_states()["done"])
    timeline.apply(RunStart(t=0.0, deadline=None))
    assert timeline.lanes == {} and not timeline.finished and timeline.deadline is None


def test_axis_ticks_are_round_apart_and_inside_the_bar():
    ticks = axis_ticks(2.9, 50)
    assert ticks[0] == (0, "0 s")
    assert [label for _col, label in ticks] == ["0 s", "0.5", "1", "1.5", "2", "2.5"]
    assert all(b[0] - a[0] >= 8 for a, b in zip(ticks, ticks[1:], strict=False))
    assert [label for _c, label in axis_ticks(95.0, 50)] == ["0 s", "30", "60", "90"][: len(axis_ticks(95.0, 50))]
    assert all(col + len(label) <= 50 for col, label in axis_ticks(95.0, 50))
