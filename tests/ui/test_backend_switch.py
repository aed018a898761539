"""ctrl+f switches where requests go — the real API ⇄ the built-in simulator — between runs, and
the screen always says which: the SIMULATOR banner and the status line's backend.

"The real API" here is a second simulator reached as an API (a key and a base URL), so
the test can tell by its request log where each send went.
"""

from __future__ import annotations

from tui_app.run.backend import Backend, BackendChoice
from tui_app.ui.app import ClaudeTUI
from tui_app.ui.widgets.status.banner import SimulatorBanner
from tui_app.ui.widgets.status.status_line import StatusLine


def _messages(sim) -> int:
    return sum(1 for r in sim.requests if r.path.startswith("/v1/messages"))


async def test_ctrl_f_goes_from_the_api_to_the_simulator_and_back(
    make_sim, monkeypatch, started, send_and_wait, wait_until
):
    api = make_sim("happy")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.base_url)
    app = ClaudeTUI(backend=Backend(BackendChoice.from_env()))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await started(pilot)
        banner, status = screen.query_one(SimulatorBanner), screen.query_one(StatusLine)
        assert not banner.display and status.backend_label == f"API {api.base_url}"
        await send_and_wait(pilot, "to the api")
        assert _messages(api) == 1

        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: app.backend.choice.kind == "simulator", what="the switch to the simulator")
        await pilot.pause()
        assert banner.display and status.backend_label == "SIMULATOR"
        assert "ctrl+f: back to the real API" in banner.render().plain
        assert any("now go to the SIMULATOR" in n.message for n in app._notifications)
        assert screen.check_action("pick_scenario", ()) is True  # f8 is back
        screen.query_one("#prompt").clear()
        await send_and_wait(pilot, "to the simulator")
        assert _messages(api) == 1  # the built-in simulator answered, not the "API"
        assert app.backend.simulator is not None and _messages(app.backend.simulator) == 1

        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: app.backend.choice.kind == "api", what="the switch back to the API")
        await pilot.pause()
        assert not banner.display and status.backend_label == f"API {api.base_url}"
        assert app.backend.simulator is None  # the one it started is stopped
        screen.query_one("#prompt").clear()
        await send_and_wait(pilot, "to the api again")
        assert _messages(api) == 2


async def test_ctrl_f_without_a_key_says_how_to_get_one_and_stays_on_the_simulator(make_app, monkeypatch, started):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    app, _sim = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await started(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.backend.choice.kind == "simulator"
        assert any("No ANTHROPIC_API_KEY is set: export ANTHROPIC_API_KEY" in n.message for n in app._notifications)


async def test_ctrl_f_waits_for_the_run_to_end(make_app, monkeypatch, started, send, wait_until, gated_sleep):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    app, _sim = make_app("529-then-ok", sleep=gated_sleep)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await started(pilot)
        await send(pilot, "hold on")
        await wait_until(pilot, lambda: screen.controller.phase == "backoff", what="the backoff")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.backend.choice.kind == "simulator"
        assert any("A run is in progress" in n.message for n in app._notifications)
        gated_sleep.release()
