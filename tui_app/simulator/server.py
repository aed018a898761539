"""The simulator's server: connections, routing, the request log, and outages.

All of it runs on ONE event loop (the simulator thread's, see :mod:`.host`), so the state
here needs no locks; other threads only read snapshots of the log.

How ``connection_refused`` works: a client only gets a real ``ECONNREFUSED`` when nothing
listens on the port, so an attempt cannot be refused after it was accepted. Instead the
server looks one step ahead. When the NEXT attempt's step is ``connection_refused``, the
current response goes out with ``Connection: close``, the listening socket is closed at
once and idle keep-alive connections are closed (so the SDK's pool cannot reuse them).
Once the current response is over, the port stays closed for the step's ``seconds``, then
the server listens again on the same port. That refused step counts as one attempt (it
is logged with method ``-``) whether or not a client tried to connect in that window. If
attempt 1 is ``connection_refused``, the server starts closed (after binding the port so
its number is known). Consecutive refused steps make one longer outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from .api import AnswerPlan, ApiError, RateLimits, check_auth, model_info, models_page, parse_messages_body
from .http import MAX_HEADER_BYTES, BadRequest, Connection, Request, read_request
from .recorded import RECORDED
from .records import RecordedRequest
from .replay import respond_recorded
from .respond import Reply, respond
from .scenarios import Scenario, StepSequence, load_scenario, scenario_from_dict
from .steps import ScenarioError, Step

if TYPE_CHECKING:
    from collections.abc import Callable

_RELISTEN_TRIES = 40


class SimulatorServer:
    """State and logic of one simulator; every method runs on the simulator's loop."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        on_request: Callable[[RecordedRequest], None] | None,
        *,
        today: date | None = None,
    ) -> None:
        self.scenario = scenario
        self._today = today
        """The date models' lifecycles are judged by (None: the real date, read per request)."""
        self.seed = seed
        self.on_request = on_request
        self.requests: list[RecordedRequest] = []
        self.attempts = 0
        self._responses = 0
        self._seq = StepSequence(scenario, seed)
        self._limits = RateLimits()
        self._host = "127.0.0.1"
        self.port = 0
        self._server: asyncio.Server | None = None
        self._conns: set[Connection] = set()
        self._idle: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._outage: asyncio.Task[None] | None = None
        self._closing = False
        self._started = time.monotonic()
        self._answering = 0
        """API responses being written right now (their log entries are not complete yet)."""

    async def settle(self, timeout: float) -> None:
        """Wait until no API response is being written (at most ``timeout`` seconds), so the
        log's timing is complete: a client has its last byte a moment before the server is done."""
        deadline = time.monotonic() + timeout
        while self._answering and time.monotonic() < deadline:
            await asyncio.sleep(0.001)

    def today(self) -> date:
        """Today's date for models' lifecycles: the one given at construction, else the real one."""
        return self._today or datetime.now(UTC).date()

    def elapsed(self) -> float:
        """Seconds since the server started (the request log's time base)."""
        return time.monotonic() - self._started

    # -- lifecycle -------------------------------------------------------------------

    async def start(self, host: str, port: int) -> int:
        """Bind and listen; return the port (the ephemeral one when ``port`` is 0)."""
        self._host, self.port, self._closing = host, port, False
        self._started = time.monotonic()
        await self._listen(retry=False)
        self._maybe_begin_outage(None)
        return self.port

    async def close(self) -> None:
        """Stop listening, abort every connection and finish every handler."""
        self._closing = True
        if self._outage:
            self._outage.cancel()
        self._stop_listening()
        for conn in list(self._conns):
            conn.writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, *([self._outage] if self._outage else []), return_exceptions=True)

    def clear(self) -> None:
        """Clear the log, the attempt counter and the rate-limit window."""
        self.requests.clear()
        self.attempts = 0
        self._responses = 0
        self._limits.reset()

    def load(self, scenario: Scenario) -> None:
        """Use ``scenario`` from its first step, with the RNG re-seeded."""
        self.scenario = scenario
        self._seq = StepSequence(scenario, self.seed)

    async def reset(self) -> None:
        """Clear the log and counter; restart the scenario's script and RNG."""
        self.clear()
        await self.set_scenario(self.scenario)

    async def set_scenario(self, scenario: Scenario) -> None:
        """Switch scenario, starting its script (and RNG) from the first step."""
        if self._outage:
            self._outage.cancel()
            await asyncio.gather(self._outage, return_exceptions=True)
            self._outage = None
        self.load(scenario)
        if self._server is None:
            await self._listen()
        self._maybe_begin_outage(None)

    # -- listening and outages -------------------------------------------------------

    async def _listen(self, *, retry: bool = True) -> None:
        """Listen on the port; after an outage, retry briefly if the port is not free yet."""
        for tries_left in range(_RELISTEN_TRIES if retry else 1, 0, -1):
            try:
                self._server = await asyncio.start_server(
                    self._handle, self._host, self.port, limit=MAX_HEADER_BYTES, reuse_address=True
                )
                break
            except OSError:
                if tries_left == 1:
                    raise
                await asyncio.sleep(0.05)
        assert self._server is not None  # the loop above either listened or raised
        self.port = self._server.sockets[0].getsockname()[1]

    def _stop_listening(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _maybe_begin_outage(self, busy: asyncio.Event | None) -> bool:
        """If the next attempt is ``connection_refused``, close the port now (see module doc)."""
        if self._outage is not None or self._seq.peek().fault != "connection_refused":
            return False
        self._stop_listening()
        for conn in list(self._idle):
            conn.close()
        step = self._take_refused()
        self._outage = asyncio.get_running_loop().create_task(self._run_outage(step, busy))
        return True

    def _take_refused(self) -> Step:
        self.attempts += 1
        step = self._seq.take()
        record = RecordedRequest("-", "-", {}, None, self.attempts, step, received_at=self.elapsed())
        self.requests.append(record)
        self._notify(record)
        return step

    async def _run_outage(self, step: Step, busy: asyncio.Event | None) -> None:
        if busy is not None:
            await busy.wait()
        while True:
            await asyncio.sleep(step.seconds or 0)
            if self._seq.peek().fault != "connection_refused":
                break
            step = self._take_refused()
        self._outage = None
        if not self._closing:
            await self._listen()

    # -- connections and routing -----------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Connection(reader, writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._conns.add(conn)
        try:
            await self._serve(conn)
        except BadRequest as exc:
            conn.keep_alive = False
            with contextlib.suppress(ConnectionError):
                reply = Reply(conn, self._next_request_id(), self._limits.headers(0, count=False))
                await reply.send_error(400, "invalid_request_error", str(exc))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away: routine when faults are injected on purpose
        except asyncio.CancelledError:
            # Only close() cancels handlers. Returning (not re-raising) keeps Python 3.11's
            # start_server callback from logging the cancellation as an error (fixed in 3.12).
            conn.writer.transport.abort()
        finally:
            self._tasks.discard(task)
            self._conns.discard(conn)
            self._idle.discard(conn)
            if not writer.is_closing():
                writer.close()

    async def _serve(self, conn: Connection) -> None:
        while conn.keep_alive and not self._closing:
            self._idle.add(conn)
            try:
                request = await read_request(conn.reader)
            finally:
                self._idle.discard(conn)
            if request is None:
                return
            if request.wants_close or self._server is None:
                conn.keep_alive = False
            admin = request.path.startswith("/_sim/")
            limits = self._limits.headers(len(request.body) // 4, count=not admin)
            reply = Reply(conn, self._next_request_id(), limits)
            if admin:
                await self._admin(reply, request)
            else:
                await self._api(reply, request)

    def _next_request_id(self) -> str:
        self._responses += 1
        return f"req_sim_{self._responses:06x}"

    def _notify(self, record: RecordedRequest) -> None:
        if self.on_request is not None:
            self.on_request(record)

    async def _api(self, reply: Reply, request: Request) -> None:
        record = reply.record = RecordedRequest.of(request, self.elapsed())
        self.requests.append(record)
        self._answering += 1
        route = (request.method, request.path)
        try:
            if route == ("POST", "/v1/messages"):
                await self._messages(reply, request, record)
            elif route == ("GET", "/v1/models"):
                check_auth(request.headers)
                await reply.send_json(200, models_page(self.scenario.served_models, self.today()))
            elif request.method == "GET" and request.path.startswith("/v1/models/"):
                check_auth(request.headers)
                model = request.path.removeprefix("/v1/models/")
                await reply.send_json(200, model_info(model, self.scenario.served_models, self.today()))
            else:
                raise ApiError(404, "not_found_error", f"{request.method} {request.path}: no such endpoint")
        except ApiError as err:
            await reply.send_error(err.status, err.error_type, err.message)
        finally:  # also when the client hung up mid-answer
            record.ended()
            self._answering -= 1
            self._notify(record)

    async def _messages(self, reply: Reply, request: Request, record: RecordedRequest) -> None:
        self.attempts += 1
        record.attempt, record.step = self.attempts, (step := self._seq.take())
        if step.status == 429:
            reply.headers = self._limits.headers(0, count=False, exhausted=True, reset_in=step.retry_after or 60.0)
        busy = asyncio.Event()
        if self._maybe_begin_outage(busy):
            reply.conn.keep_alive = False
        try:
            check_auth(request.headers)
            parsed = parse_messages_body(request.json(), self.scenario.served_models, self.today())
            played = self.scenario.for_model(parsed.model)
            thinking = played.thinking_for(parsed.thinking, parsed.model)
            plan = AnswerPlan.build(parsed, self.attempts, played.answer_chars, thinking_chars=thinking)
            reply.tokens_per_second = played.tokens_per_second
            reply.ttft = played.ttft
            answer = respond_recorded if step.fault == RECORDED else respond
            await answer(reply, plan, step, stream=parsed.stream)
        finally:
            busy.set()

    # -- control endpoints (public, documented in the README: for tests of the user's code) --

    async def _admin(self, reply: Reply, request: Request) -> None:
        route = (request.method, request.path)
        if route == ("GET", "/_sim/requests"):
            log = [r.to_dict() for r in self.requests]
            await reply.send_json(200, {"scenario": self.scenario.name, "attempts": self.attempts, "requests": log})
        elif route == ("POST", "/_sim/reset"):
            await self.reset()
            await reply.send_json(200, {"ok": True})
        elif route == ("PUT", "/_sim/scenario"):
            try:
                scenario = _scenario_from_admin(request.json())
            except ScenarioError as exc:
                await reply.send_error(400, "invalid_request_error", str(exc))
                return
            await self.set_scenario(scenario)
            await reply.send_json(200, {"ok": True, "scenario": scenario.name})
        else:
            await reply.send_error(404, "not_found_error", f"{request.method} {request.path}: no such endpoint")


def _scenario_from_admin(body: Any) -> Scenario:
    """``{"name": "stalls"}`` loads a built-in (or a file path); any other object is a scenario."""
    if isinstance(body, dict) and body.keys() == {"name"} and isinstance(body["name"], str):
        return load_scenario(body["name"])
    return scenario_from_dict(body, source="PUT /_sim/scenario")
