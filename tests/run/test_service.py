"""The run service's parts: backend choice, ``--sim`` parsing, the event fan-out and replay."""

from __future__ import annotations

import io

import pytest

from tui_app.commands.run import normalise_sim
from tui_app.headless import HeadlessPrinter
from tui_app.retry.events import AttemptStart, RunStart, Success, TextDelta
from tui_app.run.choice import BackendChoice, ChoiceError
from tui_app.run.controller import fan_out, replay

EVENTS = [
    RunStart(t=0.0, model="claude-x", max_attempts=2),
    AttemptStart(t=0.0, attempt=1, model="claude-x"),
    TextDelta(t=0.1, attempt=1, text="Hi"),
    Success(t=0.2, attempt=1, text="Hi", stop_reason="end_turn", elapsed=0.2),
]


def test_the_tui_falls_back_to_the_simulator_without_a_key():
    assert BackendChoice.from_env({}, scenario="storm") == BackendChoice("simulator", scenario="storm")
    assert BackendChoice.from_env({"ANTHROPIC_API_KEY": "k"}).kind == "api"


def test_a_headless_run_never_gets_simulated_answers_silently():
    with pytest.raises(ChoiceError, match="ANTHROPIC_API_KEY is not set.*--sim"):
        BackendChoice.for_headless(simulate=False, environ={})
    with pytest.raises(ChoiceError, match=r"ANTHROPIC_API_KEY \(sk-ant-…\) contains a control character"):
        BackendChoice.for_headless(simulate=False, environ={"ANTHROPIC_API_KEY": "sk-ant-\x07"})
    api = BackendChoice.for_headless(simulate=False, environ={"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": "u"})
    assert (api.kind, api.api_key, api.base_url) == ("api", "k", "u")
    sim = BackendChoice.for_headless(simulate=True, scenario=None, environ={"ANTHROPIC_API_KEY": "k"})
    assert (sim.kind, sim.scenario) == ("simulator", "happy")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--sim", "Hello"], ["--sim", "Hello"]),
        (["--sim=storm", "Hello"], ["--sim", "--scenario", "storm", "Hello"]),
        (["Hello", "--sim=a.toml", "-q"], ["Hello", "--sim", "--scenario", "a.toml", "-q"]),
        (["--", "--sim=not-a-flag"], ["--", "--sim=not-a-flag"]),
    ],
)
def test_sim_equals_name_is_sim_and_scenario(argv, expected):
    assert normalise_sim(argv) == expected


async def test_fan_out_hands_each_event_to_sync_and_async_consumers_in_order():
    seen: list[tuple[str, str]] = []

    async def panel(event):
        seen.append(("panel", event.type))

    async def events():
        for event in EVENTS:
            yield event

    last = await fan_out(events(), [lambda e: seen.append(("file", e.type)), panel])
    assert last is EVENTS[-1]
    assert seen == [(who, e.type) for e in EVENTS for who in ("file", "panel")]


async def test_replay_feeds_the_headless_printer_like_a_live_run():
    out, err = io.StringIO(), io.StringIO()
    printer = HeadlessPrinter(stdout=out, stderr=err, quiet=False, answer_to_stdout=True, max_attempts=2)
    sleeps: list[float] = []

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    last = await replay(EVENTS, [printer.handle], speed=2.0, sleep=sleep)
    assert last is EVENTS[-1] and out.getvalue() == "Hi" and sleeps == pytest.approx([0.05, 0.05])
    assert err.getvalue().startswith("claude-tui: done in 0.2 s after 1 attempt with claude-x (end_turn")


def test_a_scenario_without_sim_goes_to_the_real_api_and_says_so(cli, make_sim, monkeypatch):
    api = make_sim("happy")  # stands for the real API: a key and a base URL
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.base_url)
    code, out, err = cli("run", "--scenario", "overload-storm", "--no-record", "Hello")
    assert code == 0 and out.strip()
    assert (
        "claude-tui run: scenario overload-storm not used: requests go to the real API"
        " (add --sim to rehearse it on the simulator)"
    ) in err.splitlines()
    assert api.attempts == 1  # one request, to the API, none of the scenario's 529s


def test_the_tui_starts_on_the_simulator_with_sim_even_with_a_key(monkeypatch):
    from tui_app.cli import build_parser
    from tui_app.commands.tui import simulator_backend

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    assert build_parser().parse_args([]).sim is None
    assert simulator_backend(build_parser().parse_args([]).sim, "chaos") is None  # the environment decides
    plain = simulator_backend(build_parser().parse_args(["--sim"]).sim, "chaos")
    assert plain is not None and plain.choice == BackendChoice("simulator", scenario="chaos")  # the profile's
    named = simulator_backend(build_parser().parse_args(["--sim=stalls"]).sim, "chaos")
    assert named is not None and named.choice == BackendChoice("simulator", scenario="stalls")
    bare = simulator_backend("", None)
    assert bare is not None and bare.choice.scenario == "live"  # the TUI's default: answers at model speed
    assert BackendChoice.from_env({}).scenario == "live" and BackendChoice.simulator().scenario == "happy"
    with pytest.raises(ValueError, match="unknown scenario 'bogus'"):
        simulator_backend("bogus", None)


def test_run_continue_follows_up_a_session_with_its_conversation(cli, make_sim, monkeypatch):
    from tui_app.simulator import answer_for
    from tui_app.store.sessions import SessionStore

    api = make_sim("happy")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.base_url)
    assert cli("run", "-q", "What is jitter?")[0] == 0
    with SessionStore.open() as store:
        [first] = store.list_sessions(limit=1)
    code, out, _err = cli("run", "-q", "--continue", str(first.id), "And backoff?")
    assert code == 0 and out == answer_for("And backoff?")
    assert api.requests[-1].body["messages"] == [
        {"role": "user", "content": "What is jitter?"},
        {"role": "assistant", "content": answer_for("What is jitter?")},
        {"role": "user", "content": "And backoff?"},
    ]
    with SessionStore.open() as store:
        second = store.list_sessions(limit=1)[0]
    assert second.follows == first.id and second.prompt == "And backoff?"
    code, _out, err = cli("run", "-q", "--continue", "999", "More?")
    assert code == 2 and err.strip() == (
        "claude-tui run: --continue 999: no session with id 999 (see `claude-tui sessions list`)"
    )
