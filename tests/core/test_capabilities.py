"""What a model takes (``GET /v1/models`` capabilities, else the shipped table) and the
one-line refusals made before sending."""

from __future__ import annotations

import re
import tomllib

import pytest

from tui_app import capabilities
from tui_app.capabilities import ModelCaps, from_model_info, problem, table_from_data
from tui_app.paths import assets_dir
from tui_app.settings import EFFORTS, RunSettings

SHIPPED = tomllib.loads((assets_dir() / "model_capabilities.toml").read_text(encoding="utf-8"))
CAPS = ModelCaps(
    "m", thinking=frozenset({"adaptive", "disabled"}), effort=("low", "high"), temperature=False, source="x"
)


def info(thinking: dict[str, bool], effort: dict[str, bool] | None, **extra: object) -> dict[str, object]:
    """A ``/v1/models`` entry (``ModelInfo``) with these supports."""
    caps: dict[str, object] = {
        "thinking": {"supported": any(thinking.values()), "types": {k: {"supported": v} for k, v in thinking.items()}}
    }
    caps["effort"] = {"supported": effort is not None, **{k: {"supported": v} for k, v in (effort or {}).items()}}
    return {"id": "m", "type": "model", "capabilities": caps, **extra}


def test_the_shipped_table_is_dated_sourced_and_speaks_the_sdk_s_words():
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", SHIPPED["checked"])
    assert SHIPPED["defaults"]["temperature"] is False and SHIPPED["defaults"]["temperature_source"]
    for model, entry in SHIPPED["models"].items():
        assert entry["source"], model
        assert set(entry.get("thinking", ())) <= set(capabilities.THINKING_TYPES), model
        assert set(entry.get("effort", ())) <= set(EFFORTS), model
        assert set(entry) <= {"thinking", "thinks_by_default", "effort", "temperature", "aliases", "source"}, model


def test_a_model_missing_from_the_table_is_not_checked():
    assert capabilities.from_table("no-such-model") is None
    assert problem(RunSettings(thinking="adaptive", effort="max"), None) is None


def test_aliases_share_their_model_s_entry():
    table = table_from_data({"models": {"a": {"thinking": ["enabled"], "aliases": ["a-2025"]}}})
    assert table["a-2025"].thinking == table["a"].thinking == {"enabled"} and table["a-2025"].model == "a-2025"


def test_live_capabilities_win_and_the_table_fills_in_the_rest(monkeypatch):
    monkeypatch.setattr(
        capabilities,
        "_table",
        lambda: table_from_data({"models": {"m": {"thinking": ["enabled"], "temperature": False, "source": "t"}}}),
    )
    caps = from_model_info(
        info({"adaptive": True, "disabled": True, "enabled": False}, {"low": True, "high": True, "max": False})
    )
    assert caps is not None
    assert caps.thinking == {"adaptive", "disabled"} and caps.effort == ("low", "high")
    assert caps.temperature is False  # /v1/models says nothing of sampling: from the table
    assert caps.source.startswith("GET /v1/models and the shipped table")
    assert from_model_info({"id": "m", "type": "model"}) is None  # no capabilities listed
    no_effort = from_model_info(info({"enabled": True}, None))
    assert no_effort is not None and no_effort.effort == ()


@pytest.mark.parametrize(
    ("values", "field", "wording"),
    [
        (
            {"thinking": 2048, "max_tokens": 4096},
            "thinking",
            'is a budget of 2048 tokens, but m takes no budget (per x); use "adaptive"',
        ),
        ({"thinking": "off", "effort": "max"}, "effort", 'is "max", which m does not take (per x); use low, high'),
        ({"temperature": 0.5}, "temperature", "is set, but m takes no sampling temperature (per x)"),
    ],
)
def test_what_the_model_does_not_take_is_one_line_naming_the_field(values, field, wording):
    error = problem(RunSettings().with_values(values), CAPS)
    assert error is not None and error.field == field and str(error).startswith(f"{field} {wording}")


def test_off_on_a_model_that_always_thinks_and_adaptive_on_one_without_it():
    always = ModelCaps("m", thinking=frozenset({"adaptive"}), source="x")
    assert 'is "off", but m always thinks' in str(problem(RunSettings(thinking="off"), always))
    budget_only = ModelCaps("m", thinking=frozenset({"enabled", "disabled"}), source="x")
    assert "give a budget of tokens instead" in str(problem(RunSettings(thinking="adaptive"), budget_only))
    assert problem(RunSettings(thinking="adaptive", effort="low"), CAPS) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"thinking": 1024}, "thinking is a budget of 1024 tokens, not below max_tokens (1024)"),
        ({"thinking": 512}, 'thinking must be "off", "adaptive" or a budget of N >= 1024 tokens, got 512'),
        (
            {"thinking": "sometimes"},
            'thinking must be "off", "adaptive" or a budget of N >= 1024 tokens, got "sometimes"',
        ),
        ({"effort": "extreme"}, 'effort must be one of "low", "medium", "high", "xhigh", "max", got "extreme"'),
        ({"temperature": 1.5}, "temperature must be a number between 0 and 1, got 1.5"),
        ({"stop_sequences": [""]}, 'stop_sequences must hold non-empty strings, got ""'),
        ({"thinking": 2048, "max_tokens": 4096, "temperature": 0.1}, "temperature cannot be set while thinking is on"),
    ],
)
def test_the_settings_own_rules(values, message):
    with pytest.raises(ValueError) as info_:
        RunSettings().with_values(values)
    assert str(info_.value).startswith(message)


def test_the_request_settings_round_trip_through_a_profile_and_the_form_s_text(tmp_path):
    from tui_app.schema import by_key
    from tui_app.store.profile_format import dumps, parse

    settings = RunSettings().with_values(
        {"thinking": 2048, "max_tokens": 4096, "effort": "high", "stop_sequences": ("END", "a, b")}
    )
    text = dumps(settings)
    assert "thinking = 2048" in text and 'effort = "high"' in text and "temperature" not in text
    assert parse(tomllib.loads(text), base_dir=tmp_path) == settings
    keys = by_key()
    for key in ("thinking", "effort", "temperature", "stop_sequences"):
        kind = keys[key].kind
        assert kind.from_text(kind.to_text(settings.values()[key])) == settings.values()[key], key
    assert keys["stop_sequences"].kind.from_text('["[x]", "y"]') == ("[x]", "y")
    assert keys["thinking"].kind.from_text(" Adaptive ") == "adaptive" and keys["effort"].kind.from_text("") is None
