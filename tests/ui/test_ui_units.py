"""Unit tests of the TUI's pure parts: run state, rate-limit wording, config file, backend choice."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tui_app import paths
from tui_app.run.choice import BackendChoice
from tui_app.ui.config import UIConfig
from tui_app.ui.keys import KEYS, markdown_table
from tui_app.ui.run_state import RunState
from tui_app.ui.widgets.response.attempts import ratelimit_summary

from .conftest import RATELIMIT, synthetic_states


def test_run_state_follows_a_retried_run():
    state = RunState()
    events = synthetic_states()["backing_off"]
    for event in events:
        state.apply(event, now=10.0)
    assert state.state == "backing off"
    assert state.state_text(now=10.5) == "backing off 1.5 s"
    assert state.elapsed(now=10.5) == 0.5
    for event in synthetic_states()["done"][len(events) :]:
        state.apply(event, now=13.0)
    assert (state.state, state.ttft, state.final_elapsed, state.output_tokens) == ("done", 0.2, 2.9, 48)
    assert state.elapsed(now=99.0) == 2.9  # over: times come from the events, not the clock
    assert not state.live


def test_run_state_has_a_handler_for_every_event_type():
    """It dispatches on ``event.type`` strings (the classes load after the first frame): a
    misspelt or missing key would silently ignore that event."""
    from typing import get_args

    from tui_app.retry.events import EventType
    from tui_app.ui.run_state import _HANDLERS

    assert set(_HANDLERS) == set(get_args(EventType))


def test_live_speed_is_an_estimate_until_the_answer_is_done():
    state = RunState()
    for event in synthetic_states()["streaming"]:
        state.apply(event, now=1.0)
    assert state.live_tokens_per_s(now=2.0) == len(synthetic_states()["streaming"][-1].text) / 4


def test_ratelimit_summary():
    assert ratelimit_summary(RATELIMIT) == "limits: requests 998/1000 · reset 12:00:05"
    assert ratelimit_summary({}) == ""


def test_config_remember_keeps_what_it_does_not_own():
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('other = 1\n[keys]\nsend = "f10"\n')
    config = UIConfig.load()
    assert config.keys == {"send": "f10"} and not config.problems
    assert config.remember(theme="nord") is None
    assert tomllib.loads(path.read_text()) == {"other": 1, "theme": "nord", "keys": {"send": "f10"}}


def test_config_reports_bad_values_without_failing():
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = 3\n[keys]\nsend = ""\n')
    config = UIConfig.load()
    assert config.theme is None and config.keys == {}
    assert len(config.problems) == 2 and all(str(path) in p for p in config.problems)


def test_config_cursor_blink_is_a_preference_the_app_follows():
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("cursor_blink = false\n")
    assert UIConfig.load().cursor_blink is False
    path.write_text('cursor_blink = "no"\n')
    config = UIConfig.load()
    assert config.cursor_blink is True and len(config.problems) == 1 and "cursor_blink" in config.problems[0]


async def test_a_steady_cursor_from_the_config_file_reaches_the_editors():
    from textual.widgets import TextArea

    from tui_app.ui.app import ClaudeTUI

    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("cursor_blink = false\n")
    app = ClaudeTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editors = list(app.main_screen.query(TextArea))
        assert editors and all(not editor.cursor_blink for editor in editors)


def test_backend_choice_from_environment():
    assert BackendChoice.from_env({}).label == "SIMULATOR"
    assert BackendChoice.from_env({"ANTHROPIC_API_KEY": "k"}).label == "real API"
    custom = BackendChoice.from_env({"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": "http://h:1"})
    assert custom.label == "API http://h:1"


def test_every_binding_has_an_id_a_tooltip_and_a_row_in_the_key_table():
    assert len({k.id for k in KEYS}) == len(KEYS)
    assert all(k.tooltip for k in KEYS)
    table = markdown_table({"send": "f10"})
    assert "| `f10` | Send the prompt" in table
    assert all(f"`{k.id}`" in table for k in KEYS)


def test_the_readme_key_table_is_the_generated_one():
    """Docs and code cannot disagree: the README holds ``markdown_table()`` verbatim."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme


def test_every_form_label_fits_its_column_whole():
    """The settings form's label column is 16 cells: a longer label would be cut, and two
    cut alike ("breaker …" twice) would leave the user guessing which field is which."""
    from tui_app.schema import form_fields

    labels = [s.label for s in form_fields("settings")]
    assert max(len(label) for label in labels) <= 16, labels
    assert len(set(labels)) == len(labels)
