"""Where requests go — the built-in simulator or the real API — and the heavy imports.

The first screen must paint before ``anthropic`` (about a second to import here) is loaded,
so this module imports neither it nor the simulator at module level: :meth:`Backend.start`
loads them in a thread after the first paint, and a send pressed before that simply awaits
:meth:`Backend.ready`. Nothing here knows about Textual.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..timeouts import Timeouts

if TYPE_CHECKING:
    from collections.abc import Mapping

SIM_SCENARIO_DEFAULT = "happy"
REAL_API_HINT = "export ANTHROPIC_API_KEY=sk-ant-... and restart to use the real API"


@dataclass(frozen=True, slots=True)
class BackendChoice:
    """Which backend to use, decided from the environment before anything heavy loads."""

    kind: Literal["simulator", "api"]
    api_key: str | None = None
    base_url: str | None = None
    scenario: str = SIM_SCENARIO_DEFAULT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, scenario: str | None = None) -> BackendChoice:
        """No ``ANTHROPIC_API_KEY`` → the simulator (never the network by surprise)."""
        env = os.environ if environ is None else environ
        key = env.get("ANTHROPIC_API_KEY")
        if key:
            return cls("api", api_key=key, base_url=env.get("ANTHROPIC_BASE_URL") or None)
        return cls("simulator", scenario=scenario or SIM_SCENARIO_DEFAULT)

    @property
    def label(self) -> str:
        """What the status line calls this backend; the simulator must be unmistakable."""
        if self.kind == "simulator":
            return "SIMULATOR"
        return f"API {self.base_url}" if self.base_url else "real API"


class Backend:
    """Owns the simulator (when it started one), the SDK import and the session store."""

    def __init__(self, choice: BackendChoice, *, simulator: Any = None, seed: int = 0, record: bool = True) -> None:
        self.choice = choice
        self.simulator = simulator
        """A pre-built simulator (tests) is used as is and never stopped by us."""
        self._owns_simulator = simulator is None
        self._seed = seed
        self._record = record
        self._loading: asyncio.Future[None] | None = None
        self._base_client: Any = None
        self.store: Any = None
        self.notices: list[str] = []
        """Things the user should hear about once loading ends (e.g. store problems)."""
        self.known_models: tuple[str, ...] = ()
        self.scenarios: tuple[str, ...] = ()
        self.scenario_name = simulator.scenario.name if simulator is not None else choice.scenario
        """The scenario the simulator plays now (a built-in name or a file path)."""

    # -- loading ----------------------------------------------------------------------
    def start(self) -> asyncio.Future[None]:
        """Begin loading in a worker thread (idempotent); call after the first paint."""
        if self._loading is None:
            self._loading = asyncio.ensure_future(asyncio.to_thread(self._load))
        return self._loading

    async def ready(self) -> None:
        """Wait until loaded; re-raises the loading error (shown as a failed attempt)."""
        await asyncio.shield(self.start())

    @property
    def is_ready(self) -> bool:
        return self._loading is not None and self._loading.done() and self._loading.exception() is None

    def _load(self) -> None:
        if self._record:  # first: SQLite opens in milliseconds, the SDK import takes seconds
            self.store = self._open_store()
        from ..retry.runner import RetryRun  # noqa: F401 - the point: pay the imports here
        from ..simulator.api import known_models

        self.known_models = known_models()
        if self.choice.kind == "simulator":
            from ..simulator import BUILTIN_SCENARIOS, Simulator

            self.scenarios = tuple(BUILTIN_SCENARIOS)
            if self.simulator is None:
                self.simulator = Simulator(scenario=self.choice.scenario, seed=self._seed)
                self.simulator.start()
            else:
                self.scenario_name = self.simulator.scenario.name
        self._base_client = self._build_base_client()

    def _open_store(self) -> Any:
        try:
            from ..store.sessions import SessionStore

            store = SessionStore.open()
        except Exception as exc:
            self.notices.append(f"sessions are not recorded: {exc}")
            return None
        self.notices.extend(store.notices)
        return store

    # -- using ------------------------------------------------------------------------
    def client(self, timeouts: Timeouts) -> Any:
        """An ``AsyncAnthropic`` with these timeouts, sharing one connection pool.

        ``with_options`` copies share the base client's HTTP client, so a run pays neither
        a new TLS context (~60 ms) nor a new connection; only :meth:`aclose` closes it.
        """
        import anthropic

        timeout = anthropic.Timeout(
            connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
        )
        return self._base_client.with_options(timeout=timeout)

    def _build_base_client(self) -> Any:
        from ..client import SIMULATOR_KEY, build_client

        if self.choice.kind == "simulator":
            return build_client(Timeouts(), api_key=SIMULATOR_KEY, base_url=self.simulator.base_url)
        return build_client(Timeouts(), api_key=self.choice.api_key, base_url=self.choice.base_url)

    def set_scenario(self, scenario: str) -> None:
        """Play another fault scenario from the next request; ``ScenarioError`` if invalid."""
        self.simulator.set_scenario(scenario)
        self.scenario_name = scenario

    async def list_models(self) -> list[str]:
        """Model ids from ``GET /v1/models`` (the simulator serves it too)."""
        page = await self.client(Timeouts()).models.list(limit=100)
        return [model.id for model in page.data]

    def start_recording(self, prompt: str, settings: Any, parent_id: int | None = None) -> Any:
        """A session recorder for one run, or None (not recorded; the user was told why)."""
        if self.store is None:
            return None
        try:
            return self.store.start_session(
                prompt=prompt,
                system=settings.system,
                model=settings.model,
                settings=settings.to_dict(),
                parent_id=parent_id,
            )
        except Exception as exc:
            self.notices.append(f"this run is not recorded: {exc}")
            return None

    async def aclose(self) -> None:
        """Stop what we started: the connection pool, the simulator thread, the store."""
        if self._base_client is not None:
            await self._base_client.close()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()
        if self.store is not None:
            self.store.close()
