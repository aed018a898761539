"""The backend of every run: the session store, the simulator's lifecycle, the SDK client.

The first screen must paint before ``anthropic`` (about a second to import here) is loaded,
so this module imports neither it nor the simulator at module level: :meth:`Backend.start`
loads them in a thread after the first paint, and a send pressed before that simply awaits
:meth:`Backend.ready`. ``claude-tui run`` uses the same object, awaiting ``ready`` at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..timeouts import Timeouts
from .choice import REAL_API_HINT, SIM_SCENARIO_DEFAULT, BackendChoice
from .recording import SafeRecorder

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

    from ..capabilities import ModelCaps
    from ..settings import RunSettings
    from ..simulator import Simulator
    from ..store.sessions import SessionStore
    from .links import Links

__all__ = ["REAL_API_HINT", "SIM_SCENARIO_DEFAULT", "Backend", "BackendChoice"]

DEFAULT_API_HOST = "api.anthropic.com"
"""Where the SDK sends requests without ``ANTHROPIC_BASE_URL``."""
UNRECORDED = "sessions are not recorded ({problem})"
"""The notice when the store cannot be opened (``claude-tui run`` says "this run")."""


class Backend:
    """Owns the simulator (when it started one), the SDK import, the client and the store."""

    def __init__(
        self,
        choice: BackendChoice,
        *,
        simulator: Simulator | None = None,
        seed: int = 0,
        record: bool = True,
        unrecorded: str = UNRECORDED,
    ) -> None:
        self.choice = choice
        self.simulator = simulator
        """A pre-built simulator (tests) is used as is and never stopped by us."""
        self._owns_simulator = simulator is None
        self._seed = seed
        self._record = record
        self._unrecorded = unrecorded
        self._loading: asyncio.Future[None] | None = None
        self._base_client: AsyncAnthropic | None = None
        self.store: SessionStore | None = None
        self.notices: list[str] = []
        """Things the user should hear about (store problems, runs not fully recorded)."""
        self.known_models: tuple[str, ...] = ()
        self._listed: dict[str, dict[str, object]] | None = None
        """``GET /v1/models`` entries by id, once asked (empty when the API would not say)."""
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
        if self._record and self.store is None:  # first: SQLite opens in milliseconds, the SDK takes seconds
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
            self.scenario_name = self.simulator.scenario.name  # a file's own name, not its path
        self._base_client = self._build_base_client()

    def _open_store(self) -> SessionStore | None:
        from ..store.errors import StoreError
        from ..store.sessions import SessionStore

        try:
            store = SessionStore.open()
        except (StoreError, OSError) as exc:
            self.notices.append(self._unrecorded.format(problem=exc))
            return None
        self.notices.extend(store.notices)
        return store

    def _build_base_client(self) -> AsyncAnthropic:
        from ..client import SIMULATOR_KEY, build_client

        if self.choice.kind == "simulator":
            assert self.simulator is not None
            return build_client(Timeouts(), api_key=SIMULATOR_KEY, base_url=self.simulator.base_url)
        return build_client(Timeouts(), api_key=self.choice.api_key, base_url=self.choice.base_url)

    # -- using ------------------------------------------------------------------------
    def client(self, timeouts: Timeouts) -> AsyncAnthropic:
        """An ``AsyncAnthropic`` with these timeouts, sharing one connection pool.

        ``with_options`` copies share the base client's HTTP client, so a run pays neither
        a new TLS context (~60 ms) nor a new connection; only :meth:`aclose` closes it.
        """
        from ..client import sdk_timeout

        if self._base_client is None:
            raise RuntimeError("the backend is not loaded yet: await ready() first")
        return self._base_client.with_options(timeout=sdk_timeout(timeouts))

    def set_scenario(self, scenario: str) -> None:
        """Play another fault scenario from the next request; ``ScenarioError`` if invalid."""
        if self.simulator is None:
            raise RuntimeError("no simulator: the real API is in use")
        self.simulator.set_scenario(scenario)
        self.scenario_name = self.simulator.scenario.name  # a file's own name, not its path

    def scenario_descriptions(self) -> dict[str, str]:
        """Each built-in scenario's one-line description (for a picker)."""
        from ..simulator import load_scenario

        return {name: load_scenario(name).description for name in self.scenarios}

    async def list_models(self) -> list[str]:
        """Model ids from ``GET /v1/models`` (the simulator serves it too)."""
        page = await self.client(Timeouts()).models.list(limit=100)
        self._listed = {model.id: model.model_dump(mode="json") for model in page.data}
        return [model.id for model in page.data]

    def recorded_backend(self) -> dict[str, Any]:
        """What a session records of where its requests go: the API's host, or the
        simulator's scenario (its own name, not a file path) and seed. Never the key."""
        from ..store import backends

        if self.choice.kind == "simulator":
            if self.simulator is not None:
                return backends.simulator(self.simulator.scenario.name, self.simulator.seed)
            return backends.simulator(self.scenario_name, self._seed)
        return backends.api(backends.url_host(self.choice.base_url, DEFAULT_API_HOST))

    async def model_caps(self, model: str) -> ModelCaps | None:
        """What ``model`` accepts: its ``/v1/models`` capabilities (the list is asked once,
        or again by :meth:`list_models`), else the shipped table; None when neither knows."""
        from .. import capabilities

        if self._listed is None:
            import anthropic
            import httpx2

            try:
                await self.list_models()
            except (anthropic.APIError, httpx2.HTTPError):
                self._listed = {}  # no list (an old API, a proxy, offline): the table says
        info = self._listed.get(model) if self._listed else None
        live = capabilities.from_model_info(info) if info else None
        return live or capabilities.from_table(model)

    def start_recording(self, prompt: str, settings: RunSettings, links: Links | None = None) -> SafeRecorder:
        """A recorder for one run that never raises; a run that cannot be recorded says so once."""
        if self.store is None:
            return SafeRecorder(None, self.notices.append)
        from ..store.errors import StoreError

        try:
            recorder = self.store.start_session(
                prompt=prompt,
                system=settings.system,
                model=settings.model,
                settings=settings.to_dict(),
                parent_id=links.parent_id if links else None,
                backend=self.recorded_backend(),
                follows=links.follows if links else None,
            )
        except StoreError as exc:
            self.notices.append(f"this run is not recorded ({exc})")
            return SafeRecorder(None, self.notices.append)
        return SafeRecorder(recorder, self.notices.append)

    async def switch(self, choice: BackendChoice) -> None:
        """Send the next requests elsewhere (the real API ⇄ the simulator), in place: the
        store stays open; the client, the model list and a simulator we started go, and
        the new choice loads as at start. Not during a run (the caller makes sure)."""
        if self._loading is not None and not self._loading.done():
            await asyncio.wait([self._loading])
        old_client, self._base_client = self._base_client, None
        if old_client is not None:
            await old_client.close()
        if choice.kind != "simulator" and self._owns_simulator and self.simulator is not None:
            simulator, self.simulator = self.simulator, None
            await asyncio.to_thread(simulator.stop)
        self.choice, self._listed, self._loading = choice, None, None
        if choice.kind == "simulator" and self.simulator is not None:
            self.simulator.set_scenario(choice.scenario)
        self.scenario_name = self.simulator.scenario.name if self.simulator is not None else choice.scenario
        await self.ready()

    async def aclose(self) -> None:
        """Stop what we started: the connection pool, the simulator thread, the store."""
        if self._base_client is not None:
            await self._base_client.close()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()
        if self.store is not None:
            self.store.close()
