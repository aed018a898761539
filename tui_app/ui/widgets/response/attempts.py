"""The attempts panel: one row per attempt, updated in place, a live backoff countdown.

Rows are added once and their cells updated (``update_cell``), never recomposed per event:
a long answer is thousands of text deltas, so the streamed-characters cell is only marked
dirty per delta and written by the screen's ticker (``flush``) ten times a second.
Selecting a row (enter) posts :class:`AttemptsPanel.Inspect` so the screen can open the
attempt's details and partial text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from .... import present
from ....safe_text import one_line, visible
from ..table_cells import fit_columns, table_cell
from .timeline import AttemptTimeline

if TYPE_CHECKING:  # dispatch is on ``event.type``: the event classes load after the first frame
    from textual.app import ComposeResult
    from textual.widgets import DataTable

    from ....retry.events import AttemptError, AttemptStart, Cancelled, Event, ResponseStart, Success, TextDelta
    from ....retry.failures import Failure
    from ...run_state import RunState

COLUMNS = (
    ("#", "n"),
    ("start", "start"),
    ("dur", "dur"),
    ("outcome", "outcome"),
    ("chars", "chars"),
    ("request-id", "rid"),
)
COLUMN_KEYS = tuple(key for _label, key in COLUMNS)


@dataclass(slots=True)
class AttemptRecord:
    """Everything known about one attempt (the inspect modal shows it)."""

    number: int
    start: float
    model: str
    request_id: str | None = None
    chars: int = 0
    duration: float | None = None
    outcome: str = "connecting"
    failure: Failure | None = None
    error: AttemptError | None = None
    text: str = ""
    """What this attempt streamed: the answer, or the partial text a failure discarded."""
    fallback_reason: str = ""
    """Why this attempt uses the next model of the fallback chain ("" when it does not)."""
    request: dict[str, Any] | None = None
    """The request as sent, key masked (from ``response_start`` or ``attempt_error``)."""
    status: int | None = None
    """The response's HTTP status, once one came."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """The response's headers that explain a retry (request-id, retry-after, rate limits...)."""


class AttemptsPanel(Vertical):
    """Live table of attempts, the timeline beside it (wide terminals; in its place on narrow
    ones when toggled), and the countdown and rate-limit lines under them."""

    DEFAULT_CSS = """
    AttemptsPanel > #attempts-row {
        height: auto;
    }
    AttemptsPanel #attempt-table {
        height: auto;
    }
    """
    """The table and the timeline share a row as tall as the taller (app.tcss caps both)."""

    class Inspect(Message):
        """The user asked to see one attempt in full."""

        def __init__(self, record: AttemptRecord) -> None:
            super().__init__()
            self.record = record

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.records: dict[int, AttemptRecord] = {}
        self._dirty: set[int] = set()
        self._table: DataTable[str] | None = None
        self._mounting = False
        self.timeline = AttemptTimeline(id="timeline")
        """Kept at hand: ``apply`` feeds it every event, a query each time would cost."""
        self.backoff_hint = ""
        """What the user can do during a wait (keys included), shown under the countdown."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="attempts-row"):
            yield self.timeline
        yield Static("", id="countdown", markup=False)
        yield Static("", id="ratelimit", markup=False)

    async def mount_table(self) -> None:
        """Mount the table (idempotent), with a row per attempt recorded so far.

        The screen calls this after its first frame: an empty table's header costs a good
        part of that frame. Until then ``apply`` only keeps the records; the panel keeps its
        height (``min-height`` in app.tcss) so nothing moves when the table arrives.
        """
        if self._table is not None or self._mounting:
            return  # (a second caller while mounting: the screen's ``after_first_frame`` waits)
        self._mounting = True
        from textual.widgets import DataTable  # a module of its own, imported after the first frame

        table: DataTable[str] = DataTable(id="attempt-table", cursor_type="row", zebra_stripes=True)
        table.tooltip = "enter: inspect the attempt (failure details, partial text)"
        await self.query_one("#attempts-row").mount(table, before=0)
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        self._table = table
        for record in self.records.values():
            self._add_row(record)
        self._dirty.clear()

    @property
    def table(self) -> DataTable[str] | None:
        """The table, once mounted (see ``mount_table``)."""
        return self._table

    def toggle_timeline(self) -> None:
        """Wide: show or hide the timeline beside the table; narrow: swap it with the table.

        A table swapped out loses the focus; swapped back, it takes it again (when nothing
        else took it), so ``t`` twice leaves the user where they were."""
        self.toggle_class("-swap")
        self.call_after_refresh(self._refocus)

    def _refocus(self) -> None:
        table = self._table
        if table is not None and table.display and self.screen.focused is None:
            table.focus()

    def apply(self, event: Event) -> None:
        """Fold one event into the rows and the timeline."""
        self.timeline.apply(event)
        kind = event.type
        if kind == "text":
            delta = cast("TextDelta", event)
            if delta.attempt in self.records:
                self.records[delta.attempt].chars += len(delta.text)
                self._dirty.add(delta.attempt)
        elif kind == "run_start":
            self.records.clear()
            self._dirty.clear()
            if self._table is not None:
                self._table.clear()
        elif kind == "attempt_start":
            start = cast("AttemptStart", event)
            self._add(AttemptRecord(start.attempt, start.t, start.model, fallback_reason=start.fallback_reason))
            previous = self.records.get(start.attempt - 1)
            if start.fallback_reason and previous is not None:  # the row that made the chain move on
                self._update(previous.number, outcome=f"{previous.outcome} → {start.model}")
        elif kind == "response_start":
            self._responded(cast("ResponseStart", event))
        elif kind == "first_token":
            self._update(event.attempt, outcome="streaming")  # type: ignore[attr-defined]
        elif kind == "attempt_error":
            self._failed(cast("AttemptError", event))
        elif kind == "success":
            self._succeeded(cast("Success", event))
        elif kind == "cancelled":
            cancelled = cast("Cancelled", event)
            record = self.records.get(cancelled.attempt)
            if cancelled.during == "request" and record is not None:
                self._update(cancelled.attempt, duration=cancelled.t - record.start, outcome="cancelled")

    def _responded(self, event: ResponseStart) -> None:
        record = self.records.get(event.attempt)
        if record is not None:
            record.request, record.status = event.request, event.status
            record.response_headers = event.response_headers
        self._update(event.attempt, request_id=event.request_id, outcome="waiting")

    def _succeeded(self, event: Success) -> None:
        record = self.records.get(event.attempt)
        if record is not None:
            record.text = event.text
            self._update(
                event.attempt,
                duration=event.t - record.start,
                outcome=f"ok {event.stop_reason or ''}".strip(),
                chars=len(event.text),
            )

    def _add(self, record: AttemptRecord) -> None:
        self.records[record.number] = record
        if self._table is not None:
            self._add_row(record)

    def _add_row(self, record: AttemptRecord) -> None:
        assert self._table is not None
        cells = self._fit_columns()
        self._table.add_row(*cells[record.number], key=str(record.number))
        self._table.move_cursor(row=self._table.row_count - 1)

    def _failed(self, event: AttemptError) -> None:
        if event.attempt not in self.records:  # e.g. a run that failed before it started
            self._add(AttemptRecord(event.attempt, event.t, ""))
        record = self.records[event.attempt]
        failure = event.failure
        record.failure, record.error, record.text = failure, event, event.partial_text
        if event.request is not None:  # failed before its response_start: the error carries it
            record.request, record.response_headers = event.request, event.response_headers
        if failure is not None and failure.status is not None and record.status is None:
            record.status = failure.status
        outcome = _failure_outcome(failure) if failure else "failed"
        self._update(
            event.attempt,
            duration=event.duration,
            outcome=outcome,
            chars=len(event.partial_text),
            request_id=failure.request_id if failure else None,
        )

    def _update(self, number: int, **changes: object) -> None:
        record = self.records.get(number)
        if record is None:
            return
        for name, value in changes.items():
            if value is not None:
                setattr(record, name, value)
        self._dirty.add(number)
        self.flush()

    def flush(self) -> None:
        """Write dirty rows' cells (called per structural event and by the ticker)."""
        table = self._table
        if table is None:  # not mounted yet: mount_table writes every row
            return
        dirty = sorted(number for number in self._dirty if number in self.records)
        self._dirty.clear()
        if not dirty:
            return
        cells = self._fit_columns()
        for number in dirty:
            for (_label, key), value in zip(COLUMNS, cells[number], strict=True):
                table.update_cell(str(number), key, value, update_width=True)

    def _fit_columns(self) -> dict[int, tuple[str, ...]]:
        """Every record's cells, the columns sized for them (see ``fit_columns``)."""
        assert self._table is not None
        cells = {number: _cells(record) for number, record in self.records.items()}
        fit_columns(self._table, COLUMN_KEYS, cells.values())
        return cells

    def show_state(self, state: RunState, now: float) -> None:
        """The countdown (of a backoff, or of the read timeout while an attempt waits for a
        whole answer without streaming) and the last response's rate-limit headers."""
        self.timeline.show(state.elapsed(now), live=state.live)
        left, read_left = state.backoff_left(now), state.read_timeout_left(now)
        countdown = self.query_one("#countdown", Static)
        countdown.display = read_left is not None or (left is not None and state.backoff is not None)
        if read_left is not None:
            countdown.update(f"⏳ waiting for the whole answer · read timeout in {read_left:.1f} s")
        elif left is not None and state.backoff is not None:
            countdown.update(
                visible(f"⏳ {left:.1f} s left · {present.backoff_line(state.backoff)}")
                + (f"\n{self.backoff_hint}" if self.backoff_hint else "")
            )
        limits = self.query_one("#ratelimit", Static)
        text = one_line(ratelimit_summary(state.ratelimit))  # header values are the server's
        limits.display = bool(text)
        limits.update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        record = self.records.get(int(str(event.row_key.value)))
        if record is not None:
            self.post_message(self.Inspect(record))


def _cells(r: AttemptRecord) -> tuple[str, ...]:
    duration = "…" if r.duration is None else f"{r.duration:.1f}"
    cells = (str(r.number), f"{r.start:.1f}", duration, r.outcome, str(r.chars), r.request_id or "–")
    return tuple(table_cell(cell) for cell in cells)


def _failure_outcome(failure: Failure) -> str:
    """e.g. '529 overloaded_error', 'read_timeout', '200 overloaded_error (mid)'."""
    status = f"{failure.status} " if failure.status is not None else ""
    mid = " (mid)" if failure.mid_stream else ""
    return f"{status}{failure.label}{mid}"


def ratelimit_summary(headers: dict[str, str]) -> str:
    """'limits: requests 998/1000 · tokens 399000/400000 · reset 12:00:05' from the headers."""
    prefix = "anthropic-ratelimit-"
    parts = []
    for kind in ("requests", "tokens", "input-tokens", "output-tokens"):
        remaining, limit = headers.get(f"{prefix}{kind}-remaining"), headers.get(f"{prefix}{kind}-limit")
        if remaining is not None and limit is not None:
            parts.append(f"{kind} {remaining}/{limit}")
    reset = headers.get(f"{prefix}requests-reset") or headers.get(f"{prefix}tokens-reset")
    if reset:
        parts.append(f"reset {reset[11:19] if len(reset) >= 19 else reset}")
    return ("limits: " + " · ".join(parts)) if parts else ""
