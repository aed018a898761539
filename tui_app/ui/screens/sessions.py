"""The sessions screen: searchable history, preview, replay, re-run, export, delete.

Replay and re-run are not done here: the screen closes and hands the session to the main
screen, whose panels consume recorded events exactly as they consume live ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ... import present
from ...safe_text import visible
from ..widgets.response.markdown_lines import MarkdownLines
from ..widgets.status.footer import KeyFooter
from ..widgets.table_cells import fit_columns, table_cell
from .dialogs import AskText, PickOne

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...store.sessions import SessionSummary

LIST_LIMIT = 200
LIST_COLUMNS = ("id", "when", "status", "tries", "model", "prompt")
REPLAY_SPEEDS = {"1x": 1.0, "10x": 10.0, "max": None}


class SessionsScreen(Screen[None]):
    """Browse recorded sessions; ``dismiss`` with nothing, act through the main screen."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="sessions-close", tooltip="Back to the prompt."),
        Binding(
            "ctrl+f",
            "focus_search",
            "Search",
            id="sessions-search",
            tooltip="Full-text search over prompts and answers.",
        ),
        Binding("enter", "replay('1x')", "Replay", id="sessions-replay", tooltip="Replay at the recorded pace."),
        Binding("f", "replay('10x')", "Replay 10x", id="sessions-replay-fast", tooltip="Replay ten times faster."),
        Binding("m", "replay('max')", "Replay max", id="sessions-replay-max", tooltip="Replay without waits."),
        Binding(
            "r",
            "rerun",
            "Re-run",
            id="sessions-rerun",
            tooltip="Send the same prompt again with the session's settings (linked to it).",
        ),
        Binding("e", "export", "Export", id="sessions-export", tooltip="Write the session as Markdown or JSON."),
        Binding("d,delete", "delete", "Delete", id="sessions-delete", tooltip="Delete the session (asks first)."),
    ]

    def __init__(self, store: Any, main: Any) -> None:
        super().__init__(id="sessions")
        self.store = store
        self.main = main
        """The main screen: replay and re-run happen there."""
        self._detail: Any = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search prompts and answers…", id="session-search")
        with Horizontal(id="sessions-body"):
            table: DataTable[str] = DataTable(id="session-list", cursor_type="row")
            table.border_title = "Sessions"
            yield table
            with VerticalScroll(id="session-preview"):
                yield Static("", id="session-facts", markup=False)
                yield MarkdownLines("", id="session-answer")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in LIST_COLUMNS:
            table.add_column(label, key=label)
        self._load("")
        table.focus()

    def _load(self, search: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        try:
            sessions = self.store.list_sessions(search=search or None, limit=LIST_LIMIT)
        except Exception as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        rows = [(s.id, _list_cells(s)) for s in sessions]
        fit_columns(table, LIST_COLUMNS, (cells for _id, cells in rows))
        for session_id, cells in rows:
            table.add_row(*cells, key=str(session_id))
        if not sessions:
            self._show(None)

    @on(Input.Submitted, "#session-search")
    @on(Input.Changed, "#session-search")
    def _search(self, event: Input.Changed | Input.Submitted) -> None:
        self._load(event.value.strip())

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        try:
            detail = self.store.get_session(int(str(event.row_key.value)))
        except Exception as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        self._show(detail)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_replay("1x")

    def _show(self, detail: Any) -> None:
        self._detail = detail
        facts, answer = self.query_one("#session-facts", Static), self.query_one("#session-answer", MarkdownLines)
        if detail is None:
            facts.update("No sessions match." if self.query_one(Input).value else "No sessions recorded yet.")
            answer.show("")
            return
        facts.update(visible(_facts(detail)))  # recorded prompts, answers and errors are outside text
        answer.show(detail.response or detail.partial_text or "*(no answer)*")  # drawn escaped

    # -- actions ---------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_replay(self, speed: str) -> None:
        if self._detail is not None:
            detail = self._detail
            self.dismiss(None)
            self.main.replay(detail, REPLAY_SPEEDS[speed])

    def action_rerun(self) -> None:
        if self._detail is not None:
            detail = self._detail
            self.dismiss(None)
            self.main.rerun(detail)

    def action_export(self) -> None:
        if self._detail is None:
            return
        detail = self._detail
        default = f"claude-tui-session-{detail.id}.md"

        def write(path: str | None) -> None:
            if path:
                self._export(detail, Path(path).expanduser())

        self.app.push_screen(AskText("Export to (.md or .json)", value=default), write)

    def _export(self, detail: Any, path: Path) -> None:
        from ...store.export import export_session

        fmt = "json" if path.suffix.lower() == ".json" else "md"
        try:
            path.write_text(export_session(detail, fmt), encoding="utf-8")
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror or exc}", title="Export", severity="error")
            return
        self.notify(f"Session {detail.id} written to {path}", title="Export")

    def action_delete(self) -> None:
        if self._detail is None:
            return
        session_id = self._detail.id

        def confirmed(choice: str | None) -> None:
            if choice != "Delete":
                return
            try:
                self.store.delete_session(session_id)
            except Exception as exc:
                self.notify(str(exc), title="Sessions", severity="error")
                return
            self.notify(f"Session {session_id} deleted.")
            self._load(self.query_one(Input).value.strip())

        self.app.push_screen(PickOne(f"Delete session {session_id}?", ["Keep", "Delete"]), confirmed)


def _list_cells(s: SessionSummary) -> tuple[str, ...]:
    """One session's row in the list: safe, one line each."""
    prompt = " ".join(s.prompt.split())[:60]
    cells = (str(s.id), s.created_at[5:16].replace("T", " "), s.status, str(s.attempts), s.model, prompt)
    return tuple(map(table_cell, cells))


def _facts(d: Any) -> str:
    """The header of the preview: what, when, how it went (wording from ``present``)."""
    lines = [
        f"#{d.id} · {d.created_at} · {d.status}" + (f" ({d.error})" if d.error else ""),
        f"{d.model} · {d.attempts} attempt(s) · {present.seconds(d.elapsed)}"
        + (f" · {d.input_tokens or 0} in/{d.output_tokens or 0} out" if d.output_tokens is not None else ""),
    ]
    if d.parent_id is not None:
        lines.append(f"re-run of #{d.parent_id}")
    lines += ["", "Prompt:", d.prompt, "", "Answer:"]
    return "\n".join(lines)


def settings_from_session(data: dict[str, Any], fallback: Any) -> Any:
    """The ``RunSettings`` a session ran with (its stored ``to_dict()``, any version), for a re-run.

    Read by ``settings_from_record``, the one reader of stored settings; anything missing or
    invalid (an old record, a preset since removed) gives None and the caller falls back.
    """
    from ...settings import settings_from_record

    try:
        return settings_from_record(data)
    except ValueError:
        return None
