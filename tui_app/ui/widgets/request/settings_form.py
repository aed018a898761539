"""Model, timeout preset (effective values visible and editable) and retry policy fields.

The form shows *effective* values: picking a preset fills its connect/read/write/pool and
deadline in; editing one of them makes it an override of that preset. ``read`` turns the
fields back into ``RunSettings`` (the same object profiles and ``run`` flags build).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select

from ....retry.policy import JITTERS, MID_STREAM_POLICIES
from ....safe_text import one_line
from ....settings import RunSettings
from ....timeouts import TIMEOUT_FIELDS, get_preset, load_presets
from ..safe_edit import StandInHighlighter

if TYPE_CHECKING:
    from textual.app import ComposeResult

_NUMBER_FIELDS = {
    "base-delay": "base delay",
    "max-delay": "max delay",
    "deadline": "deadline",
    **{f"timeout-{name}": f"{name} timeout" for name in TIMEOUT_FIELDS},
}


class SettingsForm(VerticalScroll):
    """Editable request settings; ``read(base)`` → ``RunSettings`` or ``ValueError``.

    Mounted lazily (it starts on a hidden tab, and its thirty-odd fields cost a good part
    of the first paint), so ``load``/``set_models``/``read`` work before it is mounted too.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_preset: str | None = None
        self._pending: RunSettings | None = None
        self._pending_models: tuple[str, ...] = ()
        self._fields_ready = False
        """True once mounted (``is_mounted`` is still False inside ``on_mount``)."""

    def on_mount(self) -> None:
        self._fields_ready = True
        if self._pending is not None:
            self.load(self._pending)
        if self._pending_models:
            self.set_models(self._pending_models)

    def compose(self) -> ComposeResult:
        yield Label("model (free entry, or pick one)", classes="form-heading")
        with Horizontal(classes="model-row"):
            yield Input(id="model", compact=True, placeholder="model id", highlighter=StandInHighlighter())
            refresh = Button("↻", id="refresh-models", compact=True)
            refresh.tooltip = "Refresh the model list from /v1/models (f9)"
            yield refresh
        yield Select([], prompt="known models…", compact=True, id="model-list")
        with Grid(classes="form"):
            yield Label("preset", classes="field-label")
            presets = [(p.name, p.name) for p in load_presets().values()]
            yield Select(presets, allow_blank=False, compact=True, id="preset")
            for name in TIMEOUT_FIELDS:
                yield Label(f"{name} s", classes="field-label")
                yield Input(id=f"timeout-{name}", type="number", compact=True, classes="field-input")
            yield Label("deadline s", classes="field-label")
            yield Input(id="deadline", type="number", compact=True, placeholder="none", classes="field-input")
            yield Label("attempts", classes="field-label")
            yield Input(id="max-attempts", type="integer", compact=True, classes="field-input")
            yield Label("base delay", classes="field-label")
            yield Input(id="base-delay", type="number", compact=True, classes="field-input")
            yield Label("max delay", classes="field-label")
            yield Input(id="max-delay", type="number", compact=True, classes="field-input")
            yield Label("jitter", classes="field-label")
            yield Select([(j, j) for j in JITTERS], allow_blank=False, compact=True, id="jitter")
            yield Label("mid-stream", classes="field-label")
            yield Select([(m, m) for m in MID_STREAM_POLICIES], allow_blank=False, compact=True, id="mid-stream")

    # -- in -------------------------------------------------------------------------------
    def load(self, settings: RunSettings) -> None:
        """Show ``settings`` (a profile, the defaults) with its effective timeouts."""
        self._pending = settings
        if not self._fields_ready:
            return
        self._shown_preset = settings.preset
        self._set("#model", settings.model)
        self.query_one("#preset", Select).value = settings.preset
        self._show_timeouts(settings)
        policy = settings.effective_policy()
        self._set("#max-attempts", str(policy.max_attempts))
        self._set("#base-delay", f"{policy.base_delay:g}")
        self._set("#max-delay", f"{policy.max_delay:g}")
        self.query_one("#jitter", Select).value = policy.jitter
        self.query_one("#mid-stream", Select).value = policy.mid_stream

    def set_models(self, models: list[str] | tuple[str, ...]) -> None:
        """Offer these model ids in the picker and as completions of the model field."""
        self._pending_models = tuple(models)
        if not self._fields_ready:
            return
        # Ids come from the API: shown (and completed) in their safe form, picked as they are.
        self.query_one("#model-list", Select).set_options([(one_line(m), m) for m in models])
        self.query_one("#model", Input).suggester = SuggestFromList([one_line(m) for m in models], case_sensitive=False)

    @property
    def model(self) -> str:
        return self.query_one("#model", Input).value.strip()

    def _set(self, selector: str, value: str) -> None:
        self.query_one(selector, Input).value = value

    def _show_timeouts(self, settings: RunSettings) -> None:
        timeouts = settings.timeouts()
        for name in TIMEOUT_FIELDS:
            self._set(f"#timeout-{name}", f"{getattr(timeouts, name):g}")
        deadline = settings.effective_policy().deadline
        self._set("#deadline", "" if deadline is None else f"{deadline:g}")

    @on(Select.Changed, "#preset")
    def _preset_picked(self, event: Select.Changed) -> None:
        """A newly picked preset brings its own timeouts and deadline (overrides dropped)."""
        if event.value == self._shown_preset or event.value == Select.BLANK:
            return
        self._shown_preset = str(event.value)
        self._show_timeouts(RunSettings(preset=str(event.value)))

    @on(Select.Changed, "#model-list")
    def _model_picked(self, event: Select.Changed) -> None:
        if event.value != Select.BLANK:
            self._set("#model", str(event.value))

    # -- out ------------------------------------------------------------------------------
    def read(self, base: RunSettings) -> RunSettings:
        """``base`` with this form's values; ``ValueError`` naming the field and the fix."""
        if not self._fields_ready:  # not mounted yet: nothing edited
            return self._pending or base
        preset_name = str(self.query_one("#preset", Select).value)
        preset = get_preset(preset_name)
        timeouts = {name: self._number(f"timeout-{name}") for name in TIMEOUT_FIELDS}
        overrides = {k: v for k, v in timeouts.items() if v is None or v != getattr(preset.timeouts, k)}
        if any(v is None for v in overrides.values()):
            raise ValueError("timeouts: every timeout needs a number of seconds (e.g. 30)")
        deadline = self._number("deadline")
        deadline_override = deadline != preset.deadline
        attempts = self.query_one("#max-attempts", Input).value.strip()
        if not attempts.isdigit():
            raise ValueError(f"attempts: {attempts!r} is not a whole number >= 1")
        policy = base.policy.with_(
            max_attempts=int(attempts),
            base_delay=self._required("base-delay"),
            max_delay=self._required("max-delay"),
            jitter=str(self.query_one("#jitter", Select).value),
            mid_stream=str(self.query_one("#mid-stream", Select).value),
            deadline=deadline if deadline_override else base.policy.deadline,
        )
        settings = base.with_(
            model=self.model,
            preset=preset_name,
            timeout_overrides=overrides,
            policy=policy,
            deadline_override=deadline_override,
        )
        settings.validate()
        return settings

    def _number(self, field_id: str) -> float | None:
        raw = self.query_one(f"#{field_id}", Input).value.strip()
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{_NUMBER_FIELDS[field_id]}: {raw!r} is not a number of seconds") from None

    def _required(self, field_id: str) -> float:
        value = self._number(field_id)
        if value is None:
            raise ValueError(f"{_NUMBER_FIELDS[field_id]}: a number of seconds is needed")
        return value
