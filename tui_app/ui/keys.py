"""The app's key bindings, declared once: footer, command palette, keymap and README use this.

Every binding has a stable ``id``; users remap it in ``config.toml``::

    [keys]
    send = "ctrl+j,alt+enter"
    copy-answer = "f9"

Keys are chosen to stay clear of the prompt editor's own (``TextArea`` uses ctrl+a/e/k/u/w/
x/c/v/z/y/d, f6 and f7) and of terminal quirks: ``ctrl+j`` is what terminals send for ctrl+enter-less
"send", and function keys reach the app through tmux unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Key:
    """One user-facing action: its id (for remapping), default keys, and words."""

    id: str
    keys: str
    action: str
    label: str
    tooltip: str
    priority: bool = False
    """Priority bindings win over the focused widget (the editor must not eat ctrl+j)."""
    command: str = ""
    """The command palette's title when the footer's short label is not enough."""
    footer: bool = True
    """False for keys the screen already shows elsewhere (the tab bar and panel titles say
    f2-f5): an 80-column footer has room for about ten keys."""

    @property
    def palette_title(self) -> str:
        return self.command or self.label


KEYS: tuple[Key, ...] = (
    Key(
        "send",
        "ctrl+j",
        "send",
        "Send",
        "Send the prompt with the current settings.",
        priority=True,
        command="Send prompt",
    ),
    Key(
        "follow-up",
        "alt+j",
        "follow_up",
        "Follow up",
        "Send the prompt as the next turn of this conversation: the earlier turns go with it.",
        command="Send as a follow-up",
        priority=True,
    ),
    Key(
        "cancel",
        "escape",
        "cancel",
        "Cancel",
        "Cancel the request in flight or the backoff wait (give up) at once.",
        command="Cancel request / give up",
    ),
    Key(
        "retry-now",
        "ctrl+r",
        "retry_now",
        "Retry now",
        "During a backoff: retry now — skip the wait and start the next attempt.",
    ),
    Key(
        "retry-with-settings",
        "ctrl+t",
        "retry_with_settings",
        "Retry with edits",
        "During a backoff: retry with edits — the edited model, timeouts and retry policy apply to the next"
        " attempt, which starts now (a notice lists each change).",
    ),
    Key(
        "copy-answer",
        "ctrl+o",
        "copy_answer",
        "Copy",
        "Copy the last answer to the clipboard.",
        priority=True,
        command="Copy answer",
    ),
    Key(
        "save-profile",
        "ctrl+s",
        "save_profile",
        "Save",
        "Save the current settings as a named profile.",
        command="Save settings as profile",
    ),
    Key(
        "load-profile",
        "ctrl+l",
        "load_profile",
        "Profile",
        "Switch to a saved profile (applies at once during a backoff).",
        command="Switch profile",
    ),
    Key(
        "sessions", "ctrl+g", "sessions", "Sessions", "Open the history of recorded sessions.", command="Open sessions"
    ),
    Key(
        "lab",
        "f12",
        "app.lab",
        "Lab",
        "Open the policy lab: compare retry policies on the same faults (table, charts).",
        command="Open policy lab",
        footer=False,
    ),
    Key(
        "focus-prompt", "f2", "focus_prompt", "Prompt", "Focus the prompt editor.", command="Focus prompt", footer=False
    ),
    Key(
        "focus-settings",
        "f3",
        "focus_settings",
        "Settings",
        "Show and focus the model, timeout and retry settings.",
        command="Focus settings",
        footer=False,
    ),
    Key(
        "focus-answer",
        "f4",
        "focus_answer",
        "Answer",
        "Focus the answer panel (scroll with arrows).",
        command="Focus answer",
        footer=False,
    ),
    Key(
        "focus-attempts",
        "f5",
        "focus_attempts",
        "Attempts",
        "Focus the attempts table; enter inspects an attempt.",
        command="Focus attempts",
        footer=False,
    ),
    Key(
        "timeline",
        "t",
        "toggle_timeline",
        "Timeline",
        "Show or hide the attempts timeline (on a narrow terminal it takes the table's place), where no text field"
        " has the focus (f5 first from the prompt).",
        command="Show / hide the attempts timeline",
        footer=False,
    ),
    Key(
        "backend",
        "ctrl+f",
        "switch_backend",
        "Backend",
        "Switch where requests go: the real API or the built-in simulator (always marked on screen).",
        command="Switch backend (real API / simulator)",
        footer=False,
    ),
    Key(
        "scenario",
        "f8",
        "pick_scenario",
        "Scenario",
        "Choose the fault scenario the simulator plays.",
        command="Choose simulator scenario",
    ),
    Key(
        "refresh-models",
        "f9",
        "refresh_models",
        "Models",
        "Refresh the model list from the API's /v1/models.",
        command="Refresh model list",
    ),
    Key(
        "replay-pause",
        "f10",
        "replay_pause",
        "Pause",
        "During a replay: pause or resume it.",
        command="Pause / resume replay",
    ),
    Key(
        "replay-step",
        "f11",
        "replay_step",
        "Step",
        "During a paused replay: play the next event only.",
        command="Step replay",
    ),
    Key(
        "copy-as-code",
        "ctrl+n",
        "copy_as_code",
        "Code",
        "Show the prompt and settings as a Python program (what claude-tui code prints), to copy.",
        command="Copy as code",
    ),
    Key(
        "help",
        "f1,question_mark",
        "app.help",
        "Help",
        "Show the keys that apply now and what each panel shows (? where no text field has the focus).",
        command="Help: keys and panels",
        footer=False,
    ),
)

KEY_IDS = frozenset(k.id for k in KEYS)


def bindings() -> list[Binding]:
    """Textual ``Binding`` objects for ``KEYS`` (imported lazily: keeps this module light)."""
    from textual.binding import Binding

    out = [
        Binding(k.keys, k.action, k.label, id=k.id, tooltip=k.tooltip, priority=k.priority, show=k.footer) for k in KEYS
    ]
    pause = next(k for k in KEYS if k.id == "replay-pause")
    # The same key says Resume while a replay is paused (the footer shows one or the other).
    out.append(Binding(pause.keys, "replay_resume", "Resume", id=RESUME_ID, tooltip="Resume the paused replay."))
    return out


RESUME_ID = "replay-resume"
"""Not a key of its own: it follows ``replay-pause`` wherever that is remapped (``keymap``)."""


def keymap(remapped: dict[str, str]) -> dict[str, str]:
    """The user's ``[keys]`` as Textual's keymap: Resume goes wherever Pause goes."""
    if "replay-pause" in remapped:
        return {**remapped, RESUME_ID: remapped["replay-pause"]}
    return remapped


def effective_keys(keymap: dict[str, str]) -> dict[str, str]:
    """Binding id -> keys in force, after the user's ``[keys]`` remapping."""
    return {k.id: keymap.get(k.id, k.keys) for k in KEYS}


def markdown_table(keymap: dict[str, str] | None = None) -> str:
    """The README's key table, generated so docs and code cannot disagree."""
    keys = effective_keys(keymap or {})
    rows = ["| Keys | Action | Binding id |", "| --- | --- | --- |"]
    rows += [f"| `{keys[k.id]}` | {k.tooltip} | `{k.id}` |" for k in KEYS]
    rows.append("| `ctrl+p` | Command palette (every action above, themes). | — |")
    rows.append("| `ctrl+q` | Quit (a request in flight is cancelled first, and recorded as cancelled). | — |")
    return "\n".join(rows)
