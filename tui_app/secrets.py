"""The API key: checked before use, masked whenever it has to be mentioned, never stored.

The key lives in the environment (``ANTHROPIC_API_KEY``) and in memory only. A key the HTTP
layer cannot send as a header (a trailing line break from a file, a stray control
character) makes ``h11`` raise an error whose message quotes the whole header — key
included — so such a key is refused up front with a message that shows it masked.

>>> mask_key("sk-ant-api03-abcdefgh1234")
'sk-ant-…1234'
"""

from __future__ import annotations

import re

_PREFIX = "sk-ant-"
_BAD_CHAR = re.compile(r"[\x00-\x1f\x7f]")


def mask_key(key: str) -> str:
    """Enough of a key to tell which one it is (its last 4 characters), never enough to use it."""
    key = key.strip()
    prefix = _PREFIX if key.startswith(_PREFIX) else ""
    tail = key[-4:] if len(key) >= len(prefix) + 12 else ""
    return f"{prefix}…{tail}"


def api_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be sent as an HTTP header (one phrase), or None when it can."""
    if key != key.strip():
        return "starts or ends with whitespace or a line break"
    bad = _BAD_CHAR.search(key)
    if bad:
        return f"contains a control character ({ord(bad.group()):#04x}) at position {bad.start() + 1}"
    return None
