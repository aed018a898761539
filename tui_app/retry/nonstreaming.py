"""The SDK's rule for requests without streaming, applied by claude-tui itself.

anthropic 2.15 refuses a non-streaming ``messages.create`` that "may take longer than 10
minutes" (``_calculate_nonstreaming_timeout`` in ``_base_client.py``): when
``3600 s × max_tokens / 128,000`` exceeds 600 s, or ``max_tokens`` exceeds the model's
entry in ``MODEL_NONSTREAMING_TOKENS`` (``_constants.py``). It only applies that rule
with the client's *default* timeout, and claude-tui always passes its own, so without
this module a request the SDK would refuse is sent and may sit for many minutes. The
settings check (:meth:`tui_app.settings.RunSettings.validate`) calls :func:`refusal`.

Import-light (the settings check runs on the ``--help`` path): the model table is read
from the SDK's source file as text, located without importing the package, as
:mod:`tui_app.models` reads the model list; only if that fails is the SDK imported.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from functools import cache
from pathlib import Path

MAXIMUM_SECONDS = 60 * 60
"""``maximum_time`` of the SDK's rule: the time ``EXPECTED_TOKENS`` tokens may take."""
EXPECTED_TOKENS = 128_000
DEFAULT_SECONDS = 60 * 10
"""``default_time``: above this expected time the SDK requires streaming."""

_TABLE = re.compile(r"^MODEL_NONSTREAMING_TOKENS\s*=\s*(\{.*?^\})", re.MULTILINE | re.DOTALL)


def expected_seconds(max_tokens: int) -> float:
    """How long the SDK expects ``max_tokens`` tokens may take (3600 s per 128,000 tokens)."""
    return MAXIMUM_SECONDS * max_tokens / EXPECTED_TOKENS


def token_limit(model: str) -> int:
    """The most ``max_tokens`` a non-streaming request to ``model`` may ask for."""
    by_time = DEFAULT_SECONDS * EXPECTED_TOKENS // MAXIMUM_SECONDS  # 21,333: expected time <= 600 s
    cap = model_caps().get(model)
    return min(by_time, cap) if cap else by_time


def refusal(model: str, max_tokens: int) -> str | None:
    """Why the SDK would refuse this request without streaming (worded after the field,
    ``max_tokens``), or None when it would not."""
    cap = model_caps().get(model)
    if cap and max_tokens > cap:
        return (
            f"is {max_tokens}, more than the {cap} the SDK allows {model} without streaming (MODEL_NONSTREAMING_TOKENS)"
        )
    if expected_seconds(max_tokens) > DEFAULT_SECONDS:
        return (
            f"is {max_tokens}, more than the {token_limit(model)} the SDK allows without streaming "
            "(it requires streaming when 3600 s × max_tokens / 128000 > 600 s: over 10 minutes)"
        )
    return None


@cache
def model_caps() -> dict[str, int]:
    """``MODEL_NONSTREAMING_TOKENS`` of the installed SDK (empty without the SDK)."""
    caps = _caps_from_source()
    if caps is not None:
        return caps
    try:
        from anthropic._constants import MODEL_NONSTREAMING_TOKENS
    except ImportError:
        return {}
    return dict(MODEL_NONSTREAMING_TOKENS)


def _caps_from_source() -> dict[str, int] | None:
    try:
        spec = importlib.util.find_spec("anthropic")  # top-level: finds, does not import
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            text = (Path(folder) / "_constants.py").read_text(encoding="utf-8")
        except OSError:
            continue
        found = _TABLE.search(text)
        if found is None:
            return None
        try:
            table = ast.literal_eval(found.group(1))
        except (ValueError, SyntaxError):
            return None
        if isinstance(table, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in table.items()):
            return table
        return None
    return None
