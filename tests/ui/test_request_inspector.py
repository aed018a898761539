"""The request inspector (Enter on an attempt): the request as sent and the response's
headers, copyable and as curl, live and replayed, and never the API key."""

from __future__ import annotations

import json
import shlex

from textual.widgets import DataTable

from tui_app import inspect_request
from tui_app.run.backend import Backend
from tui_app.run.choice import BackendChoice
from tui_app.store.sessions import SessionStore
from tui_app.ui.app import ClaudeTUI

from .conftest import fast_scenario

MARKER = "sk-ant-INSPECTORMARKER-abcd1234"
RETRY_ONCE = fast_scenario({"fault": "status", "status": 529, "retry_after": 0.01})


async def _open_attempt(pilot, screen, row: int):
    await pilot.press("f5")
    screen.query_one("#attempt-table", DataTable).move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "AttemptDetail"
    return pilot.app.screen


def _api_app(sim) -> ClaudeTUI:
    """The app as against the real API (a key of ours), pointed at the simulator."""
    return ClaudeTUI(backend=Backend(BackendChoice("api", api_key=MARKER, base_url=sim.base_url)))


async def test_failed_attempt_shows_request_and_response_and_copies_them(
    make_sim, started, send_and_wait, screen_text
):
    sim = make_sim(RETRY_ONCE)
    app = _api_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "inspect me")
        detail = await _open_attempt(pilot, screen, row=0)
        request = detail.record.request
        assert request["method"] == "POST" and request["url"] == f"{sim.base_url}/v1/messages"
        assert request["body"]["messages"] == [{"role": "user", "content": "inspect me"}]
        assert request["body"]["stream"] is True
        assert request["headers"]["authorization"] == "Bearer sk-ant-…1234"
        assert request["headers"]["anthropic-version"]
        shown_request = detail.query_one("#request-text").text
        assert shown_request.startswith(f"POST {sim.base_url}/v1/messages\n")
        assert '"content": "inspect me"' in shown_request
        response = detail.query_one("#response-text").text
        assert response.startswith("HTTP 529\n")
        assert "request-id: req_sim_000001" in response and "retry-after" in response

        await pilot.press("r")
        assert app.clipboard == inspect_request.request_text(request)
        await pilot.press("u")
        argv = shlex.split(app.clipboard.replace("\\\n", ""))  # line continuations, as a shell reads them
        assert argv[:3] == ["curl", "-N", f"{sim.base_url}/v1/messages"]
        assert argv[argv.index("-H") + 1] == "x-api-key: $ANTHROPIC_API_KEY"
        assert json.loads(argv[argv.index("-d") + 1]) == request["body"]

        for tab in ("attempt-request-tab", "attempt-response-tab", "attempt-text-tab"):
            detail.query_one("TabbedContent").active = tab
            await pilot.pause()
            assert MARKER not in screen_text(app)
        await pilot.press("escape")
        assert app.screen is screen
        ok = await _open_attempt(pilot, screen, row=1)  # the attempt that answered: its response_start
        assert ok.record.status == 200 and ok.record.request["body"] == request["body"]
        assert "anthropic-ratelimit-requests-remaining" in ok.query_one("#response-text").text
    with SessionStore.open() as store:
        events = store.get_session(store.list_sessions()[0].id).events
        db = store.path
    assert any(e.type == "response_start" and e.request for e in events)
    assert any(e.type == "attempt_error" and e.request for e in events)
    assert MARKER not in json.dumps([e.to_dict() for e in events])
    assert all(MARKER.encode() not in f.read_bytes() for f in db.parent.iterdir() if f.is_file())


async def test_replayed_session_shows_the_same_request(make_app, started, send_and_wait, wait_until):
    app, _sim = make_app(RETRY_ONCE)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await send_and_wait(pilot, "replay me")
        live = (await _open_attempt(pilot, screen, row=0)).query_one("#request-text").text
        await pilot.press("escape")
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("m")  # replay at max speed
        await wait_until(pilot, lambda: app.screen is screen and not screen.is_busy, what="the replay")
        replayed = await _open_attempt(pilot, screen, row=0)
        assert replayed.query_one("#request-text").text == live
        assert replayed.query_one("#response-text").text.startswith("HTTP 529\n")
