"""The timeline beside the attempts table: one lane per attempt on a shared time axis.

Drawn as styled ``Content`` (coloured cells with the theme's variables, like the banner),
not with textual-plot: a plot widget draws points and lines on a braille canvas with axes
of its own, while this is a Gantt-like picture of a few lanes one cell high, whose
segments must line up with text (the backoff's reason, the failure's kind) and follow the
theme. The model (``ui/timeline_model.py``) does the folding and the column maths; this
widget maps kinds to colours.

Cheap: ``apply`` is O(1) per event and redraws only when the picture changed (never per
text delta once an attempt streams); ``show`` redraws on the screen's tick while the run
is live; a frame costs O(lanes x width).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from ...timeline_model import DEADLINE_MARK, Timeline

if TYPE_CHECKING:
    from ....retry.events import Event
    from ...timeline_model import Layout, Run, RunKind

STYLES: dict[RunKind, str] = {
    "connecting": "$foreground on $panel-lighten-2",
    "waiting": "$foreground on $primary",
    "thinking": "$foreground on $accent-muted",
    "streaming": "$background on $success",
    "failed": "bold $foreground on $error",
    "cancelled": "bold $background on $warning",
    "backoff": "$background on $warning",
    "due": "$warning",
}
"""A colour per segment kind, from the theme: every built-in theme works. "due", the rest of
a backoff still to wait, is the model's dotted line in the backoff's colour."""
LEGEND: tuple[tuple[RunKind, str], ...] = (
    ("connecting", "connect"),
    ("waiting", "wait"),
    ("thinking", "think"),
    ("streaming", "stream"),
    ("failed", "✗ fail"),
    ("backoff", "backoff"),
)
MUTED = "$text-muted"
DEADLINE = "bold $error"


class AttemptTimeline(Widget):
    """Lanes, then the axis, then the legend; nothing at all before the first attempt."""

    DEFAULT_CSS = """
    AttemptTimeline {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = Timeline()
        self._elapsed: float | None = None

    def apply(self, event: Event) -> None:
        """Fold one event in; redraw only when the picture changed."""
        lanes = len(self.model.lanes)
        if self.model.apply(event):
            self.refresh(layout=len(self.model.lanes) != lanes)

    def show(self, elapsed: float | None, *, live: bool) -> None:
        """The run's elapsed time on the screen's clock (the tick): live lanes grow."""
        self._elapsed = elapsed
        if live and self.model.lanes and not self.model.finished:
            self.refresh()

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.model.lanes) + 2 if self.model.lanes else 0

    def render(self) -> Content:
        if not self.model.lanes or self.size.width < 10:
            return Content("")
        width = self.size.width
        now = self.model.now(self._elapsed)
        layout = self.model.layout(width, max(self.size.height - 2, 1), now)
        lines = [_lane_line(number, runs, layout) for number, runs in layout.lanes]
        lines.append(_axis_line(layout, width))
        lines.append(_legend(width))
        return Content("\n").join(lines)


def _lane_line(number: int, runs: tuple[Run, ...], layout: Layout) -> Content:
    label = Content.styled(f"{number:<{layout.label_width}}", MUTED)
    return Content.assemble(label, *(_run(run) for run in runs))


def _run(run: Run) -> Content | tuple[str, str]:
    if run.kind is None:
        return (run.text, DEADLINE if run.deadline else MUTED)
    style = STYLES[run.kind]
    if run.deadline:  # the mark in the deadline's colour over the segment's background
        return (run.text, f"{DEADLINE} {style[style.index(' on ') :]}" if " on " in style else DEADLINE)
    return (run.text, style)


def _axis_line(layout: Layout, width: int) -> Content:
    """Tick labels at their columns, then the deadline: its mark in its column with the word
    after it when it is on the axis, else where it is ('deadline 60 s →') at the right."""
    cells = [" "] * (width - layout.label_width)
    for col, label in layout.ticks:
        cells[col : col + len(label)] = label
    axis = Content.styled("".join(cells[: layout.bar_width]).rstrip(), MUTED)
    note, at = layout.deadline_note, len(cells) - len(layout.deadline_note)
    if layout.deadline_col is not None:
        note = f"{DEADLINE_MARK} deadline"
        at = min(layout.deadline_col, len(cells) - len(note))
    left = f"+{layout.hidden}" if layout.hidden else ""
    margin = Content.styled(f"{left:<{layout.label_width}}", MUTED)
    if not note or at < 0:
        return Content.assemble(margin, axis)
    axis = axis.truncate(max(at - 1, 0), pad=True)
    return Content.assemble(margin, axis, " " if at > 0 else "", Content.styled(note, DEADLINE))


def _legend(width: int) -> Content:
    """What each colour means (the axis line names the deadline's mark)."""
    chips = [Content.styled(f" {words} ", STYLES[kind]) for kind, words in LEGEND]
    return Content.assemble(*chips).truncate(width, ellipsis=True)
