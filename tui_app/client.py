"""Build the SDK client the retry core drives: explicit timeouts, no SDK retries.

``max_retries=0`` makes every attempt the core's own, so each one is visible in the
attempts panel and the events file; ``anthropic.Timeout`` (not ``httpx.Timeout``: the 2.x
SDK rejects it) carries the preset's connect/read/write/pool values.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import anthropic

from .secrets import api_key_problem, mask_key

if TYPE_CHECKING:
    from .timeouts import Timeouts

SIMULATOR_KEY = "sim-key"


def build_client(
    timeouts: Timeouts, *, api_key: str | None = None, base_url: str | None = None
) -> anthropic.AsyncAnthropic:
    """An ``AsyncAnthropic`` with the given timeouts and ``max_retries=0``.

    ``api_key``/``base_url`` default to ``ANTHROPIC_API_KEY``/``ANTHROPIC_BASE_URL`` (SDK
    conventions). The key is only ever held in memory.
    """
    key = api_key if api_key is not None else os.environ.get("ANTHROPIC_API_KEY")
    if key:
        problem = api_key_problem(key)
        if problem:  # the HTTP layer would quote the whole header (key included) in its error
            raise ValueError(f"ANTHROPIC_API_KEY {mask_key(key)} {problem}: set it again without it")
    return anthropic.AsyncAnthropic(
        api_key=key,
        base_url=base_url if base_url is not None else os.environ.get("ANTHROPIC_BASE_URL") or None,
        timeout=sdk_timeout(timeouts),
        max_retries=0,
    )


def sdk_timeout(timeouts: Timeouts) -> anthropic.Timeout:
    """The SDK's form of our timeouts (per client, or per run via ``with_options``)."""
    return anthropic.Timeout(connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool)
