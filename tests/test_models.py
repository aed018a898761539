"""The model table read from the installed SDK, and the default chosen from it."""

from __future__ import annotations

import sys
import typing

import pytest

from tui_app import models
from tui_app.models import FALLBACK_MODELS, default_model, newest, sdk_models


@pytest.fixture
def fresh_cache():
    """``sdk_models``/``default_model`` are cached per process: clear them around a test that
    points them at another table, so neither it nor later tests see a stale answer."""
    sdk_models.cache_clear()
    default_model.cache_clear()
    yield
    sdk_models.cache_clear()
    default_model.cache_clear()


def _fake_sdk(tmp_path, monkeypatch, ids: list[str]) -> None:
    """An ``anthropic`` package whose ``types/model.py`` lists ``ids``, first on sys.path."""
    package = tmp_path / "sdk" / "anthropic"
    (package / "types").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    literal = ",\n".join(f'        "{m}"' for m in ids)
    (package / "types" / "model.py").write_text(
        f"from typing import Union\nfrom typing_extensions import Literal\n\n"
        f"Model = Union[\n    Literal[\n{literal},\n    ],\n    str,\n]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "sdk"))
    monkeypatch.delitem(sys.modules, "anthropic", raising=False)  # else find_spec answers from it


# Versions far above any real model's, so no id here is one a real SDK table may list.
@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (("claude-sonnet-90-6", "claude-sonnet-91", "claude-sonnet-91-5", "claude-opus-99"), "claude-sonnet-91-5"),
        (("claude-sonnet-90-6", "claude-sonnet-91"), "claude-sonnet-91"),  # 91 > 90-6
        (("claude-sonnet-90-10", "claude-sonnet-90-9"), "claude-sonnet-90-10"),  # numbers, not text
        (("claude-sonnet-99-20990101", "claude-sonnet-90-6"), "claude-sonnet-90-6"),  # dated snapshot ignored
        (("claude-sonnet-preview", "claude-sonnet-90-6"), "claude-sonnet-90-6"),  # previews ignored
        (("claude-opus-91", "claude-haiku-91"), None),  # no Sonnet at all
        ((), None),
    ],
)
def test_newest_sonnet(table, expected):
    assert newest(table) == expected


def test_newest_of_another_family():
    assert newest(("claude-opus-90-6", "claude-opus-91", "claude-sonnet-99"), family="opus") == "claude-opus-91"


def test_the_table_is_read_from_the_sdk_source_without_importing_it(tmp_path, monkeypatch, fresh_cache):
    _fake_sdk(tmp_path, monkeypatch, ["claude-opus-97", "claude-sonnet-97-1", "claude-sonnet-97-1-20990101"])
    assert sdk_models() == ("claude-opus-97", "claude-sonnet-97-1", "claude-sonnet-97-1-20990101")
    assert default_model() == "claude-sonnet-97-1"
    assert "anthropic" not in sys.modules


def test_a_table_without_sonnet_defaults_to_its_first_model(tmp_path, monkeypatch, fresh_cache):
    _fake_sdk(tmp_path, monkeypatch, ["claude-opus-97", "claude-haiku-97"])
    assert default_model() == "claude-opus-97"


def test_without_the_sdk_the_fallback_table_is_used(monkeypatch, fresh_cache):
    monkeypatch.setattr(models, "_models_from_source", lambda: ())

    def no_sdk() -> tuple[str, ...]:
        raise ImportError("No module named 'anthropic'")

    monkeypatch.setattr(models, "_models_from_import", no_sdk)
    assert sdk_models() == FALLBACK_MODELS
    assert default_model() == newest(FALLBACK_MODELS) and default_model() in FALLBACK_MODELS


def test_an_unreadable_source_falls_back_to_the_imported_literal(monkeypatch, fresh_cache):
    monkeypatch.setattr(models, "_models_from_source", lambda: ())
    import anthropic.types

    literal = [a for a in typing.get_args(anthropic.types.Model) if typing.get_origin(a) is typing.Literal]
    assert sdk_models() == typing.get_args(literal[0])


def test_the_installed_table_matches_the_sdk_literal_and_holds_the_default():
    """The text read of model.py agrees with what the SDK itself exports."""
    import anthropic.types

    literal = [a for a in typing.get_args(anthropic.types.Model) if typing.get_origin(a) is typing.Literal]
    assert sdk_models() == tuple(m for lit in literal for m in typing.get_args(lit))
    assert default_model() in sdk_models() and default_model().startswith("claude-sonnet-")
