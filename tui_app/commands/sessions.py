"""``claude-tui sessions``: list, search, show, export, delete and check recorded sessions.

Import-light (argparse and stdlib at the top) because ``--help`` builds every parser, and
``sessions list`` must stay a cheap process: nothing here imports anthropic or textual.
``show`` prints the same Markdown as ``export --format md``: one rendering of a session.
What goes to a terminal has its control characters escaped (a recorded prompt or answer
may hold escape sequences); what goes to a pipe or a file is byte-exact.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from ..safe_text import one_line
from ..store.export_target import FORMATS
from ..store.filters import BACKENDS, STATUSES
from . import parse_positive_int, write_out

if TYPE_CHECKING:
    from ..store.records import SessionSummary
    from ..store.sessions import SessionStore

EPILOG = """\
Sessions are stored in sessions.db in the data directory (CLAUDE_TUI_DATA_DIR overrides it).
A session whose process died mid-run is listed as `interrupted` with what had arrived.
exit codes: 0 ok; 2 unknown id, bad arguments or unusable database.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = "Browse the history of recorded runs (newest first)."
    p.epilog, p.formatter_class = EPILOG, argparse.RawDescriptionHelpFormatter
    actions = p.add_subparsers(dest="sessions_action", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help="newest sessions first, optionally matching --search")
    lst.add_argument(
        "--search",
        metavar="TEXT",
        help="words (or word prefixes) in the prompt, the answer, a failure (kind, error type, message) or a request id",
    )
    lst.add_argument("--status", choices=STATUSES, help="only sessions with this status")
    lst.add_argument(
        "--error",
        metavar="NAME",
        help="only sessions whose last failed attempt was NAME: a failure kind (overloaded, read_timeout, ...)"
        " or the API's error type (overloaded_error, ...); a session that recovered counts too",
    )
    lst.add_argument("--model", metavar="MODEL", help="only sessions answered by MODEL (the exact id)")
    lst.add_argument(
        "--backend",
        choices=tuple(BACKENDS),
        help="only sessions run against the real API, the simulator (sim), or recorded before backends were (unknown)",
    )
    lst.add_argument(
        "--limit", metavar="N", type=parse_positive_int, default=50, help="at most N sessions (default 50)"
    )
    lst.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    show = actions.add_parser("show", help="one session: prompt, settings, attempts timeline, answer")
    show.add_argument("id", type=parse_positive_int, metavar="ID")
    show.add_argument("--json", action="store_true", help="JSON with the response and every event")
    export = actions.add_parser(
        "export", help="write one session as Markdown, JSON, a replayable scenario or a program"
    )
    export.add_argument("id", type=parse_positive_int, metavar="ID")
    export.add_argument(
        "--format",
        choices=FORMATS,
        help="md, json, scenario (a TOML scenario replaying what the server did, for --sim=FILE), "
        "python or typescript (the program of the session's request and settings, as `claude-tui code` "
        "prints it); default: from --output's extension (.json, .md, .toml, .py, .ts), else md",
    )
    export.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="with --format python: use anthropic.AsyncAnthropic and asyncio",
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    delete = actions.add_parser("delete", help="delete one session and its events")
    delete.add_argument("id", type=parse_positive_int, metavar="ID")
    actions.add_parser("check", help="verify the database file (PRAGMA quick_check)")


def run(args: argparse.Namespace) -> int:
    from ..store.errors import StoreError
    from ..store.sessions import SessionStore

    try:
        store = SessionStore.open()
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        for notice in store.notices:
            print(f"claude-tui: {one_line(notice)}", file=sys.stderr)
        try:
            return _ACTIONS[args.sessions_action](store, args)
        except StoreError as exc:
            return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"claude-tui sessions: {one_line(message)}", file=sys.stderr)
    return 2


def _list(store: SessionStore, args: argparse.Namespace) -> int:
    from ..store.filters import SessionFilter

    try:
        filters = SessionFilter(args.status, args.error, args.model, args.backend).checked()
    except ValueError as exc:
        return _fail(f"--{exc}")
    sessions = store.list_sessions(search=args.search, limit=args.limit, filters=filters)
    if args.json:
        from ..store.export import with_cost

        print(json.dumps([with_cost(s.to_dict()) for s in sessions], indent=2, ensure_ascii=False))
    elif not sessions:
        print("no sessions match" if args.search or filters.active else "no sessions recorded yet", file=sys.stderr)
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None  # pipes get whole lines
        print(format_table(sessions, width))
    return 0


def format_table(sessions: list[SessionSummary], width: int | None) -> str:
    """Aligned columns; the prompt's first line fills what is left of ``width`` (None: all of it)."""
    from ..store import backends

    rows = [("ID", "CREATED", "STATUS", "ATT", "TIME", "MODEL", "BACKEND", "PROMPT")]
    for s in sessions:
        elapsed = "" if s.elapsed is None else f"{s.elapsed:.1f}s"
        first_line = one_line(s.prompt.strip().splitlines()[0]) if s.prompt.strip() else ""
        backend = one_line(backends.short(s.backend))
        rows.append(
            (str(s.id), _local_time(s.created_at), s.status, str(s.attempts), elapsed, s.model, backend, first_line)
        )
    n = len(rows[0]) - 1  # columns before the prompt
    widths = [max(len(row[i]) for row in rows) for i in range(n)]
    room = max(20, width - sum(widths) - 2 * n) if width else None
    lines = []
    for row in rows:
        cells = [row[i].rjust(widths[i]) if i in (0, 3, 4) else row[i].ljust(widths[i]) for i in range(n)]
        prompt = row[n] if room is None or len(row[n]) <= room else row[n][: room - 1] + "…"
        lines.append("  ".join([*cells, prompt]).rstrip())
    return "\n".join(lines)


def _local_time(created_at: str) -> str:
    try:
        return datetime.fromisoformat(created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created_at


def _show(store: SessionStore, args: argparse.Namespace) -> int:
    from ..store.conversation import earlier_turns
    from ..store.export import export_session

    detail = store.get_session(args.id)
    write_out(export_session(detail, "json" if args.json else "md", earlier=earlier_turns(store, detail)))
    return 0


def _export(store: SessionStore, args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..store.conversation import earlier_turns
    from ..store.export import export_session
    from ..store.export_target import format_for, write_new

    fmt = format_for(args.output, args.format)
    try:
        detail = store.get_session(args.id)
        text = export_session(detail, fmt, use_async=args.use_async, earlier=earlier_turns(store, detail))
    except ValueError as exc:  # e.g. no attempt to replay, or settings no program writes
        return _fail(f"session {args.id}: {exc}")
    if not args.output or args.output == "-":
        write_out(text)
        return 0
    try:
        path = write_new(Path(args.output), text, force=args.force)
    except OSError as exc:  # FileExistsError says how to overwrite
        return _fail(str(exc) if isinstance(exc, FileExistsError) else f"cannot write {args.output}: {exc.strerror}")
    print(f"wrote session {args.id} as {fmt} to {path}", file=sys.stderr)
    return 0


def _delete(store: SessionStore, args: argparse.Namespace) -> int:
    store.delete_session(args.id)
    print(f"deleted session {args.id}", file=sys.stderr)
    return 0


def _check(store: SessionStore, args: argparse.Namespace) -> int:
    problems = store.check()
    if problems:
        for line in problems:
            print(line)
        return _fail(f"{store.path} is damaged: move it aside (the next start creates a new one)")
    print(f"{store.path}: ok")
    return 0


_ACTIONS = {"list": _list, "show": _show, "export": _export, "delete": _delete, "check": _check}
