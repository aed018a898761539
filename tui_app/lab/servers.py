"""Server models: faults that come from shared state, so that the clients interact.

A scenario scripts each request's attempts on its own; a server model is one server that
every request of a policy talks to, so one client's retries are another's 529. Files are
TOML, like scenarios, validated the same way (one line naming the field and the fix)::

    name = "crowded"                 # defaults to the file name
    description = "one line"
    [server]
    capacity = 20                    # requests served at once; beyond it: `status`
    status = 529                     # the refusal: 529 overloaded_error (or 429, 500, 503 ...)
    retry_after = 2                  # seconds the refusal asks for (left out: no hint)
    answer_tokens = 150              # output tokens of each answer
    input_tokens = 500               # input tokens of each request (for the cost)
    ttft = 1.0                       # seconds to the first token (left out: the model's)
    tokens_per_second = 60           # streaming speed (left out: the model's)
    [[server.outages]]               # windows where capacity drops (seconds of lab time)
    start = 10
    end = 40
    capacity = 2
    [server.rate_limit]              # a token bucket refilled steadily; when empty: 429
    requests_per_minute = 60         # rate_limit_error, retry-after = when the next fits

Built-ins live in ``assets/servers/NAME.toml`` (``crowded``, ``outage``, ``token-bucket``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..simulator.steps import STATUS_ERROR_TYPES, FieldError, ScenarioError

BUILTIN_SERVERS: tuple[str, ...] = ("crowded", "outage", "token-bucket")
DEFAULT_ANSWER_TOKENS = 150
"""About the simulator's default answer (600 characters, four to a token)."""
DEFAULT_INPUT_TOKENS = 500
_SERVER_KEYS = {
    "capacity",
    "status",
    "retry_after",
    "answer_tokens",
    "input_tokens",
    "ttft",
    "tokens_per_second",
    "outages",
    "rate_limit",
}


@dataclass(frozen=True, slots=True)
class Outage:
    start: float
    end: float
    capacity: int


@dataclass(frozen=True, slots=True)
class ServerModel:
    """One shared server: its capacity, how it refuses, and how fast it answers."""

    name: str
    description: str = ""
    capacity: int = 20
    status: int = 529
    retry_after: float | None = None
    answer_tokens: int = DEFAULT_ANSWER_TOKENS
    input_tokens: int = DEFAULT_INPUT_TOKENS
    ttft: float | None = None
    tokens_per_second: float | None = None
    outages: tuple[Outage, ...] = ()
    requests_per_minute: int | None = None

    @property
    def error_type(self) -> str:
        return STATUS_ERROR_TYPES[self.status]

    def capacity_at(self, t: float) -> int:
        for outage in self.outages:
            if outage.start <= t < outage.end:
                return outage.capacity
        return self.capacity


def is_server_file(data: object) -> bool:
    """A parsed file is a server model when it has a ``[server]`` table."""
    return isinstance(data, dict) and "server" in data


def server_from_dict(data: dict[str, Any], *, source: str, default_name: str) -> ServerModel:
    """Validate server-model data; ``ScenarioError`` (one line, naming ``source``) on a problem."""
    try:
        return _parse(data, default_name)
    except FieldError as exc:
        raise ScenarioError(f"{source}: {exc}") from None


def load_server(spec: str | Path) -> ServerModel:
    """A built-in server model by name, or a file's."""
    if isinstance(spec, str) and spec in BUILTIN_SERVERS:
        from ..paths import assets_dir

        path, source = assets_dir() / "servers" / f"{spec}.toml", f"built-in server model {spec!r}"
    else:
        path, source = Path(spec), str(spec)
    return server_from_dict(read_toml(path, source), source=source, default_name=path.stem)


def read_toml(path: Path, source: str) -> dict[str, Any]:
    """A TOML file's data; ``ScenarioError`` (one line naming ``source``) when it cannot be had."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{source}: no such file (check the path)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{source}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: invalid TOML: {exc} (fix the syntax there)") from None


def _parse(data: dict[str, Any], default_name: str) -> ServerModel:
    for key in data:
        if key not in ("name", "description", "server"):
            raise FieldError(key, "unknown key", "allowed: name, description, server")
    name, description = data.get("name", default_name), data.get("description", "")
    for key, value in (("name", name), ("description", description)):
        if not isinstance(value, str):
            raise FieldError(key, f"must be a string, not {value!r}", f'quote it: {key} = "..."')
    server = data["server"]
    if not isinstance(server, dict):
        raise FieldError("server", "must be a table", "write it as [server]")
    for key in server:
        if key not in _SERVER_KEYS:
            raise FieldError(f"server.{key}", "unknown key", "allowed: " + ", ".join(sorted(_SERVER_KEYS)))
    status = server.get("status", 529)
    if status not in STATUS_ERROR_TYPES or isinstance(status, bool) or status < 429:
        known = ", ".join(str(s) for s in STATUS_ERROR_TYPES if s >= 429)
        raise FieldError("server.status", f"unsupported status {status!r}", f"use one of: {known}")
    speed = {k: _number(server, k, positive=True) for k in ("ttft", "tokens_per_second") if k in server}
    return ServerModel(
        name=name,
        description=description,
        capacity=_whole(server, "capacity", 20, low=1),
        status=status,
        retry_after=_number(server, "retry_after") if "retry_after" in server else None,
        answer_tokens=_whole(server, "answer_tokens", DEFAULT_ANSWER_TOKENS, low=1),
        input_tokens=_whole(server, "input_tokens", DEFAULT_INPUT_TOKENS, low=1),
        ttft=speed.get("ttft"),
        tokens_per_second=speed.get("tokens_per_second"),
        outages=_outages(server.get("outages", [])),
        requests_per_minute=_rate_limit(server.get("rate_limit")),
    )


def _whole(table: dict[str, Any], key: str, default: int, *, low: int, where: str = "server") -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise FieldError(f"{where}.{key}", f"must be a whole number >= {low}, not {value!r}", f"e.g. {key} = {default}")
    return value


def _number(table: dict[str, Any], key: str, *, positive: bool = False, where: str = "server") -> float:
    value = table[key]
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and value != float("inf")
    if not ok or value < 0 or (positive and value == 0):
        bound = "> 0" if positive else ">= 0"
        raise FieldError(f"{where}.{key}", f"must be a number {bound}, not {value!r}", f"e.g. {key} = 1.5")
    return float(value)


def _outages(value: object) -> tuple[Outage, ...]:
    if not isinstance(value, list):
        raise FieldError("server.outages", "must be a list of tables", "write each as [[server.outages]]")
    found = []
    for i, entry in enumerate(value):
        where = f"server.outages[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"start", "end", "capacity"}:
            raise FieldError(
                where, "must have exactly start, end and capacity", "e.g. start = 10, end = 40, capacity = 2"
            )
        start, end = _number(entry, "start", where=where), _number(entry, "end", where=where)
        if end <= start:
            raise FieldError(f"{where}.end", f"must be after start ({start:g}), not {end:g}", "make end > start")
        found.append(Outage(start, end, _whole(entry, "capacity", 1, low=0, where=where)))
    return tuple(found)


def _rate_limit(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"requests_per_minute"}:
        raise FieldError("server.rate_limit", "must hold requests_per_minute only", "e.g. requests_per_minute = 60")
    return _whole(value, "requests_per_minute", 60, low=1, where="server.rate_limit")
