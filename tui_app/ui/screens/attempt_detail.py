"""One attempt in full: what failed, why, its request-id, and the text it streamed.

A failed attempt's partial text is discarded from the answer (restart policy) but not
from the user's reach: this is where it can be read, selected and copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ... import present
from ...safe_text import one_line, visible
from ..widgets.safe_edit import SafeTextArea

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..widgets.response.attempts import AttemptRecord


class AttemptDetail(ModalScreen[None]):
    """Modal view of one :class:`AttemptRecord`."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="attempt-close", tooltip="Back to the main screen."),
        Binding("c", "copy", "Copy text", id="attempt-copy", tooltip="Copy the text this attempt streamed."),
    ]

    def __init__(self, record: AttemptRecord) -> None:
        super().__init__(classes="dialog")
        self.record = record

    def compose(self) -> ComposeResult:
        r = self.record
        with Vertical(classes="dialog-box wide"):
            yield Label(one_line(f"Attempt {r.number} · {r.outcome}"), classes="dialog-title", markup=False)
            yield Static(visible(self._facts()), classes="attempt-facts", markup=False)
            text = SafeTextArea(r.text, read_only=True, soft_wrap=True, id="partial-text")
            fate = "discarded: the attempt failed" if r.failure is not None else "the answer"
            text.border_title = f"streamed text, {len(r.text)} chars ({fate})"
            yield text
            yield Label("c copy text · escape close", classes="dialog-hint")

    def _facts(self) -> str:
        r = self.record
        lines = [
            f"model {r.model or '–'} · started at {present.seconds(r.start)} · lasted {present.seconds(r.duration)}",
            f"request-id {r.request_id or '– (no response)'}",
        ]
        if r.fallback_reason:
            lines.insert(1, f"fallback: {r.fallback_reason}, so this attempt uses {r.model}")
        if r.error is not None:
            lines.append(present.attempt_error_line(r.error))
        elif r.failure is not None:
            lines.append(present.failure_summary(r.failure))
        return "\n".join(lines)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.record.text)
        self.notify(f"Copied {len(self.record.text)} characters")

    def action_close(self) -> None:
        self.dismiss(None)
