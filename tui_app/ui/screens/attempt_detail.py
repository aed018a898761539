"""One attempt in full: what failed, why, the request as sent, the response, its text.

A failed attempt's partial text is discarded from the answer (restart policy) but not
from the user's reach: this is where it can be read, selected and copied. Beside it, the
request inspector: the request as the SDK sent it (key masked, from the events, so a
replayed session shows it too) and the response's status and headers, each copyable, and
the request as a curl command reading the key from ``$ANTHROPIC_API_KEY``. The text is
made by :mod:`tui_app.inspect_request`, which knows nothing of Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TabbedContent, TabPane

from ... import inspect_request, present
from ...safe_text import one_line, visible
from ..widgets.safe_edit import SafeTextArea

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import ComposeResult

    from ..widgets.response.attempts import AttemptRecord

NO_REQUEST = (
    "No request was recorded for this attempt: it ended before the SDK sent one or before"
    " anything answered (a timeout, a cancel), or the session was recorded before the inspector."
)


class AttemptDetail(ModalScreen[None]):
    """Modal view of one :class:`AttemptRecord`: text, request and response in tabs."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="attempt-close", tooltip="Back to the main screen."),
        Binding("c", "copy", "Copy text", id="attempt-copy", tooltip="Copy the text this attempt streamed."),
        Binding(
            "r",
            "copy_request",
            "Copy request",
            id="attempt-copy-request",
            tooltip="Copy the request as sent (method, URL, headers with the key masked, JSON body).",
        ),
        Binding(
            "u",
            "copy_curl",
            "Copy as curl",
            id="attempt-copy-curl",
            tooltip="Copy a curl command sending the same request, the key read from $ANTHROPIC_API_KEY.",
        ),
    ]

    def __init__(self, record: AttemptRecord) -> None:
        super().__init__(classes="dialog")
        self.record = record

    def compose(self) -> ComposeResult:
        r = self.record
        with Vertical(classes="dialog-box wide"):
            yield Label(one_line(f"Attempt {r.number} · {r.outcome}"), classes="dialog-title", markup=False)
            yield Static(visible(self._facts()), classes="attempt-facts", markup=False)
            with TabbedContent(initial="attempt-text-tab"):
                with TabPane("Text", id="attempt-text-tab"):
                    text = SafeTextArea(r.text, read_only=True, soft_wrap=True, id="partial-text")
                    fate = "discarded: the attempt failed" if r.failure is not None else "the answer"
                    text.border_title = f"streamed text, {len(r.text)} chars ({fate})"
                    yield text
                with TabPane("Request", id="attempt-request-tab"):
                    shown = inspect_request.request_text(r.request) if r.request is not None else NO_REQUEST
                    yield SafeTextArea(shown, read_only=True, soft_wrap=True, id="request-text")
                with TabPane("Response", id="attempt-response-tab"):
                    response = inspect_request.response_text(r.status, r.response_headers)
                    yield SafeTextArea(response, read_only=True, soft_wrap=True, id="response-text")
            yield Label("c copy text · r copy request · u copy as curl · escape close", classes="dialog-hint")

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

    def action_copy_request(self) -> None:
        self._copy_request(inspect_request.request_text, "the request (key masked)")

    def action_copy_curl(self) -> None:
        self._copy_request(inspect_request.curl_command, "the request as curl (key from $ANTHROPIC_API_KEY)")

    def _copy_request(self, render: Callable[[dict[str, Any]], str], what: str) -> None:
        request = self.record.request
        if request is None:
            self.notify("No request was recorded for this attempt: nothing to copy", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(render(request))
        self.notify(f"Copied {what}", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
