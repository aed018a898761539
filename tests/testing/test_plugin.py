"""The pytest plugin as its users meet it: test files run by pytest (``pytester``, in-process),
using only the public surface (the ``claude_sim`` fixture and marker, ``tui_app.testing``).

In-process runs need care: pytester restores ``sys.modules`` after each, dropping every module
first imported inside it. For the SDK's stack that is worse than slow: httpx2 imports its
transport (``httpcore2``, ``h11``) on the first request, and once a run has dropped it the next
import makes new exception classes that httpx2's own mapping no longer knows, so connection
failures of *later tests in the same worker* surface unmapped (classified ``unexpected``).
Hence ``sdk_warmed_up`` makes real requests before the first run, and every run checks that it
imported nothing of that stack itself (``SdkImportGuard``): a gap in the warm-up fails here,
loudly, instead of in someone else's test.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import anthropic
import pytest

from tui_app.testing import serve

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"
STRICT = ("--strict-markers", "-q", "-p", "no:cacheprovider")
QUIET = ("-p", "no:textual-snapshot", "-p", "no:hypothesispytest", "-o", "asyncio_default_fixture_loop_scope=function")
"""Plugins the suite has installed for itself, left out of the user's runs: pytest-textual-snapshot
keeps one temp dir per process, which an in-process run's end deletes; hypothesis's summary
imports hypothesis (1.9 s here), again in each run since pytester restores ``sys.modules``."""


SDK_STACK = ("anthropic", "httpx2", "httpcore2", "h11", "anyio", "sniffio", "certifi", "idna", "tui_app")


class SdkImportGuard:
    """A plugin for the inner run: what it imported of the SDK's stack, seen before pytester
    restores ``sys.modules``."""

    def __init__(self) -> None:
        self.before = set(sys.modules)
        self.imported: list[str] = []

    def pytest_sessionfinish(self) -> None:
        new = set(sys.modules) - self.before
        self.imported = sorted(m for m in new if m.split(".")[0] in SDK_STACK)


@pytest.fixture(scope="module")
def sdk_warmed_up() -> None:
    """Sync and async clients, streamed and not, a status error, a built-in scenario and a
    refused connection: every lazy import the users' files below trigger, done once here."""

    async def async_calls(sim: Any, ask: dict[str, Any]) -> None:
        async with anthropic.AsyncAnthropic(base_url=sim.base_url, api_key=sim.api_key, max_retries=0) as client:
            await client.messages.create(**ask)
            async with client.messages.stream(**ask) as stream:
                await stream.get_final_message()

    with serve(scenario={"steps": [{"fault": "status", "status": 529}]}) as sim:
        ask: dict[str, Any] = {"model": sim.model, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
        with anthropic.Anthropic(base_url=sim.base_url, api_key=sim.api_key, max_retries=0) as client:
            with pytest.raises(anthropic.OverloadedError):
                client.messages.create(**ask)
            with client.messages.stream(**ask) as stream:
                stream.get_final_message()
        asyncio.run(async_calls(sim, ask))
    with serve() as stopped:  # a built-in scenario (read from the package's assets)
        pass
    with anthropic.Anthropic(base_url=stopped.base_url, api_key=stopped.api_key, max_retries=0) as client:
        with pytest.raises(anthropic.APIConnectionError):  # stopped: nothing listens
            client.messages.create(**ask)


def run_inner(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest on the user's files in ``pytester.path``, in-process, importing none of the SDK's stack."""
    guard = SdkImportGuard()
    result = pytester.runpytest_inprocess(*STRICT, *QUIET, *args, plugins=[guard])
    assert guard.imported == [], "extend sdk_warmed_up: an in-process run imported these (see the module doc)"
    return result


def run_tests(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """Write ``source`` as a test file of the user's and run pytest on it."""
    pytester.makepyfile(test_user=textwrap.dedent(source))
    return run_inner(pytester, *args)


@pytest.fixture
def pytester(pytester: pytest.Pytester, sdk_warmed_up: None) -> pytest.Pytester:
    """pytester, once the SDK's lazy imports are done in this process (see the module doc)."""
    return pytester


def test_installing_claude_tui_registers_the_plugin() -> None:
    [plugin] = [e for e in entry_points(group="pytest11") if e.name == "claude_tui"]
    assert plugin.value == "tui_app.testing.plugin"


def test_the_plugin_imports_nothing_but_pytest_until_the_fixture_is_used() -> None:
    """pytest imports every installed plugin in every run: claude-tui's must cost nothing."""
    probe = (
        "import json, sys, pytest; before = set(sys.modules); import tui_app.testing.plugin; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["tui_app", "tui_app.testing", "tui_app.testing.plugin"]


def test_sync_and_async_clients_see_the_scenario_and_the_request_log(pytester: pytest.Pytester) -> None:
    result = run_tests(
        pytester,
        """
        import asyncio
        import anthropic
        import pytest

        ASK = [{"role": "user", "content": "Hi"}]

        def test_default_is_happy_and_the_log_has_every_field(claude_sim):
            client = anthropic.Anthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=0)
            reply = client.messages.create(model=claude_sim.model, max_tokens=512, messages=ASK)
            assert reply.content[0].text == claude_sim.answer_for("Hi")
            [r] = claude_sim.requests
            assert (r.attempt, r.method, r.path, r.fault, r.status) == (1, "POST", "/v1/messages", "none", 200)
            assert r.body == {"model": claude_sim.model, "max_tokens": 512, "messages": ASK}
            assert r.headers["authorization"] == "Bearer ***" and claude_sim.api_key not in str(r.headers)
            assert 0 <= r.received_at and 0 <= r.headers_after <= r.duration

        @pytest.mark.claude_sim(scenario="overload-storm", seed=1)
        def test_sync_client_against_overload_storm(claude_sim):
            client = anthropic.Anthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=0)
            for _ in range(3):
                with pytest.raises(anthropic.OverloadedError):
                    client.messages.create(model=claude_sim.model, max_tokens=64, messages=ASK)
            client.messages.create(model=claude_sim.model, max_tokens=64, messages=ASK)
            assert [r.status for r in claude_sim.requests] == [529, 529, 529, 200]
            assert [r.fault for r in claude_sim.requests] == ["status", "status", "status", "none"]
            assert claude_sim.requests[0].received_at < claude_sim.requests[3].received_at

        @pytest.mark.claude_sim("529-then-ok")
        def test_async_client_inside_asyncio_run(claude_sim):
            async def ask():
                async with anthropic.AsyncAnthropic(
                    base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=1
                ) as client:
                    return await client.messages.create(model=claude_sim.model, max_tokens=64, messages=ASK)
            reply = asyncio.run(ask())
            assert reply.content[0].text == claude_sim.answer_for("Hi", max_tokens=64)
            assert [r.status for r in claude_sim.requests] == [529, 200]

        @pytest.mark.asyncio
        @pytest.mark.claude_sim(scenario="mid-stream-error")
        async def test_async_test_streams_from_its_own_loop(claude_sim):
            client = anthropic.AsyncAnthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=0)
            with pytest.raises(anthropic.APIStatusError):
                async with client.messages.stream(model=claude_sim.model, max_tokens=4096, messages=ASK) as stream:
                    async for _ in stream.text_stream:
                        pass
            assert claude_sim.requests[0].fault == "sse_error" and claude_sim.requests[0].status == 200
            await client.close()

        @pytest.mark.claude_sim(scenario="overload-storm")
        class TestResetAndAClassMarker:
            def test_reset_starts_the_script_again(self, claude_sim):
                client = anthropic.Anthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=0)
                for _ in range(2):
                    with pytest.raises(anthropic.OverloadedError):
                        client.messages.create(model=claude_sim.model, max_tokens=64, messages=ASK)
                claude_sim.reset()
                assert claude_sim.requests == [] and claude_sim.attempts == 0
                with pytest.raises(anthropic.OverloadedError):
                    client.messages.create(model=claude_sim.model, max_tokens=64, messages=ASK)
                assert [r.attempt for r in claude_sim.requests] == [1]
        """,
    )
    result.assert_outcomes(passed=5)


def test_an_incident_file_beside_the_test_and_the_model_it_declares(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.path.joinpath("scenarios").mkdir()
    pytester.path.joinpath("scenarios", "incident.toml").write_text(  # as sessions export --format scenario writes
        'models = ["my-proxy-model"]\nthen = "last"\n'
        '[[steps]]\nfault = "recorded"\nstatus = 503\nretry_after = 2\n'
        '[[steps]]\nfault = "recorded"\ntext = "What the incident answered."\n'
    )
    monkeypatch.chdir(pytester.mkdir("elsewhere"))  # pytest started from another folder finds it too
    result = run_tests(
        pytester,
        """
        import anthropic
        import pytest

        @pytest.mark.claude_sim(scenario="scenarios/incident.toml")
        def test_it(claude_sim):
            assert claude_sim.model == "my-proxy-model"
            client = anthropic.Anthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key, max_retries=0)
            ask = dict(model=claude_sim.model, max_tokens=64, messages=[{"role": "user", "content": "x"}])
            with pytest.raises(anthropic.InternalServerError) as err:
                client.messages.create(**ask)
            assert err.value.response.headers["retry-after"] == "2"
            reply = client.messages.create(**ask)
            assert (reply.model, reply.content[0].text) == ("my-proxy-model", "What the incident answered.")
        """,
        str(pytester.path / "test_user.py"),
    )
    result.assert_outcomes(passed=1)


def test_the_same_seed_gives_the_same_faults_as_serve(pytester: pytest.Pytester) -> None:
    """The marker's seed reaches the simulator: the fixture and ``serve`` with that seed draw
    the same faults from a random scenario (given as a dict), another seed draws others."""
    result = run_tests(
        pytester,
        """
        import json
        import urllib.error
        import urllib.request
        import pytest
        from tui_app.testing import serve

        DICE = {"random": [{"fault": "status", "status": 529}, {"fault": "status", "status": 500}, {"fault": "none"}]}

        def statuses(sim, n=16):
            body = {"model": sim.model, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
            for _ in range(n):
                ask = urllib.request.Request(
                    sim.base_url + "/v1/messages", json.dumps(body).encode(), {"x-api-key": sim.api_key}
                )
                try:
                    urllib.request.urlopen(ask, timeout=5).read()
                except urllib.error.HTTPError:
                    pass
            return [r.status for r in sim.requests]

        @pytest.mark.claude_sim(scenario=DICE, seed=7)
        def test_seeded(claude_sim):
            mine = statuses(claude_sim)
            assert set(mine) == {529, 500, 200}
            with serve(scenario=DICE, seed=7) as same, serve(scenario=DICE, seed=8) as other:
                assert statuses(same) == mine
                assert statuses(other) != mine
        """,
    )
    result.assert_outcomes(passed=1)


def test_bad_markers_and_scenarios_fail_at_set_up_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("bad.toml").write_text('[[steps]]\nfault = "status"\nstatus = 418\n')
    result = run_tests(
        pytester,
        """
        import pytest

        @pytest.mark.claude_sim(scenario="overload-storm", sead=1)
        def test_typo(claude_sim): pass

        @pytest.mark.claude_sim(seed="one")
        def test_seed(claude_sim): pass

        @pytest.mark.claude_sim(scenario="bad.toml")
        def test_bad_file(claude_sim): pass

        @pytest.mark.claude_sim(scenario="overload-strom")
        def test_unknown_name(claude_sim): pass
        """,
    )
    result.assert_outcomes(errors=4)
    out = result.stdout.str()
    assert "@pytest.mark.claude_sim: unknown argument 'sead' (use scenario=..., seed=...)" in out
    assert "@pytest.mark.claude_sim: seed must be a whole number, not 'one' (e.g. seed=1)" in out
    assert re.search(r"bad\.toml: steps\[0\]\.status: unsupported status 418 \(use one of: 400", out)
    assert "unknown scenario 'overload-strom' (use one of: happy," in out
    assert "Traceback" not in out


def test_serve_is_a_context_manager_for_other_runners() -> None:
    with serve(scenario="529-then-ok") as sim:
        import anthropic as sdk

        client = sdk.Anthropic(base_url=sim.base_url, api_key=sim.api_key, max_retries=1)
        reply = client.messages.create(model=sim.model, max_tokens=64, messages=[{"role": "user", "content": "Hi"}])
        client.close()
    assert reply.content[0].text == sim.answer_for("Hi", max_tokens=64)
    assert [(r.attempt, r.status) for r in sim.requests] == [(1, 529), (2, 200)]
    with pytest.raises(OSError):  # stopped: nothing listens any more
        __import__("socket").create_connection(("127.0.0.1", sim.port), timeout=1)


def readme_python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", README.read_text(encoding="utf-8"), re.S | re.M)


def test_the_readme_test_file_passes_with_the_plugin(pytester: pytest.Pytester) -> None:
    """A test file written by a user with the plugin, as in the README, passes."""
    [source] = [b for b in readme_python_blocks() if b.startswith("# test_ask.py")]
    pytester.makepyfile(test_ask=source)
    result = run_inner(pytester)
    result.assert_outcomes(passed=2)


def test_the_readme_serve_example_runs() -> None:
    [source] = [b for b in readme_python_blocks() if b.startswith("from tui_app.testing import serve")]
    exec(compile(source, "README.md", "exec"), {})
