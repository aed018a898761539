"""The simulator's model catalogue: ``GET /v1/models`` entries and the limits requests meet.

Why a table (``assets/simulator_models.toml``) and not figures in code: models come, get
deprecated and retire on dates, and a person correcting a limit should edit data. What a
model accepts for thinking and effort is read from the app's own capabilities table
(``assets/model_capabilities.toml``), so the simulator advertises exactly what the app
checks, in the shape of the SDK's ``ModelCapabilities``.

A model's lifecycle is worked out from *today* (the real date unless the server was built
with another one, see :class:`~.host.Simulator`): past ``retires_at`` it is ``retired`` and
requests naming it are a 404, as the API answers; past ``deprecated_at`` it is
``deprecated``; else ``active``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")
THINKING_TYPES = ("adaptive", "between_tools", "disabled", "enabled")
_BOOLEAN_CAPS = ("batch", "citations", "code_execution", "image_input", "pdf_input", "structured_outputs")
LINES = ("haiku", "sonnet", "opus", "fable", "mythos")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One model of the catalogue."""

    id: str
    display_name: str
    created_at: date
    max_tokens: int
    max_input_tokens: int
    deprecated_at: date | None = None
    retires_at: date | None = None

    def lifecycle(self, today: date) -> str:
        if self.retires_at is not None and today >= self.retires_at:
            return "retired"
        if self.deprecated_at is not None and today >= self.deprecated_at:
            return "deprecated"
        return "active"

    def info(self, today: date) -> dict[str, Any]:
        """The ``ModelInfo`` the API returns today for this model."""
        lifecycle = self.lifecycle(today)
        line = self.id.split("-")[1] if self.id.count("-") >= 2 else ""
        return {
            "type": "model",
            "id": self.id,
            "display_name": self.display_name,
            "created_at": f"{self.created_at.isoformat()}T00:00:00Z",
            "lifecycle": lifecycle,
            "deprecated_at": _stamp(self.deprecated_at) if lifecycle != "active" else None,
            "retires_at": _stamp(self.retires_at) if lifecycle == "deprecated" else None,
            "line": line if line in LINES else None,
            "max_tokens": self.max_tokens,
            "max_input_tokens": self.max_input_tokens,
            "capabilities": capabilities_of(self.id),
        }


def _stamp(day: date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if day is not None else None


@cache
def _data() -> dict[str, Any]:
    from ..paths import assets_dir

    return tomllib.loads((assets_dir() / "simulator_models.toml").read_text(encoding="utf-8"))


def entry_for(model: str) -> ModelEntry:
    """The catalogue's entry for ``model`` ([defaults] for a model it does not list)."""
    data = _data()
    merged = {**data.get("defaults", {}), **data.get("models", {}).get(model, {})}
    day = date.fromisoformat
    return ModelEntry(
        model,
        merged.get("display_name") or _display_name(model),
        day(merged["created_at"]),
        int(merged["max_tokens"]),
        int(merged["max_input_tokens"]),
        day(merged["deprecated_at"]) if "deprecated_at" in merged else None,
        day(merged["retires_at"]) if "retires_at" in merged else None,
    )


def _display_name(model: str) -> str:
    """``claude-sonnet-4-6`` -> ``Claude Sonnet 4.6`` (a dated snapshot keeps its date apart)."""
    words = model.split("-")
    head = [w for w in words if not w.isdigit()]
    version = [w for w in words if w.isdigit() and len(w) < 8]
    dated = [w for w in words if w.isdigit() and len(w) >= 8]
    name = " ".join(w.capitalize() for w in head)
    if version:
        name += " " + ".".join(version)
    return name + (f" ({dated[0]})" if dated else "")


def capabilities_of(model: str) -> dict[str, Any] | None:
    """The SDK's ``ModelCapabilities`` shape for what the capabilities table knows of ``model``;
    None when it does not list the model (the API's field is optional, and then nothing is checked)."""
    from ..capabilities import from_table

    caps = from_table(model)
    if caps is None or caps.thinking is None:
        return None
    no = {"supported": False}
    yes = {"supported": True}
    levels = caps.effort or ()
    out: dict[str, Any] = {name: yes for name in _BOOLEAN_CAPS}
    out["context_management"] = {"supported": False}
    out["server_tools"] = {"supported": True, "web_search": yes, "code_execution": yes}
    out["thinking"] = {
        "supported": bool(caps.thinking - {"disabled", "between_tools"}),
        "types": {t: {"supported": t in caps.thinking} for t in THINKING_TYPES},
    }
    out["effort"] = {"supported": bool(levels)} | {lvl: (yes if lvl in levels else no) for lvl in EFFORT_LEVELS}
    return out
