"""The settings schema: one declaration per setting, and what is derived from it."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path

import pytest

from tui_app.retry.policy import RetryPolicy
from tui_app.schema import (
    SETTINGS,
    Boolean,
    FieldError,
    add_flags,
    by_key,
    flag_values,
    form_fields,
    markdown_table,
    parse_table,
    setting,
    to_table,
)
from tui_app.settings import RunSettings
from tui_app.simulator import ScenarioError
from tui_app.simulator.steps import FieldError as ScenarioFieldError
from tui_app.simulator.steps import parse_step
from tui_app.timeouts import TIMEOUT_FIELDS, Timeouts

README = Path(__file__).resolve().parents[2] / "README.md"


@dataclasses.dataclass(frozen=True, slots=True)
class CachingSettings(RunSettings):
    """A setting like the README's "Adding a setting" example (``stream``), declared once in a
    test-local copy of RunSettings: what the declaration alone adds."""

    cache_prompt: bool = setting(
        True,
        kind=Boolean(),
        flag="--cache-prompt",
        label="cache prompt",
        help="mark the prompt for caching (--no-cache-prompt: never)",
    )


EXTENDED = CachingSettings.schema()
CACHE = by_key(EXTENDED)["cache_prompt"]


def test_one_declaration_is_the_typed_field_and_the_setting():
    assert EXTENDED == (*SETTINGS, CACHE) and (CACHE.key, CACHE.attr) == ("cache_prompt", "cache_prompt")
    assert CachingSettings().cache_prompt is True and CachingSettings().values()["cache_prompt"] is True
    changed = CachingSettings().with_values({"cache_prompt": False})
    assert changed.cache_prompt is False and changed.to_dict()["cache_prompt"] is False
    with pytest.raises(FieldError, match=r"^cache_prompt must be true or false \(unquoted\), got 1$"):
        CachingSettings().with_values({"cache_prompt": 1})


def test_one_declaration_adds_a_flag():
    parser = argparse.ArgumentParser()
    add_flags(parser, CachingSettings().values(), EXTENDED)
    assert "--no-cache-prompt" in parser.format_help() and "(default: true)" in parser.format_help()
    assert flag_values(parser.parse_args(["--no-cache-prompt"]), EXTENDED) == {"cache_prompt": False}
    assert flag_values(parser.parse_args([]), EXTENDED) == {}
    assert "cache_prompt" not in flag_values(parser.parse_args(["--no-cache-prompt"]))  # the product's schema has none


def test_one_declaration_adds_a_profile_key_with_its_rule():
    assert parse_table({"cache_prompt": False}, EXTENDED) == {"cache_prompt": False}
    assert to_table({"cache_prompt": False}, EXTENDED) == {"cache_prompt": False}
    with pytest.raises(FieldError) as info:
        parse_table({"cache_prompt": "no"}, EXTENDED)
    assert str(info.value) == 'cache_prompt must be true or false (unquoted), got "no"'
    with pytest.raises(FieldError, match="cache_prompt is not a profile key"):
        parse_table({"cache_prompt": False})


def test_one_declaration_adds_a_form_field_and_a_docs_row():
    from tui_app.ui.widgets.request.settings_form import _field

    assert CACHE in form_fields("settings", EXTENDED) and CACHE not in form_fields("settings")
    widget = _field(CACHE)
    assert widget.id == "cache-prompt" and type(widget).__name__ == "Select"
    row = markdown_table(CachingSettings().values(), EXTENDED).splitlines()[-1]
    assert row == (
        "| `cache_prompt` | `--[no-]cache-prompt` | true or false | true "
        "| mark the prompt for caching (--no-cache-prompt: never) |"
    )


def test_every_runsettings_field_has_a_declaration_and_back():
    attrs = {s.attr for s in SETTINGS}
    containers = {"policy", "timeout_overrides", "deadline_override"}  # hold declared settings
    fields = {f.name for f in dataclasses.fields(RunSettings)} - containers
    fields |= {f"policy.{f.name}" for f in dataclasses.fields(RetryPolicy)}
    fields |= {f"timeout_overrides.{f.name}" for f in dataclasses.fields(Timeouts)}
    assert TIMEOUT_FIELDS == tuple(f.name for f in dataclasses.fields(Timeouts))
    assert attrs == fields
    for unique in ("key", "flag", "dest", "widget_id"):
        assert len({getattr(s, unique) for s in SETTINGS}) == len(SETTINGS), unique
    assert set(RunSettings().values(effective=True)) == {s.key for s in SETTINGS}


def test_readme_profiles_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- settings-table[^>]*-->\n(.*?)<!-- /settings-table -->", text, re.S)
    assert found, "README lost its settings-table markers"
    expected = markdown_table(RunSettings().values())
    assert found.group(1) == expected, f"regenerate the README table:\n{expected}"


def test_a_rule_between_settings_names_the_flag_that_was_given():
    from tui_app.commands.request_flags import add_request_flags, settings_from_args

    parser = argparse.ArgumentParser()
    add_request_flags(parser)
    base = RunSettings(policy=RetryPolicy(base_delay=4, max_delay=8))
    with pytest.raises(FieldError) as info:
        settings_from_args(parser.parse_args(["--max-delay", "1"]), base)
    assert str(info.value) == "--max-delay must be >= retry.base_delay (4), got 1"
    assert info.value.field == "retry.max_delay"
    given = settings_from_args(parser.parse_args(["--deadline", "none", "--read-timeout", "7"]))
    assert given.effective_policy().deadline is None and given.timeout_overrides == {"read": 7.0}


def test_the_core_objects_check_by_the_same_rules():
    with pytest.raises(FieldError, match=r"^retry.max_attempts must be an integer between 1 and 1000, got 0$"):
        RetryPolicy(max_attempts=0).validate()
    with pytest.raises(FieldError, match=r"^timeouts.read must be a number of seconds > 0"):
        RunSettings(timeout_overrides={"read": -1}).timeouts()
    with pytest.raises(FieldError, match=r"^timeouts.reed is not a setting: did you mean read in the \[timeouts\]"):
        RunSettings(timeout_overrides={"reed": 1}).validate()


def test_scenario_errors_are_the_same_error_type_with_their_own_wording():
    with pytest.raises(ScenarioFieldError) as info:
        parse_step({"fault": "status", "status": 999}, "steps[0]")
    assert isinstance(info.value, FieldError) and isinstance(info.value, ScenarioError)
    assert info.value.field == "steps[0].status"
    assert str(info.value).startswith("steps[0].status: unsupported status 999 (use one of: 400,")


def test_kinds_are_immutable_values_compared_by_their_fields():
    """The kinds are small value classes (not dataclasses: the first frame declares them)."""
    from tui_app.schema import Integer, ScenarioRef, Seconds, Text

    assert Integer(1, 3) == Integer(1, 3) and Integer(1, 3) != Integer(1, 4)
    assert hash(Seconds(allow_zero=True)) == hash(Seconds(allow_zero=True))
    assert repr(Seconds(none_word="none")) == "Seconds(allow_zero=False, none_word='none')"
    assert ScenarioRef().optional is True and ScenarioRef() != Text(optional=True)
    with pytest.raises(AttributeError, match="Integer is immutable"):
        Integer(1, 3).low = 2  # type: ignore[misc]
