"""What went over the wire for one attempt, as plain JSON-ready data (never the API key).

The request inspector shows the request as the SDK really sent it (method, URL, headers,
JSON body) and the response's status and the headers that explain a retry. Both are read
from the SDK's own objects — the ``httpx2`` request a response or an exception carries —
not rebuilt from our arguments, so what is shown is what was sent. The key headers are
masked here, at the edge where the data leaves the SDK, so no event, record or screen
ever holds the key.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx2

from ..secrets import mask_key

if TYPE_CHECKING:
    from collections.abc import Mapping

SECRET_HEADERS = frozenset({"x-api-key", "authorization"})
"""Headers that carry the key (the SDK 2.x sends ``Authorization: Bearer``)."""

RESPONSE_HEADERS = ("request-id", "retry-after", "retry-after-ms", "x-should-retry")
"""Response headers worth showing beside the ``anthropic-ratelimit-*`` ones."""


def masked(name: str, value: str) -> str:
    """``value`` of header ``name``, the key replaced by its masked form."""
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, token = value.partition(" ")
    if token and scheme.lower() == "bearer":
        return f"{scheme} {mask_key(token)}"
    return mask_key(value)


def request_record(request: Any) -> dict[str, Any] | None:
    """``{"method", "url", "headers", "body"}`` of an ``httpx2.Request``; None for no request.

    ``body`` is the parsed JSON (the Messages API body), or the text when it is not JSON.
    """
    if request is None or not hasattr(request, "headers"):
        return None
    try:
        raw = bytes(request.content)
    except httpx2.RequestNotRead:  # a streamed body not read yet: nothing to show
        raw = b""
    try:
        body: Any = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        body = raw.decode("utf-8", "replace")
    headers = {name.lower(): masked(name, value) for name, value in request.headers.items()}
    return {"method": str(request.method), "url": str(request.url), "headers": headers, "body": body}


def response_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers of a response the inspector shows, lower-cased, in a stable order."""
    lower = {name.lower(): value for name, value in headers.items()}
    shown = {name: lower[name] for name in RESPONSE_HEADERS if name in lower}
    shown.update(sorted((n, v) for n, v in lower.items() if n.startswith("anthropic-ratelimit-")))
    return shown


def exchange_of(exc: BaseException) -> tuple[dict[str, Any] | None, int | None, dict[str, str]]:
    """(request, status, response headers) that an SDK exception carries, as far as known."""
    response = getattr(exc, "response", None)
    request = getattr(exc, "request", None)
    if request is None and response is not None:
        request = getattr(response, "request", None)
    if response is None or not hasattr(response, "headers"):
        return request_record(request), None, {}
    return request_record(request), getattr(response, "status_code", None), response_headers(response.headers)
