"""The server itself: request log, counters, admin endpoints, validation, sockets, speed."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import time

import anthropic
import httpx2
import pytest

from tui_app.simulator import Simulator, Step, answer_for
from tui_app.simulator.sse import parse_sse


async def test_request_log_records_read_timeout_masked_key_and_body(sim, sdk, prompt) -> None:
    await sdk(sim, read=1.5).stream()
    [record] = sim.requests
    assert (record.method, record.path, record.attempt, record.status) == ("POST", "/v1/messages", 1, 200)
    assert record.read_timeout == 1.5
    assert record.headers["authorization"] == "Bearer ***"
    assert record.body["messages"][0]["content"] == prompt and record.body["stream"] is True
    assert record.step == Step()


def test_attempt_counter_scenario_steps_and_reset(make_sim, scripted, raw, message_body) -> None:
    sim = make_sim(scripted(Step("status", status=529), Step("status", status=500)))
    statuses = [raw(sim, "POST", "/v1/messages", message_body).status for _ in range(3)]
    raw(sim, "GET", "/v1/models")
    assert statuses == [529, 500, 200]
    assert [r.attempt for r in sim.requests] == [1, 2, 3, None]
    assert sim.attempts == 3
    sim.reset()
    assert sim.requests == [] and sim.attempts == 0
    assert raw(sim, "POST", "/v1/messages", message_body).status == 529  # the script restarted
    assert sim.requests[0].attempt == 1


def test_set_scenario_restarts_the_script_and_keeps_the_log(sim, scripted, raw, message_body) -> None:
    raw(sim, "POST", "/v1/messages", message_body)
    sim.set_scenario("529-then-ok")
    assert raw(sim, "POST", "/v1/messages", message_body).status == 529
    assert [r.attempt for r in sim.requests] == [1, 2]
    assert sim.scenario.name == "529-then-ok"


def test_set_scenario_and_reset_before_start() -> None:
    sim = Simulator()
    sim.set_scenario("stalls")
    sim.reset()
    assert sim.scenario.name == "stalls" and sim.requests == []
    sim.stop()  # never started: nothing to do


def test_admin_endpoints(sim, raw, message_body) -> None:
    raw(sim, "POST", "/v1/messages", message_body)
    log = raw(sim, "GET", "/_sim/requests").json()
    assert log["attempts"] == 1 and log["requests"][0]["step"] == {"fault": "none"}
    assert log["requests"][0]["headers"]["x-api-key"] == "***"
    assert raw(sim, "PUT", "/_sim/scenario", {"name": "529-then-ok"}).json()["scenario"] == "529-then-ok"
    assert raw(sim, "POST", "/v1/messages", message_body).status == 529
    custom = {"name": "mine", "steps": [{"fault": "status", "status": 503}]}
    assert raw(sim, "PUT", "/_sim/scenario", custom).status == 200
    assert raw(sim, "POST", "/v1/messages", message_body).status == 503
    bad = raw(sim, "PUT", "/_sim/scenario", {"steps": [{"fault": "boom"}]})
    assert bad.status == 400 and "steps[0].fault" in bad.json()["error"]["message"]
    assert raw(sim, "POST", "/_sim/reset").json() == {"ok": True}
    assert raw(sim, "GET", "/_sim/requests").json()["requests"] == []
    assert raw(sim, "GET", "/_sim/nope").status == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"model": None}, "model"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": "9"}, "max_tokens"),
        ({"messages": []}, "messages"),
        ({"stream": "yes"}, "stream"),
    ],
)
def test_invalid_body_is_a_400_naming_the_field(sim, raw, message_body, change, field) -> None:
    body = {k: v for k, v in (message_body | change).items() if v is not None}
    resp = raw(sim, "POST", "/v1/messages", body)
    assert resp.status == 400
    error = resp.json()
    assert error["type"] == "error" and error["error"]["type"] == "invalid_request_error"
    assert error["error"]["message"].startswith(f"{field}:")
    assert error["request_id"] == resp.headers["request-id"]


def test_missing_credentials_is_a_401(sim, raw, message_body) -> None:
    resp = raw(sim, "POST", "/v1/messages", message_body, headers={"content-type": "application/json"})
    assert resp.status == 401 and resp.json()["error"]["type"] == "authentication_error"
    assert raw(sim, "GET", "/v1/models", headers={}).status == 401


def test_unknown_path_is_a_404_json_error(sim, raw) -> None:
    resp = raw(sim, "GET", "/v2/everything")
    assert resp.status == 404 and resp.json()["error"]["type"] == "not_found_error"
    assert resp.headers["request-id"].startswith("req_sim_")
    assert "anthropic-ratelimit-requests-limit" in resp.headers


def test_keep_alive_serves_several_requests_on_one_connection(sim, message_body) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        for _ in range(3):
            conn.request("POST", "/v1/messages", json.dumps(message_body), {"x-api-key": "k"})
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read())["type"] == "message"
        first_socket = conn.sock
        conn.request("GET", "/v1/models", headers={"x-api-key": "k"})
        assert conn.getresponse().status == 200 and conn.sock is first_socket
    finally:
        conn.close()


def _raw_post(sim: Simulator, body: dict, *, close: bool = True) -> socket.socket:
    data = json.dumps(body).encode()
    sock = socket.create_connection(("127.0.0.1", sim.port), timeout=5)
    head = f"POST /v1/messages HTTP/1.1\r\nhost: sim\r\nx-api-key: k\r\ncontent-length: {len(data)}\r\n"
    sock.sendall(head.encode() + (b"connection: close\r\n" if close else b"") + b"\r\n" + data)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while data := sock.recv(1 << 20):
        chunks.append(data)
    return b"".join(chunks)


def test_stream_wire_format_and_event_order(sim, message_body) -> None:
    with _raw_post(sim, message_body | {"stream": True}) as sock:
        payload = _read_all(sock)
    head, _, body = payload.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower() and b"text/event-stream" in head
    events = parse_sse(_dechunk(body))
    names = [e.event for e in events]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(names[3:-3]) == {"content_block_delta"}
    start = events[0].data["message"]
    assert start["stop_reason"] is None and set(start["usage"]) == {"input_tokens", "output_tokens"}
    assert events[-2].data["usage"]["output_tokens"] == len(names) - 6
    assert all(1 <= len(e.data["delta"]["text"]) <= 10 for e in events[3:-3])


def _dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return b"".join(out)
        out.append(rest[:size])
        rest = rest[size + 2 :]


def test_reset_mid_stream_is_a_real_tcp_rst(make_sim, scripted, message_body) -> None:
    sim = make_sim(scripted(Step("reset_mid_stream", after_chars=10)))
    with _raw_post(sim, message_body | {"stream": True}) as sock, pytest.raises(ConnectionResetError):
        _read_all(sock)


def test_close_without_response_sends_no_bytes(make_sim, scripted, message_body) -> None:
    sim = make_sim(scripted(Step("close_without_response")))
    with _raw_post(sim, message_body) as sock:
        assert _read_all(sock) == b""


def test_garbage_request_gets_a_400(sim) -> None:
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert _read_all(sock).startswith(b"HTTP/1.1 400 ")


async def test_connection_refused_mid_session_then_recovers(make_sim, scripted, sdk, prompt) -> None:
    # The window opens after the first answer: long enough for a loaded machine's next call.
    sim = make_sim(scripted(Step("none"), Step("connection_refused", seconds=1.0)))
    driver = sdk(sim)  # one client: its pooled keep-alive connection must not dodge the outage
    port = sim.port
    assert await driver.call(stream=True) == answer_for(prompt)
    with pytest.raises(anthropic.APIConnectionError):
        await driver.call(stream=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            assert await driver.call(stream=False) == answer_for(prompt)
            break
        except anthropic.APIConnectionError:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
    assert sim.port == port
    steps = [(r.attempt, r.method, r.step.fault, r.status) for r in sim.requests]
    assert steps == [(1, "POST", "none", 200), (2, "-", "connection_refused", None), (3, "POST", "none", 200)]


async def test_connection_refused_as_the_first_attempt(make_sim, scripted, sdk) -> None:
    # The window opens when the simulator starts: long enough for a loaded machine's first call.
    sim = make_sim(scripted(Step("connection_refused", seconds=1.0)))
    with pytest.raises(anthropic.APIConnectionError):
        await sdk(sim).call(stream=True)
    assert [(r.attempt, r.method) for r in sim.requests] == [(1, "-")]
    deadline = time.monotonic() + 10
    while True:  # the port reopens after the window
        try:
            assert await sdk(sim).call(stream=True)
            break
        except anthropic.APIConnectionError:
            assert time.monotonic() < deadline, "the port never reopened"
            await asyncio.sleep(0.02)
    assert sim.requests[-1].attempt == 2


def test_simulator_streams_much_faster_than_the_sdk_consumes(make_sim, scripted, message_body) -> None:
    """Serving 20,000 deltas takes well under a third of the time the SDK needs to parse them."""
    sim = make_sim(scripted(answer_chars=125_000))
    body = message_body | {"max_tokens": 100_000, "stream": True}
    started = time.perf_counter()
    with _raw_post(sim, body) as sock:
        payload = _read_all(sock)
    serve = time.perf_counter() - started
    assert payload.count(b"event: content_block_delta") >= 20_000

    client = anthropic.Anthropic(base_url=sim.base_url, api_key="k", max_retries=0)
    started = time.perf_counter()
    with client.messages.create(stream=True, **{k: v for k, v in body.items() if k != "stream"}) as stream:
        count = sum(1 for _ in stream)
    consume = time.perf_counter() - started
    client.close()
    assert count >= 20_000
    assert serve < consume / 3, (serve, consume)


async def test_on_request_sees_every_request_even_when_the_client_hangs_up(make_sim, scripted, sdk) -> None:
    seen = []
    sim = make_sim(scripted(Step("dribble", tokens_per_second=20), Step("status", status=429)), on_request=seen.append)
    with pytest.raises(httpx2.ReadTimeout):
        await sdk(sim, read=0.02).stream()  # 50 ms between tokens: the client gives up
    with pytest.raises(anthropic.RateLimitError):
        await sdk(sim).stream()
    deadline = time.monotonic() + 2
    while len(seen) < 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert sorted((r.attempt, r.status) for r in seen) == [(1, 200), (2, 429)]  # 1 ends last


def test_stop_then_start_again(raw, message_body) -> None:
    sim = Simulator("529-then-ok").start()
    try:
        assert raw(sim, "POST", "/v1/messages", message_body).status == 529
        sim.stop()
        sim.stop()  # twice is fine
        sim.start()
        assert raw(sim, "POST", "/v1/messages", message_body).status == 200  # the script went on
    finally:
        sim.stop()


async def test_request_log_times_each_request_and_names_its_fault(make_sim, scripted, sdk) -> None:
    """received_at orders the requests; headers_after includes a latency step's silence (a
    lower bound the server itself enforces); duration spans the streamed answer."""
    sim = make_sim(scripted(Step("status", status=529), Step("latency", seconds=0.2)))
    driver = sdk(sim)
    with pytest.raises(anthropic.OverloadedError):
        await driver.stream()
    await driver.stream()
    first, second = sim.requests
    assert (first.fault, second.fault) == ("status", "latency")
    assert 0 <= first.received_at < second.received_at
    assert 0 <= first.headers_after <= first.duration
    assert 0.2 <= second.headers_after <= second.duration
    logged = second.to_dict()
    assert {k: logged[k] for k in ("fault", "received_at", "headers_after", "duration")} == {
        "fault": "latency",
        "received_at": second.received_at,
        "headers_after": second.headers_after,
        "duration": second.duration,
    }
