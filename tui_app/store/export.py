"""A recorded session as a Markdown report or as JSON.

The Markdown reads top to bottom the way the run happened: what was asked, under which
settings, what each attempt did, and the answer. Event wording comes from
``tui_app.present`` so an export says exactly what the live stderr lines and panels said.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .. import present
from ..retry.events import (
    AttemptError,
    Backoff,
    Cancelled,
    Event,
    FirstToken,
    GiveUp,
    ResponseStart,
    Success,
    TextDelta,
)
from . import backends
from .export_target import FORMATS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .records import SessionDetail

    Turns = Sequence[tuple[int, str, str | None, str]]
    """Earlier turns as ``SessionStore.chain`` gives them: id, prompt, answer, status."""


def export_session(detail: SessionDetail, fmt: str, *, use_async: bool = False, earlier: Turns = ()) -> str:
    """``fmt`` is ``md``, ``json``, ``scenario`` (TOML replaying what the server did, see
    :mod:`.as_scenario`), ``python`` or ``typescript`` (:func:`as_program`); the text ends
    with a newline.
    ``earlier``: a follow-up's earlier turns (``SessionStore.chain``), which md and json show
    as the conversation."""
    if fmt == "json":
        data = with_cost(detail.to_dict())
        if earlier:
            data["conversation"] = [
                {"session": i, "prompt": prompt, "answer": answer, "status": status}
                for i, prompt, answer, status in earlier
            ]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return to_markdown(detail, earlier)
    if fmt == "scenario":
        from .as_scenario import scenario_toml

        name = f"session-{detail.id}"
        return scenario_toml(detail.events, name=name, origin=f"session {detail.id}", prompt=detail.prompt)
    if fmt in ("python", "typescript"):
        return as_program(detail, fmt, use_async=use_async, earlier=earlier)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def as_program(detail: SessionDetail, lang: str = "python", *, use_async: bool = False, earlier: Turns = ()) -> str:
    """The program ``claude-tui code`` prints for the session's prompt and recorded settings
    (read by ``settings_from_record``, the one reader of stored settings): the same request,
    the same retries. ``ValueError`` (naming the field) for settings no program writes, or
    a record too old or damaged to read."""
    from ..codegen import program_source
    from ..codegen.spec import ProgramSpec
    from ..settings import settings_from_record

    settings = settings_from_record(detail.settings)
    if detail.system and settings.system is None:  # recorded next to the settings
        settings = settings.with_values({"system": detail.system})
    unanswered = [f"session {i} ({status})" for i, _prompt, answer, status in earlier if answer is None]
    if unanswered:
        raise ValueError(f"an earlier turn has no answer to send as history: {', '.join(unanswered)}")
    history = tuple((prompt, answer or "") for _i, prompt, answer, _status in earlier)
    spec = ProgramSpec.from_settings(detail.prompt, settings, history)
    return program_source(spec, lang, use_async=use_async)


def with_cost(data: dict[str, Any]) -> dict[str, Any]:
    """A session's JSON with ``cost_usd``: its answer's tokens at the price table's price
    for its model (``null`` without an answer or a price)."""
    from ..prices import answer_cost

    found = answer_cost(data["model"], data["input_tokens"], data["output_tokens"])
    return {**data, "cost_usd": round(found[0], 6) if found else None}


def to_markdown(detail: SessionDetail, earlier: Turns = ()) -> str:
    parts = [
        f"# Session {detail.id} — {detail.status}",
        _facts(detail),
        *_conversation(earlier),
        "## Prompt",
        *([f"**System:**\n\n{_fenced(detail.system)}"] if detail.system else []),
        _fenced(detail.prompt),
        "## Settings",
        _settings(detail.settings),
        "## Attempts",
        _timeline(detail.events),
        "## Answer",
        _answer(detail),
    ]
    return "\n\n".join(parts) + "\n"


def _conversation(earlier: Turns) -> list[str]:
    """A follow-up's earlier turns, each prompt and answer, before its own prompt."""
    if not earlier:
        return []
    parts = [f"## Conversation ({len(earlier)} earlier turn{'s' if len(earlier) > 1 else ''})"]
    for number, (session_id, prompt, answer, status) in enumerate(earlier, 1):
        parts += [f"### Turn {number} (session {session_id})", _fenced(prompt)]
        parts.append(_fenced(answer) if answer is not None else f"_no answer ({status})_")
    return parts


def _facts(d: SessionDetail) -> str:
    rows = [
        ("Created", d.created_at),
        ("Model", f"`{d.model}`"),
        ("Backend", backends.describe(d.backend)),
        ("Status", d.status + (f" ({d.error})" if d.error else "")),
        ("Attempts", str(d.attempts)),
        ("Elapsed", present.seconds(d.elapsed)),
    ]
    if d.input_tokens is not None or d.output_tokens is not None:
        rows.append(("Tokens", f"{d.input_tokens or 0} in / {d.output_tokens or 0} out"))
    if (cost := cost_line(d.model, d.input_tokens, d.output_tokens)) is not None:
        rows.append(("Cost", cost))
    if d.parent_id is not None:
        rows.append(("Re-run of", f"session {d.parent_id}"))
    if d.follows is not None:
        rows.append(("Follows up", f"session {d.follows}"))
    return _table(("", ""), rows)


def cost_line(model: str, input_tokens: int | None, output_tokens: int | None) -> str | None:
    """``$0.0123 (answer's tokens at $3/$15 per Mtok, the family's price)``, or None."""
    from ..prices import answer_cost

    found = answer_cost(model, input_tokens, output_tokens)
    if found is None:
        return None
    cost, price = found
    basis = "its family's price, assumed" if price.assumed else f"{price.source}, {price.date}"
    return f"${cost:.4f} (the answer's tokens at ${price.input:g}/${price.output:g} per million; {basis})"


def _settings(data: dict[str, Any]) -> str:
    """The settings as a run used them, read by the one reader of stored settings (any version)."""
    from ..settings import settings_from_record

    if not data:
        return "_(not recorded)_"
    try:
        settings = settings_from_record(data)
    except ValueError as exc:
        return f"_(recorded settings could not be read: {exc})_\n\n" + _fenced(json.dumps(data, indent=2))
    timeouts, policy = settings.timeouts().as_dict(), settings.effective_policy()
    lines = [f"- Max tokens: {settings.max_tokens}"]
    lines.append(
        f"- Timeouts (preset `{settings.preset}`): "
        + ", ".join(f"{name} {present.seconds(value)}" for name, value in timeouts.items())
    )
    lines.append(
        f"- Retry: up to {policy.max_attempts} attempts, backoff {present.seconds(policy.base_delay)}"
        f" to {present.seconds(policy.max_delay)} ({policy.jitter} jitter), "
        f"deadline {present.seconds(policy.deadline)}, mid-stream: {policy.mid_stream}"
    )
    if settings.scenario:
        lines.append(f"- Simulator scenario: `{settings.scenario}`")
    return "\n".join(lines)


def _timeline(events: list[Event]) -> str:
    """One row per event; runs of text deltas folded into one row."""
    if not events:
        return "_(no events recorded)_"
    max_attempts = next((getattr(e, "max_attempts", None) for e in events if e.type == "run_start"), None)
    rows: list[tuple[str, str]] = []
    chars = chunks = 0
    for i, event in enumerate(events):
        if isinstance(event, TextDelta):
            chars, chunks = chars + len(event.text), chunks + 1
            if i + 1 == len(events) or events[i + 1].type != "text":
                rows.append(
                    (present.seconds(event.t), f"attempt {event.attempt}: streamed {chars} chars in {chunks} chunks")
                )
                chars = chunks = 0
            continue
        rows.append((present.seconds(event.t), _event_line(event, max_attempts)))
    return _table(("t", "event"), rows)


def _event_line(event: Event, max_attempts: int | None) -> str:
    if isinstance(event, AttemptError):
        return present.attempt_error_line(event, max_attempts)
    if isinstance(event, Backoff):
        return present.backoff_line(event)
    if isinstance(event, Success):
        return present.success_line(event)
    if isinstance(event, GiveUp):
        return present.give_up_line(event)
    if isinstance(event, Cancelled):
        return present.cancelled_line(event)
    if isinstance(event, ResponseStart):
        return f"attempt {event.attempt}: response headers{present.request_id_suffix(event.request_id)}"
    if isinstance(event, FirstToken):
        return f"attempt {event.attempt}: first token after {present.seconds(event.ttft)}"
    if event.type == "attempt_start":
        return f"attempt {event.attempt} started"  # type: ignore[attr-defined]
    if event.type == "run_start":
        return "run started"
    return event.type


def _answer(d: SessionDetail) -> str:
    if d.response is not None:
        return d.response
    partial = d.partial_text
    if not partial:
        return f"_No answer ({d.status})._"
    return f"_No complete answer ({d.status}); text of the last attempt so far:_\n\n{_fenced(partial)}"


def _fenced(text: str) -> str:
    """A code fence longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _table(header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {cell(a)} | {cell(b)} |" for a, b in rows]
    return "\n".join(lines)
