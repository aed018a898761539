"""Shared fixtures for the TUI tests: an in-process simulator, the app wired to it, a fake
backend and synthetic events for deterministic snapshots, and bounded waits (never sleeps).

The suite-wide ``tests/conftest.py`` already points config/data at temp dirs and unsets
ANTHROPIC_API_KEY, NO_COLOR and TEXTUAL_THEME.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from tests.samples import overloaded, success
from tui_app.retry.events import (
    AttemptError,
    AttemptStart,
    Backoff,
    FirstToken,
    GiveUp,
    ResponseStart,
    RunStart,
    TextDelta,
)
from tui_app.retry.failures import Failure
from tui_app.run.backend import Backend, BackendChoice
from tui_app.settings import RunSettings
from tui_app.ui.app import ClaudeTUI
from tui_app.ui.run_state import LIVE_STATES

if TYPE_CHECKING:
    from collections.abc import Callable

FROZEN_NOW = 100.0
PROMPT = "Explain exponential backoff in two paragraphs"


def fast_scenario(*steps: dict[str, Any], then: str = "happy", answer_chars: int = 300) -> dict[str, Any]:
    """A scripted scenario with tiny delays, so tests finish in milliseconds."""
    return {"name": "test", "steps": list(steps), "then": then, "answer_chars": answer_chars}


class GatedSleep:
    """A backoff ``sleep`` the test controls: waits until ``release()`` (or forever).

    Lets a test look at the backing-off state for as long as it needs, then let it go,
    instead of racing a real timer.
    """

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._gate = asyncio.Event()

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await self._gate.wait()

    def release(self) -> None:
        self._gate.set()


@pytest.fixture
def gated_sleep() -> GatedSleep:
    return GatedSleep()


@pytest.fixture
def make_app(make_sim):
    """Factory: ``(app, sim)`` — the real app on a fresh simulator playing ``scenario``."""

    def make(scenario: Any = "happy", **kwargs: Any) -> tuple[ClaudeTUI, Any]:
        sim = make_sim(scenario)
        backend = Backend(BackendChoice("simulator"), simulator=sim)
        return ClaudeTUI(backend=backend, **kwargs), sim

    return make


async def _wait_until(pilot: Any, predicate: Callable[[], bool], timeout: float = 30.0, what: str = "") -> float:
    """Poll ``predicate`` while letting the app run; fail after ``timeout`` s. Returns the wait."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        await pilot.pause(0.01)
    return time.monotonic() - start


@pytest.fixture
def wait_until():
    return _wait_until


def _screen_text(app: Any) -> str:
    """The screen as plain text, one line per row (what a person would read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.fixture
def screen_text():
    return _screen_text


async def _replay_paused_at(pilot: Any, screen: Any, detail: Any, event_type: str) -> None:
    """Replay ``detail`` at max speed and pause it right after its first ``event_type``
    event is shown (paused there whatever the machine's speed)."""
    show_event = screen.show_event

    async def pause_there(event: Any) -> None:
        await show_event(event)
        if event.type == event_type:
            screen.action_replay_pause()

    screen.show_event = pause_there
    screen.replay(detail, None)
    await _wait_until(pilot, lambda: screen.replaying.paused, what=f"the replay to pause at its {event_type}")
    await pilot.pause()


@pytest.fixture
def replay_paused_at():
    return _replay_paused_at


async def _started(pilot: Any) -> Any:
    """Wait for the background load (SDK import, simulator) so timings are the app's own."""
    app = pilot.app
    await app.backend.ready()
    await pilot.pause()
    return app.main_screen


@pytest.fixture
def started():
    return _started


async def _send(pilot: Any, prompt: str) -> None:
    """Type ``prompt`` into the editor and press ctrl+j."""
    await pilot.press(*prompt)
    await pilot.press("ctrl+j")


@pytest.fixture
def send():
    return _send


async def _send_and_wait(pilot: Any, prompt: str, state: str = "done") -> Any:
    """Send ``prompt`` and wait for ``state`` (an outcome: until every panel is updated)."""
    screen = pilot.app.main_screen
    await _send(pilot, prompt)
    settled = (lambda: True) if state in LIVE_STATES else (lambda: not screen.is_busy)
    await _wait_until(pilot, lambda: screen.run_state.state == state and settled(), what=state)
    return screen


@pytest.fixture
def send_and_wait():
    return _send_and_wait


# -- deterministic snapshots: a backend that loads nothing, events made by hand --------------


class FakeBackend:
    """Stands in for ``tui_app.run.backend.Backend`` when the UI is driven with synthetic events only."""

    def __init__(self, kind: str = "simulator") -> None:
        self.choice = BackendChoice(kind, api_key="k" if kind == "api" else None)  # type: ignore[arg-type]
        self.simulator = None
        self.store = None
        self.notices: list[str] = []
        self.known_models = ("claude-sonnet-4-6", "claude-opus-4-5")
        self.scenarios = ("happy", "529-then-ok", "overload-storm")
        self.scenario_name = "529-then-ok"
        self.is_ready = True

    async def ready(self) -> None:
        return None

    def start(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


@pytest.fixture
def snapshot_app():
    """Factory: an app on ``FakeBackend`` with a frozen clock and no cursor blink."""

    def make(kind: str = "simulator") -> ClaudeTUI:
        settings = RunSettings(model="claude-sonnet-4-6")  # not the default: it may change
        return ClaudeTUI(
            backend=FakeBackend(kind),
            settings=settings,  # type: ignore[arg-type]
            clock=lambda: FROZEN_NOW,
            cursor_blink=False,
        )

    return make


ANSWER = (
    "Exponential backoff waits longer after each failure:\n\n"
    "- first retry after about `0.5 s`\n- then `1 s`, `2 s`, ...\n\n"
    "```python\ndelay = min(cap, base * 2 ** n)\n```\n"
)
OVERLOADED = overloaded("req_sim_000001", retry_after=2.0)
RATELIMIT = {
    "anthropic-ratelimit-requests-limit": "1000",
    "anthropic-ratelimit-requests-remaining": "998",
    "anthropic-ratelimit-requests-reset": "2025-01-01T12:00:05Z",
}


def synthetic_states() -> dict[str, list[Any]]:
    """Event lists that put the panels in each main state (as a live run would)."""
    start = [
        RunStart(t=0.0, model="claude-sonnet-4-6", max_attempts=4, deadline=60.0),
        AttemptStart(t=0.0, attempt=1, model="claude-sonnet-4-6"),
    ]
    failed_1 = [AttemptError(t=0.3, attempt=1, failure=OVERLOADED, duration=0.3)]
    backoff = [
        Backoff(t=0.3, attempt=1, delay=2.0, reason="retry-after", detail="server asked for 2.0 s via retry-after")
    ]
    attempt_2 = [
        AttemptStart(t=2.3, attempt=2, model="claude-sonnet-4-6"),
        ResponseStart(t=2.4, attempt=2, request_id="req_sim_000002", ratelimit=RATELIMIT),
        FirstToken(t=2.5, attempt=2, ttft=0.2),
    ]
    half = [TextDelta(t=2.6, attempt=2, text=ANSWER[:70])]
    rest = [TextDelta(t=2.7, attempt=2, text=ANSWER[70:])]
    done = [success(2.9, 2, ANSWER, request_id="req_sim_000002", output_tokens=48, ttft=0.2, tokens_per_s=120.0)]
    give_up = [
        GiveUp(
            t=0.3,
            attempt=1,
            reason="non_retryable",
            failure=_BAD_REQUEST,
            detail="HTTP 400 (invalid_request_error) is not retried",
            elapsed=0.3,
        )
    ]
    return {
        "idle": [],
        "streaming": start + failed_1 + backoff + attempt_2 + half,
        "backing_off": start + failed_1 + backoff,
        "failed": start + [AttemptError(t=0.3, attempt=1, failure=_BAD_REQUEST, duration=0.3)] + give_up,
        "done": start + failed_1 + backoff + attempt_2 + half + rest + done,
    }


_BAD_REQUEST = Failure(
    kind="client_error",
    retryable=False,
    message="max_tokens: must be <= 8192",
    status=400,
    error_type="invalid_request_error",
    request_id="req_sim_000001",
)


async def play(pilot: Any, events: list[Any], *, phase: str | None = None) -> None:
    """Feed ``events`` to the main screen as a run would; ``phase`` fakes the controller's."""
    screen = pilot.app.main_screen
    if events:
        screen.query_one("#prompt").text = PROMPT
        await screen.query_one("#output").begin_turn(PROMPT)
    for event in events:
        await screen.show_event(event)
    if phase is not None:
        pilot.app.controller.busy = True
        pilot.app.controller.run = SimpleNamespace(phase=phase)
        screen.refresh_bindings()
    # The answer panel repaints on a timer (at most 30 times a second): wait until it shows
    # every delta fed, then for the repaint, so a busy machine takes the same picture.
    output, streamed = screen.query_one("#output"), "".join(e.text for e in events if e.type == "text")
    for _ in range(200):  # ...and it is scrolled to the end (it follows the answer as it grows)
        if output.live_text in (None, streamed) and output.scroll_y == output.max_scroll_y:
            break
        await pilot.pause(0.01)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
