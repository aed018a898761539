"""The request inspector's data and text: the key masked where the request leaves the SDK,
the curl command quoted for a real shell, and old records without these fields still read."""

from __future__ import annotations

import json
import shlex
import subprocess

import anthropic
import httpx2

from tui_app.inspect_request import curl_command, request_text, response_text
from tui_app.retry.events import AttemptError, ResponseStart, event_from_dict
from tui_app.retry.wire import exchange_of, request_record

KEY = "sk-ant-api03-UNITMARKER-wxyz9876"
HOSTILE = "it's \"quoted\" $HOME `ls` \\ back\nslash — ünïcode ' end"


def _sent(**headers: str) -> httpx2.Request:
    body = {"model": "m", "max_tokens": 8, "stream": True, "messages": [{"role": "user", "content": HOSTILE}]}
    return httpx2.Request(
        "POST",
        "https://api.example.test/v1/messages",
        headers={"anthropic-version": "2023-06-01", "x-stainless-os": "Linux", **headers},
        json=body,
    )


def test_the_key_is_masked_in_both_headers_the_sdk_may_send():
    record = request_record(_sent(authorization=f"Bearer {KEY}", **{"x-api-key": KEY}))
    assert record is not None
    assert record["headers"]["authorization"] == "Bearer sk-ant-…9876"
    assert record["headers"]["x-api-key"] == "sk-ant-…9876"
    assert KEY not in json.dumps(record) and KEY not in request_text(record) and KEY not in curl_command(record)
    assert record["body"]["messages"][0]["content"] == HOSTILE


def test_an_error_carries_its_request_and_the_headers_that_explain_a_retry():
    sent = _sent(authorization=f"Bearer {KEY}")
    headers = {"request-id": "req_1", "retry-after": "2", "x-should-retry": "true", "x-other": "no"}
    headers["anthropic-ratelimit-tokens-remaining"] = "5"
    response = httpx2.Response(529, headers=headers, request=sent, json={"type": "error"})
    exc = anthropic.APIStatusError("overloaded", response=response, body=None)
    request, status, shown = exchange_of(exc)
    assert status == 529 and request is not None and KEY not in json.dumps(request)
    assert list(shown) == ["request-id", "retry-after", "x-should-retry", "anthropic-ratelimit-tokens-remaining"]
    assert response_text(status, shown).splitlines()[:2] == ["HTTP 529", "request-id: req_1"]
    connect = exchange_of(anthropic.APIConnectionError(request=sent))
    assert connect[0] == request and connect[1:] == (None, {})
    assert response_text(None, {}).startswith("no HTTP response")


def test_curl_round_trips_through_shlex_and_a_real_shell():
    record = request_record(_sent(authorization=f"Bearer {KEY}"))
    assert record is not None
    command = curl_command(record)
    assert command.count("\n") == 4 and all(line.endswith(" \\") for line in command.splitlines()[:-1])
    argv = shlex.split(command.replace("\\\n", ""))  # a line continuation, as a shell reads it
    assert argv[:3] == ["curl", "-N", "https://api.example.test/v1/messages"]
    assert ["-H", "x-api-key: $ANTHROPIC_API_KEY"] == argv[3:5]
    assert "-H" in argv and "anthropic-version: 2023-06-01" in argv
    assert not any(a.startswith(("x-stainless", "authorization", "host:", "content-length")) for a in argv)
    assert json.loads(argv[argv.index("-d") + 1]) == record["body"]
    # bash with ``curl`` a function printing its arguments: the key expands, nothing else does.
    script = "curl() { printf '%s\\0' \"$@\"; }\n" + command
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, env={"ANTHROPIC_API_KEY": KEY, "PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0, done.stderr
    args = done.stdout.decode().split("\0")[:-1]
    assert args[3] == f"x-api-key: {KEY}"
    assert json.loads(args[args.index("-d") + 1]) == record["body"]


def test_records_from_before_the_inspector_still_read():
    old_start = {"type": "response_start", "t": 0.1, "attempt": 1, "request_id": "req_1", "ratelimit": {}}
    event = event_from_dict(old_start)
    assert isinstance(event, ResponseStart) and event.request is None and event.status is None
    old_error = {"type": "attempt_error", "t": 0.2, "attempt": 1, "failure": None, "status": 529, "duration": 0.1}
    error = event_from_dict(old_error)
    assert isinstance(error, AttemptError) and error.request is None and error.response_headers == {}
    new = ResponseStart(t=0.1, attempt=1, status=200, request={"method": "POST", "url": "u", "headers": {}, "body": {}})
    assert event_from_dict(json.loads(json.dumps(new.to_dict()))) == new
