"""The one-line summary at the bottom: where requests go, with what, and how it is going."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ....safe_text import one_line
from ...run_state import RunState

_STATE_STYLE = {
    "done": "$success",
    "failed": "bold $error",
    "cancelled": "$warning",
    "backing off": "bold $warning",
    "attempt failed": "$error",
}


class StatusLine(Static):
    """Backend, model, preset, state, TTFT, tokens/s, elapsed vs deadline, usage."""

    backend_label: reactive[str] = reactive("", layout=True)
    """``SIMULATOR``, ``real API`` or ``API <base url>``: never ambiguous."""
    model: reactive[str] = reactive("", layout=True)
    preset: reactive[str] = reactive("", layout=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._state = RunState()
        self._now = 0.0

    def show(self, state: RunState, now: float) -> None:
        """Render ``state`` as of clock reading ``now`` (the screen's ticker calls this)."""
        self._state, self._now = state, now
        self.update(self._content())

    def watch_backend_label(self) -> None:
        self.update(self._content())

    def watch_model(self) -> None:
        self.update(self._content())

    def watch_preset(self) -> None:
        self.update(self._content())

    def on_resize(self) -> None:
        self.update(self._content())

    def _content(self) -> Content:
        """The parts that fit on one line: at 80 columns a finished run's full summary does
        not, and a second line would shrink the panels above it. The least useful part goes
        first (preset, usage, speed, TTFT, model); backend, state and elapsed always stay."""
        parts = self._parts()
        width = self.content_size.width  # 0 until the first layout: everything, cropped by CSS
        line = Content(" · ").join(parts.values())
        for name in _DROP_ORDER:
            if not width or line.cell_length <= width:
                break
            parts.pop(name, None)
            line = Content(" · ").join(parts.values())
        return line

    def _parts(self) -> dict[str, Content]:
        s, now = self._state, self._now
        sim = self.backend_label == "SIMULATOR"
        backend_style = "bold reverse $warning" if sim else "bold $success"
        parts = {
            # The label holds ANTHROPIC_BASE_URL, the model comes from profiles and the API.
            "backend": Content.styled(f" {one_line(self.backend_label)} ", backend_style),
            "model": Content(one_line(self.model)),
            "preset": Content.styled(one_line(self.preset), "dim"),
            "state": Content.styled(s.state_text(now), _state_style(s)),
        }
        parts.update((name, Content(text)) for name, text in _measures(s, now).items())
        return parts


_DROP_ORDER = ("preset", "usage", "speed", "thought", "ttft", "model")


def _state_style(s: RunState) -> str:
    if s.state == "done" and s.cut_off:
        return "bold $warning"  # complete as the API says, but not the whole answer
    return _STATE_STYLE.get(s.state, "bold")


def _measures(s: RunState, now: float) -> dict[str, str]:
    """TTFT, speed, elapsed/deadline and usage, each only once it means something."""
    out = {}
    if s.thinking_ttft is not None:
        out["thought"] = f"first thought {s.thinking_ttft:.1f} s"
    if s.ttft is not None:
        out["ttft"] = f"{'first text' if s.thinking_ttft is not None else 'TTFT'} {s.ttft:.1f} s"
    speed = s.live_tokens_per_s(now)
    if speed is not None:
        prefix = "" if s.tokens_per_s is not None else "~"
        out["speed"] = f"{prefix}{speed:.0f} tok/s"
    elapsed = s.elapsed(now)
    if elapsed is not None:
        limit = f"/{s.deadline:.0f}" if s.deadline else ""
        out["elapsed"] = f"{elapsed:.1f}{limit} s"
    if s.input_tokens is not None or s.output_tokens is not None:
        out["usage"] = f"{s.input_tokens or 0} in/{s.output_tokens or 0} out"
    return out
