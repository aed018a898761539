"""``stream`` and ``allow_long_no_stream``: declared once, so flags, profiles and records
have them; and the SDK's rule for non-streaming requests, applied as a settings error."""

from __future__ import annotations

import argparse

import anthropic
import pytest
from anthropic._constants import MODEL_NONSTREAMING_TOKENS

from tui_app.commands.request_flags import add_request_flags, settings_from_args
from tui_app.retry import nonstreaming
from tui_app.run.controller import build_request
from tui_app.schema import FieldError, parse_table
from tui_app.settings import DEFAULT_MODEL, RunSettings

CAPPED = next(iter(MODEL_NONSTREAMING_TOKENS))


def _flags(*argv: str, base: RunSettings | None = None) -> RunSettings:
    parser = argparse.ArgumentParser()
    add_request_flags(parser)
    return settings_from_args(parser.parse_args(list(argv)), base)


def test_no_stream_flag_profile_key_and_request():
    assert RunSettings().stream is True and _flags().stream is True
    settings = _flags("--no-stream")
    assert settings.stream is False and build_request("hi", settings).stream is False
    assert build_request("hi", RunSettings()).stream is True
    assert parse_table({"stream": False}) == {"stream": False}
    with pytest.raises(FieldError) as info:
        parse_table({"stream": "no"})
    assert str(info.value) == 'stream must be true or false (unquoted), got "no"'


def test_stored_settings_keep_it_and_old_records_read_as_streaming():
    settings = _flags("--no-stream")
    record = settings.to_dict()
    assert record["stream"] is False and RunSettings.from_dict(record).stream is False
    del record["stream"]
    assert RunSettings.from_dict(record).stream is True


def test_the_model_caps_are_the_installed_sdks_read_from_its_source():
    nonstreaming.model_caps.cache_clear()
    assert nonstreaming.model_caps() == MODEL_NONSTREAMING_TOKENS
    assert nonstreaming._caps_from_source() == MODEL_NONSTREAMING_TOKENS  # not from importing it


@pytest.mark.parametrize("model", [DEFAULT_MODEL, CAPPED])
def test_the_rule_refuses_exactly_what_the_sdk_refuses(model):
    client = anthropic.Anthropic(api_key="k")
    cap = MODEL_NONSTREAMING_TOKENS.get(model)
    for max_tokens in (1, 1024, 8192, 8193, 21_333, 21_334, 64_000):
        try:
            client._calculate_nonstreaming_timeout(max_tokens, cap)
            sdk_refuses = False
        except ValueError as exc:
            assert "Streaming is required" in str(exc)
            sdk_refuses = True
        assert (nonstreaming.refusal(model, max_tokens) is not None) == sdk_refuses, max_tokens
        assert (max_tokens > nonstreaming.token_limit(model)) == sdk_refuses, max_tokens


def test_a_refused_request_is_one_line_naming_the_rule_and_the_fixes():
    with pytest.raises(FieldError) as info:
        _flags("--no-stream", "--max-tokens", "32000")
    assert str(info.value) == (
        "--max-tokens is 32000, more than the 21333 the SDK allows without streaming (it requires streaming "
        "when 3600 s × max_tokens / 128000 > 600 s: over 10 minutes); stream (--stream, stream = true), "
        "lower it to 21333 or less, or force it (--allow-long-no-stream, allow_long_no_stream = true)"
    )
    with pytest.raises(FieldError, match=f"more than the {MODEL_NONSTREAMING_TOKENS[CAPPED]} the SDK allows {CAPPED}"):
        _flags("--no-stream", "--model", CAPPED, "--max-tokens", "9000")
    with pytest.raises(FieldError, match=r"^max_tokens is 32000, more than the 21333"):
        RunSettings.from_values(parse_table({"stream": False, "max_tokens": 32000}))  # a profile: its key


def test_streaming_or_forcing_it_lifts_the_rule():
    assert _flags("--max-tokens", "32000").max_tokens == 32000
    forced = _flags("--no-stream", "--max-tokens", "32000", "--allow-long-no-stream")
    assert (forced.stream, forced.allow_long_no_stream, forced.max_tokens) == (False, True, 32000)
    values = parse_table({"stream": False, "max_tokens": 32000, "allow_long_no_stream": True})
    assert RunSettings.from_values(values).max_tokens == 32000
