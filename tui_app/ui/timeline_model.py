"""The run as a picture: one lane per attempt on a shared time axis, folded from events.

Pure data, like ``run_state``: events go in, lanes and column layouts come out, with the
time passed in rather than read, so the live run, a replay and a snapshot test draw the
same picture from the same events. The widget (``widgets/response/timeline.py``) only maps
segment kinds to theme colours.

Cheap by construction: an event changes at most the open segment of one lane (a text
delta changes nothing once its attempt streams), and a layout costs O(lanes x width),
never anything proportional to the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # dispatch is on ``event.type``: the event classes load after the first frame
    from ..retry import events as ev

SegmentKind = Literal["connecting", "waiting", "thinking", "streaming", "failed", "cancelled", "backoff"]
RunKind = SegmentKind | Literal["due"]
"""What a cell shows: a segment's kind, or "due", the rest of a backoff still to wait."""
POINT_KINDS = frozenset({"failed", "cancelled"})
"""Moments, not spans: drawn as one cell on top of whatever the lane shows there."""
POINT_MARKS = {"failed": "✗", "cancelled": "■"}
DEADLINE_MARK = "┊"
DUE_MARK = "·"
"""The rest of a backoff still to wait: a dotted line, the plan rather than the past."""
_BEFORE_TEXT = frozenset({"connecting", "waiting", "thinking"})


@dataclass(slots=True)
class Segment:
    kind: SegmentKind
    start: float
    end: float | None = None
    """None while it lasts: drawn up to "now"."""
    label: str = ""
    """The backoff's reason ("retry-after", "backoff"), drawn inside when it fits."""
    planned_end: float | None = None
    """A backoff's due end (start + delay): the rest of the wait is drawn ahead of now."""


@dataclass(slots=True)
class Lane:
    attempt: int
    segments: list[Segment] = field(default_factory=list)
    outcome: str = ""
    """The words after the lane: the failure's status and kind, the stop reason, ..."""

    @property
    def open(self) -> Segment | None:
        last = self.segments[-1] if self.segments else None
        return last if last is not None and last.end is None else None

    def close(self, t: float) -> None:
        if (segment := self.open) is not None:
            segment.end = max(t, segment.start)

    def move_to(self, kind: SegmentKind, t: float) -> None:
        """The attempt entered a new phase at ``t``: the open one ends there."""
        self.close(t)
        self.segments.append(Segment(kind, t))


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of cells of one lane: ``kind`` None is empty (or, after the bar, the
    outcome's words); ``text`` is exactly the run's width."""

    start: int
    end: int
    kind: RunKind | None
    text: str
    deadline: bool = False
    """The deadline's cell (one wide): drawn as a mark over whatever is there."""


@dataclass(frozen=True, slots=True)
class Layout:
    """A frame of the picture at one width: what the widget draws."""

    label_width: int
    bar_width: int
    lanes: tuple[tuple[int, tuple[Run, ...]], ...]
    """(attempt, runs) per lane shown, oldest first."""
    hidden: int
    """Earlier lanes left out for want of rows."""
    ticks: tuple[tuple[int, str], ...]
    deadline_col: int | None
    """The deadline's column, when it is on the axis."""
    deadline_note: str
    """Where the deadline is when it is off the axis, e.g. 'deadline 60 s →'."""


@dataclass(slots=True)
class Timeline:
    """Lanes of the current (or last) run."""

    lanes: dict[int, Lane] = field(default_factory=dict)
    deadline: float | None = None
    last_t: float = 0.0
    finished: bool = False

    def apply(self, event: ev.Event) -> bool:
        """Fold one event in; True when the picture changed (the widget redraws)."""
        kind = event.type
        self.last_t = max(self.last_t, event.t)
        if kind == "text" or kind == "thinking":
            lane = self.lanes.get(event.attempt)  # type: ignore[attr-defined]
            open_ = lane.open if lane else None
            if lane is None or open_ is None or open_.kind not in _BEFORE_TEXT:
                return False  # the usual delta: nothing to draw
            if kind == "thinking" and open_.kind != "thinking":
                lane.move_to("thinking", event.t)
            elif kind == "text":
                lane.move_to("streaming", event.t)
            return True
        handler = _HANDLERS.get(kind)
        if handler is None:
            return False
        handler(self, event)
        return True

    def now(self, elapsed: float | None) -> float:
        """Run time to draw up to: the last event's once over, else the clock's elapsed time
        (never behind the events: a replay at full speed outruns the clock)."""
        if self.finished or elapsed is None:
            return self.last_t
        return max(elapsed, self.last_t)

    def axis_end(self, now: float) -> float:
        """The axis's right end: now, a pending backoff's due end, and the deadline when it is
        near enough (within half again of the rest) to be worth the room."""
        end = max(now, 0.1)
        for lane in self.lanes.values():
            open_ = lane.open
            if open_ is not None and open_.planned_end is not None:
                end = max(end, open_.planned_end)
        if self.deadline is not None and self.deadline <= end * 1.5:
            end = max(end, self.deadline)
        return end

    def layout(self, width: int, rows: int, now: float) -> Layout:
        """The picture ``width`` cells wide with room for ``rows`` lanes (the latest shown)."""
        numbers = list(self.lanes)[-rows:] if rows > 0 else []
        label_width = len(str(max(self.lanes, default=1))) + 1
        tail_width = min(max((len(self.lanes[n].outcome) for n in numbers), default=0) + 1, width // 3)
        bar_width = max(width - label_width - tail_width, 1)
        span = self.axis_end(now)
        deadline_col = None
        note = ""
        if self.deadline is not None:
            if self.deadline <= span:
                deadline_col = min(_col(self.deadline, span, bar_width), bar_width - 1)
            else:
                note = f"deadline {self.deadline:g} s →"
        lanes = tuple(
            (
                n,
                _lane_runs(
                    self.lanes[n], now, span, bar_width, tail_width, finished=self.finished, deadline=deadline_col
                ),
            )
            for n in numbers
        )
        return Layout(
            label_width,
            bar_width,
            lanes,
            hidden=len(self.lanes) - len(numbers),
            ticks=axis_ticks(span, bar_width),
            deadline_col=deadline_col,
            deadline_note=note,
        )


def _col(t: float, span: float, width: int) -> int:
    return max(0, min(width, int(t / span * width)))


def _lane_runs(
    lane: Lane, now: float, span: float, width: int, tail: int, *, finished: bool, deadline: int | None
) -> tuple[Run, ...]:
    """The lane's cells as runs: spans first, moments on top, labels inside, the outcome after."""
    kinds: list[RunKind | None] = [None] * width
    chars = [" "] * width
    for segment in lane.segments:
        if segment.kind in POINT_KINDS:
            continue
        end = segment.end if segment.end is not None else (segment.start if finished else now)
        start_col = min(_col(segment.start, span, width), width - 1)
        end_col = max(start_col + 1, _col(end, span, width))
        kinds[start_col:end_col] = [segment.kind] * (end_col - start_col)
        if segment.end is None and segment.planned_end is not None and segment.planned_end > end:
            due = max(end_col, _col(segment.planned_end, span, width))
            kinds[end_col:due] = ["due"] * (due - end_col)
            chars[end_col:due] = DUE_MARK * (due - end_col)
            end_col = due
        if segment.label and end_col - start_col >= len(segment.label) + 3:  # clear of a ✗ at its start
            chars[start_col + 1 : start_col + 2 + len(segment.label)] = " " + segment.label
    for point in lane.segments:
        if point.kind in POINT_KINDS:
            col = min(_col(point.start, span, width), width - 1)
            kinds[col], chars[col] = point.kind, POINT_MARKS[point.kind]
    if deadline is not None and chars[deadline] == " ":
        chars[deadline] = DEADLINE_MARK
    runs: list[Run] = []
    start = 0
    for i in range(1, width + 1):
        if i == width or kinds[i] != kinds[start] or i == deadline or start == deadline:
            runs.append(Run(start, i, kinds[start], "".join(chars[start:i]), deadline=start == deadline))
            start = i
    if tail > 1 and lane.outcome:
        runs.append(Run(width, width + tail, None, " " + _fit(lane.outcome, tail - 1).ljust(tail - 1)))
    return tuple(runs)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


_STEPS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


def axis_ticks(span: float, width: int, min_gap: int = 8) -> tuple[tuple[int, str], ...]:
    """Tick columns and labels: the smallest round step that leaves ``min_gap`` cells
    between labels; the first label says the unit ("0 s")."""
    step = next((s for s in _STEPS if s / span * width >= min_gap), _STEPS[-1])
    ticks = []
    for i in range(int(math.floor(span / step + 1e-9)) + 1):
        t = i * step
        col = _col(t, span, width)
        label = "0 s" if i == 0 else f"{t:g}"
        if col + len(label) <= width:
            ticks.append((col, label))
    return tuple(ticks)


def failure_words(failure: object) -> str:
    """'529 overloaded', 'read_timeout': what failed, by kind (the table has the error type)."""
    status = getattr(failure, "status", None)
    kind = getattr(failure, "kind", "failed")
    return f"{status} {kind}" if status is not None else str(kind)


def _run_start(tl: Timeline, e: ev.RunStart) -> None:
    tl.lanes.clear()
    tl.deadline, tl.last_t, tl.finished = e.deadline, e.t, False


def _attempt_start(tl: Timeline, e: ev.AttemptStart) -> None:
    for lane in tl.lanes.values():
        lane.close(e.t)  # the wait before this attempt
    tl.lanes[e.attempt] = Lane(e.attempt, [Segment("connecting", e.t)])


def _response_start(tl: Timeline, e: ev.ResponseStart) -> None:
    lane = tl.lanes.get(e.attempt)
    if lane is not None and lane.open is not None and lane.open.kind == "connecting":
        lane.move_to("waiting", e.t)


def _first_token(tl: Timeline, e: ev.FirstToken) -> None:
    lane = tl.lanes.get(e.attempt)
    if lane is not None and lane.open is not None and lane.open.kind in _BEFORE_TEXT:
        lane.move_to("streaming", e.t)


def _attempt_error(tl: Timeline, e: ev.AttemptError) -> None:
    lane = tl.lanes.setdefault(e.attempt, Lane(e.attempt))
    lane.close(e.t)
    lane.segments.append(Segment("failed", e.t, e.t))
    lane.outcome = failure_words(e.failure) if e.failure is not None else "failed"


def _backoff(tl: Timeline, e: ev.Backoff) -> None:
    lane = tl.lanes.setdefault(e.attempt, Lane(e.attempt))
    lane.close(e.t)
    lane.segments.append(Segment("backoff", e.t, label=e.reason, planned_end=e.t + e.delay))


def _success(tl: Timeline, e: ev.Success) -> None:
    tl.finished = True
    lane = tl.lanes.get(e.attempt)
    if lane is not None:
        lane.close(e.t)
        lane.outcome = f"✓ {e.stop_reason or 'ok'}"


def _end_all(tl: Timeline, t: float, attempt: int) -> Lane | None:
    """The run ended at ``t`` with no answer: every lane closes; the lane of ``attempt``."""
    tl.finished = True
    for each in tl.lanes.values():
        each.close(t)
    return tl.lanes.get(attempt)


def _give_up(tl: Timeline, e: ev.GiveUp) -> None:
    lane = _end_all(tl, e.t, e.attempt)
    if lane is not None and not lane.outcome:
        lane.outcome = f"gave up: {e.reason}"


def _cancelled(tl: Timeline, e: ev.Cancelled) -> None:
    lane = _end_all(tl, e.t, e.attempt)
    if lane is not None:
        lane.segments.append(Segment("cancelled", e.t, e.t))
        lane.outcome = "cancelled"


_HANDLERS: dict[str, Any] = {
    "run_start": _run_start,
    "attempt_start": _attempt_start,
    "response_start": _response_start,
    "first_token": _first_token,
    "attempt_error": _attempt_error,
    "backoff": _backoff,
    "success": _success,
    "give_up": _give_up,
    "cancelled": _cancelled,
}
