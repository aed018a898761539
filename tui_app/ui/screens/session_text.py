"""What the sessions screen says of a session, as plain text: its row in the list and the
facts above its preview. No Textual: the wording comes from ``present``, as on the live
panels and in ``claude-tui run``'s lines, so the history reads like the run did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ... import present
from ...store import backends

if TYPE_CHECKING:
    from ...retry.events import AttemptError, Backoff, Cancelled, Event, GiveUp, Success
    from ...store.records import SessionPreview, SessionSummary

PROMPT_SHOWN = 2000
"""Characters of the prompt the preview shows."""


def list_cells(s: SessionSummary) -> tuple[str, ...]:
    """One session's row in the list, one line each."""
    prompt = " ".join(s.prompt.split())[:60]
    when = s.created_at[5:16].replace("T", " ")
    model = s.model.removeprefix("claude-")  # the part that tells models apart; the preview has the id
    return (str(s.id), when, s.status, str(s.attempts), model, backends.short(s.backend), prompt)


def facts(p: SessionPreview, cost: str | None = None) -> str:
    """The header of the preview: what, when, how each attempt ended (wording from ``present``)."""
    lines = [
        f"#{p.id} · {p.created_at} · {p.status}" + (f" ({p.error})" if p.error else ""),
        f"{p.model} · {p.attempts} attempt(s) · {present.seconds(p.elapsed)}"
        + (f" · {p.input_tokens or 0} in/{p.output_tokens or 0} out" if p.output_tokens is not None else ""),
    ]
    lines.append(f"on the {backends.describe(p.backend)}" if p.backend else f"backend {backends.describe(None)}")
    if cost is not None:
        lines.append(f"cost {cost}")
    if p.parent_id is not None:
        lines.append(f"re-run of #{p.parent_id}")
    if p.follows is not None:
        lines.append(f"follows up #{p.follows} (replay plays the whole conversation)")
    if p.outcomes:  # the attempts timeline: when each attempt ended, and each wait
        lines += ["", "Attempts:"]
        lines += [f"{present.seconds(event.t):>8}  {outcome_line(event)}" for event in p.outcomes]
    prompt = p.prompt if len(p.prompt) <= PROMPT_SHOWN else p.prompt[:PROMPT_SHOWN] + "…"
    lines += ["", "Prompt:", prompt, "", "Answer:"]
    return "\n".join(lines)


def outcome_line(event: Event) -> str:
    """One attempt's end, as the live panels and ``claude-tui run`` word it."""
    if event.type == "attempt_error":
        return present.attempt_error_line(cast("AttemptError", event))
    if event.type == "backoff":
        return present.backoff_line(cast("Backoff", event))
    if event.type == "success":
        return present.success_line(cast("Success", event))
    if event.type == "give_up":
        return present.give_up_line(cast("GiveUp", event))
    return present.cancelled_line(cast("Cancelled", event))
