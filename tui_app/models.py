"""Which model ids the installed SDK knows, and which one claude-tui uses by default.

The SDK's model table (the literal values of ``anthropic.types.Model``) changes between
releases — 2.15 dropped ``claude-sonnet-4-5`` — so a literal default can fall out of it and
a fresh install would then ask the simulator (and the API) for a model neither serves.
The default is therefore *read from* the installed table: the newest Sonnet-class model.

Start-up matters (``--help`` and the first frame must not import ``anthropic``, about a
second here), so the table is read from the SDK's source file ``anthropic/types/model.py``
as text, located without importing the package; only if that file cannot be read is the
SDK imported and the ``Literal`` taken apart.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.machinery import PathFinder
from pathlib import Path

FALLBACK_MODELS = ("claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5")
"""Used only when the SDK is not installed (the simulator also runs without it)."""

_MODEL_ID = re.compile(r'"(claude-[a-z0-9.-]+)"')
_DATED = re.compile(r"-\d{8}$")


@cache
def sdk_models() -> tuple[str, ...]:
    """Model ids of the installed SDK's table, in its order (newest first, as it lists them)."""
    found = _models_from_source()
    if found:
        return found
    try:
        return _models_from_import()
    except ImportError:
        return FALLBACK_MODELS


def _models_from_source() -> tuple[str, ...]:
    try:
        # Finds, does not import; ``PathFinder`` (the sys.path search) rather than
        # ``importlib.util.find_spec``, whose import costs more than the search.
        spec = PathFinder.find_spec("anthropic")
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.submodule_search_locations:
        return ()
    for folder in spec.submodule_search_locations:
        try:
            text = (Path(folder) / "types" / "model.py").read_text(encoding="utf-8")
        except OSError:
            continue
        return tuple(dict.fromkeys(_MODEL_ID.findall(text)))
    return ()


def _models_from_import() -> tuple[str, ...]:
    import typing

    from anthropic.types import Model

    literals = [a for a in typing.get_args(Model) if typing.get_origin(a) is typing.Literal]
    return tuple(m for lit in literals for m in typing.get_args(lit))


def _version(model: str, family: str) -> tuple[int, ...] | None:
    """``claude-sonnet-5-5`` → (5, 5); ``claude-sonnet-5`` → (5,); None for other families,
    dated snapshots (``...-20251001``: the alias is the one to default to) and previews."""
    prefix = f"claude-{family}-"
    if not model.startswith(prefix) or _DATED.search(model):
        return None
    parts = model[len(prefix) :].split("-")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def newest(models: tuple[str, ...], family: str = "sonnet") -> str | None:
    """The highest-versioned model of ``family`` in ``models`` (5-5 > 5 > 4-6), or None."""
    versioned = [(v, m) for m in models if (v := _version(m, family)) is not None]
    return max(versioned)[1] if versioned else None


@cache
def default_model() -> str:
    """The newest Sonnet-class model the installed SDK knows (any model if it lists none)."""
    models = sdk_models()  # the fallback list when the SDK is missing: never empty
    return newest(models) or models[0]


_FAMILY = re.compile(r"^claude-(?:\d+-\d+-)?([a-z]+)")


def model_family(model: str) -> str | None:
    """``claude-sonnet-5-5`` and ``claude-3-5-sonnet`` -> ``sonnet``; None for other ids
    (the key of the lab's speeds and of the price table's families)."""
    found = _FAMILY.match(model)
    return found.group(1) if found else None
