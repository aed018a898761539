"""The request inspector (Enter on an attempt): the request as sent and the response's
headers, copyable and as curl, live and replayed, and never the API key."""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tui_app import inspect_request
from tui_app.retry.events import AttemptError
from tui_app.run.backend import Backend
from tui_app.run.choice import BackendChoice
from tui_app.store.sessions import SessionStore
from tui_app.ui.app import ClaudeTUI
from tui_app.ui.screens.attempt_detail import AttemptDetail

from .conftest import OVERLOADED, fast_scenario, play, synthetic_states

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


async def test_failed_attempt_shows_request_and_response_and_copies_them(make_sim, started, send_and_wait, screen_text):
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

        tabs = detail.query_one("TabbedContent")
        for tab in ("attempt-request-tab", "attempt-response-tab"):  # the arrows move between tabs
            await pilot.press("right")
            assert tabs.active == tab
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


SENT = {
    "method": "POST",
    "url": "https://api.anthropic.com/v1/messages",
    "headers": {
        "accept": "application/json",
        "anthropic-version": "2023-06-01",
        "authorization": "Bearer sk-ant-…1234",
        "content-type": "application/json",
    },
    "body": {
        "model": "claude-sonnet-4-6",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Explain exponential backoff"}],
        "stream": True,
    },
}
OVERLOADED_HEADERS = {"request-id": "req_sim_000001", "retry-after": "2", "x-should-retry": "true"}


@pytest.mark.parametrize("tab", ["request", "response"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_inspector_snapshots(snap_compare, snapshot_app, size, tab):
    failed = AttemptError(t=0.3, attempt=1, failure=OVERLOADED, duration=0.3, request=SENT)
    failed = replace(failed, response_headers=OVERLOADED_HEADERS)
    events = [failed if e.type == "attempt_error" else e for e in synthetic_states()["done"]]

    async def drive(pilot):
        await play(pilot, events)
        detail = await _open_attempt(pilot, pilot.app.main_screen, row=0)
        detail.query_one("TabbedContent").active = f"attempt-{tab}-tab"
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=drive)


def test_the_readme_names_every_inspector_key():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for binding in AttemptDetail.BINDINGS:
        keys = ", ".join(f"`{key}`" for key in binding.key.split(","))  # type: ignore[union-attr]
        assert f"| {keys} | " in readme and f"| `{binding.id}` |" in readme, binding.id  # type: ignore[union-attr]
