"""The main screen: compose a prompt, send it, watch the answer and every attempt live.

Messages up, attributes down: the screen turns key presses into calls on the
``RunController`` and folds the events it gets back into the panels (``show_event``). It
never speaks HTTP and never recomposes a panel per event.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, TextArea

from ... import gc_policy
from ...run.links import NO_LINKS
from ..conversation import Conversation
from ..keys import bindings, effective_keys
from ..replay_state import ReplayState
from ..run_state import RunState
from ..widgets.request.prompt import PromptPanel
from ..widgets.request.tabs import RequestTabs
from ..widgets.response.attempts import AttemptsPanel
from ..widgets.response.output import OutputPanel
from ..widgets.status.banner import SimulatorBanner, real_api_hint
from ..widgets.status.footer import KeyFooter
from ..widgets.status.status_line import StatusLine
from .main_history import HistoryActions
from .main_keys import breakpoint_classes, key_acts
from .main_send import SendActions
from .main_side import SideActions
from .main_steering import SteeringActions

if TYPE_CHECKING:  # the event classes load after the first frame (panels dispatch on ``event.type``)
    from textual.app import ComposeResult

    from ...retry.events import Event
    from ...run.controller import RunController
    from ...run.links import Links
    from ...settings import RunSettings
    from ...store.records import SessionDetail, SessionPreview

TICK_SECONDS = 0.1
"""How often the countdown, elapsed time and streamed-characters cells repaint."""


class MainScreen(Screen[None]):
    """Prompt and settings beside the answer; attempts, status line and keys below."""

    BINDINGS = bindings()  # type: ignore[assignment]  # Textual types BINDINGS as an invariant list
    PANELS = (
        ("banner", "Shown on the simulator: the scenario it plays (f8 picks another)."),
        ("Prompt (f2)", "The prompt editor; below it the system prompt (folded) and max tokens."),
        ("Settings (f3)", "Model, timeout preset and each timeout, retry policy; checked as you send."),
        ("Answer (f4)", "The streamed answer as Markdown, one turn after another."),
        ("Attempts (f5)", "Every attempt: start, duration, outcome, characters, request id; enter inspects one."),
        (
            "timeline (t)",
            "Beside the table (wide) or in its place: each attempt's phases, failures, waits, the deadline.",
        ),
        ("", "During a backoff: the countdown, why it waits, and the keys that steer the run."),
        ("status line", "Backend, model, preset, state, elapsed against the deadline, tokens and speed."),
    )
    """What each panel shows, for the help overlay (f1)."""
    AUTO_FOCUS = "#prompt"

    def __init__(
        self, controller: RunController, settings: RunSettings, *, clock: Any, keymap: dict[str, str] | None = None
    ) -> None:
        super().__init__(id="main")
        self.keys = effective_keys(keymap or {})
        """Binding id -> keys in force: panel titles show how to reach each panel."""
        self.controller = controller
        self.backend = controller.backend
        self.settings = settings
        """The base settings (a profile or the defaults) the form edits."""
        self.clock = clock
        self.run_state = RunState()
        self.run_settings = settings
        """The settings the current (or last) run uses: a retry with edits says what changed."""
        self._form: Any = None
        self._extras: asyncio.Future[None] | None = None
        """The settings form, made (and its module imported) after the first frame."""
        self._shown_phase = "idle"
        self.replaying = ReplayState(clock)
        """The replay in progress, if any (its session, speed, pause and step)."""
        self.conversation = Conversation()
        """The turns a follow-up sends (``alt+j``); a plain send starts a new one."""
        self.side = SideActions(self)
        """Profiles, scenario, models, copy: the secondary actions."""
        self.history = HistoryActions(self)
        """The sessions screen, re-runs and replays."""
        self.steering = SteeringActions(self)
        """Cancel, retry now, retry with edits."""
        self.sending = SendActions(self)
        """Send, follow up, run (``main_send``)."""
        self.mounted = asyncio.Event()
        """Set once the screen and every panel in it are mounted."""
        self._noted_models: set[str] = set()

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.add_class(*breakpoint_classes(self.app.size.width, self.app.HORIZONTAL_BREAKPOINTS), update=False)
        hint = real_api_hint(self.keys["backend"])
        banner = SimulatorBanner(self.backend.scenario_name, pick_key=self.keys["scenario"], hint=hint, id="banner")
        banner.display = self.backend.choice.kind == "simulator"  # ctrl+f may switch it on later
        yield banner
        with Horizontal(id="body"):
            with Vertical(id="request"):
                k = self.keys
                yield RequestTabs(
                    {"prompt": f"Prompt {k['focus-prompt']}", "settings": f"Settings {k['focus-settings']}"},
                    id="request-tabs",
                )
                with ContentSwitcher(initial="prompt-panel", id="request-pages"):
                    yield PromptPanel(send_key=k["send"], id="prompt-panel")
                    # Empty until after the first frame (see ``after_first_frame``), and hidden
                    # from the start: left to the switcher, it would be hidden a frame late.
                    settings_page = Vertical(id="settings-page")
                    settings_page.display = False
                    yield settings_page
            output = OutputPanel(id="output")
            output.border_title = f"Answer {self.keys['focus-answer']}"
            yield output
        attempts = AttemptsPanel(id="attempts")  # full width: its columns fit even at 80x24
        attempts.border_title = f"Attempts {self.keys['focus-attempts']}"
        attempts.border_subtitle = f"{self.keys['timeline']}: timeline"
        yield attempts
        yield StatusLine(id="status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.apply_settings(self.settings, announce=False)
        status = self.query_one(StatusLine)
        status.backend_label = self.backend.choice.label
        self.query_one(AttemptsPanel).backoff_hint = self.steering_hint()
        self.render_live()
        self.query_one("#prompt", TextArea).focus()
        self.set_interval(TICK_SECONDS, self._tick)
        self.mounted.set()

    @property
    def form(self) -> Any:
        """The ``SettingsForm``: its ``load``/``read``/``set_models`` work before it is mounted."""
        if self._form is None:
            from ..widgets.request.settings_form import SettingsForm

            self._form = SettingsForm(id="settings-form")
            self._form.load(self.settings)
            if self.backend.known_models:
                self._form.set_models(self.backend.known_models)
        return self._form

    async def after_first_frame(self) -> None:
        """Mount what the first frame can do without: the settings tab's thirty-odd fields
        and the attempts table cost about as much as the rest of the screen, and both are
        empty or hidden until the user acts.

        Every caller awaits one shared mount: the app's ``on_ready`` and a send typed the
        moment the first frame showed run it concurrently, and two mounts racing used to
        mount the attempts table twice (``DuplicateIds``: the send failed). Shielded, so a
        cancelled caller (a run given up) does not cancel the mount the others wait for.
        """
        if self._extras is None:
            self._extras = asyncio.ensure_future(self._mount_extras())
        await asyncio.shield(self._extras)

    async def _mount_extras(self) -> None:
        await self.query_one(PromptPanel).mount_options()
        await self.query_one(AttemptsPanel).mount_table()
        if self.form.parent is None:
            await self.query_one("#settings-page").mount(self.form)
        self.side.advise()

    def apply_settings(self, settings: RunSettings, *, announce: bool = True) -> None:
        """Show ``settings`` in the form (a profile picked, the defaults at start)."""
        self.settings = settings
        if self._form is not None:
            self._form.load(settings)
        self.query_one(PromptPanel).load(settings)
        self.side.advise()
        status = self.query_one(StatusLine)
        status.model, status.preset = settings.model, settings.preset
        if announce:
            self.notify(f"Settings: {settings.model}, preset {settings.preset}")

    def backend_loaded(self) -> None:
        """The SDK (and simulator) finished loading in the background: offer what it knows."""
        if self._form is not None:
            self._form.set_models(self.backend.known_models)
        if self.backend.scenarios:
            if self.settings.scenario and self.settings.scenario != self.backend.scenario_name:
                self.use_scenario(self.settings.scenario)
            self.query_one(SimulatorBanner).show_scenario(self.backend.scenario_name)  # a file by its name
        self.side.flush_notices()

    def current_settings(self) -> RunSettings:
        """The form's values over the base settings; ``ValueError`` naming the bad field."""
        settings = self.form.read(self.settings) if self._form is not None else self.settings
        return self.query_one(PromptPanel).read(settings)

    def settings_or_notice(self) -> RunSettings | None:
        """``current_settings()``, or None after telling the user which field to fix."""
        try:
            return self.current_settings()
        except ValueError as exc:
            self.notify(str(exc), title="Settings", severity="error")
            return None

    # -- sending and steering -----------------------------------------------------------
    def action_send(self) -> None:
        self.sending.send()

    def action_follow_up(self) -> None:
        self.sending.send(follow_up=True)

    @property
    def is_busy(self) -> bool:
        """A run or a replay owns the panels: a second one would interleave with it."""
        return self.sending.sending or self.controller.busy or self.replaying.active

    def start_run(self, prompt: str, settings: RunSettings, links: Links = NO_LINKS) -> None:
        self.sending.start_run(prompt, settings, links)

    async def show_event(self, event: Event) -> None:
        """The sink for every event of a run (live or replayed): fold it into each panel."""
        now = self.now()
        if event.type == "attempt_start" and not self.replaying.active:
            self._note_model(event.model)  # type: ignore[attr-defined]
        self.query_one(AttemptsPanel).apply(event)
        await self.query_one(OutputPanel).apply(event)
        self.run_state.apply(event, now)  # last: a state of "done" means everything is shown
        if event.type != "text":
            self.render_live()
            self._refresh_keys()

    def _note_model(self, model: str) -> None:
        """Say once per model that it is deprecated, when the SDK says so (the SDK's own
        warning is hidden by Python's defaults, and would land under the screen anyway).
        Asked at an attempt's start: the SDK is loaded by then, never on the UI's account."""
        if model in self._noted_models:
            return
        self._noted_models.add(model)
        from ...model_notes import deprecation_note

        if note := deprecation_note(model):
            self.notify(note, title="Model", severity="warning", timeout=10)

    def _refresh_keys(self) -> None:
        """Re-check which steering keys apply, only when the phase changed: the footer
        rebuilds itself on every refresh, which is too dear to do per event."""
        phase = self.controller.phase
        if phase != self._shown_phase:
            self._shown_phase = phase
            self.refresh_bindings()

    def now(self) -> float:
        """The clock the panels count with: a paused replay's stands still."""
        return self.replaying.now() if self.replaying.active else self.clock()

    def render_live(self) -> None:
        """Repaint what depends on the clock: status line, countdown, streamed chars."""
        now = self.now()
        self.query_one(StatusLine).show(self.run_state, now)
        attempts = self.query_one(AttemptsPanel)
        attempts.flush()
        attempts.show_state(self.run_state, now)

    def turn_over(self) -> None:
        """A run or a replay ended and every panel shows it: repaint, and hand the garbage
        collector its moment (``gc_policy.turn_done``: collect this turn's cycles, freeze the
        rest). Decided here, where the whole turn is known to be over, not in a panel: the
        collector is the process's, and a panel cannot tell whether a run is still going."""
        self.render_live()
        self._refresh_keys()
        gc_policy.turn_done()

    def _tick(self) -> None:
        if self.run_state.live:
            self.render_live()

    def action_cancel(self) -> None:
        self.steering.cancel()

    def action_retry_now(self) -> None:
        self.steering.retry_now()

    def action_retry_with_settings(self) -> None:
        self.steering.retry_with_settings()

    def switch_and_retry(self, settings: RunSettings) -> None:
        self.steering.switch_and_retry(settings)

    def steering_hint(self) -> str:
        return self.steering.hint()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Steering keys appear in the footer only while they can act (``main_keys``)."""
        return key_acts(self, action)

    # -- secondary actions (``main_side``, ``main_history``) -----------------------------------
    def action_copy_answer(self) -> None:
        self.side.copy_answer()

    def action_save_profile(self) -> None:
        self.side.save_profile()

    def action_load_profile(self) -> None:
        self.side.load_profile()

    def use_profile(self, name: str) -> None:
        self.side.use_profile(name)

    def action_switch_backend(self) -> None:
        self.side.switch_backend()

    def action_pick_scenario(self) -> None:
        self.side.pick_scenario()

    def use_scenario(self, scenario: str) -> None:
        self.side.use_scenario(scenario)

    def action_refresh_models(self) -> None:
        self.side.refresh_models()

    def action_sessions(self) -> None:
        self.history.open_sessions()

    def rerun(self, session: SessionPreview | SessionDetail) -> None:
        """Send a past session's prompt again with its settings; the new session links to it."""
        self.history.rerun(session)

    def replay(self, detail: SessionDetail, speed: float | None) -> None:
        """Play a recorded session through the same panels, with its timing / ``speed``."""
        self.history.replay(detail.id, speed, detail)

    def action_replay_pause(self) -> None:
        self.history.toggle_pause()

    def action_copy_as_code(self) -> None:
        self.side.copy_as_code()

    def action_replay_resume(self) -> None:
        self.history.toggle_pause()

    def action_replay_step(self) -> None:
        self.history.step()

    # -- focus --------------------------------------------------------------------------
    def action_focus_prompt(self) -> None:
        self._open_page("prompt-panel", "prompt")
        self.query_one("#prompt", TextArea).focus()

    async def action_focus_settings(self) -> None:
        await self.after_first_frame()  # a key pressed before it was mounted
        self._open_page("settings-page", "settings")
        self.query_one("#model", Input).focus()

    def _open_page(self, page_id: str, tab: str) -> None:
        self.query_one("#request-pages", ContentSwitcher).current = page_id
        self.query_one(RequestTabs).show(tab)

    def action_focus_answer(self) -> None:
        self.query_one(OutputPanel).focus()

    def action_toggle_timeline(self) -> None:
        self.query_one(AttemptsPanel).toggle_timeline()

    async def action_focus_attempts(self) -> None:
        await self.after_first_frame()
        self.query_one("#attempt-table").focus()

    # -- messages from panels ---------------------------------------------------------------
    @on(AttemptsPanel.Inspect)
    def _inspect(self, message: AttemptsPanel.Inspect) -> None:
        from .attempt_detail import AttemptDetail  # imported when first needed, not at start

        self.app.push_screen(AttemptDetail(message.record))

    # Handlers by name, not ``@on(Select.Changed, ...)``: the form's widget classes are
    # imported after the first frame, so this module must not need them.
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "model":
            self.query_one(StatusLine).model = event.value.strip()
        self.side.advise()

    def on_button_pressed(self, event: Any) -> None:
        if event.button.id == "refresh-models":
            self.side.refresh_models()

    def on_select_changed(self, event: Any) -> None:
        if event.select.id == "preset" and event.value != event.select.NULL:
            self.query_one(StatusLine).preset = str(event.value)
        self.side.advise()
