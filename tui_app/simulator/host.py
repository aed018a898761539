"""``Simulator``: the public handle that hosts a :class:`~.server.SimulatorServer` in a thread.

Why a thread with its own event loop: the simulator must never compete with the client
under test for its event loop (a stall in the server must not stall the client, and a
busy client must not slow the server's timing), and a thread lets synchronous code, a
Textual app or a benchmark use it in-process with two lines. Calls from other threads
are forwarded to the simulator's loop and waited for.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from .scenarios import Scenario, load_scenario
from .server import SimulatorServer

if TYPE_CHECKING:
    from datetime import date

    from .records import RecordedRequest

_T = TypeVar("_T")
_CALL_TIMEOUT = 10.0

ScenarioSpec = str | Path | Scenario | Mapping[str, Any]


class Simulator:
    """A fault-injecting Anthropic Messages API server on ``127.0.0.1``.

    >>> import anthropic
    >>> from tui_app.simulator import Simulator, answer_for
    >>> with Simulator("529-then-ok") as sim:
    ...     client = anthropic.Anthropic(base_url=sim.base_url, api_key="sim-key", max_retries=0)
    ...     ask = dict(model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}])
    ...     try:
    ...         client.messages.create(**ask)
    ...     except anthropic.OverloadedError as err:
    ...         print(err.status_code, err.response.headers["retry-after"])
    ...     print(client.messages.create(**ask).content[0].text == answer_for("Hi"))
    529 0.5
    True

    ``scenario`` is a built-in name, a ``.toml``/``.json`` path, a dict or a
    :class:`Scenario` (validated here, in the caller's thread: a bad one raises
    :class:`ScenarioError` before anything starts). ``port=0`` picks a free port.
    ``on_request`` is called on the simulator's thread after each API request is
    answered (and for each refused attempt), e.g. to log it. ``today`` is the date models'
    lifecycles are judged by (default: the real date), e.g. to rehearse a retirement.
    """

    def __init__(
        self,
        scenario: ScenarioSpec = "happy",
        *,
        seed: int = 0,
        port: int = 0,
        host: str = "127.0.0.1",
        on_request: Callable[[RecordedRequest], None] | None = None,
        today: date | None = None,
    ) -> None:
        self._server = SimulatorServer(load_scenario(scenario), seed, on_request, today=today)
        self._host = host
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving in a daemon thread; return once the port is bound.

        Raises ``OSError`` (e.g. address in use) if the port cannot be bound.
        """
        if self._thread is not None:
            raise RuntimeError("simulator already started")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="claude-tui-simulator", daemon=True)
        self._loop, self._thread = loop, thread
        thread.start()
        try:
            self._port = self._call(self._server.start(self._host, self._port))
        except BaseException:
            self._shutdown_loop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving, drop every connection and end the thread. Safe to call twice."""
        if self._thread is None:
            return
        try:
            self._call(self._server.close())
        finally:
            self._shutdown_loop()

    def _shutdown_loop(self) -> None:
        loop, thread = self._loop, self._thread
        assert loop is not None and thread is not None
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_CALL_TIMEOUT)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, coro: Coroutine[Any, Any, _T]) -> _T:
        """Run ``coro`` on the simulator's loop and wait for its result."""
        assert self._loop is not None
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("call Simulator methods from outside the simulator's thread")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(_CALL_TIMEOUT)

    # -- state -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (the requested one until :meth:`start`)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: use as ``base_url=`` or ``ANTHROPIC_BASE_URL``."""
        return f"http://{self._host}:{self._port}"

    @property
    def seed(self) -> int:
        """The seed of the scenario's random draws (re-applied on every scenario change)."""
        return self._server.seed

    @property
    def scenario(self) -> Scenario:
        return self._server.scenario

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the request log, oldest first."""
        return list(self._server.requests)

    def settled_requests(self, timeout: float = 1.0) -> list[RecordedRequest]:
        """The request log once no response is being written (waiting at most ``timeout``
        seconds): what a test reads right after its client got an answer, timing complete."""
        if self._thread is not None:
            self._call(self._server.settle(timeout))
        return list(self._server.requests)

    @property
    def attempts(self) -> int:
        """How many ``POST /v1/messages`` attempts (refused ones included) since start/reset."""
        return self._server.attempts

    def set_scenario(self, scenario: ScenarioSpec) -> None:
        """Switch scenario; its script starts again at step 1 (the log is kept)."""
        new = load_scenario(scenario)
        if self._thread is None:
            self._server.load(new)
            return
        self._call(self._server.set_scenario(new))

    def reset(self) -> None:
        """Clear the request log and attempt counter, and re-seed the RNG."""
        if self._thread is None:
            self._server.clear()
            self._server.load(self._server.scenario)
            return
        self._call(self._server.reset())
