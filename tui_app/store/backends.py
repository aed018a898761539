"""Which backend a recorded session ran against, as stored, as JSON and as people read it.

A session row keeps the kind (``api`` or ``simulator``), the API's host, or the simulator's
scenario and seed; never the key, nor the rest of the base URL (a path or a query may hold
a token). Sessions recorded before claude-tui stored this have no backend: ``None``, shown
as ``unknown``. Import-light: ``sessions list`` uses it.
"""

from __future__ import annotations

from typing import Any

KINDS = ("api", "simulator")
UNKNOWN = "unknown"
COLUMNS = "backend, backend_host, sim_scenario, sim_seed"
"""The ``sessions`` columns a backend is stored in, in the order ``from_columns`` takes."""


def api(host: str | None) -> dict[str, Any]:
    """The real API at ``host`` (the base URL's host and port)."""
    return {"kind": "api", "host": host}


def simulator(scenario: str, seed: int) -> dict[str, Any]:
    return {"kind": "simulator", "scenario": scenario, "seed": seed}


def to_columns(backend: dict[str, Any] | None) -> tuple[Any, ...]:
    """The stored columns of ``backend`` (None: unknown); ``ValueError`` for another kind."""
    if backend is None:
        return (None, None, None, None)
    kind = backend.get("kind")
    if kind == "api":
        return ("api", backend.get("host"), None, None)
    if kind == "simulator":
        return ("simulator", None, backend.get("scenario"), backend.get("seed"))
    raise ValueError(f"backend kind {kind!r}: use one of {', '.join(KINDS)}")


def from_columns(kind: str | None, host: str | None, scenario: str | None, seed: int | None) -> dict[str, Any] | None:
    """The JSON ``backend`` object of a row: ``{"kind": "api", "host": ...}`` or
    ``{"kind": "simulator", "scenario": ..., "seed": ...}``; None when unknown."""
    if kind == "api":
        return api(host)
    if kind == "simulator":
        return {"kind": "simulator", "scenario": scenario, "seed": seed}
    return None


def short(backend: dict[str, Any] | None) -> str:
    """A list cell: ``api:api.anthropic.com``, ``sim:happy#0``, ``unknown``."""
    if backend is None:
        return UNKNOWN
    if backend["kind"] == "api":
        return f"api:{backend.get('host') or '?'}"
    return f"sim:{backend.get('scenario')}#{backend.get('seed')}"


def describe(backend: dict[str, Any] | None) -> str:
    """A phrase: ``real API at api.anthropic.com``, ``simulator (scenario happy, seed 0)``."""
    if backend is None:
        return f"{UNKNOWN} (recorded before claude-tui stored it)"
    if backend["kind"] == "api":
        return f"real API at {backend.get('host') or 'an unknown host'}"
    return f"simulator (scenario {backend.get('scenario')}, seed {backend.get('seed')})"


def url_host(url: str | None, default: str) -> str:
    """The host (and port, when one is given) of ``url``; ``default`` without a URL.
    User info, path and query are left out: they may carry credentials."""
    if not url:
        return default
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return default
    if not host:
        return default
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host
