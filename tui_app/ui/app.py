"""The composition root: build the backend, the controller and the main screen, then get out.

>>> ClaudeTUI().run()                                                  # doctest: +SKIP

Everything is injectable so tests drive the real app against an in-process simulator:
``ClaudeTUI(backend=Backend(BackendChoice("simulator"), simulator=sim), clock=lambda: 0.0)``.
The first frame paints before ``anthropic`` is imported: the backend loads it in a thread
once the screen is up (``on_ready``; a send pressed earlier waits for it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.widgets import Input, TextArea

from .. import gc_policy
from ..run.backend import Backend, BackendChoice
from ..run.controller import RunController
from ..safe_text import visible
from ..settings import RunSettings
from . import terminal_watch
from .config import UIConfig
from .keys import KEYS, effective_keys, keymap
from .screens.main import MainScreen

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from textual.screen import Screen


class ClaudeTUI(App[None]):
    """claude-tui's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "claude-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        *,
        backend: Backend | None = None,
        config: UIConfig | None = None,
        settings: RunSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Any = None,
        notices: Iterable[str] = (),
        cursor_blink: bool | None = None,
        replay: tuple[Any, float | None] | None = None,
    ) -> None:
        super().__init__()
        self.config = config or UIConfig.load()
        self.backend = backend or Backend(BackendChoice.from_env(scenario=settings.scenario if settings else None))
        self.controller = RunController(self.backend, clock=clock, sleep=sleep)
        self.clock = clock
        self._start_settings = self._initial_settings(settings)
        self._notices = [*self.config.problems, *notices]
        self._cursor_blink = self.config.cursor_blink if cursor_blink is None else cursor_blink
        """The config file's ``cursor_blink`` unless the caller says (screenshots want it steady)."""
        self._replay = replay
        """(session, speed) to play at start: ``claude-tui replay ID``."""
        self.main_screen: MainScreen
        self._notices_shown: dict[tuple[str, str, str], float] = {}
        """Notices on screen (title, message, severity) and until when (monotonic)."""
        self._quiet = gc_policy.QuietMoments(clock)
        """When a full garbage collection would cost the user nothing (see ``gc_policy``)."""

    def _initial_settings(self, settings: RunSettings | None) -> RunSettings:
        """A profile from ``--profile`` wins; else the defaults with the last used model."""
        if settings is not None:
            return settings
        if self.config.last_model:
            return RunSettings(model=self.config.last_model)
        return RunSettings()

    def get_default_screen(self) -> MainScreen:
        """The main screen is the bottom of the stack: no blank default screen to build first."""
        self.main_screen = MainScreen(self.controller, self._start_settings, clock=self.clock, keymap=self.config.keys)
        return self.main_screen

    async def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keys:
            self.set_keymap(keymap(self.config.keys))
        self.theme_changed_signal.subscribe(self, lambda theme: self.remember(theme=theme.name))
        await self.main_screen.mounted.wait()  # callers (and the first frame) see it whole
        if not self._cursor_blink:
            self.cursor_blink_off()
        for notice in self._notices:
            self.notify(notice, title="Configuration", severity="warning", timeout=10)

    async def on_ready(self) -> None:
        """The first frame is on screen: now load the SDK and mount the hidden widgets."""
        gc_policy.ready()
        gc_policy.interactive()
        self.set_interval(1.0, self._collect_if_quiet, name="quiet collection")
        self._watch_terminal()
        self._load_backend()
        await self.main_screen.after_first_frame()
        if not self._cursor_blink:
            self.cursor_blink_off()
        if self._replay is not None:
            self.main_screen.replay(*self._replay)

    @work(group="backend", exit_on_error=False)
    async def _load_backend(self) -> None:
        """Import the SDK and start the simulator after the first paint."""
        try:
            await self.backend.ready()
        except Exception as exc:
            self.notify(f"Could not start the backend: {exc}", title="Backend", severity="error", timeout=15)
            return
        # The SDK's import made ~160k objects that live as long as the app: out of the
        # collector's way too, or the next full collection walks them all (≈250 ms of
        # frozen screen, e.g. while scrolling the sessions list before any run).
        gc_policy.ready()
        self.main_screen.backend_loaded()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice of the app (``Widget.notify`` and so ``Screen.notify`` delegate
        here) shows its text safely: control characters escaped (:func:`visible`), and
        always as plain text — ``markup`` is ignored, since ``Widget.notify`` passes True by
        default and notices quote outside text (a server message, a profile's ``[retry]``
        table, a path) that markup would eat or choke on (``MarkupError``).

        A notice already on screen is not shown a second time (a key pressed twice, a
        save repeated): stacked copies push the rest of the screen out of view.
        """
        notice = (visible(title), visible(message), str(severity))
        now = time.monotonic()
        self._notices_shown = {n: until for n, until in self._notices_shown.items() if until > now}
        if notice in self._notices_shown:
            return
        self._notices_shown[notice] = now + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        super().notify(notice[1], title=notice[0], severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        """The help overlay for the screen on top (not for itself when already open)."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_lab(self) -> None:
        """The policy lab (f12, or the palette), over the screen it was opened from."""
        from .screens.lab import LabScreen

        if not isinstance(self.screen, LabScreen):
            self.push_screen(LabScreen())

    def action_help_quit(self) -> None:
        """ctrl+c, where nothing copies: say how to quit (Textual's own notice is markup,
        which ``notify`` shows as plain text)."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {self.get_key_display(active.binding)} to quit.", title="Quit?")
                return

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._quiet.input()
        await super().on_event(event)

    def _collect_if_quiet(self) -> None:
        self._quiet.check(busy=self.main_screen.is_busy)

    def get_driver_class(self) -> type[Any]:
        """Textual's driver for this platform, made to outlive a terminal that disappears."""
        return terminal_watch.hangup_safe(super().get_driver_class())

    def _watch_terminal(self) -> None:
        """Quit when the terminal is gone (see ``terminal_watch``), with 129 as the exit code
        (128 + SIGHUP, what a shell reports for a hang-up)."""
        fd = None if self.is_headless else terminal_watch.terminal_fd()
        if fd is None:
            return

        async def check() -> None:
            if terminal_watch.hung_up(fd):
                await self.quit(return_code=129)

        self.set_interval(terminal_watch.CHECK_SECONDS, check, name="terminal watch")

    async def action_quit(self) -> None:
        await self.quit()

    async def quit(self, return_code: int = 0) -> None:
        """Exit; a request in flight is cancelled first, so its session is recorded as such."""
        await self.controller.stop()
        self.exit(return_code=return_code)

    def remember(self, **changes: str) -> None:
        """Persist preferences (theme, last model); a failure is a notice, never a crash."""
        problem = self.config.remember(**changes)
        if problem:
            self.notify(problem, severity="warning")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette lists every bound action (with its current key) beside Textual's own."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        keys = effective_keys(self.config.keys)
        for key in KEYS:
            yield SystemCommand(
                key.palette_title,
                f"{key.tooltip} ({keys[key.id]})",
                lambda action=key.action: self.run_action(action, screen),
            )

    crash: Exception | None = None
    """The first exception no handler caught: ``run()`` raises it once the terminal is restored."""

    def _handle_exception(self, error: Exception) -> None:
        """Textual exits on an unhandled exception and prints its traceback, with local
        variables (which can hold the API key), over the terminal. Keep the exit (and the
        re-raise under ``run_test``, so pilot tests of broken code still fail) but print
        nothing: ``run()`` raises the error for ``cli.main`` to write a crash log and one line."""
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """``App.run``, raising the exception that ended the app (see ``_handle_exception``)."""
        result = super().run(*args, **kwargs)
        if self.crash is not None:
            raise self.crash
        return result

    async def on_unmount(self) -> None:
        await self.backend.aclose()
        gc_policy.release()

    def cursor_blink_off(self) -> None:
        """A steady cursor (``cursor_blink = false`` in config.toml); also what keeps two
        screenshots of the same screen identical."""
        for widget in self.main_screen.query("TextArea, Input"):
            if isinstance(widget, (TextArea, Input)):
                widget.cursor_blink = False
