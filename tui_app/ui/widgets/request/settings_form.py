"""Model, timeout preset (effective values visible and editable), retry policy and any other setting.

The fields are the schema's (:mod:`tui_app.schema`, ``form="settings"``): a label and an
input or a select each, checked by the same rules as flags and profiles. Only the model
has its own row (free entry plus the ids the API lists). The form shows *effective*
values: picking a preset fills its timeouts and deadline in; editing one of them makes
it an override of that preset. ``read`` turns the fields back into ``RunSettings``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static

from ....safe_text import one_line
from ....schema import FieldError, by_key, form_fields, parse_text
from ....settings import RunSettings
from ..safe_edit import StandInHighlighter

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import ComposeResult

    from ....capabilities import ModelCaps
    from ....schema import Setting


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
        self._offered: tuple[str, ...] | None = None
        """The effort levels the picker offers now (None: as composed, every level)."""
        self._fields_ready = False
        """True once mounted (``is_mounted`` is still False inside ``on_mount``)."""

    def on_mount(self) -> None:
        self._fields_ready = True
        if self._pending is not None:
            self.load(self._pending)
        if self._pending_models:
            self.set_models(self._pending_models)

    def compose(self) -> ComposeResult:
        yield Static("", id="advice", classes="advice", markup=False)
        yield Label("model (free entry, or pick one)", classes="form-heading")
        with Horizontal(classes="model-row"):
            yield Input(id="model", compact=True, placeholder="model id", highlighter=StandInHighlighter())
            refresh = Button("↻", id="refresh-models", compact=True)
            refresh.tooltip = "Refresh the model list from /v1/models (f9)"
            yield refresh
        yield Select([], prompt="known models…", compact=True, id="model-list")
        with Grid(classes="form"):
            for setting in form_fields("settings"):
                yield Label(setting.label, classes="field-label")
                yield _field(setting)
        yield Label("", id="form-errors", markup=False)

    # -- in -------------------------------------------------------------------------------
    def load(self, settings: RunSettings) -> None:
        """Show ``settings`` (a profile, the defaults) with its effective timeouts."""
        self._pending = settings
        if not self._fields_ready:
            return
        self._shown_preset = settings.preset
        self._set("#model", settings.model)
        self._show(settings, lambda setting: True)

    def set_models(self, models: list[str] | tuple[str, ...]) -> None:
        """Offer these model ids in the picker and as completions of the model field."""
        self._pending_models = tuple(models)
        if not self._fields_ready:
            return
        # Ids come from the API: shown (and completed) in their safe form, picked as they are.
        self.query_one("#model-list", Select).set_options([(one_line(m), m) for m in models])
        self.query_one("#model", Input).suggester = SuggestFromList([one_line(m) for m in models], case_sensitive=False)
        self._follow_model()

    def show_advice(self, line: str, *, ok: bool) -> None:
        """The timeout advisor's verdict for the settings shown (:mod:`tui_app.advisor`)."""
        if not self._fields_ready:
            return
        advice = self.query_one("#advice", Static)
        advice.update(one_line(line))
        advice.set_class(not ok, "-warning")

    def offer(self, caps: ModelCaps | None) -> None:
        """Offer only what the model takes (:mod:`tui_app.capabilities`): its effort levels in
        the effort picker (a level it does not take is cleared), and in the thinking field's
        hint the kinds of thinking it accepts. ``None`` (not known): everything."""
        if not self._fields_ready:
            return
        from ....capabilities import OFF_TYPES

        setting = by_key()["effort"]
        levels = setting.kind.options() if caps is None or caps.effort is None else caps.effort
        if levels != self._offered:  # only on a change: new options post Select.Changed
            self._offered = levels
            picker = self.query_one(f"#{setting.widget_id}", Select)
            chosen = picker.value
            picker.set_options([(level, level) for level in levels])
            picker.prompt = "(the model's)" if levels else "(this model takes none)"
            if chosen in levels:
                picker.value = chosen
        thinking = self.query_one(f"#{by_key()['thinking'].widget_id}", Input)
        accepted = caps.thinking if caps is not None else None
        if accepted is None:
            thinking.placeholder = "(the model's)"
        else:
            kinds = [name for name, ok in (("adaptive", "adaptive" in accepted),
                     ("off", bool(accepted & set(OFF_TYPES))), ("N", "enabled" in accepted)) if ok]  # fmt: skip
            thinking.placeholder = f"(default; takes {'|'.join(kinds)})"  # N: a budget of tokens

    @property
    def model(self) -> str:
        return self.query_one("#model", Input).value.strip()

    def _set(self, selector: str, value: str) -> None:
        self.query_one(selector, Input).value = value

    def _show(self, settings: RunSettings, which: Callable[[Setting], bool]) -> None:
        """Put the effective values of the fields ``which`` picks into their widgets."""
        values = settings.values(effective=True)
        for setting in form_fields("settings"):
            if not which(setting):
                continue
            text = "" if values[setting.key] is None else setting.kind.to_text(values[setting.key])
            widget = self.query_one(f"#{setting.widget_id}")
            if isinstance(widget, Select):
                if text:
                    widget.value = text
                else:  # an optional choice left unset: the model's default
                    widget.clear()
            elif isinstance(widget, Input):
                widget.value = text

    @on(Select.Changed, "#preset")
    def _preset_picked(self, event: Select.Changed) -> None:
        """A newly picked preset brings its own timeouts and deadline (overrides dropped)."""
        if event.value == self._shown_preset or event.value == Select.NULL:
            return
        self._shown_preset = str(event.value)
        self._show(RunSettings(preset=str(event.value)), lambda setting: setting.preset_default)

    @on(Select.Changed, "#model-list")
    def _model_picked(self, event: Select.Changed) -> None:
        if event.value != Select.NULL:
            self._set("#model", str(event.value))

    @on(Input.Changed, "#model")
    def _follow_model(self) -> None:
        """The picker shows the model field's value, or nothing when no known model matches:
        the field is the one source of truth (a pick followed by typing left them disagreeing)."""
        picker = self.query_one("#model-list", Select)
        wanted = self.model if self.model in self._pending_models else Select.NULL
        if picker.value != wanted:
            picker.value = wanted

    @on(Input.Changed, ".field-input")
    def _checked_as_typed(self) -> None:
        """Under the fields, what is wrong with each one that holds a value it refuses,
        and what it takes (nothing is refused silently: the inputs take any text)."""
        problems = []
        for setting in form_fields("settings"):
            widget = self.query_one(f"#{setting.widget_id}")
            if isinstance(widget, Input) and widget.value.strip():
                try:
                    self._checked(setting, widget.value)
                except FieldError as exc:
                    problems.append(str(exc))
        errors = self.query_one("#form-errors", Label)
        errors.update("\n".join(one_line(p) for p in problems))
        errors.display = bool(problems)

    # -- out ------------------------------------------------------------------------------
    def read(self, base: RunSettings) -> RunSettings:
        """``base`` with this form's values; ``FieldError`` (a ``ValueError``) naming the field."""
        if not self._fields_ready:  # not mounted yet: nothing edited
            return self._pending or base
        fields = form_fields("settings")
        values, problems = {}, []
        for setting in fields:
            try:
                values[setting.key] = self._value(setting)
            except FieldError as exc:
                problems.append(exc)
        try:
            values["model"] = self._checked(by_key()["model"], self.model)
        except FieldError as exc:
            problems.insert(0, exc)
        if len(problems) == 1:
            raise problems[0]
        if problems:  # name each field to fix, not only the first
            raise FieldError(problems[0].field, " · ".join(str(p) for p in problems), shown_as="")
        preset = RunSettings(preset=str(values["preset"])).values(effective=True)
        for setting in fields:  # a preset's own value is no override
            if setting.preset_default and values[setting.key] == preset[setting.key]:
                del values[setting.key]
        edited = {setting.key for setting in fields} | {"model"}
        kept = {key: value for key, value in base.values().items() if key not in edited}
        try:
            return RunSettings.from_values({**kept, **values})
        except FieldError as exc:  # a rule between fields: name the one it failed on
            failed = by_key().get(exc.field)
            raise exc.named(failed.label) if failed in fields and failed else exc from None

    def _value(self, setting: Setting) -> object:
        widget = self.query_one(f"#{setting.widget_id}")
        blank = isinstance(widget, Select) and widget.is_blank()
        text = "" if blank else str(widget.value) if isinstance(widget, (Input, Select)) else ""
        if not text.strip() and setting.kind.none_word:
            text = setting.kind.none_word  # an empty deadline: no deadline
        return self._checked(setting, text)

    @staticmethod
    def _checked(setting: Setting, text: str) -> object:
        try:
            return parse_text(setting, text)
        except FieldError as exc:
            raise exc.named(setting.label) from None


def _field(setting: Setting) -> Input | Select[str]:
    """The widget that edits ``setting``: a select for choices, else an input."""
    if setting.kind.widget == "select":
        options = [(option, option) for option in setting.kind.options()]
        optional = setting.kind.optional  # unset is a choice: "the model's default"
        prompt = f"({setting.doc_default or 'unset'})"
        return Select(options, allow_blank=optional, prompt=prompt, compact=True, id=setting.widget_id)
    none_word = setting.kind.none_word or ("" if not setting.kind.optional else f"({setting.doc_default or 'unset'})")
    return Input(
        id=setting.widget_id,
        compact=True,
        placeholder=none_word,
        classes="field-input",
        validators=[_Rule(setting)],
        valid_empty=bool(setting.kind.none_word) or setting.kind.optional,
    )


class _Rule(Validator):
    """A field's own rule, as flags and profiles check it: the input turns red as soon as
    its text breaks it (the message itself is shown under the form)."""

    def __init__(self, setting: Setting) -> None:
        super().__init__()
        self._setting = setting

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_text(self._setting, value)
        except FieldError as exc:
            return self.failure(str(exc))
        return self.success()
