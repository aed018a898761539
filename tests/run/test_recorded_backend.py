"""What a session records of its backend: the API's host or the simulator's scenario and seed."""

from __future__ import annotations

from tui_app import paths
from tui_app.run.backend import Backend, BackendChoice
from tui_app.store.sessions import SessionStore


def test_the_api_is_recorded_by_host_only():
    key = "sk-ant-api03-" + "k" * 40
    choice = BackendChoice("api", api_key=key, base_url="https://user:pw@proxy.example:8443/v1?token=t")
    assert Backend(choice).recorded_backend() == {"kind": "api", "host": "proxy.example:8443"}
    assert Backend(BackendChoice("api", api_key=key)).recorded_backend() == {"kind": "api", "host": "api.anthropic.com"}


def test_a_simulator_is_recorded_by_its_scenario_name_and_seed(make_sim, tmp_path):
    scenario = tmp_path / "flaky.toml"
    scenario.write_text('name = "flaky-file"\n')
    sim = make_sim(str(scenario), seed=5)
    assert Backend(BackendChoice.simulator(str(scenario)), simulator=sim).recorded_backend() == {
        "kind": "simulator",
        "scenario": "flaky-file",
        "seed": 5,
    }


def test_a_headless_run_records_its_backend_and_never_the_key(cli, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-" + "s" * 40)
    code, _out, err = cli("run", "--sim=happy", "--seed", "3", "--quiet", "Hello pelican")
    assert code == 0, err
    with SessionStore.open() as store:
        [session] = store.list_sessions()
    assert session.backend == {"kind": "simulator", "scenario": "happy", "seed": 3}
    db = paths.sessions_db()
    files = [db, db.with_name(db.name + "-wal")]
    assert all(b"sk-ant" not in f.read_bytes() for f in files if f.exists())
