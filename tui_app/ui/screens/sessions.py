"""The sessions screen: searchable history, preview, replay, re-run, export, delete.

Nothing here waits for the database on the event loop: the list (a page of ``PAGE_ROWS``
at a time, the next one once the cursor nears the end), each search (once typing pauses for
``SEARCH_PAUSE``) and each preview are read in a worker thread, and a preview reads only
what it shows (``SessionStore.get_preview``: the first ``PREVIEW_CHARS`` of the answer, not
the tens of thousands of deltas a long answer is recorded as). Nor does drawing the list
stall it: ``SessionList`` draws only its visible rows, each a ready-made line. Replay and
re-run are not done here: the screen is dismissed with a ``SessionChoice`` and whoever
pushed it (the main screen) plays or sends the session.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rich.cells import cell_len
from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from ...safe_text import one_line, visible
from ...store.errors import StoreError
from ...store.filters import SessionFilter, parse_words
from ..widgets.response.markdown_lines import MarkdownLines, render_markdown
from ..widgets.session_list import ListPage, SessionList
from ..widgets.status.footer import KeyFooter
from .dialogs import AskText, PickOne
from .session_text import facts, list_cells

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import ComposeResult
    from textual.strip import Strip
    from textual.timer import Timer

    from ...store.records import SessionPreview
    from ...store.sessions import SessionStore

PAGE_ROWS = 200
"""Sessions read at a time; the next page is read when the cursor comes near its end."""
LIST_COLUMNS = ("id", "when", "status", "tries", "model", "backend", "prompt")
STATUS_CYCLE = (None, "failed", "ok", "cancelled", "interrupted", "running")
"""What ``s`` steps the status filter through (None: any)."""
BACKEND_CYCLE = (None, "sim", "api", "unknown")
REPLAY_SPEEDS = {"1x": 1.0, "10x": 10.0, "max": None}
SEARCH_PAUSE = 0.15
"""Seconds after the last key typed in the search box before the search runs."""
PREVIEW_EVERY = 0.1
"""Seconds between two previews while the cursor keeps moving (a held-down key): each one
lays out and paints half the screen, and only the one the cursor stops on is read."""


class PreviewAnswer(MarkdownLines):
    """The preview's answer, whose lines may come already rendered (by a worker thread)."""

    def show_rendered(self, source: str, width: int, lines: list[Strip] | None) -> None:
        """Draw ``source``; ``lines`` are it rendered at ``width`` (None: render when drawn)."""
        if lines is None:
            self.show(source)
            return
        self.source, self._lines, self._width = source, lines, width
        self.refresh(layout=True)


@dataclass(frozen=True, slots=True)
class SessionChoice:
    """What the sessions screen was dismissed with: replay (at ``speed``) or re-run a session."""

    action: Literal["replay", "rerun"]
    session_id: int
    speed: float | None = 1.0
    """For a replay: the recorded pace times this; None: no waits."""


class SessionsScreen(Screen[SessionChoice | None]):
    """Browse recorded sessions; dismissed with a ``SessionChoice``, or None for "back"."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="sessions-close", tooltip="Back to the prompt."),
        Binding(
            "ctrl+f",
            "focus_search",
            "Search",
            id="sessions-search",
            tooltip="Full-text search over prompts and answers.",
            show=False,  # the search box is on screen, saying so; f1 and the palette list it
        ),
        Binding("enter", "replay('1x')", "Replay", id="sessions-replay", tooltip="Replay at the recorded pace."),
        Binding("f", "replay('10x')", "10×", id="sessions-replay-fast", tooltip="Replay ten times faster."),
        Binding("m", "replay('max')", "Max", id="sessions-replay-max", tooltip="Replay without waits."),
        Binding(
            "r",
            "rerun",
            "Re-run",
            id="sessions-rerun",
            tooltip="Send the same prompt again with the session's settings (linked to it).",
        ),
        Binding("e", "export", "Export", id="sessions-export", tooltip="Write the session as Markdown or JSON."),
        Binding(
            "s",
            "cycle('status')",
            "Status",
            id="sessions-status",
            tooltip="Filter by status: failed, ok, cancelled, interrupted, running, any (the search box says status:...).",
        ),
        Binding(
            "b",
            "cycle('backend')",
            "Backend",
            id="sessions-backend",
            tooltip="Filter by backend: the simulator, the real API, unknown, any (backend:... in the search box).",
        ),
        Binding("d,delete", "delete", "Delete", id="sessions-delete", tooltip="Delete the session (asks first)."),
        Binding("f1,question_mark", "app.help", "Help", show=False, id="sessions-help", tooltip="Keys and panels."),
    ]
    PANELS = (
        (
            "search",
            "Full-text search over prompts, answers, failures and request ids (ctrl+f), as you type; filter words"
            " status:failed error:overloaded model:ID backend:sim|api|unknown narrow it (s, b cycle the first and last).",
        ),
        ("Sessions", "Newest first: id, when, status, attempts, model (the one that answered), backend, prompt."),
        ("preview", "The session under the cursor: how each attempt ended, the prompt, the answer."),
    )
    """What each panel shows, for the help overlay (f1)."""

    def __init__(self, store: SessionStore) -> None:
        super().__init__(id="sessions")
        self.store = store
        self.current: int | None = None
        """The id of the session under the cursor (what the actions act on)."""
        self._search_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._previewed_at = float("-inf")
        self._listed = ""
        """The search the list shows (its next page is read with the same one)."""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="search prompts, answers, errors, request ids… filters: status:failed error:overloaded"
            " model:ID backend:sim",
            id="session-search",
        )
        with Horizontal(id="sessions-body"):
            table = SessionList(LIST_COLUMNS, id="session-list")
            table.border_title = "Sessions"
            yield table
            with VerticalScroll(id="session-preview"):
                yield Static("", id="session-facts", markup=False)
                yield PreviewAnswer("", id="session-answer")
        # Every action fits an 80-column footer (the palette's ctrl+p works without its hint).
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.list_sessions("")
        self.query_one(SessionList).focus()

    # -- list and search ---------------------------------------------------------------
    @on(Input.Changed, "#session-search")
    def _typed(self, event: Input.Changed) -> None:
        """Search once typing pauses: a query per key would queue up behind the keys."""
        if self._search_timer is not None:
            self._search_timer.stop()
        search = event.value.strip()
        self._search_timer = self.set_timer(SEARCH_PAUSE, lambda: self.list_sessions(search))

    @on(Input.Submitted, "#session-search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.list_sessions(event.value.strip())

    @work(group="sessions-list", exclusive=True, exit_on_error=False)
    async def list_sessions(self, search: str) -> None:
        """Show the newest sessions matching ``search`` (all when empty); a newer call
        cancels this one, so a stale list is never shown."""
        self.workers.cancel_group(self, "sessions-more")  # a page of the list being replaced
        try:
            page = await asyncio.to_thread(_list_page, self.store, search, None)
        except StoreError as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        except ValueError as exc:  # a filter word with a value it does not take
            self.notify(f"{exc} (in the search box)", title="Filter", severity="warning")
            return
        self._listed = search
        table = self.query_one(SessionList)
        words = parse_words(search)[1].words()
        table.border_title = f"Sessions · {words}" if words else "Sessions"
        table.show_page(page)
        if not page.rows:
            self.current = None
            self._show_none()

    @on(SessionList.NearEnd)
    def _near_end(self, event: SessionList.NearEnd) -> None:
        self.more_sessions(self._listed, event.before)

    @work(group="sessions-more", exclusive=True, exit_on_error=False)
    async def more_sessions(self, search: str, before: int) -> None:
        """Append the page of sessions older than ``before`` (the list's last row)."""
        try:
            page = await asyncio.to_thread(_list_page, self.store, search, before)
        except StoreError as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        self.query_one(SessionList).add_page(page, after=before)

    # -- preview -------------------------------------------------------------------------
    @on(SessionList.Highlighted)
    def _highlighted(self, event: SessionList.Highlighted) -> None:
        """Preview the cursor's session at once, or, within ``PREVIEW_EVERY`` of the last
        preview, when that much time has passed (whichever session the cursor is on then)."""
        self.current = event.session_id
        if self._preview_timer is not None:
            self._preview_timer.stop()
        wait = self._previewed_at + PREVIEW_EVERY - time.monotonic()
        if wait > 0:
            self._preview_timer = self.set_timer(wait, self._preview_current)
        else:
            self._preview_current()

    def _preview_current(self) -> None:
        self._preview_timer = None
        if self.current is not None:
            self._previewed_at = time.monotonic()
            self.load_preview(self.current)

    @on(SessionList.Selected)
    def _selected(self, event: SessionList.Selected) -> None:
        """A click on the cursor's row: replay it, as Enter does."""
        self.current = event.session_id
        self.action_replay("1x")

    @work(group="sessions-preview", exclusive=True, exit_on_error=False)
    async def load_preview(self, session_id: int) -> None:
        """Show session ``session_id``; the cursor moving on cancels this one.

        Read and drawn in a thread: even a few screens of Markdown (code highlighted,
        tables laid out) take tens of milliseconds to render.
        """
        answer = self.query_one("#session-answer", PreviewAnswer)
        width = answer.content_size.width
        try:
            preview, text, lines, cost = await asyncio.to_thread(self._read_preview, session_id, answer, width)
        except StoreError as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        if self.current != session_id:  # the list changed (or emptied) while it was read
            return
        self.query_one("#session-facts", Static).update(visible(facts(preview, cost)))  # outside text
        answer.show_rendered(text, width, lines)
        self.query_one("#session-preview", VerticalScroll).scroll_home(animate=False)

    def _read_preview(
        self, session_id: int, answer: PreviewAnswer, width: int
    ) -> tuple[SessionPreview, str, list[Strip] | None, str | None]:
        """In a worker thread: the preview, its answer's Markdown and, at ``width``, its lines,
        and its cost (the price table is read here, off the loop, the first time)."""
        from ...store.export import cost_line

        preview = self.store.get_preview(session_id)
        cost = cost_line(preview.model, preview.input_tokens, preview.output_tokens)
        text = preview.answer or "*(no answer)*"
        if preview.answer_chars > len(preview.answer):
            more = preview.answer_chars - len(preview.answer)
            text += f"\n\n*… {more:,} more characters: replay or export the session to see them all.*"
        return preview, text, render_markdown(answer, text, width) if width > 0 else None, cost

    def _show_none(self) -> None:
        """No session to preview: nor must one still being read, or due, show up later."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        self.workers.cancel_group(self, "sessions-preview")
        facts = self.query_one("#session-facts", Static)
        facts.update("No sessions match." if self.query_one(Input).value else "No sessions recorded yet.")
        self.query_one("#session-answer", PreviewAnswer).show("")

    # -- actions ---------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_cycle(self, key: str) -> None:
        """Step the status (or backend) filter to its next value, written in the search box
        (the one place filters live, so typing and keys agree); the list follows as typed."""
        box = self.query_one(Input)
        try:
            text, filters = parse_words(box.value)
        except ValueError:
            text, filters = box.value, SessionFilter()
        cycle = STATUS_CYCLE if key == "status" else BACKEND_CYCLE
        now = getattr(filters, key)
        following = cycle[(cycle.index(now) + 1) % len(cycle)] if now in cycle else None
        filters = filters._replace(**{key: following})
        box.value = " ".join(part for part in (filters.words(), text) if part)

    def action_replay(self, speed: str) -> None:
        if self.current is not None:
            self.dismiss(SessionChoice("replay", self.current, REPLAY_SPEEDS[speed]))

    def action_rerun(self) -> None:
        if self.current is not None:
            self.dismiss(SessionChoice("rerun", self.current))

    def action_export(self) -> None:
        if self.current is None:
            return
        session_id = self.current

        from ...store.export_target import in_exports

        def check(answer: str) -> str | None:
            """A name that exists keeps the dialog open: the TUI never overwrites an export."""
            path = in_exports(answer) if answer.strip() else None
            if path is None:
                return "type a file name (.md, .json, .toml for a scenario, .py or .ts for a program)"
            if path.exists():
                return f"{path} exists: choose another name"
            self.export(session_id, path)
            return None

        default = f"session-{session_id}.md"
        title = "Export to (a bare name goes to the exports folder; .md, .json, .toml, .py, .ts)"
        self.app.push_screen(AskText(title, value=default, check=check))

    @work(group="sessions-export", exit_on_error=False)
    async def export(self, session_id: int, path: Path) -> None:
        """Read the whole session and write it, both in a thread (it may be big)."""
        try:
            await asyncio.to_thread(_write_export, self.store, session_id, path)
        except StoreError as exc:
            self.notify(str(exc), title="Export", severity="error")
        except ValueError as exc:  # a format this session cannot be written in (a program of a follow-up...)
            self.notify(f"session {session_id}: {exc}", title="Export", severity="error")
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror or exc}", title="Export", severity="error")
        else:
            self.notify(f"Session {session_id} written to {path}", title="Export")

    def action_delete(self) -> None:
        if self.current is None:
            return
        session_id = self.current

        def confirmed(choice: str | None) -> None:
            if choice == "Delete":
                self.delete(session_id)

        self.app.push_screen(PickOne(f"Delete session {session_id}?", ["Keep", "Delete"]), confirmed)

    @work(group="sessions-delete", exit_on_error=False)
    async def delete(self, session_id: int) -> None:
        try:
            await asyncio.to_thread(self.store.delete_session, session_id)
        except StoreError as exc:
            self.notify(str(exc), title="Sessions", severity="error")
            return
        self.notify(f"Session {session_id} deleted.")
        self.list_sessions(self.query_one(Input).value.strip())


def _write_export(store: SessionStore, session_id: int, path: Path) -> None:
    from ...store.conversation import earlier_turns
    from ...store.export import export_session
    from ...store.export_target import format_for, write_new

    detail = store.get_session(session_id)
    write_new(path, export_session(detail, format_for(str(path), None), earlier=earlier_turns(store, detail)))


def _list_page(store: SessionStore, search: str, before: int | None) -> ListPage:
    """A page of the list (the newest sessions, or those older than ``before``), made in a
    worker thread: each cell one line of safe text, each column's width measured."""
    text, filters = parse_words(search)
    sessions = store.list_sessions(text or None, PAGE_ROWS, before=before, filters=filters)
    rows = [(s.id, tuple(one_line(c) for c in list_cells(s))) for s in sessions]
    widths = tuple(max((cell_len(cells[i]) for _id, cells in rows), default=0) for i in range(len(LIST_COLUMNS)))
    return ListPage(rows, widths, more=len(rows) == PAGE_ROWS)


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
