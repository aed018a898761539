"""The request inspector's text: one attempt's request and response as text, and as curl.

Pure (no Textual, no SDK): the modal, tests and anyone with a recorded event format the
same data the same way. The request comes from the events (:mod:`.retry.wire`), whose
key headers are already masked; the curl command puts ``$ANTHROPIC_API_KEY`` in their
place, inside double quotes so the shell expands it, and everything else in single quotes
so the shell leaves it alone.

>>> req = {"method": "POST", "url": "https://api.anthropic.com/v1/messages",
...        "headers": {"x-api-key": "sk-ant-…1234", "anthropic-version": "2023-06-01"},
...        "body": {"model": "m", "max_tokens": 8, "messages": []}}
>>> print(curl_command(req))
curl https://api.anthropic.com/v1/messages \\
  -H "x-api-key: $ANTHROPIC_API_KEY" \\
  -H 'anthropic-version: 2023-06-01' \\
  -d '{"model":"m","max_tokens":8,"messages":[]}'
"""

from __future__ import annotations

import json
import shlex
from typing import Any

KEY_VARIABLE = "$ANTHROPIC_API_KEY"

_KEY_HEADERS = frozenset({"x-api-key", "authorization"})
_TRANSPORT_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"})
"""Headers curl sets itself (or that only describe the SDK's HTTP client): left out of the command."""


def body_json(body: Any, *, pretty: bool = False) -> str:
    """The request body as JSON text (a body that was not JSON is shown as it came)."""
    if isinstance(body, str):
        return body
    if pretty:
        return json.dumps(body, indent=2, ensure_ascii=False)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def request_head(request: dict[str, Any]) -> str:
    """``POST URL`` then one ``name: value`` line a header (the key shown masked)."""
    lines = [f"{request.get('method', 'POST')} {request.get('url', '')}"]
    lines += [f"{name}: {value}" for name, value in (request.get("headers") or {}).items()]
    return "\n".join(lines)


def request_text(request: dict[str, Any]) -> str:
    """The whole request as text: head, a blank line, the body as indented JSON."""
    return f"{request_head(request)}\n\n{body_json(request.get('body'), pretty=True)}"


def response_text(status: int | None, headers: dict[str, str]) -> str:
    """``HTTP <status>`` then the headers that explain a retry, or what is not known."""
    head = f"HTTP {status}" if status is not None else "no HTTP response (the attempt failed before one came)"
    lines = [head] + [f"{name}: {value}" for name, value in headers.items()]
    if status is not None and not headers:
        lines.append("(none of request-id, retry-after, x-should-retry, anthropic-ratelimit-* was sent)")
    return "\n".join(lines)


def curl_command(request: dict[str, Any]) -> str:
    """A shell command sending the same request with curl, the key read from
    ``$ANTHROPIC_API_KEY`` (sent as ``x-api-key``, which the API takes like the SDK's
    ``Authorization: Bearer``); ``-N`` for a streamed answer, so curl prints it as it comes."""
    body = request.get("body")
    parts = ["curl"]
    if isinstance(body, dict) and body.get("stream") is True:
        parts.append("-N")
    method = str(request.get("method", "POST")).upper()
    if method != "POST":
        parts += ["-X", shlex.quote(method)]
    parts.append(shlex.quote(str(request.get("url", ""))))
    lines = [" ".join(parts)]
    headers: dict[str, str] = request.get("headers") or {}
    if any(name.lower() in _KEY_HEADERS for name in headers):
        lines.append(f'-H "x-api-key: {KEY_VARIABLE}"')
    for name, value in headers.items():
        lower = name.lower()
        if lower in _KEY_HEADERS or lower in _TRANSPORT_HEADERS or lower.startswith("x-stainless-"):
            continue
        lines.append(f"-H {shlex.quote(f'{lower}: {value}')}")
    if body is not None:
        lines.append(f"-d {shlex.quote(body_json(body))}")
    return " \\\n  ".join(lines)
